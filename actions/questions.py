"""Answers the parent's questions about the service, several per message if asked."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import latest_intent, latest_text
from bot.faq import responses_for


def answer_questions(dispatcher: CollectingDispatcher, tracker: Tracker) -> int:
    responses = responses_for(latest_intent(tracker), latest_text(tracker))
    for response in responses:
        dispatcher.utter_message(response=response)
    return len(responses)


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        if not answer_questions(dispatcher, tracker):
            dispatcher.utter_message(response="utter_help")
        if tracker.active_loop_name or tracker.get_slot("screening_route"):
            return []
        # Not screened yet: offer it, and remember the offer so a typed "yes" works.
        dispatcher.utter_message(response="utter_offer_screening")
        return [SlotSet("offer", "screening")]
