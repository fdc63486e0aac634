"""Uploads streamed from the request body straight to disk.

The multipart body is parsed as it arrives (python-multipart's push parser); each file
part is written in the chunks the server hands us, hashed (SHA-256) on the way, and
stopped as soon as it passes MAX_UPLOAD_BYTES. The type comes from the first bytes
(`filetype` for PDF, JPEG, PNG, HEIC; the 'DICM' mark at byte 128; the ZIP signature),
never from the name; DICOM files and ZIPs are then checked (dicom.py) before a row is
written. Files land in UPLOAD_DIR/<case_id>/ under random names, first as
.part files; anything refused or cut short is deleted.
"""
from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import filetype
from python_multipart import MultipartParser
from python_multipart.multipart import parse_options_header
from starlette.concurrency import run_in_threadpool

from bot.portal import dicom
from bot.scrub import scrub_text

EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
              "image/heic": ".heic", "application/dicom": ".dcm", "application/zip": ".zip"}
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
HEAD_BYTES = 512
MAX_FILES_PER_POST = 200
MAX_FIELD_BYTES = 4096
ALLOWED = ("You can send PDF files and photos (JPEG, PNG or HEIC). You can also send "
           "DICOM image files, or a ZIP of the DICOM folder on an imaging CD.")
NOT_TAKEN = "We cannot take this kind of file. " + ALLOWED


class UploadError(Exception):
    """The whole post is refused (bad form, too big in total, no CSRF token)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class StoredFile:
    original_name: str
    stored_name: str
    path: Path
    content_type: str
    size: int
    sha256: str
    chunks: int
    flags: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Rejected:
    name: str
    reason: str
    status: int  # 413 too big, 415 wrong type, 422 a file we cannot take


def human_size(n: int) -> str:
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value >= 10 or value == int(value) \
                else f"{value:.1f} {unit}"
    return f"{n} bytes"


def sniff(head: bytes) -> Optional[str]:
    """The content type from the first bytes, or None when we do not take it."""
    if dicom.is_dicom(head):
        return "application/dicom"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head[4:8] == b"ftyp" and (head[8:12] in HEIC_BRANDS or (
            head[8:12] in (b"mif1", b"msf1") and b"heic" in head[16:64])):
        return "image/heic"
    kind = filetype.guess(head)
    return kind.mime if kind and kind.mime in EXTENSIONS else None


def clean_name(name: str) -> str:
    """The name the parent's device gave, without folders or control characters, and
    scrubbed like every text a parent types ("card 4111 1111 1111 1111.pdf")."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = scrub_text("".join(c for c in base if c.isprintable())).strip()
    return (base or "file")[:255]


