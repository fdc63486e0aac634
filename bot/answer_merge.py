"""Questionnaire answers saved answer by answer, by the chat and the web form alike.

The case row holds the one copy of the answers (cases.answers) and of the walk-through
state (cases.questionnaire_state). A writer reads both, applies what the parent did,
and sends back only what it changed (`changes`); cases.update_answers merges that into
the stored answers under the case's row lock (`merge`). Pure Python, no database.

Stale writes: every save bumps cases.answers_revision, and the stored state keeps, per
linkId, the revision that last changed it ("revisions"). A writer says which revision
it read. Answers changed by different writers never conflict: both are kept. If an
answer this writer changes was changed by someone else after that revision, the whole
write is refused (StaleAnswers) rather than settled last-writer-wins, because a web
form posts every field, also those the parent never touched: last-writer-wins would
silently put back what the page showed when it was opened. The writer then reads
again: the chat applies the parent's message once more to the newer answers (its
read-then-write is one turn), the web form keeps the newer answer and shows it to
the parent to check (bot/portal/form.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

SKIPPED, UNKNOWN = "skipped", "unknown"
MARKS = (SKIPPED, UNKNOWN)
ANSWER = "answer"
# Keys kept per answer (or for bookkeeping): never copied whole from a writer's state.
PER_ANSWER = ("answers", SKIPPED, UNKNOWN, "revisions", "revision")

Entry = tuple  # (ANSWER, value) | (SKIPPED, None) | (UNKNOWN, None) | (None, None)


class StaleAnswers(Exception):
    """Answers this writer changed were changed by someone else after it read them."""

    def __init__(self, link_ids: list[str]):
        super().__init__(f"{len(link_ids)} answer(s) changed since they were read")
        self.link_ids = link_ids


@dataclass
class Changes:
    """What one writer changed: new answers, removed ones, skipped or "not sure" ones,
    and walk-through keys (history, paused, confirmed...; None removes a key)."""

    answers: dict[str, Any] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    walk: dict[str, Any] = field(default_factory=dict)

    def entries(self) -> dict[str, Entry]:
        found: dict[str, Entry] = {f: (None, None) for f in self.removed}
        found.update({f: (SKIPPED, None) for f in self.skipped})
        found.update({f: (UNKNOWN, None) for f in self.unknown})
        found.update({f: (ANSWER, v) for f, v in self.answers.items()})
        return found

    def __bool__(self) -> bool:
        return bool(self.entries() or self.walk)


def entry(state: Mapping[str, Any], link_id: str) -> Entry:
    """One question's stored outcome: answered (with the value), skipped, unknown, none."""
    answers = state.get("answers") or {}
    if link_id in answers:
        return (ANSWER, answers[link_id])
    for mark in MARKS:
        if link_id in (state.get(mark) or []):
            return (mark, None)
    return (None, None)


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """What a writer changed from the state it read (`before`) to its own (`after`)."""
    fields = set()
    for state in (before, after):
        fields |= set(state.get("answers") or {})
        for mark in MARKS:
            fields |= set(state.get(mark) or [])
    out = Changes()
    for link_id in sorted(fields):
        kind, value = entry(after, link_id)
        if (kind, value) == entry(before, link_id):
            continue
        if kind == ANSWER:
            out.answers[link_id] = value
        else:
            (getattr(out, kind) if kind else out.removed).append(link_id)
    keys = (set(before) | set(after)) - set(PER_ANSWER)
    out.walk = {k: after.get(k) for k in sorted(keys) if after.get(k) != before.get(k)}
    if out.entries():  # a changed answer is confirmed again (or not), never by default
        out.walk.setdefault("confirmed", bool(after.get("confirmed")))
    return out


def restore(state: dict, stored: Mapping[str, Any], link_id: str) -> None:
    """Put the stored outcome of one question back into `state`."""
    _set(state.setdefault("answers", {}), {m: state.setdefault(m, []) for m in MARKS},
         link_id, entry(stored, link_id))


def merge(answers: Mapping[str, Any], state: Mapping[str, Any], change: Changes,
          base_revision: Optional[int], revision: int) -> tuple[dict, dict]:
    """The stored (answers, walk-through state) with `change` merged in at `revision`.
    Raises StaleAnswers when an answer it changes was changed after base_revision
    (None: no check, e.g. the coordinator's or a test's own write)."""
    answers = dict(answers)
    state = {k: v for k, v in state.items() if k not in ("answers", "revision")}
    marks = {m: list(state.get(m) or []) for m in MARKS}
    changed_at = dict(state.get("revisions") or {})
    current = {"answers": answers, **marks}
    real = {f: e for f, e in change.entries().items() if entry(current, f) != e}
    if base_revision is not None:
        stale = sorted(f for f in real if changed_at.get(f, 0) > base_revision)
        if stale:
            raise StaleAnswers(stale)
    others_since = base_revision is not None and any(
        rev > base_revision for f, rev in changed_at.items() if f not in real)
    for link_id, new in real.items():
        _set(answers, marks, link_id, new)
        changed_at[link_id] = revision
    walk = change.walk
    for key, value in walk.items():
        if key in PER_ANSWER:
            continue
        if key == "red_flags":  # a warning sign once seen stays seen
            known = list(state.get(key) or [])
            state[key] = known + [f for f in value or [] if f not in known]
        elif value is None:
            state.pop(key, None)
        else:
            state[key] = value
    if real:  # keep the chat's undo stack and offered last name true to the answers
        if "history" not in walk:
            state["history"] = [f for f in state.get("history") or [] if f not in real]
        offer = state.get("offer")
        if offer and "offer" not in walk and {offer.get("link_id"), offer.get("from")} & set(real):
            state.pop("offer")
        if walk.get("confirmed") is not True:
            state["confirmed"] = False
    if walk.get("confirmed") is True and others_since:
        state["confirmed"] = False  # confirmed answers that have changed since
    return answers, {**state, **marks, "revisions": changed_at}


def _set(answers: dict, marks: dict[str, list], link_id: str, new: Entry) -> None:
    kind, value = new
    answers.pop(link_id, None)
    for listed in marks.values():
        if link_id in listed:
            listed.remove(link_id)
    if kind == ANSWER:
        answers[link_id] = value
    elif kind in marks:
        marks[kind].append(link_id)
