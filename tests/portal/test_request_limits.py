"""Form bodies are capped (MAX_FORM_BYTES) and read only after the link (and session)
check: a huge body to a made-up link costs no disk, no memory and no time."""
import select
import socket
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.portal.conftest import sign_in
from tests.portal.helpers import csrf_of

MB = 1024 * 1024
GARBAGE = "/u/not-a-real-link-at-all"


def stream_post(base: str, path: str, content_type: str, size: int, head: bytes = b""):
    """POST `size` bytes (head, then zeros) over a raw socket, stopping as soon as the
    server answers. Returns (status, bytes of body sent before the answer, seconds)."""
    parts = urlsplit(base)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    started, sent = time.monotonic(), 0
    try:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     f"Content-Type: {content_type}\r\nContent-Length: {size}\r\n\r\n".encode())
        block = head + bytes(256 * 1024 - len(head))
        while sent < size:
            if select.select([sock], [], [], 0)[0]:
                break  # the server answered: stop sending
            try:
                sock.sendall(block[:size - sent])
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(block[:size - sent])
            block = bytes(256 * 1024)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    finally:
        sock.close()
    return int(answer.split()[1]), sent, time.monotonic() - started


@pytest.fixture()
def temp_files(monkeypatch, tmp_path):
    """Every temporary file anything in this process makes (Starlette spools multipart
    files through tempfile): the list of calls, with tempfile pointed at an empty folder."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    made = []
    for name in ("TemporaryFile", "NamedTemporaryFile"):  # what a spool rolls over to
        original = getattr(tempfile, name)
        monkeypatch.setattr(tempfile, name, lambda *a, _o=original, _n=name, **k: (
            made.append(_n), _o(*a, **k))[1])
    return folder, made


def nothing_written(portal, temp_files) -> bool:
    folder, made = temp_files
    uploads = Path(portal.settings.upload_dir)
    return not made and not any(folder.iterdir()) and not (
        uploads.exists() and any(uploads.rglob("*")))


def test_huge_bodies_to_a_made_up_link_are_refused_before_reading(portal, temp_files):
    boundary = "----x"
    part = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\""
            f"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    tracemalloc.start()
    try:
        multi = stream_post(portal.base, GARBAGE + "/birth-date",
                            f"multipart/form-data; boundary={boundary}", 64 * MB, part)
        form = stream_post(portal.base, GARBAGE + "/questionnaire",
                           "application/x-www-form-urlencoded", 96 * MB, b"a=")
        upload = stream_post(portal.base, GARBAGE + "/upload/imaging",
                             f"multipart/form-data; boundary={boundary}", 64 * MB, part)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    for status, sent, seconds in (multi, form, upload):
        assert status == 404
        assert sent < 16 * MB, f"the server read {sent} bytes before answering"
        assert seconds < 5
    assert peak < 16 * MB, f"peak {peak} bytes"
    assert nothing_written(portal, temp_files)
    print(f"\n64 MB multipart: 404 after {multi[1] // 1024} KB sent, {multi[2]:.2f} s; "
          f"96 MB urlencoded: 404 after {form[1] // 1024} KB sent, {form[2]:.2f} s; "
          f"peak traced memory {peak // 1024} KB")


def test_no_session_means_no_body_read(portal, case, temp_files):
    path = portal.link_path(case["id"])  # a real link, but no cookie (and no CSRF token)
    status, sent, _ = stream_post(portal.base, path + "/birth-date",
                                  "application/x-www-form-urlencoded", 64 * MB, b"a=")
    assert status == 403 and sent < 16 * MB
    status, sent, _ = stream_post(portal.base, path + "/consent",
                                  "application/x-www-form-urlencoded", 64 * MB, b"a=")
    assert status == 403 and sent < 16 * MB
    assert nothing_written(portal, temp_files)


def test_form_body_over_the_cap_is_413(start_portal, case, temp_files):
    portal = start_portal(MAX_FORM_BYTES=50_000)
    browser = portal.browser()
    path = portal.link_path(case["id"])
    csrf = csrf_of(browser.get(path).text)
    padding = "x" * 60_000
    # Content-Length says too much: refused before reading.
    resp = browser.post_form(path + "/birth-date", {"csrf_token": csrf,
                                                     "birth_date": "04/02/2012", "pad": padding})
    assert resp.status == 413
    assert "too long" in resp.text and "Traceback" not in resp.text
    # No Content-Length (chunked): refused while streaming.
    body = f"csrf_token={csrf}&birth_date=04%2F02%2F2012&pad={padding}".encode()
    resp = browser.request("POST", path + "/birth-date", iter([body[:30_000], body[30_000:]]),
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert resp.status == 413
    # The same form under the cap still signs in; the signed-in forms are capped too.
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_form(path + "/questionnaire", {"csrf_token": csrf, "pad": padding})
    assert resp.status == 413
    resp = browser.post_files(path + "/consent", [("csrf_token", csrf), ("pad", padding)], [])
    assert resp.status == 413
    assert nothing_written(portal, temp_files)


def test_a_file_in_a_small_form_is_refused_without_spooling(portal, case, temp_files):
    browser = portal.browser()
    path = portal.link_path(case["id"])
    csrf = csrf_of(browser.get(path).text)
    resp = browser.post_files(path + "/birth-date", [("csrf_token", csrf),
                                                      ("birth_date", "04/02/2012")],
                              [("f", "big.bin", bytes(200_000))])
    assert resp.status in (400, 413)
    assert nothing_written(portal, temp_files)
    # Plain multipart fields (no file) still work.
    resp = browser.post_files(path + "/birth-date", [("csrf_token", csrf),
                                                      ("birth_date", "04/02/2012")], [])
    assert resp.status == 303
