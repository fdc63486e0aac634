"""Uploads over real HTTP: type from content, size limit while streaming, DICOM and ZIP
checks, random names outside any served folder, nothing left behind on refusal."""
import hashlib
import io
import os
import stat
import struct
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

from bot import cases
from bot.portal import uploads
from bot.settings import REPO_ROOT
from tests.portal.conftest import dicom_bytes, heic_bytes, jpeg_bytes, png_bytes, sign_in
from tests.portal.helpers import fake_pdf, visible_text, write_file


def files_on_disk(portal, case_id):
    folder = Path(portal.settings.upload_dir) / str(case_id)
    return sorted(p for p in folder.iterdir()) if folder.exists() else []


def documents(portal, case_id):
    return cases.case_detail(case_id, url=portal.settings.database_url)["documents"]


def test_pdf_png_jpeg_heic_accepted_several_at_once(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    sent = {"records.pdf": fake_pdf(), "xray.png": png_bytes(), "photo.jpg": jpeg_bytes(),
            "IMG_0001.HEIC": heic_bytes()}
    resp = browser.post_files(path + "/upload/medical_records", [("csrf_token", csrf)],
                              [("files", name, data) for name, data in sent.items()])
    assert resp.status == 303, resp.text
    assert resp.location.endswith("saved=medical_records&n=4#uploads")
    docs = {d["name"]: d for d in documents(portal, case["id"])}
    assert set(docs) == set(sent)
    types = {n: d["content_type"] for n, d in docs.items()}
    assert types == {"records.pdf": "application/pdf", "xray.png": "image/png",
                     "photo.jpg": "image/jpeg", "IMG_0001.HEIC": "image/heic"}
    for name, data in sent.items():
        assert docs[name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert docs[name]["size"] == len(data) and docs[name]["kind"] == "medical_records"
    stored = files_on_disk(portal, case["id"])
    assert len(stored) == 4
    for p in stored:
        assert p.stem not in " ".join(sent) and len(p.stem) == 32  # random names
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert not Path(portal.settings.upload_dir).is_relative_to(REPO_ROOT / "bot" / "portal")
    page = browser.get(path + "?saved=medical_records&n=4")
    assert "We got 4 files for: Medical records" in visible_text(page.text)
    checklist = {i["kind"]: i for i in cases.case_summary(
        case["id"], url=portal.settings.database_url)["checklist"]}
    assert checklist["medical_records"]["status"] == "received"
    assert checklist["medical_records"]["received_at"]


def test_type_comes_from_the_content_not_the_name(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                              [("files", "referral.pdf", b"Just some text, not a PDF.\n" * 40)])
    assert resp.status == 415
    text = visible_text(resp.text)
    assert "referral.pdf" in text and "We cannot take this kind of file" in text
    for allowed in ("PDF", "JPEG", "PNG", "HEIC", "DICOM", "ZIP"):
        assert allowed in text
    assert files_on_disk(portal, case["id"]) == [] and documents(portal, case["id"]) == []
    # A tiny file is judged on what there is; an empty one is refused.
    tiny = browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                              [("files", "a.pdf", b"hello"), ("files", "b.pdf", b"")])
    assert tiny.status == 415 and "This file is empty" in tiny.text


def test_good_files_are_kept_when_one_is_refused(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                              [("files", "ok.pdf", fake_pdf()),
                               ("files", "virus.exe", b"MZ" + b"\0" * 600)])
    assert resp.status == 415
    text = visible_text(resp.text)
    assert "virus.exe" in text and "We did get these files: ok.pdf" in text
    assert [d["name"] for d in documents(portal, case["id"])] == ["ok.pdf"]
    assert len(files_on_disk(portal, case["id"])) == 1


def test_oversize_is_refused_while_streaming_and_nothing_is_left(start_portal, case, tmp_path):
    portal = start_portal(MAX_UPLOAD_BYTES=100_000)
    browser, path, csrf = sign_in(portal, case["id"])
    big = write_file(tmp_path / "big.pdf", b"%PDF-1.7\n", 300_000)
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "scan.pdf", big)])
    assert resp.status == 413
    assert "too big" in resp.text and "98 KB" in resp.text  # the limit, in plain words
    assert files_on_disk(portal, case["id"]) == [] and documents(portal, case["id"]) == []
    # Far over the limit for the whole post: refused from Content-Length, before reading.
    huge = write_file(tmp_path / "huge.pdf", b"%PDF-1.7\n", 1_000_000)
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "scan.pdf", huge)])
    assert resp.status == 413 and files_on_disk(portal, case["id"]) == []


