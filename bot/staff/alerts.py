"""Alert emails to the coordinator (COORDINATOR_EMAIL): a case has every document, a red
flag came in, a parent asked for a call-back. One email per event, ever.

Email is not a secure channel, so an alert says only which case (reference, program),
what happened, when, whether in the coordinator's hours, and the workspace link; never
the child's name or birth date, an answer, the symptom told, or a phone number.

The callers are the parent's conversation and upload: these functions never raise (an
error is logged by its class only) and run in the caller's thread, after its commit.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Callable, Iterable, Optional, TypeVar, Union
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db import CallbackRequest, Case, session_scope, utcnow
from bot.notifier import Message, Notifier
from bot.settings import Settings, get_settings
from bot.staff import hours
from bot.staff.alerts_db import StaffAlert

log = logging.getLogger(__name__)

KIND = "staff_alert"
CASE_READY, RED_FLAG, CALLBACK = "case_ready", "red_flag", "callback"
SUBJECT_PREFIX = "[Second opinion]"
PRIVACY_LINE = "Sign in to see the details. (Email is not secure: no health details here.)"
T = TypeVar("T")


def never_raises(default: T) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """An alert that fails is logged (class only: the message may hold PHI) and dropped."""
    def wrap(function: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(function)
        def safe(*args, **kwargs) -> T:
            try:
                return function(*args, **kwargs)
            except Exception as exc:
                log.error("staff alert %s failed (%s)", function.__name__, type(exc).__name__)
                return default
        return safe
    return wrap


@never_raises(False)
def case_ready(case_id: int, settings: Optional[Settings] = None) -> bool:
    """The case has just reached documents_received: its review can start."""
    settings = settings or get_settings()
    if not recipients(settings):
        return False
    with session_scope(settings.database_url) as session:
        case = session.get(Case, case_id)
        if case is None or case.documents_received_at is None:
            return False  # documents_received sets it (bot/cases.py)
        fact = _case_fact(case, case.documents_received_at)
    return _send_once(CASE_READY, f"case:{case_id}", settings, "All documents in", [fact])


@never_raises(0)
def red_flag(case_id_or_conversation: Union[int, str, Iterable[int]],
             settings: Optional[Settings] = None) -> int:
    """A red-flag symptom was told: one email per case (a case id, several, or every case
    of a conversation id). Before a case exists nothing is sent: the intake flags the new
    case, which alerts then. Returns how many emails went out."""
    settings = settings or get_settings()
    if not recipients(settings):
        return 0
    with session_scope(settings.database_url) as session:
        query = select(Case)
        subject = case_id_or_conversation
        if isinstance(subject, str):
            query = query.where(Case.conversation_id == subject)
        else:
            query = query.where(Case.id.in_([subject] if isinstance(subject, int)
                                            else list(subject)))
        facts = [(case.id, _case_fact(case, _flag_time(case)))
                 for case in session.execute(query.order_by(Case.id)).scalars()]
    return sum(_send_once(RED_FLAG, f"case:{case_id}", settings, "Red flag", [fact])
               for case_id, fact in facts)


@never_raises(False)
def callback_requested(callback_id: int, settings: Optional[Settings] = None) -> bool:
    """A parent asked for a person. Asking again updates the same open request: no email."""
    settings = settings or get_settings()
    if not recipients(settings):
        return False
    with session_scope(settings.database_url) as session:
        request = session.get(CallbackRequest, callback_id)
        if request is None:
            return False
        when = request.created_at
        related = session.execute(select(Case).where(
            Case.conversation_id == request.conversation_id).order_by(Case.id)).scalars()
        facts = [_case_fact(case, when) for case in related] or [
            {"line": f"Call-back request #{callback_id} (no case yet)",
             "link": "/coordinator", "when": when}]
    return _send_once(CALLBACK, f"callback:{callback_id}", settings,
                      "Call-back requested", facts)


def recipients(settings: Settings) -> str:
    """The To: header ("" when alerts are off); says once per process that they are off."""
    if not settings.coordinator_email:
        _log_off()
    return ", ".join(settings.coordinator_email)


@functools.lru_cache(maxsize=1)
def _log_off() -> None:
    log.info("coordinator alerts off")


def case_link(case_id: int, settings: Settings) -> str:
    """The case page in the workspace (sign-in first)."""
    return f"{settings.public_base_url}/coordinator/cases/{case_id}"


def _case_fact(case: Case, when: Optional[dt.datetime]) -> dict:
    return {"line": f"Case {case.reference} ({case.program} review)",
            "link": f"/coordinator/cases/{case.id}", "when": when or utcnow()}


def _flag_time(case: Case) -> Optional[dt.datetime]:
    stamp = (case.flags or {}).get("red_flag")
    try:
        return dt.datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


def _send_once(event: str, key: str, settings: Settings, what: str, facts: list[dict]) -> bool:
    to = recipients(settings)
    if not to:
        return False
    if not claim(event, key, settings.database_url):
        return False  # sent already (a retry, a second upload, another replica)
    first = facts[0]
    subject = f"{SUBJECT_PREFIX} {what}: {first['line'].split(' (')[0]}"
    lines = [f"{what}.", ""]
    for fact in facts:
        lines += [fact["line"], f"Open: {settings.public_base_url}{fact['link']}", ""]
    lines += [f"When: {local_time(first['when'], settings)} "
              f"({in_hours_text(first['when'], settings)})", "", PRIVACY_LINE]
    case_id = int(key.split(":")[1]) if key.startswith("case:") else None
    delivery = Notifier(settings).send(Message("email", to, "\n".join(lines), subject=subject,
                                               case_id=case_id, kind=KIND))
    log.info("staff alert %s sent to the coordinator: outbox %s %s", event,
             delivery.outbox_id, delivery.status)
    return True


def claim(event: str, key: str, url: str) -> bool:
    """Insert the (event, key) row; False when it is there already (unique constraint)."""
    try:
        with session_scope(url) as session:
            session.add(StaffAlert(event=event, subject_key=key, created_at=utcnow()))
        return True
    except IntegrityError:
        return False


def local_time(when: dt.datetime, settings: Settings) -> str:
    """Naive UTC -> "Mon 2026-12-07 10:00 EST" in the coordinator's time zone."""
    local = when.replace(tzinfo=dt.timezone.utc).astimezone(
        ZoneInfo(settings.coordinator_timezone))
    return local.strftime("%a %Y-%m-%d %H:%M %Z")


def in_hours_text(when: dt.datetime, settings: Settings) -> str:
    inside = hours.within(when, settings.coordinator_schedule, settings.coordinator_timezone)
    return "during coordinator hours" if inside else "outside coordinator hours"
