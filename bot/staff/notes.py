"""Coordinators' notes on a case (table case_notes). Card numbers and SSNs are replaced
by markers before anything is saved (bot.scrub), so a note never holds them."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select

from bot.db import Case, CaseNote, session_scope
from bot.scrub import scrub
from bot.staff import clock

MAX_CHARS = 4000


@dataclass(frozen=True)
class Added:
    note_id: int
    scrubbed: bool  # something was replaced: tell the coordinator


def add(case_id: int, text: str, author: str, now: Optional[dt.datetime] = None,
        url: Optional[str] = None) -> Added:
    """Raises ValueError for an empty note and LookupError for an unknown case."""
    body = str(text or "").strip()
    if not body:
        raise ValueError("The note is empty.")
    if len(body) > MAX_CHARS:
        raise ValueError(f"A note can be at most {MAX_CHARS:,} characters.")
    cleaned = scrub(body)
    with session_scope(url) as session:
        if session.get(Case, case_id) is None:
            raise LookupError(f"no case {case_id}")
        note = CaseNote(case_id=case_id, at=now or clock.now(), author=author[:64],
                        text=cleaned.text)
        session.add(note)
        session.flush()
        return Added(note.id, cleaned.text != body)


def for_case(case_id: int, url: Optional[str] = None) -> list[dict]:
    """Newest first, as the case page lists them."""
    with session_scope(url) as session:
        return [{"id": n.id, "at": n.at, "author": n.author, "text": n.text}
                for n in session.execute(select(CaseNote).where(CaseNote.case_id == case_id)
                                         .order_by(CaseNote.at.desc(), CaseNote.id.desc()))
                .scalars()]
