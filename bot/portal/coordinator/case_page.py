"""/coordinator/cases/{id}: one case, read-only, for coordinators and reviewers; its
documents downloaded (attachment) or previewed (inline, with the type the bytes say).

Every response showing health information writes an audit row: case.view, document.view
(preview, DICOM frame), document.download. Files are found from the database row only
(case_view.stored_path), never from the request. Ids that are not plain numbers are 404,
like unknown ones.

PDF preview: the portal's CSP has object-src 'none' (no <object>/<embed>) and every
response carries frame-ancestors 'none' and X-Frame-Options DENY (no <iframe> of our own
preview). So a PDF opens inline in a new tab (top-level, the browser's PDF viewer);
images are shown in the page with <img> (img-src 'self').
"""
from __future__ import annotations

from typing import Optional
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from bot.portal.coordinator import actions, auth, case_view
from bot.portal.coordinator.views import render
from bot.staff import audit, clock
from bot.staff.sessions import Staff

router = APIRouter(prefix=auth.PREFIX + "/cases", include_in_schema=False)
NOT_FOUND = "There is no such case, or no such document on it."


def _id(value: str) -> int:
    return auth.id_in_path(value, NOT_FOUND)


def audit_case(request: Request, staff: Staff, action: str, case_id: int,
           document_id: Optional[int] = None) -> None:
    audit.record(staff.username, staff.role, action, case_id=case_id,
                 detail={"document_id": document_id} if document_id else None,
                 ip=auth.client_ip(request), url=auth.settings_of(request).database_url)


@router.get("/{case_id}")
def case_page(request: Request, case_id: str,
              staff: Staff = Depends(auth.require_staff())) -> Response:
    number = _id(case_id)
    settings = auth.settings_of(request)
    page = case_view.build(number, settings, clock.now())
    if page is None:
        raise auth.StaffError(404, NOT_FOUND)
    audit_case(request, staff, "case.view", number)  # before the trail: it lists this visit
    page["audit"], page["audit_total"] = case_view.audit_trail(
        number, settings.database_url, everything=request.query_params.get("audit") == "all")
    page["actions"] = actions.section_context(number, staff, settings.database_url)
    return render(request, "case.html", {"staff": staff, **page})


def _file(request: Request, case_id: str, doc_id: str) -> tuple[int, dict, object]:
    found = case_view.document_file(_id(case_id), _id(doc_id), auth.settings_of(request))
    if found is None:
        raise auth.StaffError(404, NOT_FOUND)
    return (_id(case_id), *found)


def _disposition(kind: str, name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name; quotes and controls dropped."""
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                    for c in name) or "document"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


@router.get("/{case_id}/documents/{doc_id}/download")
def download(request: Request, case_id: str, doc_id: str,
             staff: Staff = Depends(auth.require_staff())) -> Response:
    number, doc, path = _file(request, case_id, doc_id)
    audit_case(request, staff, "document.download", number, doc["id"])
    return FileResponse(path, media_type="application/octet-stream", headers={
        "Content-Disposition": _disposition("attachment", doc["name"]),
        "Cache-Control": "no-store"})


@router.get("/{case_id}/documents/{doc_id}/preview")
def preview(request: Request, case_id: str, doc_id: str,
            staff: Staff = Depends(auth.require_staff())) -> Response:
    number, doc, path = _file(request, case_id, doc_id)
    kind = case_view.sniffed_type(path)
    if kind is None:  # HEIC, DICOM, ZIP: browsers cannot show them; download instead
        raise auth.StaffError(404, "This file cannot be shown in the browser. Download it.")
    audit_case(request, staff, "document.view", number, doc["id"])
    return FileResponse(path, media_type=kind, headers={
        "Content-Disposition": _disposition("inline", doc["name"]),
        "Cache-Control": "no-store"})


@router.get("/{case_id}/documents/{doc_id}/frame.png")
async def dicom_frame(request: Request, case_id: str, doc_id: str,
                      staff: Staff = Depends(auth.require_staff())) -> Response:
    number, doc, path = await run_in_threadpool(_file, request, case_id, doc_id)
    png = await run_in_threadpool(case_view.dicom_png, path) \
        if doc["content_type"] == "application/dicom" else None
    if png is None:
        raise auth.StaffError(404, "No preview can be made of this file. Download it.")
    await run_in_threadpool(audit_case, request, staff, "document.view", number, doc["id"])
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})
