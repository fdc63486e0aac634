"""The answers as a FHIR QuestionnaireResponse, and the questionnaire as a web form.

The upload page shows the same definition as the chat, prefilled with the chat's
answers, and checks a posted form with the same `parse_answer` rules, so a value
refused in the chat is refused on the page too.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Optional, Union

from bot.phones import display as phone_display
from bot.questionnaire import engine
from bot.questionnaire.answers import ERROR, SKIP, Parsed, parse_answer
from bot.questionnaire.model import CHOICE_TYPES, Definition, Item, enabled, load_definition

# Item type -> QuestionnaireResponse answer value[x]; choices become valueCoding.
VALUE_KEYS = {"string": "valueString", "text": "valueString", "date": "valueDate",
              "integer": "valueInteger", "decimal": "valueDecimal", "boolean": "valueBoolean"}
OTHER_SUFFIX = "_other"  # form field holding an open-choice free-text answer
# Hidden form field saying the question was on the page: browsers post nothing for
# a radio or checkbox group left empty, which must not be mistaken for "not shown".
SHOWN_SUFFIX = "_shown"


# ---------------------------------------------------------------- FHIR export

def to_questionnaire_response(definition: Optional[Definition], state: dict,
                              subject_ref: Optional[str] = None,
                              authored: Union[datetime, str, None] = None) -> dict:
    """FHIR R4 QuestionnaireResponse JSON: enabled, answered items only, nested
    like the questionnaire's groups; "completed" once nothing is left to ask."""
    definition = definition or load_definition()
    state = engine.ensure_state(state)
    canonical = f"{definition.url}|{definition.version}" if definition.version else definition.url
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical,
        "status": "completed" if engine.next_item(state, definition) is None else "in-progress",
    }
    if subject_ref:
        response["subject"] = {"reference": subject_ref}
    if authored:
        response["authored"] = authored if isinstance(authored, str) else authored.isoformat()
    items = _response_items(definition, definition.items, state["answers"])
    if items:  # FHIR JSON has no empty arrays
        response["item"] = items
    return response


def _response_items(definition: Definition, items: tuple[Item, ...],
                    answers: dict[str, Any]) -> list[dict]:
    out = []
    for item in items:
        if not enabled(definition, item, answers):
            continue  # an answer to a question no longer asked is not exported
        if item.type == "group":
            children = _response_items(definition, item.children, answers)
            if children:
                out.append({"linkId": item.link_id, "text": item.text, "item": children})
        elif item.is_question and item.link_id in answers:
            value = answers[item.link_id]
            values = value if isinstance(value, list) else [value]
            out.append({"linkId": item.link_id, "text": item.text,
                        "answer": [_answer_value(item, v) for v in values]})
    return out


def _answer_value(item: Item, value: Any) -> dict:
    if isinstance(value, dict):  # open-choice free text
        return {"valueString": str(value.get("text", ""))}
    if item.type in CHOICE_TYPES:
        option = item.option(str(value))
        if option is None:
            return {"valueString": str(value)}
        return {"valueCoding": {"code": option.code, "display": option.display}}
    return {VALUE_KEYS.get(item.type, "valueString"): value}


# ---------------------------------------------------------------- web form

def _input_kind(item: Item) -> str:
    """The HTML control a template should draw for the item."""
    if item.type in CHOICE_TYPES:
        return "checkbox" if item.repeats else "radio"
    return {"boolean": "radio", "text": "textarea", "integer": "number", "decimal": "number",
            "date": "text" if item.format == "partial_date" else "date",
            }.get(item.type) or {"phone": "tel", "email": "email"}.get(item.format or "", "text")


def _form_value(item: Item, value: Any) -> Union[str, list[str]]:
    """A stored answer as the form control's value."""
    if value is None:
        return [] if item.repeats else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return [v if isinstance(v, str) else "" for v in value]
    if isinstance(value, dict):
        return ""  # shown in the "other" box instead
    if item.format == "phone":
        return phone_display(value)
    return str(value)


