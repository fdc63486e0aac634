"""The coordinator's statuses after the automatic ones (bot/checklist.py), and the one
table of allowed moves. `change` checks the move, writes the status, the timeline row
(case_status_changes) and the audit row in one go; anything else raises Refused.

documents_received -> fee_collected -> assigned (spine or hip team) -> in_review
                   -> opinion_sent -> closed
withdrawn / not_eligible: from any open status. closed, withdrawn, not_eligible: final.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from sqlalchemy import select, update

from bot import checklist
from bot.db import Case, CaseStatusChange, session_scope
from bot.programs import load_catalogue
from bot.scrub import scrub
from bot.staff import audit, clock
from bot.staff.users import COORDINATOR

FEE_COLLECTED = "fee_collected"
ASSIGNED = "assigned"
IN_REVIEW = "in_review"
OPINION_SENT = "opinion_sent"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
NOT_ELIGIBLE = "not_eligible"
COORDINATOR_STATUSES = (FEE_COLLECTED, ASSIGNED, IN_REVIEW, OPINION_SENT, CLOSED,
                        WITHDRAWN, NOT_ELIGIBLE)
FINAL = (CLOSED, WITHDRAWN, NOT_ELIGIBLE)
# Every status a case can have, in workflow order (the queue's status filter).
ALL_STATUSES = checklist.AUTOMATIC_STATUSES + COORDINATOR_STATUSES
# The 10-day clock is for the opinion: once it is sent, or the case ended, nothing is due.
NO_DUE_DATE = (OPINION_SENT,) + FINAL
ENDINGS = (WITHDRAWN, NOT_ELIGIBLE)
# The fee is taken once every item is in: moving a case out of the automatic statuses
# earlier would stop checklist.next_status (and the due date) for good.
_FORWARD = {
    checklist.DOCUMENTS_RECEIVED: (FEE_COLLECTED,),
    FEE_COLLECTED: (ASSIGNED,),
    ASSIGNED: (IN_REVIEW,),
    IN_REVIEW: (OPINION_SENT,),
    OPINION_SENT: (CLOSED,),
}
TRANSITIONS = {status: (_FORWARD.get(status, ()) + ENDINGS if status not in FINAL else ())
               for status in ALL_STATUSES}
LABELS = {s: s.replace("_", " ").capitalize() for s in TRANSITIONS}
MAX_DETAIL = 500


class Refused(Exception):
    """A move the table does not allow, or details that cannot be kept."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Changed:
    case_id: int
    from_status: str
    to_status: str
    at: dt.datetime
    change_id: int


def allowed(status: str) -> list[str]:
    return list(TRANSITIONS.get(status, ()))


def clean_text(value: Any, what: str, limit: int = MAX_DETAIL) -> str:
    """Free text staff type: never card numbers or SSNs (refused, not silently cut)."""
    text = " ".join(str(value or "").split())[:limit]
    if scrub(text).text != text:
        raise Refused(f"The {what} looks like it holds a card number or a Social Security "
                      "number. Never write payment card details here; please remove it.")
    return text


def fee_warning(program: str, amount: int) -> str:
    """Not a refusal: a different amount may be right (an agreed reduction)."""
    found = load_catalogue().programs.get(program)
    if found and amount != found.fee_usd:
        return f"The {program} review fee is ${found.fee_usd:,}; ${amount:,} was recorded."
    return ""


def fee_details(collected_on: str, amount: str, collected_by: str,
                today: dt.date) -> dict:
    """The fee form's fields checked: a past or today's date, whole dollars, a name."""
    try:
        day = dt.date.fromisoformat(str(collected_on or "").strip())
    except ValueError:
        raise Refused("Please give the date the fee was paid (YYYY-MM-DD).") from None
    if day > today or day < today - dt.timedelta(days=366):
        raise Refused("The date the fee was paid must be within the past year.")
    raw = clean_text(amount, "amount", 20).lstrip("$").replace(",", "")
    if not raw.isdigit() or not 0 < int(raw) <= 100000:
        raise Refused("Please give the amount in whole dollars, for example 500.")
    who = clean_text(collected_by, "name of who collected it", 64)
    if not who:
        raise Refused("Please say who collected the fee.")
    return {"collected_on": day.isoformat(), "amount_usd": int(raw), "collected_by": who}


