"""Who is present at a workshop, and which votes were cast in it

- workshop_attendee: a participant present at a workshop session, and when the lead removed
  them (their votes then leave that meeting's tally).
- workshop_vote: a vote cast in a workshop session, per question and round; the same vote is
  also the participant's current rating.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "workshop_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workshop_session_id"], ["workshop_session.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workshop_session_id", "participant_id"),
    )
    op.create_index("ix_workshop_attendee_participant_id", "workshop_attendee", ["participant_id"])
    op.create_table(
        "workshop_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.String(length=60), nullable=False),
        sa.Column("item_id", sa.String(length=40), nullable=False),
        sa.Column("round", sa.Integer(), server_default="1", nullable=False),
        sa.Column("value", sa.String(length=20), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_session_id"], ["workshop_session.id"], ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["participant_id"], ["participant.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "workshop_session_id", "participant_id", "framework_id", "item_id", "round"
        ),
    )
    op.create_index(
        "ix_workshop_vote_item", "workshop_vote", ["workshop_session_id", "framework_id", "item_id"]
    )
    op.create_index("ix_workshop_vote_participant_id", "workshop_vote", ["participant_id"])


def downgrade():
    op.drop_index("ix_workshop_vote_participant_id", table_name="workshop_vote")
    op.drop_index("ix_workshop_vote_item", table_name="workshop_vote")
    op.drop_table("workshop_vote")
    op.drop_index("ix_workshop_attendee_participant_id", table_name="workshop_attendee")
    op.drop_table("workshop_attendee")
