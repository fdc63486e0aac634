"""Parent replies, with typos and SMS shorthand, read as typed answers."""
from __future__ import annotations

from datetime import date

import pytest

from bot.questionnaire.answers import ERROR, OK, SKIP, UNKNOWN, parse_answer
from bot.questionnaire.model import load_definition
from tests.questionnaire import max_age_21  # noqa: F401  (autouse fixture)

TODAY = date(2025, 6, 15)
D = load_definition()
KNOWN = {"guardian_mobile": "+14785550142"}


def parse(link_id, text):
    return parse_answer(D.item(link_id), text, TODAY, KNOWN)


def ok(link_id, text):
    parsed = parse(link_id, text)
    assert parsed.status == OK, (text, parsed)
    return parsed.value


# ---------------------------------------------------------------- skip / don't know

@pytest.mark.parametrize("text, status", [
    ("skip", SKIP), ("Skip.", SKIP), ("pass", SKIP), ("n/a", SKIP), ("N/A", SKIP),
    ("I don't know", UNKNOWN), ("i dont know", UNKNOWN), ("idk", UNKNOWN), ("IDK?", UNKNOWN),
    ("not sure", UNKNOWN), ("no idea", UNKNOWN), ("dunno", UNKNOWN), ("um, idk", UNKNOWN),
    ("I don\u2019t know", UNKNOWN), ("?", UNKNOWN),
])
def test_optional_questions_can_be_skipped(text, status):
    assert parse("curve_size", text).status == status
    assert parse("spine_family_history", text).status == status


@pytest.mark.parametrize("link_id", ["child_first_name", "child_birth_date", "spine_red_flag",
                                     "current_treatment", "guardian_mobile"])
@pytest.mark.parametrize("text", ["skip", "idk", "not sure", "", "   "])
def test_required_questions_cannot_be_skipped(link_id, text):
    parsed = parse(link_id, text)
    assert parsed.status == ERROR and parsed.reason == "required"


def test_no_email_is_a_skip_but_none_is_an_answer_for_free_text():
    assert parse("guardian_email", "no email").status == SKIP
    assert parse("guardian_email", "I don't have one").status == SKIP
    assert ok("medicines", "none") == "none"


# ---------------------------------------------------------------- yes / no

@pytest.mark.parametrize("text, value", [
    ("yes", True), ("Yes!", True), ("y", True), ("yeah", True), ("yep", True), ("yup", True),
    ("1", True), ("she does", True), ("he has", True), ("yes but only at night", True),
    ("ok yes", True), ("no", False), ("No.", False), ("n", False), ("nope", False),
    ("nah", False), ("2", False), ("not anymore", False), ("she doesn't", False),
    ("never", False), ("no, not since the brace", False),
])
def test_yes_no(text, value):
    assert ok("spine_brace", text) is value


@pytest.mark.parametrize("text", ["kind of", "3", "1 and 2", "maybe", "blue"])
def test_unclear_yes_no_is_asked_again(text):
    assert parse("spine_brace", text).reason == "yes_no"


@pytest.mark.parametrize("text", [
    "yes", "no numbness but some weakness in her legs", "she wet herself last week",
    "yes and no", "her legs feel numb sometimes",
])
def test_red_flag_question_leans_to_yes(text):
    assert ok("spine_red_flag", text) is True


def test_red_flag_plain_no_is_no():
    assert ok("spine_red_flag", "no") is False
    assert ok("spine_red_flag", "nope none of that") is False


# ---------------------------------------------------------------- choices

@pytest.mark.parametrize("text, codes", [
    ("2", ["brace"]), ("#2", ["brace"]), ("1 and 3", ["watching", "cast_or_harness"]),
    ("1,4", ["watching", "physical_therapy"]), ("brace", ["brace"]), ("Brace.", ["brace"]),
    ("brace, pt", ["brace", "physical_therapy"]), ("brace and PT", ["brace", "physical_therapy"]),
    ("pavlik", ["cast_or_harness"]), ("shes in a pavlick harnes", ["cast_or_harness"]),
    ("phisical therapy", ["physical_therapy"]), ("brase", ["brace"]),
    ("wait and see", ["watching"]), ("just watching it", ["watching"]),
    ("nothing yet", ["none"]), ("no surgery, just a brace", ["brace"]),
    ("back brace and schroth exercises", ["brace", "physical_therapy"]),
    ("spinal fusion", ["surgery"]),
])
def test_repeating_choice(text, codes):
    assert ok("current_treatment", text) == codes


