"""Time one conversational turn over the REST channel (trained model, real action
server, SQLite tracker). Prints p50/p95/max in milliseconds.

    .venv/bin/python bench/turn_latency.py [--turns 60]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.integration.servers import Servers  # noqa: E402

SCRIPT = ["hi", "is my son eligible", "how much is it?", "scoliosis", "12", "31201",
          "how long does it take", "thanks"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=64, help="number of timed turns")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        with Servers.running(Path(tmp)) as servers:
            servers.say("warmup", "hi")
            timings = []
            while len(timings) < args.turns:
                sender = f"bench-{uuid.uuid4().hex[:6]}"
                for text in SCRIPT[: args.turns - len(timings)]:
                    start = time.perf_counter()
                    servers.say(sender, text)
                    timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"turns: {len(timings)}")
    print(f"p50: {statistics.median(timings):.0f} ms  p95: {p95:.0f} ms  max: {timings[-1]:.0f} ms")


if __name__ == "__main__":
    main()
