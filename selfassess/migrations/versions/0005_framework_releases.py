"""Remember each framework version as it was first used

- framework_release: (framework_id, version) -> the content hash when an assessment or
  collection first took that version, so a file later changed in place is refused at start.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "framework_release",
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("content_hash", sa.String(length=80), nullable=False),
        sa.Column("first_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("framework_id", "version"),
    )


def downgrade():
    op.drop_table("framework_release")
