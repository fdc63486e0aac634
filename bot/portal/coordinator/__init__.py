"""The coordinator workspace at /coordinator: staff sign-in, the queue (server-rendered
Jinja2, plain HTML forms, no script). `mount(app)` adds the routes and the handler that
turns StaffError into a redirect, a page or JSON."""
from __future__ import annotations

from fastapi import FastAPI
from starlette.requests import Request

from bot.portal.coordinator import auth, case_page, routes, views
from bot.portal.coordinator import actions  # the case's POST actions
from bot.portal.coordinator import exports  # the printable case summary (PDF)
from bot.staff import hours


def mount(app: FastAPI) -> None:
    settings = app.state.settings
    hours.parse(settings.coordinator_schedule)  # a bad COORDINATOR_SCHEDULE stops start-up
    app.include_router(routes.router)
    app.include_router(actions.router)
    app.include_router(case_page.router)
    app.include_router(exports.router)

    @app.exception_handler(auth.StaffError)
    async def staff_error(request: Request, exc: auth.StaffError):
        return views.error_response(request, exc)
