"""The coordinator system's API: Bearer COORDINATOR_API_TOKEN on every route.

GET /api/cases, /api/cases/{id}, /api/cases/{id}/fhir (the case as a FHIR R4 Bundle)
and /api/outbox (the dev outbox; it holds health information, so it is protected too).
Without COORDINATOR_API_TOKEN every route answers 503.
Every answer that shows health information writes audit rows (actor "api", one per case).
"""
from __future__ import annotations

import hmac
from typing import Any, Dict, List, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from bot import cases, intake, notifier
from bot.exports import fhir
from bot.portal import consent
from bot.portal.ids import valid_id
from bot.settings import Settings
from bot.staff import audit

bearer = HTTPBearer(auto_error=False, description="COORDINATOR_API_TOKEN")


def require_token(request: Request,
                  credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> None:
    expected = request.app.state.settings.coordinator_api_token
    if not expected:
        raise HTTPException(503, "The coordinator API is turned off: set "
                                 "COORDINATOR_API_TOKEN on the server to use it.")
    if credentials is None:
        raise HTTPException(401, "Send the coordinator API token as 'Authorization: "
                                 "Bearer <token>'.", headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise HTTPException(403, "This token is not valid for the coordinator API.")


router = APIRouter(prefix="/api", tags=["coordinator"], dependencies=[Depends(require_token)])


class Child(BaseModel):
    first_name: Optional[str]
    last_name: Optional[str]
    birth_date: Optional[str]


class Guardian(BaseModel):
    name: Optional[str]
    phone: Optional[str]
    email: Optional[str]


class ChecklistEntry(BaseModel):
    kind: str
    status: str
    required: bool
    received_at: Optional[str]


class CaseOut(BaseModel):
    id: int
    reference: str
    program: str
    status: str
    channel: str
    linked_case_id: Optional[int]
    created_at: str
    updated_at: str
    child: Child
    guardian: Guardian
    zip: Optional[str]
    county: Optional[str]
    flags: Dict[str, str] = {}  # e.g. red_flag, home_outside_service_area -> when
    checklist: List[ChecklistEntry]


class DocumentOut(BaseModel):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str
    received_at: str
    flags: Dict[str, Any]


class CaseDetailOut(CaseOut):
    answers: Dict[str, Any]
    documents: List[DocumentOut]


class OutboxOut(BaseModel):
    id: int
    created_at: str
    channel: str
    to: str
    subject: Optional[str]
    body: str
    case_id: Optional[int]
    status: str
    provider_id: Optional[str]
    error: Optional[str]


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _audit(request: Request, action: str, case_ids=(None,), **detail) -> None:
    """Who (the API token's holder), which cases, what, when, from where."""
    audit.record_many("api", "api", action, case_ids, detail=detail,
                      ip=request.client.host if request.client else None,
                      url=_settings(request).database_url)


def _detail(case_id: int, settings: Settings) -> dict:
    if not valid_id(case_id):
        raise HTTPException(404, "No such case.")
    try:
        return cases.case_detail(case_id, url=settings.database_url)
    except LookupError:
        raise HTTPException(404, f"No case {case_id}.") from None


@router.get("/cases", response_model=List[CaseOut])
def list_cases(request: Request, status: Optional[str] = Query(None, description="e.g. "
                                                                "documents_received")):
    """Every case, newest first."""
    listed = cases.list_cases(status=status, url=_settings(request).database_url)
    _audit(request, "api.cases.list", [c["id"] for c in listed] or [None], status=status)
    return listed


@router.get("/cases/{case_id}", response_model=CaseDetailOut)
def get_case(request: Request, case_id: int):
    """One case with its answers (linkId -> value) and documents (with DICOM flags)."""
    detail = _detail(case_id, _settings(request))
    _audit(request, "api.case.view", [case_id])
    return detail


@router.get("/cases/{case_id}/fhir", responses={200: {"content": {"application/fhir+json": {}}}})
def get_case_fhir(request: Request, case_id: int):
    """A FHIR R4 Bundle (collection): the child (Patient), the parent (RelatedPerson),
    the answers (QuestionnaireResponse), a DocumentReference per file, the signed fee
    agreement (Consent) and the review's status (Task): bot/exports/fhir.py."""
    settings = _settings(request)
    _detail(case_id, settings)  # 404 for an unknown case
    bundle = fhir.case_bundle(case_id, settings)
    _audit(request, "api.case.fhir", [case_id])
    return JSONResponse(bundle, media_type="application/fhir+json")


@router.get("/cases/{case_id}/consents")
def get_consents(request: Request, case_id: int):
    """Every fee-agreement signature on the case, newest first, with the exact text the
    parent saw and signed (fee and phone filled in) and its SHA-256."""
    settings = _settings(request)
    _detail(case_id, settings)  # 404 for no such case
    _audit(request, "api.case.consents", [case_id])
    return consent.signatures(case_id, settings.database_url)


@router.get("/outbox", response_model=List[OutboxOut])
def get_outbox(request: Request, limit: int = Query(100, ge=1, le=1000),
               case_id: Optional[int] = None):
    """Every outgoing message (dev outbox and delivery log), newest first."""
    if case_id is not None and not valid_id(case_id):
        return []  # no case has this id, so no message either
    messages = notifier.outbox(limit=limit, case_id=case_id, url=_settings(request).database_url)
    _audit(request, "api.outbox", sorted({m["case_id"] for m in messages if m["case_id"]})
           or [None], messages=len(messages))
    return messages


class UnlockOut(BaseModel):
    id: int
    link_version: int


@router.post("/cases/{case_id}/unlock-link", response_model=UnlockOut)
def unlock_link(request: Request, case_id: int):
    """After checking who is calling: clear the case's wrong birth-date tries and its
    link re-sends, revoke older links and send the parent a fresh one (chat channel, and
    email when known)."""
    settings = _settings(request)
    _detail(case_id, settings)  # 404 for an unknown case
    intake.reopen_link(case_id, settings)
    _audit(request, "api.case.unlock_link", [case_id])
    return {"id": case_id, "link_version": cases.link_version(case_id, url=settings.database_url)}
