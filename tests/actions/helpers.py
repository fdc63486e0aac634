"""Build rasa_sdk trackers for action tests and run actions synchronously."""
from __future__ import annotations

import asyncio
from typing import Any, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import REPO_ROOT

DOMAIN = yaml.safe_load((REPO_ROOT / "domain.yml").read_text())
SLOT_NAMES = list(DOMAIN["slots"])


def tracker(text: str, intent: Optional[str] = "inform", slots: Optional[dict[str, Any]] = None,
            active_loop: Optional[str] = None, sender: str = "rest:test-parent") -> Tracker:
    all_slots = {name: None for name in SLOT_NAMES}
    all_slots.update(slots or {})
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return Tracker(sender, all_slots, latest, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, t: Tracker) -> tuple[list[dict], list[str]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return events, [m.get("response") for m in dispatcher.messages]


def run_messages(action, t: Tracker) -> tuple[list[dict], list[str]]:
    """Like run(), but each message as its response name or, for plain text, its text."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, DOMAIN))
    return events, [m.get("response") or m.get("text") for m in dispatcher.messages]


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
