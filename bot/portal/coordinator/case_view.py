"""The data of the coordinator's case page: header, flags, answers by questionnaire group,
documents (with DICOM header fields and a PNG of the first frame), the consent as signed,
the chat transcript and the audit trail. Plain dicts for templates/case.html; no web
framework here."""
from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import inspect, select, text

from bot import checklist
from bot.db import Case, Consent, Document, engine_for, session_scope
from bot.portal.uploads import human_size, sniff
from bot.questionnaire.model import load_definition
from bot.questionnaire.prompts import display_value
from bot.settings import Settings
from bot.sms import contacts
from bot.staff import audit, due

STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]{3,4}")  # as uploads._Sink names files
INLINE_TYPES = ("application/pdf", "image/png", "image/jpeg")  # what a browser shows itself
AUDIT_ROWS = 50
TRANSCRIPT_ROWS = 2000  # a very long chat is cut, oldest kept
MISMATCH_LABELS = {"patient_name": "patient name", "birth_date": "birth date"}


def build(case_id: int, settings: Settings, now: dt.datetime) -> Optional[dict]:
    """Everything the page shows, or None for an unknown case."""
    url = settings.database_url
    with session_scope(url) as session:
        case = session.get(Case, case_id)
        if case is None:
            return None
        consents = session.execute(select(Consent).where(Consent.case_id == case_id)
                                   .order_by(Consent.signed_at, Consent.id)).scalars().all()
        page = {"case": _header(case, now), "answers": answer_groups(case.answers or {}),
                "documents": [_document(d, settings) for d in case.documents],
                "consents": [{"signer": c.signer_name, "at": c.signed_at,
                              "version": c.text_version, "text": c.signed_text or ""}
                             for c in consents]}
        page["flags"] = _flags(case, page["documents"], url)
        conversation = case.conversation_id
    page["transcript"] = transcript(conversation, url)
    return page


def audit_trail(case_id: int, url: str, everything: bool = False) -> tuple[list[dict], int]:
    """Newest first: AUDIT_ROWS rows, or every one (many views must not hide a download);
    and how many there are."""
    rows = list(reversed(audit.for_case(case_id, url)))
    return (rows if everything else rows[:AUDIT_ROWS]), len(rows)


def _header(case: Case, now: dt.datetime) -> dict:
    required = [i for i in case.checklist if i.required]
    return {"id": case.id, "reference": case.reference, "program": case.program,
            "status": case.status, "channel": case.channel,
            "child": " ".join(p for p in (case.child_first_name, case.child_last_name) if p),
            "progress": (sum(1 for i in required if i.status == checklist.RECEIVED),
                         len(required)),
            "due": due.due_of(case.documents_received_at, case.status, now),
            "checklist": [{"label": checklist.LABELS.get(i.kind, i.kind), "status": i.status,
                           "received_at": i.received_at} for i in case.checklist]}


def _flags(case: Case, documents: list[dict], url: str) -> list[dict]:
    """[{"kind", "text"}]: what the coordinator must see before reading on."""
    found = []
    for name, since in sorted((case.flags or {}).items()):
        found.append({"kind": name, "text": name.replace("_", " ").capitalize()
                      if name != "red_flag" else "Red flag: the answers name a warning sign",
                      "since": since})
    for doc in documents:
        if doc["mismatch"]:
            found.append({"kind": "dicom_mismatch", "text": "DICOM " + " and ".join(
                MISMATCH_LABELS.get(m, m) for m in doc["mismatch"])
                + f" does not match the child: {doc['name']}"})
    missing = [checklist.LABELS.get(i.kind, i.kind) for i in case.checklist
               if i.required and i.status != checklist.RECEIVED]
    if missing:
        found.append({"kind": "missing", "text": "Missing: " + ", ".join(missing)})
    for phone in _sms_numbers(case):
        if _opted_out(phone, url):
            found.append({"kind": "sms_opt_out", "text": f"Opted out of SMS ({phone}): "
                          "texts to this number are not sent"})
    return found


