"""Screening form: reads answers in any order and gives the eligibility decision."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import in_thread, latest_intent, latest_text, today
from actions.questions import answer_questions
from bot import eligibility, records, screening
from bot.answers import AgeAnswer
from bot.location import lookup_zip
from bot.settings import get_settings

FAILURE_SLOT = "screening_failures"
# After this many unusable answers in a row, offer to stop or to talk to a person.
MAX_FAILURES = 3

PROBLEM_RESPONSES = {
    "condition_unclear": "utter_condition_unclear",
    "age_unclear": "utter_age_unclear",
    "age_future_date": "utter_age_future",
    "age_too_old_date": "utter_age_unclear",
    "age_unparseable": "utter_age_unclear",
    "zip_unclear": "utter_zip_unclear",
    "zip_unknown": "utter_zip_unknown",
}
WHY_WE_ASK = {"condition": "utter_why_condition", "child_age": "utter_why_age",
              "home_zip": "utter_why_zip"}


def policy() -> eligibility.Policy:
    s = get_settings()
    return eligibility.Policy(home_state=s.home_state, excluded_counties=s.atlanta_area_counties,
                              max_age_years=s.max_child_age)


def known_values(tracker: Tracker) -> Dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in screening.SLOTS}


class ValidateScreeningForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_screening_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        intent = latest_intent(tracker)
        requested = tracker.get_slot("requested_slot")
        reading = screening.read_message(latest_text(tracker), requested, today(),
                                         known_values(tracker))
        if not reading.values and intent in screening.NON_ANSWER_INTENTS:
            return []  # not an answer: the form is rejected and a rule replies
        # The message answered something and also asked or flagged something.
        if intent == "red_flag":
            dispatcher.utter_message(response="utter_urgent_care")
        elif intent == "card_number":
            dispatcher.utter_message(response="utter_card_number")
        answer_questions(dispatcher, tracker)

        events = [SlotSet(k, v) for k, v in reading.values.items()]
        values = {**known_values(tracker), **reading.values}
        events += self._failure_events(dispatcher, tracker, requested, reading)
        missing = [s for s in screening.required_slots(values, policy().max_age_years)
                   if values.get(s) is None]
        events.append(SlotSet("requested_slot", missing[0] if missing else None))
        return events

    @staticmethod
    def _failure_events(dispatcher: CollectingDispatcher, tracker: Tracker,
                        requested: Optional[str], reading: screening.Reading) -> List[EventType]:
        if not requested or not reading.problem:
            return [SlotSet(FAILURE_SLOT, 0)]
        failures = int(tracker.get_slot(FAILURE_SLOT) or 0) + 1
        if failures >= MAX_FAILURES:
            dispatcher.utter_message(response="utter_screening_stuck")
            return [SlotSet(FAILURE_SLOT, 0)]
        dispatcher.utter_message(response=PROBLEM_RESPONSES.get(reading.problem, "utter_default"))
        if failures == MAX_FAILURES - 1:
            dispatcher.utter_message(response=WHY_WE_ASK[requested])
        return [SlotSet(FAILURE_SLOT, failures)]


class ActionScreeningResult(Action):
    def name(self) -> Text:
        return "action_screening_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[EventType]:
        values = known_values(tracker)
        if values["condition"] is None:
            return []
        match = screening.match_from_value(values["condition"])
        zip_info = lookup_zip(values["home_zip"]) if values["home_zip"] else None
        age = values["child_age"]
        decision = eligibility.decide(match, AgeAnswer(age, None) if age is not None else None,
                                      zip_info, policy())
        await in_thread(records.save_screening, tracker.sender_id, match,
                        values["child_age"], zip_info, decision)
        for response in result_responses(decision):
            dispatcher.utter_message(response=response, **result_kwargs(decision, zip_info))
        return [SlotSet("screening_route", decision.route.value),
                SlotSet("eligible_programs", [p.key for p in decision.programs]),
                # An eligible family is offered the guided intake next.
                SlotSet("offer", "intake" if decision.eligible else None)]


def result_responses(decision: eligibility.Decision) -> List[str]:
    if decision.eligible:
        keys = sorted(p.key for p in decision.programs)
        return [f"utter_eligible_{'_'.join(keys)}", "utter_offer_intake"]
    return [f"utter_route_{decision.route.value}"]


def result_kwargs(decision: eligibility.Decision, zip_info) -> Dict[str, Any]:
    return {"county": zip_info.county if zip_info else "",
            "max_age": get_settings().max_child_age}
