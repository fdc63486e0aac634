"""hardening: the exact consent text signed, link re-sends per case, answer revisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 13:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consents") as batch:
        # The words the parent saw, fee and phone filled in (null for rows signed before).
        batch.add_column(sa.Column("signed_text", sa.Text(), nullable=True))
    with op.batch_alter_table("cases") as batch:
        # When fresh upload links were sent on request (ISO times), to cap re-sends per day.
        batch.add_column(sa.Column("link_sends", sa.JSON(), nullable=False, server_default="[]"))
        # Bumped on every answer saved, so a writer holding an older copy is detected.
        batch.add_column(sa.Column("answers_revision", sa.Integer(), nullable=False,
                                   server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("answers_revision")
        batch.drop_column("link_sends")
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("signed_text")
