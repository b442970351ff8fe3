"""The web pages, one blueprint per area: routes and forms only. Reads go through
``selfassess.queries``, writes through ``selfassess.services``."""
