"""Photos and PDFs a parent texts (MMS): downloaded from Twilio, stored on the case.

Twilio posts MediaUrl0..N; each URL is fetched with the account's credentials (HTTP
basic auth), but only from api.twilio.com over https or from the configured
TWILIO_API_BASE_URL (a local fake in tests): any other URL is refused before a request
is made, so a forged webhook cannot make us fetch from inside our network or hand our
credentials to another host. Twilio answers with a redirect to its CDN; requests drops
the credentials when the host changes, and a redirect may not leave https.

The file then goes through the same checks as a web upload (bot/portal/uploads.py):
type sniffed from the first bytes, DICOM read by pydicom, ZIPs looked into, the
per-file and per-case limits, a random name in UPLOAD_DIR/<case_id>/. It is stored as
kind "texted": the coordinator sorts it into the checklist.
Blocking (network and disk): call it from a worker thread.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import urljoin, urlsplit

import requests

from bot import cases, checklist
from bot.portal import dicom, uploads
from bot.settings import Settings

log = logging.getLogger(__name__)

TEXTED = checklist.TEXTED_DOCUMENT  # the coordinator's label: "texted, to sort"
TWILIO_HOST = "api.twilio.com"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 3
DEADLINE_SECONDS = 300.0  # a slow drip must not hold a worker thread forever
# Short, parent-facing reasons (the SMS reply puts them in a sentence).
TYPE_REFUSED = "that file type can't be used"
TOO_LARGE = "too large"
NOT_DOWNLOADED = "could not be downloaded"
CASE_FULL = "we already have a lot of files for this request"


@dataclass(frozen=True)
class Result:
    index: int  # position in the message (MediaUrl<index>)
    document_id: Optional[int] = None  # stored
    reason: Optional[str] = None  # refused: one of the short reasons above

    @property
    def stored(self) -> bool:
        return self.document_id is not None


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def fetch_and_attach(case_id: int, media: list[dict], settings: Settings) -> list[Result]:
    """media: [{"url": ..., "content_type": ...}] as Twilio posted them (the posted
    type is ignored: the bytes decide). One Result per item, in order."""
    folder = Path(settings.upload_dir) / str(case_id)
    folder.mkdir(0o700, parents=True, exist_ok=True)
    child = cases.case_summary(case_id, url=settings.database_url)["child"]
    results = []
    for index, item in enumerate(media):
        try:
            document_id = _attach(case_id, index, str(item.get("url") or ""), child, folder,
                                  settings)
            results.append(Result(index, document_id=document_id))
        except _Refused as exc:
            results.append(Result(index, reason=exc.reason))
        except Exception as exc:  # e.g. the database: the other files still count
            log.error("sms media: case %s file %d failed (%s)", case_id, index,
                      type(exc).__name__)
            results.append(Result(index, reason=NOT_DOWNLOADED))
        log.info("sms media: case %s file %d %s", case_id, index,
                 "stored" if results[-1].stored else "refused")
    return results


def allowed_media_url(url: str, settings: Settings) -> bool:
    """Our account's media on api.twilio.com over https, or on the configured
    TWILIO_API_BASE_URL (whatever its scheme: a local fake in tests), and nothing else."""
    parts = urlsplit(url)
    prefix = f"/2010-04-01/Accounts/{settings.twilio_account_sid}/"
    if (not settings.twilio_account_sid or not settings.twilio_auth_token
            or parts.scheme not in ("http", "https")
            or parts.username or parts.password):
        return False
    base = urlsplit(settings.twilio_api_base_url or f"https://{TWILIO_HOST}")
    for scheme, host, port, path in ((base.scheme, base.hostname, base.port, base.path),
                                     ("https", TWILIO_HOST, None, "")):
        if ((parts.scheme, parts.hostname, parts.port) == (scheme, host, port)
                and parts.path.startswith(path.rstrip("/") + prefix)):
            return True
    return False


def _attach(case_id: int, index: int, url: str, child: dict, folder: Path,
            settings: Settings) -> int:
    files, used = cases.upload_usage(case_id, settings.database_url)
    room = settings.max_case_upload_bytes - used
    if room <= 0 or files >= settings.max_case_documents:
        raise _Refused(CASE_FULL)
    stored = _download(url, folder, min(settings.max_upload_bytes, room), settings,
                       f"texted-{index + 1}")
    try:
        refused = uploads.check_file(stored, child, dicom.ZipLimits.of(settings))
        if refused is not None:  # not really DICOM, or a ZIP we cannot take
            raise _Refused(TYPE_REFUSED)
        return cases.add_document(case_id, TEXTED, stored.original_name, stored.stored_name,
                                  stored.content_type, stored.size, stored.sha256,
                                  stored.flags, url=settings.database_url).id
    except BaseException:
        stored.path.unlink(missing_ok=True)  # no file without its row
        raise


def _download(url: str, folder: Path, limit: int, settings: Settings,
              name: str) -> uploads.StoredFile:
    if not allowed_media_url(url, settings):
        raise _Refused(NOT_DOWNLOADED)
    try:
        with requests.Session() as http:
            http.max_redirects = MAX_REDIRECTS
            with http.get(url, auth=(settings.twilio_account_sid, settings.twilio_auth_token),
                          stream=True, timeout=settings.notifier_timeout_seconds,
                          hooks={"response": _redirect_guard(settings)}) as response:
                if response.status_code != 200:
                    raise _Refused(NOT_DOWNLOADED)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise _Refused(TOO_LARGE)  # before reading any of it
                return _store(response.iter_content(CHUNK_BYTES), folder, limit, name)
    except requests.RequestException as exc:
        log.warning("sms media: download failed (%s)", type(exc).__name__)
        raise _Refused(NOT_DOWNLOADED) from exc


def _redirect_guard(settings: Settings):
    """Runs on each response before requests follows it: a redirect may go to
    Twilio's CDN, but never down to http (except between local test servers)."""
    local_test = urlsplit(settings.twilio_api_base_url or "").scheme == "http"

    def check(response: requests.Response, **_kwargs) -> None:
        if not response.is_redirect:
            return
        target = urlsplit(urljoin(response.url, response.headers.get("Location", "")))
        if target.scheme != "https" and not (
                local_test and target.scheme == "http" and target.hostname in LOCAL_HOSTS):
            raise _Refused(NOT_DOWNLOADED)

    return check


