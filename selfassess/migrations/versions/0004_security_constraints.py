"""Sessions that sign-out ends, results a lead can share, and one of each thing a double click
could create twice

- user_account.session_generation: a session cookie carries the generation it was issued under;
  sign-out, a password change and losing a role bump it, so an older cookie signs nobody in.
- assessment.results_shared: the lead may show members everyone's ratings before agreement.
- assessment.previous_id unique: one next cycle per assessment.
- one live workshop per assessment (a partial unique index).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN and CREATE INDEX: SQLite does both in place, so no table is rebuilt
    # under the foreign keys that point at it.
    op.add_column(
        "user_account",
        sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column(
        "assessment",
        sa.Column("results_shared", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_index("uq_assessment_previous_id", "assessment", ["previous_id"], unique=True)
    op.create_index(
        "uq_workshop_session_live",
        "workshop_session",
        ["assessment_id"],
        unique=True,
        sqlite_where=sa.text("status = 'live'"),
        postgresql_where=sa.text("status = 'live'"),
    )


def downgrade():
    op.drop_index("uq_workshop_session_live", table_name="workshop_session")
    op.drop_index("uq_assessment_previous_id", table_name="assessment")
    op.drop_column("assessment", "results_shared")
    op.drop_column("user_account", "session_generation")
