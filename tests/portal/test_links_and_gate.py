"""Upload links (signed, expiring, revocable) and the birth-date gate, over real HTTP."""
import datetime as dt
import os
import stat
import time

import pytest
from itsdangerous import TimestampSigner

from bot import cases, notifier
from bot.db import PortalGate, session_scope
from bot.dialogue.turn import turn
from bot.portal import gate, links
from bot.settings import Settings
from tests.portal.conftest import API_TOKEN, make_case, sign_in
from tests.portal.helpers import csrf_of, visible_text


def test_good_link_and_birth_date_open_the_page(portal, case):
    browser = portal.browser()
    path = portal.link_path(case["id"])
    gate_page = browser.get(path)
    assert gate_page.status == 200
    assert "birth date" in gate_page.text and case["reference"] not in gate_page.text
    assert "Still needed" not in gate_page.text  # nothing shown before the birth date
    resp = browser.post_form(path + "/birth-date", {"csrf_token": csrf_of(gate_page.text),
                                                     "birth_date": "2012-04-02"})
    assert resp.status == 303 and resp.location == path
    page = browser.get(path)
    assert page.status == 200
    text = visible_text(page.text)
    assert case["reference"] in text
    for label in ("Health questions", "Fee agreement", "Referral from your child's doctor",
                  "Medical records", "Images (X-ray, MRI, CT or ultrasound)"):
        assert label in text
    assert "Still needed" in text


def test_cookie_is_httponly_lax_and_scoped_to_the_link(portal, case):
    browser = portal.browser()
    path = portal.link_path(case["id"])
    resp = browser.get(path)
    cookie = resp.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and f"path={path.lower()}" in cookie
    assert "secure" not in cookie  # plain http base URL


def test_cookie_is_secure_when_the_public_url_is_https(start_portal, case):
    portal = start_portal(PUBLIC_BASE_URL="https://portal.example.org")
    resp = portal.browser().get(portal.link_path(case["id"]))
    assert "secure" in resp.headers["set-cookie"].lower()
    assert "strict-transport-security" in resp.headers


def test_birth_date_formats_are_read():
    for text in ("2012-04-02", "4/2/2012", "04-02-2012", "April 2, 2012", "2 Apr 2012",
                 "4/2/12", "April 2nd 2012"):
        assert gate.parse_birth_date(text, dt.date(2026, 1, 1)) == dt.date(2012, 4, 2), text
    for text in ("", "soon", "13/45/2012", "2/30/2012", "April 2012"):
        assert gate.parse_birth_date(text) is None, text


def test_wrong_birth_dates_lock_the_link_with_429(start_portal, case):
    portal = start_portal(DOB_MAX_TRIES=3)
    browser = portal.browser()
    path = portal.link_path(case["id"])
    csrf = csrf_of(browser.get(path).text)
    not_a_date = browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                          "birth_date": "next week"})
    assert not_a_date.status == 400 and "03/05/2015" in not_a_date.text  # not counted
    first = browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                     "birth_date": "2012-04-03"})
    assert first.status == 400 and "2 more tries" in visible_text(first.text)
    second = browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                      "birth_date": "2012-04-04"})
    assert "1 more try" in visible_text(second.text)
    third = browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                     "birth_date": "2012-04-05"})
    assert third.status == 429
    text = visible_text(third.text)
    assert "Too many tries" in text and portal.settings.coordinator_phone in text
    # The right date no longer helps, a new browser neither (the count is in the database).
    right = browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                     "birth_date": "2012-04-02"})
    assert right.status == 429
    assert portal.browser().get(path).status == 429
    # Neither does a new link version: the count is per case (see the tests below).
    cases.revoke_links(case["id"], url=portal.settings.database_url)
    assert portal.browser().get(portal.link_path(case["id"])).status == 429


def test_a_right_answer_resets_the_count(start_portal, case):
    portal = start_portal(DOB_MAX_TRIES=2)
    browser = portal.browser()
    path = portal.link_path(case["id"])
    csrf = csrf_of(browser.get(path).text)
    assert browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                    "birth_date": "1/1/2012"}).status == 400
    assert browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                    "birth_date": "4/2/2012"}).status == 303
    assert gate.failed_tries(case["id"], portal.settings.database_url) == 0


