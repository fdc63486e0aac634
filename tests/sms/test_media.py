"""Photos and PDFs texted in (MMS): fetched from the fake_twilio Twilio API with the account's
credentials, only from Twilio's host, and stored through the web upload's checks."""
from __future__ import annotations

import hashlib
import os
import socket
from pathlib import Path

import pytest

from bot import cases
from bot.db import Document, session_scope
from bot.settings import Settings
from bot.sms import media
from tests.fakes.twilio_api import FakeTwilioApi, fake_twilio  # noqa: F401 (a fixture)
from tests.portal.conftest import dicom_bytes, jpeg_bytes, make_case
from tests.portal.helpers import fake_pdf

ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 1000


@pytest.fixture()
def case(database_url) -> dict:
    return make_case(database_url)


def settings_for(database_url, tmp_path, api: FakeTwilioApi, **env) -> Settings:
    return Settings.from_env(api.env(DATABASE_URL=database_url,
                                     UPLOAD_DIR=str(tmp_path / "uploads"),
                                     NOTIFIER_TIMEOUT_SECONDS="5", **env))


def attach(case, settings, *urls) -> list[media.Result]:
    return media.fetch_and_attach(case["id"], [{"url": u, "content_type": "image/jpeg"}
                                               for u in urls], settings)


def documents(url: str) -> list[Document]:
    with session_scope(url) as session:
        return session.query(Document).order_by(Document.id).all()


def files_in(settings: Settings, case_id: int) -> list[Path]:
    folder = Path(settings.upload_dir) / str(case_id)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_photo_and_a_pdf_are_stored_on_the_case(database_url, tmp_path, fake_twilio, case):
    settings = settings_for(database_url, tmp_path, fake_twilio)
    photo, pdf = jpeg_bytes(), fake_pdf(5000)
    # Twilio redirects media to its CDN; the PDF comes straight from the API.
    results = attach(case, settings, fake_twilio.add_media(photo, "image/jpeg", redirect="path"),
                     fake_twilio.add_media(pdf, "application/pdf"))
    assert [r.stored for r in results] == [True, True]
    assert [r.reason for r in results] == [None, None]
    docs = documents(database_url)
    assert [d.id for d in docs] == [r.document_id for r in results]
    assert [(d.kind, d.content_type, d.size, d.case_id) for d in docs] == [
        (media.TEXTED, "image/jpeg", len(photo), case["id"]),
        (media.TEXTED, "application/pdf", len(pdf), case["id"])]
    assert [d.original_name for d in docs] == ["texted-1.jpg", "texted-2.pdf"]
    on_disk = files_in(settings, case["id"])
    assert sorted(p.name for p in on_disk) == sorted(d.stored_name for d in docs)
    for doc, content in zip(docs, (photo, pdf)):
        path = Path(settings.upload_dir) / str(case["id"]) / doc.stored_name
        assert path.read_bytes() == content
        assert doc.sha256 == hashlib.sha256(content).hexdigest()
        assert os.stat(path).st_mode & 0o777 == 0o600
    assert all(r.had_auth for r in fake_twilio.requests)  # same host: credentials kept
    # A texted file ticks nothing: the coordinator sorts it.
    assert cases.case_summary(case["id"], url=database_url)["status"] == case["status"]


def test_dicom_goes_through_the_same_header_check(database_url, tmp_path, fake_twilio, case):
    settings = settings_for(database_url, tmp_path, fake_twilio)
    not_dicom = b"\x00" * 128 + b"DICM" + b"\x00" * 400  # the mark alone proves nothing
    [good, fake_dicom] = attach(case, settings,
                                fake_twilio.add_media(dicom_bytes(), "application/dicom"),
                                fake_twilio.add_media(not_dicom, "application/dicom"))
    assert good.stored and documents(database_url)[0].content_type == "application/dicom"
    assert (fake_dicom.stored, fake_dicom.reason) == (False, media.TYPE_REFUSED)
    assert len(files_in(settings, case["id"])) == 1  # the refused one was deleted


def test_credentials_are_never_sent_to_another_host(database_url, tmp_path, fake_twilio, case):
    settings = settings_for(database_url, tmp_path, fake_twilio)
    photo = jpeg_bytes()
    # The CDN redirect goes to another host name: requests drops the credentials.
    [result] = attach(case, settings, fake_twilio.add_media(photo, "image/jpeg", redirect="host"))
    assert result.stored
    api_get, cdn_get = fake_twilio.requests
    assert (api_get.host, api_get.had_auth) == (f"127.0.0.1:{fake_twilio.port}", True)
    assert (cdn_get.host, cdn_get.path.startswith("/cdn/"), cdn_get.had_auth) == (
        f"localhost:{fake_twilio.port}", True, False)


