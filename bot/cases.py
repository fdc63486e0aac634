"""Cases for the coordinator: one per program, checklist, answers, documents, consent.

Plain blocking functions (the action server and portal call them in a worker thread);
they take and return ids and JSON-ready dicts, never ORM objects. Every write that reads
the checklist first "touches" the case row (UPDATE updated_at), which takes PostgreSQL's
row lock or SQLite's write lock, so two uploads finishing together both see each other.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional, Union

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot import checklist
from bot.answer_merge import Changes, changes, merge
from bot.channels.conversation_ids import channel_of
from bot.location import lookup_zip
from bot.db import Case, ChecklistItem, Consent, Document, session_scope, utcnow
from bot.references import next_reference

# Case columns that update_answers may fill from answers (mapping: column -> linkId).
ANSWER_FIELDS = ("child_first_name", "child_last_name", "child_birth_date", "guardian_name",
                 "guardian_phone", "guardian_email", "zip_code")


@dataclass(frozen=True)
class Received:
    """Result of recording a document or a consent."""

    id: int
    documents_received: bool  # the case has just become documents_received


def create_cases(conversation_id: str, programs: Iterable[str], *, zip_code: Optional[str] = None,
                 county: Optional[str] = None, child_birth_date: Optional[dt.date] = None,
                 intake_key: str = "", url: Optional[str] = None) -> list[dict]:
    """One case per program (spine and hip -> two cases linked to each other).

    Idempotent per (conversation, program, intake_key): a retried action gets the same
    cases back, also when two retries race (unique constraint, then re-read)."""
    wanted = list(dict.fromkeys(checklist.check_program(p) for p in programs))
    if not wanted:
        raise ValueError("at least one program is needed")
    for attempt in range(3):
        try:
            with session_scope(url) as session:
                return _create_cases(session, conversation_id, wanted, intake_key, zip_code,
                                     county, child_birth_date)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _create_cases(session: Session, conversation_id: str, wanted: list[str], intake_key: str,
                  zip_code, county, child_birth_date) -> list[dict]:
    existing = {c.program: c for c in session.execute(
        select(Case).where(Case.conversation_id == conversation_id,
                           Case.intake_key == intake_key, Case.program.in_(wanted))).scalars()}
    now = utcnow()
    cases = []
    for program in wanted:
        case = existing.get(program)
        if case is None:
            case = Case(reference=next_reference(session, now.year),
                        conversation_id=conversation_id, intake_key=intake_key,
                        channel=channel_of(conversation_id), program=program,
                        status=checklist.INTAKE_STARTED, created_at=now, updated_at=now,
                        answers={}, questionnaire_state={}, link_token_version=1,
                        checklist=[ChecklistItem(kind=k, status=checklist.MISSING, required=True)
                                   for k in checklist.KINDS])
            session.add(case)
        for column, value in (("zip_code", zip_code), ("county", county),
                              ("child_birth_date", child_birth_date)):
            if value is not None and getattr(case, column) is None:
                setattr(case, column, value)
        cases.append(case)
    session.flush()
    if len(cases) == 2:
        first, second = cases
        first.linked_case_id, second.linked_case_id = second.id, first.id
        session.flush()
    return [_summary(c) for c in cases]


def update_answers(case_ids: Iterable[int], answers: Union[Changes, Mapping[str, Any]],
                   questionnaire_state: Optional[Mapping[str, Any]] = None,
                   field_links: Optional[Mapping[str, str]] = None,
                   url: Optional[str] = None, *, base_revision: Optional[int] = None) -> int:
    """Merge answers into these cases' stored answers, in one locked transaction, and
    return the new answers_revision (bumped on every save).

    `answers` is a Changes (what a writer changed: bot/answer_merge.py), or linkId ->
    value to set, with questionnaire_state holding walk-through keys to set. Answers
    not named stay as stored. base_revision: the revision the writer read; an answer
    changed after it by someone else raises StaleAnswers and nothing is saved.
    Cases saved together (spine and hip from one chat) share one revision number.
    field_links maps case columns to linkIds, e.g. {"child_first_name": "child.first_name"};
    a column is set when its linkId has a non-empty answer (birth date: date or ISO text)."""
    field_links = dict(field_links or {})
    unknown = set(field_links) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"cannot fill {sorted(unknown)} from answers")
    change = answers if isinstance(answers, Changes) else Changes(
        answers=dict(answers), walk=dict(questionnaire_state or {}))
    change = replace(change, answers=_jsonable(change.answers), walk=_jsonable(change.walk))
    with session_scope(url) as session:
        # One lock order: no deadlock between calls.
        locked = [_lock(session, case_id) for case_id in sorted(set(case_ids))]
        revision = max((c.answers_revision or 0 for c in locked), default=0) + 1
        for case in locked:
            case.answers, case.questionnaire_state = merge(
                case.answers or {}, case.questionnaire_state or {}, change, base_revision,
                revision)
            case.answers_revision = revision
            for column, link_id in field_links.items():
                value = case.answers.get(link_id)
                if value in (None, ""):
                    continue
                before = getattr(case, column)
                setattr(case, column, dt.date.fromisoformat(str(value)[:10])
                        if column == "child_birth_date" else str(value).strip())
                if column == "zip_code" and case.zip_code != before:
                    info = lookup_zip(case.zip_code)  # the county goes with the ZIP
                    case.county = info.county if info else None
        return revision


def save_state(case_ids: Iterable[int], before: Mapping[str, Any], after: Mapping[str, Any],
               field_links: Optional[Mapping[str, str]] = None, url: Optional[str] = None,
               base_revision: Optional[int] = None) -> int:
    """Save only what changed from `before` (read with questionnaire_of) to `after`,
    checked against before's revision unless base_revision is given. Returns the
    revision the cases now have (before's when nothing changed)."""
    base = before.get("revision") if base_revision is None else base_revision
    change = changes(before, after)
    if not change:
        return int(before.get("revision") or 0)
    return update_answers(case_ids, change, field_links=field_links, url=url,
                          base_revision=base)


def mark_received(case_id: int, kind: str, when: Optional[dt.datetime] = None,
                  url: Optional[str] = None) -> bool:
    """Tick one checklist item (the first time counts) and move the status on.
    True when this call made the case documents_received (send the confirmation)."""
    checklist.check_kind(kind)
    with session_scope(url) as session:
        return _mark(session, _lock(session, case_id), kind, when or utcnow())


def add_document(case_id: int, kind: str, original_name: str, stored_name: str,
                 content_type: str, size: int, sha256: str, flags: Optional[dict] = None,
                 when: Optional[dt.datetime] = None, url: Optional[str] = None) -> Received:
    """Record a stored upload; referral / medical_records / imaging tick their item."""
    if kind not in checklist.DOCUMENT_KINDS + checklist.UNSORTED_DOCUMENT_KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    when = when or utcnow()
    with session_scope(url) as session:
        case = _lock(session, case_id)
        doc = Document(case_id=case.id, kind=kind, original_name=original_name[:255],
                       stored_name=stored_name, content_type=content_type, size=size,
                       sha256=sha256, received_at=when, flags=_jsonable(flags or {}))
        session.add(doc)
        session.flush()
        done = kind in checklist.DOCUMENT_KINDS and _mark(session, case, kind, when)
        return Received(doc.id, done)


def upload_usage(case_id: int, url: Optional[str] = None) -> tuple[int, int]:
    """(files, bytes) stored for the case so far."""
    with session_scope(url) as session:
        count, total = session.query(func.count(Document.id), func.coalesce(
            func.sum(Document.size), 0)).filter(Document.case_id == case_id).one()
        return int(count), int(total)


def record_consent(case_id: int, signer_name: str, text_version: str, text_sha256: str,
                   ip: Optional[str] = None, user_agent: Optional[str] = None,
                   when: Optional[dt.datetime] = None, url: Optional[str] = None,
                   signed_text: Optional[str] = None) -> Received:
    """Store an e-signed financial consent (with the exact words signed, since the fee
    and phone filled into a version can change later) and tick financial_consent."""
    when = when or utcnow()
    with session_scope(url) as session:
        case = _lock(session, case_id)
        same = session.query(Consent).filter(
            Consent.case_id == case.id, Consent.text_sha256 == text_sha256,
            Consent.signer_name == signer_name).order_by(Consent.id.desc()).first()
        if same is not None:  # a second click or a replayed post: one signature is enough
            return Received(same.id, False)
        row = Consent(case_id=case.id, signer_name=signer_name, signed_at=when, ip=ip,
                      user_agent=(user_agent or "")[:512] or None, text_version=text_version,
                      text_sha256=text_sha256, signed_text=signed_text)
        session.add(row)
        session.flush()
        return Received(row.id, _mark(session, case, checklist.FINANCIAL_CONSENT, when))


def add_flag(case_ids: Iterable[int], flag: str, url: Optional[str] = None) -> None:
    """Mark cases for the coordinator (e.g. "red_flag"); the first time is kept."""
    with session_scope(url) as session:
        for case_id in case_ids:
            case = _lock(session, case_id)
            if flag not in (case.flags or {}):
                case.flags = {**(case.flags or {}), flag: utcnow().isoformat(timespec="seconds")}


def change_program(case_id: int, program: str, url: Optional[str] = None) -> bool:
    """"Wrong one, it's his hip": the case becomes the other program's (the reference
    stays), only while nothing is in yet (no document, no signed fee agreement, no
    coordinator status). False: the coordinator switches it."""
    program = checklist.check_program(program)
    with session_scope(url) as session:
        case = _lock(session, case_id)
        signed = session.query(Consent).filter(Consent.case_id == case.id).first()
        if case.status != checklist.INTAKE_STARTED or case.documents or signed is not None:
            return False
        case.program = program
        return True


def revoke_links(case_id: int, url: Optional[str] = None, forget_sends: bool = False) -> int:
    """Invalidate every upload link sent so far; returns the version new links carry.
    forget_sends=True (the coordinator reopened the case) also clears the re-send count."""
    with session_scope(url) as session:
        case = _lock(session, case_id)
        if forget_sends:
            case.link_sends = []
        case.link_token_version += 1
        return case.link_token_version


RESEND_WINDOW = dt.timedelta(hours=24)


def resend_links(case_ids: Iterable[int], per_day: int, now: Optional[dt.datetime] = None,
                 url: Optional[str] = None) -> Optional[dict[int, int]]:
    """A parent asked for a fresh link: revoke the older ones and record the time, unless
    a case already had per_day re-sends in the last 24 hours (then None, nothing changes).
    A parent's cases (spine and hip) go together. Returns case id -> new link version."""
    now = now or utcnow()
    with session_scope(url) as session:
        locked = [_lock(session, case_id) for case_id in sorted(set(case_ids))]
        recent = {case.id: [t for t in (case.link_sends or [])
                            if now - dt.datetime.fromisoformat(t) < RESEND_WINDOW]
                  for case in locked}
        if any(len(times) >= per_day for times in recent.values()):
            return None
        for case in locked:  # only recent times are kept
            case.link_sends = recent[case.id] + [now.isoformat(timespec="seconds")]
            case.link_token_version += 1
        return {case.id: case.link_token_version for case in locked}


def link_version(case_id: int, url: Optional[str] = None) -> int:
    with session_scope(url) as session:
        return _get(session, case_id).link_token_version


def conversation_of(case_id: int, url: Optional[str] = None) -> str:
    """The conversation the case came from: where its links are sent."""
    with session_scope(url) as session:
        return _get(session, case_id).conversation_id


def questionnaire_of(case_id: int, url: Optional[str] = None) -> dict:
    """{"answers", "state", "revision"} to resume the walk-through or prefill the web form:
    state is the whole walk-through (answers included) with its "revision"."""
    with session_scope(url) as session:
        case = _get(session, case_id)
        answers = dict(case.answers or {})
        state = {k: v for k, v in (case.questionnaire_state or {}).items()
                 if k not in ("answers", "revisions")}  # older rows kept a copy of answers
        revision = case.answers_revision or 0
        return {"answers": answers, "state": {**state, "answers": dict(answers),
                                              "revision": revision},
                "revision": revision}


def cases_for_conversation(conversation_id: str, url: Optional[str] = None) -> list[dict]:
    with session_scope(url) as session:
        rows = session.execute(_with_checklist().where(Case.conversation_id == conversation_id)
                               .order_by(Case.id)).scalars()
        return [_summary(c) for c in rows]


def list_cases(status: Optional[str] = None, url: Optional[str] = None) -> list[dict]:
    """Newest first, as GET /api/cases returns them."""
    with session_scope(url) as session:
        query = _with_checklist().order_by(Case.created_at.desc(), Case.id.desc())
        if status:
            query = query.where(Case.status == status)
        return [_summary(c) for c in session.execute(query).scalars()]


def case_summary(case_id: int, url: Optional[str] = None) -> dict:
    with session_scope(url) as session:
        return _summary(_get(session, case_id))


def case_detail(case_id: int, url: Optional[str] = None) -> dict:
    """The summary plus answers (linkId -> value) and documents."""
    with session_scope(url) as session:
        case = _get(session, case_id)
        return {**_summary(case), "answers": dict(case.answers or {}),
                "documents": [{"id": d.id, "name": d.original_name, "kind": d.kind,
                               "content_type": d.content_type, "size": d.size,
                               "sha256": d.sha256, "received_at": _iso(d.received_at),
                               "flags": dict(d.flags or {})} for d in case.documents]}


# --- internals ---------------------------------------------------------------------------

def _with_checklist():
    return select(Case).options(selectinload(Case.checklist))


def _get(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise LookupError(f"no case {case_id}")
    return case


def _lock(session: Session, case_id: int) -> Case:
    """Write first, then read: serialises concurrent updates of one case on both databases."""
    result = session.execute(update(Case).where(Case.id == case_id).values(updated_at=utcnow())
                             .execution_options(synchronize_session=False))
    if result.rowcount == 0:
        raise LookupError(f"no case {case_id}")
    return _get(session, case_id)


def _mark(session: Session, case: Case, kind: str, when: dt.datetime) -> bool:
    items = {item.kind: item for item in case.checklist}
    item = items.get(kind)
    if item is None:
        item = ChecklistItem(kind=kind, status=checklist.MISSING, required=True)
        case.checklist.append(item)
        items[kind] = item
    if item.status != checklist.RECEIVED:
        item.status, item.received_at = checklist.RECEIVED, when
    before = case.status
    case.status = checklist.next_status(
        before, [k for k, i in items.items() if i.status == checklist.RECEIVED],
        [k for k, i in items.items() if i.required])
    if case.status == checklist.DOCUMENTS_RECEIVED and case.documents_received_at is None:
        case.documents_received_at = when  # the coordinator queue's due date counts from here
    session.flush()
    return before != checklist.DOCUMENTS_RECEIVED and case.status == checklist.DOCUMENTS_RECEIVED


def _summary(case: Case) -> dict:
    order = {kind: n for n, kind in enumerate(checklist.KINDS)}
    items = sorted(case.checklist, key=lambda i: (order.get(i.kind, len(order)), i.id or 0))
    return {
        "id": case.id, "reference": case.reference, "program": case.program,
        "status": case.status, "channel": case.channel, "linked_case_id": case.linked_case_id,
        "created_at": _iso(case.created_at), "updated_at": _iso(case.updated_at),
        "child": {"first_name": case.child_first_name, "last_name": case.child_last_name,
                  "birth_date": case.child_birth_date.isoformat()
                  if case.child_birth_date else None},
        "guardian": {"name": case.guardian_name, "phone": case.guardian_phone,
                     "email": case.guardian_email},
        "zip": case.zip_code, "county": case.county,
        # What the coordinator must see first: {"red_flag": "2026-11-30T10:00:00", ...}
        "flags": dict(case.flags or {}),
        "checklist": [{"kind": i.kind, "status": i.status, "required": bool(i.required),
                       "received_at": _iso(i.received_at)} for i in items],
    }


def _iso(value: Optional[dt.datetime]) -> Optional[str]:
    """Stored naive UTC -> '2026-03-05T14:02:11Z'."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value