def _store(chunks: Iterable[bytes], folder: Path, limit: int,
           name: str) -> uploads.StoredFile:
    """Stream to a .part file: the type from the first bytes, stopped past `limit`."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    head, sink, content_type = b"", None, ""
    try:
        for chunk in chunks:
            if time.monotonic() > deadline:
                raise _Refused(NOT_DOWNLOADED)
            if sink is None:
                head += chunk
                if len(head) < uploads.HEAD_BYTES:
                    continue
                content_type, sink = _start(head, folder)
                chunk = head
            _write(sink, chunk, limit)
        if sink is None:  # the whole file is shorter than the head
            if not head:
                raise _Refused(NOT_DOWNLOADED)
            content_type, sink = _start(head, folder)
            _write(sink, head, limit)
        stored_name, path = sink.finish(content_type)
    except BaseException:
        if sink is not None:
            sink.discard()
        raise
    return uploads.StoredFile(name + uploads.EXTENSIONS[content_type], stored_name, path,
                              content_type, sink.size, sink.sha.hexdigest(), sink.chunks)


def _start(head: bytes, folder: Path) -> tuple[str, Any]:
    content_type = uploads.sniff(head)
    if content_type is None:
        raise _Refused(TYPE_REFUSED)
    return content_type, uploads.open_file_sink(folder)


def _write(sink: Any, data: bytes, limit: int) -> None:
    if sink.size + len(data) > limit:
        raise _Refused(TOO_LARGE)
    sink.write(data)
