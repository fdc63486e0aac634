"""FHIR QuestionnaireResponse export and the web form, checked with fhir.resources."""
from __future__ import annotations

from datetime import date, datetime, timezone

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from bot.questionnaire.engine import apply, new_state
from bot.questionnaire.fhir import apply_form, to_questionnaire_response, web_form_fields
from bot.questionnaire.model import load_definition
from tests.questionnaire import max_age_21  # noqa: F401  (autouse fixture)
from tests.questionnaire.test_engine import SCREENING, TODAY, run, start

D = load_definition()


def items_by_id(items, found=None):
    found = {} if found is None else found
    for item in items or []:
        found[item["linkId"]] = item
        items_by_id(item.get("item"), found)
    return found


def test_a_finished_spine_intake_is_a_valid_completed_response():
    state = start("spine")
    run(state, {"other_conditions": "cp and asthma", "guardian_relationship": "step mom"})
    authored = datetime(2025, 6, 15, 14, 30, tzinfo=timezone.utc)
    response = to_questionnaire_response(D, state, "Patient/123", authored)
    parsed = QuestionnaireResponse.parse_obj(response)
    assert parsed.status == "completed"
    assert parsed.questionnaire == f"{D.url}|{D.version}"
    assert parsed.subject.reference == "Patient/123"
    assert response["authored"] == "2025-06-15T14:30:00+00:00"
    top = [i["linkId"] for i in response["item"]]
    assert "spine" in top and "hip" not in top
    found = items_by_id(response["item"])
    assert "curve_size" in items_by_id(found["spine"]["item"])  # nested like the groups
    assert found["child_birth_date"]["answer"] == [{"valueDate": "2012-04-02"}]
    assert found["diagnosis_date"]["answer"] == [{"valueDate": "2023-03"}]
    assert found["curve_size"]["answer"] == [{"valueInteger": 45}]
    assert found["spine_brace"]["answer"] == [{"valueBoolean": True}]
    assert found["child_sex"]["answer"] == [{"valueCoding": {"code": "female",
                                                             "display": "Female"}}]
    assert [a["valueCoding"]["code"] for a in found["current_treatment"]["answer"]] == [
        "brace", "physical_therapy"]
    assert found["other_conditions"]["answer"] == [
        {"valueCoding": {"code": "cerebral_palsy", "display": "Cerebral palsy"}},
        {"valueString": "asthma"}]
    assert found["guardian_relationship"]["answer"] == [{"valueString": "step mom"}]
    assert found["guardian_mobile"]["answer"] == [{"valueString": "+14785550142"}]
    assert "spine_family_history" not in found  # "idk": no answer to export


def test_a_started_intake_is_in_progress_and_still_valid():
    state = start("hip")
    run(state, stop_at="diagnosis")
    response = to_questionnaire_response(D, state)
    assert QuestionnaireResponse.parse_obj(response).status == "in-progress"
    assert "subject" not in response and "authored" not in response


def test_an_empty_response_has_no_empty_arrays():
    response = to_questionnaire_response(D, {})
    assert "item" not in response
    QuestionnaireResponse.parse_obj(response)


def test_answers_to_questions_no_longer_enabled_are_not_exported():
    state = start("spine")
    run(state, stop_at="spine_family_history")
    assert state["answers"]["periods_started"] is True
    apply(state, "actually sex is male", TODAY, D)
    found = items_by_id(to_questionnaire_response(D, state)["item"])
    assert "periods_started" not in found and "back_pain" in found


def test_web_form_fields_are_prefilled_from_the_chat():
    state = start("spine")
    run(state, stop_at="pcp_name")
    sections = web_form_fields(D, state)
    assert [s["name"] for s in sections][:3] == ["child", "guardian", "condition"]
    fields = {f["name"]: f for s in sections for f in s["fields"]}
    assert "program" not in fields  # hidden: it comes from screening
    assert fields["child_birth_date"]["value"] == "2012-04-02"
    assert fields["child_birth_date"]["input"] == "date"
    assert fields["diagnosis_date"]["input"] == "text"  # a month and year is enough
    assert fields["guardian_mobile"]["value"] == "(478) 555-0142"
    assert fields["guardian_mobile"]["input"] == "tel"
    assert fields["guardian_email"]["input"] == "email"
    assert fields["current_treatment"]["input"] == "checkbox"
    assert [o["value"] for o in fields["current_treatment"]["options"] if o["selected"]] == [
        "brace", "physical_therapy"]
    assert fields["spine_brace"]["value"] == "yes"
    assert fields["main_questions"]["input"] == "textarea"
    assert fields["guardian_relationship"]["other_name"] == "guardian_relationship_other"
    assert fields["pcp_name"]["value"] == "" and fields["pcp_name"]["required"]
    assert fields["child_birth_date"]["why"]
    assert fields["breech"]["enabled"] is False and fields["curve_size"]["enabled"] is True


