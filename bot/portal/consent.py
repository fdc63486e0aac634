"""The financial consent: versioned text as data (consent_v<N>.md), e-signed on the page.

The text a parent sees is the version file filled in with the program's fee and the
coordinator's phone. Those can change after a parent signs, so the filled-in text
itself is stored with each signature, with its SHA-256: the words agreed to can be
shown later exactly. A new wording is a new file and a new VERSION.
"""
from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Optional

from bot import cases
from bot.programs import load_catalogue
from bot.scrub import scrub_text
from bot.settings import Settings

VERSION = "v1"
FOLDER = Path(__file__).resolve().parent
MAX_NAME = 200


@functools.lru_cache(maxsize=None)
def _template(version: str) -> str:
    if not re.fullmatch(r"v\d+", version):
        raise ValueError(f"bad consent version {version!r}")
    return (FOLDER / f"consent_{version}.md").read_text(encoding="utf-8")


def consent_text(program: str, settings: Settings, version: str = VERSION) -> str:
    """The exact text shown for this program (fee filled in)."""
    prog = load_catalogue().programs[program]
    return _template(version).format(program_name=prog.name, fee=prog.fee_usd,
                                     coordinator_phone=settings.coordinator_phone,
                                     coordinator_hours=settings.coordinator_hours)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def blocks(text: str) -> list[dict]:
    """The small Markdown subset the files use: '# title', '- item' lists, paragraphs."""
    out: list[dict] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("# "):
            out.append({"kind": "title", "text": line[2:]})
        elif line.startswith("- "):
            if not out or out[-1]["kind"] != "list":
                out.append({"kind": "list", "items": []})
            out[-1]["items"].append(line[2:])
        else:
            out.append({"kind": "para", "text": line})
    return out


def check_signature(name: Optional[str], agreed: Optional[str]) -> dict[str, str]:
    """Field -> plain error sentence; empty when the signature is complete."""
    errors = {}
    name = " ".join((name or "").split())
    if len(name) < 3 or not re.search(r"[^\W\d_]", name):
        errors["signer_name"] = "Please type your full name."
    elif len(name) > MAX_NAME:
        errors["signer_name"] = f"Please use at most {MAX_NAME} letters."
    if agreed not in ("yes", "on", "true"):
        errors["agree"] = "Please check the box to agree."
    return errors


def sign(case_id: int, program: str, signer_name: str, ip: Optional[str],
         user_agent: Optional[str], settings: Settings) -> cases.Received:
    """Record the signature with the exact text signed and its hash. The name is free
    text typed by the parent: scrubbed like every inbound text."""
    text = consent_text(program, settings)
    return cases.record_consent(case_id, " ".join(scrub_text(signer_name).split()), VERSION,
                                text_sha256(text), ip=ip,
                                user_agent=scrub_text(_header_text(user_agent))
                                if user_agent else None,
                                url=settings.database_url, signed_text=text)


def _header_text(value: str) -> str:
    """HTTP headers arrive decoded as Latin-1; a browser sends UTF-8 (emoji included)."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def signatures(case_id: int, url: str) -> list[dict]:
    """Every signature on the case, newest first: who signed, when, from where, and the
    text they signed (None for signatures stored before the text was kept: only the
    hash is known)."""
    from bot.db import Consent, session_scope

    with session_scope(url) as session:
        rows = session.query(Consent).filter(Consent.case_id == case_id) \
            .order_by(Consent.id.desc()).all()
        return [{"signer_name": row.signer_name, "text_version": row.text_version,
                 "text_sha256": row.text_sha256, "signed_text": row.signed_text,
                 "ip": row.ip, "user_agent": row.user_agent,
                 "signed_at": row.signed_at.replace(microsecond=0).isoformat() + "Z"}
                for row in rows]


def latest(case_id: int, url: str) -> Optional[dict]:
    """The newest signature on the case, or None."""
    found = signatures(case_id, url)
    return found[0] if found else None
