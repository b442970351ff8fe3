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
    # Plain ADD COLUMN (nullable, or with a default) on both databases: SQLite needs no table
    # rebuild for it, and a rebuild of user_account would trip the tables that refer to it.
    op.add_column("user_account", sa.Column("language", sa.String(length=5), nullable=True))
    op.add_column("invitation", sa.Column("language", sa.String(length=5), nullable=True))
    op.add_column(
        "workshop_session",
        sa.Column("projector_languages", sa.String(length=10), nullable=False, server_default=""),
    )


def downgrade():
    # ALTER TABLE ... DROP COLUMN on both (SQLite has it since 3.35): a batch rebuild of
    # user_account would trip the foreign keys of the rows that refer to it.
    op.drop_column("workshop_session", "projector_languages")
    op.drop_column("invitation", "language")
    op.drop_column("user_account", "language")
