"""The chat walk-through: order, enableWhen, skip, back, corrections, pause, summary."""
from __future__ import annotations

import json
from datetime import date

import pytest

from bot.questionnaire.engine import apply, new_state, next_item, progress
from bot.questionnaire.model import load_definition
from bot.questionnaire.summary import summary
from tests.questionnaire import max_age_21  # noqa: F401  (autouse fixture)

TODAY = date(2025, 6, 15)
D = load_definition()
SCREENING = {"screening.home_zip": "31201", "screening.child_birth_date": date(2012, 4, 2)}

# What a parent types for each question, SMS style.
REPLIES = {
    "program": "spine", "child_first_name": "emma", "child_last_name": "smith",
    "child_birth_date": "4/2/2012", "child_sex": "girl", "guardian_name": "Jane Smith",
    "guardian_relationship": "mom", "guardian_mobile": "478-555-0142",
    "guardian_email": "jane@example.com", "contact_preference": "txt", "home_zip": "31201",
    "diagnosis": "scoliosis", "diagnosis_date": "march 2023", "diagnosed_by": "Dr Jones, Macon",
    "current_treatment": "brace and pt", "recommended_treatment": "surgery",
    "main_questions": "Does she really need surgery?", "curve_size": "about 45 degrees",
    "spine_brace": "yes", "brace_hours": "18 hrs", "back_pain": "a little",
    "spine_red_flag": "no", "periods_started": "yes", "spine_family_history": "idk",
    "spine_surgery": "no", "hip_age_at_diagnosis": "6 weeks", "breech": "yes",
    "first_born": "yes", "pavlik": "yes", "spica": "no", "hip_surgery": "no",
    "limp_or_pain": "no", "hip_family_history": "not sure", "other_conditions": "none",
    "medicines": "none", "allergies": "penicillin", "pcp_name": "Dr. Lee",
    "pcp_practice": "Macon Pediatrics", "pcp_phone": "(478) 555-0100",
    "imaging_types": "xray and mri", "imaging_where": "Navicent", "imaging_when": "May 2025",
    "fee_call_phone": "same", "fee_call_time": "mornings",
}
SPINE_ONLY = {"curve_size", "spine_brace", "brace_hours", "back_pain", "spine_red_flag",
              "periods_started", "spine_family_history", "spine_surgery"}
HIP_ONLY = {"hip_age_at_diagnosis", "breech", "first_born", "pavlik", "spica", "hip_surgery",
            "limp_or_pain", "hip_family_history"}


def start(program="spine", **prefill):
    return new_state({**SCREENING, "screening.program": program, **prefill}, D)


def run(state, replies=None, stop_at=None):
    """Answer every question asked until the end (or `stop_at`); returns the asked linkIds
    and the last outcome."""
    replies = {**REPLIES, **(replies or {})}
    asked, outcome = [], None
    item = next_item(state, D)
    while item is not None and item.link_id != stop_at:
        asked.append(item.link_id)
        outcome = apply(state, replies[item.link_id], TODAY, D)
        assert outcome.kind in ("ask", "confirm", "red_flag"), (item.link_id, outcome)
        item = outcome.item
    return asked, outcome


def test_spine_intake_for_a_girl_in_a_brace():
    state = start("spine")
    asked, outcome = run(state)
    assert not set(asked) & HIP_ONLY
    assert SPINE_ONLY <= set(asked)
    assert "child_birth_date" not in asked and "home_zip" not in asked  # prefilled
    assert "program" not in asked
    assert len(asked) == 33
    assert outcome.kind == "confirm" and outcome.item is None
    answers = state["answers"]
    assert answers["current_treatment"] == ["brace", "physical_therapy"]
    assert answers["child_birth_date"] == "2012-04-02"
    assert answers["fee_call_phone"] == answers["guardian_mobile"] == "+14785550142"
    assert state["unknown"] == ["spine_family_history"]
    assert progress(state, D) == (35, 35)


def test_hip_intake_for_a_boy():
    state = start("hip")
    asked, _ = run(state, {"child_sex": "boy"})
    assert not set(asked) & SPINE_ONLY
    assert HIP_ONLY <= set(asked)
    assert len(asked) == 33


def test_both_programs_ask_both_groups():
    asked, _ = run(start("both"))
    assert SPINE_ONLY | HIP_ONLY <= set(asked)


def test_periods_only_for_girls_and_brace_hours_only_with_a_brace():
    asked, _ = run(start("spine"), {"child_sex": "male", "spine_brace": "no"})
    assert "periods_started" not in asked and "brace_hours" not in asked
    assert "back_pain" in asked


def test_no_imaging_means_no_where_and_when():
    asked, _ = run(start("hip"), {"imaging_types": "none yet"})
    assert "imaging_where" not in asked and "imaging_when" not in asked


