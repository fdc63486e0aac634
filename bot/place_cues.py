"""How a place was said in a message (bot/places.py): the words around a name tell home,
a doctor's or hospital's place, a former home, a relative mention ("south of macon"),
or nothing."""
from __future__ import annotations

from dataclasses import dataclass

from bot.place_index import _index
from bot.place_tokens import _Tok
from bot.place_words import (
    _CAME_WORDS, _DIRECTIONS, _DISTANCE, _FORMER_WORDS, _HOME_WORDS, _LEAD_OK, _MOVE_WORDS,
    _NEAR_AFTER, _NEAR_BEFORE, _PREPS, _PROVIDER_WORDS, _SKIP_BEFORE, _SPANISH_PREPS,
    _STATE_NAMES,
)


# --------------------------------------------------------------------------- cues

@dataclass
class _Cue:
    kind: str          # "home" | "weak" | "provider" | "former" | "relative" | "none"
    near: bool = False
    article: bool = False  # "in the X"
    prep: str = ""        # the preposition before the name, if any
    loose: bool = False  # a home said loosely: "from X", "his dad lives in X", a bare "in X"


def _back_window(toks: list[_Tok], j: int, size: int = 6) -> list[int]:
    """Indexes j, j-1, ... back to a sentence boundary, at most `size` of them."""
    out = []
    k = j
    while k >= 0 and len(out) < size:
        out.append(k)
        if toks[k].sep_before == ".":
            break
        k -= 1
    return out


def _classify(toks: list[_Tok], s: int, e: int) -> _Cue:
    cue = _Cue("none")
    j = s - 1
    # "metro atlanta", "the city of macon", "north macon", "suburbs of atlanta"
    while j >= 0 and toks[j + 1].sep_before != "." and toks[j + 1].sep_before != ",":
        w = toks[j].low
        if w == "of":
            prev = toks[j - 1].low if j >= 1 else ""
            # "south of macon", "outside of atlanta", "the other side of macon" -- but
            # "the east side of atlanta" is in it (read as near)
            if prev in _DIRECTIONS or (prev in {"outside", "side"} and not (
                    j >= 2 and toks[j - 2].low in {"east", "west", "north", "south"})):
                return _Cue("relative")
            if prev in _DISTANCE or (
                    j >= 2 and toks[j - 2].low in _DISTANCE and prev in _DIRECTIONS):
                return _Cue("relative")
            if prev in _NEAR_BEFORE or prev in {"side", "area"}:
                cue.near = True
            j -= 1
            continue
        if w in _NEAR_BEFORE:
            cue.near = True
            j -= 1
            continue
        if w in _SKIP_BEFORE:
            if w == "the":
                cue.article = True
            j -= 1
            continue
        break
    # "the macon area", "atlanta metro"
    if e < len(toks) and toks[e].low in _NEAR_AFTER and not toks[e].sep_before:
        cue.near = True
    if j < 0 or toks[j + 1].sep_before == ".":
        return _post_provider(toks, e, cue)
    p = _SPANISH_PREPS.get(toks[j].low, toks[j].low)
    if p == "de":  # "somos de Macon", "cerca de Savannah", "a una hora de Atlanta"
        prev = toks[j - 1].low if j >= 1 else ""
        if prev in {"fuera", "afuera", "lejos"} or prev in _DISTANCE:
            return _Cue("relative")
        if prev == "cerca":
            cue.near, p, j = True, "near", j - 1
        elif prev in {"somos", "soy", "venimos", "vengo"}:
            return _Cue("home", loose=True, prep="from")
        else:
            return _post_provider(toks, e, cue)
    cue.prep = p if p in _PREPS else ""
    before = [toks[k].low for k in range(max(0, j - 3), j)]
    if p == "outside" or (p == "of" and before[-1:] == ["outside"]):
        return _Cue("relative")
    if p in {"from", "of", "to"} and (set(before) & _DISTANCE):
        return _Cue("relative")
    if p in _DIRECTIONS and j >= 1 and toks[j - 1].low in _DISTANCE:
        return _Cue("relative")  # "an hour south macon" (the "of" dropped)
    if p in {"near", "nearby", "around", "by"} or (p == "to" and before[-1:] == ["close"]):
        cue.near = True
        if p == "by" and before[-1:] not in (["live"], ["lives"], ["right"]):
            return _post_provider(toks, e, cue)
    elif p not in _PREPS:
        if p in {"live", "lives"}:  # "we live macon" (not "we live between ...")
            cue.kind = "weak"
            return cue
        return _post_provider(toks, e, cue)

    window = _back_window(toks, j - 1) if j >= 1 else []
    if p == "from":
        cue.loose = True
        words = [toks[k].low for k in window]
        if set(words[:5]) & (_CAME_WORDS | _FORMER_WORDS):
            return _Cue("former")
        for k in window:
            w = toks[k].low
            if w in _PROVIDER_WORDS:
                cue.kind = "provider"
                return cue
            if w in {"are", "am"} or w in _HOME_WORDS:
                cue.kind = "home"
                return cue
        cue.kind = "weak" if _leads(toks, j) else "none"
        return _post_provider(toks, e, cue)
    if p == "to" and not cue.near:
        for k in window:
            w = toks[k].low
            if w in _MOVE_WORDS:
                cue.kind = "home"
                return cue
            if w in _PROVIDER_WORDS or w in {"referred", "sent"}:
                cue.kind = "provider"
                return cue
        return _post_provider(toks, e, cue)
    # in / on / at / near / around
    for k in window:
        w = toks[k].low
        prev = toks[k - 1].low if k >= 1 else ""
        if w in _FORMER_WORDS:
            return _Cue("former")
        used_to = prev == "to" and k >= 2 and toks[k - 2].low == "used"
        if w in {"live", "lived", "living"} and used_to:
            return _Cue("former")
        if w in _HOME_WORDS or (w == "are" and prev in {"we", "they"}) or (
                w == "am" and prev == "i") or (w == "were" and prev != "we"):
            cue.kind = "home"
            # "my ex lives in florida": someone's home, maybe not the family's
            cue.loose = w in {"lives", "resides", "stays"} or prev == "they"
            return cue
        if w in _PROVIDER_WORDS or (w == "children" and toks[k].possessive):
            cue.kind = "provider"
            return cue
    weak = p in {"in", "near", "nearby", "around", "by"} or cue.near
    cue.kind = "weak" if weak and _leads(toks, j) else "none"
    return _post_provider(toks, e, cue)


def _leads(toks: list[_Tok], j: int) -> bool:
    """Whether the preposition at j starts a clause or follows a word that lets a bare
    "in X" say where someone is."""
    if j == 0 or toks[j].sep_before or toks[j - 1].low in _LEAD_OK:
        return True
    prev = toks[j - 1].low  # "just outside atlanta in covington"
    return prev in _index().ga_towns or prev in _STATE_NAMES


def _post_provider(toks: list[_Tok], e: int, cue: _Cue) -> _Cue:
    """"the augusta doctor", "in savannah for his surgery": a doctor/hospital word just
    after the name, when nothing before it said home."""
    if cue.kind in {"home", "provider"}:
        return cue
    for k in range(e, min(len(toks), e + 4)):
        if toks[k].sep_before or toks[k].low in {"and", "but", "or", "so", "we", "i", "y"}:
            break
        if toks[k].low in _PROVIDER_WORDS - {"see", "saw", "seen", "visit", "ray", "rays", "pa",
                                             "team", "practice", "office", "followed"}:
            cue.kind = "provider"
            return cue
    return cue
