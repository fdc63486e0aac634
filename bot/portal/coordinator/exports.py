"""/coordinator/cases/{id}/summary.pdf: the printable case summary for the review team
(bot/exports/summary_pdf.py), for any signed-in staff member. Shown inline (the
browser's PDF viewer prints it), never cached, and audited as case.export.pdf."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.exports import summary_pdf
from bot.portal.coordinator import auth, case_page
from bot.staff.sessions import Staff

router = APIRouter(prefix=auth.PREFIX + "/cases", include_in_schema=False)


@router.get("/{case_id}/summary.pdf")
def case_summary(request: Request, case_id: str,
                 staff: Staff = Depends(auth.require_staff())) -> Response:
    number = auth.id_in_path(case_id, case_page.NOT_FOUND)
    try:
        summary = summary_pdf.build(number, auth.settings_of(request))
    except LookupError:
        raise auth.StaffError(404, case_page.NOT_FOUND) from None
    case_page.audit_case(request, staff, "case.export.pdf", number)
    # The reference is SO-YYYY-NNNN (bot/references.py): safe in a quoted file name.
    return Response(summary.pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{summary.reference}-summary.pdf"',
        "Cache-Control": "no-store"})
