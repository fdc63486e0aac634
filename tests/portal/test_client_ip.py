"""X-Forwarded-For is believed only from TRUSTED_PROXIES: the consent stores the
signer's real address, never one the client wrote into a header."""
import os
import subprocess
import sys
import time
from urllib.parse import urlencode

import pytest

from bot.portal import consent
from bot.portal.proxies import client_host, networks
from bot.settings import REPO_ROOT, Settings
from tests.integration.servers import free_port
from tests.portal.conftest import SECRET, Portal, sign_in
from tests.portal.helpers import Browser


@pytest.fixture()
def no_uvicorn_proxy_headers(monkeypatch):
    # The test server's uvicorn would believe the header from 127.0.0.1 by default;
    # `python -m bot.portal` turns that off, so the app alone decides, as here.
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")


def signed_ip(portal, case, forwarded_for: str) -> str:
    browser, path, csrf = sign_in(portal, case["id"])
    # A new name each time: the same name signing the same text again adds no row.
    name = "Mary " + "".join(chr(97 + int(d)) for d in str(time.monotonic_ns())[-6:])
    body = urlencode({"csrf_token": csrf, "signer_name": name, "agree": "yes"})
    resp = browser.request("POST", path + "/consent", body.encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": forwarded_for})
    assert resp.status == 303, resp.text
    return consent.latest(case["id"], portal.settings.database_url)["ip"]


@pytest.fixture()
def portal_process(database_url, tmp_path):
    """The portal as production starts it: `python -m bot.portal`."""
    port = free_port()
    settings = Settings.from_env({"DATABASE_URL": database_url, "PORTAL_SECRET_KEY": SECRET,
                                  "UPLOAD_DIR": str(tmp_path / "uploads"),
                                  "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"})
    env = {**os.environ, "DATABASE_URL": database_url, "PORTAL_SECRET_KEY": SECRET,
           "UPLOAD_DIR": settings.upload_dir, "PUBLIC_BASE_URL": settings.public_base_url}
    env.pop("FORWARDED_ALLOW_IPS", None)
    process = subprocess.Popen([sys.executable, "-m", "bot.portal", "--port", str(port)],
                               env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if Browser(settings.public_base_url).get("/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield Portal(settings.public_base_url, settings, None, None)
    finally:
        process.terminate()
        process.wait(10)


def test_forged_header_from_an_untrusted_peer_is_ignored(portal_process, case):
    # TRUSTED_PROXIES empty by default: never believed, from 127.0.0.1 either.
    assert signed_ip(portal_process, case, "203.0.113.9") == "127.0.0.1"


def test_untrusted_peer_in_process_too(start_portal, case, no_uvicorn_proxy_headers):
    portal = start_portal(TRUSTED_PROXIES="10.0.0.0/8")
    assert signed_ip(portal, case, "203.0.113.9") == "127.0.0.1"


def test_header_from_a_trusted_proxy_gives_the_client(start_portal, case,
                                                      no_uvicorn_proxy_headers):
    portal = start_portal(TRUSTED_PROXIES="127.0.0.1")
    assert signed_ip(portal, case, "203.0.113.9") == "203.0.113.9"
    # The client forged the first hop; our proxy appended what it saw.
    assert signed_ip(portal, case, "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    # Junk (it would land in the consent record) is never taken.
    assert signed_ip(portal, case, "x" * 300) == "127.0.0.1"


def test_client_host_rules():
    trusted = networks(["10.0.0.0/8", "::1"])
    assert client_host("10.1.2.3", ["203.0.113.9"], trusted) == "203.0.113.9"
    assert client_host("192.0.2.1", ["203.0.113.9"], trusted) == "192.0.2.1"
    assert client_host("10.1.2.3", ["198.51.100.1, 203.0.113.9, 10.0.0.2"], trusted) \
        == "203.0.113.9"
    assert client_host("::1", ["2001:db8::7"], trusted) == "2001:db8::7"
    assert client_host("10.1.2.3", ["evil, 203.0.113.9"], trusted) == "203.0.113.9"
    assert client_host("10.1.2.3", ["203.0.113.9, evil"], trusted) == "10.1.2.3"
    assert client_host("10.1.2.3", ["10.0.0.9"], trusted) == "10.0.0.9"  # all ours
    assert client_host("10.1.2.3", [], trusted) == "10.1.2.3"
    assert client_host(None, ["203.0.113.9"], trusted) is None
    with pytest.raises(ValueError):
        networks(["not-a-network"])
