"""Rendering for the workspace: its own templates (templates/), times in the
coordinator's time zone, and StaffError as a redirect, JSON or a page."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Optional
from zoneinfo import ZoneInfo

from phonenumbers import NumberParseException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from bot.phones import display
from bot.staff import due

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
TEMPLATES.env.trim_blocks = TEMPLATES.env.lstrip_blocks = True
DUE_LABELS = {due.ON_TIME: "on time", due.DUE_SOON: "due soon", due.OVERDUE: "overdue"}
FLAG_LABELS = {"red_flag": "Red flag", "home_outside_service_area": "Outside service area"}
TITLES = {401: "Please sign in", 403: "Not allowed", 404: "Not found",
          413: "Form too long", 400: "Could not read the form"}


def _local(value: Optional[dt.datetime], tz: str) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc).astimezone(ZoneInfo(tz))


def local_time(value: Optional[dt.datetime], tz: str) -> str:
    """Naive UTC -> 'Dec 7, 2026, 2:05 PM' in the coordinator's time zone."""
    if value is None:
        return ""
    local = _local(value, tz)
    return f"{local:%b} {local.day}, {local.year}, {int(local.strftime('%I'))}:{local:%M %p}"


def local_date(value: Optional[dt.datetime], tz: str) -> str:
    if value is None:
        return ""
    local = _local(value, tz)
    return f"{local:%b} {local.day}, {local.year}"


def phone(e164: Optional[str]) -> str:
    """US numbers as people write them; anything else as stored."""
    if not e164:
        return ""
    try:
        return display(e164) if e164.startswith("+1") else e164
    except NumberParseException:
        return e164


TEMPLATES.env.filters["local_time"] = local_time
TEMPLATES.env.filters["phone"] = phone
TEMPLATES.env.filters["local_date"] = local_date
TEMPLATES.env.globals.update(DUE_LABELS=DUE_LABELS, FLAG_LABELS=FLAG_LABELS)


def render(request: Request, name: str, context: dict, status: int = 200) -> Response:
    settings = request.app.state.settings
    context = {"tz": settings.coordinator_timezone, "staff": None, **context}
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def error_response(request: Request, exc) -> Response:
    if exc.to:
        response: Response = RedirectResponse(exc.to, status_code=303)
        response.headers["Cache-Control"] = "no-store"
        return response
    if exc.json:
        return JSONResponse({"detail": exc.message}, status_code=exc.status)
    return render(request, "staff_error.html",
                  {"title": TITLES.get(exc.status, "Something went wrong"),
                   "message": exc.message}, exc.status)
