"""What the chat says for one question or value: the question's SMS, a stored
value as the parent would say it, and the "Changed: ..." line."""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from bot.phones import display as phone_display
from bot.questionnaire.model import CHOICE_TYPES, Definition, Item, load_definition
from bot.questionnaire.state import _done, _offered, ensure_state, next_item


def prompt(state: dict, definition: Optional[Definition] = None,
           item: Optional[Item] = None, why: bool = True) -> str:
    """The message that asks `item` (default: the current question) - the plain
    question, or the offered last name ("Is Thompson the last name? ..."); at the
    confirm step the ask."""
    definition = definition or load_definition()
    state = ensure_state(state)
    item = item or next_item(state, definition)
    if item is None:
        return definition.messages["ask_confirm"]
    offer = _offered(state, item)
    if offer and not _done(state, item.link_id) and "offer_last_name" in definition.messages:
        return definition.messages["offer_last_name"].format(value=offer["value"])
    return render(item, definition, why=why)


def render(item: Item, definition: Optional[Definition] = None, why: bool = True) -> str:
    """The SMS for one question: question, why we ask, numbered choices, hints."""
    say = (definition or load_definition()).messages
    lines = [" ".join(p for p in (item.text, item.why if why else None) if p)]
    if item.type == "boolean":
        lines.append("1) Yes 2) No")
    elif item.options:
        lines.append(" ".join(f"{n}) {o.display}" for n, o in enumerate(item.options, 1)))
    if item.type == "open-choice":
        lines.append(say["hint_own_answer"])
    if not item.required:
        lines.append(say["hint_skip"])
    return "\n".join(lines)


def display_value(item: Item, value: Any) -> str:
    """A stored value as the parent would say it."""
    if isinstance(value, list):
        return ", ".join(display_value(item, v) for v in value)
    if isinstance(value, dict):
        return str(value.get("text", ""))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if item.type in CHOICE_TYPES and item.option(str(value)):
        return item.option(str(value)).display
    if item.format == "phone":
        return phone_display(value)
    return _date_text(str(value)) if item.type == "date" else str(value)


def _date_text(iso: str) -> str:
    """2012-04-02 -> Apr 2, 2012; 2023-03 -> Mar 2023 (partial dates stay partial)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = date(parts[0], parts[1], 1).strftime("%b")
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{month} {parts[2]}, {parts[0]}"

def _changed_line(definition: Definition, item: Item, state: dict) -> str:
    """"Changed: Family history of spine curves: Yes" (after the summary was sent)."""
    return definition.messages["changed_line"].format(
        label=item.short_label, value=_value_text(definition, item, state))


def _value_text(definition: Definition, item: Item, state: dict) -> str:
    link = item.link_id
    if link in state["answers"]:
        return display_value(item, state["answers"][link])
    return definition.messages["skipped" if link in state["skipped"] else "unknown"]
