"""SMS reminders for unfinished texting intakes: `python -m bot.sms.reminders`.

    python -m bot.sms.reminders [--now ISO8601] [--dry-run] [--every SECONDS]

Cron-able: each run texts every number that is due (bot/sms/reminder_selection.py) one
reminder listing what each of its cases still needs, within SMS_REMINDER_START_HOUR to
SMS_REMINDER_END_HOUR local time, at most SMS_REMINDERS_PER_DAY / _PER_WEEK per number,
never to an opted-out number, nor while the parent texted us in the last
SMS_REMINDER_IDLE_HOURS. --every loops (the Procfile's way); SIGTERM / Ctrl-C stop it
between runs. It prints counts only: no number, name or text reaches the output or logs.

The text holds nothing about the child's health: the parent's first name, who we are,
the request references, which items of the service are missing, how to carry on (a
fresh upload link when something is uploaded on the page) and the coordinator's phone.
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import signal
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional, Sequence

from bot import checklist, intake, logs
from bot.notifier import RECORDED, SENT, SUPPRESSED
from bot.portal.links import upload_url
from bot.settings import Settings, get_settings
from bot.sms import contacts
from bot.sms.outgoing import send_sms
from bot.sms.reminder_selection import (
    KIND, OpenCase, claim, in_window, open_cases_by_number, release, texted_us_since, utc_naive,
)

log = logging.getLogger(__name__)

# Short words for a text; the web page's checklist.LABELS are longer.
ITEM_WORDS = {
    checklist.QUESTIONNAIRE: "health questions",
    checklist.FINANCIAL_CONSENT: "fee agreement",
    checklist.REFERRAL: "referral",
    checklist.MEDICAL_RECORDS: "records",
    checklist.IMAGING: "X-rays",  # or other images: the upload page says which
}
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}  # "Hi Mrs" reads worse than "Hi"
_NAME = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


@dataclass
class Report:
    """What one run did, as counts (numbers, never who)."""

    considered: int = 0
    sent: int = 0
    skipped: Counter = field(default_factory=Counter)
    window_open: bool = True
    dry_run: bool = False

    def line(self, settings: Settings) -> str:
        head = "sms reminders" + (" (dry run)" if self.dry_run else "")
        if not self.window_open:
            head += (f": outside {settings.sms_reminder_start_hour}:00-"
                     f"{settings.sms_reminder_end_hour}:00 {settings.sms_reminder_timezone}")
        reasons = " ".join(f"{k}={v}" for k, v in sorted(self.skipped.items()))
        return (f"{head}: considered={self.considered} "
                f"{'would_send' if self.dry_run else 'sent'}={self.sent} "
                f"skipped={sum(self.skipped.values())}" + (f" ({reasons})" if reasons else ""))


def run(now: Optional[dt.datetime] = None, *, dry_run: bool = False,
        settings: Optional[Settings] = None) -> Report:
    """Text every number that is due one reminder (dry_run: only count them).
    now: aware, or naive UTC; the clock by default."""
    settings = settings or get_settings()
    now = now or dt.datetime.now(dt.timezone.utc)
    report = Report(dry_run=dry_run)
    if not in_window(now, settings):
        report.window_open = False
        return report
    for phone, cases in open_cases_by_number(settings.database_url).items():
        report.considered += 1
        try:
            outcome = remind(phone, cases, now, settings, dry_run)
        except Exception as exc:  # one number's trouble must not stop the others
            log.error("sms reminders: one number failed (%s)", type(exc).__name__)
            outcome = "error"
        if outcome == "sent":
            report.sent += 1
        else:
            report.skipped[outcome] += 1
    log.info("sms reminders: considered %d, sent %d, skipped %d", report.considered,
             report.sent, sum(report.skipped.values()))
    return report


def remind(phone: str, cases: Sequence[OpenCase], now: dt.datetime, settings: Settings,
           dry_run: bool = False) -> str:
    """Text this number one reminder about its open cases if it is due: "sent", or the
    reason it was skipped."""
    url = settings.database_url
    idle = dt.timedelta(hours=settings.sms_reminder_idle_hours)
    since = utc_naive(now) - idle
    if contacts.is_opted_out(phone, url=url):
        return "opted_out"
    if texted_us_since(phone, since, url):
        return "texting"  # the chat is going on: no nudge in the middle of it
    ready = [c for c in cases if c.created_at <= since]
    if not ready:
        return "too_new"
    ready = [c for c in ready if not intake.is_locked([c.case_id], settings)]
    if not ready:
        return "locked"  # a link would not open; the coordinator unlocks
    held = claim(phone, [c.case_id for c in ready], now, settings, dry_run=dry_run)
    if held.refused:
        return held.refused
    body = reminder_text(held.cases, settings, links={
        c.case_id: upload_url(c.case_id, None, settings) for c in held.cases if c.needs_upload})
    if dry_run:
        return "sent"
    deliveries = send_sms(phone, body, case_id=held.cases[0].case_id, kind=KIND,
                          settings=settings)
    release(held.outbox_id, url)  # only after a normal return: see reminder_selection
    statuses = {d.status for d in deliveries}
    if statuses & {SENT, RECORDED}:
        return "sent"
    return "opted_out" if SUPPRESSED in statuses else "failed"


def reminder_text(cases: Sequence[OpenCase], settings: Settings,
                  links: Optional[dict[int, str]] = None) -> str:
    """One short text for all of a number's open cases. links: case id -> upload URL,
    for the cases that need the upload page.

    Hi Maria, this is the second-opinion review team at Children's Healthcare of Atlanta.
    Request SO-2026-00042 still needs: health questions, referral, X-rays.
    Reply continue to finish the questions. Upload the rest here:
    https://.../u/...
    Questions? Call 404-555-0142.
    """
    links = links or {}
    name = first_name(c.guardian_name for c in cases)
    lines = [f"Hi{' ' + name if name else ''}, this is the second-opinion review team at "
             "Children's Healthcare of Atlanta."]
    groups: dict[tuple[str, ...], list[str]] = {}  # cases needing the same: one line
    for case in cases:
        groups.setdefault(case.missing, []).append(case.reference)
    for missing, refs in groups.items():
        items = ", ".join(ITEM_WORDS.get(kind, kind.replace("_", " ")) for kind in missing)
        lines.append(f"Request {refs[0]} still needs: {items}." if len(refs) == 1 else
                     f"Requests {' and '.join(refs)} still need: {items}.")
    answers = any(case.needs_answers for case in cases)
    linked = [case for case in cases if case.case_id in links]
    if answers:
        lines.append("Reply continue to finish the questions." +
                     (" Upload the rest here:" if linked else ""))
    elif linked:
        lines.append("Upload them here:")
    for case in linked:  # each link ends its line: no full stop glued to it
        label = f"{case.reference}: " if len(cases) > 1 else ""
        lines.append(label + links[case.case_id])
    lines.append(f"Questions? Call {settings.coordinator_phone}.")
    return "\n".join(lines)


def first_name(guardian_names: Iterable[Optional[str]]) -> Optional[str]:
    """The parent's first name (first word of guardian_name), if it looks like one."""
    for full in guardian_names:
        words = (full or "").split()
        if not words:
            continue
        word = words[0].strip(".,;:!?\"()")
        if word.lower() in _TITLES or not _NAME.fullmatch(word) or len(word) > 40:
            return None
        return word[:1].upper() + word[1:]
    return None


def parse_now(text: str) -> dt.datetime:
    """ISO 8601; "Z" or no offset = UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from exc
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.sms.reminders",
                                     description="Text reminders to families whose intake "
                                                 "is unfinished.")
    parser.add_argument("--now", type=parse_now, help="act as if it were this time")
    parser.add_argument("--dry-run", action="store_true", help="count, send nothing")
    parser.add_argument("--every", type=float, metavar="SECONDS",
                        help="run again every SECONDS until stopped")
    args = parser.parse_args(argv)
    if args.every is not None and (args.now is not None or args.every <= 0):
        parser.error("--every needs a positive number of seconds and no --now")
    settings = get_settings()
    logs.configure("sms-reminders", settings)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):  # finish the run under way, then exit
        signal.signal(signum, lambda *_: stop.set())
    while True:
        try:
            print(run(args.now, dry_run=args.dry_run, settings=settings).line(settings),
                  flush=True)
        except Exception as exc:  # e.g. the database is down: try again next time
            log.error("sms reminders: run failed (%s)", type(exc).__name__)
            if args.every is None:
                return 1  # cron mails the failure
        if args.every is None or stop.wait(args.every):
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
