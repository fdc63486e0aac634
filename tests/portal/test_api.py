"""The coordinator API: Bearer token, the issue's fields, the FHIR Bundle, the outbox."""
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from bot import cases
from tests.portal.conftest import API_TOKEN, dicom_bytes, sign_in
from tests.portal.test_forms_and_flow import SPINE_FORM, post_questionnaire

CASE_FIELDS = {"id", "reference", "program", "status", "created_at", "child", "guardian",
               "zip", "county", "checklist"}


def test_every_route_needs_the_bearer_token(portal, case):
    for path in ("/api/cases", f"/api/cases/{case['id']}", f"/api/cases/{case['id']}/fhir",
                 "/api/outbox"):
        missing = portal.api(path, token=None)
        assert missing.status == 401 and missing.headers["www-authenticate"] == "Bearer"
        assert portal.api(path, token="wrong-token").status == 403
        basic = portal.browser().get(path, headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert basic.status == 401
        assert portal.api(path).status == 200


def test_without_a_configured_token_the_api_is_off(start_portal, case):
    portal = start_portal(COORDINATOR_API_TOKEN=None)
    resp = portal.api("/api/cases", token="anything")
    assert resp.status == 503 and "COORDINATOR_API_TOKEN" in resp.json()["detail"]


def test_case_list_has_the_issue_fields(portal, case):
    (listed,) = portal.api("/api/cases").json()
    assert CASE_FIELDS <= set(listed)
    assert listed["reference"] == case["reference"] and listed["program"] == "spine"
    assert listed["child"] == {"first_name": "Jane", "last_name": "Doe",
                               "birth_date": "2012-04-02"}
    assert listed["guardian"] == {"name": "Mary Doe", "phone": "+14045550100",
                                  "email": "parent@example.org"}
    assert listed["zip"] == "31201" and listed["county"] == "Bibb"
    assert [i["kind"] for i in listed["checklist"]] == [
        "questionnaire", "financial_consent", "referral", "medical_records", "imaging"]
    assert set(listed["checklist"][0]) == {"kind", "status", "required", "received_at"}
    assert portal.api("/api/cases?status=documents_received").json() == []


def test_case_detail_has_answers_and_documents_with_flags(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                       [("files", "IM1", dicom_bytes(name="Smith^John"))])
    detail = portal.api(f"/api/cases/{case['id']}").json()
    assert CASE_FIELDS <= set(detail)
    assert detail["answers"]["child_first_name"] == "Jane"
    (doc,) = detail["documents"]
    assert {"name", "kind", "size", "sha256", "received_at", "flags"} <= set(doc)
    assert doc["kind"] == "imaging" and doc["flags"]["mismatch"] == ["patient_name"]
    assert portal.api("/api/cases/999").status == 404


def test_fhir_bundle_validates_and_holds_the_questionnaire_response(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    assert post_questionnaire(browser, path, csrf, SPINE_FORM).status == 303
    resp = portal.api(f"/api/cases/{case['id']}/fhir")
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.parse_raw(resp.body)  # raises when it is not valid FHIR R4(B)
    assert bundle.type == "collection"
    resources = {entry.resource.resource_type: entry for entry in bundle.entry}
    patient = resources["Patient"].resource
    assert patient.name[0].family == "Doe" and str(patient.birthDate) == "2012-04-02"
    qr_entry = resources["QuestionnaireResponse"]
    response = QuestionnaireResponse.parse_obj(qr_entry.resource.dict())
    assert response.status == "completed"
    assert response.subject.reference == resources["Patient"].fullUrl
    answers = {}
    for group in response.item:
        for item in group.item or []:
            answers[item.linkId] = item.answer[0]
    assert answers["child_first_name"].valueString == "Jane"
    assert answers["brace_hours"].valueInteger == 18
    assert answers["child_sex"].valueCoding.code == "female"
    assert bundle.identifier.value == case["reference"]


def test_fhir_bundle_of_a_fresh_case_is_in_progress(portal, database_url):
    fresh = cases.create_cases("rest:fresh", ["hip"], url=database_url)[0]
    bundle = Bundle.parse_raw(portal.api(f"/api/cases/{fresh['id']}/fhir").body)
    qr = [e.resource for e in bundle.entry if e.resource.resource_type ==
          "QuestionnaireResponse"][0]
    assert qr.status == "in-progress"


def test_outbox_is_listed_newest_first(portal, case):
    from bot.notifier import Message, Notifier
    notifier = Notifier(portal.settings)
    notifier.send(Message("sms", "+14045550100", "first", case_id=case["id"]))
    notifier.send(Message("email", "parent@example.org", "second", subject="s"))
    rows = portal.api("/api/outbox").json()
    assert [r["body"] for r in rows] == ["second", "first"]
    assert [r["body"] for r in portal.api(f"/api/outbox?case_id={case['id']}").json()] == ["first"]
    assert len(portal.api("/api/outbox?limit=1").json()) == 1


def test_openapi_lists_the_api_but_not_the_parent_pages(portal):
    schema = portal.browser().get("/openapi.json").json()
    assert {"/api/cases", "/api/cases/{case_id}", "/api/cases/{case_id}/fhir",
            "/api/outbox"} <= set(schema["paths"])
    assert not any(p.startswith("/u/") for p in schema["paths"])
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    assert portal.browser().get("/docs").status == 404  # its page would load a CDN
    assert API_TOKEN not in str(schema)


def test_ids_out_of_range_or_not_positive_are_404_on_every_route(portal, case):
    from fastapi.routing import APIRoute

    routes = [(method, route.path) for route in portal.server.config.app.routes
              if isinstance(route, APIRoute) and "{case_id}" in route.path
              and route.path.startswith("/api/")  # /coordinator: signed-in staff, tested there
              for method in route.methods]
    assert len(routes) >= 2
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    for bad in ("9223372036854775808", "9223372036854775807", "99999999999999999999999",
                "0", "-1", "-9223372036854775809"):
        for method, path in routes:
            resp = portal.browser().request(method, path.replace("{case_id}", bad),
                                            headers=auth)
            assert resp.status == 404, (method, path, bad, resp.text)
    outbox = portal.api("/api/outbox?case_id=9223372036854775808")
    assert outbox.status == 200 and outbox.json() == []
    assert portal.api(f"/api/cases/{case['id']}").status == 200


def test_the_coordinator_sees_the_case_flags(portal, case):
    cases.add_flag([case["id"]], "red_flag", url=portal.settings.database_url)
    detail = portal.api(f"/api/cases/{case['id']}").json()
    assert "red_flag" in detail["flags"]
    listed = {c["id"]: c for c in portal.api("/api/cases").json()}
    assert "red_flag" in listed[case["id"]]["flags"]
