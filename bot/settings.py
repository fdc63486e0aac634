"""One settings object, read from the environment and an optional .env file.

Every variable is documented in .env.example; defaults let `make run` work on a
fresh clone with nothing else installed (SQLite, dev outbox, fictional numbers).
"""
from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Optional

from dotenv import dotenv_values

from bot.staff import hours

REPO_ROOT = Path(__file__).resolve().parent.parent

ARC_COUNTIES = (
    "Cherokee", "Clayton", "Cobb", "DeKalb", "Douglas", "Fayette",
    "Forsyth", "Fulton", "Gwinnett", "Henry", "Rockdale",
)


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _bool(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{REPO_ROOT / 'var' / 'intake.db'}"
    # Fictional 555-01xx numbers by default: real ones come from the deployment's env.
    coordinator_phone: str = "404-555-0142"
    scheduling_phone: str = "404-555-0123"
    atlanta_area_counties: tuple[str, ...] = ARC_COUNTIES
    home_state: str = "GA"
    max_child_age: int = 21
    rasa_auth_token: Optional[str] = None
    log_level: str = "INFO"
    # Notifier: without Twilio / SMTP settings every message goes to the dev outbox table.
    twilio_account_sid: Optional[str] = None
    twilio_auth_token: Optional[str] = field(default=None, repr=False)
    twilio_from_number: Optional[str] = None
    twilio_api_base_url: Optional[str] = None  # tests point the real client at a fake server
    smtp_host: Optional[str] = None
    smtp_port: int = 587
    smtp_username: Optional[str] = None
    smtp_password: Optional[str] = field(default=None, repr=False)
    smtp_from: str = "second-opinion@example.org"
    smtp_starttls: bool = True
    notifier_timeout_seconds: float = 15.0
    # Web portal (bot/portal): upload links, the upload page and the coordinator API.
    public_base_url: str = "http://localhost:8000"
    coordinator_api_token: Optional[str] = field(default=None, repr=False)
    upload_dir: str = str(REPO_ROOT / "var" / "uploads")
    max_upload_bytes: int = 1024 ** 3
    link_max_age_days: float = 14.0
    dob_max_tries: int = 5
    portal_secret_key: Optional[str] = field(default=None, repr=False)
    # Hardening (issue 7).
    action_server_token: Optional[str] = field(default=None, repr=False)
    action_server_host: str = "127.0.0.1"
    rest_channel_enabled: bool = True  # development and tests; off in production
    trusted_proxies: tuple[str, ...] = ()  # X-Forwarded-For is believed only from these
    link_resends_per_day: int = 3
    max_form_bytes: int = 256 * 1024
    zip_max_unpacked_bytes: int = 4 * 1024 ** 3
    zip_max_ratio: int = 100
    zip_max_entries: int = 10000
    max_case_upload_bytes: int = 20 * 1024 ** 3  # all files of one case together
    max_case_documents: int = 1000
    # SMS (issue 8). Sends retry 5xx answers and timeouts with backoff (1 s, 2 s, 4 s...).
    notifier_retries: int = 3
    notifier_retry_backoff_seconds: float = 1.0
    sms_reminder_timezone: str = "America/New_York"
    sms_reminder_start_hour: int = 9  # first hour a reminder may go out (local time)
    sms_reminder_end_hour: int = 20  # reminders stop at this hour
    sms_reminders_per_day: int = 1
    sms_reminders_per_week: int = 3
    sms_reminder_idle_hours: float = 24.0  # no reminder while the parent is texting with us
    extra: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    # Coordinator workspace (/coordinator): staff sign-in, lockout, the call-back hours.
    staff_session_hours: float = 12.0
    staff_max_failed_logins: int = 5
    staff_lockout_minutes: float = 15.0
    # The coordinator's hours, the one truth (bot/staff/hours.py): "mon-fri 08:00-17:00",
    # several joined with ";". The words parents read are written from it.
    coordinator_schedule: str = "mon-fri 08:00-17:00"
    coordinator_timezone: str = "America/New_York"
    # Alert emails and the daily digest (bot/staff/alerts.py, digest.py); empty: none.
    coordinator_email: tuple[str, ...] = ()
    # Web chat (issue 10): pages allowed to call /webhooks/web/ (empty: PUBLIC_BASE_URL's
    # origin) and how long a browser's session token resumes its conversation.
    web_allowed_origins: tuple[str, ...] = ()
    web_session_days: float = 30.0
    web_session_secret: Optional[str] = field(default=None, repr=False)  # else the portal's
    # New web conversations one client address may start in 10 minutes (then 429): enough
    # for families behind one mobile carrier's address, not for a script minting tokens.
    web_new_sessions_per_address: int = 60
    # Where the home page's widget sends messages (Rasa's public address); empty: the
    # portal's own PUBLIC_BASE_URL, with /webhooks/ routed to Rasa by the load balancer.
    web_chat_url: Optional[str] = None

    @classmethod
    def from_env(cls, env: Optional[Mapping[str, str]] = None) -> "Settings":
        """Build from a mapping; by default the env file (ENV_FILE, else the repo's .env,
        if present) overlaid by os.environ: the environment always wins."""
        if env is None:
            env = {**dotenv_values(env_file()), **os.environ}
        env = {k: v for k, v in env.items() if v not in (None, "")}
        defaults = cls()
        if "COORDINATOR_HOURS" in env:
            _warn_hours_text()
        return cls(
            database_url=_absolute_sqlite(env.get("DATABASE_URL", defaults.database_url)),
            coordinator_phone=env.get("COORDINATOR_PHONE", defaults.coordinator_phone),
            scheduling_phone=env.get("SCHEDULING_PHONE", defaults.scheduling_phone),
            atlanta_area_counties=_csv(env["ATLANTA_AREA_COUNTIES"])
            if "ATLANTA_AREA_COUNTIES" in env else defaults.atlanta_area_counties,
            home_state=env.get("HOME_STATE", defaults.home_state).upper(),
            max_child_age=int(env.get("MAX_CHILD_AGE", defaults.max_child_age)),
            rasa_auth_token=env.get("RASA_AUTH_TOKEN"),
            log_level=env.get("LOG_LEVEL", defaults.log_level).upper(),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID"),
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN"),
            twilio_from_number=env.get("TWILIO_FROM_NUMBER"),
            twilio_api_base_url=env.get("TWILIO_API_BASE_URL"),
            smtp_host=env.get("SMTP_HOST"),
            smtp_port=int(env.get("SMTP_PORT", defaults.smtp_port)),
            smtp_username=env.get("SMTP_USERNAME"),
            smtp_password=env.get("SMTP_PASSWORD"),
            smtp_from=env.get("SMTP_FROM", defaults.smtp_from),
            smtp_starttls=_bool(env["SMTP_STARTTLS"]) if "SMTP_STARTTLS" in env
            else defaults.smtp_starttls,
            notifier_timeout_seconds=float(env.get("NOTIFIER_TIMEOUT_SECONDS",
                                                   defaults.notifier_timeout_seconds)),
            public_base_url=env.get("PUBLIC_BASE_URL", defaults.public_base_url).rstrip("/"),
            coordinator_api_token=env.get("COORDINATOR_API_TOKEN"),
            upload_dir=str(_absolute_path(env.get("UPLOAD_DIR", defaults.upload_dir))),
            max_upload_bytes=int(env.get("MAX_UPLOAD_BYTES", defaults.max_upload_bytes)),
            link_max_age_days=float(env.get("LINK_MAX_AGE_DAYS", defaults.link_max_age_days)),
            dob_max_tries=int(env.get("DOB_MAX_TRIES", defaults.dob_max_tries)),
            portal_secret_key=env.get("PORTAL_SECRET_KEY"),
            action_server_token=env.get("ACTION_SERVER_TOKEN"),
            action_server_host=env.get("ACTION_SERVER_HOST", defaults.action_server_host),
            rest_channel_enabled=_bool(env["REST_CHANNEL_ENABLED"])
            if "REST_CHANNEL_ENABLED" in env else defaults.rest_channel_enabled,
            trusted_proxies=_csv(env.get("TRUSTED_PROXIES", "")),
            link_resends_per_day=int(env.get("LINK_RESENDS_PER_DAY",
                                             defaults.link_resends_per_day)),
            max_form_bytes=int(env.get("MAX_FORM_BYTES", defaults.max_form_bytes)),
            zip_max_unpacked_bytes=int(env.get("ZIP_MAX_UNPACKED_BYTES",
                                               defaults.zip_max_unpacked_bytes)),
            zip_max_ratio=int(env.get("ZIP_MAX_RATIO", defaults.zip_max_ratio)),
            zip_max_entries=int(env.get("ZIP_MAX_ENTRIES", defaults.zip_max_entries)),
            max_case_upload_bytes=int(env.get("MAX_CASE_UPLOAD_BYTES",
                                              defaults.max_case_upload_bytes)),
            max_case_documents=int(env.get("MAX_CASE_DOCUMENTS", defaults.max_case_documents)),
            notifier_retries=int(env.get("NOTIFIER_RETRIES", defaults.notifier_retries)),
            notifier_retry_backoff_seconds=float(env.get(
                "NOTIFIER_RETRY_BACKOFF_SECONDS", defaults.notifier_retry_backoff_seconds)),
            sms_reminder_timezone=env.get("SMS_REMINDER_TIMEZONE",
                                          defaults.sms_reminder_timezone),
            sms_reminder_start_hour=int(env.get("SMS_REMINDER_START_HOUR",
                                                defaults.sms_reminder_start_hour)),
            sms_reminder_end_hour=int(env.get("SMS_REMINDER_END_HOUR",
                                              defaults.sms_reminder_end_hour)),
            sms_reminders_per_day=int(env.get("SMS_REMINDERS_PER_DAY",
                                              defaults.sms_reminders_per_day)),
            sms_reminders_per_week=int(env.get("SMS_REMINDERS_PER_WEEK",
                                               defaults.sms_reminders_per_week)),
            sms_reminder_idle_hours=float(env.get("SMS_REMINDER_IDLE_HOURS",
                                                  defaults.sms_reminder_idle_hours)),
            extra=env,
            staff_session_hours=float(env.get("STAFF_SESSION_HOURS",
                                              defaults.staff_session_hours)),
            staff_max_failed_logins=int(env.get("STAFF_MAX_FAILED_LOGINS",
                                                defaults.staff_max_failed_logins)),
            staff_lockout_minutes=float(env.get("STAFF_LOCKOUT_MINUTES",
                                                defaults.staff_lockout_minutes)),
            coordinator_schedule=env.get("COORDINATOR_SCHEDULE", defaults.coordinator_schedule),
            coordinator_timezone=env.get("COORDINATOR_TIMEZONE", defaults.coordinator_timezone),
            coordinator_email=_csv(env.get("COORDINATOR_EMAIL", "")),
            web_allowed_origins=_csv(env.get("WEB_ALLOWED_ORIGINS", "")),
            web_session_days=float(env.get("WEB_SESSION_DAYS", defaults.web_session_days)),
            web_session_secret=env.get("WEB_SESSION_SECRET"),
            web_new_sessions_per_address=int(env.get(
                "WEB_NEW_SESSIONS_PER_ADDRESS", defaults.web_new_sessions_per_address)),
            web_chat_url=env.get("WEB_CHAT_URL"),
        )

    @property
    def coordinator_hours(self) -> str:
        """"Monday to Friday, 8 a.m. to 5 p.m.": what parents read, from the schedule."""
        return hours.describe(self.coordinator_schedule)

    def contact_slots(self) -> dict[str, str]:
        """Values the bot's messages may quote (set as slots at session start)."""
        return {
            "coordinator_phone": self.coordinator_phone,
            "coordinator_hours": self.coordinator_hours,
            "scheduling_phone": self.scheduling_phone,
        }


@functools.lru_cache(maxsize=1)
def _warn_hours_text() -> None:
    logging.getLogger(__name__).warning(
        "COORDINATOR_HOURS is no longer read: the hours parents see are written from "
        "COORDINATOR_SCHEDULE (e.g. 'mon-fri 08:00-17:00'); remove it from the env")


def env_file() -> Path:
    """ENV_FILE names the file to read (tests set it to /dev/null); default: repo .env."""
    return Path(os.environ.get("ENV_FILE") or REPO_ROOT / ".env")


def _absolute_sqlite(url: str) -> str:
    """sqlite:///relative.db is resolved against the repo, not the cwd of each process."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(REPO_ROOT / url[len(prefix):])
    return url


def _absolute_path(path: str) -> Path:
    """A relative folder is resolved against the repo, like relative SQLite paths."""
    return Path(path) if Path(path).is_absolute() else REPO_ROOT / path


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
