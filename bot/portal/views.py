"""Rendering: Jinja2 templates, the plain-language error pages, and the case page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from bot import cases
from bot.checklist import DOCUMENT_KINDS, LABELS
from bot.portal import consent, form, uploads
from bot.portal.session import PortalSession
from bot.programs import load_catalogue
from bot.settings import Settings

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
LOCAL_TIME = ZoneInfo("America/New_York")  # the hospital's time (Georgia)

KIND_LABELS = LABELS  # one list of labels, shared with the chat
UPLOAD_HELP = {
    "referral": "A letter or form from your child's regular doctor that asks for this review.",
    "medical_records": "Visit notes, test results and reports from your child's doctors.",
    "imaging": "Pictures and reports from X-rays, MRI, CT or ultrasound. If your images "
               "are on a CD, zip the DICOM folder and send the ZIP file.",
}
URGENT = ("One of your answers may be a sign that your child needs care right away. "
          "Please call 911 or go to the nearest emergency room now. Your child's safety "
          "comes first. You can come back to this page later.")
SAVED = {
    "questionnaire": "Thank you. We saved your answers.",
    "consent": "Thank you. We saved your fee agreement.",
    "questionnaire_scrubbed": "We saved your answers. We took out a number that looked like a "
                              "card or Social Security number. We never need those here, and "
                              "nothing was charged. Our coordinator takes the fee by phone.",
}

# code -> (title, message); {phone} and {hours} are the coordinator's.
ERRORS = {
    "not_found": ("We cannot find this page",
                  "This link does not work. Please check that you copied all of it. "
                  "You can also ask the assistant for a new link."),
    "revoked": ("This link was replaced",
                "We sent you a newer link, so this one no longer works. Please open the "
                "newest link we sent you, or ask the assistant for a new link. In the "
                "chat, you can type: send me the link again."),
    "expired": ("This link has expired",
                "Links stop working after a while to keep your child's records safe. "
                "Please ask the assistant for a new link. In the chat, you can type: "
                "send me the link again."),
    "too_many_tries": ("Too many tries",
                       "The birth date did not match too many times. To keep your child's "
                       "records safe, this link is now locked. Please call our coordinator "
                       "at {phone}, {hours}."),
    "stale_form": ("Please try again",
                   "This page was open too long. Please go back, reload the page, and try "
                   "again."),
    "signed_out": ("Please open your link again",
                   "For safety, we need your child's birth date again. Please open the "
                   "link we sent you."),
    "no_birth_date": ("We cannot open this page yet",
                      "We do not have your child's birth date yet. Please finish the "
                      "questions in the chat, or call our coordinator at {phone}, {hours}."),
    "upload_refused": ("We could not take your files", ""),
    "server_error": ("Something went wrong",
                     "Please try again in a few minutes. If it keeps happening, call our "
                     "coordinator at {phone}, {hours}."),
}


class PortalError(Exception):
    def __init__(self, status: int, code: str, detail: Optional[str] = None):
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail


def local_time(iso: Optional[str]) -> str:
    """'2026-03-05T19:02:11Z' -> 'Mar 5, 2026 at 2:02 PM' (Eastern time)."""
    if not iso:
        return ""
    when = dt.datetime.fromisoformat(iso.rstrip("Z")).replace(tzinfo=dt.timezone.utc)
    local = when.astimezone(LOCAL_TIME)
    hour = local.strftime("%I").lstrip("0")
    return f"{local:%b} {local.day}, {local.year} at {hour}:{local:%M %p}"


TEMPLATES.env.trim_blocks = TEMPLATES.env.lstrip_blocks = True
TEMPLATES.env.filters["local_time"] = local_time
TEMPLATES.env.filters["human_size"] = uploads.human_size


def render(request: Request, name: str, context: dict, status: int = 200) -> Response:
    settings: Settings = request.app.state.settings
    context = {"coordinator_phone": settings.coordinator_phone,
               "coordinator_hours": settings.coordinator_hours, **context}
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def error_page(request: Request, status: int, code: str, detail: Optional[str] = None) -> Response:
    settings: Settings = request.app.state.settings
    title, message = ERRORS.get(code, ERRORS["server_error"])
    # The hours may end with a period ("... 5 p.m."): the sentence adds its own.
    message = (detail or message).format(phone=settings.coordinator_phone,
                                         hours=settings.coordinator_hours.rstrip("."))
    return render(request, "error.html", {"title": title, "message": message, "code": code},
                  status)


def _flash(saved: Optional[str], count: int) -> Optional[str]:
    if saved in DOCUMENT_KINDS:
        files = "1 file" if count == 1 else f"{count} files"
        return f"Thank you. We got {files} for: {KIND_LABELS[saved]}."
    return SAVED.get(saved or "")


def case_page(request: Request, token: str, case_id: int, sess: PortalSession,
              settings: Settings, *, saved: Optional[str] = None, count: int = 0,
              state: Optional[dict] = None, form_errors: Optional[dict] = None,
              consent_errors: Optional[dict] = None, signer_name: str = "",
              status: int = 200) -> Response:
    """Checklist, questionnaire, fee agreement and upload forms for one case."""
    url = settings.database_url
    detail = cases.case_detail(case_id, url=url)
    linked = cases.case_summary(detail["linked_case_id"], url=url) \
        if detail["linked_case_id"] else None
    state = state or form.state_of(detail, linked, settings)
    program = load_catalogue().programs[detail["program"]]
    text = consent.consent_text(detail["program"], settings)
    docs_by_kind = {kind: [d for d in detail["documents"] if d["kind"] == kind]
                    for kind in DOCUMENT_KINDS}
    context = {
        "token": token, "csrf": sess.csrf, "case": detail, "program": program,
        "checklist": [{**item, "label": KIND_LABELS.get(item["kind"], item["kind"])}
                      for item in detail["checklist"]],
        "flash": _flash(saved, count),
        "urgent": URGENT if (saved == "questionnaire" or form_errors)
        and form.red_flags(state) else None,
        "sections": form.sections(state, form_errors),
        # Posted back: an answer changed in the chat after the page was shown is not undone.
        "answers_revision": state.get("revision", ""),
        "form_errors": form_errors or {},
        "consent_blocks": consent.blocks(text), "consent_version": consent.VERSION,
        "signed": consent.latest(case_id, url),
        "consent_errors": consent_errors or {}, "signer_name": signer_name,
        "upload_kinds": [{"kind": k, "label": KIND_LABELS[k], "help": UPLOAD_HELP[k],
                          "documents": docs_by_kind[k]} for k in DOCUMENT_KINDS],
        "allowed": uploads.ALLOWED, "max_size": uploads.human_size(settings.max_upload_bytes),
    }
    return render(request, "case.html", context, status)
