"""The case as a FHIR R4 Bundle (bot/exports/fhir.py): a case filled in through the real
portal (questionnaire form, e-signed fee agreement, two uploads), parsed back with
fhir.resources' R4B models; the Task follows workflow.change; the API route over HTTP."""
import base64
import datetime as dt
import hashlib

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.relatedperson import RelatedPerson
from fhir.resources.R4B.task import Task

from bot import cases, checklist
from bot.exports import fhir
from bot.portal import consent
from bot.staff import workflow
from tests.portal.conftest import make_case, png_bytes, portal, sign_in, start_portal  # noqa: F401
from tests.portal.helpers import fake_pdf
from tests.portal.test_forms_and_flow import SPINE_FORM, post_questionnaire

MODELS = {"Patient": Patient, "RelatedPerson": RelatedPerson, "Consent": Consent,
          "QuestionnaireResponse": QuestionnaireResponse, "Task": Task,
          "DocumentReference": DocumentReference}
FILES = [("referral", "referral letter.pdf", fake_pdf(), "application/pdf"),
         ("imaging", "spine x-ray.png", png_bytes(40, 40), "image/png")]


@pytest.fixture()
def filled(portal):
    """A spine case as a parent leaves it: answers, signature, two files."""
    case = make_case(portal.settings.database_url)
    browser, path, csrf = sign_in(portal, case["id"])
    assert post_questionnaire(browser, path, csrf, SPINE_FORM).status == 303
    assert browser.post_form(path + "/consent", {"csrf_token": csrf, "signer_name": "Mary Doe",
                                                 "agree": "yes"}).status == 303
    for kind, name, data, _ in FILES:
        resp = browser.post_files(path + f"/upload/{kind}", [("csrf_token", csrf)],
                                  [("files", name, data)])
        assert resp.status == 303, resp.text
    return case


def parsed(bundle: dict) -> Bundle:
    """The whole Bundle and each resource through fhir.resources (raises when invalid)."""
    model = Bundle.parse_obj(bundle)
    for entry in bundle["entry"]:
        MODELS[entry["resource"]["resourceType"]].parse_obj(entry["resource"])
    return model


