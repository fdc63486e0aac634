"""Shared by tests/staff and tests/portal/test_coordinator_*: staff accounts, a settable
clock for bot.staff.clock, a case's row and status, and signing in through the real
login form."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.db import Case, session_scope
from bot.staff import clock, users
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


def frozen_clock(monkeypatch) -> "Clock":
    """bot.staff.clock.now stopped at T0 for the test; move it with .advance()."""
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


def set_status(url: str, case_id: int, status: str) -> None:
    """Put a case in a status directly (the workflow's own moves are tested elsewhere)."""
    with session_scope(url) as session:
        session.execute(update(Case).where(Case.id == case_id).values(status=status))


def case_row(url: str, case_id: int) -> Case:
    with session_scope(url) as session:
        return session.get(Case, case_id)