class _Sink:
    """One file being written: .part under a random name, hashed as it is written."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.name = secrets.token_hex(16)
        self.part = folder / (self.name + ".part")
        fd = os.open(self.part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.fh = os.fdopen(fd, "wb")
        self.sha, self.size, self.chunks = hashlib.sha256(), 0, 0

    def write(self, data: bytes) -> None:
        self.fh.write(data)
        self.sha.update(data)
        self.size += len(data)
        self.chunks += 1

    def finish(self, content_type: str) -> tuple[str, Path]:
        self.fh.close()
        final = self.folder / (self.name + EXTENSIONS[content_type])
        os.replace(self.part, final)
        return final.name, final

    def discard(self) -> None:
        self.fh.close()
        self.part.unlink(missing_ok=True)


def open_file_sink(folder: Path) -> _Sink:
    """A new .part file in folder for one incoming file (write / finish / discard;
    size, sha and chunks as written): also used by files texted in (bot/sms/media.py)."""
    return _Sink(folder)


@dataclass
class _Part:
    name: str = ""
    filename: Optional[str] = None
    data: bytearray = field(default_factory=bytearray)  # a form field, or a file's head
    content_type: Optional[str] = None
    sink: Optional[_Sink] = None
    refused: Optional[Rejected] = None


class MultipartUpload:
    """Feed it the request body chunk by chunk; files are written as they stream in."""

    def __init__(self, content_type: str, folder: Path, max_bytes: int,
                 csrf_check: Callable[[Optional[str]], bool], max_files: int = MAX_FILES_PER_POST):
        kind, params = parse_options_header(content_type or "")
        boundary = params.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise UploadError(400, "Please send the files with the form on the page.")
        self.folder, self.max_bytes, self.max_files = folder, max_bytes, max_files
        self.csrf_check, self.csrf_passed = csrf_check, False
        self.stored: list[StoredFile] = []
        self.rejected: list[Rejected] = []
        self.fields: dict[str, str] = {}
        self.events: list[tuple] = []
        self.part: Optional[_Part] = None
        self.files_seen = 0
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        push = self.events.append
        self.parser = MultipartParser(boundary, {
            "on_part_begin": lambda: push(("begin",)),
            "on_header_field": lambda d, s, e: setattr(self, "_field", self._field + d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value(d[s:e]),
            "on_header_end": lambda: setattr(self, "_field", b""),
            "on_headers_finished": lambda: push(("headers", dict(self._headers))),
            "on_part_data": lambda d, s, e: push(("data", bytes(d[s:e]))),
            "on_part_end": lambda: push(("end",)),
        })

    def _header_value(self, value: bytes) -> None:
        key = self._field.lower()
        self._headers[key] = self._headers.get(key, b"") + value

    async def feed(self, chunk: bytes) -> None:
        try:
            self.parser.write(chunk)
        except Exception as exc:
            raise UploadError(400, "The upload was cut off or garbled. Please try again.") from exc
        events, self.events[:] = list(self.events), []
        for event in events:
            await getattr(self, "_on_" + event[0])(*event[1:])

    async def _on_begin(self) -> None:
        self._headers, self.part = {}, _Part()

    async def _on_headers(self, headers: dict[bytes, bytes]) -> None:
        _, params = parse_options_header(headers.get(b"content-disposition", b""))
        self.part.name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        if filename is None:
            return
        # "" = the browser's empty part when no file was chosen
        self.part.filename = clean_name(filename.decode("utf-8", "replace")) if filename else ""
        if not self.csrf_passed:  # the hidden token comes first in the page's forms
            raise UploadError(403, "This form is too old. Please reload the page and try again.")

    async def _on_data(self, data: bytes) -> None:
        part = self.part
        if part.refused:
            return
        if part.filename is None:
            if len(part.data) + len(data) > MAX_FIELD_BYTES:
                raise UploadError(400, "Please send the files with the form on the page.")
            part.data += data
            return
        if part.sink is None:
            part.data += data
            if len(part.data) >= HEAD_BYTES:
                await self._start_file(part)
            return
        await self._write(part, data)

    async def _start_file(self, part: _Part) -> None:
        self.files_seen += 1
        head, part.data = bytes(part.data), bytearray()
        if self.files_seen > self.max_files:
            self._refuse(part, 422, f"You can send up to {self.max_files} files at a time. "
                                    "Please send the rest in another round, or as a ZIP.")
            return
        part.content_type = sniff(head)
        if part.content_type is None:
            self._refuse(part, 415, NOT_TAKEN)
            return
        part.sink = await run_in_threadpool(open_file_sink, self.folder)
        await self._write(part, head)

    async def _write(self, part: _Part, data: bytes) -> None:
        if part.sink.size + len(data) > self.max_bytes:
            await run_in_threadpool(part.sink.discard)
            part.sink = None
            self._refuse(part, 413, f"This file is too big. Each file can be up to "
                                    f"{human_size(self.max_bytes)}.")
            return
        await run_in_threadpool(part.sink.write, data)

    def _refuse(self, part: _Part, status: int, reason: str) -> None:
        part.refused = Rejected(part.filename or "file", reason, status)
        self.rejected.append(part.refused)

    async def _on_end(self) -> None:
        part, self.part = self.part, None
        if part.filename is None:
            self.fields[part.name] = part.data.decode("utf-8", "replace")
            if part.name == "csrf_token":
                self.csrf_passed = self.csrf_check(self.fields[part.name])
            return
        if part.refused:
            return
        if part.sink is None:
            if not part.data and not part.filename:
                return  # the browser's empty part when no file was chosen
            if not part.data:
                self._refuse(part, 422, "This file is empty.")
                return
            await self._start_file(part)
            if part.sink is None:
                return
        stored_name, path = await run_in_threadpool(part.sink.finish, part.content_type)
        self.stored.append(StoredFile(part.filename, stored_name, path, part.content_type,
                                      part.sink.size, part.sink.sha.hexdigest(),
                                      part.sink.chunks))

    async def abort(self) -> None:
        """Delete everything this post wrote (a broken or refused request)."""
        if self.part is not None and self.part.sink is not None:
            await run_in_threadpool(self.part.sink.discard)
        for stored in self.stored:
            stored.path.unlink(missing_ok=True)
        self.stored = []

    async def keep_within(self, budget: int, reason: str) -> None:
        """Files past the case's remaining room are deleted and refused (413)."""
        kept = []
        for stored in self.stored:
            if stored.size > budget:
                await run_in_threadpool(stored.path.unlink, True)
                self.rejected.append(Rejected(stored.original_name, reason, 413))
                continue
            budget -= stored.size
            kept.append(stored)
        self.stored = kept

    async def check_contents(self, child: dict, zip_limits: dicom.ZipLimits) -> None:
        """Read DICOM headers and check ZIPs; a refused file is deleted. If the check
        itself fails, every file of the post is deleted (no file without its row)."""
        kept = []
        try:
            for stored in self.stored:
                refused = await run_in_threadpool(check_file, stored, child, zip_limits)
                if refused:
                    stored.path.unlink(missing_ok=True)
                    self.rejected.append(refused)
                else:
                    kept.append(stored)
        except BaseException:
            await self.abort()
            raise
        self.stored = kept


def check_file(stored: StoredFile, child: dict,
               zip_limits: dicom.ZipLimits) -> Optional[Rejected]:
    """A stored file's contents: DICOM headers read (flags set), ZIPs checked; the
    refusal, if any (the caller deletes the file). Blocking: run it off the event loop."""
    try:
        if stored.content_type == "application/dicom":
            stored.flags = dicom.dicom_flags(stored.path, child)
        elif stored.content_type == "application/zip":
            stored.flags = dicom.zip_flags(stored.path, child, zip_limits)
    except dicom.NotDicom:
        return Rejected(stored.original_name, NOT_TAKEN, 415)
    except dicom.ZipRejected as exc:
        return Rejected(stored.original_name, str(exc), 422)
    return None


async def receive(stream, upload: MultipartUpload, max_total: int) -> None:
    """Push the request body through the parser; refuse a post bigger than max_total."""
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > max_total:
                raise UploadError(413, "These files are too big all together. Please send "
                                       "fewer files at a time.")
            if chunk:
                await upload.feed(chunk)
        upload.parser.finalize()
        if upload.part is not None:
            raise UploadError(400, "The upload was cut off. Please try again.")
    except BaseException:
        await upload.abort()
        raise
