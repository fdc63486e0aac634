"""Upload links: PUBLIC_BASE_URL + /u/<token>, the token signed with itsdangerous.

The token carries {"case": id, "v": link_version} and its signing time. It is refused
when the signature is wrong (LinkInvalid -> 404), older than LINK_MAX_AGE_DAYS
(LinkExpired -> 410), or when the case's link_token_version moved on since it was
made (cases.revoke_links, cases.resend_links; LinkRevoked -> 410). The action server
and the portal share the key: PORTAL_SECRET_KEY, or one made at first use in
var/portal_secret.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Optional

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot import cases
from bot.portal.ids import valid_id
from bot.settings import REPO_ROOT, Settings, get_settings

SALT = "upload-link"
SECRET_FILE = REPO_ROOT / "var" / "portal_secret"


class LinkError(Exception):
    status_code = 404


class LinkInvalid(LinkError):
    """Not a link we made (typo, cut off, tampered with)."""


class LinkExpired(LinkError):
    status_code = 410


class LinkRevoked(LinkExpired):
    """A newer link was sent, or the coordinator closed the old ones."""


def secret_key(settings: Settings, path: Optional[Path] = None) -> str:
    """PORTAL_SECRET_KEY, else a random key kept in a 0600 file (made once, race-safe)."""
    if settings.portal_secret_key:
        return settings.portal_secret_key
    path = Path(path or SECRET_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Written in full under a private name, then linked into place: a process starting
        # at the same moment sees either no file or the whole key, never an empty one.
        # os.link fails if the file appeared meanwhile; the first key made wins.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".portal_secret.")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(tmp)
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key; delete it to make a new one")
    return key


def serializer(settings: Settings, salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key(settings), salt=salt)


def make_token(case_id: int, version: int, settings: Optional[Settings] = None) -> str:
    return serializer(settings or get_settings()).dumps({"case": int(case_id), "v": int(version)})


def upload_url(case_id: int, version: Optional[int] = None,
               settings: Optional[Settings] = None) -> str:
    """A newly signed link for the case (a new LINK_MAX_AGE_DAYS window), carrying the
    current link version or the one just made for a fresh link (cases.resend_links)."""
    settings = settings or get_settings()
    if version is None:
        version = cases.link_version(case_id, url=settings.database_url)
    return f"{settings.public_base_url}/u/{make_token(case_id, version, settings)}"


def read_token(token: str, settings: Settings) -> tuple[int, int]:
    """(case id, link version) of a well-signed, unexpired token; does not touch the DB."""
    max_age = int(settings.link_max_age_days * 86400)
    try:
        data = serializer(settings).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkExpired("link expired") from exc
    except BadSignature as exc:
        raise LinkInvalid("bad link") from exc
    # Signed by us, yet only ids a database can hold count (no bool, nothing past 2^63).
    if not isinstance(data, dict) or not valid_id(data.get("case")) \
            or not (valid_id(data.get("v")) or data.get("v") == 0):
        raise LinkInvalid("bad link")
    return data["case"], data["v"]


def check_link(token: str, settings: Settings) -> tuple[int, int]:
    """read_token, then the case must exist and the version must be the current one."""
    case_id, version = read_token(token, settings)
    try:
        current = cases.link_version(case_id, url=settings.database_url)
    except LookupError as exc:
        raise LinkInvalid("no such case") from exc
    if version != current:
        raise LinkRevoked("link revoked")
    return case_id, version
