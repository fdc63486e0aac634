"""Answers parents really typed (round 2 of parent testing): declining the email in
their own words, dates like "last week" or "when she was born", a clock time for the
time of day, thumbs up and iPhone reactions for yes/no, a relative named for family
history, natural treatment words, questions skipped when an earlier answer makes
them pointless, and "like I said" kept out of saved answers."""
from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest

from bot.portal.form import sections
from bot.questionnaire.answers import OK, SKIP, parse_answer
from bot.questionnaire.engine import apply, next_item
from bot.questionnaire.model import DefinitionError, enabled, from_dict, load_definition
from tests.questionnaire import max_age_21  # noqa: F401  (autouse fixture)
from tests.questionnaire.test_engine import run, start

D = load_definition()
TODAY = date(2026, 11, 20)  # a Friday
BORN = {"child_birth_date": "2025-04-02"}


def parse(link_id, text, answers=None):
    return parse_answer(D.item(link_id), text, TODAY, answers or {})


# ---------------------------------------------------------------- email declined

@pytest.mark.parametrize("text", [
    "No email, sorry", "nope 🙅‍♀️", "no email", "don't have one", "none", "n/a", "N/A",
    "we don't use email", "I don't have email", "we dont do email", "nah sorry",
    "no email but you can text me", "i have none", "No thanks", "dont have an email",
])
def test_no_email_in_a_parents_words_is_a_skip(text):
    assert parse("guardian_email", text).status == SKIP


@pytest.mark.parametrize("text, value", [
    ("no, it's jane@gmail.com", "jane@gmail.com"), ("Jane@Example.com thanks", "jane@example.com"),
])
def test_an_email_is_still_read_after_a_no(text, value):
    assert parse("guardian_email", text).value == value


def test_an_unreadable_email_is_still_refused():
    assert parse("guardian_email", "jane at gmail").reason == "email"


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("text, value", [
    ("Last week", "2026-11"), ("last weekend", "2026-11"), ("this past week", "2026-11"),
    ("last month", "2026-10"), ("a few weeks ago", "2026-10"), ("a couple weeks back", "2026-11"),
    ("yesterday", "2026-11"), ("3 days ago", "2026-11"), ("the other day", "2026-11"),
    ("this summer", "2026-07"), ("March 2025", "2025-03"), ("2 years ago", "2024"),
])
def test_relative_dates(text, value):
    for link_id in ("imaging_when", "diagnosis_date"):
        assert parse(link_id, text, BORN).value == value, (link_id, text)


def test_last_week_early_in_a_month_is_last_month():
    item = D.item("imaging_when")
    assert parse_answer(item, "last week", date(2026, 12, 3)).value == "2026-11"
    assert parse_answer(item, "yesterday", date(2026, 12, 1)).value == "2026-11"


@pytest.mark.parametrize("text, value", [
    ("when she was born", "2025-04-02"), ("When she was born at the hospital", "2025-04-02"),
    ("at birth", "2025-04-02"), ("right after he was born", "2025-04-02"),
    ("as a newborn", "2025-04-02"), ("at 6 months old", "2025-10"),
    ("when he was 1", "2026-04"), ("at her 4 month checkup", "2025-08"),
])
def test_a_time_in_the_childs_life_counts_from_the_birth_date(text, value):
    assert parse("diagnosis_date", text, BORN).value == value


def test_without_a_birth_date_a_month_and_year_is_asked_for():
    parsed = parse("diagnosis_date", "when she was born")
    assert parsed.reason == "from_birth"
    assert "month and year is fine" in D.messages["from_birth"]


def test_an_age_older_than_the_child_is_refused_and_a_bare_number_is_no_date():
    assert parse("diagnosis_date", "when he was 5", BORN).reason == "future_date"
    assert parse("diagnosis_date", "2", BORN).status != OK


# ---------------------------------------------------------------- time of day

@pytest.mark.parametrize("text, code", [
    ("after 3pm", "afternoon"), ("after 3", "afternoon"), ("3:30", "afternoon"),
    ("any time after 3", "afternoon"), ("after school", "afternoon"), ("evenings", "afternoon"),
    ("before noon", "morning"), ("around 10", "morning"), ("10am", "morning"),
    ("before school", "morning"), ("12:30", "midday"), ("on my lunch break", "midday"),
    ("doesn't matter", "any"), ("2", "midday"), ("Mornings ☀️", "morning"),
])
def test_a_time_of_day_picks_its_part_of_the_day(text, code):
    assert parse("fee_call_time", text).value == code


def test_two_parts_of_the_day_still_ask_for_one():
    assert parse("fee_call_time", "morning or afternoon").reason == "one_choice"


# ---------------------------------------------------------------- yes / no

@pytest.mark.parametrize("text, value", [
    ("👍", True), ("👍🏽", True), ("✅", True), ("👎", False), ("❌", False),
    ('Liked “Does your child have back pain? 1) Yes 2) No”', True),
    ('Liked "Does your child have back pain?"', True),
    ('Disliked “Does your child have back pain? 1) Yes 2) No”', False),
    ("Reacted 👍 to “Does your child have back pain?”", True),
    ("yep", True), ("yes ma'am", True), ("yesss", True), ("yessir", True), ("mhm", True),
    ("nope", False), ("nah", False), ("naw", False), ("no ma'am", False), ("noooo", False),
])
def test_yes_and_no_as_parents_text_them(text, value):
    assert parse("back_pain", text).value is value


