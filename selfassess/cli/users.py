"""Commands for accounts: create a national analyst."""

from __future__ import annotations

import click

from selfassess.cli import cli
from selfassess.services.accounts import AccountError, make_analyst


@cli.group("users")
def users_group() -> None:
    """User accounts."""


@users_group.command("create-analyst")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
def create_analyst(email: str, name: str, password: str) -> None:
    """Create a national analyst (Home Office) account, or make an existing user one."""
    try:
        user = make_analyst(email, name, password)
    except AccountError as error:
        if "characters" in str(error):
            raise click.BadParameter(str(error), param_hint="password") from error
        raise click.ClickException(str(error)) from error
    click.echo(f"{user.email} is a national analyst.")
