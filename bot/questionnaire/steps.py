"""The outcomes that move the walk on once a message is handled: the next question
(or the confirm step when all are answered), a red flag, or a refused answer asked
again."""
from __future__ import annotations

import re
from typing import Optional

from bot.questionnaire.answers import Parsed
from bot.questionnaire.model import Definition, Item
from bot.questionnaire.prompts import prompt
from bot.questionnaire.state import Outcome, next_item
from bot.questionnaire.summary import confirm_messages


def _after(definition: Definition, state: dict, item: Item, parsed: Parsed, kind: str,
           prefix: tuple[str, ...] = ()) -> Outcome:
    """Next step once `item` got a value: a yes to a red-flag question is flagged so
    the caller sends the urgent-care message first."""
    if item.red_flag and parsed.value is True:
        if item.link_id not in state["red_flags"]:
            state["red_flags"].append(item.link_id)
        kind = "red_flag"
    return _next(definition, state, kind, link_id=item.link_id, prefix=list(prefix))


def _next(definition: Definition, state: dict, kind: str, link_id: Optional[str] = None,
          prefix: Optional[list[str]] = None) -> Outcome:
    """Ask the next question, or - all answered - the confirm step: the short summary
    the first time, only the short ask after that (the summary is never re-sent)."""
    item, prefix, say = next_item(state, definition), prefix or [], definition.messages
    if item is not None:
        return Outcome(kind, item, link_id=link_id,
                       messages=[*prefix, prompt(state, definition, item)])
    state["confirmed"] = False  # every end (or change after the end) is confirmed again
    resumed, kind = kind == "resumed", "confirm" if kind in ("ask", "resumed", "back") else kind
    if state.get("summary_sent"):  # an edit or a new answer: no summary again
        ask = say["ask_confirm" if resumed else "ask_confirm_short"]
        return Outcome(kind, None, link_id=link_id, messages=[*prefix, ask])
    return Outcome(kind, None, link_id=link_id,
                   messages=confirm_messages(state, definition, prefix=prefix))


def _reask(definition: Definition, item: Optional[Item], reason: str,
           link_id: Optional[str] = None, prefix: str = "",
           state: Optional[dict] = None) -> Outcome:
    """Refuse an answer: why, then the question again. A required question the parent
    cannot answer ("idk", "skip") gets why we need it and how to go on instead."""
    say = definition.messages
    if reason == "required" and item is not None and not prefix and "need_it" in say:
        said = re.sub(r"\s+", " ", say["need_it"].format(why=item.why or "")).strip()
        question = prompt(state or {}, definition, item, why=False)
        return Outcome("reask", item, reason=reason, link_id=link_id, messages=[said, question])
    said = " ".join(p for p in (prefix, say.get(reason, "")) if p)
    return Outcome("reask", item, reason=reason, link_id=link_id,
                   messages=[said] + ([prompt(state or {}, definition, item)] if item else []))