def change(case_id: int, to: str, actor: str, role: str,
           details: Optional[Mapping[str, Any]] = None, now: Optional[dt.datetime] = None,
           url: Optional[str] = None, ip: Optional[str] = None) -> Changed:
    """Move the case to `to`, or raise Refused (LookupError for an unknown case)."""
    if role != COORDINATOR:
        raise Refused("Only a coordinator can change a case's status.")
    details = dict(details or {})
    now = now or clock.now()
    with session_scope(url) as session:
        # Write first (serialises two coordinators on one case), then read.
        found = session.execute(update(Case).where(Case.id == case_id)
                                .values(updated_at=now)
                                .execution_options(synchronize_session=False))
        if found.rowcount == 0:
            raise LookupError(f"no case {case_id}")
        case = session.execute(select(Case).where(Case.id == case_id)).scalar_one()
        current = case.status
        if to not in allowed(current):
            raise Refused(_refusal(current, to))
        _apply(case, to, details)
        row = CaseStatusChange(case_id=case_id, at=now, actor=actor[:64], action="status",
                               from_status=current, to_status=to, details=details)
        session.add(row)
        session.flush()
        changed = Changed(case_id, current, to, now, row.id)
    audit.record(actor, role, "case.status", case_id=case_id, ip=ip, url=url, at=now,
                 detail={"from": current, "to": to, **details})
    return changed


def _refusal(current: str, to: str) -> str:
    name = LABELS.get(to, to)
    if current in FINAL:
        return f"This case is {LABELS[current].lower()}; its status cannot change any more."
    if to not in TRANSITIONS:
        return f"{to!r} is not a status."
    options = ", ".join(LABELS[s].lower() for s in allowed(current)) or "nothing"
    return (f"A case that is {LABELS.get(current, current).lower()} cannot become "
            f"{name.lower()}; it can become: {options}.")


def _apply(case: Case, to: str, details: dict) -> None:
    """The columns some moves fill in; their details were checked by the caller's form."""
    if to == FEE_COLLECTED:
        for key in ("collected_on", "amount_usd", "collected_by"):
            if key not in details:
                raise Refused("The fee's date, amount and collector are needed.")
        case.fee_collected_on = dt.date.fromisoformat(details["collected_on"])
        case.fee_amount_usd = int(details["amount_usd"])
        case.fee_collected_by = str(details["collected_by"])[:64]
    elif to == ASSIGNED:
        if details.get("team") not in checklist.PROGRAMS:
            raise Refused("Please choose the team: spine or hip.")
        case.assigned_team = details["team"]
    elif to == OPINION_SENT and not details.get("document_id"):
        raise Refused("Attach the opinion letter first.")
    case.status = to


def timeline(case_id: int, url: Optional[str] = None) -> list[dict]:
    """Status changes and messages to the family, oldest first."""
    with session_scope(url) as session:
        rows = session.execute(select(CaseStatusChange)
                               .where(CaseStatusChange.case_id == case_id)
                               .order_by(CaseStatusChange.at, CaseStatusChange.id)).scalars()
        return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action,
                 "from": r.from_status, "to": r.to_status, "details": dict(r.details or {})}
                for r in rows]


def record_event(case_id: int, action: str, actor: str, details: Mapping[str, Any],
                 now: dt.datetime, url: Optional[str] = None) -> None:
    """A timeline row that is not a status change (a message back to the family)."""
    with session_scope(url) as session:
        status = session.execute(select(Case.status).where(Case.id == case_id)).scalar_one()
        session.add(CaseStatusChange(case_id=case_id, at=now, actor=actor[:64],
                                     action=action[:32], from_status=status,
                                     to_status=status, details=dict(details)))
