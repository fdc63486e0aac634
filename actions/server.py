"""`python -m actions.server [--port 5055]`: the rasa_sdk action server, locked down.

rasa_sdk 3.6 has no authentication and listens on every interface, yet a call to
/webhook runs an action against whatever tracker the caller makes up (case answers,
fresh upload links). Here it listens on ACTION_SERVER_HOST (127.0.0.1 by default) and
every call but /health must carry ACTION_SERVER_TOKEN in the X-Action-Token header
(Rasa sends it: endpoints.yml). A failing call answers a short error; it never echoes
the request body (it holds the conversation) and never stops the process.
"""
from __future__ import annotations

import argparse
import functools
import hmac
import json
import logging
import traceback
from typing import Any, Optional

from rasa_sdk import endpoint, utils
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import logs
from bot.settings import Settings, get_settings

logger = logging.getLogger("actions.server")  # not "__main__" under python -m

HEADER = "X-Action-Token"
OPEN_PATHS = frozenset({"/health"})  # liveness checks carry no secret and run nothing


def create_app(settings: Settings) -> Sanic:
    if not settings.action_server_token:
        raise SystemExit("ACTION_SERVER_TOKEN is not set: the action server refuses to start "
                         "without it (see .env.example; `make run` writes a random one).")
    secret = settings.action_server_token.encode()
    # Only Rasa calls this server, never a browser: no CORS origin is allowed.
    app = endpoint.create_app("actions", cors_origins="")

    @app.middleware("request")
    async def require_secret(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, secret):
            return response.json({"error": "missing or wrong action server token"}, status=401)
        if request.path == "/webhook" and request.method == "POST":
            problem = action_call_problem(request)
            if problem:
                return response.json({"error": problem}, status=400)
        return None

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            return response.json({"error": str(exception)[:200]}, status=exception.status_code)
        # The type and place only: an exception's message can quote the parent's answers.
        origin = exception.__cause__ or exception
        where = traceback.extract_tb(origin.__traceback__)[-1:]
        logger.error("action call failed: %s at %s", type(origin).__name__,
                     f"{where[0].filename}:{where[0].lineno}" if where else "?")
        return response.json({"error": "the action failed"}, status=500)

    for route in app.router.routes:
        route.handler = _contained(route.handler)
    return app


def action_call_problem(request: Request) -> Optional[str]:
    """What is wrong with the shape of an action call, before any action sees it."""
    if request.headers.get("Content-Encoding") == "deflate":
        return None  # Rasa compresses only when told to; rasa_sdk inflates and checks it
    try:
        call: Any = json.loads(request.body)
    except (ValueError, RecursionError):
        return "the body is not JSON"
    if not isinstance(call, dict):
        return "the body must be a JSON object"
    if not isinstance(call.get("next_action"), str):
        return "next_action must be a string"
    tracker = call.get("tracker")
    if not isinstance(tracker, dict) or not isinstance(tracker.get("sender_id"), str):
        return "tracker must be an object with a sender_id"
    for key in ("slots", "latest_message"):
        if not isinstance(tracker.get(key) or {}, dict):
            return f"tracker.{key} must be an object"
    if not isinstance(tracker.get("events") or [], list):
        return "tracker.events must be a list"
    if not isinstance(call.get("domain") or {}, dict):
        return "domain must be an object"
    return None


def _contained(handler):
    """A SystemExit raised while handling one call (sys.exit deep in a library) would
    stop the whole server: turn it into an ordinary error answered with a 500."""
    @functools.wraps(handler)
    async def contained(request: Request, *args: Any, **kwargs: Any) -> Any:
        try:
            return await handler(request, *args, **kwargs)
        except SystemExit as exc:
            raise RuntimeError("a call tried to stop the action server") from exc
    return contained


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m actions.server")
    parser.add_argument("--port", type=int, default=5055)
    port = parser.parse_args(argv).port
    settings = get_settings()
    logs.configure("actions", settings)
    app = create_app(settings)
    logger.info("action server on %s:%s (token required)", settings.action_server_host, port)
    app.run(settings.action_server_host, port, workers=utils.number_of_sanic_workers(),
            access_log=False)


if __name__ == "__main__":
    main()
