"""A tiny HTTP client for the portal tests (httpx is not installed, so no TestClient):
http.client over a real socket, cookies by path, multipart bodies streamed from
iterables so a big test file is never held whole in memory either."""
from __future__ import annotations

import http.client
import os
import re
import secrets
from dataclasses import dataclass, field
from typing import Iterable, Optional, Union
from urllib.parse import urlencode, urlsplit

CHUNK = 64 * 1024


@dataclass
class Resp:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        import json
        return json.loads(self.body)

    @property
    def location(self) -> Optional[str]:
        return self.headers.get("location")


@dataclass
class Browser:
    base: str
    cookies: dict = field(default_factory=dict)  # (path, name) -> value
    user_agent: str = "PortalTest/1.0 (test suite)"

    def _cookie_header(self, path: str) -> Optional[str]:
        pairs = [f"{name}={value}" for (cpath, name), value in self.cookies.items()
                 if path == cpath or path.startswith(cpath.rstrip("/") + "/")]
        return "; ".join(pairs) or None

    def _store(self, headers: http.client.HTTPMessage) -> None:
        for raw in headers.get_all("set-cookie") or []:
            name, _, rest = raw.partition("=")
            value = rest.split(";", 1)[0]
            path = re.search(r"(?i);\s*path=([^;]+)", raw)
            self.cookies[(path.group(1) if path else "/", name.strip())] = value

    def request(self, method: str, path: str, body: Union[bytes, Iterable[bytes], None] = None,
                headers: Optional[dict] = None) -> Resp:
        parts = urlsplit(self.base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        all_headers = {"User-Agent": self.user_agent, **(headers or {})}
        cookie = self._cookie_header(path.split("?")[0])
        if cookie:
            all_headers["Cookie"] = cookie
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            resp = Resp(response.status, response.headers, response.read())
        finally:
            conn.close()
        self._store(resp.headers)
        return resp

    def get(self, path: str, headers: Optional[dict] = None) -> Resp:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields: Union[dict, list]) -> Resp:
        body = urlencode(fields, doseq=True).encode()
        return self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded"})

    def post_files(self, path: str, fields: list[tuple[str, str]],
                   files: list[tuple[str, str, Union[bytes, str, os.PathLike]]],
                   files_first: bool = False) -> Resp:
        """multipart/form-data; a file given as a path is streamed from disk."""
        boundary = "----portaltest" + secrets.token_hex(8)
        pieces: list = []
        for name, value in fields:
            pieces.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                          f'\r\n\r\n{value}\r\n'.encode())
        file_pieces: list = []
        for name, filename, content in files:
            file_pieces.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}";'
                               f' filename="{filename}"\r\nContent-Type: '
                               f'application/octet-stream\r\n\r\n'.encode())
            file_pieces.append(content)
            file_pieces.append(b"\r\n")
        pieces = file_pieces + pieces if files_first else pieces + file_pieces
        pieces.append(f"--{boundary}--\r\n".encode())
        length = sum(os.path.getsize(p) if not isinstance(p, bytes) else len(p) for p in pieces)

        def stream():
            for piece in pieces:
                if isinstance(piece, bytes):
                    yield piece
                else:
                    with open(piece, "rb") as fh:
                        while chunk := fh.read(CHUNK):
                            yield chunk

        return self.request("POST", path, stream(), {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(length)})


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", " ", html)
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&amp;", "&"), ("&#39;", "'"), ("&quot;", '"'), ("&lt;", "<"),
                         ("&gt;", ">"), ("&nbsp;", " ")):
        text = text.replace(entity, char)
    return " ".join(text.split())


def fake_pdf(size: int = 2048) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n"
    return head + b"0" * max(0, size - len(head) - 6) + b"%%EOF\n"


def write_file(path, head: bytes, size: int) -> str:
    """A file of `size` bytes starting with `head`, written in chunks."""
    with open(path, "wb") as fh:
        fh.write(head)
        left = size - len(head)
        block = os.urandom(CHUNK)
        while left > 0:
            fh.write(block[:min(left, CHUNK)])
            left -= CHUNK
    return str(path)


