"""Where a family lives, said in words: "we live in Macon", "glynn county", "jacksonville fl".

`find_place` reads a Georgia city/town or county, a US state, or an out-of-state city
given with its state, and says how it was said (`cue`): as home, as where a doctor or
hospital is ("his surgeon in augusta"), or bare (only accepted when we just asked
where they live). `place_zip_info` turns a place into the `ZipInfo` the Atlanta-area
test in bot/location.py works on, when the place decides that test.

Offline and pure Python (no Rasa): the Georgia index is built once per process from
the USPS data of the `zipcodes` package, the same data bot/location.py reads ZIPs with.
The parts live beside this module: place_words.py (tables and cue words),
place_index.py (the index), place_tokens.py, place_candidates.py (names in the text)
and place_cues.py (how a name was said).

Reading rules, in short:
- A place counts only with a location cue: "live in/near", "we're in", "from", "in X",
  "moved to X", "X, ga", "X georgia", "X county", "X co.", "jacksonville, fl". Without
  one it counts only when `asked=True` and the message is essentially just the place.
- Town names that are also first names, everyday words or famous places elsewhere
  ("Camilla", "Plains", "Rome", "Dallas", "Portal") and all names of 4 letters or
  fewer need more than a bare "in": a home phrase ("we live in"), a doctor/hospital
  phrase, ", ga"/"county", or `asked=True`.
- Relative mentions are not home: "outside (of) atlanta", "2 hours from atlanta",
  "south of macon"; "near X" / "the X area" / "metro X" is accepted as home only for a
  place wholly outside the Atlanta area (near Atlanta can be either side of the line).
  Former homes ("moved here from Tennessee", "born in Macon") are not home either.
- One-letter typos (difflib, then an edit-distance check) in names of 6+ letters are
  accepted next to a firm cue ("we live in", a doctor phrase, ", ga", "county") or as the
  whole answer to "where do you live?"; a bare "in X" is not enough for a guess.
- A bare "in X" counts at the start of a clause or after words like "are", "been",
  "still", "yes" -- not after any noun ("rain in atlanta", "restaurants in atlanta").
- A non-ambiguous Georgia town standing alone as the last part of a longer message
  ("hip dysplasia, daughter 14, Macon") counts as home, except after "thanks,".
- Spanish cues are read too ("vivimos en Macon", "el doctor en Dalton"), and a few
  well-known cities near Georgia without their state ("we moved to Tallahassee").
- Several places: a home-cued one beats a provider-cued one beats a bare one; among
  equals the first. A state alone ("Georgia") gives way to a city/county in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from bot.location import ZipInfo, normalise_county
from bot.place_candidates import _Cand, _exact_candidates, _fuzzy_candidates, _state_at
from bot.place_cues import _classify
from bot.place_index import _arc_keys, _nospace, _touches_atlanta_area
from bot.place_tokens import _Tok, _tokenize
from bot.place_words import _AMBIGUOUS, _COMMON_WORDS, _FILLER, _PREPS, _SPANISH_PREPS


@dataclass(frozen=True)
class Place:
    name: str                  # as we would say it back: "Macon", "Glynn County", "Florida"
    state: str                 # two-letter: "GA", "FL"
    counties: tuple[str, ...]  # USPS county names ("Bibb County"); () for a state/out-of-state
    kind: str                  # "city" | "county" | "state"
    cue: str                   # "home" | "provider" | "bare"


# --------------------------------------------------------------------------- find_place

_RANK = {"home": 0, "provider": 1, "bare": 2}


def _is_ambiguous(c: _Cand) -> bool:
    if c.kind != "city" or c.state != "GA":
        return False
    return c.key in _AMBIGUOUS or len(_nospace(c.key)) <= 4


def _drop_contained(cands: list[_Cand]) -> list[_Cand]:
    order = sorted(cands, key=lambda c: (-(c.end - c.start), c.fuzzy, c.state != "GA",
                                         c.kind == "state", c.start))
    kept: list[_Cand] = []
    for c in order:
        if any(k.start <= c.start and c.end <= k.end for k in kept):
            continue
        kept.append(c)
    return kept


_CLOSINGS = {"thanks", "thank", "thx", "ty", "regards", "sincerely", "best", "love", "cheers",
             "blessings", "signed", "respectfully", "gracias", "atentamente"}
# Town names that are popular first names: never read from a message's last words alone
# ("Thanks, Savannah" is a signature).
_NAME_LIKE = {"savannah", "dalton", "tucker", "griffin", "colbert", "cornelia", "roberta",
              "augusta", "marietta", "georgia", "austell", "kathleen", "cecil", "jesup",
              "hazlehurst", "lavonia", "alpharetta", "luthersville", "dillard", "hartwell",
              "tyrone", "darien", "zebulon", "fitzgerald", "townsend", "rutledge"}


_LIST_UNITS = {"degrees", "degree", "deg", "yo", "yr", "yrs", "years", "old", "months", "mos"}


def _sign_off_place(toks: list[_Tok], c: _Cand) -> bool:
    """A Georgia town standing alone as the last part of a longer message: "daughter 14,
    Macon", "... needs tendon lengthening. Waycross", "... 55 degrees douglasville".
    Not for names that are also first names or words, nor after "thanks," (a signature)."""
    if c.state != "GA" or c.kind != "city" or c.end != len(toks) or c.start == 0 or c.fuzzy:
        return False
    prev = toks[c.start - 1].low
    # its own part of the message, or after a number in a telegraphic list
    # ("son 17 scoliosis 55 degrees douglasville")
    if not (toks[c.start].sep_before or prev[:1].isdigit() or prev in _LIST_UNITS):
        return False
    if _is_ambiguous(c) or c.key in _COMMON_WORDS or c.key in _NAME_LIKE:
        return False
    k = c.start - 1  # the part before: its words
    before = []
    while k >= 0:
        before.append(toks[k].low)
        if toks[k].sep_before:
            break
        k -= 1
    return not (set(before) & _CLOSINGS) and c.start >= 3


def find_place(text: str, asked: bool = False) -> Optional[Place]:
    """The place the message says the family lives in (or, cue="provider", where their
    doctor is), or None. `asked`: we just asked where they live, so a message that is
    only a place name counts."""
    toks = _tokenize((text or "")[:5000])
    if not toks:
        return None
    cands = _drop_contained(_exact_candidates(toks))

    # Typos next to a cue or a qualifier, where no exact name was found.
    covered = {k for c in cands for k in range(c.start, c.end)}
    starts, ends = [], []
    for i, t in enumerate(toks):
        is_prep = t.low in _PREPS or t.low in _SPANISH_PREPS or t.low == "de"
        if is_prep and i + 1 < len(toks) and toks[i + 1].sep_before != ".":
            k = i + 1
            while k < len(toks) and toks[k].low in {"the", "city", "town", "of"}:
                k += 1
            starts.append(k)
        if t.low in {"ga", "georgia", "county", "co"} or (
                i > 0 and _state_at(toks, i, after_name=True)):
            ends.append(i)
    if asked and len(toks) <= 4:
        starts.append(0)
    fuzzy = _fuzzy_candidates(toks, starts, ends, covered)
    if fuzzy:
        cands = _drop_contained(cands + fuzzy)

    # Only the place (and filler) in the message?
    covered = {k for c in cands for k in range(c.start, c.end)}
    only_place = asked and bool(cands) and all(
        k in covered or toks[k].low in _FILLER for k in range(len(toks)))

    accepted: list[tuple] = []
    for c in cands:
        cue = _classify(toks, c.start, c.name_end)
        if cue.kind in {"relative", "former"}:
            continue
        if cue.near and (c.kind == "state" or _touches_atlanta_area(c.counties)):
            continue  # "near atlanta" can be either side of the line; "near florida" is not in it
        if c.kind == "state" and len(c.key) == 2 and not (
                cue.prep in {"in", "from", "to"} or only_place):
            continue  # a two-letter code alone only as "in FL", "from SC", "moved to TN"
        if cue.kind == "home":  # "we live in", "we're in", "moved to"
            ok, said = True, "home"
        elif cue.kind == "provider":  # "his surgeon in augusta"
            ok, said = c.qualified or c.key not in _COMMON_WORDS, "provider"
        elif c.qualified:  # "brunswick, ga", "glynn county", "jacksonville fl"
            ok, said = True, "home"
        elif cue.kind == "weak":  # a bare "in X" / "from X" / "near X"
            ok, said = (not _is_ambiguous(c) and not c.fuzzy) or only_place, "home"
        elif _sign_off_place(toks, c):  # "hip dysplasia, daughter 14, Macon"
            ok, said = True, "home"
            cue.loose = True
        else:
            ok, said = only_place, "bare"
        if ok:
            # "I'm from Alabama but we live in Columbus", "his dad lives in Florida, we
            # live in Macon": a firm "we live in" ranks before a looser home mention.
            firm = cue.kind == "home" and not cue.loose and not cue.near
            accepted.append((_RANK[said], not firm, c.start, c, said))
    if not accepted:
        return None
    # A state alone gives way to a city or county in it said at least as firmly.
    accepted = [a for a in accepted if not (
        a[3].kind == "state" and any(b[3].kind != "state" and b[3].state == a[3].state
                                     and b[0] <= a[0] for b in accepted))]
    *_, best, said = min(accepted, key=lambda a: a[:3])
    return Place(name=best.name, state=best.state, counties=tuple(best.counties),
                 kind=best.kind, cue=said)


def place_zip_info(place: Optional[Place]) -> Optional[ZipInfo]:
    """A ZipInfo (zip="") standing in for a ZIP, when the place settles the Atlanta-area
    test: one county, or several all inside (or all outside) the Atlanta area (the first
    is used). None for a Georgia place with counties on both sides, or Georgia alone.
    Another state: ZipInfo with that state and no county."""
    if place is None:
        return None
    if place.state != "GA":
        return ZipInfo(zip="", state=place.state, county="", city=place.name)
    if not place.counties:
        return None
    inside = {normalise_county(c) in _arc_keys() for c in place.counties}
    if len(inside) != 1:
        return None
    return ZipInfo(zip="", state="GA", county=place.counties[0], city=place.name)
