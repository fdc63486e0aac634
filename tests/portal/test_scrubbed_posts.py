"""Free text posted on the upload page is scrubbed like chat messages: the
questionnaire's answers and the consent signer's name."""
from bot import cases
from bot.db import Consent, session_scope
from bot.scrub import CARD_MARKER, SSN_MARKER
from tests.portal.conftest import sign_in
from tests.portal.test_forms_and_flow import SPINE_FORM, post_questionnaire


def test_card_and_ssn_in_form_answers_are_scrubbed(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    values = {**SPINE_FORM,
              "main_questions": "Does she need surgery? my card 4111.1111.1111.1111",
              "other_conditions": "his ssn is 078 05 1120",
              "fee_call_phone": "404-555-0100"}
    resp = post_questionnaire(browser, path, csrf, values)
    assert resp.status == 303, resp.text[:500]
    answers = cases.questionnaire_of(case["id"], url=portal.settings.database_url)["answers"]
    assert answers["main_questions"] == f"Does she need surgery? my card {CARD_MARKER}"
    assert answers["other_conditions"] == [{"text": f"his ssn is {SSN_MARKER}"}]
    assert "4111" not in str(answers) and "1120" not in str(answers)
    assert answers["home_zip"] == "31201"  # what we ask for is untouched
    page = browser.get(resp.location.split("#")[0]).text
    assert "took out a number" in page and "nothing was charged" in page


def test_a_plain_save_says_nothing_was_taken_out(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = post_questionnaire(browser, path, csrf, SPINE_FORM)
    page = browser.get(resp.location.split("#")[0]).text
    assert "We saved your answers" in page and "took out a number" not in page


def test_a_card_typed_in_the_signer_name_is_not_stored(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_form(path + "/consent", {
        "csrf_token": csrf, "signer_name": "Mary Doe 4111 1111\t1111 1111", "agree": "yes"})
    assert resp.status == 303
    with session_scope(portal.settings.database_url) as session:
        (row,) = session.query(Consent).filter(Consent.case_id == case["id"]).all()
        assert row.signer_name == f"Mary Doe {CARD_MARKER}"
