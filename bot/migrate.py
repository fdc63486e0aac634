"""Bring the database schema to the newest Alembic revision (`python -m bot.migrate`)."""
from __future__ import annotations

from typing import Optional

from alembic import command
from alembic.config import Config

from bot.settings import REPO_ROOT, get_settings


def upgrade(database_url: Optional[str] = None) -> None:
    url = database_url or get_settings().database_url
    if url.startswith("sqlite:///"):
        (REPO_ROOT / "var").mkdir(exist_ok=True)
    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    config.attributes["database_url"] = url
    command.upgrade(config, "head")


if __name__ == "__main__":
    upgrade()
