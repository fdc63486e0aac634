"""/coordinator sign-in over real HTTP: redirects and 401, lockout (with a clock the test
moves), CSRF on every form, roles, logout and disabling end the session, cookie flags."""
import pytest

from bot.staff import clock, sessions, users
from tests.portal.helpers import csrf_of
from tests.staff.helpers import PASSWORD, Clock, add_staff, login_form, sign_in, signed_in

FAILED = "do not match an active account"


@pytest.fixture()
def now(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


def test_without_a_session_html_goes_to_login_and_json_gets_401(portal):
    resp = portal.browser().get("/coordinator?program=hip")
    assert resp.status == 303
    assert resp.location == "/coordinator/login?next=/coordinator%3Fprogram%3Dhip"
    resp = portal.browser().get("/coordinator", headers={"Accept": "application/json"})
    assert resp.status == 401 and resp.json() == {"detail": "Sign in first."}
    posted = portal.browser().post_form("/coordinator/callbacks/1/done", {})
    assert posted.status == 303 and posted.location == "/coordinator/login"


def test_login_sets_a_strict_session_cookie_and_follows_next(portal):
    add_staff(portal.settings.database_url)
    browser = portal.browser()
    resp = sign_in(browser, "Casey", next_path="/coordinator?due=overdue")
    assert resp.status == 303 and resp.location == "/coordinator?due=overdue"
    cookie = next(c for c in resp.headers.get_all("set-cookie") if c.startswith("staff_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/coordinator" in cookie
    assert "Secure" not in cookie  # PUBLIC_BASE_URL is http here
    page = browser.get("/coordinator")
    assert page.status == 200 and "Signed in as <strong>casey</strong>" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_https_makes_the_cookies_secure_and_next_stays_on_the_workspace(start_portal):
    portal = start_portal(PUBLIC_BASE_URL="https://intake.example.org")
    add_staff(portal.settings.database_url)
    browser = portal.browser()
    resp = sign_in(browser, next_path="https://evil.example/coordinator")
    assert resp.location == "/coordinator"
    assert all("Secure" in c for c in resp.headers.get_all("set-cookie")
               if c.startswith("staff_session="))


def test_unknown_user_and_wrong_password_get_the_same_answer(portal):
    add_staff(portal.settings.database_url)
    unknown = sign_in(portal.browser(), "nobody")
    wrong = sign_in(portal.browser(), "casey", "not the password at all")
    assert unknown.status == wrong.status == 401
    assert FAILED in unknown.text and FAILED in wrong.text
    assert "staff_session=" not in str(wrong.headers.get_all("set-cookie"))


def test_five_wrong_passwords_lock_the_account_until_the_time_is_up(portal, now):
    add_staff(portal.settings.database_url)
    browser = portal.browser()
    for _ in range(5):
        assert sign_in(browser, password="wrong password here").status == 401
    locked = sign_in(browser)  # the right password, during the lockout
    assert locked.status == 401 and FAILED in locked.text
    now.advance(minutes=14, seconds=59)
    assert sign_in(browser).status == 401
    now.advance(seconds=2)
    assert sign_in(browser).status == 303


def test_a_right_password_resets_the_count(portal, now):
    add_staff(portal.settings.database_url)
    browser = portal.browser()
    for _ in range(4):
        assert sign_in(browser, password="wrong password here").status == 401
    assert sign_in(browser).status == 303
    for _ in range(4):
        assert sign_in(portal.browser(), password="wrong password here").status == 401
    assert sign_in(portal.browser()).status == 303


def test_login_post_without_or_with_a_wrong_csrf_token_is_403(portal):
    add_staff(portal.settings.database_url)
    browser = portal.browser()
    login_form(browser)  # has the cookie, but posts no token
    fields = {"username": "casey", "password": PASSWORD}
    assert browser.post_form("/coordinator/login", fields).status == 403
    assert browser.post_form("/coordinator/login", {**fields, "csrf_token": "x" * 43}).status == 403
    token = login_form(browser)
    other = portal.browser()  # a token without its cookie (another browser's page)
    assert other.post_form("/coordinator/login", {**fields, "csrf_token": token}).status == 403


def test_every_staff_form_needs_the_session_csrf_token(portal):
    browser = signed_in(portal)
    for path in ("/coordinator/logout", "/coordinator/callbacks/1/done"):
        assert browser.post_form(path, {}).status == 403
        assert browser.post_form(path, {"csrf_token": "wrong"}).status == 403
    assert browser.get("/coordinator").status == 200  # still signed in


def test_reviewer_reads_but_cannot_mark_a_call_back_done(portal):
    from bot.records import save_callback_request

    cb = save_callback_request("rest:p1", "question about fees", "+14045550199")
    browser = signed_in(portal, "robin", users.REVIEWER)
    page = browser.get("/coordinator")
    assert page.status == 200 and "+14045550199" in page.text and "Mark done" not in page.text
    resp = browser.post_form(f"/coordinator/callbacks/{cb}/done",
                             {"csrf_token": csrf_of(page.text)})
    assert resp.status == 403 and "can only read" in resp.text


def test_logout_ends_the_session_on_the_server(portal):
    browser = signed_in(portal)
    old_cookie = dict(browser.cookies)
    page = browser.get("/coordinator")
    resp = browser.post_form("/coordinator/logout", {"csrf_token": csrf_of(page.text)})
    assert resp.status == 303 and resp.location == "/coordinator/login"
    assert browser.get("/coordinator").status == 303
    replay = portal.browser()
    replay.cookies.update(old_cookie)  # the cookie copied before logout is dead too
    assert replay.get("/coordinator").status == 303


def test_disabling_a_user_or_expiry_ends_the_session(portal, now):
    url = portal.settings.database_url
    browser = signed_in(portal)
    assert browser.get("/coordinator").status == 200
    users.disable_user("casey", url)
    assert browser.get("/coordinator").status == 303
    assert sign_in(portal.browser()).status == 401  # and no new sign-in
    second = signed_in(portal, "sam")
    now.advance(hours=11, minutes=59)
    assert second.get("/coordinator").status == 200
    now.advance(minutes=2)
    assert second.get("/coordinator").status == 303


def test_the_database_holds_only_a_hash_of_the_session_token(portal):
    from sqlalchemy import select

    from bot.db import StaffSession, session_scope

    browser = signed_in(portal)
    token = next(v for (path, name), v in browser.cookies.items() if name == "staff_session")
    with session_scope(portal.settings.database_url) as session:
        (stored,) = session.execute(select(StaffSession.token_hash)).scalars().all()
    assert stored == sessions.token_hash(token) and token not in stored
