"""`selfassess documents worker`: builds the PDFs people ask for, when app servers share Redis."""

from __future__ import annotations

import click

from selfassess.cli import cli
from selfassess.documents import jobs, shared_cache


@cli.group("documents")
def documents_group() -> None:
    """Documents that take seconds to make (the report PDF, the national picture PDF)."""


@documents_group.command("worker")
@click.option("--burst", is_flag=True, help="Build what is waiting, then stop (for cron or tests).")
def worker(burst: bool) -> None:
    """Build documents from the queue on REDIS_URL until stopped (run one or more under a service
    manager). Without REDIS_URL each app server builds its own documents and no worker is
    needed."""
    from rq import SimpleWorker  # only deployments with Redis need it

    if not shared_cache.shared():
        raise click.ClickException(
            "REDIS_URL is not set: each app server builds its own documents, so there is no "
            "queue to work from."
        )
    # SimpleWorker builds in this process, inside this command's app context.
    SimpleWorker([jobs.QUEUE], connection=shared_cache.client()).work(burst=burst)
