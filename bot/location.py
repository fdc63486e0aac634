"""ZIP code -> state and county, and the "Atlanta area" county test.

Offline: the `zipcodes` package ships the USPS ZIP data. Pure Python, no Rasa.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

import zipcodes

# The 11 core counties of the Atlanta Regional Commission: the service's
# "Atlanta area", whose families are offered a visit rather than a document review.
ATLANTA_REGIONAL_COMMISSION_COUNTIES = (
    "Cherokee", "Clayton", "Cobb", "DeKalb", "Douglas", "Fayette",
    "Forsyth", "Fulton", "Gwinnett", "Henry", "Rockdale",
)

_ZIP_RE = re.compile(r"(\d{5})(?:-\d{4})?")


@dataclass(frozen=True)
class ZipInfo:
    zip: str
    state: str  # two-letter code, e.g. "GA"
    county: str  # as the USPS data names it, e.g. "Bibb County"
    city: str


def lookup_zip(zip_code: str) -> Optional[ZipInfo]:
    """State/county/city of a 5-digit ZIP (or ZIP+4); None if unknown or malformed."""
    m = _ZIP_RE.fullmatch((zip_code or "").strip())
    if not m:
        return None
    try:
        rows = zipcodes.matching(m.group(1))
    except (ValueError, TypeError):  # zipcodes raises on malformed input
        return None
    # Retired ZIPs stay in the data marked inactive; prefer a live one.
    rows = sorted(rows, key=lambda row: not row.get("active", True))
    if not rows:
        return None
    row = rows[0]
    return ZipInfo(zip=row["zip_code"], state=row["state"],
                   county=row.get("county") or "", city=row.get("city") or "")


def normalise_county(name: str) -> str:
    """"DeKalb County", "De Kalb", "dekalb co." -> "dekalb"."""
    name = re.sub(r"\b(county|co|parish)\b\.?", " ", (name or "").lower())
    return re.sub(r"[^a-z]", "", name)


def in_counties(info: ZipInfo, counties: Iterable[str]) -> bool:
    """Whether the ZIP's county is one of `counties` (names compared loosely)."""
    wanted = {normalise_county(c) for c in counties}
    return normalise_county(info.county) in wanted - {""}
