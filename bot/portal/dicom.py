"""DICOM headers (pydicom, never the pixels) and ZIPs of an imaging CD's DICOM folder.

A file counts as DICOM only when pydicom reads it as a DICOM file (a file meta header
with its UIDs, then data elements that decode); the 'DICM' mark alone proves nothing.
Headers give modality, study date, patient name and birth date; a name or birth date
that does not match the child on the case is flagged for the coordinator (not shown
to the parent). ZIPs are only read, never extracted: every entry name is checked for
path tricks; entries, unpacked size and each entry's compression ratio are capped
(ZIP_MAX_*) before anything is decompressed; a ZIP inside the ZIP is read in memory
and counted toward the same caps, one level deep.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import stat
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Optional, Union

import pydicom

from bot.settings import Settings

MEMBER_HEAD_BYTES = 512  # enough to tell DICOM and ZIP members apart
RATIO_MIN_BYTES = 64 * 1024  # smaller entries skip the ratio check: tiny files compress well
NESTED_MAX_BYTES = 64 * 1024 ** 2  # an inner ZIP is read into memory to look inside it
DICM_OFFSET = 128
UID = re.compile(r"[0-9]+(\.[0-9]+)*")
DAMAGED = "This ZIP file is damaged. Please make it again."


class ZipRejected(ValueError):
    """The ZIP cannot be taken; the message is a plain sentence for the parent."""


class NotDicom(ValueError):
    """Marked as DICOM, but pydicom cannot read it as a DICOM file."""


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int
    max_unpacked: int
    max_ratio: int

    @classmethod
    def of(cls, settings: Settings) -> "ZipLimits":
        return cls(settings.zip_max_entries, settings.zip_max_unpacked_bytes,
                   settings.zip_max_ratio)


def is_dicom(head: bytes) -> bool:
    """The 'DICM' mark: worth trying to read, not yet proof (see read_header)."""
    return head[DICM_OFFSET:DICM_OFFSET + 4] == b"DICM"


def read_header(source: Union[str, Path, BinaryIO]) -> dict[str, Optional[str]]:
    """Modality, study date, patient name and birth date (ISO dates).
    Raises NotDicom unless the whole header (up to the pixels) reads as DICOM."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(source, stop_before_pixels=True, defer_size="256 KB")
            meta = ds.file_meta
            if not (_uid(meta.get("TransferSyntaxUID"))
                    and _uid(meta.get("MediaStorageSOPClassUID"))
                    and (_uid(ds.get("SOPClassUID")) or "DirectoryRecordSequence" in ds)):
                raise NotDicom("no DICOM file meta, or no image or directory after it")
            for _ in ds.iterall():  # decodes every element: junk raises here
                pass
            name = ds.get("PatientName")
            return {"modality": str(ds.get("Modality") or "") or None,
                    "study_date": _iso(ds.get("StudyDate")),
                    "patient_name": str(name) if name else None,
                    "patient_birth_date": _iso(ds.get("PatientBirthDate"))}
    except NotDicom:
        raise
    except Exception as exc:  # pydicom raises many kinds on junk
        raise NotDicom(type(exc).__name__) from exc


def _uid(value: Any) -> bool:
    return bool(value) and len(str(value)) <= 64 and bool(UID.fullmatch(str(value)))


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
    """Flags for one uploaded DICOM file; raises NotDicom when it is not one."""
    header = read_header(str(path))
    found = mismatches(header, child)
    return {"dicom": header, "mismatch": found, "needs_review": bool(found)}


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]+", name)
    return (not name or name.startswith(("/", "\\")) or "\x00" in name
            or bool(re.match(r"^[A-Za-z]:", name)) or ".." in parts)