def _sms_numbers(case: Case) -> list[str]:
    numbers = [case.guardian_phone] if case.guardian_phone else []
    if case.conversation_id.startswith("sms:"):
        numbers.append(case.conversation_id[4:])
    return list(dict.fromkeys(numbers))


def _opted_out(phone: str, url: str) -> bool:
    try:
        return contacts.is_opted_out(phone, url)
    except ValueError:  # not a phone number: nothing can be texted to it anyway
        return False


def answer_groups(answers: dict[str, Any]) -> list[dict]:
    """[{"title", "rows": [(label, text)]}] in questionnaire order, one group per
    top-level group (a top-level question joins "General"); answers the definition
    no longer knows are listed last, as stored."""
    definition = load_definition()
    groups: list[dict] = []
    shown = set()
    for top in definition.items:
        members = [top] if top.is_question else [i for i in definition.walk(top.children)
                                                 if i.is_question]
        items = [(i.short_label, display_value(i, answers[i.link_id])) for i in members
                 if answers.get(i.link_id) not in (None, "", [])]
        shown.update(i.link_id for i in members)
        if not items:
            continue
        title = top.text if not top.is_question else "General"
        if groups and groups[-1]["title"] == title:
            groups[-1]["rows"] += items
        else:
            groups.append({"title": title, "rows": items})
    rest = [(k, str(v)) for k, v in answers.items() if k not in shown and v not in (None, "")]
    if rest:
        groups.append({"title": "Other answers", "rows": rest})
    return groups


def _document(doc: Document, settings: Settings) -> dict:
    flags = dict(doc.flags or {})
    kind = checklist.LABELS.get(doc.kind) or checklist.UNSORTED_LABELS.get(doc.kind, doc.kind)
    preview = "image" if doc.content_type in ("image/png", "image/jpeg") else \
        "pdf" if doc.content_type == "application/pdf" else \
        "dicom" if doc.content_type == "application/dicom" else None
    header = flags.get("dicom") if isinstance(flags.get("dicom"), dict) else None
    if doc.content_type == "application/dicom":
        path = stored_path(settings, doc.case_id, doc.stored_name)
        header = dicom_fields(path) if path else header
    return {"id": doc.id, "name": doc.original_name, "kind": kind, "size": human_size(doc.size),
            "received_at": doc.received_at, "content_type": doc.content_type,
            "preview": preview, "dicom": header, "zip": flags.get("zip"),
            "mismatch": [m for m in flags.get("mismatch") or [] if isinstance(m, str)]}


# --- files -------------------------------------------------------------------------------

def stored_path(settings: Settings, case_id: int, stored_name: str) -> Optional[Path]:
    """The stored file, only ever built from the database row: a name as the upload code
    makes them, inside upload_dir/<case id>, an existing regular file."""
    if not STORED_NAME.fullmatch(stored_name or ""):
        return None
    folder = (Path(settings.upload_dir) / str(case_id)).resolve()
    path = (folder / stored_name).resolve()
    return path if path.parent == folder and path.is_file() else None


def document_file(case_id: int, doc_id: int, settings: Settings) -> Optional[tuple[dict, Path]]:
    """(document row as a dict, path) when the document belongs to the case and its file
    is there."""
    with session_scope(settings.database_url) as session:
        doc = session.get(Document, doc_id)
        if doc is None or doc.case_id != case_id:
            return None
        row = {"id": doc.id, "name": doc.original_name, "content_type": doc.content_type}
        stored = doc.stored_name
    path = stored_path(settings, case_id, stored)
    return (row, path) if path else None


def sniffed_type(path: Path) -> Optional[str]:
    """The type the bytes say (never the stored or posted one) when a browser may show it
    inline; None otherwise (the file is then only downloaded)."""
    with open(path, "rb") as fh:
        kind = sniff(fh.read(512))
    return kind if kind in INLINE_TYPES else None


