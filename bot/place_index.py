"""The Georgia (and other states') town and county index that bot/places.py reads names
against, built once per process from the USPS data of the `zipcodes` package, with the
name-key helpers it is keyed by and the Atlanta-area county test."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import zipcodes

from bot.location import ATLANTA_REGIONAL_COMMISSION_COUNTIES, normalise_county
from bot.place_words import _ALIASES, _DROP, _EXPAND, _NOT_GA_COUNTIES


# --------------------------------------------------------------------------- indexes

def _key(name: str) -> str:
    """"St. Marys" -> "saint marys"; "Warner-Robins" -> "warner robins"."""
    name = re.sub(r"[.'\u2019]", "", (name or "").lower())
    words = re.findall(r"[a-z0-9]+", name)
    return " ".join(_EXPAND.get(w, w) for w in words)


def _nospace(key: str) -> str:
    return key.replace(" ", "")


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


_DISPLAY = {"lagrange": "LaGrange", "la fayette": "LaFayette", "mc rae helena": "McRae-Helena"}


def _display(name: str) -> str:
    """USPS spelling -> as we would say it: "Mcdonough" -> "McDonough",
    "Saint Simons Island" -> "St. Simons Island"."""
    if _key(name) in _DISPLAY:
        return _DISPLAY[_key(name)]
    name = re.sub(r"\bMc ?([a-z])", lambda m: "Mc" + m.group(1).upper(), name)
    return re.sub(r"^Saint ", "St. ", name)


@dataclass(frozen=True)
class _GaTown:
    name: str
    counties: tuple[str, ...]


@dataclass(frozen=True)
class _Index:
    ga_towns: dict            # key -> _GaTown
    ga_towns_nospace: dict    # nospace key -> key
    ga_counties: dict         # normalise_county key -> "Bibb County"
    other_cities: dict        # state -> {key: display name}
    other_cities_nospace: dict  # state -> {nospace key: key}
    other_counties: dict      # state -> {normalise_county key: "Jefferson County"}


@lru_cache(maxsize=1)
def _index() -> _Index:
    rows = zipcodes.list_all()
    ga_rows = [r for r in rows if r.get("state") == "GA"]

    # Canonical spelling of each Georgia county: "DeKalb County" over "Dekalb County".
    spellings: dict[str, Counter] = defaultdict(Counter)
    for r in ga_rows:
        county = r.get("county") or ""
        if county:
            spellings[normalise_county(county)][county] += 1
    canonical = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
    ga_counties = {k: v for k, v in canonical.items() if k not in _NOT_GA_COUNTIES}

    town_counties: dict[str, Counter] = defaultdict(Counter)
    primary_names: dict[str, str] = {}
    alias_primaries: dict[str, Counter] = defaultdict(Counter)
    for r in ga_rows:
        county = canonical.get(normalise_county(r.get("county") or ""), "")
        primary = r.get("city") or ""
        pkey = _key(primary)
        if pkey:
            primary_names.setdefault(pkey, primary)
        for city in [primary] + list(r.get("acceptable_cities") or []):
            key = _key(city)
            if not key:
                continue
            if county:
                # A town's own ZIPs first: Rossville is Walker County, though a Catoosa
                # County ZIP also accepts the name.
                town_counties[key][county] += 1000 if key == pkey else 1
            else:
                town_counties.setdefault(key, Counter())
            if key != pkey:
                alias_primaries[key][primary] += 1

    ga_towns: dict[str, _GaTown] = {}
    for key, counts in town_counties.items():
        if key in _DROP:
            continue
        if key in primary_names:
            name = primary_names[key]
        else:
            # An abbreviation ("Atl", "St Simons Is") says back as its full name;
            # another real place name listed as acceptable keeps its own spelling.
            name = None
            for primary, _n in alias_primaries[key].most_common():
                if _nospace(key)[:1] == _nospace(_key(primary))[:1] and _is_subsequence(
                        _nospace(key), _nospace(_key(primary))):
                    name = primary
                    break
            name = name or " ".join(w.capitalize() for w in key.split())
        counties = tuple(c for c, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
        ga_towns[key] = _GaTown(name=_display(name), counties=counties)
    for alias, target in _ALIASES.items():
        if target in ga_towns and alias not in ga_towns:
            ga_towns[alias] = ga_towns[target]
    ga_nospace = {}
    for key in ga_towns:
        ga_nospace.setdefault(_nospace(key), key)

    other_cities: dict[str, dict] = defaultdict(dict)
    other_counties: dict[str, dict] = defaultdict(dict)
    for r in rows:
        state = r.get("state") or ""
        if not state or state == "GA":
            continue
        for city in [r.get("city") or ""] + list(r.get("acceptable_cities") or []):
            key = _key(city)
            if key:
                other_cities[state].setdefault(key, r.get("city") if _key(r.get("city")) == key
                                               else " ".join(w.capitalize() for w in key.split()))
        county = r.get("county") or ""
        if county:
            other_counties[state].setdefault(normalise_county(county), county)
    other_nospace = {s: {_nospace(k): k for k in cities} for s, cities in other_cities.items()}
    return _Index(ga_towns=ga_towns, ga_towns_nospace=ga_nospace, ga_counties=ga_counties,
                  other_cities=dict(other_cities), other_cities_nospace=other_nospace,
                  other_counties=dict(other_counties))


@lru_cache(maxsize=1)
def _arc_keys() -> frozenset:
    return frozenset(normalise_county(c) for c in ATLANTA_REGIONAL_COMMISSION_COUNTIES)


def _touches_atlanta_area(counties: Iterable[str]) -> bool:
    return any(normalise_county(c) in _arc_keys() for c in counties)