@dataclass
class _Summary:
    """What a ZIP (and any ZIP inside it) holds, and the running totals for the caps."""
    entries: int = 0
    dicom_files: int = 0
    other_files: int = 0
    unreadable: int = 0
    unpacked: int = 0
    seen: dict = field(default_factory=lambda: {
        "modalities": set(), "study_dates": set(), "patient_names": set(),
        "patient_birth_dates": set()})
    mismatch: set = field(default_factory=set)

    def add(self, header: dict, child: dict) -> None:
        self.dicom_files += 1
        for key, name in (("modalities", "modality"), ("study_dates", "study_date"),
                          ("patient_names", "patient_name"),
                          ("patient_birth_dates", "patient_birth_date")):
            if header.get(name):
                self.seen[key].add(header[name])
        self.mismatch.update(mismatches(header, child))


def _check_entries(infos: list[zipfile.ZipInfo], total: _Summary, limits: ZipLimits) -> None:
    """Caps and names from the ZIP's directory, before anything is decompressed.
    Python's zipfile never unpacks past an entry's declared size, so these hold."""
    total.entries += len(infos)
    if total.entries > limits.max_entries:
        raise ZipRejected(f"This ZIP has more than {limits.max_entries} files in it. "
                          "Please split it into smaller ZIP files.")
    for info in infos:
        if _unsafe_name(info.filename):
            raise ZipRejected("This ZIP has file names that try to point outside the ZIP. "
                              "We cannot take it.")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ZipRejected("This ZIP has links to other files in it. We cannot take it.")
        if info.flag_bits & 0x1:
            raise ZipRejected("This ZIP has a password. Please make a ZIP without one.")
        if info.file_size >= RATIO_MIN_BYTES \
                and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ZipRejected("This ZIP file looks unsafe, so we cannot take it.")
        total.unpacked += info.file_size
    if total.unpacked > limits.max_unpacked:
        raise ZipRejected("The files in this ZIP are too big when unzipped. "
                          "Please split it into smaller ZIP files.")


def _walk(archive: zipfile.ZipFile, total: _Summary, limits: ZipLimits, child: dict,
          nested: bool = False) -> None:
    infos = archive.infolist()
    _check_entries(infos, total, limits)
    for info in infos:
        if info.is_dir():
            continue
        try:
            with archive.open(info) as member:
                head = member.read(MEMBER_HEAD_BYTES)
        except NotImplementedError:  # a compression Python cannot read: kept, flagged
            total.unreadable += 1
            continue
        if head.startswith(b"PK\x03\x04"):
            if nested or info.file_size > NESTED_MAX_BYTES:
                raise ZipRejected("This ZIP has other ZIP files inside it. Please unzip "
                                  "them and send the DICOM folder as one ZIP.")
            with archive.open(info) as member, zipfile.ZipFile(io.BytesIO(member.read())) \
                    as inner:
                _walk(inner, total, limits, child, nested=True)
        elif is_dicom(head):
            try:
                with archive.open(info) as member:
                    total.add(read_header(member), child)
            except NotDicom:
                raise ZipRejected("We cannot take this kind of file: this ZIP has a file "
                                  "in it that looks like a DICOM image but is not one. "
                                  "Please zip the DICOM folder from the imaging CD "
                                  "again.") from None
        else:
            total.other_files += 1


def zip_flags(path: Union[str, Path], child: dict, limits: ZipLimits) -> dict:
    """Check a ZIP of a CD's DICOM folder and summarise its DICOM headers.
    Raises ZipRejected when it is unsafe, damaged or holds no DICOM file."""
    total = _Summary()
    try:
        with zipfile.ZipFile(path) as archive:
            _walk(archive, total, limits, child)
    except ZipRejected:
        raise
    except Exception as exc:  # zipfile, zlib and struct all raise on a damaged ZIP
        raise ZipRejected(DAMAGED) from exc
    if not total.dicom_files:
        raise ZipRejected("This ZIP has no DICOM image files in it. Please zip the "
                          "DICOM folder from the imaging CD.")
    mismatch = sorted(total.mismatch)
    counts = {"entries": total.entries, "dicom_files": total.dicom_files,
              "other_files": total.other_files, "unreadable": total.unreadable}
    return {"zip": counts, "dicom": {k: sorted(v) for k, v in total.seen.items()},
            "mismatch": mismatch, "needs_review": bool(mismatch or total.unreadable)}
