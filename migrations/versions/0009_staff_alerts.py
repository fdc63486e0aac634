"""staff_alerts: one row per alert email to the coordinator (sent once per event)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("subject_key", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("event", "subject_key", name="uq_staff_alerts_event_subject_key"),
    )


def downgrade() -> None:
    op.drop_table("staff_alerts")
