"""`python -m bot users ...` as a subprocess, as an administrator runs it."""
import os
import subprocess
import sys

from bot.staff import passwords, users
from bot.settings import REPO_ROOT
from tests.staff.test_accounts import stored_hash

PASSWORD = "a long enough password"


def run(database_url, *args, stdin=""):
    env = {**os.environ, "DATABASE_URL": database_url, "ENV_FILE": os.devnull}
    return subprocess.run([sys.executable, "-m", "bot", "users", *args], input=stdin,
                          capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120)


def test_cli_adds_lists_and_disables_users_with_hashed_passwords(database_url):
    added = run(database_url, "add", "casey", "--role", "coordinator", "--password-stdin",
                stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added casey (coordinator)"
    stored = stored_hash(database_url)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert passwords.verify(stored, PASSWORD)
    assert run(database_url, "list").stdout.split() == ["casey", "coordinator", "active"]
    assert run(database_url, "disable", "casey").returncode == 0
    assert users.list_users(database_url)[0].disabled


def test_cli_refuses_short_passwords_and_unknown_users(database_url):
    short = run(database_url, "add", "sam", "--role", "reviewer", "--password-stdin",
                stdin="short\n")
    assert short.returncode == 1 and "at least 12" in short.stderr
    missing = run(database_url, "set-password", "nobody", "--password-stdin", stdin=PASSWORD)
    assert missing.returncode == 1 and "no user" in missing.stderr
    bad_role = run(database_url, "add", "sam", "--role", "admin", "--password-stdin")
    assert bad_role.returncode == 2
    assert users.list_users(database_url) == []
