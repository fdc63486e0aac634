"""SMS under load: N numbers text at once (trained model, real action server, SQLite,
signed Twilio posts, replies sent by the real twilio client to a local fake of Twilio).

Prints the webhook's answer time (what Twilio waits for; it gives up at 15 s) and the
time until the bot's reply reached "Twilio", p50/p95/max in milliseconds.

    .venv/bin/python bench/sms_webhook.py [--numbers 20] [--texts 6]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.migrate import upgrade  # noqa: E402
from bot.sms.dev_phone import wait_done  # noqa: E402
from tests.fakes.twilio_api import FakeTwilioApi  # noqa: E402
from tests.integration.servers import Servers  # noqa: E402
from tests.integration.sms_phone import Phone  # noqa: E402

SCRIPT = ["hi", "is my son eligible?", "how much is it?", "scoliosis", "12", "31201",
          "how long does it take", "thanks"]


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(0, int(len(values) * 0.95) - 1)]
    return (f"p50 {statistics.median(values):.0f} ms  p95 {p95:.0f} ms  "
            f"max {values[-1]:.0f} ms  (n={len(values)})")


def texter(phone: Phone, texts: list[str], answers: list[float], replies: list[float]) -> None:
    for body in texts:
        start = time.perf_counter()
        status, _, sid = phone.post(body)
        answered = time.perf_counter()
        assert status == 200
        wait_done(sid, phone.settings, timeout=600)
        done = time.perf_counter()
        answers.append((answered - start) * 1000)
        replies.append((done - start) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--numbers", type=int, default=20)
    parser.add_argument("--texts", type=int, default=6, help="texts per number")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeTwilioApi() as fake:
        servers = Servers(Path(tmp), fake.env(NOTIFIER_RETRY_BACKOFF_SECONDS="0.05"))
        upgrade(servers.database_url)
        try:
            servers.start_actions()
            servers.start_portal()
            servers.start_rasa()
            Phone(servers, fake).text("hi")  # warm up
            answers: list[float] = []
            replies: list[float] = []
            phones = [Phone(servers, fake, f"+1478555{n:04d}") for n in range(args.numbers)]
            threads = [threading.Thread(target=texter, args=(p, SCRIPT[:args.texts], answers,
                                                             replies)) for p in phones]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
        finally:
            servers.stop_all()
    print(f"{args.numbers} numbers x {args.texts} texts at once, {elapsed:.1f} s in all")
    print(f"webhook answer: {percentiles(answers)}")
    print(f"reply sent:     {percentiles(replies)}")
    print(f"texts sent to the fake Twilio: {len(fake.messages)}")


if __name__ == "__main__":
    main()
