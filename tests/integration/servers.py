"""Start the real Rasa server (trained model) and action server for tests."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Optional

from bot.settings import REPO_ROOT

MODEL = REPO_ROOT / "models" / "intake.tar.gz"
RASA = REPO_ROOT / ".venv" / "bin" / "rasa"
PYTHON = REPO_ROOT / ".venv" / "bin" / "python"
START_TIMEOUT = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method: str, url: str, body: Optional[dict] = None, timeout: float = 60) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")


class Servers:
    """The two processes `make run` starts, on free ports and a private database."""

    def __init__(self, workdir: Path, extra_env: Optional[dict[str, str]] = None):
        self.workdir = workdir
        self.database_url = f"sqlite:///{workdir / 'intake.db'}"
        self.token = secrets.token_hex(16)
        self.rasa_port, self.action_port, self.portal_port = free_port(), free_port(), free_port()
        self.api_token = secrets.token_hex(16)
        self.action_token = secrets.token_hex(16)
        # os.environ is already clean (tests/conftest.py): everything is explicit here.
        self.env = {**os.environ, "DATABASE_URL": self.database_url, "RASA_AUTH_TOKEN": self.token,
                    "ACTION_SERVER_TOKEN": self.action_token,
                    "ACTION_SERVER_URL": f"http://127.0.0.1:{self.action_port}/webhook",
                    "PUBLIC_BASE_URL": f"http://127.0.0.1:{self.portal_port}",
                    "WEB_CHAT_URL": f"http://127.0.0.1:{self.rasa_port}",
                    # The tests are all 127.0.0.1: X-Forwarded-For from it names the client,
                    # so a test can be a new address; and room for every test's chats.
                    "TRUSTED_PROXIES": "127.0.0.1/32", "WEB_NEW_SESSIONS_PER_ADDRESS": "400",
                    "COORDINATOR_API_TOKEN": self.api_token,
                    "PORTAL_SECRET_KEY": secrets.token_hex(32),
                    "UPLOAD_DIR": str(workdir / "uploads"),
                    "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
                    **(extra_env or {})}
        self.procs: dict[str, subprocess.Popen] = {}

    @classmethod
    @contextlib.contextmanager
    def running(cls, workdir: Path, extra_env: Optional[dict[str, str]] = None):
        """Migrated database, actions, portal and Rasa up; all stopped on the way out."""
        from bot.migrate import upgrade

        servers = cls(workdir, extra_env)
        upgrade(servers.database_url)
        try:
            servers.start_actions()
            servers.start_portal()
            servers.start_rasa()
            yield servers
        finally:
            servers.stop_all()

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    def _spawn(self, name: str, args: list[str]) -> None:
        log = open(self.workdir / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(args, cwd=REPO_ROOT, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def start_actions(self) -> None:
        # The same launcher as `make run`: 127.0.0.1 only, ACTION_SERVER_TOKEN required.
        self._spawn("actions", [str(PYTHON), "-m", "actions.server",
                                "--port", str(self.action_port)])
        self._wait(f"http://127.0.0.1:{self.action_port}/health", "actions")

    def start_portal(self) -> None:
        self._spawn("portal", [str(REPO_ROOT / ".venv" / "bin" / "python"), "-m", "bot.portal",
                               "--port", str(self.portal_port)])
        self._wait(f"http://127.0.0.1:{self.portal_port}/healthz", "portal")

    def start_rasa(self) -> None:
        if not MODEL.exists():
            raise RuntimeError(f"no trained model at {MODEL}: run `make model` first")
        # The same launcher as `make run`: no token on the command line.
        self._spawn("rasa", [str(PYTHON), "-m", "bot.serve.rasa", "--port", str(self.rasa_port),
                             "--model", str(MODEL)])
        self._wait(f"{self.rasa_url}/status?token={self.token}", "rasa")

    def _wait(self, url: str, name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.procs[name].poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.workdir / (name + '.log')}:\n"
                                   + (self.workdir / f"{name}.log").read_text()[-3000:])
            try:
                status, _ = http("GET", url, timeout=5)
                if status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(1)
        raise RuntimeError(f"{name} did not start within {START_TIMEOUT}s")

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)

    def say(self, sender: str, text: str) -> list[dict]:
        status, body = http("POST", f"{self.rasa_url}/webhooks/rest/webhook",
                            {"sender": sender, "message": text})
        assert status == 200, body
        return body  # type: ignore[return-value]

    @contextlib.contextmanager
    def database(self):
        """Point bot/'s own code (cases, outbox) at the servers' database and settings."""
        from bot.settings import get_settings

        keys = ("DATABASE_URL", "PUBLIC_BASE_URL", "PORTAL_SECRET_KEY", "UPLOAD_DIR")
        before = {k: os.environ.get(k) for k in keys}
        os.environ.update({k: self.env[k] for k in keys})
        get_settings.cache_clear()
        try:
            yield
        finally:
            for key, value in before.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            get_settings.cache_clear()

    def api(self, path: str) -> dict:
        req = urllib.request.Request(f"http://127.0.0.1:{self.portal_port}{path}",
                                     headers={"Authorization": f"Bearer {self.api_token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())

    def tracker(self, conversation_id: str) -> dict:
        status, body = http("GET", f"{self.rasa_url}/conversations/{conversation_id}/tracker?token={self.token}")
        assert status == 200, body
        return body  # type: ignore[return-value]
