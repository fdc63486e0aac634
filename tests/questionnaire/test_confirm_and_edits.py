"""The chat's confirm step (short summary, edits by field name, yes phrases), names
split into first and last, "idk" on required questions, and the new prefill keys."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from bot.questionnaire.engine import apply, new_state, next_item, prompt
from bot.questionnaire.model import EXT, from_dict, load_definition
from bot.questionnaire.summary import short_summary, summary, summary_lines
from tests.questionnaire import max_age_21  # noqa: F401  (autouse fixture)
from tests.questionnaire.test_engine import REPLIES, SCREENING, run, start

TODAY = date(2025, 6, 15)
D = load_definition()
SAY = D.messages
MAX_MESSAGES, MAX_TOTAL, MAX_SMS = 3, 600, 300


def at_confirm(program="spine", replies=None):
    state = start(program)
    _, outcome = run(state, replies)
    assert outcome.kind == "confirm" and outcome.item is None
    return state, outcome


def say(state, text):
    return apply(state, text, TODAY, D)


# ---------------------------------------------------------------- 1. short confirmation

@pytest.mark.parametrize("program", ["spine", "hip", "both"])
def test_the_confirm_step_is_short(program):
    _, outcome = at_confirm(program)
    messages = outcome.messages
    assert len(messages) <= MAX_MESSAGES
    assert sum(len(m) for m in messages) <= MAX_TOTAL
    assert all(len(m) <= MAX_SMS for m in messages)
    assert messages[-1] == SAY["ask_confirm"]


def test_the_short_summary_has_the_key_facts_only_grouped():
    _, outcome = at_confirm("spine")
    text = "\n".join(outcome.messages)
    for line in ["Child: Emma Smith", "Born: Apr 2, 2012", "Sex: Female",
                 "You: Jane Smith, Mother", "Mobile: (478) 555-0142",
                 "Reach you by: Text message", "Diagnosis: scoliosis",
                 "Treatment now: Brace, Physical therapy", "Next step: Surgery",
                 "Curve (degrees): 45", "Back brace: Yes", "Brace hours a day: 18",
                 "Skipped or not sure: 1", SAY["summary_web"]]:
        assert line in text, line
    for detail in ["penicillin", "Navicent", "Macon Pediatrics", "Dr. Lee", "jane@example.com",
                   "Mar 2023", "Does she really need surgery", "Breech", "Pavlik"]:
        assert detail not in text, detail
    first, second = outcome.messages[:2]  # the child and parent, then the condition
    assert "Child: Emma Smith" in first and "Reach you by" in first
    assert "Diagnosis" not in first and "Diagnosis: scoliosis" in second


def test_the_hip_summary_has_the_hip_answers():
    _, outcome = at_confirm("hip", {"child_sex": "boy"})
    text = "\n".join(outcome.messages)
    assert "Pavlik or hip brace: Yes" in text and "Spica cast: No" in text
    assert "Past hip surgery: No" in text and "Curve" not in text and "Sex: Male" in text


def test_nothing_skipped_means_no_skipped_line():
    _, outcome = at_confirm("spine", {"spine_family_history": "no"})
    assert "Skipped" not in "\n".join(outcome.messages)


LONGEST = {
    "child_first_name": "Maximiliana-Alexandrina Evangeline Bartholomea-Christabel",
    "child_last_name": "Vanderbilt-Montgomery-Fitzgerald Worthington-Smythe",
    "guardian_name": "Christopher-Alexander Maximilian Bartholomew Montgomery-Fitzgerald",
    "guardian_relationship": "step grandmother on her father's side with full legal custody",
    "diagnosis": ("Idiopathic adolescent thoracolumbar scoliosis with a double major "
                  "curve and some kyphosis, also a leg length difference " * 2)[:200],
    "current_treatment": "1, 2, 3, 4, 5", "recommended_treatment": "1 2 3 4 5",
    "contact_preference": "phone",
    **{k: "skip" for k in ("spine_family_history", "diagnosis_date", "diagnosed_by",
                           "main_questions", "curve_size", "brace_hours", "periods_started",
                           "hip_age_at_diagnosis", "breech", "first_born", "hip_family_history",
                           "medicines", "allergies", "pcp_practice", "pcp_phone",
                           "imaging_where", "imaging_when", "fee_call_time", "guardian_email")},
}


@pytest.mark.parametrize("program", ["spine", "hip", "both"])
def test_the_longest_answers_still_fit(program):
    state, outcome = at_confirm(program, LONGEST)
    assert len(outcome.messages) <= MAX_MESSAGES
    assert sum(len(m) for m in outcome.messages) <= MAX_TOTAL
    assert all(len(m) <= MAX_SMS for m in outcome.messages)
    text = "\n".join(outcome.messages)
    assert "Mobile: (478) 555-0142" in text  # phone numbers are never cut
    assert "\u2026" in text  # long free text is
    assert state["answers"]["diagnosis"] == LONGEST["diagnosis"]  # ... in the summary only


def test_the_key_items_come_from_the_definition():
    raw = copy.deepcopy(D.raw)

    def item(link_id, items=None):
        for i in items if items is not None else raw["item"]:
            if i["linkId"] == link_id:
                return i
            found = item(link_id, i.get("item", []))
            if found:
                return found

    item("allergies")["extension"].append({"url": EXT + "summary", "valueString": "Allergies"})
    item("curve_size")["extension"] = [e for e in item("curve_size")["extension"]
                                       if e["url"] != EXT + "summary"]
    definition = from_dict(raw)
    state, _ = at_confirm("spine")
    text = "\n".join(short_summary(state, definition))
    assert "Allergies: penicillin" in text and "Curve" not in text


def test_the_long_summary_is_kept_for_other_callers():
    state, _ = at_confirm("spine")
    lines = [line for _, line in summary_lines(state, D)]
    assert "Allergies: penicillin" in lines and "Practice: Macon Pediatrics" in lines
    assert len(summary(state, D)) >= 5


# ---------------------------------------------------------------- 2. after an edit

def test_an_edit_at_confirm_shows_only_the_changed_line():
    state, _ = at_confirm("spine")
    outcome = say(state, "Family history of spine curves: Yes")
    assert outcome.kind == "corrected" and outcome.link_id == "spine_family_history"
    assert outcome.messages == ["Changed: Family history of spine curves: Yes",
                                SAY["ask_confirm_short"]]
    assert state["answers"]["spine_family_history"] is True
    outcome = say(state, "zip is 31401")
    assert outcome.messages == ["Changed: Home ZIP: 31401", SAY["ask_confirm_short"]]
    assert not state["confirmed"]
    assert say(state, "yes").kind == "done" and state["confirmed"]


def test_an_edit_that_opens_a_question_asks_it_then_only_the_short_ask():
    state, _ = at_confirm("spine", {"child_sex": "boy"})
    outcome = say(state, "sex: female")
    assert outcome.kind == "corrected" and outcome.item.link_id == "periods_started"
    assert outcome.messages[0] == "Changed: Sex: Female"
    outcome = say(state, "yes")
    assert outcome.kind == "confirm"
    assert outcome.messages == ["Changed: Periods started: Yes", SAY["ask_confirm_short"]]


def test_a_refused_edit_at_confirm_resends_no_summary():
    state, _ = at_confirm("spine")
    outcome = say(state, "her birthday is 2/30/2012")
    assert outcome.kind == "reask" and outcome.link_id == "child_birth_date"
    assert len(outcome.messages) == 1 and SAY["summary_key_intro"] not in outcome.messages[0]
    assert state["answers"]["child_birth_date"] == "2012-04-02"


def test_resuming_at_confirm_asks_again_without_the_summary():
    state, _ = at_confirm("spine")
    say(state, "later")
    outcome = say(state, "hi")
    assert outcome.kind == "confirm"
    assert outcome.messages == [SAY["resumed"], SAY["ask_confirm"]]


def test_mid_questionnaire_corrections_still_name_the_next_question():
    state = start()
    run(state, stop_at="medicines")
    outcome = say(state, "actually her birthday is 4/3/2012")
    assert outcome.messages[0] == "Thanks, I changed date of birth to Apr 3, 2012."
    assert outcome.item.link_id == "medicines"


# ---------------------------------------------------------------- 3. edits by field name

EDITS = [
    ("Family history of spine curves: Yes", "spine_family_history", True),
    ("family history is yes", "spine_family_history", True),
    ("her birthday is 4/3/2012", "child_birth_date", "2012-04-03"),
    ("change the email to x@y.com", "guardian_email", "x@y.com"),
    ("brace hours 20", "brace_hours", 20),
    ("sex: male", "child_sex", "male"),
    ("mobile is 478 555 0100", "guardian_mobile", "+14785550100"),
    ("Back pain: no", "back_pain", False),
    ("treatment now is brace", "current_treatment", ["brace"]),
    ("next step: surgery and brace", "recommended_treatment", ["surgery", "brace"]),
    ("Reach you by: email", "contact_preference", "email"),
    ("Curve size (degrees): 38", "curve_size", 38),
    ("diagnosis: idiopathic scoliosis", "diagnosis", "idiopathic scoliosis"),
]


@pytest.mark.parametrize("text, link_id, value", EDITS)
def test_edits_by_field_name_at_confirm(text, link_id, value):
    state, _ = at_confirm("spine")
    outcome = say(state, text)
    assert outcome.kind == "corrected" and outcome.link_id == link_id, outcome
    assert state["answers"][link_id] == value
    assert outcome.messages[0].startswith("Changed: ")


@pytest.mark.parametrize("text, link_id, value",
                         [e for e in EDITS if e[1] != "diagnosis"])
def test_edits_by_field_name_mid_way(text, link_id, value):
    state = start()
    run(state, stop_at="medicines")  # a free-text question: the edit is no answer to it
    outcome = say(state, text)
    assert outcome.kind == "corrected" and outcome.link_id == link_id, outcome
    assert state["answers"][link_id] == value
    assert outcome.item.link_id == "medicines" and "medicines" not in state["answers"]


def test_a_field_name_and_a_value_is_an_edit_even_while_a_free_text_question_is_open():
    state = start()
    run(state, stop_at="diagnosis")
    outcome = say(state, "sex: male")
    assert outcome.kind == "corrected" and state["answers"]["child_sex"] == "male"
    assert "diagnosis" not in state["answers"]


def test_the_item_whose_parser_takes_the_value_wins():
    state, _ = at_confirm("hip")  # "born" is the birth date's keyword and in "Born breech"
    assert say(state, "born breech: no").link_id == "breech"
    assert state["answers"]["breech"] is False
    assert say(state, "born 5/1/2012").link_id == "child_birth_date"
    assert state["answers"]["child_birth_date"] == "2012-05-01"


def test_the_longest_name_wins_over_a_shorter_keyword():
    state, _ = at_confirm("spine")
    say(state, "Family history of spine curves: Yes")
    assert state["answers"]["curve_size"] == 45  # "curve" is not what was meant


@pytest.mark.parametrize("text", ["Her back pain is worse after school so she takes Advil",
                                  "back pain: ibuprofen"])
def test_free_text_that_only_mentions_a_field_is_still_the_answer(text):
    state = start()
    run(state, stop_at="medicines")
    outcome = say(state, text)
    assert outcome.kind == "ask" and state["answers"]["medicines"] == text
    assert state["answers"]["back_pain"] is True  # "a little", unchanged


# ---------------------------------------------------------------- 4. confirm phrases

@pytest.mark.parametrize("text", ["yes", "Yes!", "yes that's right", "looks good", "correct",
                                  "yep all good", "that's correct", "all correct",
                                  "perfect thanks", "1", "Yes, that\u2019s right.",
                                  "\U0001F44D", "ok", "all good thank you"])
def test_confirm_phrases(text):
    state, _ = at_confirm("spine")
    outcome = say(state, text)
    assert outcome.kind == "done" and state["confirmed"]


@pytest.mark.parametrize("text", ["no", "not right", "that's wrong", "no the email is wrong",
                                  "thanks", "correct the email please", "2"])
def test_not_a_confirmation(text):
    state, _ = at_confirm("spine")
    outcome = say(state, text)
    assert outcome.kind != "done" and not state["confirmed"]


# ---------------------------------------------------------------- 5. several choices

@pytest.mark.parametrize("text", ["1 and 4", "1,4", "1, 4", "1 & 4", "1/4"])
def test_several_numbers_store_both(text):
    state = start()
    run(state, stop_at="current_treatment")
    outcome = say(state, text)
    assert outcome.kind == "ask" and outcome.item.link_id == "recommended_treatment"
    assert state["answers"]["current_treatment"] == ["watching", "physical_therapy"]


@pytest.mark.parametrize("text", ["brace and PT", "brace + pt", "brace & pt", "brace/pt"])
def test_several_words_store_both(text):
    state = start()
    run(state, stop_at="current_treatment")
    say(state, text)
    assert state["answers"]["current_treatment"] == ["brace", "physical_therapy"]


@pytest.mark.parametrize("text", ["1 and 3", "1,3", "1 & 3", "1/3", "text + email"])
def test_a_single_choice_refuses_two(text):
    state = start()
    run(state, stop_at="contact_preference")
    outcome = say(state, text)
    assert outcome.kind == "reask" and outcome.reason == "one_choice"
    assert "contact_preference" not in state["answers"]


# ---------------------------------------------------------------- 6. names

def test_a_full_name_for_the_first_name_offers_the_last_name():
    state = start()
    outcome = say(state, "Kayleigh Thompson")
    assert state["answers"]["child_first_name"] == "Kayleigh"
    assert "child_last_name" not in state["answers"]
    assert outcome.item.link_id == "child_last_name"
    assert outcome.messages == ["Is Thompson the last name? Reply yes or type it."]
    assert prompt(state, D) == outcome.messages[0]  # also when asked again later
    outcome = say(state, "yes")
    assert state["answers"]["child_last_name"] == "Thompson"
    assert outcome.item.link_id == "child_sex" and "offer" not in state


def test_a_typed_last_name_replaces_the_offer():
    state = start()
    say(state, "her name is Kayleigh Thompson")
    say(state, "Thompson-Reyes")
    assert state["answers"]["child_first_name"] == "Kayleigh"
    assert state["answers"]["child_last_name"] == "Thompson-Reyes"


def test_no_to_the_offer_keeps_the_whole_first_name():
    state = start()
    say(state, "mary kate")
    outcome = say(state, "no")
    assert state["answers"]["child_first_name"] == "Mary Kate"
    assert outcome.item.link_id == "child_last_name"
    assert outcome.messages[0] == "OK, the first name is Mary Kate."
    assert outcome.messages[1] == "What is your child's last name?"
    say(state, "smith")
    assert state["answers"]["child_last_name"] == "Smith"


def test_the_offer_survives_a_refused_answer_and_goes_with_back():
    state = start()
    say(state, "Kayleigh Thompson")
    outcome = say(state, "idk")
    assert outcome.kind == "reask" and outcome.messages[-1].startswith("Is Thompson")
    outcome = say(state, "back")
    assert outcome.item.link_id == "child_first_name" and "offer" not in state


@pytest.mark.parametrize("text", ["ok. Ava", "its ava", "her name is Ava!", "Ava",
                                  "ava \U0001F60A"])
def test_a_name_with_words_around_it(text):
    state = start()
    outcome = say(state, text)
    assert state["answers"]["child_first_name"] == "Ava"
    assert outcome.item.link_id == "child_last_name"


@pytest.mark.parametrize("text", ["wait, how long does the review take?", "start over",
                                  "nevermind", "restart", "cancel", "i dont want to say",
                                  "12", "\U0001F60A\U0001F60A", "what?", "who is asking"])
def test_what_is_no_name_is_refused_and_not_stored(text):
    state = start()
    outcome = say(state, text)
    assert outcome.kind == "reask" and outcome.item.link_id == "child_first_name"
    assert outcome.messages[0] == SAY["name"]
    assert "child_first_name" not in state["answers"]


def test_the_parent_full_name_is_not_split():
    state = start()
    run(state, stop_at="guardian_name")
    say(state, "Jane Smith")
    assert state["answers"]["guardian_name"] == "Jane Smith" and "offer" not in state


# ---------------------------------------------------------------- 7. idk

@pytest.mark.parametrize("text", ["idk", "not sure", "don't know", "no idea"])
def test_idk_on_an_optional_question_is_unknown(text):
    state = start()
    run(state, stop_at="curve_size")
    outcome = say(state, text)
    assert outcome.kind == "ask" and "curve_size" in state["unknown"]
    assert outcome.item.link_id == "spine_brace"


@pytest.mark.parametrize("text", ["idk", "not sure", "don't know", "no idea"])
def test_idk_on_a_required_question_says_why_and_how_to_go_on(text):
    state = start()
    outcome = say(state, text)
    assert outcome.kind == "reask" and outcome.reason == "required"
    why = D.item("child_first_name").why
    assert why in outcome.messages[0] and "upload page" in outcome.messages[0]
    assert "later" in outcome.messages[0]
    assert why not in outcome.messages[1]  # not said twice
    assert outcome.messages[1].startswith("What is your child's first name?")
    assert "child_first_name" not in state["answers"]
    assert "child_first_name" not in state["unknown"]


def test_idk_on_a_required_question_without_a_why():
    state = start()
    run(state, stop_at="spine_brace")
    outcome = say(state, "no idea")
    assert outcome.messages[0] == ("We need this for the review. If you don't have it now, "
                                   "reply later and finish on the upload page.")
    assert "spine_brace" not in state["answers"] and "spine_brace" not in state["unknown"]


# ---------------------------------------------------------------- 8. prefill

def test_the_new_prefill_keys_are_not_asked_again():
    state = new_state({**SCREENING, "screening.program": "spine",
                       "screening.diagnosis": "scoliosis", "screening.child_sex": "female",
                       "screening.curve_size": 45}, D)
    assert state["answers"]["diagnosis"] == "scoliosis"
    assert state["answers"]["child_sex"] == "female" and state["answers"]["curve_size"] == 45
    asked, outcome = run(state)
    assert not {"diagnosis", "child_sex", "curve_size"} & set(asked)
    assert outcome.kind == "confirm"


@pytest.mark.parametrize("sex, curve, expected", [
    ("girl", "about 45 degrees", ("female", 45)), ("male", "30", ("male", 30)),
    ("purple", "300", (None, None)), ("", None, (None, None)),
])
def test_prefill_values_are_read_like_chat_answers(sex, curve, expected):
    state = new_state({"screening.program": "spine", "screening.child_sex": sex,
                       "screening.curve_size": curve}, D)
    assert (state["answers"].get("child_sex"), state["answers"].get("curve_size")) == expected
    if expected[0] is None:  # a value we cannot take is asked instead
        run(state, stop_at="child_sex")
        assert next_item(state, D).link_id == "child_sex"


def test_replies_cover_every_question():  # the shared REPLIES drive the tests above
    assert {q.link_id for q in D.questions()} - {"program"} <= set(REPLIES)