@pytest.mark.parametrize("text", ["7", "0", "1 and 9", "a unicorn", "banana bread"])
def test_unknown_choice_is_asked_again(text):
    assert parse("current_treatment", text).reason == "choice"


@pytest.mark.parametrize("text, code", [
    ("1", "female"), ("girl", "female"), ("F", "female"), ("female", "female"),
    ("femal", "female"), ("she's my daughter", "female"), ("2", "male"), ("boy", "male"),
])
def test_single_choice(text, code):
    assert ok("child_sex", text) == code


@pytest.mark.parametrize("text", ["1 and 4", "1,4", "1, 4", "1 & 4", "1/4", "1 + 4", "#1 #4"])
def test_several_numbers(text):
    assert ok("current_treatment", text) == ["watching", "physical_therapy"]


@pytest.mark.parametrize("text", ["brace and PT", "brace + pt", "brace & pt", "brace/pt",
                                  "Brace, PT"])
def test_several_words(text):
    assert ok("current_treatment", text) == ["brace", "physical_therapy"]


@pytest.mark.parametrize("text", ["text or email", "1 and 3", "1,3", "1 & 3", "1/3",
                                  "text + email"])
def test_single_choice_refuses_two_answers(text):
    assert parse("contact_preference", text).reason == "one_choice"


@pytest.mark.parametrize("text, codes", [
    ("xray", ["xray"]), ("X-rays", ["xray"]), ("x ray and mri", ["xray", "mri"]),
    ("cat scan", ["ct"]), ("2, 4", ["mri", "ultrasound"]), ("no", ["none"]),
    ("no mri just xrays", ["xray"]),
])
def test_imaging_types(text, codes):
    assert ok("imaging_types", text) == codes


@pytest.mark.parametrize("link_id, text, value", [
    ("guardian_relationship", "mom", "mother"),
    ("guardian_relationship", "I'm her mom", "mother"),
    ("guardian_relationship", "2", "father"),
    ("guardian_relationship", "grandma", "grandparent"),
    ("guardian_relationship", "aunt", {"text": "aunt"}),
    ("guardian_relationship", "step mom", {"text": "step mom"}),
    ("other_conditions", "none", ["none"]),
    ("other_conditions", "she has CP", ["cerebral_palsy"]),
    ("other_conditions", "marfans", ["connective_tissue"]),
    ("other_conditions", "cp and asthma", ["cerebral_palsy", {"text": "asthma"}]),
    ("other_conditions", "asthma", [{"text": "asthma"}]),
])
def test_open_choice_keeps_free_text(link_id, text, value):
    assert ok(link_id, text) == value


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("text", [
    "4/2/2012", "04/02/2012", "4/2/12", "April 2, 2012", "april 2 2012", "Apr 2nd 2012",
    "2 April 2012", "2012-04-02", "4-2-2012", "4.2.2012", "her birthday is 4/2/2012",
    "dob 4/2/12",
])
def test_birth_date_in_common_forms(text):
    assert ok("child_birth_date", text) == "2012-04-02"


@pytest.mark.parametrize("text, reason", [
    ("5/1/2030", "future_date"), ("6/16/2025", "future_date"), ("1/1/2001", "too_old"),
    ("6/15/2004", "too_old"), ("2/30/2015", "date"), ("she is 12", "date"),
    ("last spring", "date"), ("March 2015", "date"),
])
def test_bad_birth_dates_are_refused(text, reason):
    assert parse("child_birth_date", text).reason == reason


def test_birth_date_just_under_the_age_limit_and_today():
    assert ok("child_birth_date", "6/16/2004") == "2004-06-16"
    assert ok("child_birth_date", "6/15/2025") == "2025-06-15"


@pytest.mark.parametrize("text, value", [
    ("March 2023", "2023-03"), ("march of 2023", "2023-03"), ("3/2023", "2023-03"),
    ("Sept 2024", "2024-09"), ("2023", "2023"), ("in 2023 I think", "2023"),
    ("3/5/2023", "2023-03-05"), ("2 years ago", "2023"), ("last month", "2025-05"),
    ("a year ago", "2024"), ("2023-03", "2023-03"),
])
def test_partial_dates_for_when_it_was_found(text, value):
    assert ok("diagnosis_date", text) == value


@pytest.mark.parametrize("text, reason", [
    ("Dec 2026", "future_date"), ("2027", "future_date"), ("7/1/2025", "future_date"),
    ("soon", "month_year"), ("maybe", "month_year"),
])
def test_bad_partial_dates(text, reason):
    assert parse("diagnosis_date", text).reason == reason