def test_questions_unlocked_by_a_later_correction_are_asked_next():
    state = start("spine")
    run(state, {"child_sex": "boy"}, stop_at="other_conditions")
    outcome = apply(state, "actually, sex is female", TODAY, D)
    assert outcome.kind == "corrected" and outcome.link_id == "child_sex"
    assert outcome.item.link_id == "periods_started"  # the one question now missing


def test_missing_prefill_is_asked_and_a_bad_program_is_ignored():
    state = new_state({"screening.program": "knee"}, D)
    assert next_item(state, D).link_id == "program"
    assert apply(state, "2", TODAY, D).item.link_id == "child_first_name"
    assert state["answers"]["program"] == "hip"
    asked, _ = run(state)
    assert "child_birth_date" in asked and "home_zip" in asked


def test_refused_answer_is_asked_again_with_the_reason():
    state = start()
    run(state, stop_at="guardian_mobile")
    outcome = apply(state, "call me", TODAY, D)
    assert outcome.kind == "reask" and outcome.reason == "phone"
    assert outcome.item.link_id == "guardian_mobile"
    assert outcome.messages[0] == D.messages["phone"]
    assert "guardian_mobile" not in state["answers"]


def test_skip_optional_but_not_required():
    state = start()
    run(state, stop_at="guardian_email")
    outcome = apply(state, "skip", TODAY, D)
    assert outcome.item.link_id == "contact_preference" and "guardian_email" in state["skipped"]
    outcome = apply(state, "skip", TODAY, D)
    assert outcome.kind == "reask" and outcome.reason == "required"
    assert outcome.item.link_id == "contact_preference"


def test_back_undoes_the_last_answer_and_asks_it_again():
    state = start()
    run(state, stop_at="guardian_relationship")
    outcome = apply(state, "back", TODAY, D)
    assert outcome.kind == "back" and outcome.item.link_id == "guardian_name"
    assert "guardian_name" not in state["answers"]
    outcome = apply(state, "go back", TODAY, D)
    assert outcome.item.link_id == "child_sex" and "child_sex" not in state["answers"]
    apply(state, "boy", TODAY, D)
    assert state["answers"]["child_sex"] == "male"
    assert next_item(state, D).link_id == "guardian_name"


def test_back_over_a_skip_and_at_the_start():
    state = start()
    assert apply(state, "back", TODAY, D).reason == "cannot_go_back"
    run(state, stop_at="contact_preference")
    assert "guardian_email" in state["skipped"] or "guardian_email" in state["answers"]
    apply(state, "back", TODAY, D)
    assert next_item(state, D).link_id == "guardian_email"
    assert "guardian_email" not in state["answers"] and "guardian_email" not in state["skipped"]
    assert "home_zip" in state["answers"]  # prefilled answers are not undone


@pytest.mark.parametrize("text, link_id, value", [
    ("actually her birthday is 4/3/2012", "child_birth_date", "2012-04-03"),
    ("Actually her DOB is March 4, 2012", "child_birth_date", "2012-03-04"),
    ("oops she was born 2012-05-01", "child_birth_date", "2012-05-01"),
    ("correction: zip is 31401", "home_zip", "31401"),
    ("sorry my email is jane.s@example.com", "guardian_email", "jane.s@example.com"),
    ("wait, the curve is 38 degrees", "curve_size", 38),
])
def test_corrections_change_an_earlier_answer_and_continue(text, link_id, value):
    state = start()
    run(state, stop_at="medicines")
    outcome = apply(state, text, TODAY, D)
    assert outcome.kind == "corrected" and outcome.link_id == link_id
    assert state["answers"][link_id] == value
    assert outcome.item.link_id == "medicines"  # the current question comes again
    assert outcome.messages[0].startswith("Thanks, I changed")


def test_a_bad_correction_is_explained_and_changes_nothing():
    state = start()
    run(state, stop_at="medicines")
    outcome = apply(state, "actually her birthday is 2/30/2012", TODAY, D)
    assert outcome.kind == "reask" and outcome.reason == "date"
    assert outcome.link_id == "child_birth_date" and outcome.item.link_id == "medicines"
    assert state["answers"]["child_birth_date"] == "2012-04-02"
    assert "medicines" not in state["answers"]


def test_without_a_cue_word_a_valid_answer_is_not_taken_for_a_correction():
    state = start()
    run(state, stop_at="main_questions")
    text = "Should she wear the brace for fewer hours? Is her zip code a problem?"
    outcome = apply(state, text, TODAY, D)
    assert outcome.kind == "ask" and state["answers"]["main_questions"] == text
    assert state["answers"]["home_zip"] == "31201"


