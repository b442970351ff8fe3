"""Commands for email: send the outbox once (cron) or as a worker (a service manager), and queue
the reminders that are due (hourly)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app

from selfassess.cli import cli
from selfassess.domain.mail import MailUrlError
from selfassess.models.mail import OUTBOX_STATUSES
from selfassess.queries.mail import failed_messages, outbox_counts
from selfassess.services.mail import delivery, reminders
from selfassess.services.mail.senders import outbox_folder, sender_for


def _sender():
    try:
        sender = sender_for(current_app)
    except MailUrlError as error:
        raise click.ClickException(str(error)) from error
    if not current_app.debug and current_app.config["SERVICE_URL"].startswith("http://127.0.0.1"):
        click.echo(
            "Warning: SERVICE_URL is not set, so links in emails point at "
            f"{current_app.config['SERVICE_URL']}. Set it to the service's public address.",
            err=True,
        )
    if not current_app.config.get("MAIL_URL"):
        click.echo(f"No MAIL_URL: writing emails as .eml files to {outbox_folder(current_app)}")
    return sender


def _say(result: delivery.PassResult) -> None:
    click.echo(f"{result.sent} sent, {result.retrying} to try again, {result.failed} failed")


@cli.group("mail")
def mail_group() -> None:
    """Email: send what the outbox holds."""


@mail_group.command("send")
def send() -> None:
    """Send every message due now, once (for cron)."""
    _say(delivery.send_due(_sender()))


@mail_group.command("worker")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
def worker(interval: float) -> None:
    """Send messages as they are queued until stopped (SIGTERM or Ctrl+C)."""
    sender = _sender()
    click.echo(f"Sending email every {interval:g} seconds; Ctrl+C stops.")

    def report(result: delivery.PassResult) -> None:
        if result.sent or result.retrying or result.failed:
            _say(result)

    delivery.run_worker(sender, interval, on_pass=report)


@mail_group.command("status")
def status() -> None:
    """How many messages are queued, being sent, sent and failed; the latest failures."""
    counts = outbox_counts()
    click.echo(", ".join(f"{counts.get(s, 0)} {s}" for s in OUTBOX_STATUSES))
    for message in failed_messages():
        click.echo(f"failed #{message.id} to {message.to_address}: {message.last_error}")


@cli.group("reminders")
def reminders_group() -> None:
    """Reminders: work out what is due and queue it."""


@reminders_group.command("run")
def run() -> None:
    """Queue every reminder due now (run it hourly; running it again queues nothing twice)."""
    result = reminders.run(datetime.now(UTC))
    if not result.total:
        click.echo("No reminders due.")
        return
    for kind, count in sorted(result.queued.items()):
        click.echo(f"{kind.replace('_', ' ')}: {count} queued")