def test_birth_date_post_needs_the_csrf_token(portal, case):
    browser = portal.browser()
    path = portal.link_path(case["id"])
    browser.get(path)
    resp = browser.post_form(path + "/birth-date", {"birth_date": "2012-04-02"})
    assert resp.status == 403 and "reload the page" in resp.text
    other = portal.browser()  # a forged post from another site carries no session
    assert other.post_form(path + "/birth-date", {"csrf_token": "x", "birth_date":
                                                  "2012-04-02"}).status == 403


def test_expired_link_is_410(portal, case, monkeypatch):
    old = time.time() - 15 * 86400
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(old))
    token = links.make_token(case["id"], 1, portal.settings)
    monkeypatch.undo()
    resp = portal.browser().get("/u/" + token)
    assert resp.status == 410
    assert "ask the assistant for a new link" in visible_text(resp.text)


def test_tiny_max_age_expires_too(start_portal, case):
    portal = start_portal(LINK_MAX_AGE_DAYS="0.00001")  # under a second
    path = portal.link_path(case["id"])
    time.sleep(2)
    assert portal.browser().get(path).status == 410


def test_tampered_and_unknown_links_are_404(portal, case):
    path = portal.link_path(case["id"])
    token = path.rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    resp = portal.browser().get("/u/" + tampered)
    assert resp.status == 404 and "This link does not work" in resp.text
    assert portal.browser().get("/u/not-a-token").status == 404
    other_key = Settings.from_env({"PORTAL_SECRET_KEY": "another-secret-key-0123456789abcdef"})
    assert portal.browser().get("/u/" + links.make_token(case["id"], 1, other_key)).status == 404
    assert portal.browser().get("/u/" + links.make_token(999, 1, portal.settings)).status == 404


def test_revoked_link_version_is_refused(portal, case):
    browser, path, _ = sign_in(portal, case["id"])
    cases.revoke_links(case["id"], url=portal.settings.database_url)
    resp = browser.get(path)
    assert resp.status == 410 and "new link" in resp.text
    fresh = portal.link_path(case["id"])
    assert fresh != path and portal.browser().get(fresh).status == 200


def test_session_cookie_is_bound_to_its_case(portal, database_url, case):
    other = make_case(database_url, conversation="rest:parent-2")
    browser, path, csrf = sign_in(portal, case["id"])
    other_path = portal.link_path(other["id"])
    # Reusing the first case's cookie value on the second link does not sign in.
    (cookie_path, name), value = next(iter(browser.cookies.items()))
    browser.cookies[(other_path, name)] = value
    assert "birth date" in browser.get(other_path).text
    resp = browser.post_form(other_path + "/consent", {"csrf_token": csrf,
                                                       "signer_name": "Mary Doe",
                                                       "agree": "yes"})
    assert resp.status == 403


def test_upload_url_uses_the_public_base_url(portal, case):
    url = links.upload_url(case["id"], settings=portal.settings)
    assert url.startswith(portal.settings.public_base_url + "/u/")
    assert links.check_link(url.rsplit("/", 1)[1], portal.settings) == (case["id"], 1)


def test_a_fresh_link_revokes_the_older_ones(portal, case):
    old = links.upload_url(case["id"], settings=portal.settings)
    versions = cases.resend_links([case["id"]], 3, url=portal.settings.database_url)
    new = links.upload_url(case["id"], versions[case["id"]], portal.settings)
    replaced = portal.browser().get(old.split(portal.base, 1)[1])
    assert replaced.status == 410
    # Seconds old, not "expired after a while": the parent is told a newer link exists.
    assert "newer link" in visible_text(replaced.text)
    assert "expired" not in visible_text(replaced.text).lower()
    assert portal.browser().get(new.split(portal.base, 1)[1]).status == 200


