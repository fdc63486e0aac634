"""`python -m bot.portal [--host 127.0.0.1] [--port 8000]`: the portal under uvicorn.

Same as `uvicorn bot.portal.app:app --port 8000 --ws none --no-proxy-headers`.
`--ws none` is needed because Rasa pins an older `websockets` than uvicorn's default
protocol imports; the portal uses no websockets. `--no-proxy-headers`: the app reads
X-Forwarded-For itself, only from TRUSTED_PROXIES.
"""
from __future__ import annotations

import argparse

import logging

import uvicorn

from bot import logs
from bot.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.portal")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    # X-Forwarded-For is read by the app itself, only from TRUSTED_PROXIES (see
    # bot/portal/proxies.py); uvicorn's own reading (from 127.0.0.1 by default) is off.
    settings = get_settings()
    logs.configure("portal", settings)
    uvicorn.run("bot.portal.app:app", host=args.host, port=args.port, ws="none",
                proxy_headers=False,
                log_level=logging.getLevelName(logs.library_level(settings)).lower())


if __name__ == "__main__":
    main()
