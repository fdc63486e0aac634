"""Buttons as numbered SMS menus, and replies read back as choices."""
from __future__ import annotations

import random

import pytest

from bot.sms.menus import choose, render

CONDITION = [
    {"title": "1. Spine problem", "payload": "spine condition"},
    {"title": "2. Hip problem", "payload": "hip condition"},
    {"title": "3. Something else", "payload": "something else"},
    {"title": "4. Not diagnosed yet", "payload": "not diagnosed yet"},
]
GREET = [
    {"title": "Check if my child qualifies", "payload": "/check_eligibility"},
    {"title": "What does it cost?", "payload": "/ask_cost"},
    {"title": "How does it work?", "payload": "/ask_what_is"},
    {"title": "Talk to a person", "payload": "/request_human"},
]
OFFER = [{"title": "Yes, check now", "payload": "/check_eligibility"},
         {"title": "Not now", "payload": "/deny"}]
RESTART = [{"title": "1. Yes, start over", "payload": "yes"},
           {"title": "2. No, keep going", "payload": "no"}]
START = [{"title": "Start now", "payload": "/affirm"}, {"title": "Later", "payload": "/deny"}]
REVIEW = [{"title": "Spine review", "payload": "/choose_spine"},
          {"title": "Hip review", "payload": "/choose_hip"}]


def test_two_short_choices_read_as_one_line():
    text, menu = render("Which review would you like?", REVIEW)
    assert text == "Which review would you like?\nReply 1 for Spine review, 2 for Hip review."
    assert menu == [{"n": 1, "title": "Spine review", "payload": "/choose_spine"},
                    {"n": 2, "title": "Hip review", "payload": "/choose_hip"}]


def test_more_choices_are_one_per_line_without_their_own_numbers():
    text, menu = render("What spine or hip problem has a doctor found?", CONDITION)
    assert text == ("What spine or hip problem has a doctor found?\nReply with a number:\n"
                    "1 - Spine problem\n2 - Hip problem\n3 - Something else\n"
                    "4 - Not diagnosed yet")
    assert [item["title"] for item in menu] == ["Spine problem", "Hip problem",
                                                "Something else", "Not diagnosed yet"]
    assert [item["n"] for item in menu] == [1, 2, 3, 4]


def test_titles_with_commas_or_questions_go_one_per_line():
    text, _ = render("Start over?", RESTART)
    assert text.endswith("\nReply with a number:\n1 - Yes, start over\n2 - No, keep going")
    text, _ = render("Hi! What would you like to do?", GREET)
    assert "\n2 - What does it cost?\n" in text


def test_one_choice():
    text, menu = render("What's the best phone number?",
                        [{"title": "No thanks", "payload": "/deny"}])
    assert text == "What's the best phone number?\nReply 1 for No thanks."
    assert menu == [{"n": 1, "title": "No thanks", "payload": "/deny"}]


@pytest.mark.parametrize("buttons", [[], None])
def test_no_buttons_leave_the_text_alone(buttons):
    assert render("Got it: scoliosis, age 12.", buttons) == ("Got it: scoliosis, age 12.", [])


def test_a_button_without_a_title_is_left_out():
    text, menu = render("Pick one", [{"title": "", "payload": "/secret_intent"},
                                     {"title": "Later", "payload": "/deny"}])
    assert "/secret_intent" not in text and "secret" not in text
    assert menu == [{"n": 1, "title": "Later", "payload": "/deny"}]


@pytest.mark.parametrize("text", [
    "You can pick:\n1. Start now\n2. Later",
    "You can pick:\n1) start now\n2) later.",
    "You can pick:\n1 - Start now\n2 - Later\n",
])
def test_a_text_ending_with_the_same_list_gets_no_second_one(text):
    rendered, menu = render(text, START)
    assert rendered == text
    assert [item["payload"] for item in menu] == ["/affirm", "/deny"]


def test_a_text_ending_with_another_list_still_gets_the_menu():
    text = ("You will send four things:\n1. A medical history form.\n2. A signed consent "
            "form.\n3. A referral.\n4. Medical records.")
    rendered, _ = render(text, GREET)
    assert rendered.startswith(text + "\nReply with a number:\n1 - Check if my child")


