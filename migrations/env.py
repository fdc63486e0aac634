"""Alembic environment: URL from bot.settings, metadata from bot.db."""
from logging.config import fileConfig

from alembic import context

from bot.db import Base, engine_for
from bot.settings import get_settings

if context.config.config_file_name:
    fileConfig(context.config.config_file_name, disable_existing_loggers=False)

# Rasa's tracker store owns `events`; never autogenerate a drop for it.
RASA_TABLES = {"events"}


def include_object(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and name in RASA_TABLES)


def url() -> str:
    return context.config.attributes.get("database_url") or get_settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=url(), target_metadata=Base.metadata, literal_binds=True,
                      include_object=include_object, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    with engine_for(url()).connect() as connection:
        # render_as_batch: SQLite can only ALTER tables by copying them.
        context.configure(connection=connection, target_metadata=Base.metadata,
                          include_object=include_object, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