def test_secret_key_is_made_once_with_0600(tmp_path):
    path = tmp_path / "var" / "portal_secret"
    settings = Settings.from_env({})
    key = links.secret_key(settings, path)
    assert len(key) >= 32 and links.secret_key(settings, path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert links.secret_key(Settings.from_env({"PORTAL_SECRET_KEY": "x" * 40}), path) == "x" * 40


def test_token_payload_must_be_ours(portal):
    bad = links.serializer(portal.settings).dumps({"case": "1", "v": 1})
    with pytest.raises(links.LinkInvalid):
        links.read_token(bad, portal.settings)


# --- the lockout is per case; re-sends cannot reset it; the coordinator can ----------

def lock(portal, case_id: int) -> str:
    """Wrong birth dates until the page answers 429; returns the link path."""
    browser = portal.browser()
    path = portal.link_path(case_id)
    csrf = csrf_of(browser.get(path).text)
    for _ in range(portal.settings.dob_max_tries):
        resp = browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                        "birth_date": "1/1/2011"})
    assert resp.status == 429
    return path


def chat_resend(case: dict) -> str:
    result = turn({"case_ids": [case["id"]]}, "please send me the link again",
                  "rest:parent-1", None, 0.0, dt.date(2026, 11, 30))
    return "\n".join(r.text for r in result.replies)


def unlock(portal, case_id: int, token=API_TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return portal.browser().request("POST", f"/api/cases/{case_id}/unlock-link", b"", headers)


def test_a_chat_resend_after_the_lockout_opens_nothing(portal, case):
    url = portal.settings.database_url
    old_path = lock(portal, case["id"])
    reply = chat_resend(case)
    assert portal.settings.coordinator_phone in reply and "/u/" not in reply
    assert cases.link_version(case["id"], url=url) == 1 and portal.browser().get(
        old_path).status == 429
    # Any newer link version (e.g. the re-send limit of another day) is locked as well.
    cases.resend_links([case["id"]], 3, url=url)
    new_path = portal.link_path(case["id"])
    assert new_path != old_path and portal.browser().get(new_path).status == 429
    assert gate.record_try(case["id"], True, 5, url).locked  # the right date does not help


def test_the_coordinator_unlock_needs_the_token_and_sends_a_fresh_link(portal, case):
    url = portal.settings.database_url
    old_path = lock(portal, case["id"])
    cases.resend_links([case["id"]], 3, url=url)
    before = len(notifier.outbox(case_id=case["id"], url=url))
    assert unlock(portal, case["id"], token=None).status == 401
    assert unlock(portal, case["id"], token="not-the-token").status == 403
    assert gate.is_locked(case["id"], 5, url) and cases.link_version(case["id"], url=url) == 2
    assert len(notifier.outbox(case_id=case["id"], url=url)) == before  # nothing sent
    assert unlock(portal, 999).status == 404
    resp = unlock(portal, case["id"])
    assert resp.status == 200 and resp.json() == {"id": case["id"], "link_version": 3}
    sent = notifier.outbox(case_id=case["id"], url=url)
    assert len(sent) == before + 2  # the chat channel, and email (the case has one)
    fresh = sent[0]["body"].split(portal.base, 1)[1]
    # Same case and version as a link made now (the signature's timestamp may differ).
    assert fresh.split(".")[0] == portal.link_path(case["id"]).split(".")[0]
    assert fresh.split(".")[0] != old_path.split(".")[0]
    assert portal.browser().get(fresh).status == 200
    assert portal.browser().get(old_path).status == 410
    sign_in(portal, case["id"])
    # The re-send count starts over too: the parent can ask the chat again.
    assert cases.resend_links([case["id"]], 1, url=url) is not None


def test_a_lock_from_before_the_upgrade_holds(portal, case):
    url = portal.settings.database_url
    with session_scope(url) as session:  # a per-version row, as the old code kept them
        session.add(PortalGate(case_id=case["id"], link_version=1, failed_tries=5))
    assert portal.browser().get(portal.link_path(case["id"])).status == 429


def test_the_lock_page_reads_as_one_sentence(start_portal, case):
    portal = start_portal(COORDINATOR_SCHEDULE="mon-fri 08:00-17:00")
    browser, path, csrf = portal.browser(), portal.link_path(case["id"]), None
    for _ in range(portal.settings.dob_max_tries):
        csrf = csrf_of(browser.get(path).text)
        browser.post_form(path + "/birth-date", {"csrf_token": csrf, "birth_date": "01/01/2001"})
    locked = visible_text(browser.get(path).text)
    assert "5 p.m." in locked and "p.m.." not in locked
