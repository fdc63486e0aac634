"""The questionnaire file: valid FHIR, plain language, and checked at load."""
from __future__ import annotations

import copy
import re

import pytest
import yaml
from fhir.resources.R4B.questionnaire import Questionnaire

from bot.questionnaire.engine import render
from bot.questionnaire.model import (DEFAULT_PATH, DefinitionError, EnableWhen, condition_met,
                                     from_dict, load_definition)
from tests.readability import grade

DEFINITION = load_definition()
RAW = yaml.safe_load(DEFAULT_PATH.read_text())
QUESTIONS = DEFINITION.questions()
MAX_GRADE = 8
MAX_SMS = 300


def test_the_file_is_a_valid_fhir_questionnaire():
    questionnaire = Questionnaire.parse_obj(RAW)
    assert questionnaire.url == DEFINITION.url
    assert {i.linkId for i in questionnaire.item} >= {"program", "child", "spine", "hip"}


def test_every_topic_of_the_issue_is_asked():
    ids = {q.link_id for q in QUESTIONS}
    assert ids >= {
        "child_first_name", "child_last_name", "child_birth_date", "child_sex",
        "guardian_name", "guardian_relationship", "guardian_mobile", "guardian_email",
        "contact_preference", "home_zip", "diagnosis", "diagnosis_date", "diagnosed_by",
        "current_treatment", "recommended_treatment", "main_questions",
        "curve_size", "spine_brace", "brace_hours", "back_pain", "spine_red_flag",
        "periods_started", "spine_family_history", "spine_surgery",
        "hip_age_at_diagnosis", "breech", "first_born", "pavlik", "spica", "hip_surgery",
        "limp_or_pain", "hip_family_history", "other_conditions", "medicines", "allergies",
        "pcp_name", "pcp_practice", "pcp_phone", "imaging_types", "imaging_where",
        "imaging_when", "fee_call_phone", "fee_call_time"}


def test_treatment_and_imaging_choices_match_the_issue():
    codes = {o.code for o in DEFINITION.item("current_treatment").options}
    assert codes >= {"watching", "brace", "cast_or_harness", "physical_therapy", "surgery"}
    assert DEFINITION.item("current_treatment").repeats
    assert {o.code for o in DEFINITION.item("imaging_types").options} >= {"xray", "mri", "ct",
                                                                         "ultrasound"}


def test_extensions_are_read():
    assert DEFINITION.item("spine_red_flag").red_flag
    assert [q.link_id for q in QUESTIONS if q.red_flag] == ["spine_red_flag"]
    assert DEFINITION.item("home_zip").prefill == "screening.home_zip"
    assert DEFINITION.item("child_birth_date").prefill == "screening.child_birth_date"
    assert DEFINITION.item("program").hidden
    assert "birthday" in DEFINITION.item("child_birth_date").keywords
    assert DEFINITION.item("brace_hours").max_value == 24
    assert "pavlik" in DEFINITION.item("current_treatment").option("cast_or_harness").synonyms


@pytest.mark.parametrize("item", QUESTIONS, ids=lambda i: i.link_id)
def test_each_question_is_plain_and_fits_one_sms(item):
    assert grade(item.text) <= MAX_GRADE
    if item.why:
        assert grade(item.why) <= MAX_GRADE
    assert len(render(item, DEFINITION)) <= MAX_SMS
    assert item.text.count("?") == 1, "one question per message"


@pytest.mark.parametrize("code", sorted(DEFINITION.messages))
def test_chat_messages_are_plain(code):
    assert grade(DEFINITION.messages[code]) <= MAX_GRADE
    assert len(DEFINITION.messages[code]) <= MAX_SMS


@pytest.mark.parametrize("link_id", ["child_first_name", "child_birth_date", "child_sex",
                                     "guardian_name", "guardian_mobile", "guardian_email",
                                     "home_zip", "periods_started", "other_conditions",
                                     "pcp_name", "fee_call_phone"])
def test_personal_questions_say_why(link_id):
    why = DEFINITION.item(link_id).why
    assert why and len(why) <= 80


def test_render_numbers_choices_and_offers_skip_only_when_optional():
    text = render(DEFINITION.item("current_treatment"), DEFINITION)
    assert "1) Watching it 2) Brace 3) Cast or harness 4) Physical therapy 5) Surgery" in text
    assert "skip" not in text
    assert render(DEFINITION.item("spine_brace"), DEFINITION).endswith("1) Yes 2) No")
    assert "skip" in render(DEFINITION.item("guardian_email"), DEFINITION)


