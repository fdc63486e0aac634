"""Tests of bot/questionnaire. `max_age_21`, imported by each module, pins the age
limit so a developer's MAX_CHILD_AGE cannot change the results."""
import pytest

from bot import settings as settings_module


@pytest.fixture(autouse=True)
def max_age_21(monkeypatch):
    monkeypatch.setenv("MAX_CHILD_AGE", "21")
    settings_module.get_settings.cache_clear()
    yield
    settings_module.get_settings.cache_clear()
