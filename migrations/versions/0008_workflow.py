"""workflow: case_status_changes, case_notes, the fee and team columns on cases

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=False),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name="fk_case_status_changes_case_id", ondelete="CASCADE"),
    )
    op.create_index("ix_case_status_changes_case_id", "case_status_changes", ["case_id"])
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"],
                                name="fk_case_notes_case_id", ondelete="CASCADE"),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("fee_collected_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("fee_amount_usd", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("fee_collected_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("assigned_team", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("assigned_team")
        batch.drop_column("fee_collected_by")
        batch.drop_column("fee_amount_usd")
        batch.drop_column("fee_collected_on")
    op.drop_index("ix_case_notes_case_id", "case_notes")
    op.drop_table("case_notes")
    op.drop_index("ix_case_status_changes_case_id", "case_status_changes")
    op.drop_table("case_status_changes")
