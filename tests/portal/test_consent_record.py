"""The consent record keeps the exact words signed: changing the coordinator's phone
or a fee later changes what v1 shows, never what a parent already signed."""
import dataclasses
import hashlib
import types

from bot.db import Consent, session_scope
from bot.portal import consent
from bot.programs import load_catalogue
from tests.portal.conftest import sign_in


def sign(portal, case_id, name="Mary Doe"):
    browser, path, csrf = sign_in(portal, case_id)
    resp = browser.post_form(path + "/consent", {"csrf_token": csrf, "signer_name": name,
                                                 "agree": "yes"})
    assert resp.status == 303, resp.text


def raise_spine_fee(monkeypatch, fee):
    catalogue = load_catalogue()
    programs = {**catalogue.programs,
                "spine": dataclasses.replace(catalogue.programs["spine"], fee_usd=fee)}
    monkeypatch.setattr(consent, "load_catalogue",
                        lambda: types.SimpleNamespace(programs=programs))


def test_the_signed_text_survives_a_phone_and_fee_change(start_portal, case, monkeypatch):
    before = start_portal(COORDINATOR_PHONE="404-555-0142")
    sign(before, case["id"])
    shown = consent.consent_text("spine", before.settings)
    assert "404-555-0142" in shown and "$500" in shown

    after = start_portal(COORDINATOR_PHONE="404-555-0199")
    raise_spine_fee(monkeypatch, 650)
    now = consent.consent_text("spine", after.settings)
    assert "404-555-0199" in now and "$650" in now  # v1 now reads differently

    signed = consent.latest(case["id"], before.settings.database_url)
    assert signed["text_version"] == "v1" and signed["signed_text"] == shown
    assert hashlib.sha256(signed["signed_text"].encode()).hexdigest() == signed["text_sha256"]
    assert "404-555-0199" not in signed["signed_text"] and "$650" not in signed["signed_text"]

    # A new signature after the change keeps the new words; the first one is untouched.
    sign(after, case["id"])
    assert consent.latest(case["id"], after.settings.database_url)["signed_text"] == now
    with session_scope(after.settings.database_url) as session:
        rows = session.query(Consent).filter(Consent.case_id == case["id"]) \
            .order_by(Consent.id).all()
        assert [r.signed_text for r in rows] == [shown, now]
        assert [r.text_sha256 for r in rows] == [consent.text_sha256(shown),
                                                 consent.text_sha256(now)]


def test_the_coordinator_api_shows_the_words_signed(portal, case):
    sign(portal, case["id"])
    found = portal.api(f"/api/cases/{case['id']}/consents")
    assert found.status == 200
    [signature] = found.json()
    assert signature["signed_text"] == consent.consent_text("spine", portal.settings)
    assert signature["signer_name"] == "Mary Doe" and "$500" in signature["signed_text"]
    assert portal.api(f"/api/cases/{case['id']}/consents", token="wrong").status in (401, 403)
    assert portal.api("/api/cases/999999/consents").status == 404


def test_signing_twice_keeps_one_signature(portal, case):
    for _ in range(3):
        sign(portal, case["id"])
    with session_scope(portal.settings.database_url) as session:
        assert session.query(Consent).filter(Consent.case_id == case["id"]).count() == 1
    sign(portal, case["id"], name="John Doe")  # another parent signs: kept as well
    with session_scope(portal.settings.database_url) as session:
        assert session.query(Consent).filter(Consent.case_id == case["id"]).count() == 2


def test_the_user_agent_is_scrubbed_too(portal, case):
    from urllib.parse import urlencode

    browser, path, csrf = sign_in(portal, case["id"])
    agent = "Mozilla/5.0 (4111:1111:1111:1111) 4111\U0001F6421111\U0001F6421111\U0001F6421111"
    body = urlencode({"csrf_token": csrf, "signer_name": "Mary Doe", "agree": "yes"})
    resp = browser.request("POST", path + "/consent", body.encode(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "User-Agent": agent.encode("utf-8").decode("latin-1")})
    assert resp.status == 303
    stored = consent.latest(case["id"], portal.settings.database_url)["user_agent"]
    assert stored.startswith("Mozilla") and "1111" not in stored