def test_big_file_is_streamed_in_chunks_not_held_in_memory(portal, case, tmp_path, monkeypatch):
    size = 12 * 1024 * 1024
    big = write_file(tmp_path / "big.pdf", b"%PDF-1.7\n", size)
    writes = []
    original = uploads._Sink.write
    monkeypatch.setattr(uploads._Sink, "write",
                        lambda self, data: (writes.append(len(data)), original(self, data)))
    browser, path, csrf = sign_in(portal, case["id"])
    tracemalloc.start()
    try:
        resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                                  [("files", "big.pdf", big)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert resp.status == 303, resp.text
    assert sum(writes) == size and len(writes) > 20 and max(writes) <= 1024 * 1024
    assert peak < size / 4, f"peak {peak} bytes while uploading {size}"
    (doc,) = documents(portal, case["id"])
    assert doc["size"] == size
    assert doc["sha256"] == hashlib.sha256(Path(big).read_bytes()).hexdigest()


def test_dicom_headers_are_read_and_a_mismatch_is_flagged(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)], [
        ("files", "IM0001", dicom_bytes()),  # Jane Doe, right birth date: no flag
        ("files", "IM0002", dicom_bytes(name="Smith^John", birth="20100101", modality="MR"))])
    assert resp.status == 303, resp.text
    docs = {d["name"]: d for d in documents(portal, case["id"])}
    good, other = docs["IM0001"], docs["IM0002"]
    assert good["content_type"] == "application/dicom"
    assert good["flags"]["dicom"] == {"modality": "CR", "study_date": "2024-01-05",
                                      "patient_name": "Doe^Jane",
                                      "patient_birth_date": "2012-04-02"}
    assert good["flags"]["mismatch"] == [] and good["flags"]["needs_review"] is False
    assert other["flags"]["mismatch"] == ["patient_name", "birth_date"]
    assert other["flags"]["needs_review"] is True
    assert other["flags"]["dicom"]["modality"] == "MR"
    # The parent is not shown the flag; the coordinator API is.
    assert "Smith" not in browser.get(path).text


def make_zip(entries, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return out.getvalue()


def test_zip_of_a_dicom_folder_is_accepted_with_a_summary(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    data = make_zip([("DICOM/ST000000/SE000000/IM000000", dicom_bytes()),
                     ("DICOM/ST000000/SE000000/IM000001", dicom_bytes(modality="DX")),
                     ("DICOM/ST000000/SE000001/IM000000", dicom_bytes(birth="20120403")),
                     ("README.TXT", b"viewer readme")])
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "cd.zip", data)])
    assert resp.status == 303, resp.text
    (doc,) = documents(portal, case["id"])
    assert doc["content_type"] == "application/zip"
    flags = doc["flags"]
    assert flags["zip"] == {"entries": 4, "dicom_files": 3, "other_files": 1, "unreadable": 0}
    assert flags["dicom"]["modalities"] == ["CR", "DX"]
    assert flags["dicom"]["patient_birth_dates"] == ["2012-04-02", "2012-04-03"]
    assert flags["mismatch"] == ["birth_date"] and flags["needs_review"] is True


def test_zip_with_path_traversal_is_refused(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    for name in ("../../etc/passwd", "/abs/IM0001", "DICOM\\..\\..\\evil", "C:/IM0001"):
        data = make_zip([("DICOM/IM0001", dicom_bytes()), (name, dicom_bytes())])
        resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                                  [("files", "cd.zip", data)])
        assert resp.status == 422, name
        assert "outside the ZIP" in resp.text
    assert files_on_disk(portal, case["id"]) == [] and documents(portal, case["id"]) == []


def test_zip_without_dicom_or_too_big_unzipped_is_refused(start_portal, case):
    portal = start_portal(MAX_UPLOAD_BYTES=200_000)
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "docs.zip", make_zip([("a.txt", b"hello")]))])
    assert resp.status == 422 and "no DICOM image files" in resp.text
    bomb = make_zip([("DICOM/IM0001", dicom_bytes()), ("big.bin", b"\0" * 5_000_000)])
    assert len(bomb) < 200_000
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "cd.zip", bomb)])
    assert resp.status == 422 and files_on_disk(portal, case["id"]) == []


def test_upload_needs_session_and_csrf(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    no_token = browser.post_files(path + "/upload/referral", [],
                                  [("files", "a.pdf", fake_pdf())])
    assert no_token.status == 403
    wrong = browser.post_files(path + "/upload/referral", [("csrf_token", "forged")],
                               [("files", "a.pdf", fake_pdf())])
    assert wrong.status == 403
    late = browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                              [("files", "a.pdf", fake_pdf())], files_first=True)
    assert late.status == 403
    stranger = portal.browser().post_files(path + "/upload/referral", [("csrf_token", csrf)],
                                           [("files", "a.pdf", fake_pdf())])
    assert stranger.status == 403
    assert files_on_disk(portal, case["id"]) == [] and documents(portal, case["id"]) == []
    assert browser.post_files(path + "/upload/passport", [("csrf_token", csrf)],
                              [("files", "a.pdf", fake_pdf())]).status == 404


