"""One turn: a parent message in, the assistant's replies out, in a fixed order.

1. a typed card or SSN is refused (the channel already removed the digits);
2. Spanish gets a Spanish reply and a call-back with an interpreter;
3. safety: a red flag gets the urgent-care message first and pauses everything;
   a question about the emergency gets "nearest ER or 911";
4. requests that work anywhere: a person, start over (confirmed first), pause,
   a new link, help with a link that won't open (bot/dialogue/link_flow.py);
5. an answer to each question asked (up to three), or the no-advice reply;
6. what the message told us ("Got it: ...") and only what is still missing.
Over SMS nothing the parent told us is said back (bot/dialogue/privacy.py).
Blocking (database): the action server runs it in a worker thread.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Optional

from bot import faq, intake
from bot.dialogue import (callback_flow, intake_flow, link_flow, privacy, red_flag_flow,
                          screening_flow, small_talk, status, switch_flow)
from bot.dialogue.replies import Reply, say
from bot.dialogue.small_talk import LOST
from bot.dialogue.state import DONE, IDLE, INTAKE, RESULT, SCREENING, Conversation
from bot.phones import extract_phone
from bot.questionnaire import engine
from bot.understanding import Understanding, understand
from bot.understanding_requests import wants_call_instead

# "ok ya start it. how do i pay?": a clear start, even with a question after it.
EXPLICIT_START = re.compile(r"\b(start (it|now|the (form|request))|go ahead|let'?s (do it|start|begin))\b", re.I)
# A short answer, then a sentence with the question: "Maya. but you didn't answer...".
LEADING_ANSWER = re.compile(r"^\s*((?:(?:dr|mr|mrs|ms|st)\.\s*)?[^.?!,]{1,40}?)\s*[.,!]\s+\S", re.I)
# Free-text questionnaire items whose answers may well be questions ("will she need
# surgery?" is a fine answer to "what are your main questions for the team?").
QUESTION_ITEM_TYPES = {"text"}


@dataclass
class TurnResult:
    replies: list[Reply]
    slots: dict[str, Any]  # slots that changed


def turn(slots: dict[str, Any], text: str, conversation_id: str, intent: Optional[str] = None,
         confidence: float = 0.0, today: Optional[dt.date] = None) -> TurnResult:
    today = today or dt.date.today()
    conv = Conversation(slots, private=privacy.is_private(conversation_id),
                        phone=privacy.texting_number(conversation_id))
    expecting = conv.get("asked") if conv.stage in (IDLE, SCREENING, RESULT, DONE) else None
    u = understand(text, intent, confidence, today,
                   expecting if expecting in ("condition", "child_age", "home_zip") else None,
                   known=conv.facts())
    replies = privacy.outgoing(_Turn(conv, u, conversation_id, today).run(), conv.private)
    seen: set[str] = set()
    unique = [r for r in replies if not (r.text in seen or seen.add(r.text))]  # never the same text twice
    return TurnResult(unique, conv.changed_slots())


class _Turn:
    def __init__(self, conv: Conversation, u: Understanding, conversation_id: str, today: dt.date):
        self.conv, self.u, self.cid, self.today = conv, u, conversation_id, today
        self.out: list[Reply] = []

    # ------------------------------------------------------------ the order
    def run(self) -> list[Reply]:
        u, conv = self.u, self.conv
        intake_flow.refresh(conv)  # the case's answers as they are now (web edits too)
        if intake_flow.is_active(conv) and "human" in u.requests and not u.asks_person \
                and not wants_call_instead(u.text):
            u.requests.remove("human")  # "call me please" answers "best way to reach you?"
        if intake_flow.is_active(conv) and not intake_flow.is_paused(conv) \
                and not faq.is_question(u.text):
            # Mid-questionnaire, a short answer ("3 weeks", "cost") is an answer, not a
            # question about the service; only a real question is answered as one.
            u.questions, u.advice = [], False
        if u.text.startswith("/"):
            self._payload()
        item = intake_flow.current_item(conv) if intake_flow.is_active(conv) else None
        if item is not None and item.red_flag and not intake_flow.is_paused(conv) and not conv.get("hold"):
            u.red_flag = False  # "yes, tingling, checked by a doctor": the form's own question
        if u.card or u.intent == "card_number":
            self.out.append(say("utter_card_number"))
        elif u.ssn:
            self.out.append(say("utter_ssn_removed"))
        if u.language == "es" or "spanish" in u.requests:
            return self.out + callback_flow.spanish(conv, u, self.cid)
        if self._safety():  # told again while we waited ("his doctor knows"): noted, and on
            return self.out + self._resume()
        if conv.get("confirm_restart") and self._restart_answer():
            return self.out
        if conv.get("awaiting_phone") and self._callback_answer():
            return self.out
        if self._requests():
            return self.out
        if conv.get("hold"):
            return self._held()
        if (u.card or u.ssn) and intake_flow.is_active(conv) and not intake_flow.is_paused(conv):
            # A message that held a card or an SSN is never saved as an answer.
            return self.out + [intake_flow.prompt(conv)]
        added = screening_flow.second_review(conv, u, self.cid)  # "the hip review too", cases made
        if added:
            return self.out + added + self._current_question()
        moved = screening_flow.moved_after_request(conv, u)  # saved on the case, no new screening
        if moved:
            self.out += moved
            self._questions()
            return self.out
        answered = self._questions()
        if intake_flow.is_active(conv):
            return self._intake(answered)
        return self._screening(answered)

    def _payload(self) -> None:
        """A button's "/intent" payload: make it look like what it stands for."""
        name = self.u.text[1:].split("{")[0].strip()
        self.u.intent, self.u.confidence = name, 1.0
        if name in ("affirm", "deny", "greet", "thank", "goodbye"):
            self.u.social = name
        if name == "request_human":
            self.u.requests.append("human")
        if name == "stop":
            self.u.requests.append("pause")
        if name.startswith("ask_"):
            self.u.questions = faq.questions_in("", name, 1.0)

    # ------------------------------------------------------------ 3. safety
    def _safety(self) -> bool:
        """True when the message only told again a sign we gave the urgent message for."""
        u, conv = self.u, self.conv
        self.seen_before = bool(conv.get("red_flag_seen"))
        if (u.red_flag or conv.get("hold")) and red_flag_flow.told_again(conv, u.text, u.red_flag):
            held = bool(conv.get("hold"))
            self.out += red_flag_flow.noted(conv)  # "911?? it's not an emergency, his doctor knows"
            u.red_flag = u.emergency_maybe = u.emergency_question = False
            return held
        if u.red_flag and conv.get("hold"):
            # Told again while we wait: no second alarm; ask whether it is new.
            self.out.append(say("utter_red_flag_again"))
            if u.emergency_maybe and "resume" not in u.requests:
                self.out.append(say("utter_emergency_where"))
            return False
        if u.red_flag:
            self.out.append(say("utter_urgent_care"))
            red_flag_flow.alerted(conv, u.text)
            conv.set("red_flag_seen", True)
            conv.set("hold", "red_flag")
            if conv.case_ids:
                intake.flag_red_flag(conv.case_ids)
        emergency = u.emergency_question or (u.emergency_maybe and conv.get("red_flag_seen"))
        if emergency and "resume" not in u.requests:
            self.out.append(say("utter_emergency_where"))
        if u.red_flag:
            active = intake_flow.is_active(conv)
            self.out.append(say("utter_hold_intake" if active else "utter_hold_screening"))
        return False

    def _held(self) -> list[Reply]:
        """After a red flag nothing goes on until the parent asks to."""
        u, conv = self.u, self.conv
        if "resume" in u.requests or (u.social == "affirm" and u.bare):
            conv.set("hold", None)
            going_on = [say("utter_going_on")] if intake_flow.is_active(conv) else []
            return self.out + going_on + self._resume()
        # Facts are still kept; questions are still answered, except that a question
        # about the emergency ("can I just send you x-rays instead?") gets only the
        # emergency answer: no service answer may read as "no need to go in".
        if not intake_flow.is_active(conv):
            screening_flow.merge(conv, u)
        if any(r.name == "utter_emergency_where" for r in self.out):
            return self.out
        answered = self._questions()
        if not self.out and not answered:
            self.out.append(say("utter_hold_reminder"))
        return self.out

    def _resume(self) -> list[Reply]:
        if intake_flow.is_active(self.conv):
            return [intake_flow.prompt(self.conv)]
        merged = screening_flow.merge(self.conv, self.u)
        return screening_flow.next_step(self.conv, self.cid, merged)

    # ------------------------------------------------------------ 4. requests
    def _requests(self) -> bool:
        u, conv = self.u, self.conv
        if "human" in u.requests:
            if not intake_flow.is_active(conv):
                screening_flow.merge(conv, u)  # "call me, my daughter has scoliosis": kept
            self._questions()
            if intake_flow.is_active(conv):  # "it's his hip not spine. can you call me?"
                self.out += switch_flow.switch(conv, u, self.cid)
            handoff = self._callback(callback_flow.handoff(conv, u, self.cid))
            if intake_flow.is_active(conv):  # "call me instead of these questions": nothing lost
                handoff.insert(-1, say("utter_answers_kept"))
            self.out += handoff
            if handoff[-1].name == "utter_callback_noted":  # no number asked: the open question
                self.out += self._current_question()
            return True
        if "restart" in u.requests:
            conv.set("confirm_restart", True)
            self.out.append(say("utter_confirm_restart_intake" if intake_flow.is_active(conv)
                                else "utter_confirm_restart"))
            return True
        if "pause" in u.requests:
            if intake_flow.is_active(conv):
                self.out += intake_flow.pause(conv)
            else:
                if conv.stage == SCREENING:
                    conv.set("paused", True)
                self.out.append(say("utter_screening_paused" if conv.stage == SCREENING
                                    else "utter_anything_else"))
            return True
        if "link_trouble" in u.requests or ("resend_link" in u.requests and not u.questions):
            self.out += link_flow.resend(conv, self.cid, trouble="link_trouble" in u.requests)
            return True
        return False

    def _restart_answer(self) -> bool:
        u, conv = self.u, self.conv
        conv.set("confirm_restart", None)
        if u.social == "affirm":
            if intake_flow.is_active(conv):
                self.out += intake_flow.restart(conv)
            else:
                conv.clear_screening()
                conv.stage = SCREENING
                self.out.append(say("utter_restarted"))
                self.out += screening_flow.next_step(conv, self.cid, [])
            return True
        if u.social == "deny":
            self.out.append(say("utter_keep_going"))
            self.out += self._current_question()
            return True
        return False

    def _callback_answer(self) -> bool:
        replies = callback_flow.number_given(self.conv, self.u, self.cid)
        if replies is None:
            return False
        self.out += self._callback(replies)
        if replies[0].name.startswith(("utter_callback_saved", "utter_callback_declined")):
            self.out += self._current_question(after_callback=True)  # what was open, again
        return True

    def _callback(self, replies: list[Reply]) -> list[Reply]:
        """The call-back number, once given, is offered for the fee call (intake_flow)."""
        for reply in replies:
            if reply.name.startswith("utter_callback_saved"):
                number = extract_phone(str(reply.values.get("callback_number", "")))
                self.conv.set("callback_phone", number or self.conv.get("callback_phone"))
        return replies

    # ------------------------------------------------------------ 5. questions
    def _questions(self) -> int:
        u = self.u
        if self._collecting_questions():  # "how long will she need the harness?" is the answer
            return 0
        teen = small_talk.teen_reply(self.conv, u.text)  # "can i do it myself?": who signs
        self.out += teen
        for topic in u.questions[:faq.MAX_ANSWERS]:
            self.out += self._answer(topic)
        if u.advice and not u.red_flag:  # with a red flag, the urgent-care message is the answer
            self.out.append(say("utter_no_medical_advice"))
        return len(u.questions) + int(u.advice) + len(teen)

    def _collecting_questions(self) -> bool:
        conv = self.conv
        if not intake_flow.is_active(conv) or intake_flow.is_paused(conv):
            return False
        item = intake_flow.current_item(conv)
        return item is not None and item.collects_questions and not engine.is_command(self.u.text)

    def _answer(self, topic: str) -> list[Reply]:
        if topic in status.TOPICS:  # "what else is left?": from the case, not a set text
            return status.answer(topic, self.conv.case_ids, self.u.text)
        return [say(self._response_for(topic))]

    def _response_for(self, topic: str) -> str:
        """The cost of this child's review only, once we know which it is."""
        programs = self.conv.fact("eligible_programs") or []
        if topic == "cost" and len(programs) == 1:
            return f"utter_cost_{programs[0]}"
        return faq.response_for(topic)

    # ------------------------------------------------------------ 6. the flows
    def _intake(self, answered: int) -> list[Reply]:
        u, conv = self.u, self.conv
        if intake_flow.is_paused(conv):
            if answered and "resume" not in u.requests:
                return self.out + [say("utter_resume_hint")]
            if "resume" in u.requests or u.bare:
                return self.out + intake_flow.resume(conv)
            # Anything else is taken as the answer to the question we stopped at.
            intake_flow.resume(conv)
        item = intake_flow.current_item(conv)
        if item is not None and not engine.is_command(u.text) and (LOST.match(u.text) or (
                "resume" in u.requests and len(u.text.split()) <= 4)):
            # "where were we?", "ok continue": the question again, never saved as an answer.
            return self.out + [intake_flow.prompt(conv)]
        takes_questions = item is not None and item.type in QUESTION_ITEM_TYPES and (
            not u.questions or item.collects_questions)
        if answered and not takes_questions:
            # "Maya. but how long does it take?": the answer before the question counts.
            head = LEADING_ANSWER.match(u.text)
            if head and intake_flow.accepts(conv, item, head[1], self.today):
                return self.out + intake_flow.answer(conv, head[1], self.today, self.cid)
            return self.out + [intake_flow.prompt(conv)]
        if takes_questions and u.advice:
            self.out = [r for r in self.out if r.name != "utter_no_medical_advice"]
        if u.intent == "out_of_scope" and u.confidence >= 0.8 and not u.has_facts \
                and faq.is_question(u.text) and item is not None and item.type in ("string", "text"):
            return self.out + [say("utter_out_of_scope"), intake_flow.prompt(conv)]
        if faq.is_question(u.text) and item is not None and not takes_questions \
                and not engine.is_command(u.text) \
                and item.type not in ("boolean", "choice", "open-choice") and not u.has_facts \
                and not (item.type == "date" and intake_flow.accepts(conv, item, u.text,
                                                                     self.today)):
            # ("when she was born" answers "When was it found?": a date, not a question)
            # "we're moving to Douglasville, does that matter?" is no doctor's name
            return self.out + [say("utter_unknown_question"), intake_flow.prompt(conv)]
        # Only a message that is nothing but "hi" or "thanks" (never the classifier's
        # guess: "morning" is an answer to "what time suits you?").
        if u.bare and u.social == "greet" and item is not None:
            return self.out + [intake_flow.prompt(conv)]
        if u.bare and u.social in ("thank", "goodbye") and item is not None and item.type != "boolean":
            return self.out + [say("utter_pause_hint")]
        replies = red_flag_flow.soften(conv, u.text, intake_flow.answer(conv, u.text, self.today, self.cid),
                                       self.seen_before)
        if replies and replies[0].name == "utter_red_flag_noted":
            replies.append(intake_flow.prompt(conv))  # the form's red-flag question, told again
        return self.out + replies

    def _screening(self, answered: int) -> list[Reply]:
        u, conv = self.u, self.conv
        stage, asked = conv.stage, conv.get("asked")
        if asked == "place_confirm" and u.social in ("affirm", "deny") and not (u.zip or u.place):
            screening_flow.confirm_place(conv, u.social == "affirm")
            if u.social == "deny":
                conv.set("asked", "home_zip")
                return self.out + [say("utter_ask_home_zip")]
            return self.out + screening_flow.next_step(conv, self.cid, [])
        if asked and ("resume" in u.requests or (u.social == "affirm" and conv.get("paused"))):
            conv.set("paused", None)
            return self.out + screening_flow.next_step(conv, self.cid, [])
        offer = conv.get("offer")
        moved = u.zip or u.place
        if screening_flow.location(conv) and not answered and (u.someone_elses_home or (
                moved and conv.get("other_address") and not u.home_said)):
            screening_flow.merge(conv, u)
            return self.out + [say("utter_home_address_rule")]
        ack = screening_flow.merge(conv, u)
        if ack or u.has_facts:
            conv.set("failures", None)
            conv.set("offer", None)
            if stage in (RESULT, DONE) and not ack:
                if stage == RESULT and u.social == "affirm" and offer == "intake":
                    return self.out + intake_flow.start(conv, self.cid)
                return self.out + ([] if answered else [say("utter_anything_else")])
            step = screening_flow.next_step(conv, self.cid, ack if self._ack_worthy(ack) else [])
            if u.social == "affirm" and any(r.name == "utter_offer_intake_again" for r in step):
                return self.out + intake_flow.start(conv, self.cid)  # same result, and a yes
            return self.out + step
        offer = conv.get("offer")
        plain_yes = u.social == "affirm" and not faq.is_question(u.text)
        if plain_yes and offer == "intake" or (
                stage == RESULT and "resume" in u.requests) or (
                offer == "intake" and u.social == "affirm" and EXPLICIT_START.search(u.text)):
            return self.out + intake_flow.start(conv, self.cid)
        if plain_yes and offer == "screening" or (
                u.intent == "check_eligibility" and u.confidence >= 0.5 and not answered):
            conv.set("offer", None)
            return self.out + screening_flow.next_step(conv, self.cid, [])
        if u.social == "deny" and offer:
            conv.set("offer", None if offer == "screening" else offer)
            return self.out + [say("utter_anything_else")]
        if answered:
            return self.out + small_talk.after_answers(conv, self.cid)
        if asked and u.social == "deny":
            conv.set("paused", True)
            return self.out + [say("utter_screening_paused")]
        return self.out + small_talk.reply(
            conv, u, self.cid, lambda: self._current_question(after_callback=True))

    def _ack_worthy(self, ack: list[str]) -> bool:
        """"Got it" only when the message told more than the one thing we asked."""
        return len(ack) > 1 or self.conv.get("asked") is None

    def _current_question(self, after_callback: bool = False) -> list[Reply]:
        conv = self.conv
        if intake_flow.is_active(conv) and not intake_flow.is_paused(conv):
            return [intake_flow.prompt(conv)]
        if conv.stage == SCREENING and conv.get("asked"):
            return screening_flow.next_step(conv, self.cid, [])
        if after_callback and conv.stage == RESULT:
            return [say("utter_offer_intake")]
        return []
