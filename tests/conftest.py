"""Shared fixtures: a fresh migrated database per test that needs one, on SQLite or
(when TEST_POSTGRES_URL is set, as .ci/run does) on a fresh PostgreSQL database."""
from __future__ import annotations

import os
import uuid

import pytest

from bot import settings as settings_module
from bot.settings import REPO_ROOT


def _clean_environment() -> None:
    """Tests never see the developer's .env or exported settings: with real Twilio or
    SMTP credentials there, `make test` would text and email real people. Every setting
    a test needs is given explicitly (fixtures, tests/integration/servers.py)."""
    example = (REPO_ROOT / ".env.example").read_text()
    for line in example.splitlines():
        name = line.split("=", 1)[0].strip()
        if name and not name.startswith("#") and "=" in line:
            os.environ.pop(name, None)
    os.environ["ENV_FILE"] = os.devnull
    settings_module.get_settings.cache_clear()


_clean_environment()

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(not POSTGRES_ADMIN_URL, reason="TEST_POSTGRES_URL not set")


@pytest.fixture()
def database_url(tmp_path, monkeypatch):
    from bot.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'test.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    settings_module.get_settings.cache_clear()
    upgrade(url)
    yield url
    settings_module.get_settings.cache_clear()


@pytest.fixture()
def pg_url(monkeypatch):
    """An empty PostgreSQL database of its own, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from bot.db import engine_for

    name = f"intake_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = str(make_url(POSTGRES_ADMIN_URL).set(database=name))
    monkeypatch.setenv("DATABASE_URL", url)
    settings_module.get_settings.cache_clear()
    yield url
    settings_module.get_settings.cache_clear()
    engine_for(url).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
