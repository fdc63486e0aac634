"""A parent asks for a person: give the coordinator's number and hours, record a
call-back request, and take the best number to call if the parent wants a call."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import in_thread, latest_intent, latest_text
from actions.questions import answer_questions
from bot import records
from bot.phones import display, extract_phone

DECLINED = "declined"
DECLINE_INTENTS = {"deny", "stop", "goodbye", "thank"}


class ActionHumanHandoff(Action):
    def name(self) -> Text:
        return "action_human_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        dispatcher.utter_message(response="utter_handoff")
        await in_thread(records.save_callback_request, tracker.sender_id, "asked for a person")
        return [SlotSet("callback_phone", None)]


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_callback_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        phone = extract_phone(latest_text(tracker))
        if phone:
            return [SlotSet("callback_phone", phone), SlotSet("requested_slot", None)]
        if latest_intent(tracker) in DECLINE_INTENTS:
            return [SlotSet("callback_phone", DECLINED), SlotSet("requested_slot", None)]
        if tracker.get_slot("requested_slot") is None:
            return []  # form just started: ask the question
        # A question while we wait for the number: answer it, then ask again.
        if not answer_questions(dispatcher, tracker):
            dispatcher.utter_message(response="utter_callback_phone_unclear")
        return [SlotSet("callback_phone", None)]


class ActionCallbackSaved(Action):
    def name(self) -> Text:
        return "action_callback_saved"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        phone = tracker.get_slot("callback_phone")
        if phone and phone != DECLINED:
            await in_thread(records.set_callback_phone, tracker.sender_id, phone)
            dispatcher.utter_message(response="utter_callback_saved", callback_number=display(phone))
        else:
            dispatcher.utter_message(response="utter_callback_declined")
        screening_started = any(tracker.get_slot(s) is not None
                                for s in ("condition", "child_age", "home_zip"))
        if screening_started and not tracker.get_slot("screening_route"):
            dispatcher.utter_message(response="utter_offer_resume_screening")
            return [SlotSet("offer", "screening")]
        return []
