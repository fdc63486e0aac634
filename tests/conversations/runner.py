"""Whole conversations written as data (conversations.yml), played against the pure
dialogue or against the running servers, with the same checks:

- every `expect` substring is in the bot's replies to that turn, no `never` one is;
- `stored` values are in the slots (dotted paths: "condition.programs",
  "intake_state.answers.child_first_name") at the end;
- nothing is asked twice: the bot never asks for a screening fact it already has,
  nor asks a questionnaire question again after it was answered.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import yaml

from bot.dialogue.replies import responses
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition

FILE = Path(__file__).parent / "conversations.yml"
REWIND = re.compile(r"^\s*(go )?back\b|\bundo\b|\b(start over|start again|restart)\b", re.I)
# The screening questions, by the fact they ask for.
ASKS = {"condition": "utter_ask_condition", "child_age": "utter_ask_child_age",
        "home_zip": "utter_ask_home_zip"}


def load(path: Path = FILE) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]


def lookup(slots: dict, path: str) -> Any:
    value: Any = slots
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _ask_text(name: str) -> str:
    return responses()[name][0]["text"].split("?")[0]


@dataclass
class Played:
    transcript: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def show(self) -> str:
        return "\n".join(f"PARENT: {p}\nBOT: {b}" for p, b in self.transcript)


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, (int, float)) and isinstance(value, (int, float)) and not isinstance(wanted, bool):
        return abs(value - wanted) < 0.6
    if isinstance(wanted, str) and wanted.startswith("~"):
        return value is not None and wanted[1:].lower() in str(value).lower()
    return value == wanted


def play(conversation: dict, say: Callable[[str], str], slots: Callable[[], dict]) -> Played:
    played = Played()
    definition = load_definition()
    rewind = False
    for n, step in enumerate(conversation["turns"], 1):
        before = copy.deepcopy(slots())
        reply = say(step["say"])
        played.transcript.append((step["say"], reply))
        low = reply.lower()
        for want in step.get("expect", []):
            if want.lower() not in low:
                played.problems.append(f"turn {n}: expected {want!r}")
        for bad in step.get("never", []):
            if bad.lower() in low:
                played.problems.append(f"turn {n}: must not say {bad!r}")
        # "back" and "start over" (and the yes that confirms it) ask again on purpose.
        now = bool(REWIND.search(step["say"]))
        if not (now or rewind):
            played.problems += [f"turn {n}: {p}" for p in asked_again(before, reply, definition)]
        rewind = now
    final = slots()
    for path, wanted in (conversation.get("stored") or {}).items():
        value = lookup(final, path)
        if not _matches(value, wanted):
            played.problems.append(f"stored {path} = {value!r}, expected {wanted!r}")
    return played


def asked_again(before: dict, reply: str, definition) -> list[str]:
    problems = []
    for slot, name in ASKS.items():
        known = before.get(slot) is not None or (
            slot == "home_zip" and (before.get("dialogue") or {}).get("place"))
        if slot == "condition" and known and (before.get(slot) or {}).get("kind") != "program":
            known = False
        if known and _ask_text(name) in reply:
            problems.append(f"asked again for {slot} ({before.get(slot)!r} known)")
    answers = ((before.get("intake_state") or {}).get("answers")) or {}
    for item in definition.questions():
        if item.link_id in answers and not item.hidden and item.text in reply \
                and not re.search(r"(changed|change|back|starts over)", reply, re.I):
            problems.append(f"asked again: {item.link_id}")
    return problems
