"""A fake of Twilio's REST API on 127.0.0.1 that the real twilio Client talks to.

    with FakeTwilioApi() as fake:   # or the fake_twilio fixture (import it)
        settings = Settings.from_env({"DATABASE_URL": url, **fake.env()})
        fake.fail_next(503, times=2)          # or fail_next(400, code=21610), delay_next(3)
        ... Notifier(settings).send(...)
        fake.messages  # [SentText(sid, to, from_, body, time)]
        fake.requests  # [Seen(method, path, had_auth, host)]

Messages.json checks HTTP basic auth like Twilio (401 otherwise) and answers 201 with
a message resource. Media URLs from add_media() answer GET only with the right auth,
optionally via a 307 to /cdn/<id> on this server, either under the same host name or
under "localhost" (another host to requests, which must then drop the credentials),
or to any URL given.
The tests must let requests reach 127.0.0.1 and localhost directly (NO_PROXY).
"""
from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qs

import pytest

SID = "AC" + "0" * 32
TOKEN = "fake-twilio-auth-token"
FROM = "+14785550100"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class SentText:
    sid: str
    to: str
    from_: str
    body: str
    time: float


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    had_auth: bool  # any Authorization header at all (right or wrong)
    host: str


@dataclass
class _Media:
    content: bytes
    content_type: str
    redirect: Optional[str]  # None | "path" | "host" | any absolute URL
    declare_length: bool  # False: no Content-Length, the body ends when the socket closes
    bytes_sent: int = 0


class FakeTwilioApi:
    def __init__(self, account_sid: str = SID, auth_token: str = TOKEN):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.messages: list[SentText] = []
        self.requests: list[Seen] = []
        self.media: dict[str, _Media] = {}  # by id, for /…/Media/<id> and /cdn/<id>
        self._script: list[tuple[int, dict, float]] = []  # (status, payload, delay)
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> "FakeTwilioApi":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._closing.set()  # wakes handlers told to sleep
        self._server.shutdown()
        self._server.server_close()

    def env(self, **extra: str) -> dict[str, str]:
        """The settings that point the real client here."""
        return {"TWILIO_ACCOUNT_SID": self.account_sid, "TWILIO_AUTH_TOKEN": self.auth_token,
                "TWILIO_FROM_NUMBER": FROM, "TWILIO_API_BASE_URL": self.base_url, **extra}

    # --- scripting ----------------------------------------------------------------------
    def fail_next(self, status: int = 500, times: int = 1, code: Optional[int] = None,
                  message: str = "Service unavailable") -> None:
        """The next `times` sends answer `status` with Twilio's error JSON."""
        payload = {"code": code or status, "message": message, "status": status,
                   "more_info": f"https://www.twilio.com/docs/errors/{code or status}"}
        with self._lock:
            self._script += [(status, payload, 0.0)] * times

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """The next `times` sends sleep first, then go through (as Twilio would)."""
        with self._lock:
            self._script += [(201, {}, seconds)] * times

    def add_media(self, content: bytes, content_type: str = "image/jpeg",
                  redirect: Optional[str] = None, declare_length: bool = True) -> str:
        media_id = "ME" + secrets.token_hex(16)
        self.media[media_id] = _Media(content, content_type, redirect, declare_length)
        return (f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages/"
                f"MM{secrets.token_hex(16)}/Media/{media_id}")

    def bytes_sent(self, url: str) -> int:
        return self.media[url.rsplit("/", 1)[-1]].bytes_sent

    # --- used by the handler ------------------------------------------------------------
    def _next_action(self) -> tuple[int, dict, float]:
        with self._lock:
            return self._script.pop(0) if self._script else (201, {}, 0.0)

    def _record_text(self, form: dict[str, str]) -> dict:
        sent = SentText("SM" + secrets.token_hex(16), form.get("To", ""),
                        form.get("From", ""), form.get("Body", ""), time.time())
        with self._lock:
            self.messages.append(sent)
        now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(sent.time))
        return {"sid": sent.sid, "account_sid": self.account_sid, "status": "queued",
                "to": sent.to, "from": sent.from_, "body": sent.body, "direction":
                "outbound-api", "num_segments": "1", "num_media": "0", "price": None,
                "price_unit": "USD", "api_version": "2010-04-01", "error_code": None,
                "error_message": None, "date_created": now, "date_updated": now,
                "date_sent": None, "messaging_service_sid": None, "subresource_uris": {},
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sent.sid}.json"}


def _handler_for(fake: FakeTwilioApi) -> type:
    good_auth = "Basic " + base64.b64encode(
        f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
    messages_path = f"/2010-04-01/Accounts/{fake.account_sid}/Messages.json"

    class Handler(BaseHTTPRequestHandler):
        def _seen(self) -> bool:
            auth = self.headers.get("Authorization")
            with fake._lock:
                fake.requests.append(Seen(self.command, self.path, auth is not None,
                                          self.headers.get("Host", "")))
            return auth == good_auth

        def do_POST(self) -> None:
            authed = self._seen()
            body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
            if self.path != messages_path:
                return self._json(404, {"code": 20404, "message": "Not found", "status": 404})
            if not authed:
                return self._json(401, {"code": 20003, "message": "Authenticate",
                                        "status": 401})
            status, payload, delay = fake._next_action()
            if delay and fake._closing.wait(delay):
                return
            if status == 201:
                payload = fake._record_text({k: v[0] for k, v in parse_qs(body).items()})
            self._json(status, payload)

        def do_GET(self) -> None:
            authed = self._seen()
            media_id = self.path.rsplit("/", 1)[-1]
            media = fake.media.get(media_id)
            if media is None:
                return self._json(404, {"code": 20404, "message": "Not found", "status": 404})
            if self.path.startswith("/cdn/"):  # Twilio's CDN: a signed URL, no auth
                return self._media(media)
            if not authed:
                return self._json(401, {"code": 20003, "message": "Authenticate",
                                        "status": 401})
            if media.redirect is None:
                return self._media(media)
            host = "localhost" if media.redirect == "host" else "127.0.0.1"
            location = media.redirect if "://" in media.redirect else \
                f"http://{host}:{fake.port}/cdn/{media_id}"
            self.send_response(307)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _media(self, media: _Media) -> None:
            self.send_response(200)
            self.send_header("Content-Type", media.content_type)
            if media.declare_length:
                self.send_header("Content-Length", str(len(media.content)))
            else:
                self.close_connection = True
            self.end_headers()
            view = memoryview(media.content)
            try:
                for start in range(0, len(view), CHUNK):
                    self.wfile.write(view[start:start + CHUNK])
                    media.bytes_sent += len(view[start:start + CHUNK])
            except OSError:  # the client stopped reading: that is what some tests check
                self.close_connection = True

        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout tests)
                self.close_connection = True

        def log_message(self, *args) -> None:
            pass

    return Handler


@pytest.fixture()
def fake_twilio(monkeypatch):
    """A running fake that requests reaches directly (no proxy for loopback)."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeTwilioApi() as api:
        yield api
