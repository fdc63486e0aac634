"""staff: staff_users, staff_sessions, audit_events, cases.documents_received_at

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Cases already complete get the time their last required item came in (else updated_at).
BACKFILL = sa.text(
    "UPDATE cases SET documents_received_at = COALESCE("
    "(SELECT MAX(i.received_at) FROM checklist_items i WHERE i.case_id = cases.id "
    "AND i.required = :yes), updated_at) "
    "WHERE status = 'documents_received' AND documents_received_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("disabled_at", sa.DateTime(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("username", name="uq_staff_users_username"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_users.id"],
                                name="fk_staff_sessions_user_id", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_staff_sessions_token_hash"),
    )
    op.create_index("ix_staff_sessions_user_id", "staff_sessions", ["user_id"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("ip", sa.String(64), nullable=True),
    )
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_case_id", "audit_events", ["case_id"])
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("documents_received_at", sa.DateTime(), nullable=True))
    op.execute(BACKFILL.bindparams(yes=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("documents_received_at")
    op.drop_index("ix_audit_events_case_id", "audit_events")
    op.drop_index("ix_audit_events_at", "audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_staff_sessions_user_id", "staff_sessions")
    op.drop_table("staff_sessions")
    op.drop_table("staff_users")
