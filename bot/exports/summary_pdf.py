"""The printable case summary for the review team: one PDF built in Python (fpdf2, no
browser) from the same data as the coordinator's case page (case_view.build: header,
flags, answers by questionnaire group, documents, consents), plus the child's and the
parent's details.

Parents' answers may hold any Unicode. DejaVu Sans (Debian's fonts-dejavu-core) covers
Latin, Greek, Cyrillic and more; a character it has no glyph for, or any character
outside Latin-1 when the font file is missing (Helvetica then), is printed as "?".
Nothing here logs: the summary is health information.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import select

from bot.answers import years_between
from bot.db import Case, Consent, session_scope
from bot.portal.coordinator import case_view
from bot.portal.coordinator.views import DUE_LABELS, local_date, local_time, phone
from bot.settings import Settings
from bot.staff import clock, workflow

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"
FOOTER = "Confidential \u2014 contains health information"
# Helvetica (the fallback) is Latin-1 only: the usual typographic marks get an ASCII twin.
LATIN1_TWINS = str.maketrans({"\u2014": "-", "\u2013": "-", "\u2018": "'", "\u2019": "'",
                              "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2022": "*"})
LINE = 5.0  # mm per line of body text


@dataclass(frozen=True)
class Summary:
    reference: str
    pdf: bytes


def case_summary_pdf(case_id: int, settings: Settings) -> bytes:
    """The summary's bytes; LookupError for an unknown case."""
    return build(case_id, settings).pdf


def build(case_id: int, settings: Settings, now: Optional[dt.datetime] = None) -> Summary:
    """The summary and the case's reference (for the file name); LookupError when there
    is no such case."""
    now = now or clock.now()
    page = case_view.build(case_id, settings, now)
    facts = _facts(case_id, settings.database_url)
    if page is None or facts is None:
        raise LookupError(f"no case {case_id}")
    doc = _Document(page["case"]["reference"])
    tz = settings.coordinator_timezone
    _header(doc, page["case"], facts, tz)
    _people(doc, page["case"], facts, now, tz)
    _flags(doc, page["flags"], page["case"]["checklist"], tz)
    _answers(doc, page["answers"])
    _documents(doc, page["documents"], tz)
    _consents(doc, page["consents"], facts["consent_sha256"], tz)
    return Summary(page["case"]["reference"], bytes(doc.output()))


def _facts(case_id: int, url: str) -> Optional[dict]:
    """What the case page does not show: dates, birth date, guardian, consent hashes
    (in case_view.build's consent order)."""
    with session_scope(url) as session:
        case = session.get(Case, case_id)
        if case is None:
            return None
        hashes = session.execute(select(Consent.text_sha256).where(Consent.case_id == case_id)
                                 .order_by(Consent.signed_at, Consent.id)).scalars().all()
        return {"created_at": case.created_at, "received_at": case.documents_received_at,
                "birth_date": case.child_birth_date, "guardian": case.guardian_name,
                "phone": case.guardian_phone, "email": case.guardian_email,
                "zip": case.zip_code, "county": case.county, "consent_sha256": list(hashes)}


# --- sections ----------------------------------------------------------------------------

def _header(doc: "_Document", case: dict, facts: dict, tz: str) -> None:
    program = str(case["program"] or "").capitalize()
    doc.banner(f"Second opinion document review \u2014 {program} program")
    due = case["due"]
    due_text = f"{local_date(due.at, tz)} ({DUE_LABELS.get(due.state, due.state)})" \
        if due else "\u2014"
    doc.fields([("Case", case["reference"]),
                ("Status", workflow.LABELS.get(case["status"], case["status"])),
                ("Channel", case["channel"]),
                ("Created", local_time(facts["created_at"], tz)),
                ("Documents received", local_time(facts["received_at"], tz) or "not yet"),
                ("Review due", due_text),
                ("Checklist", "{} of {} received".format(*case["progress"]))])


def _people(doc: "_Document", case: dict, facts: dict, now: dt.datetime, tz: str) -> None:
    doc.heading("Child")
    birth = facts["birth_date"]
    doc.fields([("Name", case["child"] or "not given yet"),
                ("Birth date", f"{birth:%b} {birth.day}, {birth.year}" if birth else ""),
                ("Age", _age(birth, now) if birth else "")])
    doc.heading("Parent or guardian")
    place = ", ".join(p for p in (facts["zip"], facts["county"]) if p)  # "Bibb County"
    doc.fields([("Name", facts["guardian"] or "not given yet"), ("Phone", phone(facts["phone"])),
                ("Email", facts["email"]), ("Home ZIP", place)])


def _age(birth: dt.date, now: dt.datetime) -> str:
    years = years_between(birth, now.date())
    if years < 1:
        months = max(int(years * 12), 0)
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{int(years + 1e-6)} years"


