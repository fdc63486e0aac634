"""dialogue: case flags (red flags for the coordinator) and the call-back language

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("flags", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("callback_requests") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=False,
                                   server_default="en"))


def downgrade() -> None:
    with op.batch_alter_table("callback_requests") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("flags")