@pytest.mark.parametrize("reply, payload", [
    ("1", "spine condition"), ("1.", "spine condition"), (" 2 ", "hip condition"),
    ("#2", "hip condition"), ("option 2", "hip condition"), ("two", "hip condition"),
    ("Two!", "hip condition"), ("2)", "hip condition"), ("1 please", "spine condition"),
    ("4", "not diagnosed yet"), ("number 3", "something else"), ("3 thanks", "something else"),
    ("the second one", "hip condition"), ("first", "spine condition"), ("2️⃣", "hip condition"),
    ("(1)", "spine condition"), ("1 👍", "spine condition"),
    ("spine", "spine condition"), ("Hip", "hip condition"), ("HIP!", "hip condition"),
    ("spien", "spine condition"), ("hip please", "hip condition"),
    ("Spine problem", "spine condition"), ("spine problem.", "spine condition"),
    ("something else", "something else"), ("not diagnosed", "not diagnosed yet"),
    ("diagnosed", "not diagnosed yet"), ("Not diagnosed yet", "not diagnosed yet"),
])
def test_choose_from_the_condition_menu(reply, payload):
    assert choose(reply, render("", CONDITION)[1]) == payload


@pytest.mark.parametrize("reply", [
    "she is 12", "2 weeks ago", "my zip is 30301", "5", "0", "12", "30301", "problem",
    "scoliosis", "hip dysplasia", "she has a spine and a hip problem", "1 or 2", "1.5",
    "2-3", "1/2", "", "   ", "👍", "I don't know", "my daughter is 2", "2 of them",
    "hip and spine", "the hip one is worse", "one hip is higher",
])
def test_not_a_choice_from_the_condition_menu(reply):
    assert choose(reply, render("", CONDITION)[1]) is None


@pytest.mark.parametrize("reply, payload", [
    ("cost", "/ask_cost"), ("What does it cost?", "/ask_cost"), ("person", "/request_human"),
    ("talk to a person", "/request_human"), ("a person please", "/request_human"),
    ("qualifies", "/check_eligibility"), ("work", "/ask_what_is"), ("4", "/request_human"),
    ("Talk to a persn", "/request_human"),
])
def test_choose_from_the_greeting_menu(reply, payload):
    assert choose(reply, render("", GREET)[1]) == payload


@pytest.mark.parametrize("reply", [
    "how much does it cost", "does it", "what", "yes", "no", "5", "it", "to",
    "can I talk to a person about the cost",
])
def test_not_a_choice_from_the_greeting_menu(reply):
    assert choose(reply, render("", GREET)[1]) is None


@pytest.mark.parametrize("buttons, reply, payload", [
    (OFFER, "yes", "/check_eligibility"), (OFFER, "Yes!", "/check_eligibility"),
    (OFFER, "YES please 😊", "/check_eligibility"), (OFFER, "not now", "/deny"),
    (OFFER, "2", "/deny"), (RESTART, "yes", "yes"), (RESTART, "no", "no"),
    (RESTART, "No.", "no"), (RESTART, "keep going", "no"), (RESTART, "start over", "yes"),
    (START, "later", "/deny"), (START, "Start now", "/affirm"), (START, "1", "/affirm"),
    (REVIEW, "spine", "/choose_spine"), (REVIEW, "hip review", "/choose_hip"),
])
def test_yes_no_and_titles(buttons, reply, payload):
    assert choose(reply, render("", buttons)[1]) == payload


@pytest.mark.parametrize("buttons, reply", [
    (OFFER, "no"),      # no title starts with "No": the bot reads it
    (OFFER, "now"),     # in both titles
    (OFFER, "yeah sure why not"),
    (REVIEW, "review"),
    (START, "3"),
    (START, "yes"),
])
def test_yes_no_refusals(buttons, reply):
    assert choose(reply, render("", buttons)[1]) is None


def test_no_menu_no_choice():
    assert choose("1", []) is None


def test_every_item_is_reachable_by_number_and_by_title():
    for buttons in (CONDITION, GREET, OFFER, RESTART, START, REVIEW):
        _, menu = render("Pick one.", buttons)
        for item in menu:
            assert choose(str(item["n"]), menu) == item["payload"]
            assert choose(item["title"], menu) == item["payload"]


WORDS = ("spine hip review start later now yes no check cost person talk keep going "
         "upload form link help records send").split()


def test_render_never_shows_a_payload():
    rng = random.Random(42)
    for _ in range(300):
        count = rng.randint(1, 6)
        buttons = []
        for k in range(count):
            title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.3:
                title = f"{k + 1}. {title.capitalize()}"
            if rng.random() < 0.2:
                title += rng.choice(["?", ",", "!"])
            intent = "".join(rng.choice("abcdefghij_") for _ in range(rng.randint(4, 12)))
            payload = rng.choice([f"/{intent}", f"/{intent}{{\"x\": 1}}", f"zq{intent}"])
            buttons.append({"title": title, "payload": payload})
        text, menu = render("Would you like to go on?", buttons)
        assert all(button["payload"] not in text for button in buttons), (text, buttons)
        assert [item["payload"] for item in menu] == [b["payload"] for b in buttons]
        assert all(choose(str(item["n"]), menu) == item["payload"] for item in menu)