def test_a_redirect_off_loopback_http_is_not_followed(database_url, tmp_path, fake_twilio, case):
    settings = settings_for(database_url, tmp_path, fake_twilio)
    with socket.socket() as elsewhere:  # a listener that must see no connection
        elsewhere.bind(("127.0.0.2", 0))
        elsewhere.listen()
        elsewhere.setblocking(False)
        target = "http://127.0.0.2:%d/cdn/x" % elsewhere.getsockname()[1]
        [result] = attach(case, settings, fake_twilio.add_media(jpeg_bytes(), redirect=target))
        assert (result.stored, result.reason) == (False, media.NOT_DOWNLOADED)
        with pytest.raises(BlockingIOError):
            elsewhere.accept()
    assert len(fake_twilio.requests) == 1


def test_wrong_credentials_are_refused(database_url, tmp_path, fake_twilio, case):
    settings = settings_for(database_url, tmp_path, fake_twilio, TWILIO_AUTH_TOKEN="wrong")
    [result] = attach(case, settings, fake_twilio.add_media(jpeg_bytes()))
    assert (result.stored, result.reason) == (False, media.NOT_DOWNLOADED)
    assert documents(database_url) == [] and files_in(settings, case["id"]) == []


def test_an_executable_is_refused(database_url, tmp_path, fake_twilio, case):
    settings = settings_for(database_url, tmp_path, fake_twilio)
    results = attach(case, settings, fake_twilio.add_media(ELF, "image/jpeg"),
                     fake_twilio.add_media(b"MZ\x90\x00" + b"\x00" * 2000, "application/pdf"))
    assert [(r.stored, r.reason) for r in results] == [(False, media.TYPE_REFUSED)] * 2
    assert documents(database_url) == [] and files_in(settings, case["id"]) == []


@pytest.mark.parametrize("declare_length", [True, False])
def test_a_too_big_file_is_refused_without_reading_it_all(database_url, tmp_path, fake_twilio,
                                                          case, declare_length):
    settings = settings_for(database_url, tmp_path, fake_twilio, MAX_UPLOAD_BYTES=str(1024 ** 2))
    big = jpeg_bytes() + b"\x00" * (64 * 1024 ** 2)
    url = fake_twilio.add_media(big, "image/jpeg", declare_length=declare_length)
    [result] = attach(case, settings, url)
    assert (result.stored, result.reason) == (False, media.TOO_LARGE)
    assert fake_twilio.bytes_sent(url) < len(big) // 2  # we hung up long before the end
    assert documents(database_url) == [] and files_in(settings, case["id"]) == []


def test_the_case_limits_hold(database_url, tmp_path, fake_twilio, case):
    settings = settings_for(database_url, tmp_path, fake_twilio, MAX_CASE_DOCUMENTS="1")
    results = attach(case, settings, fake_twilio.add_media(jpeg_bytes()),
                     fake_twilio.add_media(jpeg_bytes()))
    assert [(r.stored, r.reason) for r in results] == [(True, None), (False, media.CASE_FULL)]
    assert len(fake_twilio.requests) == 1  # the second one was not even downloaded


@pytest.mark.parametrize("url", [
    "https://evil.example.org/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1",
    "http://api.twilio.com/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1",
    "https://api.twilio.com.evil.example.org/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1",
    "https://api.twilio.com@evil.example.org/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1",
    "https://api.twilio.com/2010-04-01/Accounts/AC{other}/Messages/MM1/Media/ME1",
    "http://localhost:{port}/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1",
    "http://127.0.0.1:{other_port}/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1",
    "http://127.0.0.1:{port}/cdn/ME1",
    "file:///etc/passwd",
    "",
])
def test_urls_off_twilio_are_refused_without_a_request(database_url, tmp_path, fake_twilio,
                                                        case, url):
    settings = settings_for(database_url, tmp_path, fake_twilio)
    url = url.format(sid=fake_twilio.account_sid, other="1" * 32, port=fake_twilio.port,
                     other_port=fake_twilio.port + 1)
    assert media.allowed_media_url(url, settings) is False
    [result] = attach(case, settings, url)
    assert (result.stored, result.reason) == (False, media.NOT_DOWNLOADED)
    assert fake_twilio.requests == []


def test_only_twilio_urls_are_allowed_without_a_test_base(fake_twilio):
    sid = fake_twilio.account_sid
    real = Settings.from_env({"TWILIO_ACCOUNT_SID": sid, "TWILIO_AUTH_TOKEN": "t"})
    twilio = f"https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages/MM1/Media/ME1"
    assert media.allowed_media_url(twilio, real) is True
    assert media.allowed_media_url(fake_twilio.add_media(b"x"), real) is False
    assert media.allowed_media_url(twilio, Settings.from_env({})) is False  # no account
