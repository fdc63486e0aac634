"""What each case needs, and how its status moves by itself (pure functions, no database).

intake_started -> awaiting_documents (questionnaire complete)
               -> documents_received (every required item in)
Any other status belongs to the coordinator and is never changed here.
"""
from __future__ import annotations

from typing import Iterable

PROGRAMS = ("spine", "hip")

QUESTIONNAIRE = "questionnaire"
FINANCIAL_CONSENT = "financial_consent"
REFERRAL = "referral"
MEDICAL_RECORDS = "medical_records"
IMAGING = "imaging"

# The service page's list: questionnaire, financial consent, pediatrician referral,
# medical records including imaging. Order = the order a parent sees.
KINDS = (QUESTIONNAIRE, FINANCIAL_CONSENT, REFERRAL, MEDICAL_RECORDS, IMAGING)
DOCUMENT_KINDS = (REFERRAL, MEDICAL_RECORDS, IMAGING)
# What a parent reads for each item, on the web page and in the chat.
LABELS = {
    QUESTIONNAIRE: "Health questions",
    FINANCIAL_CONSENT: "Fee agreement",
    REFERRAL: "Referral from your child's doctor",
    MEDICAL_RECORDS: "Medical records",
    IMAGING: "Images (X-ray, MRI, CT or ultrasound)",
}
OTHER_DOCUMENT = "other"  # an upload that satisfies no checklist item by itself
TEXTED_DOCUMENT = "texted"  # a photo or PDF texted in (MMS): the coordinator sorts it
OPINION_LETTER = "opinion_letter"  # the team's letter, attached by the coordinator
UNSORTED_DOCUMENT_KINDS = (OTHER_DOCUMENT, TEXTED_DOCUMENT, OPINION_LETTER)
UNSORTED_LABELS = {OTHER_DOCUMENT: "other", TEXTED_DOCUMENT: "texted, to sort",
                   OPINION_LETTER: "opinion letter"}

MISSING = "missing"
RECEIVED = "received"

INTAKE_STARTED = "intake_started"
AWAITING_DOCUMENTS = "awaiting_documents"
DOCUMENTS_RECEIVED = "documents_received"
AUTOMATIC_STATUSES = (INTAKE_STARTED, AWAITING_DOCUMENTS, DOCUMENTS_RECEIVED)
_RANK = {status: rank for rank, status in enumerate(AUTOMATIC_STATUSES)}


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown checklist item {kind!r}; expected one of {', '.join(KINDS)}")
    return kind


def check_program(program: str) -> str:
    if program not in PROGRAMS:
        raise ValueError(f"unknown program {program!r}; expected one of {', '.join(PROGRAMS)}")
    return program


def next_status(current: str, received: Iterable[str], required: Iterable[str] = KINDS) -> str:
    """The status a case should have now. Only moves forward, and only among the
    automatic statuses; a coordinator status is returned unchanged."""
    if current not in _RANK:
        return current
    received = set(received)
    if set(required) <= received:
        target = DOCUMENTS_RECEIVED
    elif QUESTIONNAIRE in received:
        target = AWAITING_DOCUMENTS
    else:
        target = INTAKE_STARTED
    return target if _RANK[target] > _RANK[current] else current