def test_a_reaction_that_is_no_answer_is_asked_again():
    assert parse("back_pain", 'Laughed at “Does your child have back pain?”').reason == "yes_no"


@pytest.mark.parametrize("link_id, text, value", [
    ("spine_family_history", "my sister i think", True),
    ("spine_family_history", "her dad had it", True),
    ("spine_family_history", "maybe her aunt?", True),
    ("spine_family_history", "no, but her cousin did", True),
    ("hip_family_history", "my mom had hip dysplasia as a baby", True),
    ("spine_family_history", "not her dad", False),
    ("spine_family_history", "his dad never had it", False),
    ("spine_family_history", "nobody", False),
])
def test_a_relative_named_for_family_history_is_a_yes(link_id, text, value):
    assert parse(link_id, text).value is value


def test_a_relative_is_no_yes_to_other_questions():
    assert parse("breech", "her dad").reason == "yes_no"


# ---------------------------------------------------------------- treatment words

@pytest.mark.parametrize("text, codes", [
    ("Recheck xray in 6 months", ["watching"]), ("follow up in 4 months", ["watching"]),
    ("they want to see her again in 6 months", ["watching"]), ("Just watching 👀", ["watching"]),
    ("boston brace 18 hrs", ["brace"]), ("She has a harness, the Pavlik one", ["cast_or_harness"]),
    ("spica cast", ["cast_or_harness"]), ("Schroth exercises", ["physical_therapy"]),
    ("spinal fusion", ["surgery"]), ("nothing yet", ["none"]),
])
def test_treatment_in_a_parents_words(text, codes):
    assert parse("current_treatment", text).value == codes
    assert parse("recommended_treatment", text).value == codes


# ---------------------------------------------------------------- pointless questions

def asked_in(program, replies=None):
    state = start(program)
    return run(state, replies)[0], state


def test_no_back_brace_question_without_a_brace_now():
    asked, state = asked_in("spine", {"current_treatment": "watching it"})
    assert "spine_brace" not in asked and "brace_hours" not in asked
    assert next_item(state, D) is None  # the walk still ends (the required item is off)
    asked, _ = asked_in("spine", {"current_treatment": "brace"})
    assert {"spine_brace", "brace_hours"} <= set(asked)


def test_no_pavlik_question_after_a_harness_now():
    asked, _ = asked_in("hip", {"current_treatment": "She has a harness, the Pavlik one"})
    assert "pavlik" not in asked and "spica" in asked
    asked, _ = asked_in("hip", {"current_treatment": "watching"})
    assert "pavlik" in asked


def test_no_limp_question_for_a_baby():
    baby = (date.today() - timedelta(days=215)).isoformat()  # about 7 months old
    state = start("hip", **{"screening.child_birth_date": baby})
    asked, _ = run(state)
    assert "limp_or_pain" not in asked and "hip_surgery" in asked
    toddler = (date.today() - timedelta(days=500)).isoformat()
    state = start("hip", **{"screening.child_birth_date": toddler})
    assert "limp_or_pain" in run(state)[0]


def test_the_limp_question_is_asked_when_the_age_is_not_known():
    item = D.item("limp_or_pain")
    assert enabled(D, item, {"program": "hip"})
    assert enabled(D, item, {"program": "hip", "child_birth_date": "not a date"})
    assert not enabled(D, item, {"program": "hip", "child_birth_date": "2026-05-01"}, TODAY)
    assert enabled(D, item, {"program": "hip", "child_birth_date": "2025-11-20"}, TODAY)


def test_the_web_form_shows_the_skipped_questions_as_follow_ups():
    state = start("hip")
    run(state, {"current_treatment": "harness"})
    fields = {f["name"]: f for s in sections(state) for f in s["fields"]}
    assert fields["pavlik"]["conditional"] and not fields["spica"]["conditional"]


def test_min_age_needs_a_birth_date_question():
    raw = copy.deepcopy(D.raw)
    birth = raw["item"][1]["item"][2]
    assert birth["linkId"] == "child_birth_date"
    birth["extension"] = [e for e in birth["extension"] if not e["url"].endswith("intake-format")]
    with pytest.raises(DefinitionError, match="min-age-months"):
        from_dict(raw)


# ---------------------------------------------------------------- "like I said"

@pytest.mark.parametrize("link_id, text, value", [
    ("pcp_practice", "Tift Regional like I said", "Tift Regional"),
    ("diagnosed_by", "The doctor in Tifton, I told you", "The doctor in Tifton"),
    ("pcp_practice", "like i said, Tift Regional", "Tift Regional"),
    ("imaging_where", "Piedmont, as I said before!", "Piedmont"),
    ("imaging_where", "I already told you Navicent", "Navicent"),
    ("medicines", "Zyrtec, like I mentioned 🙄", "Zyrtec"),
    ("pcp_name", "Dr. Kim like I said 🙄", "Dr. Kim"),
    ("pcp_practice", "Saidman Pediatrics", "Saidman Pediatrics"),
])
def test_like_i_said_is_not_saved(link_id, text, value):
    assert parse(link_id, text).value == value


def test_an_answer_that_is_only_a_sigh_is_kept_as_typed():
    assert parse("main_questions", "like i said").value == "like i said"


def test_the_chat_saves_the_answer_without_the_sigh():
    state = start("spine")
    run(state, stop_at="pcp_practice")
    outcome = apply(state, "Tift Regional like I said", TODAY, D)
    assert state["answers"]["pcp_practice"] == "Tift Regional"
    assert outcome.item.link_id == "pcp_phone"
