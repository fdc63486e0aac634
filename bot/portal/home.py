"""The portal's home page (/): what the service is in a few plain lines, and the chat
widget (static/widget.js) pointed at the Rasa server's web chat channel."""
from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from starlette.responses import Response

from bot.portal.views import render
from bot.programs import fee_values, load_catalogue
from bot.settings import Settings

router = APIRouter(include_in_schema=False)


def chat_url(settings: Settings) -> str:
    """Where the widget talks to the assistant: WEB_CHAT_URL when set, else the portal's
    own address (in production the load balancer sends /webhooks/ to Rasa)."""
    url = settings.web_chat_url or settings.public_base_url
    return url.rstrip("/")


def chat_origin(settings: Settings) -> str:
    """The chat URL's origin, as a CSP source ("https://chat.example.org")."""
    parts = urlsplit(chat_url(settings))
    return f"{parts.scheme}://{parts.netloc}"


@router.get("/")
def home(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    programs = load_catalogue().programs
    context = {"chat_url": chat_url(settings), "fees": fee_values(),
               "spine": programs["spine"], "hip": programs["hip"],
               "scheduling_phone": settings.scheduling_phone}
    return render(request, "home.html", context)
