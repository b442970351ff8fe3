"""Invitations keep who they are for in their own columns

Until now the note, name and email given when inviting someone were only in the invitation's
audit event; copy them across so existing pending invitations keep showing them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FIELDS = ("note", "for_name", "for_email")


def upgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("for_name", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("for_email", sa.String(length=254), nullable=True))

    audit = sa.table(
        "audit_event",
        sa.column("entity", sa.String),
        sa.column("event", sa.String),
        sa.column("entity_id", sa.Integer),
        sa.column("after", sa.JSON),
    )
    invitation = sa.table(
        "invitation",
        sa.column("id", sa.Integer),
        *(sa.column(name, sa.String) for name in FIELDS),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(audit.c.entity_id, audit.c.after).where(
            audit.c.entity == "invitation", audit.c.event == "invited"
        )
    ).all()
    for entity_id, after in rows:
        values = {name: (after or {}).get(name) for name in FIELDS}
        if entity_id is not None and any(values.values()):
            connection.execute(
                invitation.update().where(invitation.c.id == entity_id).values(**values)
            )


def downgrade():
    with op.batch_alter_table("invitation", schema=None) as batch_op:
        batch_op.drop_column("for_email")
        batch_op.drop_column("for_name")
        batch_op.drop_column("note")
