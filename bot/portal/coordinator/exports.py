"""A case's exports for any signed-in staff member, never cached, each audited:
/coordinator/cases/{id}/summary.pdf, the printable summary for the review team
(bot/exports/summary_pdf.py), shown inline so the browser's viewer prints it
(case.export.pdf); /coordinator/cases/{id}/fhir.json, the FHIR R4 Bundle
(bot/exports/fhir.py), downloaded (case.export.fhir)."""
from __future__ import annotations

from typing import Callable, TypeVar

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, Response

from bot.exports import fhir, summary_pdf
from bot.portal.coordinator import auth, case_page
from bot.settings import Settings
from bot.staff.sessions import Staff

T = TypeVar("T")

router = APIRouter(prefix=auth.PREFIX + "/cases", include_in_schema=False)


def _export(request: Request, case_id: str, staff: Staff, make: Callable[[int, Settings], T],
            action: str) -> T:
    """The export of a case, or 404 (unknown or odd id: no audit row); audited."""
    number = auth.id_in_path(case_id, case_page.NOT_FOUND)
    try:
        made = make(number, auth.settings_of(request))
    except LookupError:
        raise auth.StaffError(404, case_page.NOT_FOUND) from None
    case_page.audit_case(request, staff, action, number)
    return made


@router.get("/{case_id}/summary.pdf")
def case_summary(request: Request, case_id: str,
                 staff: Staff = Depends(auth.require_staff())) -> Response:
    summary = _export(request, case_id, staff, summary_pdf.build, "case.export.pdf")
    # The reference is SO-YYYY-NNNNN (bot/references.py): safe in a quoted file name.
    return Response(summary.pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{summary.reference}-summary.pdf"',
        "Cache-Control": "no-store"})


@router.get("/{case_id}/fhir.json")
def case_fhir(request: Request, case_id: str,
              staff: Staff = Depends(auth.require_staff())) -> Response:
    bundle = _export(request, case_id, staff, fhir.case_bundle, "case.export.fhir")
    reference = bundle["identifier"]["value"]
    return JSONResponse(bundle, media_type="application/fhir+json", headers={
        "Content-Disposition": f'attachment; filename="{reference}-fhir.json"',
        "Cache-Control": "no-store"})
