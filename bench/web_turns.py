"""Time the web chat channel (trained model, real action server, SQLite tracker): each
POST /webhooks/web/message (one whole turn, replies included), the same script over the
REST channel for comparison, and POST /webhooks/web/session resuming a conversation with
its history. Prints p50/p95/max in milliseconds; not a test.

    .venv/bin/python bench/web_turns.py [--turns 24]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sms_webhook import SCRIPT, percentiles  # noqa: E402  (bench/, the script's folder)
from tests.integration.servers import Servers  # noqa: E402
from tests.integration.test_web_channel import call, page  # noqa: E402


def timed(func, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=24, help="timed turns per channel")
    args = parser.parse_args()
    web, rest, resume = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        with Servers.running(Path(tmp)) as servers:
            servers.say("warmup", "hi")
            while len(web) < args.turns:
                token = call(servers, "session", {}, origin=page(servers))[2]["token"]
                sender = f"bench-{uuid.uuid4().hex[:8]}"
                for text in SCRIPT[: args.turns - len(web)]:
                    ms, (status, _, _) = timed(call, servers, "message",
                                               {"token": token, "text": text},
                                               origin=page(servers))
                    assert status == 200
                    web.append(ms)
                    rest.append(timed(servers.say, sender, text)[0])
                ms, (status, _, answer) = timed(call, servers, "session", {"token": token},
                                                origin=page(servers))
                assert status == 200 and answer["resumed"]
                resume.append(ms)
    print(f"web  /message turn : {percentiles(web)}")
    print(f"rest webhook turn  : {percentiles(rest)}")
    print(f"web  /session resume with history ({len(SCRIPT)} messages): {percentiles(resume)}")


if __name__ == "__main__":
    main()
