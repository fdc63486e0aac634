"""Questionnaire web form, financial consent, and the checklist reaching
documents_received with the confirmation in the outbox, all over real HTTP."""
import hashlib
import re

from bot import cases
from bot.db import Consent, session_scope
from bot.notifier import outbox
from bot.portal import consent
from tests.portal.conftest import CHILD_DOB, sign_in
from tests.portal.helpers import fake_pdf, visible_text

SPINE_FORM = {
    "child_first_name": "Jane", "child_last_name": "Doe", "child_birth_date": "2012-04-02",
    "child_sex": "female", "guardian_name": "Mary Doe", "guardian_relationship": "mother",
    "guardian_mobile": "(404) 555-0100", "guardian_email": "parent@example.org",
    "contact_preference": "sms", "home_zip": "31201", "diagnosis": "scoliosis",
    "current_treatment": "brace", "recommended_treatment": ["brace", "physical_therapy"],
    "main_questions": "Does she need surgery?", "spine_brace": "yes", "brace_hours": "18",
    "back_pain": "no", "spine_red_flag": "no", "periods_started": "no",
    "spine_surgery": "no", "other_conditions": "none", "pcp_name": "Ann Smith",
    "imaging_types": "xray", "imaging_where": "Macon clinic", "imaging_when": "March 2025",
    "fee_call_phone": "404-555-0100", "fee_call_time": "morning",
}
HIP_EXTRA = {"pavlik": "yes", "spica": "no", "hip_surgery": "no", "limp_or_pain": "no"}


def post_questionnaire(browser, path, csrf, values):
    """As a browser would: with the page's hidden "shown" markers, so a field left
    empty (or a radio group left unticked) counts as answered empty."""
    shown = re.findall(r'name="([a-z_]+_shown)"', browser.get(path).text)
    return browser.post_form(path + "/questionnaire",
                             {"csrf_token": csrf, **{name: "1" for name in shown}, **values})


def checklist_of(portal, case_id):
    summary = cases.case_summary(case_id, url=portal.settings.database_url)
    return {i["kind"]: i["status"] for i in summary["checklist"]}, summary["status"]


def test_form_is_prefilled_with_the_chat_answers(portal, case):
    browser, path, _ = sign_in(portal, case["id"])
    html = browser.get(path).text
    assert 'id="q-child_first_name" name="child_first_name" value="Jane"' in html
    assert 'name="guardian_mobile" value="(404) 555-0100"' in html
    assert 'name="home_zip" value="31201"' in html
    assert "q-curve_size" in html and "q-pavlik" not in html  # spine case: no hip part
    assert '<fieldset id="q-child_sex"' in html and "<legend>" in html


