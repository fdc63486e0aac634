"""The medical-history questionnaire in the chat, driven by bot/questionnaire.

One form slot (`intake_complete`) stands for the whole questionnaire: the engine
decides what to ask from the definition, so adding a question needs no code here.
Answers live in the `intake_state` slot (the tracker survives restarts) and in the
case, so the coordinator sees them as they arrive.
"""
from __future__ import annotations

import copy
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import in_thread, latest_intent, latest_text, today
from actions.questions import answer_questions
from bot import intake
from bot.faq import is_question_intent
from bot.questionnaire import engine

# Requests a rule handles before the questionnaire goes on. A typed card is never an
# answer; "call me" or "send the link" only when the message is not a usable answer
# (a bare phone number is often classified as request_human).
NEVER_ANSWERS = {"card_number"}
REQUESTS = {"request_human", "resend_link"}
SURE = 0.9


class ActionStartIntake(Action):
    """Creates the case(s) once (or finds them again) and opens the questionnaire."""

    def name(self) -> Text:
        return "action_start_intake"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        state = tracker.get_slot("intake_state")
        case_ids = tracker.get_slot("case_ids")
        if not case_ids:
            started = await in_thread(intake.start, tracker.sender_id, screening_values(tracker))
            state, case_ids = started.state, started.case_ids
            dispatcher.utter_message(response="utter_intake_intro")
        else:
            state = await in_thread(intake.resume_state, case_ids, state)
            state = {**(state or {}), "paused": False}
            dispatcher.utter_message(text=intake.message("resumed"))
        return [SlotSet("intake_state", state), SlotSet("case_ids", case_ids),
                SlotSet("intake_complete", None), SlotSet("offer", None)]


def screening_values(tracker: Tracker) -> Dict[str, Any]:
    return {"programs": tracker.get_slot("eligible_programs") or [],
            "home_zip": tracker.get_slot("home_zip"),
            "child_birth_date": tracker.get_slot("child_birth_date")}


class ActionAskIntakeComplete(Action):
    """Asks the current question (also after an interruption)."""

    def name(self) -> Text:
        return "action_ask_intake_complete"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        if tracker.get_slot("intake_asked"):
            return [SlotSet("intake_asked", False)]  # the validator already asked
        dispatcher.utter_message(text=intake.current_prompt(tracker.get_slot("intake_state") or {}))
        return []


class ValidateIntakeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_intake_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if tracker.get_slot("requested_slot") is None:
            return []  # just opened: the ask action asks the first question
        intent, text = latest_intent(tracker), latest_text(tracker)
        if intent in NEVER_ANSWERS:
            return []
        state = copy.deepcopy(tracker.get_slot("intake_state") or {})
        outcome = engine.apply(state, text, today())
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0
        if intent in REQUESTS and (outcome.kind == "reask" or (
                confidence >= SURE and not any(ch.isdigit() for ch in text))):
            return []
        if outcome.kind == "reask" and is_question_intent(intent) and answer_questions(dispatcher, tracker):
            return [SlotSet("intake_asked", False)]  # a question, not an answer: ask again
        if outcome.kind == "red_flag" or intent == "red_flag":
            dispatcher.utter_message(response="utter_urgent_care")
        for line in outcome.messages:
            dispatcher.utter_message(text=line)
        await in_thread(intake.save_answers, tracker.get_slot("case_ids") or [], state)
        events = [SlotSet("intake_state", state), SlotSet("intake_asked", True)]
        if outcome.kind == "done":
            return events + [SlotSet("intake_complete", True)]
        if outcome.kind == "web_form":
            return events + [SlotSet("requested_slot", None)]
        # "later" keeps the form open but silent: whatever the parent sends next, even
        # days later, goes back to the engine, which resumes at the same question.
        return events + [SlotSet("intake_complete", None)]


class ActionIntakeFinished(Action):
    """After the questionnaire closes: send the upload link (done or web form chosen)."""

    def name(self) -> Text:
        return "action_intake_finished"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        state = tracker.get_slot("intake_state") or {}
        case_ids = tracker.get_slot("case_ids") or []
        complete = bool(tracker.get_slot("intake_complete"))
        sent = await in_thread(intake.finish, tracker.sender_id, case_ids, state, complete)
        dispatcher.utter_message(response="utter_upload_link" if complete else "utter_web_form_link",
                                 references=sent.references, link=sent.link)
        return [SlotSet("offer", None if complete else "intake")]


class ActionResendLink(Action):
    def name(self) -> Text:
        return "action_resend_link"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        case_ids = tracker.get_slot("case_ids") or []
        if not case_ids:
            dispatcher.utter_message(response="utter_no_case_yet")
            return []
        sent = await in_thread(intake.send_link, tracker.sender_id, case_ids, fresh=True)
        dispatcher.utter_message(response="utter_link_again", link=sent.link)
        return []