def test_without_a_cue_word_a_non_answer_naming_an_earlier_question_corrects_it():
    state = start()
    run(state, stop_at="back_pain")
    outcome = apply(state, "my zip is 31401", TODAY, D)
    assert outcome.kind == "corrected" and state["answers"]["home_zip"] == "31401"
    assert outcome.item.link_id == "back_pain"


def test_answering_yes_breech_is_not_a_birthday_correction():
    state = start("hip")
    run(state, stop_at="breech")
    outcome = apply(state, "actually yes, she was born breech", TODAY, D)
    assert outcome.kind == "ask" and state["answers"]["breech"] is True
    assert state["answers"]["child_birth_date"] == "2012-04-02"


def test_pause_and_resume_days_later_from_json():
    state = start()
    run(state, stop_at="diagnosis")
    outcome = apply(state, "Later!", TODAY, D)
    assert outcome.kind == "paused" and outcome.item.link_id == "diagnosis"
    stored = json.dumps(state)  # e.g. a DB column; the server restarts in between
    state = json.loads(stored)
    outcome = apply(state, "hi", date(2025, 6, 20), D)
    assert outcome.kind == "resumed" and outcome.item.link_id == "diagnosis"
    assert outcome.messages[0] == D.messages["resumed"]
    assert state["answers"]["guardian_name"] == "Jane Smith"  # nothing asked again
    apply(state, "hip dysplasia", date(2025, 6, 20), D)
    assert state["answers"]["diagnosis"] == "hip dysplasia"


def test_an_answer_after_a_pause_is_taken_as_the_answer():
    state = start()
    run(state, stop_at="diagnosis")
    apply(state, "stop", TODAY, D)
    outcome = apply(state, "scoliosis", TODAY, D)
    assert outcome.kind == "ask" and state["answers"]["diagnosis"] == "scoliosis"
    assert not state.get("paused")


@pytest.mark.parametrize("text", ["pause", "not now", "I'll finish this later", "gtg"])
def test_pause_words(text):
    assert apply(start(), text, TODAY, D).kind == "paused"


def test_web_form_request():
    outcome = apply(start(), "can I finish on the website", TODAY, D)
    assert outcome.kind == "web_form" and outcome.item.link_id == "child_first_name"


def test_red_flag_yes_is_reported_and_the_intake_goes_on():
    state = start()
    run(state, stop_at="spine_red_flag")
    outcome = apply(state, "yes her legs went numb", TODAY, D)
    assert outcome.kind == "red_flag" and outcome.link_id == "spine_red_flag"
    assert state["red_flags"] == ["spine_red_flag"]
    assert outcome.item.link_id == "periods_started"


def test_red_flag_no_is_not_reported():
    state = start()
    run(state, stop_at="periods_started")
    assert state["red_flags"] == [] and state["answers"]["spine_red_flag"] is False


def test_summary_fits_in_sms_and_confirm():
    state = start()
    _, outcome = run(state, {"main_questions": "Why surgery now? " * 30})
    messages = summary(state, D)
    assert len(messages) >= 5
    assert all(len(m) <= 300 for m in messages)
    text = "\n".join(messages)
    assert "Child's first name: Emma" in text and "Date of birth: Apr 2, 2012" in text
    assert "Treatment now: Brace, Physical therapy" in text
    assert "Your mobile: (478) 555-0142" in text and "Diagnosed: Mar 2023" in text
    assert "Family history of spine curves: not sure" in text
    assert "Breech" not in text  # hip questions are not part of a spine intake
    assert "\u2026" in text  # the long free text is cut in the summary only
    assert outcome.messages[-1] == D.messages["ask_confirm"]
    assert len(outcome.messages) <= 3  # the chat sends the short summary, not this one
    outcome = apply(state, "no", TODAY, D)  # a no asks which answer to change
    assert outcome.messages == [D.messages["which_change"]] and not state["confirmed"]
    outcome = apply(state, "zip is 31401", TODAY, D)
    assert outcome.kind == "corrected"  # only the changed line, never the summary again
    assert outcome.messages == ["Changed: Home ZIP: 31401", D.messages["ask_confirm_short"]]
    outcome = apply(state, "yes", TODAY, D)
    assert outcome.kind == "done" and state["confirmed"]


def test_progress_counts_only_enabled_questions():
    state = start("spine")
    answered, total = progress(state, D)
    assert answered == 2  # the prefilled birth date and ZIP
    run(state, {"spine_brace": "no", "child_sex": "boy"}, stop_at="pcp_name")
    # imaging where/when are not counted until the imaging question has an answer
    assert progress(state, D) == (25, 31)
    run(state, {"spine_brace": "no", "child_sex": "boy"})
    assert progress(state, D) == (33, 33)