def by_type(bundle: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for entry in bundle["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry)
    return found


def references(value) -> list[str]:
    """Every Reference.reference anywhere in a resource."""
    if isinstance(value, dict):
        own = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return own + [r for v in value.values() for r in references(v)]
    if isinstance(value, list):
        return [r for v in value for r in references(v)]
    return []


def test_a_filled_case_validates_and_holds_every_resource(portal, filled):
    bundle = fhir.case_bundle(filled["id"], portal.settings)
    model = parsed(bundle)
    assert model.type == "collection" and model.identifier.value == filled["reference"]
    found = by_type(bundle)
    assert sorted((k, len(v)) for k, v in found.items()) == [
        ("Consent", 1), ("DocumentReference", 2), ("Patient", 1), ("QuestionnaireResponse", 1),
        ("RelatedPerson", 1), ("Task", 1)]
    full_urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(full_urls)) == len(full_urls)
    assert all(u.startswith("urn:uuid:") for u in full_urls)
    for entry in bundle["entry"]:
        for ref in references(entry["resource"]):
            assert ref in full_urls, (entry["resource"]["resourceType"], ref)

    patient_url = found["Patient"][0]["fullUrl"]
    patient = found["Patient"][0]["resource"]
    assert patient["name"] == [{"use": "official", "family": "Doe", "given": ["Jane"]}]
    assert patient["birthDate"] == "2012-04-02" and patient["gender"] == "female"
    assert patient["identifier"][0]["value"] == filled["reference"]

    guardian_url = found["RelatedPerson"][0]["fullUrl"]
    guardian = found["RelatedPerson"][0]["resource"]
    assert guardian["patient"] == {"reference": patient_url}
    assert guardian["name"] == [{"text": "Mary Doe"}]
    assert guardian["relationship"][0]["coding"][0]["code"] == "MTH"
    assert {(t["system"], t["value"]) for t in guardian["telecom"]} == {
        ("phone", "+14045550100"), ("email", "parent@example.org")}

    response = found["QuestionnaireResponse"][0]["resource"]
    assert response["status"] == "completed"
    assert response["subject"]["reference"] == patient_url
    assert response["author"]["reference"] == guardian_url == response["source"]["reference"]

    task = found["Task"][0]["resource"]
    assert task["for"]["reference"] == patient_url
    assert task["focus"]["reference"] == found["QuestionnaireResponse"][0]["fullUrl"]
    assert task["code"]["text"] == "Second opinion document review – spine"
    assert task["intent"] == "order"
    assert (task["status"], task["businessStatus"]["text"]) == ("requested",
                                                               "awaiting_documents")


def ni_sha256(data: bytes) -> dict:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode().rstrip("=")
    return {"system": "urn:ietf:rfc:3986", "value": "ni:///sha-256;" + digest}


def test_one_document_reference_per_file_without_the_bytes(portal, filled):
    bundle = fhir.case_bundle(filled["id"], portal.settings)
    detail = cases.case_detail(filled["id"], url=portal.settings.database_url)
    docs = [e["resource"] for e in by_type(bundle)["DocumentReference"]]
    assert len(docs) == len(detail["documents"]) == len(FILES)
    for doc, stored, (kind, name, data, content_type) in zip(docs, detail["documents"], FILES):
        attachment = doc["content"][0]["attachment"]
        assert doc["status"] == "current" and doc["type"]["text"] == kind
        assert attachment["title"] == name and attachment["contentType"] == content_type
        assert attachment["size"] == len(data) and "data" not in attachment
        assert "hash" not in attachment  # R4's hash is SHA-1; ours is an identifier
        assert doc["identifier"] == [ni_sha256(data)]
        assert attachment["creation"] == stored["received_at"] == doc["date"]
        assert attachment["url"] == (f"{portal.settings.public_base_url}/coordinator/cases/"
                                     f"{filled['id']}/documents/{stored['id']}/download")


def test_consent_matches_the_signature(portal, filled):
    url = portal.settings.database_url
    (signature,) = consent.signatures(filled["id"], url)
    bundle = fhir.case_bundle(filled["id"], portal.settings)
    (entry,) = by_type(bundle)["Consent"]
    resource = entry["resource"]
    assert resource["status"] == "active" and resource["dateTime"] == signature["signed_at"]
    assert resource["scope"]["coding"][0]["code"] == "treatment"
    assert resource["category"][0]["coding"][0]["code"] == "59284-0"
    signed_text = consent.consent_text("spine", portal.settings)
    assert resource["identifier"] == [ni_sha256(signed_text.encode())]
    assert "v1" in resource["sourceAttachment"]["title"]
    assert resource["performer"][0]["reference"] == by_type(bundle)["RelatedPerson"][0]["fullUrl"]
    assert Consent.parse_obj(resource).dateTime.isoformat().startswith(
        signature["signed_at"][:19])


def test_task_follows_the_workflow(portal, filled):
    url = portal.settings.database_url
    cases.mark_received(filled["id"], checklist.MEDICAL_RECORDS, url=url)  # the last item

    def task():
        bundle = fhir.case_bundle(filled["id"], portal.settings)
        parsed(bundle)
        return by_type(bundle)["Task"][0]["resource"]

    assert (task()["status"], task()["businessStatus"]["text"]) == ("received",
                                                                   "documents_received")
    later = dt.datetime(2030, 1, 2, 3, 4, 5)
    workflow.change(filled["id"], workflow.FEE_COLLECTED, "casey", "coordinator",
                    {"collected_on": "2029-12-30", "amount_usd": 500, "collected_by": "casey"},
                    now=later, url=url)
    now = task()
    assert (now["status"], now["businessStatus"]["text"]) == ("accepted", "fee_collected")
    assert now["lastModified"] == "2030-01-02T03:04:05Z"
    assert now["authoredOn"] == filled["created_at"]
    workflow.change(filled["id"], workflow.WITHDRAWN, "casey", "coordinator", url=url)
    assert (task()["status"], task()["businessStatus"]["text"]) == ("cancelled", "withdrawn")


def test_every_status_has_a_task_status_and_no_other():
    assert set(fhir.TASK_STATUS) == set(workflow.ALL_STATUSES)
    for status in workflow.ALL_STATUSES:
        Task.parse_obj({"resourceType": "Task", "intent": "order",
                        "status": fhir.task_status(status)})
    with pytest.raises(ValueError):
        fhir.task_status("made_up")


def test_an_unsigned_case_has_no_consent(portal):
    case = make_case(portal.settings.database_url)
    bundle = fhir.case_bundle(case["id"], portal.settings)
    parsed(bundle)
    found = by_type(bundle)
    assert "Consent" not in found and "DocumentReference" not in found
    # make_case left no relationship answer: the relationship is said in words
    assert found["RelatedPerson"][0]["resource"]["relationship"] == [
        {"text": fhir.UNKNOWN_RELATIONSHIP}]


def test_a_bare_case_has_no_related_person_and_validates(portal):
    bare = cases.create_cases("rest:bare", ["hip"], url=portal.settings.database_url)[0]
    bundle = fhir.case_bundle(bare["id"], portal.settings)
    parsed(bundle)
    assert sorted(by_type(bundle)) == ["Patient", "QuestionnaireResponse", "Task"]
    task = by_type(bundle)["Task"][0]["resource"]
    assert task["code"]["text"] == "Second opinion document review – hip"


def test_relationship_answers():
    assert fhir.relationship_of("father")["coding"][0]["code"] == "FTH"
    assert fhir.relationship_of("guardian") == {"coding": [
        {"system": fhir.ROLE_CODES, "code": "GUARD", "display": "guardian"}],
        "text": "Legal guardian"}
    assert fhir.relationship_of({"text": "aunt"}) == {"text": "aunt"}
    assert fhir.relationship_of(None) is None


def test_stable_ids_and_unknown_case(portal, filled):
    first = fhir.case_bundle(filled["id"], portal.settings)
    second = fhir.case_bundle(filled["id"], portal.settings)
    assert [e["fullUrl"] for e in first["entry"]] == [e["fullUrl"] for e in second["entry"]]
    with pytest.raises(LookupError):
        fhir.case_bundle(filled["id"] + 1000, portal.settings)


def test_api_route_answers_the_bundle(portal, filled):
    resp = portal.api(f"/api/cases/{filled['id']}/fhir")
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("application/fhir+json")
    bundle = resp.json()
    parsed(bundle)
    assert len(by_type(bundle)["DocumentReference"]) == 2
    assert portal.api(f"/api/cases/{filled['id'] + 1000}/fhir").status == 404
    assert portal.api(f"/api/cases/{filled['id']}/fhir", token=None).status == 401
