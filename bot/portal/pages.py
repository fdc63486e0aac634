"""The parent's pages under /u/<token>: birth-date gate, checklist, questionnaire,
consent and uploads. Every POST needs the session's CSRF token."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect
from starlette.responses import RedirectResponse, Response

from bot import cases, checklist
from bot.portal import bodies, consent, dicom, form, gate, session, uploads
from bot.portal.links import check_link
from bot.portal.notices import documents_complete
from bot.portal.views import PortalError, case_page, render
from bot.scrub import scrub_text
from bot.settings import Settings

router = APIRouter(include_in_schema=False)
UPLOAD_KINDS = checklist.DOCUMENT_KINDS
CASE_FULL = ("We already have a lot of files for this request, so we cannot take more "
             "here. Please call our coordinator at {phone}, {hours}.")


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _confirm(case_ids: list[int], settings: Settings) -> None:
    for case_id in case_ids:
        documents_complete(case_id, settings)


def _open(request: Request, token: str, *,
          authed: bool = True) -> tuple[int, int, Optional[session.PortalSession]]:
    """Link check, then the session."""
    settings = _settings(request)
    case_id, version = check_link(token, settings)
    sess = session.load(request, settings, case_id, version)
    if authed and not (sess and sess.authed):
        raise PortalError(403, "signed_out")
    return case_id, version, sess


async def _open_form(request: Request, token: str, *, authed: bool = True):
    """A small form's POST: link and session first, and only then the capped body
    (MAX_FORM_BYTES) and its CSRF token. Returns (case id, version, session, fields)."""
    case_id, version, sess = await run_in_threadpool(_open, request, token, authed=authed)
    if sess is None:  # no cookie: the CSRF check cannot pass, so do not read the body
        raise PortalError(403, "stale_form")
    posted = await bodies.read_form(request, _settings(request).max_form_bytes)
    if not session.csrf_ok(sess, posted.get(session.CSRF_FIELD)):
        raise PortalError(403, "stale_form")
    return case_id, version, sess, posted


def _locked(settings: Settings, case_id: int, version: int) -> bool:
    # Counted per case: a fresh link version opens nothing (see bot/portal/gate.py).
    return gate.is_locked(case_id, settings.dob_max_tries, settings.database_url)


def _gate_page(request: Request, token: str, sess: session.PortalSession,
               error: Optional[str] = None, status: int = 200) -> Response:
    response = render(request, "gate.html", {"token": token, "csrf": sess.csrf,
                                             "error": error}, status)
    session.save(response, sess, _settings(request), token)
    return response


@router.get("/u/{token}")
def show(request: Request, token: str, saved: Optional[str] = None, n: int = 0) -> Response:
    settings = _settings(request)
    case_id, version, sess = _open(request, token, authed=False)
    if sess and sess.authed:
        return case_page(request, token, case_id, sess, settings, saved=saved, count=n)
    if _locked(settings, case_id, version):
        raise PortalError(429, "too_many_tries")
    return _gate_page(request, token, sess or session.new_session(case_id, version))


def _child_birth_date(case_id: int, settings: Settings) -> Optional[str]:
    summary = cases.case_summary(case_id, url=settings.database_url)
    if summary["child"]["birth_date"]:
        return summary["child"]["birth_date"]
    answers = cases.questionnaire_of(case_id, url=settings.database_url)["answers"]
    value = answers.get("child_birth_date")
    return str(value)[:10] if value else None


@router.post("/u/{token}/birth-date")
async def birth_date(request: Request, token: str) -> Response:
    settings = _settings(request)
    case_id, version, sess, posted = await _open_form(request, token, authed=False)
    if await run_in_threadpool(_locked, settings, case_id, version):
        raise PortalError(429, "too_many_tries")
    typed = gate.parse_birth_date(str(posted.get("birth_date") or ""))
    if typed is None:
        return _gate_page(request, token, sess, "Please type the date like this: 03/05/2015.",
                          400)
    expected = await run_in_threadpool(_child_birth_date, case_id, settings)
    if expected is None:
        raise PortalError(403, "no_birth_date")
    result = await run_in_threadpool(gate.record_try, case_id, typed.isoformat() == expected,
                                     settings.dob_max_tries, settings.database_url)
    if result.locked:
        raise PortalError(429, "too_many_tries")
    if not result.ok:
        tries = "1 more try" if result.tries_left == 1 else f"{result.tries_left} more tries"
        return _gate_page(request, token, sess, "That date does not match what we have. "
                          f"Please check it and try again. You have {tries}.", 400)
    response = RedirectResponse(f"/u/{token}", status_code=303)
    session.save(response, sess.signed_in(), settings, token)
    return response


@router.post("/u/{token}/questionnaire")
async def questionnaire(request: Request, token: str) -> Response:
    settings = _settings(request)
    case_id, _, sess, posted = await _open_form(request, token)

    def work():
        summary = cases.case_summary(case_id, url=settings.database_url)
        linked = cases.case_summary(summary["linked_case_id"], url=settings.database_url) \
            if summary["linked_case_id"] else None
        state, errors, finished = form.save(summary, linked, posted, settings)
        _confirm(finished, settings)
        return state, errors

    state, errors = await run_in_threadpool(work)
    # Say so when a card or SSN was taken out (form.save scrubs every answer).
    saved = "questionnaire_scrubbed" if any(
        scrub_text(str(v)) != str(v) for k, v in posted.multi_items()
        if k != session.CSRF_FIELD) else "questionnaire"
    if errors:
        return await run_in_threadpool(case_page, request, token, case_id, sess, settings,
                                       saved=saved if saved != "questionnaire" else None,
                                       state=state, form_errors=errors, status=400)
    return RedirectResponse(f"/u/{token}?saved={saved}#questionnaire", status_code=303)


@router.post("/u/{token}/consent")
async def sign_consent(request: Request, token: str) -> Response:
    settings = _settings(request)
    case_id, _, sess, posted = await _open_form(request, token)
    name = str(posted.get("signer_name") or "")
    errors = consent.check_signature(name, posted.get("agree"))
    if errors:
        return await run_in_threadpool(case_page, request, token, case_id, sess, settings,
                                       consent_errors=errors, signer_name=name, status=400)

    def work():
        program = cases.case_summary(case_id, url=settings.database_url)["program"]
        received = consent.sign(case_id, program, name, request.client.host
                                if request.client else None,
                                request.headers.get("user-agent"), settings)
        _confirm([case_id] if received.documents_received else [], settings)

    await run_in_threadpool(work)
    return RedirectResponse(f"/u/{token}?saved=consent#consent", status_code=303)


@router.post("/u/{token}/upload/{kind}")
async def upload(request: Request, token: str, kind: str) -> Response:
    settings = _settings(request)
    if kind not in UPLOAD_KINDS:
        raise PortalError(404, "not_found")
    case_id, _, sess = await run_in_threadpool(_open, request, token)
    files, used = await run_in_threadpool(cases.upload_usage, case_id, settings.database_url)
    room = settings.max_case_upload_bytes - used
    if room <= 0 or files >= settings.max_case_documents:
        raise PortalError(413, "upload_refused", detail=CASE_FULL)
    max_total = min(4 * settings.max_upload_bytes, room) + 1024 * 1024
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_total:
        raise PortalError(413, "upload_refused", detail="These files are too big all "
                          "together. Please send fewer files at a time.")
    folder = Path(settings.upload_dir) / str(case_id)
    await run_in_threadpool(folder.mkdir, 0o700, True, True)
    try:
        received = uploads.MultipartUpload(request.headers.get("content-type", ""), folder,
                                           min(settings.max_upload_bytes, room),
                                           lambda posted: session.csrf_ok(sess, posted),
                                           max_files=min(uploads.MAX_FILES_PER_POST,
                                                         settings.max_case_documents - files))
        await uploads.receive(request.stream(), received, max_total)
    except uploads.UploadError as exc:
        raise PortalError(exc.status, "upload_refused", detail=exc.message) from exc
    except ClientDisconnect:
        return Response(status_code=400)
    if not received.csrf_passed:
        await received.abort()
        raise PortalError(403, "stale_form")
    await received.keep_within(room, CASE_FULL.format(phone=settings.coordinator_phone,
                                                      hours=settings.coordinator_hours.rstrip(".")))
    summary = await run_in_threadpool(cases.case_summary, case_id, url=settings.database_url)
    await received.check_contents(summary["child"], dicom.ZipLimits.of(settings))

    def record():
        finished = []
        for f in received.stored:
            result = cases.add_document(case_id, kind, f.original_name, f.stored_name,
                                        f.content_type, f.size, f.sha256, f.flags,
                                        url=settings.database_url)
            if result.documents_received:
                finished.append(case_id)
        _confirm(finished, settings)

    await run_in_threadpool(record)
    if received.rejected or not received.stored:
        rejected = received.rejected or [uploads.Rejected(
            "", "Please choose at least one file.", 400)]
        status = rejected[0].status
        return render(request, "upload_result.html", {
            "token": token, "kind": kind, "stored": received.stored, "rejected": rejected,
            "allowed": uploads.ALLOWED,
            "max_size": uploads.human_size(settings.max_upload_bytes)}, status)
    return RedirectResponse(f"/u/{token}?saved={kind}&n={len(received.stored)}#uploads",
                            status_code=303)