def dicom_fields(path: Path) -> Optional[dict]:
    """Patient name, birth date, study date, modality, body part from the header."""
    import pydicom  # only DICOM documents need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(str(path), stop_before_pixels=True, defer_size="64 KB")
        return {"patient_name": str(ds.get("PatientName") or "") or None,
                "patient_birth_date": _dicom_date(ds.get("PatientBirthDate")),
                "study_date": _dicom_date(ds.get("StudyDate")),
                "modality": str(ds.get("Modality") or "") or None,
                "body_part": str(ds.get("BodyPartExamined") or "") or None}
    except Exception:  # pydicom raises many kinds on a damaged file: show no fields
        return None


def _dicom_date(value: Any) -> Optional[str]:
    raw = str(value or "").strip()
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}" if re.fullmatch(r"\d{8}", raw) else raw or None


# --- transcript --------------------------------------------------------------------------

def transcript(conversation_id: str, url: str) -> list[dict]:
    """Rasa's `events` rows for the conversation (already scrubbed when stored), oldest
    first: [{"who": "Parent"|"Assistant", "text", "at"}]. No table (the tracker store is
    elsewhere, or tests): an empty list."""
    engine = engine_for(url)
    if not inspect(engine).has_table("events"):
        return []
    query = text("SELECT type_name, timestamp, data FROM events WHERE sender_id = :sender "
                 "AND type_name IN ('user', 'bot') ORDER BY id LIMIT :limit")
    with engine.connect() as conn:
        rows = conn.execute(query, {"sender": conversation_id, "limit": TRANSCRIPT_ROWS}).all()
    lines = []
    for type_name, stamp, data in rows:
        try:
            said = (json.loads(data) if isinstance(data, str) else data or {}).get("text")
        except (ValueError, AttributeError):
            said = None
        if said:
            lines.append({"who": "Parent" if type_name == "user" else "Assistant",
                          "text": str(said), "at": _at(stamp)})
    return lines


def _at(stamp: Any) -> Optional[dt.datetime]:
    try:  # Rasa stores seconds since the epoch
        return dt.datetime.fromtimestamp(float(stamp), dt.timezone.utc).replace(tzinfo=None)
    except (TypeError, ValueError, OverflowError):
        return None


# --- DICOM preview frame -----------------------------------------------------------------

FRAME_MAX_SIDE = 1024  # a preview, not a diagnostic view: the file itself is downloaded


def dicom_png(path: Path) -> Optional[bytes]:
    """The first frame as an 8-bit PNG (window from the VOI LUT or min/max), or None when
    pydicom cannot decode the pixels (a compressed syntax without its plugin, no pixels)."""
    try:
        import numpy as np
        import pydicom
        from pydicom.pixels import apply_voi_lut, pixel_array

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ds = pydicom.dcmread(str(path), stop_before_pixels=True)
            frame = pixel_array(str(path), index=0)  # decodes one frame, not the series
            if ds.get("SamplesPerPixel", 1) == 1:
                frame = apply_voi_lut(frame, ds)
    except Exception:  # not decodable here: the page shows the header fields only
        return None
    if frame.ndim not in (2, 3) or frame.size == 0:
        return None
    step = max(1, -(-max(frame.shape[:2]) // FRAME_MAX_SIDE))
    values = frame[::step, ::step].astype("float64")
    low, high = float(values.min()), float(values.max())
    scaled = (values - low) * (255.0 / (high - low)) if high > low else values * 0
    pixels = scaled.clip(0, 255).astype(np.uint8)
    if frame.ndim == 2 and str(ds.get("PhotometricInterpretation")) == "MONOCHROME1":
        pixels = 255 - pixels  # MONOCHROME1: low values are white
    return _png(np.ascontiguousarray(pixels))


def _png(pixels) -> bytes:
    try:
        import io

        from PIL import Image
    except ImportError:  # Pillow is not a declared dependency: a minimal writer then
        return _zlib_png(pixels)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def _zlib_png(pixels) -> bytes:
    import struct
    import zlib

    height, width = pixels.shape[:2]
    colour = 2 if pixels.ndim == 3 else 0  # RGB or grey, 8 bits
    rows = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