def test_spine_and_hip_groups_depend_on_the_program():
    spine, hip = DEFINITION.item("spine"), DEFINITION.item("hip")
    assert spine.enable_behavior == hip.enable_behavior == "any"
    assert {c.answer for c in spine.enable_when} == {"spine", "both"}
    assert {c.answer for c in hip.enable_when} == {"hip", "both"}


# ---------------------------------------------------------------- enableWhen semantics

@pytest.mark.parametrize("operator, expected, answers, met", [
    ("=", "brace", {"q": ["watching", "brace"]}, True),
    ("=", "brace", {"q": ["watching"]}, False),
    ("!=", "none", {"q": ["xray"]}, True),
    ("!=", "none", {"q": ["none"]}, False),
    ("!=", "none", {}, False),  # no answer satisfies only exists=false
    ("exists", True, {"q": 3}, True),
    ("exists", False, {}, True),
    (">", 40, {"q": 45}, True),
    (">", 40, {"q": 40}, False),
    ("<=", "2020-01-01", {"q": "2019-05-05"}, True),
    (">", 40, {"q": {"text": "big"}}, False),
    ("=", True, {"q": False}, False),
])
def test_condition_met(operator, expected, answers, met):
    assert condition_met(EnableWhen("q", operator, expected), answers) is met


# ---------------------------------------------------------------- a bad file fails at load

def _broken(change):
    raw = copy.deepcopy(RAW)
    change(raw)
    return raw


def _group(raw, link_id):
    return next(i for i in raw["item"] if i["linkId"] == link_id)


@pytest.mark.parametrize("change, message", [
    (lambda r: _group(r, "child")["item"].append(dict(_group(r, "child")["item"][0])),
     "duplicate linkId"),
    (lambda r: _group(r, "child")["item"][0].update(type="slider"), "unknown type|not valid FHIR"),
    (lambda r: _group(r, "child")["item"][3].pop("answerOption"), "answerOption"),
    (lambda r: _group(r, "child").update(enableWhen=[
        {"question": "spine_brace", "operator": "=", "answerBoolean": True}]), "earlier question"),
    (lambda r: _group(r, "spine").update(enableWhen=[
        {"question": "program", "operator": "=", "answerCoding": {"code": "knee"}}]), "no option"),
    (lambda r: _group(r, "child")["item"][1]["extension"].append(
        {"url": "http://example.org/fhir/StructureDefinition/intake-keywords",
         "valueString": "birthday"}), "keyword 'birthday'"),
    (lambda r: _group(r, "child")["item"][0]["extension"].append(
        {"url": "http://example.org/fhir/StructureDefinition/intake-red-flag",
         "valueBoolean": True}), "red flag"),
    (lambda r: _group(r, "child")["item"][0].update(required="maybe"), "not valid FHIR"),
    (lambda r: _group(r, "child")["item"][0].pop("linkId"), "not valid FHIR"),
    (lambda r: r.update(resourceType="Patient"), "not a FHIR Questionnaire"),
])
def test_bad_definitions_are_refused(change, message):
    with pytest.raises(DefinitionError, match=message):
        from_dict(_broken(change))


def test_the_unchanged_copy_loads():  # so the failures above come from the changes
    assert len(from_dict(copy.deepcopy(RAW)).questions()) == len(QUESTIONS)


def test_a_new_question_needs_no_code():
    def add(raw):
        _group(raw, "health")["item"].append({
            "linkId": "vitamin_d", "text": "Does your child take vitamin D?", "type": "boolean",
            "required": False})
    definition = from_dict(_broken(add))
    assert definition.item("vitamin_d").type == "boolean"
    assert re.search(r"vitamin D\?\n1\) Yes 2\) No", render(definition.item("vitamin_d"),
                                                            definition))


# ---------------------------------------------------------------- the chat's own sentences

REASON_CODES = {"required", "empty", "yes_no", "choice", "one_choice", "date", "future_date",
                "too_old", "month_year", "number", "range", "phone", "email", "zip", "age",
                "name", "too_long", "attachment", "cannot_go_back", "confirm"}
ENGINE_CODES = {"paused", "resumed", "done", "ask_confirm", "summary_intro", "changed",
                "not_changed", "skipped", "unknown", "hint_skip", "hint_own_answer",
                "need_it", "summary_key_intro", "summary_skipped", "summary_web",
                "changed_line", "ask_confirm_short", "offer_last_name", "name_kept"}
