"""Workshop vote rounds, comments with votes, and the session's options

- workshop_session.round: the round of votes open on the question the board shows (a new round
  asks everyone to vote again on the same question).
- workshop_session.shown_at: when that question (or round) was put up, for the countdown.
- workshop_session.show_names: whether the reveal names who moved between rounds (agencies are
  always shown).
- workshop_session.countdown_seconds: an optional time per question, shown to the room; it
  informs, it does not close voting.
- workshop_vote.comment: an optional short comment sent with a vote, shown without a name.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workshop_session") as batch:
        batch.add_column(sa.Column("round", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("show_names", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("countdown_seconds", sa.Integer(), nullable=True))
    with op.batch_alter_table("workshop_vote") as batch:
        batch.add_column(sa.Column("comment", sa.String(length=280), nullable=True))


def downgrade():
    with op.batch_alter_table("workshop_vote") as batch:
        batch.drop_column("comment")
    with op.batch_alter_table("workshop_session") as batch:
        batch.drop_column("countdown_seconds")
        batch.drop_column("show_names")
        batch.drop_column("shown_at")
        batch.drop_column("round")
