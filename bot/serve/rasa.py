"""`python -m bot.serve.rasa [--port 5005] [--model ...]`: `rasa run --enable-api` with
the settings applied, and no secret on the command line.

`rasa run --auth-token X` shows the token to anyone running `ps`. Here the token comes
from the settings object (environment over .env), and the action server's secret reaches
endpoints.yml through this process's own environment (`${ACTION_SERVER_TOKEN}`), which
other users cannot read. Rasa's own loggers stay at INFO or above (bot.logs).
"""
from __future__ import annotations

import argparse
import logging
import os
import sys

from bot import logs
from bot.settings import REPO_ROOT, get_settings

# Values endpoints.yml reads as ${NAME}; each must be set or Rasa refuses the file.
ENDPOINT_VARIABLES = ("ACTION_SERVER_URL", "ACTION_SERVER_TOKEN")
# Sanic reads whole bodies up to 100 MB before any route runs: anyone could make the
# server hold that much per request. Our channels take at most 64 KB (REST, SMS).
# Sanic reads SANIC_* variables when Rasa creates the app; bigger bodies get 413 from
# the Content-Length alone, before they are read.
REQUEST_MAX_SIZE = 128 * 1024


def endpoint_environment(settings, action_url: str) -> dict[str, str]:
    if not settings.rasa_auth_token:
        raise SystemExit("RASA_AUTH_TOKEN is not set (see .env.example); `make run` makes one.")
    if not settings.action_server_token:
        raise SystemExit("ACTION_SERVER_TOKEN is not set (see .env.example); `make run` "
                         "makes one.")
    return {"ACTION_SERVER_URL": action_url, "ACTION_SERVER_TOKEN": settings.action_server_token}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.serve.rasa")
    parser.add_argument("--port", type=int, default=5005)
    parser.add_argument("--model", default=str(REPO_ROOT / "models" / "intake.tar.gz"))
    parser.add_argument("--endpoints", default=str(REPO_ROOT / "endpoints.yml"))
    parser.add_argument("--credentials", default=str(REPO_ROOT / "credentials.yml"))
    parser.add_argument("--action-url", default=None,
                        help="the action server's /webhook (default: 127.0.0.1, ACTION_PORT)")
    ours = parser.parse_args(argv)
    settings = get_settings()
    action_url = ours.action_url or os.environ.get("ACTION_SERVER_URL") or \
        f"http://127.0.0.1:{os.environ.get('ACTION_PORT', '5055')}/webhook"
    os.environ.update(endpoint_environment(settings, action_url))
    os.environ.setdefault("SANIC_REQUEST_MAX_SIZE", str(REQUEST_MAX_SIZE))
    # Rasa reads LOG_LEVEL from the environment for its structlog: never below INFO.
    library_level = logs.library_level(settings)
    os.environ["LOG_LEVEL"] = logging.getLevelName(library_level)

    # The same steps as rasa.__main__.main, minus the token on argv and telemetry.
    from rasa.__main__ import create_argument_parser
    import rasa.utils.tensorflow.environment as tf_env
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.io import configure_colored_logging
    from rasa.utils.log_utils import configure_structlog

    args = create_argument_parser().parse_args(
        ["run", "--enable-api", "--port", str(ours.port), "--model", ours.model,
         "--endpoints", ours.endpoints, "--credentials", ours.credentials])
    args.auth_token = settings.rasa_auth_token
    configure_logging_and_warnings(library_level, None, warn_only_once=True,
                                   filter_repeated_logs=True)
    tf_env.setup_tf_environment()
    configure_colored_logging(library_level)
    configure_structlog(library_level)
    logs.configure("rasa", settings)
    sys.path.insert(1, os.getcwd())
    args.func(args)


if __name__ == "__main__":
    main()
