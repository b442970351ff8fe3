"""Commands for accounts: create a national analyst."""

from __future__ import annotations

import click
from werkzeug.security import generate_password_hash

from selfassess.cli import cli
from selfassess.extensions import db
from selfassess.models import Membership, User
from selfassess.web.sessions import end_sessions


@cli.group("users")
def users_group() -> None:
    """User accounts."""


@users_group.command("create-analyst")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.password_option()
def create_analyst(email: str, name: str, password: str) -> None:
    """Create a national analyst (Home Office) account, or make an existing user one."""
    email = email.strip().lower()
    if len(password) < 10:
        raise click.BadParameter("use at least 10 characters", param_hint="password")
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
    if user is None:
        user = User(email=email, name=name.strip())
        db.session.add(user)
    elif db.session.execute(db.select(Membership.id).filter_by(user_id=user.id)).first():
        # Analysts see partnerships only through submitted returns, never as members.
        raise click.ClickException(
            f"{email} is a member of a partnership; a lead must remove them first."
        )
    else:
        # A new password ends the sessions signed in with the old one.
        end_sessions(user.id)
    user.is_analyst = True
    user.password_hash = generate_password_hash(password)
    db.session.commit()
    click.echo(f"{email} is a national analyst.")
