"""Database models and sessions (SQLAlchemy 1.4; SQLite by default, PostgreSQL by URL).

Schema changes go through Alembic (migrations/). Rasa's tracker store keeps its own
`events` table in the same database.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
from typing import Iterator, Optional

from sqlalchemy import (
    JSON, BigInteger, Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, String, Text,
    UniqueConstraint, create_engine, event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base, relationship, sessionmaker

from bot.settings import get_settings

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class Screening(Base):
    """One completed eligibility check. Holds no names or birth dates."""

    __tablename__ = "screenings"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    condition_keys = Column(JSON, nullable=False, default=list)
    programs = Column(JSON, nullable=False, default=list)
    age_years = Column(Float, nullable=True)
    zip_code = Column(String(10), nullable=True)
    state = Column(String(2), nullable=True)
    county = Column(String(64), nullable=True)
    route = Column(String(40), nullable=False)
    eligible = Column(Boolean, nullable=False)
    total_fee_usd = Column(Integer, nullable=False, default=0)


class CallbackRequest(Base):
    """A parent asked for a person. The coordinator queue reads these (later issue)."""

    __tablename__ = "callback_requests"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(128), nullable=False, index=True)
    channel = Column(String(32), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    phone = Column(String(32), nullable=True)
    reason = Column(Text, nullable=True)
    status = Column(String(16), nullable=False, default="open")
    # The language the parent wrote in ("es": call back with an interpreter).
    language = Column(String(8), nullable=False, default="en", server_default="en")


class ReferenceCounter(Base):
    """Last case reference number handed out per year (see bot/references.py)."""

    __tablename__ = "reference_counters"
    year = Column(Integer, primary_key=True, autoincrement=False)
    last_value = Column(Integer, nullable=False, default=0)


class Case(Base):
    """One document review for one program. Spine and hip together are two linked cases."""

    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("reference", name="uq_cases_reference"),
        UniqueConstraint("conversation_id", "program", "intake_key",
                         name="uq_cases_conversation_program"),
    )
    id = Column(Integer, primary_key=True)
    reference = Column(String(20), nullable=False)  # "SO-2026-00042"
    conversation_id = Column(String(128), nullable=False, index=True)
    # Scopes idempotency: "" = one case per conversation and program; the caller may pass
    # e.g. the screening id so the same phone can later start another child's review.
    intake_key = Column(String(64), nullable=False, default="")
    channel = Column(String(32), nullable=False)
    program = Column(String(16), nullable=False)
    status = Column(String(32), nullable=False, default="intake_started", index=True)
    linked_case_id = Column(Integer, ForeignKey("cases.id", name="fk_cases_linked_case_id",
                                                ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)
    child_first_name = Column(String(100), nullable=True)
    child_last_name = Column(String(100), nullable=True)
    child_birth_date = Column(Date, nullable=True)
    guardian_name = Column(String(200), nullable=True)
    guardian_phone = Column(String(32), nullable=True)
    guardian_email = Column(String(254), nullable=True)
    zip_code = Column(String(10), nullable=True)
    county = Column(String(64), nullable=True)
    answers = Column(JSON, nullable=False, default=dict)
    questionnaire_state = Column(JSON, nullable=False, default=dict)
    # Upload links carry this number; incrementing it revokes every link sent before.
    link_token_version = Column(Integer, nullable=False, default=1)
    # What the coordinator must see first: {"red_flag": "2026-11-30T10:00:00"}.
    flags = Column(JSON, nullable=False, default=dict)
    link_sends = Column(JSON, nullable=False, default=list)  # fresh links sent on request
    answers_revision = Column(Integer, nullable=False, default=0)  # detects stale writes
    # When every required item was in (bot/cases.py): the queue's due date is this + 10 days.
    documents_received_at = Column(DateTime, nullable=True)
    # The coordinator's workflow (bot/staff/workflow.py, migration 0008). The fee is taken
    # by phone: only when, how much and who; card data is never stored.
    fee_collected_on = Column(Date, nullable=True)
    fee_amount_usd = Column(Integer, nullable=True)  # whole dollars
    fee_collected_by = Column(String(64), nullable=True)  # staff username
    assigned_team = Column(String(16), nullable=True)  # "spine" | "hip"

    checklist = relationship("ChecklistItem", order_by="ChecklistItem.id",
                             cascade="all, delete-orphan")
    documents = relationship("Document", order_by="Document.id", cascade="all, delete-orphan")


class ChecklistItem(Base):
    """questionnaire, financial_consent, referral, medical_records, imaging (bot/checklist.py)."""

    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("case_id", "kind", name="uq_checklist_items_case_kind"),)
    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", name="fk_checklist_items_case_id",
                                         ondelete="CASCADE"), nullable=False)
    kind = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default="missing")
    required = Column(Boolean, nullable=False, default=True)
    received_at = Column(DateTime, nullable=True)


class Document(Base):
    """One uploaded file, stored outside any served folder under a random name."""

    __tablename__ = "documents"
    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", name="fk_documents_case_id",
                                         ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(String(32), nullable=False)
    original_name = Column(String(255), nullable=False)
    stored_name = Column(String(255), nullable=False)
    content_type = Column(String(100), nullable=False)
    size = Column(BigInteger, nullable=False)
    sha256 = Column(String(64), nullable=False)
    received_at = Column(DateTime, nullable=False, default=utcnow)
    flags = Column(JSON, nullable=False, default=dict)


class Consent(Base):
    """An e-signed financial consent: who, when, from where, and which text version."""

    __tablename__ = "consents"
    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", name="fk_consents_case_id",
                                         ondelete="CASCADE"), nullable=False, index=True)
    signer_name = Column(String(200), nullable=False)
    signed_at = Column(DateTime, nullable=False, default=utcnow)
    ip = Column(String(64), nullable=True)
    user_agent = Column(String(512), nullable=True)
    text_version = Column(String(32), nullable=False)
    text_sha256 = Column(String(64), nullable=False)
    signed_text = Column(Text, nullable=True)  # exactly what was shown (fee, phone filled in)


class OutboxMessage(Base):
    """Every outgoing message and what became of it: recorded (dev outbox or chat),
    queued, sent or failed. The coordinator reads this; logs never see bodies."""

    __tablename__ = "outbox_messages"
    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    channel = Column(String(16), nullable=False)
    to_address = Column(String(254), nullable=False)
    subject = Column(String(255), nullable=True)
    body = Column(Text, nullable=False)
    case_id = Column(Integer, ForeignKey("cases.id", name="fk_outbox_messages_case_id",
                                         ondelete="SET NULL"), nullable=True, index=True)
    status = Column(String(16), nullable=False, default="queued")
    provider_id = Column(String(64), nullable=True)
    error = Column(Text, nullable=True)
    # What the message was for ("reply", "link", "reminder", "opt_out", "help"...):
    # SMS reminders are counted from here, per number, so the limits have one record.
    kind = Column(String(32), nullable=True, index=True)


class SmsInbound(Base):
    """Every texted message Twilio posted, by its MessageSid: a retried webhook finds
    its row and makes no second turn, also after a restart. While the turn is pending
    the row keeps the (scrubbed) text and media, so a crash loses nothing; the text is
    cleared once the turn is done (the tracker keeps the conversation)."""

    __tablename__ = "sms_inbound"
    __table_args__ = (UniqueConstraint("message_sid", name="uq_sms_inbound_message_sid"),)
    id = Column(Integer, primary_key=True)
    message_sid = Column(String(64), nullable=False)
    phone = Column(String(32), nullable=False, index=True)  # E.164
    received_at = Column(DateTime, nullable=False, default=utcnow)
    status = Column(String(16), nullable=False, default="pending")  # pending|done|failed|ignored
    body = Column(Text, nullable=True)
    media = Column(JSON, nullable=True)  # [{"url": ..., "content_type": ...}]
    finished_at = Column(DateTime, nullable=True)


class SmsContact(Base):
    """One row per phone number we text with: opt-out state (STOP / START), whether
    the one-time opt-out line was sent, and the numbered menu last sent (so "2" still
    means the same button days later, on any replica)."""

    __tablename__ = "sms_contacts"
    phone = Column(String(32), primary_key=True)  # E.164
    created_at = Column(DateTime, nullable=False, default=utcnow)
    opted_out_at = Column(DateTime, nullable=True)  # set: nothing more goes out
    opted_in_at = Column(DateTime, nullable=True)
    opt_line_sent_at = Column(DateTime, nullable=True)
    menu = Column(JSON, nullable=True)  # [{"title": ..., "payload": ...}]


@functools.lru_cache(maxsize=None)
def engine_for(url: str) -> Engine:
    kwargs = {"future": True, "pool_pre_ping": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", sqlite_pragmas)
    return engine


def sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the Rasa server, the action server and the portal share one file.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


@contextlib.contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    factory = sessionmaker(bind=engine_for(url or get_settings().database_url), future=True,
                           expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


class PortalGate(Base):
    """Wrong birth-date tries for one case (kept under link_version 0, whatever link
    version the parent opened: a new link never gives more tries)."""

    __tablename__ = "portal_gates"
    __table_args__ = (UniqueConstraint("case_id", "link_version",
                                       name="uq_portal_gates_case_version"),)
    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", name="fk_portal_gates_case_id",
                                         ondelete="CASCADE"), nullable=False)
    link_version = Column(Integer, nullable=False)
    failed_tries = Column(Integer, nullable=False, default=0)
    last_try_at = Column(DateTime, nullable=True)


# --- Coordinator workspace (bot/staff, bot/portal/coordinator) ------------------------


class StaffUser(Base):
    """A coordinator (everything) or a reviewer (read only). Password: argon2id hash."""

    __tablename__ = "staff_users"
    __table_args__ = (UniqueConstraint("username", name="uq_staff_users_username"),)
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False)
    role = Column(String(16), nullable=False)
    password_hash = Column(String(255), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    disabled_at = Column(DateTime, nullable=True)  # set: no login, sessions ended
    failed_logins = Column(Integer, nullable=False, default=0)  # wrong passwords in a row
    locked_until = Column(DateTime, nullable=True)


class StaffSession(Base):
    """A signed-in browser: only the SHA-256 of its cookie's token is stored."""

    __tablename__ = "staff_sessions"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_staff_sessions_token_hash"),)
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False)
    user_id = Column(Integer, ForeignKey("staff_users.id", name="fk_staff_sessions_user_id",
                                         ondelete="CASCADE"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    expires_at = Column(DateTime, nullable=False)
    ip = Column(String(64), nullable=True)


class AuditEvent(Base):
    """Who saw or did what, when, on which case (no foreign key: the trail outlives cases)."""

    __tablename__ = "audit_events"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)
    actor = Column(String(64), nullable=False)
    role = Column(String(16), nullable=False)
    case_id = Column(Integer, nullable=True, index=True)
    action = Column(String(64), nullable=False)
    detail = Column(JSON, nullable=False, default=dict)
    ip = Column(String(64), nullable=True)


# --- Coordinator workflow (bot/staff/workflow.py, notes.py, family.py) -----------------



class CaseStatusChange(Base):
    """The case timeline: every coordinator status change, and every message sent back to
    the family (action "link_resent", "item_requested": from and to are the same)."""

    __tablename__ = "case_status_changes"
    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", name="fk_case_status_changes_case_id",
                                         ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    actor = Column(String(64), nullable=False)
    action = Column(String(32), nullable=False, default="status")
    from_status = Column(String(32), nullable=False)
    to_status = Column(String(32), nullable=False)
    details = Column(JSON, nullable=False, default=dict)


class CaseNote(Base):
    """A coordinator's note on a case (scrubbed of card numbers and SSNs before saving)."""

    __tablename__ = "case_notes"
    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("cases.id", name="fk_case_notes_case_id",
                                         ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow)
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)


# Models kept next to their code join Base.metadata here, so Alembic and the schema test
# see every table whichever module was imported first.
from bot.staff import alerts_db  # noqa: E402,F401
