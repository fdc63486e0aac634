"""Several facts in one answer: "Mateo Reyes, born 1/30/2013" split into the
current answer and the other questions each part answers."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from bot.questionnaire.answers import PREFER_RE, SKIP, Parsed, clean, parse_answer
from bot.questionnaire.corrections import _CUE_RE, _FREE_TEXT, _target
from bot.questionnaire.model import CHOICE_TYPES, Definition, Item
from bot.questionnaire.prompts import _value_text
from bot.questionnaire.state import Outcome, _askable, _done, _store
from bot.questionnaire.steps import _after
from bot.questionnaire.summary import _top_group


# Breaks between facts: "Mateo Reyes, born 1/30/2013", "... is Noah and last name is Pratt. born ...".
_FACT_SPLIT_RE = re.compile(r"\s*(?:;\s*|,\s*(?:and\s+)?|(?<!\bdr)(?<!\bmr)(?<!\bms)(?<!\bmrs)(?<!\bst)"
                            r"\.\s+|\s+and\s+|\s+but\s+)", re.I)
# Items a fact can be given to by its shape alone (a phone number, a date, an option).
_SHAPED_FORMATS = frozenset("phone email zip child_birth_date partial_date".split())
_POSSESSIVES = frozenset("his her their the its my our".split())


def _facts(definition: Definition, state: dict, current: Item, text: str,
           today: date) -> Optional[list[tuple[Item, Parsed]]]:
    """"Mateo Reyes, born 1/30/2013", "Tia Reyes, his mom, 229-555-0101": the answer to
    the current question first, then each other fact with the question it answers -
    named by keyword ("last name is Pratt"), or by its shape (a phone number, an
    option like "his mom") when the whole message is no answer or the question asks
    a name (names hold no numbers nor "mom"). None unless every part finds its
    question. Long free text is never split."""
    text = clean(text)
    if current.type == "text" or _CUE_RE.match(text):  # "actually, sex is female": a correction
        return None
    parts = [p for p in _FACT_SPLIT_RE.split(text) if p and p.strip()]
    if current.format == "name":
        parts[:1] = _name_and_tail(definition, state, current, parts[0], today)
    if len(parts) < 2:
        return None
    first = parse_answer(current, parts[0], today, state["answers"])
    if not first.is_ok:
        return None
    # A name or free text takes any words, so its parse says nothing about the rest:
    # "Valdosta Pediatrics, 229-555-0150" gives the practice phone by its shape.
    by_shape = current.format == "name" or (current.type in _FREE_TEXT and not current.format) \
        or not parse_answer(current, text, today, state["answers"]).is_ok
    facts, taken, preferred = [(current, first)], {current.link_id}, False
    for part in parts[1:]:
        home = _home(definition, state, current, part, today, by_shape, taken)
        if home is None and preferred and not re.search(r"\d", part):
            continue  # "mornings are better, baby naps after lunch": the reason, no fact
        if home is None:
            return None
        preferred = preferred or bool(PREFER_RE.search(part))
        facts.append(home)
        taken.add(home[0].link_id)
    return facts


def _home(definition: Definition, state: dict, current: Item, part: str, today: date,
          by_shape: bool, taken: set[str]) -> Optional[tuple[Item, Parsed]]:
    """The question one fact answers, with the value."""
    named = _target(definition, state, part, current, today, later=True)
    if named and named.item.link_id not in taken:
        if named.rest and named.parsed.is_ok:
            return named.item, named.parsed
        declined = parse_answer(named.item, part, today, state["answers"])
        if declined.status == SKIP:  # "i dont have email", "no email": nothing to ask later
            return named.item, declined
    if PREFER_RE.search(part):  # "mornings are better": a choice said as preferred, any group
        homes = [(item, parsed) for item in _askable(definition, state)
                 if item.type in CHOICE_TYPES and not item.repeats and not item.hidden
                 and item.link_id not in taken and not _done(state, item.link_id)
                 and isinstance((parsed := parse_answer(item, part, today, state["answers"])).value,
                                str)]
        if len(homes) == 1:
            return homes[0]
    if not by_shape:
        return None
    group = _top_group(definition, current)
    numbered = not re.search(r"[^\W\d_]", part)  # "3" picks from the list just shown only
    for item in _askable(definition, state):
        if numbered and item.type in CHOICE_TYPES:
            continue
        if item.link_id in taken or item.hidden or _top_group(definition, item) is not group \
                or not (item.format in _SHAPED_FORMATS or item.type in ("date", *CHOICE_TYPES)):
            continue
        parsed = parse_answer(item, part, today, state["answers"])
        value = parsed.value if isinstance(parsed.value, list) else [parsed.value]
        if parsed.is_ok and all(isinstance(v, str) for v in value):  # no free text
            return item, parsed
    return None


def _name_and_tail(definition: Definition, state: dict, current: Item, part: str,
                   today: date) -> list[str]:
    """"Jess Walker mom", "Jess Walker (his mom)": the name, and the relationship after
    it as a fact of its own (a name never ends with an option of its group)."""
    words = re.sub(r"[()]", " ", part).split()
    for size in (2, 1):
        tail = words[-size:]
        if len(words) <= size or (size == 2 and tail[0].lower() not in _POSSESSIVES):
            continue
        home = _home(definition, state, current, tail[-1], today, True, {current.link_id})
        if home and home[0].type in CHOICE_TYPES:
            return [" ".join(words[:-size]), " ".join(tail)]
    return [part]


def _store_facts(definition: Definition, state: dict,
                 facts: list[tuple[Item, Parsed]]) -> Outcome:
    """Store the current answer and the other facts; say which other facts were noted."""
    current, parsed = facts[0]
    _store(definition, state, current, parsed)
    state["history"].append(current.link_id)
    noted = []
    for item, value in facts[1:]:
        if not (_done(state, item.link_id) and state["answers"].get(item.link_id) == value.value):
            _store(definition, state, item, value)
            noted.append(f"{item.short_label}: {_value_text(definition, item, state)}")
    prefix = (definition.messages["also_noted"].format(facts="; ".join(noted)),) if noted else ()
    return _after(definition, state, current, parsed, "ask", prefix=prefix)
