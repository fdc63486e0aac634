"""portal: birth-date tries per case and upload-link version

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portal_gates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("link_version", sa.Integer(), nullable=False),
        sa.Column("failed_tries", sa.Integer(), nullable=False),
        sa.Column("last_try_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_portal_gates_case_id",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_portal_gates"),
        sa.UniqueConstraint("case_id", "link_version", name="uq_portal_gates_case_version"),
    )


def downgrade() -> None:
    op.drop_table("portal_gates")
