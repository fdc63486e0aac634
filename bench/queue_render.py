"""The coordinator queue with many cases: fills a temporary SQLite database with 5,000
cases (and their checklists, 20 call-back requests), starts the portal, signs in and
prints how long GET /coordinator takes (p50/p95/max, ms), unfiltered and filtered.
Each view also writes its audit rows, as in production. Not a test.

    .venv/bin/python bench/queue_render.py [--cases 5000] [--runs 40]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot import checklist  # noqa: E402
from bot.db import CallbackRequest, Case, ChecklistItem, session_scope, utcnow  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.portal.app import create_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.staff import users  # noqa: E402
from tests.portal.helpers import Browser  # noqa: E402
from tests.staff.helpers import PASSWORD, sign_in  # noqa: E402

QUERIES = {"queue": "", "overdue": "due=overdue", "flagged": "flagged=1",
           "search name": "q=ortiz", "search phone": "q=478-555-0123", "page 40": "page=40"}
NAMES = ["Jane Doe", "Lucía Ortiz", "Sam Lee", "Ava Brown", "Noah Smith", "Mia Patel"]


def fill(url: str, count: int) -> None:
    rng, now = random.Random(7), utcnow()
    case_rows, item_rows = [], []
    for n in range(1, count + 1):
        first, last = rng.choice(NAMES).split()
        created = now - dt.timedelta(days=rng.uniform(0, 60))
        complete = rng.random() < 0.4
        case_rows.append({
            "id": n, "reference": f"SO-2026-{n:05d}", "conversation_id": f"rest:bench-{n}",
            "intake_key": "", "channel": "rest", "program": rng.choice(checklist.PROGRAMS),
            "status": checklist.DOCUMENTS_RECEIVED if complete else checklist.AWAITING_DOCUMENTS,
            "created_at": created, "updated_at": created, "answers": {},
            "questionnaire_state": {}, "link_token_version": 1, "link_sends": [],
            "answers_revision": 0, "child_first_name": first, "child_last_name": last,
            "guardian_phone": f"+1478555{n % 10000:04d}",
            "flags": {"red_flag": created.isoformat()} if rng.random() < 0.03 else {},
            "documents_received_at": created + dt.timedelta(days=1) if complete else None})
        for kind in checklist.KINDS:
            got = complete or (kind == checklist.QUESTIONNAIRE)
            item_rows.append({"case_id": n, "kind": kind, "required": True,
                              "status": checklist.RECEIVED if got else checklist.MISSING,
                              "received_at": created if got else None})
    with session_scope(url) as session:
        session.execute(insert(Case), case_rows)
        session.execute(insert(ChecklistItem), item_rows)
        session.execute(insert(CallbackRequest), [
            {"conversation_id": f"rest:cb-{n}", "channel": "rest", "status": "open",
             "phone": f"+1404555{n:04d}", "reason": "question", "language": "en",
             "created_at": now - dt.timedelta(hours=n)} for n in range(20)])


def start_portal(settings: Settings) -> tuple[uvicorn.Server, str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning",
                                           lifespan="off", ws="none", proxy_headers=False))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return server, f"http://127.0.0.1:{sock.getsockname()[1]}"


def percentiles(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[max(0, int(len(values) * 0.95) - 1)]
    return (f"p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  "
            f"max {values[-1]:6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        fill(url, args.cases)
        users.add_user("bench", users.COORDINATOR, PASSWORD, url)
        settings = Settings.from_env({"DATABASE_URL": url, "UPLOAD_DIR": f"{tmp}/uploads",
                                      "PORTAL_SECRET_KEY": "bench-secret-key-0123456789"})
        server, base = start_portal(settings)
        try:
            browser = Browser(base)
            assert sign_in(browser, "bench").status == 303
            print(f"{args.cases} cases, 20 call-backs, {args.runs} runs each:")
            for label, query in QUERIES.items():
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    resp = browser.get("/coordinator" + (f"?{query}" if query else ""))
                    times.append((time.perf_counter() - start) * 1000)
                    assert resp.status == 200, resp.status
                print(f"  {label:13} {percentiles(times)}")
        finally:
            server.should_exit = True


if __name__ == "__main__":
    main()
