"""What a parent tester typed that the questionnaire did not understand: the confirm
step ("no", "all of what?", edits by other words for a field, "yes. <question>"),
several facts in one answer, optional items declined in a sentence, one choice with a
reason, and dates said with "this year"."""
from __future__ import annotations

from datetime import date

import pytest

from bot.questionnaire.answers import SKIP, parse_answer
from bot.questionnaire.engine import apply, new_state, next_item, record
from bot.questionnaire.model import load_definition
from tests.questionnaire import max_age_21  # noqa: F401  (autouse fixture)
from tests.questionnaire.test_engine import REPLIES, run, start

TODAY = date(2025, 6, 15)
D = load_definition()
SAY = D.messages


def at_confirm():
    state = start("spine")
    run(state)
    return state


def say(state, text):
    return apply(state, text, TODAY, D)


# ---------------------------------------------------------------- the confirm step

@pytest.mark.parametrize("text, link_id, value", [
    ("change where the xrays were done to Memorial Health Savannah", "imaging_where",
     "Memorial Health Savannah"),
    ("the clinic is South Georgia Pediatrics", "pcp_practice", "South Georgia Pediatrics"),
    ("the x-rays were done at Memorial", "imaging_where", "Memorial"),
    ("the office phone is 229-555-0199", "pcp_phone", "+12295550199"),
])
def test_edits_in_other_words_for_the_field(text, link_id, value):
    state = at_confirm()
    outcome = say(state, text)
    assert outcome.kind == "corrected" and outcome.link_id == link_id
    assert state["answers"][link_id] == value


@pytest.mark.parametrize("text", ["no", "i want to change an answer", "I want to change something",
                                  "no that's wrong", "something is wrong"])
def test_a_no_asks_which_answer_to_change(text):
    state = at_confirm()
    before = dict(state["answers"])
    outcome = say(state, text)
    assert outcome.messages == [SAY["which_change"]] and "like:" in SAY["which_change"]
    assert state["answers"] == before and not state["confirmed"]


def test_a_field_named_without_a_value_asks_for_it_and_takes_the_next_message():
    state = at_confirm()
    assert say(state, "i want to change the practice").messages == [
        SAY["ask_new_value"].format(label="Practice")]
    assert say(state, "it is wrong").messages == [SAY["ask_new_value"].format(label="Practice")]
    outcome = say(state, "South Georgia Pediatrics")
    assert outcome.kind == "corrected"
    assert state["answers"]["pcp_practice"] == "South Georgia Pediatrics"
    assert say(state, "yes").kind == "done"


@pytest.mark.parametrize("text", ["all of what?", "what?", "show me my answers", "what do you mean"])
def test_the_summary_is_shown_again_when_asked(text):
    state = at_confirm()
    outcome = say(state, text)
    assert outcome.messages[-1] == SAY["ask_confirm"]
    assert any("Child: Emma" in m for m in outcome.messages)


def test_a_finished_form_whose_summary_was_never_seen_shows_it_first():
    """Finished on the web form: the chat's first message at the confirm step gets
    the summary, not a bare "Is all of this right?"."""
    state = start("spine")
    for item in D.questions():  # what the web form saves: answers only
        if item.link_id in REPLIES and not item.hidden:
            record(state, item, parse_answer(item, REPLIES[item.link_id], TODAY, state["answers"]))
    assert next_item(state, D) is None and not state.get("summary_sent")
    outcome = say(state, "hi")
    assert any("Child: Emma" in m for m in outcome.messages)
    assert outcome.messages[-1] == SAY["ask_confirm"]


def test_a_yes_then_a_question_confirms_and_keeps_the_question():
    state = at_confirm()
    outcome = say(state, "yes. did my card go thru?")
    assert outcome.kind == "done" and state["confirmed"]
    assert outcome.question == "did my card go thru?"
    assert say(at_confirm(), "yes").question is None


# ---------------------------------------------------------------- several facts in one answer

def test_a_name_with_the_birth_date():
    state = new_state({"screening.program": "spine", "screening.home_zip": "31201"}, D)
    outcome = say(state, "Mateo Reyes, born 1/30/2013")
    assert state["answers"]["child_first_name"] == "Mateo"
    assert state["answers"]["child_birth_date"] == "2013-01-30"
    assert state["offer"]["value"] == "Reyes"  # offered: "Mary Kate" may be a first name
    assert "Jan 30, 2013" in outcome.messages[0]
    say(state, "yes")
    assert state["answers"]["child_last_name"] == "Reyes"


def test_first_and_last_name_and_birth_date_in_one_message():
    state = new_state({"screening.program": "spine", "screening.home_zip": "31201"}, D)
    say(state, "his first name is Noah and last name is Pratt. born 5/2/2015")
    answers = state["answers"]
    assert (answers["child_first_name"], answers["child_last_name"]) == ("Noah", "Pratt")
    assert answers["child_birth_date"] == "2015-05-02"


@pytest.mark.parametrize("text, relationship, mobile", [
    ("Tia Reyes, his mom, 229-555-0101", "mother", "+12295550101"),
    ("Tia Reyes mom", "mother", None),
    ("Tia Reyes (her dad)", "father", None),
])
def test_the_guardian_name_keeps_only_the_name(text, relationship, mobile):
    state = start("spine")
    run(state, stop_at="guardian_name")
    say(state, text)
    answers = state["answers"]
    assert answers["guardian_name"] == "Tia Reyes"
    assert answers["guardian_relationship"] == relationship
    assert answers.get("guardian_mobile") == mobile


def test_a_list_of_choices_by_number_is_not_split_into_other_questions():
    state = start("spine")
    run(state, stop_at="contact_preference")
    assert say(state, "1 and 3").reason == "one_choice"


# ---------------------------------------------------------------- single answers

@pytest.mark.parametrize("text", ["skip, i dont do email much", "I dont have email",
                                  "i don't really use email"])
def test_declining_the_optional_email_in_a_sentence_skips_it(text):
    assert parse_answer(D.item("guardian_email"), text, TODAY).status == SKIP


def test_a_required_item_is_not_skipped_by_a_leading_skip():
    assert parse_answer(D.item("guardian_mobile"), "skip, i dont text", TODAY).reason == "required"


@pytest.mark.parametrize("text, code", [
    ("mornings are better, baby naps after lunch", "morning"),
    ("afternoon, she has school in the morning", "afternoon"),
    ("she naps in the morning, afternoons work best", "afternoon"),
])
def test_one_choice_with_a_reason(text, code):
    assert parse_answer(D.item("fee_call_time"), text, TODAY).value == code


def test_still_one_choice_when_two_are_named_alike():
    assert parse_answer(D.item("fee_call_time"), "morning or afternoon", TODAY).reason == "one_choice"


@pytest.mark.parametrize("link_id, text, value", [
    ("imaging_when", "june 8 of this year", "2025-06-08"),
    ("imaging_when", "march of last year", "2024-03"),
    ("diagnosis_date", "june of this year", "2025-06"),
])
def test_dates_with_this_or_last_year(link_id, text, value):
    assert parse_answer(D.item(link_id), text, TODAY).value == value
