"""Shared by tests/staff and tests/portal/test_coordinator_*: staff accounts, a settable
clock for bot.staff.clock, and signing in through the real login form."""
from __future__ import annotations

import datetime as dt

from bot.staff import users
from tests.portal.helpers import Browser, csrf_of

PASSWORD = "correct horse battery"
T0 = dt.datetime(2026, 12, 7, 15, 0)  # a Monday, 10:00 in New York


class Clock:
    """bot.staff.clock.now replaced (monkeypatch): tests move time by hand."""

    def __init__(self, start: dt.datetime = T0):
        self.value = start

    def __call__(self) -> dt.datetime:
        return self.value

    def advance(self, **delta) -> None:
        self.value += dt.timedelta(**delta)


def add_staff(url: str, username: str = "casey", role: str = users.COORDINATOR,
              password: str = PASSWORD) -> users.UserInfo:
    return users.add_user(username, role, password, url)


def login_form(browser: Browser) -> str:
    page = browser.get("/coordinator/login")
    assert page.status == 200, page.text
    return csrf_of(page.text)


def sign_in(browser: Browser, username: str = "casey", password: str = PASSWORD,
            next_path: str = ""):
    """Posts the login form; returns the response (303 to the queue when it worked)."""
    fields = {"csrf_token": login_form(browser), "username": username, "password": password}
    if next_path:
        fields["next"] = next_path
    return browser.post_form("/coordinator/login", fields)


def signed_in(portal, username: str = "casey", role: str = users.COORDINATOR) -> Browser:
    add_staff(portal.settings.database_url, username, role)
    browser = portal.browser()
    resp = sign_in(browser, username)
    assert resp.status == 303 and resp.location == "/coordinator", resp.text
    return browser
