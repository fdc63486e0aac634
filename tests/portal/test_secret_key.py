"""The portal's signing key file is made atomically: processes starting at the same
moment (portal, action server) all read the same whole key, none an empty file."""
import multiprocessing
import secrets
import stat
import time

from bot.portal import links
from bot.settings import Settings


def _read_key(path, barrier, results):
    barrier.wait()
    try:
        results.put(links.secret_key(Settings.from_env({}), path))
    except Exception as exc:  # reported to the test, which fails on it
        results.put(f"error: {type(exc).__name__}: {exc}")


def test_processes_starting_together_share_one_whole_key(tmp_path, monkeypatch):
    # A slow key maker (a loaded machine at boot) widens the window a race needs.
    make = secrets.token_urlsafe
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: (time.sleep(0.2), make(n))[1])
    ctx = multiprocessing.get_context("fork")
    for attempt in range(3):
        path = tmp_path / f"secret{attempt}"
        barrier, results = ctx.Barrier(8), ctx.Queue()
        procs = [ctx.Process(target=_read_key, args=(path, barrier, results)) for _ in range(8)]
        for p in procs:
            p.start()
        keys = [results.get(timeout=30) for _ in procs]
        for p in procs:
            p.join(timeout=30)
        assert len(set(keys)) == 1, keys
        assert len(keys[0]) >= 32 and not keys[0].startswith("error")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".portal_secret")] == []
