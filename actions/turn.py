"""The one action that answers every parent message: a thin adapter over
bot.dialogue.turn, which reads the whole message and decides the reply."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import in_thread, latest_text, today
from bot.dialogue.state import SLOTS
from bot.dialogue.turn import turn


class ActionTurn(Action):
    def name(self) -> Text:
        return "action_turn"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        intent = tracker.latest_message.get("intent") or {}
        slots = {name: tracker.get_slot(name) for name in SLOTS}
        result = await in_thread(turn, slots, latest_text(tracker), tracker.sender_id,
                                 intent.get("name"), intent.get("confidence") or 0.0, today())
        for reply in result.replies:
            dispatcher.utter_message(text=reply.text, buttons=reply.buttons or None)
        return [SlotSet(name, value) for name, value in result.slots.items()]
