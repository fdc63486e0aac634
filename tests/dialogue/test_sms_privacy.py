"""Over SMS the bot never says back what the parent told us about the child (issue 8).

Whole intakes are played twice, over an "sms:" conversation id and over a "rest:" one:
over SMS no reply holds any value the parent gave (names, birth date, diagnosis,
curve, symptoms, doctors, town or ZIP, free-text answers), while over REST the same
conversation still echoes them, so these checks can fail. The SMS confirm step gives
a working upload link and numbered choices instead of the summary, and finishing
still makes the case and the link.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import string
from typing import Callable, Optional

import pytest

from bot import cases
from bot.dialogue import privacy
from bot.dialogue.replies import defaults, responses
from bot.dialogue.state import DONE
from bot.dialogue.turn import turn
from bot.portal.links import check_link
from bot.questionnaire import engine
from bot.questionnaire.model import load_definition
from bot.questionnaire.private import PREFIX, private_definition, private_messages
from bot.settings import get_settings
from tests.integration.test_intake_chat import HIP_ANSWERS, SPINE_ANSWERS

TODAY = dt.date(2026, 11, 30)
SMS, REST = "sms:+14045550142", "rest:privacy-test"
URL = re.compile(r"https?://\S+")
REFERENCE = re.compile(r"\bSO-\d{4}-\d{5}\b")

# The integration tests' answers, with values that no text of the service holds.
ANSWERS = {**HIP_ANSWERS, **SPINE_ANSWERS, **{
    "child_first_name": "Kayleigh", "child_last_name": "Thibodeaux",
    "child_birth_date": "6/17/2011", "guardian_name": "Maria Thibodeaux",
    "guardian_mobile": "478-555-0188", "guardian_email": "mtbdx@example.com",
    "home_zip": "31601", "diagnosis": "spondylolisthesis", "diagnosed_by": "Dr. Okafor in Valdosta",
    "main_questions": "can she keep doing gymnastics", "curve_size": "47", "brace_hours": "19",
    "other_conditions": "asthma", "medicines": "melatonin", "allergies": "amoxicillin",
    "pcp_name": "Dr. Ann Okonkwo", "pcp_practice": "Lowndes Family Pediatrics",
    "pcp_phone": "229-555-0111", "imaging_where": "South Georgia Medical Center"}}
# What the answers above look like when said back (the parent's own first name may be).
ANSWER_VALUES = ["Kayleigh", "Thibodeaux", "Jun 17, 2011", "6/17/2011", "555-0188", "mtbdx",
                 "spondylolisthesis", "Mar 2023", "Okafor", "Valdosta", "31601", "gymnastics",
                 "47", "19", "asthma", "melatonin", "amoxicillin", "Okonkwo", "Lowndes",
                 "555-0111", "South Georgia Medical"]


class Chat:
    def __init__(self, conversation_id: str):
        self.cid, self.slots, self.replies = conversation_id, {}, []

    def say(self, text: str) -> str:
        result = turn(dict(self.slots), text, self.cid, None, 0.0, TODAY)
        self.slots.update(result.slots)
        self.replies += result.replies
        return "\n".join(r.text for r in result.replies)

    def current(self) -> Optional[str]:
        state = engine.ensure_state(dict(self.slots.get("intake_state") or {}))
        item = engine.next_item(state, load_definition())
        return item.link_id if item else None

    def answer_until(self, stop: Optional[str] = None) -> str:
        """Answer each question asked until `stop` is asked or the confirm step."""
        last = ""
        for _ in range(60):
            link_id = self.current()
            if link_id is None or link_id == stop:
                return last
            last = self.say(ANSWERS[link_id])
            assert self.current() != link_id, f"{link_id!r} not taken: {last}"
        raise AssertionError("the questionnaire did not end")

    def finish(self) -> str:
        done = self.say("1")
        assert "Your answers are saved" in done and "/u/" in done, done
        return done


def said(text: str, value: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.I) is not None


def echoed(chat: Chat, values: list[str]) -> list[str]:
    """The values some reply holds (links and request numbers left out: they are ours)."""
    text = REFERENCE.sub(" ", URL.sub(" ", "\n".join(r.text for r in chat.replies)))
    return [v for v in values if said(text, v)]


# ---------------------------------------------------------------- the conversations

def whole_story(chat: Chat) -> None:
    chat.say("Hi, I'm Maria. My daughter Kayleigh is 15 and has Scheuermann's kyphosis, her "
             "curve is 47 degrees. We live in Valdosta 31601 and Dr. Okafor found it.")
    chat.say("yes")
    chat.answer_until()
    chat.finish()


def one_at_a_time(chat: Chat) -> None:
    for text in ("hi", "can my child get a records review?", "yes", "spondylolisthesis",
                 "born 6/17/2011", "her doctor is in Tifton", "yes", "yes"):
        chat.say(text)
    chat.answer_until()
    chat.finish()


def corrections(chat: Chat) -> None:
    chat.say("my daughter is 15 and has spondylolisthesis, we live in Valdosta 31601")
    chat.say("yes")
    chat.answer_until("child_first_name")
    chat.say("Kayleigh Thibodeaux")  # the last name is offered back...
    chat.say("no")  # ...and the whole name kept as the first name
    chat.answer_until("guardian_name")
    chat.say("Maria Thibodeaux, mom, 478-555-0188")  # three answers in one
    chat.say("actually her birthday is 6/18/2011")
    chat.answer_until()
    chat.say("what did you put for the practice name?")
    chat.say("show me my answers")
    chat.say("practice is Tift Pediatric Group and allergies are sulfa")
    chat.say("2")
    chat.say("the pediatrician is Dr. Mbeki")
    chat.finish()


def red_flag(chat: Chat) -> None:
    chat.say("my son has spondylolisthesis and since yesterday his toes feel tingly and he "
             "can't walk")
    for text in ("continue", "born 6/17/2011", "31601", "yes"):
        chat.say(text)
    chat.answer_until("spine_red_flag")
    chat.say("yes")  # the form's own red-flag question: the form waits...
    chat.say("continue")  # ...until the parent goes on
    chat.answer_until("other_conditions")
    chat.say("his toes are tingly again today")  # everything waits...
    chat.say("continue")  # ...until the parent goes on
    chat.answer_until()
    chat.finish()


def hip(chat: Chat) -> None:
    chat.say("my son Noah is 9 and has Perthes disease, we live in Savannah")
    chat.say("yes")
    chat.answer_until()
    chat.finish()
    chat.say("we moved, new zip is 30303")
    chat.say("please have someone call me at 229-555-0177")


# name -> (play, extra values the parent gave, values the REST replies must echo)
SCENARIOS: dict[str, tuple[Callable[[Chat], None], list[str], list[str]]] = {
    "whole story": (whole_story, ["Scheuermann", "age 15"],
                    ["Scheuermann", "Valdosta", "Kayleigh", "47", "Thibodeaux"]),
    "one at a time": (one_at_a_time, ["Tifton"], ["Tifton", "Kayleigh", "Jun 17, 2011"]),
    "corrections": (corrections, ["Jun 18, 2011", "Tift", "sulfa", "Mbeki"],
                    ["Kayleigh Thibodeaux", "555-0188", "Jun 18, 2011", "Lowndes", "Tift",
                     "sulfa", "Mbeki"]),
    "red flag": (red_flag, ["tingly", "toes"], ["spondylolisthesis", "Kayleigh"]),
    "hip": (hip, ["Noah", "Perthes", "Savannah", "30303", "Fulton", "555-0177"],
            ["Noah", "Perthes", "Savannah", "30303", "Fulton", "555-0177"]),
}


def service_texts() -> str:
    """Everything the service says on its own: responses, questions, its messages."""
    words = [v.get("text", "") for variants in responses().values() for v in variants]
    words += [str(v) for v in defaults().values()]
    return "\n".join(words) + json.dumps(load_definition().raw)


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_values_checked_are_the_parents_own(name):
    """A value the service says anyway (like "scoliosis" in a question) proves nothing."""
    _, extra, _ = SCENARIOS[name]
    ours = service_texts()
    assert [v for v in ANSWER_VALUES + extra if said(ours, v)] == []


@pytest.mark.parametrize("name", SCENARIOS)
def test_no_value_the_parent_gave_is_texted_back(database_url, name):
    play, extra, rest_echoes = SCENARIOS[name]
    sms, rest = Chat(SMS), Chat(REST)
    play(sms)
    play(rest)
    assert echoed(sms, ANSWER_VALUES + extra) == [], "\n".join(r.text for r in sms.replies)
    assert not {r.name for r in sms.replies} & privacy.NO_ECHO.keys()
    assert echoed(rest, rest_echoes) == rest_echoes, "over REST the replies still echo"
    for chat in (sms, rest):  # finished either way: the cases, their links
        assert chat.slots["dialogue"]["stage"] == DONE and chat.slots["case_ids"]


def confirm_step(chat: Chat) -> str:
    chat.say("my daughter Kayleigh is 15 and has scoliosis, 47 degrees, we live in Valdosta 31601")
    chat.say("yes")
    return chat.answer_until()


def test_the_sms_confirm_step_gives_the_link_and_numbered_choices(database_url):
    chat = Chat(SMS)
    shown = confirm_step(chat)
    settings = get_settings()
    assert "answers are saved" in shown and "secure page" in shown
    assert "Reply 1 if they're right" in shown and "2 to change" in shown
    assert "Here are the main points" not in shown and "Child:" not in shown
    [link] = URL.findall(shown)
    case_id, _ = check_link(link.rsplit("/u/", 1)[1], settings)  # a link the page opens
    assert chat.slots["case_ids"] == [case_id]

    done = chat.finish()
    assert "Thank you! Your answers are saved." in done and REFERENCE.search(done)
    [sent] = URL.findall(done)
    assert check_link(sent.rsplit("/u/", 1)[1], settings)[0] == case_id
    check_link(link.rsplit("/u/", 1)[1], settings)  # the link shown first still opens
    case = cases.case_summary(case_id)
    assert case["status"] == "awaiting_documents"
    assert case["child"]["first_name"] == "Kayleigh"  # saved, though never texted back


def test_the_rest_confirm_step_still_shows_the_summary(database_url):
    shown = confirm_step(Chat(REST))
    assert "Here are the main points" in shown and "Kayleigh Thibodeaux" in shown
    assert "Is all of this right?" in shown and not URL.search(shown)


def test_asking_for_an_answer_over_sms_gives_the_page_not_the_value(database_url):
    chat = Chat(SMS)
    confirm_step(chat)
    reply = chat.say("what did you put for the practice name?")
    assert "secure page" in reply and URL.search(reply) and "Lowndes" not in reply
    assert chat.say("2").startswith("Sure. Which answer should I change?")


# ---------------------------------------------------------------- the wording

def placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_response_that_quotes_the_parent_has_a_private_variant():
    quoting = {name for name, variants in responses().items()
               if any(placeholders(v.get("text", "")) & privacy.PARENT_VALUES for v in variants)}
    assert quoting == privacy.NO_ECHO.keys()
    for name, private in privacy.NO_ECHO.items():
        text = responses()[private][0]["text"]
        assert not placeholders(text) & privacy.PARENT_VALUES, private
        assert placeholders(text) <= placeholders(responses()[name][0]["text"]), private


def test_private_messages_quote_no_answer():
    own = private_messages(load_definition())
    assert {"changed", "changed_line", "also_noted", "offer_last_name", "name_kept",
            "ask_confirm", "answers_on_page", "value_on_page"} <= own.keys()
    for code, text in own.items():
        assert not placeholders(text) & {"value", "facts"}, code
        assert not code.startswith(PREFIX)


def test_the_link_is_made_only_when_a_message_gives_it():
    made = []
    definition = private_definition(load_definition(),
                                    lambda: made.append(1) or "https://example.org/u/t")
    state = engine.new_state({"screening.program": "spine"})
    assert engine.prompt(state, definition) and made == []
    shown = engine.confirm_messages({**state, "summary_sent": False}, definition, again=True)
    shown += [definition.messages["value_on_page"]]
    assert "https://example.org/u/t" in shown[0] and shown[-1].endswith("/u/t")
    assert made == [1], "made once, however often it is given"
