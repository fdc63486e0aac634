"""The birth-date gate in front of the upload page.

Wrong tries are counted in the database per case and link version (migration 0003), so
neither a new browser nor a server restart gives more tries. A right answer resets the
count unless the link is already locked; a locked link stays locked until a new link
version is sent (cases.revoke_links), and the parent is told to call the coordinator.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.db import PortalGate, session_scope, utcnow


@dataclass(frozen=True)
class GateResult:
    ok: bool
    locked: bool
    tries_left: int


def _row_filter(case_id: int, version: int):
    return (PortalGate.case_id == case_id, PortalGate.link_version == version)


def _ensure_row(case_id: int, version: int, url: str) -> None:
    with session_scope(url) as session:
        if session.execute(select(PortalGate.id).where(*_row_filter(case_id, version))).first():
            return
    try:
        with session_scope(url) as session:
            session.add(PortalGate(case_id=case_id, link_version=version, failed_tries=0))
    except IntegrityError:
        pass  # another request made it first


def failed_tries(case_id: int, version: int, url: str) -> int:
    with session_scope(url) as session:
        value = session.execute(select(PortalGate.failed_tries)
                                .where(*_row_filter(case_id, version))).scalar()
        return int(value or 0)


def is_locked(case_id: int, version: int, max_tries: int, url: str) -> bool:
    return failed_tries(case_id, version, url) >= max_tries


def record_try(case_id: int, version: int, correct: bool, max_tries: int,
               url: str) -> GateResult:
    """Count one birth-date answer. Concurrent tries are serialised by the UPDATE."""
    _ensure_row(case_id, version, url)
    with session_scope(url) as session:
        where = _row_filter(case_id, version)
        if correct:  # reset, but never unlock a locked link
            session.execute(update(PortalGate).where(*where, PortalGate.failed_tries < max_tries)
                            .values(failed_tries=0, last_try_at=utcnow())
                            .execution_options(synchronize_session=False))
        else:
            session.execute(update(PortalGate).where(*where, PortalGate.failed_tries < max_tries)
                            .values(failed_tries=PortalGate.failed_tries + 1,
                                    last_try_at=utcnow())
                            .execution_options(synchronize_session=False))
        tries = int(session.execute(select(PortalGate.failed_tries).where(*where)).scalar())
    locked = tries >= max_tries
    return GateResult(ok=correct and not locked, locked=locked,
                      tries_left=max(0, max_tries - tries))


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