# code -> the fields the engine fills in with str.format
PLACEHOLDERS = {"changed": {"label", "value"}, "changed_line": {"label", "value"},
                "not_changed": {"label"}, "need_it": {"why"}, "summary_skipped": {"count"},
                "offer_last_name": {"value"}, "name_kept": {"value"}}


def test_every_reason_code_and_chat_sentence_has_a_message():
    source = (DEFAULT_PATH.parent / "answers.py").read_text()
    used = set(re.findall(r'(?:error|found)\((?:[^()"]|\([^()]*\))*"(\w+)"\)', source))
    assert used and used <= REASON_CODES, used - REASON_CODES
    assert REASON_CODES | ENGINE_CODES <= set(DEFINITION.messages)
    assert "{label}" in DEFINITION.messages["changed"] and "{value}" in DEFINITION.messages["changed"]


@pytest.mark.parametrize("code, fields", sorted(PLACEHOLDERS.items()))
def test_message_placeholders(code, fields):
    found = set(re.findall(r"{(\w+)}", DEFINITION.messages[code]))
    assert found == fields


def test_the_need_it_message_reads_well_with_the_longest_why():
    longest = max((q.why for q in QUESTIONS if q.required and q.why), key=len)
    text = DEFINITION.messages["need_it"].format(why=longest)
    assert grade(text) <= MAX_GRADE and len(text) <= MAX_SMS
    assert "upload page" in text


# ---------------------------------------------------------------- the short summary

KEY_ITEMS = {"child_first_name", "child_last_name", "child_birth_date", "child_sex",
             "guardian_name", "guardian_relationship", "guardian_mobile", "contact_preference",
             "diagnosis", "current_treatment", "recommended_treatment", "curve_size",
             "spine_brace", "brace_hours", "pavlik", "spica", "hip_surgery"}


def test_the_key_items_carry_a_summary_label():
    assert {q.link_id for q in QUESTIONS if q.summary} == KEY_ITEMS
    assert DEFINITION.item("child_first_name").summary == "Child"
    assert all(len(q.summary) <= 20 for q in QUESTIONS if q.summary)


def test_new_prefill_keys_and_the_last_name_link():
    assert DEFINITION.item("diagnosis").prefill == "screening.diagnosis"
    assert DEFINITION.item("child_sex").prefill == "screening.child_sex"
    assert DEFINITION.item("curve_size").prefill == "screening.curve_size"
    assert DEFINITION.item("child_first_name").last_name == "child_last_name"
    assert [q.link_id for q in QUESTIONS if q.last_name] == ["child_first_name"]


@pytest.mark.parametrize("link_id, keyword", [
    ("contact_preference", "contact by"), ("current_treatment", "treatment now"),
    ("recommended_treatment", "next step"), ("spine_brace", "back brace"),
    ("back_pain", "back pain"), ("spine_family_history", "family history of scoliosis"),
    ("spine_surgery", "spine surgery"), ("hip_surgery", "hip surgery"), ("limp_or_pain", "limp"),
    ("hip_family_history", "hip family history"), ("brace_hours", "brace hours"),
])
def test_keywords_for_edits_by_field_name(link_id, keyword):
    assert keyword in DEFINITION.item(link_id).keywords


def _ext(url, value):
    return {"url": "http://example.org/fhir/StructureDefinition/intake-" + url,
            "valueString": value}


@pytest.mark.parametrize("change, message", [
    (lambda r: _group(r, "child")["item"][0]["extension"].append(_ext("last-name", "nope")),
     "last-name"),
    (lambda r: _group(r, "child")["item"][0]["extension"].append(
        _ext("last-name", "child_birth_date")), "last-name"),
    (lambda r: _group(r, "child")["extension"].append(_ext("summary", "Child"))
     if "extension" in _group(r, "child") else _group(r, "child").update(
        extension=[_ext("summary", "Child")]), "summary label"),
])
def test_bad_summary_and_last_name_extensions_are_refused(change, message):
    raw = _broken(lambda r: None)
    # the shipped file links first -> last name; drop it where the test adds a bad one
    first = _group(raw, "child")["item"][0]
    first["extension"] = [e for e in first["extension"] if not e["url"].endswith("last-name")]
    change(raw)
    with pytest.raises(DefinitionError, match=message):
        from_dict(raw)
