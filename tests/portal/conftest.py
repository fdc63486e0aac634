"""A real portal per test: uvicorn on 127.0.0.1 (random port) in a thread, over a fresh
migrated SQLite database, with its own upload folder and settings."""
from __future__ import annotations

import datetime as dt
import io
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass

import pytest
import uvicorn

from bot import cases
from bot.portal import links
from bot.portal.app import create_app
from bot.portal.form import field_links
from bot.settings import Settings
from tests.portal.helpers import Browser, csrf_of

API_TOKEN = "test-coordinator-token-0123456789"
SECRET = "test-portal-secret-key-0123456789abcdef"
CHILD_DOB = dt.date(2012, 4, 2)


@dataclass
class Portal:
    base: str
    settings: Settings
    server: uvicorn.Server
    thread: threading.Thread

    def browser(self) -> Browser:
        return Browser(self.base)

    def api(self, path: str, token: str = API_TOKEN):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return Browser(self.base).get(path, headers=headers)

    def link_path(self, case_id: int) -> str:
        return "/u/" + links.make_token(case_id, cases.link_version(
            case_id, url=self.settings.database_url), self.settings)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture()
def start_portal(database_url, tmp_path):
    started: list[Portal] = []

    def start(**env) -> Portal:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        values = {"DATABASE_URL": database_url, "COORDINATOR_API_TOKEN": API_TOKEN,
                  "PORTAL_SECRET_KEY": SECRET, "UPLOAD_DIR": str(tmp_path / "uploads"),
                  "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
        values.update({k: None if v is None else str(v) for k, v in env.items()})
        settings = Settings.from_env({k: v for k, v in values.items() if v is not None})
        # As `python -m bot.portal`: uvicorn never reads X-Forwarded-For, the app decides
        # (TRUSTED_PROXIES). ws="none": rasa pins an older websockets.
        config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="off",
                                ws="none", proxy_headers=False)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.time() + 10
        while not server.started and time.time() < deadline:
            time.sleep(0.01)
        assert server.started, "portal did not start"
        portal = Portal(f"http://127.0.0.1:{port}", settings, server, thread)
        started.append(portal)
        return portal

    yield start
    for portal in started:
        portal.stop()


@pytest.fixture()
def portal(start_portal) -> Portal:
    return start_portal()


def make_case(url: str, program: str = "spine", conversation: str = "rest:parent-1",
              email: str = "parent@example.org", birth_date=CHILD_DOB) -> dict:
    case = cases.create_cases(conversation, [program], zip_code="31201", county="Bibb",
                              child_birth_date=birth_date, url=url)[0]
    answers = {"program": program, "child_first_name": "Jane", "child_last_name": "Doe",
               "child_birth_date": birth_date.isoformat() if birth_date else None,
               "guardian_name": "Mary Doe", "guardian_mobile": "+14045550100",
               "guardian_email": email, "home_zip": "31201"}
    answers = {k: v for k, v in answers.items() if v}
    cases.update_answers([case["id"]], answers, {"answers": answers, "history": list(answers)},
                         field_links=field_links(), url=url)
    return cases.case_summary(case["id"], url=url)


@pytest.fixture()
def case(database_url) -> dict:
    return make_case(database_url)


def sign_in(portal: Portal, case_id: int, browser: Browser = None):
    """Open the link, give the right birth date; returns (browser, link path, csrf)."""
    browser = browser or portal.browser()
    path = portal.link_path(case_id)
    gate = browser.get(path)
    assert gate.status == 200, gate.text
    resp = browser.post_form(path + "/birth-date", {"csrf_token": csrf_of(gate.text),
                                                     "birth_date": "04/02/2012"})
    assert resp.status == 303, resp.text
    page = browser.get(path)
    assert page.status == 200
    return browser, path, csrf_of(page.text)


# --- test files ---------------------------------------------------------------------

def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + b"\x00" * 600 + b"\xff\xd9")


def heic_bytes() -> bytes:
    ftyp = b"ftypheic\x00\x00\x00\x00mif1heic"
    return struct.pack(">I", len(ftyp) + 4) + ftyp + b"\x00" * 600


def dicom_bytes(name: str = "Doe^Jane", birth: str = "20120402", modality: str = "CR",
                study: str = "20240105", pixels: int = 64) -> bytes:
    from pydicom.dataset import FileDataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian, generate_uid

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1"  # CR image storage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset("x.dcm", {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.PatientName, ds.PatientBirthDate = name, birth
    ds.Modality, ds.StudyDate = modality, study
    ds.Rows, ds.Columns, ds.BitsAllocated, ds.BitsStored, ds.HighBit = 8, pixels // 8, 8, 8, 7
    ds.SamplesPerPixel, ds.PixelRepresentation = 1, 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = b"\x7f" * pixels
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()
