"""The birth-date gate in front of the upload page.

Wrong tries are counted in the database per case, whatever link version they came
through, so neither a new browser, a server restart nor a fresh link ("send me the
link again") gives more tries. A right answer resets the count unless the case is
already locked; a locked case stays locked until the coordinator unlocks it (unlock(),
POST /api/cases/{id}/unlock-link), and the page tells the parent to call them.

The count lives in portal_gates (migration 0003, keyed by case and link version): the
case-wide count is the row with link_version CASE_WIDE. Rows of real versions are left
from before; the current version's row seeds the case-wide count once, so a link locked
before the upgrade stays locked.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from bot.db import Case, PortalGate, session_scope, utcnow

CASE_WIDE = 0  # link versions start at 1, so 0 never names a real link


@dataclass(frozen=True)
class GateResult:
    ok: bool
    locked: bool
    tries_left: int


def _row_filter(case_id: int):
    return (PortalGate.case_id == case_id, PortalGate.link_version == CASE_WIDE)


def _ensure_row(case_id: int, url: str) -> None:
    with session_scope(url) as session:
        if session.execute(select(PortalGate.id).where(*_row_filter(case_id))).first():
            return
        current = select(Case.link_token_version).where(Case.id == case_id).scalar_subquery()
        before = session.execute(select(func.max(PortalGate.failed_tries)).where(
            PortalGate.case_id == case_id, PortalGate.link_version == current)).scalar()
    try:
        with session_scope(url) as session:
            session.add(PortalGate(case_id=case_id, link_version=CASE_WIDE,
                                   failed_tries=int(before or 0)))
    except IntegrityError:
        pass  # another request made it first


def failed_tries(case_id: int, url: str) -> int:
    _ensure_row(case_id, url)  # a case with no try since the upgrade may hold a lock
    with session_scope(url) as session:
        value = session.execute(select(PortalGate.failed_tries)
                                .where(*_row_filter(case_id))).scalar()
    return int(value or 0)


def is_locked(case_id: int, max_tries: int, url: str) -> bool:
    return failed_tries(case_id, url) >= max_tries


def record_try(case_id: int, correct: bool, max_tries: int, url: str) -> GateResult:
    """Count one birth-date answer. Concurrent tries are serialised by the UPDATE."""
    _ensure_row(case_id, url)
    with session_scope(url) as session:
        where = _row_filter(case_id)
        values = {"failed_tries": 0} if correct else \
            {"failed_tries": PortalGate.failed_tries + 1}  # a right answer never unlocks
        session.execute(update(PortalGate).where(*where, PortalGate.failed_tries < max_tries)
                        .values(**values, last_try_at=utcnow())
                        .execution_options(synchronize_session=False))
        tries = int(session.execute(select(PortalGate.failed_tries).where(*where)).scalar())
    locked = tries >= max_tries
    return GateResult(ok=correct and not locked, locked=locked,
                      tries_left=max(0, max_tries - tries))


def unlock(case_id: int, url: str) -> None:
    """The coordinator checked who is calling: a clean count for the case."""
    _ensure_row(case_id, url)
    with session_scope(url) as session:
        session.execute(update(PortalGate).where(*_row_filter(case_id))
                        .values(failed_tries=0, last_try_at=utcnow())
                        .execution_options(synchronize_session=False))


_MONTHS = {m.lower(): n for n, m in enumerate(
    ("January February March April May June July August September October November "
     "December").split(), 1)}
_MONTHS.update({name[:3]: n for name, n in list(_MONTHS.items())})
_MONTHS["sept"] = 9


def parse_birth_date(text: str, today: Optional[dt.date] = None) -> Optional[dt.date]:
    """2015-03-05 (the date picker), 3/5/2015, 03-05-15, March 5, 2015, 5 Mar 2015."""
    text = (text or "").strip().lower().replace(",", " ")
    today = today or dt.date.today()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        year, month, day = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})", text):
        month, day, year = (int(g) for g in m.groups())
        if len(m.group(3)) == 2:
            year += 2000 if 2000 + year <= today.year else 1900
    else:
        words = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text).split()
        if len(words) != 3:
            return None
        if words[0].isdigit():  # 5 march 2015
            words = [words[1], words[0], words[2]]
        month = _MONTHS.get(words[0].rstrip("."))
        if month is None or not (words[1].isdigit() and re.fullmatch(r"\d{4}", words[2])):
            return None
        day, year = int(words[1]), int(words[2])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
