"""sms: inbound messages by MessageSid, contacts (opt-out, menus), outbox kinds

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 16:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sms_inbound",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_sid", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("media", sa.JSON(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("message_sid", name="uq_sms_inbound_message_sid"),
    )
    op.create_index("ix_sms_inbound_phone", "sms_inbound", ["phone"])
    op.create_table(
        "sms_contacts",
        sa.Column("phone", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("opted_out_at", sa.DateTime(), nullable=True),
        sa.Column("opted_in_at", sa.DateTime(), nullable=True),
        sa.Column("opt_line_sent_at", sa.DateTime(), nullable=True),
        sa.Column("menu", sa.JSON(), nullable=True),
    )
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("kind", sa.String(32), nullable=True))
        batch.create_index("ix_outbox_messages_kind", ["kind"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_index("ix_outbox_messages_kind")
        batch.drop_column("kind")
    op.drop_table("sms_contacts")
    op.drop_index("ix_sms_inbound_phone", "sms_inbound")
    op.drop_table("sms_inbound")
