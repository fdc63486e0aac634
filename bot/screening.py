"""The screening conversation's rules, independent of Rasa.

`read_message` turns one parent message into slot values for whichever screening
questions it answers (in any order, several at once) plus what went wrong with the
question we asked. The Rasa form validator is a thin wrapper around it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from bot.answers import AnswerError, extract_age, extract_zip
from bot.location import lookup_zip
from bot.programs import ConditionMatch, load_catalogue

SLOTS = ("condition", "child_age", "home_zip")

# Intents that are questions or requests, not answers: the form hands them to rules
# unless the same message also answered something.
NON_ANSWER_INTENTS = frozenset({
    "ask_what_is", "ask_reviewers", "ask_timeline", "ask_become_patient",
    "ask_meet_in_person", "ask_visit_options", "ask_cost", "ask_insurance",
    "ask_payment", "ask_documents", "request_human", "red_flag", "card_number",
    "stop", "ask_medical_advice", "bot_challenge", "help", "greet", "goodbye", "resend_link",
    "thank", "affirm",
})

# Button choices offered with the condition question (also typed as 1-4).
CONDITION_CHOICES = {
    "1": "spine condition", "2": "hip condition", "3": "something else", "4": "not diagnosed yet",
}
_OTHER_CHOICE = re.compile(r"^\s*(3|something else|other|another (problem|condition)|neither)\s*[.!]?\s*$", re.I)


@dataclass
class Reading:
    """What one message contributed to the screening."""
    values: dict[str, Any] = field(default_factory=dict)
    problem: Optional[str] = None  # reason code for the asked question, e.g. "zip_unknown"


def condition_value(match: ConditionMatch) -> dict[str, Any]:
    return {"kind": match.kind, "conditions": [c.key for c in match.conditions],
            "programs": list(match.programs), "other": list(match.other)}


def match_from_value(value: dict[str, Any]) -> ConditionMatch:
    catalogue = load_catalogue()
    by_key = {c.key: c for p in catalogue.programs.values() for c in p.conditions}
    return ConditionMatch(kind=value["kind"],
                          conditions=tuple(by_key[k] for k in value.get("conditions", []) if k in by_key),
                          other=tuple(value.get("other", [])))


def _read_condition(text: str, asked: bool) -> Optional[dict[str, Any]]:
    if asked:
        choice = CONDITION_CHOICES.get(text.strip().rstrip("."))
        if choice:
            text = choice
        if _OTHER_CHOICE.match(text):
            return {"kind": "other", "conditions": [], "programs": [], "other": ["unspecified"]}
    match = load_catalogue().match(text)
    return condition_value(match) if match else None


def read_message(text: str, requested: Optional[str], today: dt.date,
                 known: Optional[dict[str, Any]] = None) -> Reading:
    """Extract every screening answer in `text`; judge the requested one."""
    known = known or {}
    reading = Reading()
    text = text or ""

    zip_code = extract_zip(text)
    if zip_code:
        info = lookup_zip(zip_code)
        if info:
            reading.values["home_zip"] = info.zip
        elif requested == "home_zip":
            reading.problem = "zip_unknown"
    elif requested == "home_zip":
        reading.problem = "zip_unclear"

    # Without a ZIP in the way, a bare number answers the age question only when asked.
    age_text = text.replace(zip_code, " ") if zip_code else text
    if requested == "child_age" or not re.fullmatch(r"\s*\d+\s*", age_text):
        try:
            age = extract_age(age_text, today)
        except AnswerError as err:
            age = None
            if requested == "child_age":
                reading.problem = f"age_{err.reason}"
        if age is not None:
            reading.values["child_age"] = round(age.years, 2)
            if age.birth_date:
                reading.values["child_birth_date"] = age.birth_date.isoformat()
        elif requested == "child_age" and not reading.problem:
            reading.problem = "age_unclear"

    condition = _read_condition(age_text, asked=requested == "condition")
    if condition and not (known.get("condition") and requested != "condition"
                          and condition["kind"] != "program"):
        # A stray "idk" while we ask for a ZIP must not overwrite a known diagnosis.
        reading.values["condition"] = condition
    elif requested == "condition" and not condition:
        reading.problem = "condition_unclear"

    if requested in reading.values:
        reading.problem = None
    return reading


def required_slots(values: dict[str, Any], max_age: float) -> list[str]:
    """Skip questions whose answer cannot change the outcome."""
    condition = values.get("condition")
    if condition and condition.get("kind") != "program":
        return ["condition"]
    age = values.get("child_age")
    if age is not None and age >= max_age:
        return ["condition", "child_age"]
    return list(SLOTS)