def _other_text(value: Any) -> str:
    values = value if isinstance(value, list) else [value]
    return ", ".join(v["text"] for v in values if isinstance(v, dict))


def _options(item: Item, value: Any) -> list[dict]:
    if item.type == "boolean":
        return [{"value": "yes", "label": "Yes", "selected": value is True},
                {"value": "no", "label": "No", "selected": value is False}]
    chosen = value if isinstance(value, list) else [value]
    return [{"value": o.code, "label": o.display, "selected": o.code in chosen}
            for o in item.options]


def web_form_fields(definition: Optional[Definition], state: dict,
                    errors: Optional[dict[str, str]] = None) -> list[dict]:
    """Sections (one per top-level group) of fields a Jinja template can draw:
    name (= linkId), label, type, input, options, value, required, why, enabled,
    shown_name (render as a hidden input), other_name/other_value (open-choice box),
    error (a sentence, when `errors` from apply_form is given)."""
    definition = definition or load_definition()
    state = engine.ensure_state(state)
    sections: list[dict] = []
    for item in definition.questions():
        if item.hidden or item.type == "attachment":
            continue  # hidden ones come from screening; files have their own page
        group = _top_group(definition, item)
        if not sections or sections[-1]["name"] != group.link_id:
            sections.append({"name": group.link_id, "label": group.text, "fields": []})
        value = state["answers"].get(item.link_id)
        reason = (errors or {}).get(item.link_id)
        sections[-1]["fields"].append({
            "name": item.link_id, "label": item.text, "short_label": item.short_label,
            "type": item.type, "input": _input_kind(item), "options": _options(item, value),
            "value": _form_value(item, value), "shown_name": item.link_id + SHOWN_SUFFIX,
            "other_name": item.link_id + OTHER_SUFFIX
            if item.type == "open-choice" else None, "other_value": _other_text(value),
            "required": item.required, "repeats": item.repeats, "why": item.why,
            "enabled": enabled(definition, item, state["answers"]),
            "error": definition.messages.get(reason, reason) if reason else None,
        })
    return sections


def _top_group(definition: Definition, item: Item) -> Item:
    node = item
    while definition.parents[node.link_id] is not None:
        node = definition.parents[node.link_id]
    return node


def _posted_text(item: Item, form: dict) -> str:
    """The posted field(s) as one reply: checked codes and the "other" box joined."""
    raw = form.get(item.link_id)
    parts = raw if isinstance(raw, (list, tuple)) else [raw]
    parts = [*parts, form.get(item.link_id + OTHER_SUFFIX)]
    return ", ".join(str(p).strip() for p in parts if p is not None and str(p).strip())


def apply_form(definition: Optional[Definition], state: dict, form: dict,
               today: Optional[date] = None) -> dict[str, str]:
    """Validate a posted form and store every valid answer in `state`; an empty
    optional field counts as skipped. Returns {linkId: reason code} for the refused
    ones (their old value stays)."""
    definition = definition or load_definition()
    state, today = engine.ensure_state(state), today or date.today()
    errors: dict[str, str] = {}
    # In questionnaire order, so an answer on this form enables the later questions.
    for item in definition.questions():
        if item.hidden or item.type == "attachment" \
                or not enabled(definition, item, state["answers"]):
            continue
        if item.link_id not in form and item.link_id + SHOWN_SUFFIX not in form:
            continue  # not on the posted page: keep what we have
        text = _posted_text(item, form)
        if not text:  # an empty field or no box ticked: no answer
            if item.required:
                errors[item.link_id] = "required"
            else:
                engine.record(state, item, Parsed(SKIP))
            continue
        parsed = parse_answer(item, text, today, state["answers"])
        if parsed.status == ERROR:
            errors[item.link_id] = parsed.reason
        else:
            engine.record(state, item, parsed)
    return errors