def test_an_incomplete_form_keeps_valid_answers_and_lists_the_errors(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    values = {**SPINE_FORM, "pcp_name": "", "home_zip": "123"}
    resp = post_questionnaire(browser, path, csrf, values)
    assert resp.status == 400
    text = visible_text(resp.text)
    assert "Please fix 2 answers" in text and "5-digit ZIP" in text
    assert 'href="#q-pcp_name"' in resp.text and 'aria-invalid="true"' in resp.text
    answers = cases.questionnaire_of(case["id"], url=portal.settings.database_url)["answers"]
    assert answers["diagnosis"] == "scoliosis" and answers["home_zip"] == "31201"
    assert checklist_of(portal, case["id"])[0]["questionnaire"] == "missing"


def test_a_complete_form_ticks_the_questionnaire(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = post_questionnaire(browser, path, csrf, SPINE_FORM)
    assert resp.status == 303, visible_text(resp.text)[:2000]
    assert "saved=questionnaire" in resp.location
    items, status = checklist_of(portal, case["id"])
    assert items["questionnaire"] == "received" and status == "awaiting_documents"
    stored = cases.questionnaire_of(case["id"], url=portal.settings.database_url)
    assert stored["answers"]["brace_hours"] == 18
    assert stored["answers"]["recommended_treatment"] == ["brace", "physical_therapy"]
    assert stored["state"]["confirmed"] is True
    summary = cases.case_summary(case["id"], url=portal.settings.database_url)
    assert summary["guardian"]["phone"] == "+14045550100"
    page = browser.get(resp.location.split("#")[0])
    assert "We saved your answers" in page.text and "call 911" not in page.text


def test_a_red_flag_answer_shows_the_urgent_care_message(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    post_questionnaire(browser, path, csrf, {**SPINE_FORM, "spine_red_flag": "yes"})
    page = browser.get(path + "?saved=questionnaire")
    assert "call 911" in page.text and 'role="alert"' in page.text
    state = cases.questionnaire_of(case["id"], url=portal.settings.database_url)["state"]
    assert "spine_red_flag" in state["red_flags"]


def test_linked_spine_and_hip_cases_share_the_form(portal, database_url):
    spine, hip = cases.create_cases("rest:both", ["spine", "hip"], zip_code="31201",
                                    child_birth_date=CHILD_DOB, url=database_url)
    browser, path, csrf = sign_in(portal, hip["id"])
    assert "q-pavlik" in browser.get(path).text and "q-curve_size" in browser.get(path).text
    resp = post_questionnaire(browser, path, csrf, {**SPINE_FORM, **HIP_EXTRA})
    assert resp.status == 303, visible_text(resp.text)[:1500]
    for case_id in (spine["id"], hip["id"]):
        assert checklist_of(portal, case_id)[0]["questionnaire"] == "received"
        assert cases.questionnaire_of(case_id, url=database_url)["answers"]["pavlik"] is True


def test_consent_is_stored_with_hash_ip_and_user_agent(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    page = visible_text(browser.get(path).text)
    for words in ("$500", "Insurance does not cover this review", "You pay by phone",
                  "credit card", "Never type a card number"):
        assert words in page
    missing = browser.post_form(path + "/consent", {"csrf_token": csrf, "signer_name": "",
                                                    "agree": ""})
    assert missing.status == 400
    assert "Please type your full name" in missing.text and "Please check the box" in missing.text
    no_box = browser.post_form(path + "/consent", {"csrf_token": csrf,
                                                   "signer_name": "Mary Doe"})
    assert no_box.status == 400 and 'value="Mary Doe"' in no_box.text
    resp = browser.post_form(path + "/consent", {"csrf_token": csrf,
                                                 "signer_name": "  Mary   Doe ", "agree": "yes"})
    assert resp.status == 303
    with session_scope(portal.settings.database_url) as session:
        (row,) = session.query(Consent).filter(Consent.case_id == case["id"]).all()
        text = consent.consent_text("spine", portal.settings)
        assert row.signer_name == "Mary Doe" and row.text_version == "v1"
        assert row.text_sha256 == hashlib.sha256(text.encode()).hexdigest()
        assert row.ip == "127.0.0.1" and row.user_agent == "PortalTest/1.0 (test suite)"
        assert row.signed_at is not None
    assert checklist_of(portal, case["id"])[0]["financial_consent"] == "received"
    assert "Signed by Mary Doe" in browser.get(path).text


def test_consent_text_names_each_programs_fee(portal):
    spine = consent.consent_text("spine", portal.settings)
    hip = consent.consent_text("hip", portal.settings)
    assert "$500" in spine and "$167" not in spine and "$167" in hip
    assert portal.settings.coordinator_phone in hip
    assert consent.text_sha256(spine) != consent.text_sha256(hip)


def test_all_items_in_sends_the_confirmation_once(portal, case):
    url = portal.settings.database_url
    browser, path, csrf = sign_in(portal, case["id"])
    assert post_questionnaire(browser, path, csrf, SPINE_FORM).status == 303
    assert browser.post_form(path + "/consent", {"csrf_token": csrf, "signer_name": "Mary Doe",
                                                 "agree": "yes"}).status == 303
    for kind in ("referral", "medical_records"):
        assert browser.post_files(path + f"/upload/{kind}", [("csrf_token", csrf)],
                                  [("files", f"{kind}.pdf", fake_pdf())]).status == 303
    assert outbox(case_id=case["id"], url=url) == []
    assert checklist_of(portal, case["id"])[1] == "awaiting_documents"
    assert browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "xray.pdf", fake_pdf())]).status == 303
    assert checklist_of(portal, case["id"])[1] == "documents_received"
    sent = outbox(case_id=case["id"], url=url)
    assert {(m["channel"], m["to"]) for m in sent} == {("sms", "+14045550100"),
                                                       ("email", "parent@example.org")}
    for message in sent:
        assert "7 to 10 days" in message["body"] and case["reference"] in message["body"]
        assert message["status"] == "recorded"
    assert "We have everything" in browser.get(path).text
    browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                       [("files", "more.pdf", fake_pdf())])
    assert len(outbox(case_id=case["id"], url=url)) == 2  # not sent again


def test_confirmation_without_phone_or_email_goes_to_the_chat(portal, database_url):
    bare = cases.create_cases("rest:no-contact", ["hip"], child_birth_date=CHILD_DOB,
                              url=database_url)[0]
    for kind in ("questionnaire", "financial_consent", "referral", "medical_records"):
        cases.mark_received(bare["id"], kind, url=database_url)
    browser, path, csrf = sign_in(portal, bare["id"])
    assert browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "x.pdf", fake_pdf())]).status == 303
    (message,) = outbox(case_id=bare["id"], url=database_url)
    assert (message["channel"], message["to"]) == ("rest", "rest:no-contact")


def test_a_page_opened_before_a_chat_answer_does_not_undo_it(portal, case):
    """The page posts back the revision it showed (hidden field): an answer the parent
    changed in the chat after opening the page survives the page's older copy."""
    browser, path, csrf = sign_in(portal, case["id"])
    url = portal.settings.database_url
    html = browser.get(path).text
    shown = re.search(r'name="answers_revision" value="(\d+)"', html)
    assert shown, "the page carries the revision it shows"
    cases.update_answers([case["id"]], {"main_questions": "Is the brace enough?"}, url=url)
    fields = {**SPINE_FORM, "answers_revision": shown.group(1)}
    fields.pop("main_questions")
    old_value = re.search(r'name="main_questions"[^>]*>([^<]*)<', html)
    fields["main_questions"] = old_value.group(1) if old_value else ""
    post_questionnaire(browser, path, csrf, fields)
    answers = cases.questionnaire_of(case["id"], url=url)["answers"]
    assert answers["main_questions"] == "Is the brace enough?"
    assert answers["pcp_name"] == "Ann Smith"  # the page's other answers are saved
