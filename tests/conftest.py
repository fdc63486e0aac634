"""Shared fixtures: a fresh migrated database per test that needs one."""
from __future__ import annotations

import pytest

from bot import settings as settings_module


@pytest.fixture()
def database_url(tmp_path, monkeypatch):
    from bot.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'test.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    settings_module.get_settings.cache_clear()
    upgrade(url)
    yield url
    settings_module.get_settings.cache_clear()
