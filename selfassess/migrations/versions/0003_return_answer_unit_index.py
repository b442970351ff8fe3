"""Index the answering units of each item of a return

The national picture counts the returns (and arrangements) that answered each multi-choice
question: a DISTINCT over (return_id, arrangement) per item. The item index does not hold
return_id, so that count visited every answer row; this index answers it alone.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("return_answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_return_answer_unit",
            ["collection_id", "framework_id", "item_id", "return_id", "arrangement"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("return_answer", schema=None) as batch_op:
        batch_op.drop_index("ix_return_answer_unit")