def posted(sections):
    """What a browser posts for these fields, as they are shown."""
    form = {}
    for field in (f for s in sections for f in s["fields"] if f["enabled"]):
        form[field["shown_name"]] = "1"
        if field["input"] == "checkbox":
            form[field["name"]] = [o["value"] for o in field["options"] if o["selected"]]
        elif field["input"] == "radio":
            choice = next((o["value"] for o in field["options"] if o["selected"]), None)
            if choice is not None:  # an empty radio group is not posted at all
                form[field["name"]] = choice
        else:
            form[field["name"]] = field["value"]
        if field["other_name"]:
            form[field["other_name"]] = field["other_value"]
    return form


def test_web_form_round_trip_keeps_every_answer():
    chat = start("both")
    run(chat, {"other_conditions": "cp and asthma", "guardian_relationship": "aunt"})
    form = posted(web_form_fields(D, chat))
    web = new_state({**SCREENING, "screening.program": "both"}, D)
    assert apply_form(D, web, form, TODAY) == {}
    assert web["answers"] == chat["answers"]
    assert to_questionnaire_response(D, web) == to_questionnaire_response(D, chat)


def test_web_form_uses_the_chat_rules():
    state = new_state({**SCREENING, "screening.program": "hip"}, D)
    form = {"child_first_name": "emma", "child_last_name": "", "child_birth_date": "5/1/2030",
            "child_sex": "female", "guardian_mobile": "12345", "guardian_email": "",
            "guardian_relationship": "", "guardian_relationship_other": "aunt",
            "current_treatment": ["brace", "physical_therapy"], "curve_size": "45",
            "breech": "yes", "imaging_types": ["none"], "imaging_where": "Navicent"}
    errors = apply_form(D, state, form, TODAY)
    assert errors["child_last_name"] == "required"
    assert errors["child_birth_date"] == "future_date"
    assert errors["guardian_mobile"] == "phone"
    assert "guardian_email" not in errors and "guardian_email" in state["skipped"]
    answers = state["answers"]
    assert answers["child_first_name"] == "Emma"
    assert answers["child_birth_date"] == "2012-04-02"  # the refused value changed nothing
    assert answers["guardian_relationship"] == {"text": "aunt"}
    assert answers["current_treatment"] == ["brace", "physical_therapy"]
    assert answers["breech"] is True
    assert "curve_size" not in answers  # a spine question on a hip form is ignored
    assert "imaging_where" not in answers  # disabled by "none" on the same form
    fields = {f["name"]: f for s in web_form_fields(D, state, errors) for f in s["fields"]}
    assert fields["child_birth_date"]["error"] == D.messages["future_date"]
    assert fields["child_first_name"]["error"] is None


def test_web_form_then_chat_continues_where_the_form_stopped():
    state = new_state({**SCREENING, "screening.program": "spine"}, D)
    apply_form(D, state, {"child_first_name": "Emma", "child_last_name": "Smith",
                          "child_sex": "2"}, TODAY)
    asked, _ = run(state, stop_at="guardian_mobile")
    assert asked == ["guardian_name", "guardian_relationship"]
    assert state["answers"]["child_sex"] == "male"
    # questions that were not on the posted page stay unanswered, not skipped
    assert state["skipped"] == []


def test_an_empty_radio_group_on_the_page_counts_as_skipped_or_missing():
    state = new_state({**SCREENING, "screening.program": "hip"}, D)
    errors = apply_form(D, state, {"breech_shown": "1", "hip_surgery_shown": "1"}, TODAY)
    assert errors == {"hip_surgery": "required"}
    assert state["skipped"] == ["breech"]