# ---------------------------------------------------------------- numbers, phones, text

@pytest.mark.parametrize("text, value", [
    ("30", 30), ("about 30 degrees", 30), ("30\u00b0", 30), ("like 25-30", 25),
    ("32.5", 32), ("Cobb angle 45", 45),
])
def test_curve_size(text, value):
    assert ok("curve_size", text) == value


@pytest.mark.parametrize("link_id, text, reason", [
    ("curve_size", "big", "number"), ("curve_size", "200 degrees", "range"),
    ("brace_hours", "25", "range"), ("brace_hours", "all day", "number"),
])
def test_bad_numbers(link_id, text, reason):
    assert parse(link_id, text).reason == reason


@pytest.mark.parametrize("text", ["478-555-0142", "(478) 555-0142", "4785550142",
                                  "478.555.0142", "+1 478 555 0142", "my cell is 478 555 0142"])
def test_phone(text):
    assert ok("guardian_mobile", text) == "+14785550142"


@pytest.mark.parametrize("text", ["12345", "call me", "555"])
def test_bad_phone(text):
    assert parse("guardian_mobile", text).reason == "phone"


def test_fee_call_number_can_be_the_same_as_the_mobile():
    assert ok("fee_call_phone", "same") == "+14785550142"
    assert ok("fee_call_phone", "same number") == "+14785550142"
    assert ok("fee_call_phone", "478-555-0199") == "+14785550199"
    assert parse_answer(D.item("fee_call_phone"), "same", TODAY, {}).reason == "phone"


@pytest.mark.parametrize("text, value", [
    ("Jane.Doe@Gmail.com", "jane.doe@gmail.com"), ("it's jd+ortho@mail.co", "jd+ortho@mail.co"),
])
def test_email(text, value):
    assert ok("guardian_email", text) == value


@pytest.mark.parametrize("text", ["jane at gmail", "jane@", "@gmail.com", "jane@gmail"])
def test_bad_email(text):
    assert parse("guardian_email", text).reason == "email"


@pytest.mark.parametrize("text, value", [
    ("emma", "Emma"), ("Emma", "Emma"), ("her name is Emma", "Emma"), ("McKenzie", "McKenzie"),
    ("mary kate", "Mary Kate"), ("o'brien", "O'Brien"),
])
def test_names(text, value):
    assert ok("child_first_name", text) == value


def test_bad_names():
    assert parse("child_first_name", "12").reason == "name"
    assert parse("child_first_name", "x" * 61).reason == "too_long"


@pytest.mark.parametrize("text, value", [
    ("ok. Ava", "Ava"), ("its ava", "Ava"), ("her name is Ava!", "Ava"), ("Ava \U0001F60A", "Ava"),
    ("Kayleigh Thompson", "Kayleigh Thompson"),  # the web form keeps it; the chat splits it
    ("Maria de la Cruz", "Maria de la Cruz"), ("Will", "Will"), ("A.J. Smith", "A.J. Smith"),
])
def test_names_with_words_around_them(text, value):
    assert ok("child_first_name", text) == value


@pytest.mark.parametrize("link_id, text, value", [
    ("pcp_name", "Dr. Lee", "Dr. Lee"), ("pcp_name", "her pediatrician is Dr. Ann Patel",
                                         "Dr. Ann Patel"),
    ("pcp_name", "Dr Jones at Macon Peds", "Dr Jones at Macon Peds"),
    ("guardian_name", "I'm Jane Smith", "Jane Smith"),
])
def test_other_names(link_id, text, value):
    assert ok(link_id, text) == value


@pytest.mark.parametrize("text", [
    "wait, how long does the review take?", "start over", "nevermind", "restart", "cancel",
    "i dont want to say", "12", "\U0001F60A", "\U0001F60A\U0001F60A", "what?", "Emma?",
    "why do you need this", "jane@example.com", "sex: female",
])
def test_what_is_no_name(text):
    assert parse("child_first_name", text).reason == "name"


def test_zip_and_age():
    assert ok("home_zip", "zip is 31201") == "31201"
    assert parse("home_zip", "Macon").reason == "zip"
    assert ok("hip_age_at_diagnosis", "6 weeks") == "6 weeks"
    assert ok("hip_age_at_diagnosis", "at birth") == "at birth"
    assert parse("hip_age_at_diagnosis", "blue").reason == "age"


def test_free_text_is_kept_as_typed():
    text = "Will she need surgery? Is 18 hrs a day of bracing really needed?"
    assert ok("main_questions", text) == text
