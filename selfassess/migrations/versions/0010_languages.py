"""Languages: each person's choice of English or Welsh, the language of an invitation's email,
and whether a workshop's projector shows Welsh, English or both.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), nullable=True))
    with op.batch_alter_table("invitation") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), nullable=True))
    with op.batch_alter_table("workshop_session") as batch:
        batch.add_column(
            sa.Column(
                "projector_languages", sa.String(length=10), nullable=False, server_default=""
            )
        )


def downgrade():
    with op.batch_alter_table("workshop_session") as batch:
        batch.drop_column("projector_languages")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("language")