def test_posting_without_a_file_asks_for_one(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                              [("files", "", b"")])
    assert resp.status == 400 and "Please choose at least one file" in resp.text


def test_sniff_is_by_magic_bytes():
    assert uploads.sniff(fake_pdf()) == "application/pdf"
    assert uploads.sniff(png_bytes()) == "image/png"
    assert uploads.sniff(jpeg_bytes()) == "image/jpeg"
    assert uploads.sniff(heic_bytes()) == "image/heic"
    assert uploads.sniff(dicom_bytes()[:512]) == "application/dicom"
    assert uploads.sniff(make_zip([("a", b"b")])) == "application/zip"
    assert uploads.sniff(b"GIF89a" + b"\0" * 100) is None
    assert uploads.sniff(b"<html>") is None
    assert uploads.clean_name("C:\\Users\\me\\x-ray 1.png") == "x-ray 1.png"
    assert uploads.clean_name("../../a\x00b.pdf") == "ab.pdf"
    assert os.sep not in uploads.clean_name("a/b/c.pdf")


# --- ZIP bombs, nested and damaged ZIPs, fake DICOM ---------------------------------

MIB = 1024 * 1024


def deflated_copies(names, data: bytes) -> bytes:
    """A real ZIP whose entries all hold `data`, deflated once and written for each name
    (so 4,000 entries of 1 MiB take a second to build, not a minute)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    crc, out, central = zlib.crc32(data), io.BytesIO(), []
    for name in names:
        raw, offset = name.encode(), out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed),
                              len(data), len(raw), 0) + raw + packed)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc,
                                   len(packed), len(data), len(raw), 0, 0, 0, 0, 0, offset) + raw)
    directory, at = b"".join(central), out.tell()
    out.write(directory + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central),
                                      len(central), len(directory), at, 0))
    return out.getvalue()


def stored_zip(entries) -> bytes:
    return make_zip(entries, zipfile.ZIP_STORED)


def post_zip(portal, case, data, name="cd.zip"):
    browser, path, csrf = sign_in(portal, case["id"])
    return browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", name, data)])


def refused_and_nothing_kept(portal, case, resp, words):
    assert resp.status == 422, resp.text
    assert words in visible_text(resp.text)
    assert files_on_disk(portal, case["id"]) == [] and documents(portal, case["id"]) == []


def test_zip_bomb_of_4000_entries_is_refused_without_unpacking(portal, case):
    out = io.BytesIO(deflated_copies([f"DICOM/IM{i:05d}" for i in range(4000)], bytes(MIB)))
    with zipfile.ZipFile(out, "a") as zf:  # and one real image, so only the bomb is wrong
        zf.writestr("DICOM/IM99999", dicom_bytes())
    bomb = out.getvalue()
    with zipfile.ZipFile(io.BytesIO(bomb)) as zf:  # a real ZIP: 3.9 GiB when unzipped
        infos = zf.infolist()
        assert len(infos) == 4001 and sum(i.file_size for i in infos) > 4000 * MIB
        assert zf.read(infos[1234]) == bytes(MIB)
    assert len(bomb) < 5 * MIB
    started = time.monotonic()
    resp = post_zip(portal, case, bomb)
    seconds = time.monotonic() - started
    refused_and_nothing_kept(portal, case, resp, "looks unsafe")
    assert seconds < 10
    print(f"\n{len(bomb) / MIB:.1f} MB ZIP of 4,000 x 1 MiB: 422 in {seconds:.2f} s")


def test_zip_caps_on_entries_and_unpacked_size(start_portal, case):
    portal = start_portal(ZIP_MAX_ENTRIES=20, ZIP_MAX_UNPACKED_BYTES=300_000)
    many = make_zip([("DICOM/IM0001", dicom_bytes())]
                    + [(f"DICOM/IM{i:04d}", b"x") for i in range(2, 30)])
    refused_and_nothing_kept(portal, case, post_zip(portal, case, many), "more than 20 files")
    # Incompressible data (ratio 1) is caught by the total, not the ratio.
    big = make_zip([("DICOM/IM0001", dicom_bytes()), ("a.bin", os.urandom(200_000)),
                    ("b.bin", os.urandom(200_000))])
    refused_and_nothing_kept(portal, case, post_zip(portal, case, big), "too big when unzipped")
    # Small text files compress far past the ratio but are too small to be checked.
    ok = make_zip([("DICOM/IM0001", dicom_bytes()), ("DICOMDIR.TXT", b" " * 20_000)])
    assert post_zip(portal, case, ok).status == 303


def test_zip_inside_a_zip_is_looked_into(portal, case):
    inner = make_zip([("DICOM/IM0001", dicom_bytes()), ("DICOM/IM0002", dicom_bytes(modality="DX")),
                      ("README.TXT", b"viewer readme")])
    resp = post_zip(portal, case, stored_zip([("cd/disc1.zip", inner)]))
    assert resp.status == 303, resp.text
    (doc,) = documents(portal, case["id"])
    assert doc["flags"]["zip"] == {"entries": 4, "dicom_files": 2, "other_files": 1,
                                   "unreadable": 0}
    assert doc["flags"]["dicom"]["modalities"] == ["CR", "DX"]


def test_bomb_or_deeper_nesting_inside_a_zip_is_refused(portal, case):
    inner_bomb = deflated_copies([f"IM{i:04d}" for i in range(200)], bytes(MIB))
    outer = stored_zip([("DICOM/IM0001", dicom_bytes()), ("more.zip", inner_bomb)])
    refused_and_nothing_kept(portal, case, post_zip(portal, case, outer), "looks unsafe")
    deep = stored_zip([("DICOM/IM0001", dicom_bytes()), ("a.zip", stored_zip(
        [("b.zip", make_zip([("DICOM/IM0002", dicom_bytes())]))]))])
    refused_and_nothing_kept(portal, case, post_zip(portal, case, deep), "other ZIP files")


def test_damaged_zip_is_a_clear_422_with_nothing_left(portal, case):
    good = make_zip([("DICOM/IM0001", dicom_bytes()), ("DICOM/IM0002", dicom_bytes())])
    info = zipfile.ZipFile(io.BytesIO(good)).infolist()[0]
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    broken = good[:start] + b"\x07\xff\xff\xff" + good[start + 4:]  # an invalid deflate block
    refused_and_nothing_kept(portal, case, post_zip(portal, case, broken), "damaged")
    cut = good[:len(good) // 2]
    refused_and_nothing_kept(portal, case, post_zip(portal, case, cut), "damaged")


def test_dicom_only_when_pydicom_reads_it(portal, case):
    fake = b"MZ" + b"\0" * 126 + b"DICM" + b"This program cannot be run in DOS mode." * 40
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                              [("files", "setup.dcm", fake)])
    assert resp.status == 415
    assert "We cannot take this kind of file" in visible_text(resp.text)
    assert files_on_disk(portal, case["id"]) == [] and documents(portal, case["id"]) == []
    in_zip = make_zip([("DICOM/IM0001", dicom_bytes()), ("DICOM/IM0002", fake)])
    refused_and_nothing_kept(portal, case, post_zip(portal, case, in_zip),
                             "We cannot take this kind of file")
    # A DICOM file cut short after its file meta header is no DICOM image either.
    refused = browser.post_files(path + "/upload/imaging", [("csrf_token", csrf)],
                                 [("files", "IM0003", dicom_bytes()[:300] + bytes(300))])
    assert refused.status == 415


def test_one_case_cannot_fill_the_disk(start_portal, case):
    """All uploads of a case together are capped (MAX_CASE_UPLOAD_BYTES and
    MAX_CASE_DOCUMENTS): past them the page asks the parent to call."""
    portal = start_portal(MAX_CASE_UPLOAD_BYTES=str(3 * 4096), MAX_CASE_DOCUMENTS="5")
    browser, path, csrf = sign_in(portal, case["id"])
    url = portal.settings.database_url

    def send(n: int):
        return browser.post_files(path + "/upload/medical_records", [("csrf_token", csrf)],
                                  [("files", f"r{i}.pdf", fake_pdf(4096)) for i in range(n)])

    assert send(2).status == 303
    third = send(2)  # only room for one more file of this size
    assert cases.upload_usage(case["id"], url)[1] <= 3 * 4096
    assert third.status in (303, 413)
    refused = send(1)
    assert refused.status == 413 and "call our coordinator" in visible_text(refused.text)
    files, stored = cases.upload_usage(case["id"], url)
    assert stored <= 3 * 4096 and files <= 5
    on_disk = sum(p.stat().st_size for p in (Path(portal.settings.upload_dir)).rglob("*")
                  if p.is_file())
    assert on_disk == stored


def test_an_upload_name_holding_a_card_is_scrubbed(portal, case):
    browser, path, csrf = sign_in(portal, case["id"])
    resp = browser.post_files(path + "/upload/referral", [("csrf_token", csrf)],
                              [("files", "card 4111 1111 1111 1111.pdf", fake_pdf())])
    assert resp.status == 303
    [doc] = cases.case_detail(case["id"], url=portal.settings.database_url)["documents"]
    assert "4111" not in doc["name"] and doc["name"].endswith(".pdf")
