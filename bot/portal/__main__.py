"""`python -m bot.portal [--host 127.0.0.1] [--port 8000]`: the portal under uvicorn.

Same as `uvicorn bot.portal.app:app --port 8000 --ws none`. `--ws none` is needed
because Rasa pins an older `websockets` than uvicorn's default protocol imports; the
portal uses no websockets.
"""
from __future__ import annotations

import argparse

import uvicorn


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.portal")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    # proxy_headers: behind a TLS proxy the consent's IP is the client's (trusted from
    # FORWARDED_ALLOW_IPS, default 127.0.0.1 only).
    uvicorn.run("bot.portal.app:app", host=args.host, port=args.port, ws="none",
                proxy_headers=True)


if __name__ == "__main__":
    main()
