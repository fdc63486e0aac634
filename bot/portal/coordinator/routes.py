"""/coordinator routes: login (GET form, POST), logout (POST), the queue (GET) and
"Mark done" on a call-back request (POST, coordinator role). Every page that shows
health information writes audit rows (bot/staff/audit.py)."""
from __future__ import annotations

from typing import Optional
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from bot import checklist
from bot.portal.coordinator import auth
from bot.portal.coordinator.views import DUE_LABELS, render
from bot.scrub import scrub_text
from bot.staff import audit, clock, due, login, queue, sessions, workflow
from bot.staff.sessions import Staff
from bot.staff.users import COORDINATOR

router = APIRouter(prefix=auth.PREFIX, include_in_schema=False)
FAILED = ("That username and password do not match an active account, or the account "
          "is locked for a while after too many wrong passwords. Please try again later "
          "or ask a coordinator.")
DUE_FILTERS = (due.DUE_SOON, due.OVERDUE)


def _login_page(request: Request, token: str, next_path: str, error: Optional[str] = None,
                username: str = "", status: int = 200) -> Response:
    response = render(request, "login.html", {"csrf": token, "next": next_path,
                                              "error": error, "username": username}, status)
    auth.set_login_cookie(response, token, auth.settings_of(request))
    return response


@router.get("/login")
def login_form(request: Request, next: Optional[str] = None) -> Response:
    token = auth.login_token(request) or auth.new_login_token()
    return _login_page(request, token, auth.safe_next(next))


@router.post("/login")
async def login_submit(request: Request) -> Response:
    settings = auth.settings_of(request)
    posted = await auth.read_form(request)
    token = auth.login_token(request)
    if not auth.tokens_match(token, posted.get(auth.CSRF_FIELD)):
        raise auth.StaffError(403, "This sign-in form has expired. Please open the sign-in "
                                   "page again.")
    username = str(posted.get("username") or "")[:64]
    next_path = auth.safe_next(str(posted.get("next") or ""))
    now, ip = clock.now(), auth.client_ip(request)
    outcome = await run_in_threadpool(login.authenticate, username,
                                      str(posted.get("password") or ""), settings, now)
    await run_in_threadpool(audit.record, outcome.username or "unknown", outcome.role or "-",
                            "login" if outcome.ok else "login_failed",
                            detail={"result": outcome.result}, ip=ip,
                            url=settings.database_url)
    if not outcome.ok:
        return _login_page(request, token, next_path, FAILED, username, 401)
    new_token = await run_in_threadpool(sessions.start, outcome.user_id, settings, now, ip)
    response = RedirectResponse(next_path, status_code=303)
    await run_in_threadpool(sessions.end, request.cookies.get(auth.SESSION_COOKIE),
                            settings.database_url)  # a session from before ends here
    auth.set_session_cookie(response, new_token, settings)
    return response


@router.post("/logout")
async def logout(request: Request, staff: Staff = Depends(auth.require_staff())) -> Response:
    await auth.checked_form(request, staff)
    response = RedirectResponse(auth.LOGIN_PATH, status_code=303)
    await run_in_threadpool(auth.end_session, request, response)
    await run_in_threadpool(audit.record, staff.username, staff.role, "logout",
                            ip=auth.client_ip(request),
                            url=auth.settings_of(request).database_url)
    return response


def _filters(request: Request) -> queue.Filters:
    args = request.query_params
    page = args.get("page", "1")
    return queue.Filters(
        program=args.get("program", "") if args.get("program") in checklist.PROGRAMS else "",
        status=args.get("status", "") if args.get("status") in workflow.LABELS else "",
        due=args.get("due", "") if args.get("due") in DUE_FILTERS else "",
        # A card number typed in the search box is never searched, shown or audited.
        flagged=args.get("flagged") == "1", q=scrub_text(args.get("q", "")[:100]),
        page=int(page) if page.isdigit() and 0 < int(page) < 100000 else 1)


@router.get("")
def queue_page(request: Request, staff: Staff = Depends(auth.require_staff())) -> Response:
    settings = auth.settings_of(request)
    filters, now = _filters(request), clock.now()
    callbacks = queue.callbacks(settings)
    rows, total = queue.cases_page(filters, settings.database_url, now)
    shown = {"filters": {k: v for k, v in vars(filters).items() if v},
             "callbacks": [c["id"] for c in callbacks], "cases": len(rows), "total": total}
    audit.record(staff.username, staff.role, "queue.view", detail=shown,
                 ip=auth.client_ip(request), url=settings.database_url, at=now)
    audit.record_many(staff.username, staff.role, "queue.list", [r["id"] for r in rows],
                      ip=auth.client_ip(request), url=settings.database_url, at=now)
    query = {k: v for k, v in (("program", filters.program), ("status", filters.status),
                               ("due", filters.due), ("flagged", "1" if filters.flagged else ""),
                               ("q", filters.q)) if v}
    pages = max(1, -(-total // queue.PAGE_SIZE))
    return render(request, "queue.html", {
        "staff": staff, "can_act": staff.role == COORDINATOR, "callbacks": callbacks,
        "cases": rows, "total": total, "filters": filters, "page": filters.page,
        "pages": pages, "query": urlencode(query),
        "program_options": [(p, p) for p in checklist.PROGRAMS],
        "status_options": list(workflow.LABELS.items()),
        "due_options": [(d, DUE_LABELS[d].capitalize()) for d in DUE_FILTERS],
        "done": request.query_params.get("done") == "1"})


CALLBACK_GONE = "This call-back request is already done or does not exist."


@router.post("/callbacks/{callback_id}/done")
async def callback_done(request: Request, callback_id: str,
                        staff: Staff = Depends(auth.require_staff(COORDINATOR))) -> Response:
    number = auth.id_in_path(callback_id, CALLBACK_GONE)  # "١" is no id here either
    await auth.checked_form(request, staff)
    settings = auth.settings_of(request)
    if not await run_in_threadpool(queue.mark_done, number, settings.database_url):
        raise auth.StaffError(404, CALLBACK_GONE)
    await run_in_threadpool(audit.record, staff.username, staff.role, "callback.done",
                            detail={"callback_id": number}, ip=auth.client_ip(request),
                            url=settings.database_url)
    return RedirectResponse(auth.PREFIX + "?done=1", status_code=303)
