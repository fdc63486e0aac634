"""Small form bodies (birth date, questionnaire, consent): capped, parsed in memory.

The cap is checked from Content-Length before reading and again while streaming, so
a huge body costs neither memory nor time. Multipart is accepted (max_files=0: a file
part is refused as soon as its headers arrive, so nothing is ever spooled to disk).
Callers check the link and session first; only then is the body read.
"""
from __future__ import annotations

from typing import AsyncIterator

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header
from starlette.datastructures import FormData
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

from bot.portal.views import PortalError

MAX_FIELDS = 500  # the questionnaire has about a hundred inputs



def too_big() -> PortalError:
    return PortalError(413, "stale_form", "This form is too long for us to take. Please go "
                                          "back, shorten your answers, and try again.")


def garbled() -> PortalError:
    return PortalError(400, "stale_form", "We could not read this form. Please go back, "
                                          "reload the page, and try again.")


def too_long(request: Request, limit: int) -> bool:
    """Content-Length says more than `limit` (or is not a number at all)."""
    length = request.headers.get("content-length")
    return length is not None and (not length.strip().isdigit() or int(length) > limit)


async def capped(stream: AsyncIterator[bytes], limit: int) -> AsyncIterator[bytes]:
    total = 0
    async for chunk in stream:
        total += len(chunk)
        if total > limit:
            raise too_big()
        yield chunk


async def read_form(request: Request, limit: int) -> FormData:
    """The posted fields; 413 past `limit` bytes, 400 for a garbled body or a file."""
    if too_long(request, limit):
        raise too_big()
    kind, _ = parse_options_header(request.headers.get("content-type") or "")
    body = capped(request.stream(), limit)
    try:
        if kind == b"multipart/form-data":
            return await MultiPartParser(request.headers, body, max_files=0,
                                         max_fields=MAX_FIELDS, max_part_size=limit).parse()
        if kind == b"application/x-www-form-urlencoded":
            return await FormParser(request.headers, body).parse()
    except (MultiPartException, FormParserError, UnicodeError, LookupError) as exc:
        raise garbled() from exc
    return FormData()  # another type: no fields, so the CSRF check refuses it
