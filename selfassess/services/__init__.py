"""Services: the only places that change ratings, agreed ratings and actions.

Each service checks the assessment's state, refuses stale edits, and appends an audit event for
every change, so views stay thin and every way in (pages, autosave, the workshop) behaves alike.
"""
