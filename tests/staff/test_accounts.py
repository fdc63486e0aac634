"""Staff accounts and sign-in without HTTP: argon2 hashes (rehashed when the parameters
change), lockout with an injected time, disabling, new passwords."""
import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from bot.db import StaffUser, session_scope
from bot.settings import Settings
from bot.staff import login, passwords, sessions, users
from tests.staff.helpers import PASSWORD, T0, add_staff


def stored_hash(url, username="casey"):
    with session_scope(url) as session:
        return session.execute(select(StaffUser.password_hash)
                               .where(StaffUser.username == username)).scalar_one()


@pytest.fixture()
def settings(database_url):
    return Settings.from_env({"DATABASE_URL": database_url})


def test_passwords_are_stored_as_argon2id_hashes(database_url):
    add_staff(database_url)
    stored = stored_hash(database_url)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert passwords.verify(stored, PASSWORD) and not passwords.verify(stored, PASSWORD + "x")
    assert not passwords.verify(None, PASSWORD)  # unknown user: a dummy hash is checked


def test_account_rules(database_url):
    with pytest.raises(passwords.WeakPassword):
        users.add_user("casey", "coordinator", "eleven char", database_url)
    with pytest.raises(users.UserError):
        users.add_user("casey", "admin", PASSWORD, database_url)
    with pytest.raises(users.UserError):
        users.add_user("no spaces", "reviewer", PASSWORD, database_url)
    add_staff(database_url, "Casey")
    with pytest.raises(users.UserError, match="already"):
        add_staff(database_url, "casey")
    assert [(u.username, u.role) for u in users.list_users(database_url)] == [
        ("casey", "coordinator")]


def test_lockout_after_five_wrong_passwords_in_a_row(settings):
    url = settings.database_url
    add_staff(url)
    for n in range(4):
        assert login.authenticate("casey", "wrong password!", settings, T0).result == login.WRONG
    fifth = login.authenticate("casey", "wrong password!", settings, T0)
    assert fifth.result == login.LOCKED
    later = T0 + dt.timedelta(minutes=14)
    assert login.authenticate("casey", PASSWORD, settings, later).result == login.LOCKED
    after = T0 + dt.timedelta(minutes=15)
    assert login.authenticate("casey", PASSWORD, settings, after).ok
    # the count starts again from zero after a lockout
    for _ in range(4):
        login.authenticate("casey", "wrong password!", settings, after)
    assert login.authenticate("casey", PASSWORD, settings, after).ok


def test_guesses_sent_all_at_once_still_lock_after_five(settings):
    """The attacker's race: 30 wrong guesses in parallel, then the right password."""
    from concurrent.futures import ThreadPoolExecutor

    add_staff(settings.database_url)
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda n: login.authenticate(
            "casey", f"wrong guess {n}!", settings, T0).result, range(30)))
    assert results.count(login.WRONG) + results.count(login.LOCKED) == 30
    assert results.count(login.WRONG) <= settings.staff_max_failed_logins - 1
    assert login.authenticate("casey", PASSWORD, settings, T0).result == login.LOCKED
    later = T0 + dt.timedelta(minutes=15)
    assert login.authenticate("casey", PASSWORD, settings, later).ok


def test_unknown_and_disabled_users_never_sign_in(settings):
    url = settings.database_url
    assert login.authenticate("nobody", PASSWORD, settings, T0).result == login.UNKNOWN
    assert login.authenticate("", PASSWORD, settings, T0).result == login.UNKNOWN
    add_staff(url)
    users.disable_user("casey", url)
    assert login.authenticate("casey", PASSWORD, settings, T0).result == login.DISABLED
    assert users.list_users(url)[0].disabled


def test_a_new_password_lifts_the_lock_and_ends_sessions(settings):
    url = settings.database_url
    user = add_staff(url)
    token = sessions.start(user.id, settings, T0)
    assert sessions.current(token, url, T0).username == "casey"
    for _ in range(5):
        login.authenticate("casey", "wrong password!", settings, T0)
    users.set_password("casey", "a brand new password", url)
    assert sessions.current(token, url, T0) is None
    assert login.authenticate("casey", "a brand new password", settings, T0).ok
    assert not login.authenticate("casey", PASSWORD, settings, T0).ok


def test_a_hash_with_old_parameters_is_replaced_at_sign_in(settings, monkeypatch):
    url = settings.database_url
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    monkeypatch.setattr(passwords, "HASHER", weak)
    add_staff(url)
    old = stored_hash(url)
    monkeypatch.undo()
    assert passwords.needs_rehash(old)
    assert login.authenticate("casey", PASSWORD, settings, T0).ok
    new = stored_hash(url)
    assert new != old and not passwords.needs_rehash(new)
    assert login.authenticate("casey", PASSWORD, settings, T0).ok


def test_sessions_expire_after_the_configured_hours(settings):
    url = settings.database_url
    user = add_staff(url)
    token = sessions.start(user.id, settings, T0)
    assert sessions.current(token, url, T0 + dt.timedelta(hours=11, minutes=59))
    assert sessions.current(token, url, T0 + dt.timedelta(hours=12)) is None
    assert sessions.current("not-a-token", url, T0) is None
    sessions.end(token, url)
    assert sessions.current(token, url, T0) is None
