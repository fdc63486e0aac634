"""The coordinator's actions on one case (POST /coordinator/cases/{id}/...): status
changes, the fee taken by phone, the opinion letter, notes, and messages back to the
family. Coordinator role and the CSRF token on every one; each is audited. A refusal
is a page with the message (StaffError), never a 500; success goes back to the case.

`section_context(case_id, staff)` gives templates/case_actions.html what it shows.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Depends, Request
from sqlalchemy import delete, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from starlette.responses import RedirectResponse, Response

from bot import cases, checklist
from bot.db import Case, Document, session_scope
from bot.portal import dicom, uploads
from bot.portal.coordinator import auth
from bot.programs import load_catalogue
from bot.settings import get_settings
from bot.staff import audit, clock, family, notes, workflow
from bot.staff.sessions import Staff
from bot.staff.users import COORDINATOR

router = APIRouter(prefix=auth.PREFIX + "/cases", include_in_schema=False)
NOT_FOUND = "There is no such case."
MAX_LETTER_BYTES = 50 * 1024 ** 2
PDF = "application/pdf"
# Moves with their own form (they need more than a click).
OWN_FORM = {workflow.FEE_COLLECTED: "fee", workflow.OPINION_SENT: "opinion letter"}


def _id(value: str) -> int:
    return auth.id_in_path(value, NOT_FOUND)


def _back(case_id: int) -> Response:
    return RedirectResponse(f"{auth.PREFIX}/cases/{case_id}#actions", status_code=303)


def _status_of(case_id: int, url: str) -> str:
    with session_scope(url) as session:
        status = session.execute(select(Case.status).where(Case.id == case_id)).scalar()
    if status is None:
        raise auth.StaffError(404, NOT_FOUND)
    return status


def _open_case(case_id: int, url: str) -> None:
    """Nothing more goes to a family whose case is closed, withdrawn or not eligible."""
    if _status_of(case_id, url) in workflow.FINAL:
        raise auth.StaffError(409, "This case is finished; nothing more is sent to the "
                                   "family.")


async def _change(request: Request, staff: Staff, case_id: int, to: str,
                  details: dict) -> workflow.Changed:
    settings = auth.settings_of(request)
    try:
        return await run_in_threadpool(workflow.change, case_id, to, staff.username,
                                       staff.role, details, clock.now(),
                                       settings.database_url, auth.client_ip(request))
    except workflow.Refused as exc:
        raise auth.StaffError(409, exc.message) from None
    except LookupError:
        raise auth.StaffError(404, NOT_FOUND) from None


def _audit(request: Request, staff: Staff, action: str, case_id: int,
           detail: Optional[dict] = None) -> None:
    audit.record(staff.username, staff.role, action, case_id=case_id, detail=detail,
                 ip=auth.client_ip(request), url=auth.settings_of(request).database_url)


@router.post("/{case_id}/status")
async def status(request: Request, case_id: str,
                 staff: Staff = Depends(auth.require_staff(COORDINATOR))) -> Response:
    number = _id(case_id)
    posted = await auth.checked_form(request, staff)
    to = str(posted.get("to") or "")
    if to in OWN_FORM:
        raise auth.StaffError(400, f"Use the {OWN_FORM[to]} form for this step.")
    try:
        reason = workflow.clean_text(posted.get("reason"), "reason")
    except workflow.Refused as exc:
        raise auth.StaffError(400, exc.message) from None
    details = {"reason": reason} if reason else {}
    if to == workflow.ASSIGNED:
        details["team"] = str(posted.get("team") or "")
    await _change(request, staff, number, to, details)
    return _back(number)


@router.post("/{case_id}/fee")
async def fee(request: Request, case_id: str,
              staff: Staff = Depends(auth.require_staff(COORDINATOR))) -> Response:
    number = _id(case_id)
    posted = await auth.checked_form(request, staff)
    try:
        details = workflow.fee_details(posted.get("collected_on"), posted.get("amount"),
                                       posted.get("collected_by"), clock.now().date())
    except workflow.Refused as exc:
        raise auth.StaffError(400, exc.message) from None
    summary = await run_in_threadpool(_summary, request, number)
    warning = workflow.fee_warning(summary["program"], details["amount_usd"])
    if warning:  # kept on the timeline, where the coordinator sees it
        details["warning"] = warning
    await _change(request, staff, number, workflow.FEE_COLLECTED, details)
    return _back(number)


def _summary(request: Request, case_id: int) -> dict:
    try:
        return cases.case_summary(case_id, url=auth.settings_of(request).database_url)
    except LookupError:
        raise auth.StaffError(404, NOT_FOUND) from None


@router.post("/{case_id}/opinion")
async def opinion(request: Request, case_id: str,
                  staff: Staff = Depends(auth.require_staff(COORDINATOR))) -> Response:
    number = _id(case_id)
    settings = auth.settings_of(request)
    current = await run_in_threadpool(_status_of, number, settings.database_url)
    if workflow.OPINION_SENT not in workflow.allowed(current):
        raise auth.StaffError(409, "The opinion letter can be sent once the case is in "
                                   "review.")
    folder = Path(settings.upload_dir) / str(number)
    await run_in_threadpool(folder.mkdir, 0o700, True, True)
    limit = min(settings.max_upload_bytes, MAX_LETTER_BYTES)
    try:
        received = uploads.MultipartUpload(
            request.headers.get("content-type", ""), folder, limit,
            lambda posted: auth.tokens_match(staff.csrf, posted), max_files=1)
        await uploads.receive(request.stream(), received, limit + 1024 * 1024)
    except uploads.UploadError as exc:
        raise auth.StaffError(exc.status, exc.message) from None
    except ClientDisconnect:
        return Response(status_code=400)
    if not received.csrf_passed:
        await received.abort()
        raise auth.StaffError(403, "This form has expired. Please reload the page and try "
                                   "again.")
    letter = received.stored[0] if len(received.stored) == 1 else None
    refused = letter and await run_in_threadpool(
        uploads.check_file, letter, {}, dicom.ZipLimits.of(settings))
    if letter is None or letter.content_type != PDF or refused or received.rejected \
            or not await run_in_threadpool(_whole_pdf, letter.path):
        await received.abort()
        raise auth.StaffError(400, "Please attach the opinion letter as one PDF file.")
    document_id = await run_in_threadpool(_keep_letter, number, letter, settings.database_url)
    try:
        await _change(request, staff, number, workflow.OPINION_SENT,
                      {"document_id": document_id})
    except auth.StaffError:
        await run_in_threadpool(_drop_letter, document_id, letter, settings.database_url)
        raise
    await run_in_threadpool(_audit, request, staff, "document.upload", number,
                            {"document_id": document_id, "kind": checklist.OPINION_LETTER})
    await run_in_threadpool(family.opinion_ready, number, staff.username, settings)
    return _back(number)


def _whole_pdf(path: Path) -> bool:
    """A PDF that was written to the end: the family is told once it is kept, so a cut-off
    upload or four bytes of "%PDF" must not pass for the letter."""
    with open(path, "rb") as fh:
        head = fh.read(5)
        fh.seek(max(path.stat().st_size - 2048, 0))
        tail = fh.read()
    return head == b"%PDF-" and b"%%EOF" in tail


def _keep_letter(case_id: int, letter: uploads.StoredFile, url: str) -> int:
    try:
        return cases.add_document(case_id, checklist.OPINION_LETTER, letter.original_name,
                                  letter.stored_name, letter.content_type, letter.size,
                                  letter.sha256, letter.flags, url=url).id
    except BaseException:
        letter.path.unlink(missing_ok=True)  # no file without its row
        raise


def _drop_letter(document_id: int, letter: uploads.StoredFile, url: str) -> None:
    """Another coordinator moved the case meanwhile: the letter was not sent."""
    with session_scope(url) as session:
        session.execute(delete(Document).where(Document.id == document_id))
    letter.path.unlink(missing_ok=True)


@router.post("/{case_id}/notes")
async def add_note(request: Request, case_id: str,
                   staff: Staff = Depends(auth.require_staff(COORDINATOR))) -> Response:
    number = _id(case_id)
    posted = await auth.checked_form(request, staff)
    settings = auth.settings_of(request)
    try:
        added = await run_in_threadpool(notes.add, number, str(posted.get("text") or ""),
                                        staff.username, clock.now(), settings.database_url)
    except ValueError as exc:
        raise auth.StaffError(400, str(exc)) from None
    except LookupError:
        raise auth.StaffError(404, NOT_FOUND) from None
    await run_in_threadpool(_audit, request, staff, "case.note", number,
                            {"note_id": added.note_id, "scrubbed": added.scrubbed})
    return _back(number)


@router.post("/{case_id}/resend-link")
async def resend_link(request: Request, case_id: str,
                      staff: Staff = Depends(auth.require_staff(COORDINATOR))) -> Response:
    number = _id(case_id)
    await auth.checked_form(request, staff)
    settings = auth.settings_of(request)
    await run_in_threadpool(_open_case, number, settings.database_url)
    await run_in_threadpool(family.resend_link, number, staff.username, settings)
    await run_in_threadpool(_audit, request, staff, "case.link_resent", number)
    return _back(number)


@router.post("/{case_id}/ask")
async def ask_for_item(request: Request, case_id: str,
                       staff: Staff = Depends(auth.require_staff(COORDINATOR))) -> Response:
    number = _id(case_id)
    posted = await auth.checked_form(request, staff)
    settings = auth.settings_of(request)
    await run_in_threadpool(_open_case, number, settings.database_url)
    item = str(posted.get("item") or "")
    try:
        await run_in_threadpool(family.ask_for_item, number, item, staff.username, settings)
    except ValueError as exc:
        raise auth.StaffError(400, str(exc)) from None
    await run_in_threadpool(_audit, request, staff, "case.item_requested", number,
                            {"item": item})
    return _back(number)


def section_context(case_id: int, staff: Staff, url: Optional[str] = None) -> dict:
    """What case_actions.html needs (the case page includes it). url: the portal's
    database (settings.database_url); defaults to the environment's."""
    url = url or get_settings().database_url
    with session_scope(url) as session:
        case = session.get(Case, case_id)
        current, program = case.status, case.program
        fee = {"on": case.fee_collected_on, "amount": case.fee_amount_usd,
               "by": case.fee_collected_by, "team": case.assigned_team}
        missing = [(i.kind, checklist.LABELS[i.kind]) for i in case.checklist
                   if i.status == checklist.MISSING and i.kind in checklist.LABELS]
    moves = workflow.allowed(current)
    return {
        "case_id": case_id, "status": current, "status_label": workflow.LABELS.get(
            current, current), "can_act": staff.role == COORDINATOR, "csrf": staff.csrf,
        "moves": [(s, workflow.LABELS[s]) for s in moves if s not in OWN_FORM],
        "can_take_fee": workflow.FEE_COLLECTED in moves,
        "can_send_opinion": workflow.OPINION_SENT in moves,
        "final": current in workflow.FINAL, "teams": list(checklist.PROGRAMS),
        "expected_fee": _fee_of(program),
        "fee": fee, "missing": missing, "notes": notes.for_case(case_id, url),
        "timeline": workflow.timeline(case_id, url), "labels": workflow.LABELS,
        "today": clock.now().date().isoformat(), "staff_name": staff.username}


def _fee_of(program: str) -> Optional[int]:
    found = load_catalogue().programs.get(program)
    return found.fee_usd if found else None
