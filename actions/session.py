"""Session start: keep what the parent told us and load the contact numbers."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import get_settings


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        # Carry answers over: a parent may come back days later (new session).
        carried = [SlotSet(k, v) for k, v in tracker.slots.items()
                   if v is not None and k != "requested_slot"]
        contacts = [SlotSet(k, v) for k, v in get_settings().contact_slots().items()]
        return [SessionStarted(), *carried, *contacts, ActionExecuted("action_listen")]
