"""DICOM headers (pydicom, never the pixels) and ZIPs of an imaging CD's DICOM folder.

Headers give modality, study date, patient name and birth date; a name or birth date
that does not match the child on the case is flagged for the coordinator (not shown
to the parent). ZIPs are only read, never extracted: every entry name is checked for
path tricks, sizes and entry counts are capped, and only the first bytes of each
member are decompressed to read its header.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import stat
import unicodedata
import warnings
import zipfile
from pathlib import Path
from typing import Any, BinaryIO, Optional, Union

import pydicom

MAX_ZIP_ENTRIES = 5000
MEMBER_HEAD_BYTES = 256 * 1024  # enough for any real header; pixels come after it
MAX_RATIO = 200  # uncompressed / compressed of one big member: a zip bomb beyond this
DICM_OFFSET = 128


class ZipRejected(ValueError):
    """The ZIP cannot be taken; the message is a plain sentence for the parent."""


def is_dicom(head: bytes) -> bool:
    return head[DICM_OFFSET:DICM_OFFSET + 4] == b"DICM"


def read_header(source: Union[str, Path, BinaryIO]) -> dict[str, Optional[str]]:
    """Modality, study date, patient name and birth date (ISO dates). Raises on junk."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ds = pydicom.dcmread(source, stop_before_pixels=True, defer_size="256 KB",
                             specific_tags=["Modality", "StudyDate", "PatientName",
                                            "PatientBirthDate"])
    name = ds.get("PatientName")
    return {"modality": str(ds.get("Modality") or "") or None,
            "study_date": _iso(ds.get("StudyDate")),
            "patient_name": str(name) if name else None,
            "patient_birth_date": _iso(ds.get("PatientBirthDate"))}


def _iso(value: Any) -> Optional[str]:
    text = str(value or "").strip()
    if re.fullmatch(r"\d{8}", text):
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
        except ValueError:
            pass
    return text or None


def _tokens(name: Optional[str]) -> list[str]:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return [t for t in re.split(r"[^a-z]+", text.lower()) if t]


def mismatches(header: dict, child: dict) -> list[str]:
    """"patient_name" / "birth_date" when the header names someone else. Missing values
    on either side are not a mismatch (anonymised CDs, a case without a name yet)."""
    found = []
    dicom_names = set(_tokens((header.get("patient_name") or "").replace("^", " ")))
    first, last = _tokens(child.get("first_name")), _tokens(child.get("last_name"))
    if dicom_names and (first or last):
        def known(token: str) -> bool:
            return any(d.startswith(token) or token.startswith(d) for d in dicom_names)
        if not all(known(t) for t in last) or (first and not known(first[0])):
            found.append("patient_name")
    birth, child_birth = header.get("patient_birth_date"), child.get("birth_date")
    if birth and child_birth and birth != child_birth:
        found.append("birth_date")
    return found


def dicom_flags(path: Union[str, Path], child: dict) -> dict:
    """Flags for one uploaded DICOM file."""
    try:
        header = read_header(str(path))
    except Exception:  # a damaged header is kept, but flagged
        return {"dicom": None, "mismatch": [], "header_unreadable": True, "needs_review": True}
    found = mismatches(header, child)
    return {"dicom": header, "mismatch": found, "needs_review": bool(found)}


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]+", name)
    return (not name or name.startswith(("/", "\\")) or "\x00" in name
            or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts)


def _check_entries(infos: list[zipfile.ZipInfo], max_total: int) -> None:
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ZipRejected(f"This ZIP has more than {MAX_ZIP_ENTRIES} files in it. "
                          "Please split it into smaller ZIP files.")
    total = 0
    for info in infos:
        if _unsafe_name(info.filename):
            raise ZipRejected("This ZIP has file names that try to point outside the ZIP. "
                              "We cannot take it.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ZipRejected("This ZIP has links to other files in it. We cannot take it.")
        if info.flag_bits & 0x1:
            raise ZipRejected("This ZIP has a password. Please make a ZIP without one.")
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ZipRejected("This ZIP file looks unsafe, so we cannot take it.")
    if total > max_total:
        raise ZipRejected("The files in this ZIP are too big when unzipped. "
                          "Please split it into smaller ZIP files.")


def zip_flags(path: Union[str, Path], child: dict, max_total: int) -> dict:
    """Check a ZIP of a CD's DICOM folder and summarise its DICOM headers.
    Raises ZipRejected when it is unsafe or holds no DICOM file."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ZipRejected("This ZIP file is damaged. Please make it again.") from exc
    with archive:
        infos = archive.infolist()
        _check_entries(infos, max_total)
        counts = {"entries": len(infos), "dicom_files": 0, "other_files": 0, "unreadable": 0}
        seen: dict[str, set] = {"modalities": set(), "study_dates": set(),
                                "patient_names": set(), "patient_birth_dates": set()}
        found: set[str] = set()
        for info in infos:
            if info.is_dir():
                continue
            try:
                with archive.open(info) as member:
                    head = member.read(MEMBER_HEAD_BYTES)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
                counts["unreadable"] += 1
                continue
            if not is_dicom(head):
                counts["other_files"] += 1
                continue
            counts["dicom_files"] += 1
            try:
                header = read_header(io.BytesIO(head))
            except Exception:
                counts["unreadable"] += 1
                continue
            for key, field in (("modalities", "modality"), ("study_dates", "study_date"),
                               ("patient_names", "patient_name"),
                               ("patient_birth_dates", "patient_birth_date")):
                if header.get(field):
                    seen[key].add(header[field])
            found.update(mismatches(header, child))
    if not counts["dicom_files"]:
        raise ZipRejected("This ZIP has no DICOM image files in it. Please zip the "
                          "DICOM folder from the imaging CD.")
    mismatch = sorted(found)
    return {"zip": counts, "dicom": {k: sorted(v) for k, v in seen.items()},
            "mismatch": mismatch, "needs_review": bool(mismatch or counts["unreadable"])}
