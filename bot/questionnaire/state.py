"""The walk's state dict: a fresh or prefilled state, the next question, progress,
and storing one answer (a first name with a last name in it keeps only the first
and offers the rest)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator, Optional

from bot.questionnaire.answers import OK, SKIP, UNKNOWN, Parsed, parse_answer
from bot.questionnaire.model import Definition, Item, enabled, load_definition


@dataclass
class Outcome:
    # ask | reask | back | corrected | red_flag | paused | resumed | confirm | done | web_form
    kind: str
    item: Optional[Item] = None  # the question to ask now (None: all answered)
    reason: Optional[str] = None  # why the answer was refused (a message code)
    link_id: Optional[str] = None  # the red-flag, corrected or undone question
    messages: list[str] = field(default_factory=list)  # what to send, in order
    question: Optional[str] = None  # "yes. did my card go thru?": the question after the yes


def new_state(prefill: Optional[dict[str, Any]] = None,
              definition: Optional[Definition] = None) -> dict:
    """A fresh state; `prefill` ({"screening.home_zip": "31201", ...}) answers the
    items that name those keys, so the parent is not asked again. A choice takes a
    code or a word the chat would take ("girl"), a number a number ("45 degrees");
    a value the item would refuse is dropped and the item is asked."""
    definition = definition or load_definition()
    state = ensure_state({})
    for item in definition.questions():
        value = (prefill or {}).get(item.prefill) if item.prefill else None
        value = _prefill_value(item, value)
        if value is not None:
            state["answers"][item.link_id] = value
    return state


def _prefill_value(item: Item, value: Any) -> Any:
    if isinstance(value, date):
        value = value.isoformat()
    if value in (None, "") or isinstance(value, (list, dict)):
        return None
    if item.options:
        if item.option(str(value)):
            return str(value)
        parsed = parse_answer(item, str(value), date.today())
        return parsed.value if parsed.is_ok and isinstance(parsed.value, str) else None
    if item.type in ("integer", "decimal", "boolean"):
        if isinstance(value, bool) and item.type == "boolean":
            return value
        if isinstance(value, bool):
            return None
        parsed = parse_answer(item, str(value), date.today())
        return parsed.value if parsed.is_ok else None
    if isinstance(value, str) and item.max_length:
        value = value.strip()[:item.max_length]
    return value


def ensure_state(state: dict) -> dict:
    """Fill in missing keys, so older or hand-made states keep working."""
    state.setdefault("answers", {})
    for key in ("history", "skipped", "unknown", "red_flags"):
        state.setdefault(key, [])
    return state


def _done(state: dict, link_id: str) -> bool:
    return link_id in state["answers"] or link_id in state["skipped"] or link_id in state["unknown"]


def _askable(definition: Definition, state: dict) -> Iterator[Item]:
    """Enabled questions in order; files go through the upload page, not the chat."""
    for item in definition.questions():
        if item.type != "attachment" and enabled(definition, item, state["answers"]):
            yield item


def next_item(state: dict, definition: Optional[Definition] = None) -> Optional[Item]:
    """The first enabled question not yet answered, skipped or prefilled."""
    definition = definition or load_definition()
    state = ensure_state(state)
    return next((i for i in _askable(definition, state) if not _done(state, i.link_id)), None)


def progress(state: dict, definition: Optional[Definition] = None) -> tuple[int, int]:
    """(answered, total) over the questions enabled now; hidden ones not counted."""
    definition = definition or load_definition()
    items = [i for i in _askable(definition, ensure_state(state)) if not i.hidden]
    return sum(_done(state, i.link_id) for i in items), len(items)


def record(state: dict, item: Item, parsed: Parsed) -> None:
    """Store one parsed answer (ok, skip or unknown), replacing any earlier one."""
    _forget(state, item.link_id)
    if parsed.status == OK:
        state["answers"][item.link_id] = parsed.value
    elif parsed.status in (SKIP, UNKNOWN):
        state["skipped" if parsed.status == SKIP else "unknown"].append(item.link_id)


def _forget(state: dict, link_id: str) -> None:
    offer = state.get("offer")
    if offer and link_id in (offer["link_id"], offer["from"]):
        del state["offer"]  # a new first or last name: the offered one is stale
    state["answers"].pop(link_id, None)
    for key in ("skipped", "unknown"):
        if link_id in state[key]:
            state[key].remove(link_id)


# ---------------------------------------------------------------- names

_PARTICLES = frozenset("de del della la le van von der den da di du dos das st st. mac".split())


def _store(definition: Definition, state: dict, item: Item, parsed: Parsed) -> None:
    """record(), and for a first name with more words ("Kayleigh Thompson"): keep the
    first name, and offer the rest when the last-name question comes."""
    record(state, item, parsed)
    value = state["answers"].get(item.link_id)
    if not item.last_name or not isinstance(value, str) or len(value.split()) < 2:
        return
    words = value.split()
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:  # Maria de la Cruz
        cut -= 1
    first, last = " ".join(words[:cut]), " ".join(words[cut:])
    target = definition.item(item.last_name)
    if _done(state, target.link_id):  # known: only drop it when it is the same
        known = state["answers"].get(target.link_id)
        if isinstance(known, str) and known.lower() == last.lower():
            state["answers"][item.link_id] = first
        return
    state["answers"][item.link_id] = first
    state["offer"] = {"link_id": target.link_id, "value": last, "from": item.link_id,
                      "full": value}


def _offered(state: dict, item: Optional[Item]) -> Optional[dict]:
    offer = state.get("offer")
    if item is not None and offer and offer.get("link_id") == item.link_id:
        return offer
    return None