def _flags(doc: "_Document", flags: list[dict], checklist: list[dict], tz: str) -> None:
    doc.heading("Flags")
    if not flags:
        doc.para("No flags.")
    for flag in flags:
        doc.para("\u2022 " + flag["text"], bold=flag["kind"] in ("red_flag", "dicom_mismatch"))
    doc.heading("Checklist", small=True)
    for item in checklist:
        received = local_time(item["received_at"], tz)
        doc.para(f"{item['label']}: {item['status']}" + (f" ({received})" if received else ""))


def _answers(doc: "_Document", groups: list[dict]) -> None:
    doc.heading("Answers")
    if not groups:
        doc.para("No answers yet.")
    for group in groups:
        doc.heading(group["title"], small=True)
        for label, value in group["rows"]:
            doc.para(label, bold=True)
            doc.para(value or "\u2014", indent=6)


def _documents(doc: "_Document", documents: list[dict], tz: str) -> None:
    doc.heading("Documents")
    if not documents:
        doc.para("No documents yet.")
    for item in documents:
        doc.para(f"{item['kind']}: {item['name']}", bold=True)
        doc.para(f"Received {local_time(item['received_at'], tz)}, {item['size']}, "
                 f"{item['content_type']}", indent=6)
        header = item.get("dicom") or {}
        shown = [f"{k.replace('_', ' ')} {v}" for k, v in header.items() if v]
        if shown:
            doc.para("DICOM header: " + "; ".join(shown), indent=6)


def _consents(doc: "_Document", consents: list[dict], hashes: list[str], tz: str) -> None:
    doc.heading("Financial consent")
    if not consents:
        doc.para("Not signed yet.")
    for consent, sha in zip(consents, hashes):
        doc.fields([("Signed by", consent["signer"]), ("Signed at", local_time(consent["at"], tz)),
                    ("Text version", consent["version"])])
        doc.para(f"Text SHA-256: {sha}", size=9)  # one line: 64 characters at 10 pt wrap
        doc.para("The exact text signed:", bold=True)
        doc.para(consent["text"] or "(not stored for this signature)", indent=6, size=8)


# --- layout ------------------------------------------------------------------------------

class _Document(FPDF):
    """Letter pages, a Unicode font when there is one, a footer on every page."""

    def __init__(self, reference: str):
        super().__init__(format="letter")
        self.reference = reference
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.body_font, self.glyphs = _load_font(self)
        self.set_title(f"Case summary {reference}")  # no names in the metadata
        self.add_page()

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.body_font, "", 8)
        self.cell(0, 4, self.clean(f"{FOOTER}   \u2022   {self.reference}   \u2022   "
                                   f"Page {self.page_no()} of {{nb}}"), align="C")

    def clean(self, text: object) -> str:
        """Printable text: controls dropped, characters the font lacks as '?'."""
        raw = "".join(c if c.isprintable() or c == "\n" else " " for c in str(text or ""))
        if self.glyphs is None:
            return raw.translate(LATIN1_TWINS).encode("latin-1", "replace").decode("latin-1")
        return "".join(c if c == "\n" or ord(c) in self.glyphs else "?" for c in raw)

    def banner(self, text: str) -> None:
        self.set_font(self.body_font, "B", 15)
        self.multi_cell(0, 8, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def heading(self, text: str, small: bool = False) -> None:
        if self.get_y() > self.page_break_trigger - 20:  # no title alone at a page's foot
            self.add_page()
        else:
            self.ln(3 if small else 5)
        self.set_font(self.body_font, "B", 10.5 if small else 12.5)
        self.multi_cell(0, 6.5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if not small:  # a rule under each section title
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.ln(1.5)

    def para(self, text: str, bold: bool = False, indent: float = 0, size: float = 10) -> None:
        self.set_font(self.body_font, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, LINE * size / 10, self.clean(text), new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)

    def fields(self, rows: Iterable[tuple[str, object]]) -> None:
        """Label: value lines; empty values print as a dash."""
        for label, value in rows:
            self.set_font(self.body_font, "B", 10)
            self.cell(42, LINE, self.clean(label))
            self.set_font(self.body_font, "", 10)
            self.multi_cell(0, LINE, self.clean(value if value not in (None, "") else "\u2014"),
                            new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _load_font(pdf: FPDF) -> tuple[str, Optional[set[int]]]:
    """(family, code points it can print) with DejaVu; ("helvetica", None) without."""
    paths = {style: FONT_DIR / name for style, name in FONT_FILES.items()}
    if not all(p.is_file() for p in paths.values()):
        return "helvetica", None
    for style, path in paths.items():
        pdf.add_font(FAMILY, style, str(path))
    glyphs = set(pdf.fonts[FAMILY.lower()].cmap)
    return FAMILY, glyphs & set(pdf.fonts[FAMILY.lower() + "B"].cmap)
