"""`make run`'s process start, as it really runs: honcho with the Procfile.

- the environment wins over .env (DATABASE_URL=postgresql://... make run must not run
  on SQLite), and values with spaces and commas arrive exactly as written;
- no secret is on any process's command line (`ps` shows command lines to every user);
- LOG_LEVEL reaches every process, and even at DEBUG no message text is logged.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from bot.settings import REPO_ROOT
from tests.integration.servers import MODEL, free_port, http

SCHEDULE, HOURS = "mon,wed,fri 08:30-16:00", "Monday, Wednesday and Friday, 8:30 a.m. to 4 p.m."
SECRET_MARKER = "zq"  # every secret below starts with it, so a leak is easy to find
MESSAGE_MARKER = "Marigold"


def _process_tree(root_pid: int) -> list[int]:
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.fixture(scope="module")
def honcho(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model")
    work = tmp_path_factory.mktemp("make_run")
    env_db, dotenv_db = work / "from-environment.db", work / "from-dotenv.db"
    secrets = {name: SECRET_MARKER + uuid.uuid4().hex for name in
               ("RASA_AUTH_TOKEN", "ACTION_SERVER_TOKEN", "COORDINATOR_API_TOKEN",
                "PORTAL_SECRET_KEY")}
    env_file = work / ".env"
    env_file.write_text(
        f"DATABASE_URL=sqlite:///{dotenv_db}\n"
        f'COORDINATOR_SCHEDULE="{SCHEDULE}"\n'
        "LOG_LEVEL=DEBUG\n"
        + "".join(f"{k}={v}\n" for k, v in secrets.items()))
    ports = {"RASA_PORT": free_port(), "ACTION_PORT": free_port(), "PORTAL_PORT": free_port()}
    env = {**os.environ, "ENV_FILE": str(env_file), "DATABASE_URL": f"sqlite:///{env_db}",
           "UPLOAD_DIR": str(work / "uploads"), **{k: str(v) for k, v in ports.items()}}
    subprocess.run([str(REPO_ROOT / ".venv/bin/python"), "-m", "bot.migrate"], env=env,
                   cwd=REPO_ROOT, check=True, capture_output=True)
    log = open(work / "honcho.log", "wb")
    # The exact command of `make run`.
    proc = subprocess.Popen([str(REPO_ROOT / ".venv/bin/honcho"), "start", "-e", "/dev/null",
                             "-f", "Procfile"], cwd=REPO_ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{ports['RASA_PORT']}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, (work / "honcho.log").read_text()[-3000:]
        try:
            if http("GET", f"{base}/status?token={secrets['RASA_AUTH_TOKEN']}", timeout=5)[0] \
                    == 200 and http("GET", f"http://127.0.0.1:{ports['PORTAL_PORT']}/healthz",
                                    timeout=5)[0] == 200:
                break
        except OSError:
            pass
        time.sleep(1)
    else:
        pytest.fail("make run's processes did not start:\n"
                    + (work / "honcho.log").read_text()[-3000:])
    try:
        yield {"proc": proc, "base": base, "work": work, "env_db": env_db,
               "dotenv_db": dotenv_db, "secrets": secrets}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _say(honcho, sender: str, text: str) -> str:
    status, body = http("POST", f"{honcho['base']}/webhooks/rest/webhook",
                        {"sender": sender, "message": text})
    assert status == 200, body
    return " ".join(m.get("text", "") for m in body)


def test_environment_wins_and_values_arrive_as_written(honcho):
    reply = _say(honcho, "makerun-hours", "can I talk to a person please")
    assert HOURS in reply, reply
    assert not honcho["dotenv_db"].exists(), "a process ran on .env's DATABASE_URL"
    with sqlite3.connect(honcho["env_db"]) as db:
        rows = db.execute("select count(*) from events where sender_id like "
                          "'%makerun-hours'").fetchone()[0]
    assert rows > 0, "the conversation is not in the environment's database"


def test_no_secret_on_any_command_line(honcho):
    lines = [_cmdline(pid) for pid in _process_tree(honcho["proc"].pid)]
    assert len([line for line in lines if "python" in line]) >= 3, lines
    for line in lines:
        assert SECRET_MARKER not in line, f"a secret is on a command line: {line[:80]}..."


def test_log_level_reaches_every_process_and_no_message_text_is_logged(honcho):
    _say(honcho, "makerun-logs", f"my daughter {MESSAGE_MARKER} has scoliosis, she is 12")
    _say(honcho, "makerun-logs", "31088")
    time.sleep(1)
    logs = (honcho["work"] / "honcho.log").read_text(errors="replace")
    for process in ("rasa", "actions", "portal"):
        assert f"{process} logging at DEBUG" in logs, f"LOG_LEVEL did not reach {process}"
    assert MESSAGE_MARKER not in logs and "31088" not in logs
    assert "makerun-logs" not in logs
