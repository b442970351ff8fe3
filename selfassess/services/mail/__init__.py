"""Email: written to the outbox with the change that causes it, sent later by a worker.

- ``outbox``: ``queue()`` adds a message inside the caller's ``services.transaction()``, so an
  invitation and its email, a submitted return and its receipt, land together or not at all.
- ``compose``: what each email says (templates under ``templates/email/``).
- ``senders``: the one small interface delivery goes through (SMTP, or .eml files by default);
  a GOV.UK Notify sender would be one more class here.
- ``delivery``: claim, send, mark sent; retries with back-off; failures kept with their error.
- ``reminders``: works out which reminders are due and queues each once.
"""
