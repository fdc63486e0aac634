"""The bot's words: domain.yml's responses, filled in here so the dialogue can be
tested without Rasa and every channel sends exactly the same text."""
from __future__ import annotations

import functools
import string
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.programs import fee_values
from bot.settings import REPO_ROOT, get_settings

DOMAIN_FILE = REPO_ROOT / "domain.yml"


@dataclass
class Reply:
    text: str
    buttons: list[dict] = field(default_factory=list)
    name: str = ""  # the domain response it came from ("" for questionnaire text)
    values: dict[str, Any] = field(default_factory=dict)  # what filled it in (privacy.py)

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "buttons": self.buttons, "name": self.name}


@functools.lru_cache(maxsize=1)
def responses() -> dict[str, list[dict]]:
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]


@functools.lru_cache(maxsize=1)
def button_commands() -> frozenset[str]:
    """Intents our own buttons send as "/intent" payloads."""
    return frozenset(button["payload"][1:] for variants in responses().values()
                     for variant in variants for button in variant.get("buttons") or []
                     if str(button.get("payload", "")).startswith("/"))


class _Blank(dict):
    def __missing__(self, key: str) -> str:  # a value we lack is left out, never "{key}"
        return ""


def defaults() -> dict[str, Any]:
    s = get_settings()
    return {**s.contact_slots(), **fee_values(), "max_age": s.max_child_age}


def say(name: str, **values: Any) -> Reply:
    variant = responses()[name][0]
    text = string.Formatter().vformat(variant["text"], (), _Blank({**defaults(), **values}))
    return Reply(text=text, buttons=list(variant.get("buttons") or []), name=name, values=values)


def plain(text: str, buttons: list[dict] | None = None) -> Reply:
    return Reply(text=text, buttons=buttons or [])
