"""Where a place name stands in a tokenized message (bot/places.py): exact Georgia towns
and counties, states, and out-of-state cities with their state, plus one-typo guesses
next to a cue or a qualifier."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Optional

from bot.location import normalise_county
from bot.place_index import _index, _nospace
from bot.place_tokens import _Tok
from bot.place_words import (
    STATES, _AMBIGUOUS, _CAPS_CODES, _EXPAND, _FORMER_WORDS, _HOME_WORDS, _MOVE_WORDS,
    _NEARBY_CITIES, _PREPS, _PROVIDER_WORDS, _STATE_NAMES, _WORD_CODES,
)
from bot.typos import within_one_edit


# --------------------------------------------------------------------------- candidates

@dataclass
class _Cand:
    start: int
    end: int              # exclusive; includes the qualifier ("ga", "county", "fl")
    name_end: int         # exclusive end of the name itself
    name: str
    state: str
    counties: tuple[str, ...]
    kind: str
    qualified: bool       # "X, ga", "X county", "X fl": a location cue in itself
    fuzzy: bool = False
    key: str = ""


def _span_ok(toks: list[_Tok], s: int, e: int) -> bool:
    """A name does not run across punctuation and does not end in a possessive."""
    if e > len(toks):
        return False
    if any(toks[k].sep_before for k in range(s + 1, e)):
        return False
    if any(not toks[k].low.isalpha() for k in range(s, e)):
        return False
    return not toks[e - 1].possessive


def _span_key(toks: list[_Tok], s: int, e: int) -> str:
    return " ".join(_EXPAND.get(t.low, t.low) for t in toks[s:e])


def _state_at(toks: list[_Tok], i: int, after_name: bool) -> Optional[tuple[str, int]]:
    """A state named at token i: (code, end index) or None. `after_name`: right after a
    city/county name, where two-letter codes are read more freely."""
    if i >= len(toks):
        return None
    for n in (3, 2, 1):
        if i + n > len(toks) or any(toks[k].sep_before for k in range(i + 1, i + n)):
            continue
        phrase = " ".join(t.low for t in toks[i:i + n])
        if phrase in _STATE_NAMES:
            return _STATE_NAMES[phrase], i + n
    tok = toks[i]
    code = tok.low.upper()
    if len(tok.low) == 2 and code in STATES:
        caps = tok.raw.isupper()
        if tok.low in _WORD_CODES:
            ok = after_name and (caps or tok.sep_before == ",")
        elif tok.low in _CAPS_CODES:
            ok = caps or after_name
        else:
            ok = True
        if ok:
            return code, i + 1
    return None


_COUNTY_WORDS = {"county", "co", "cnty", "cty"}


def _ga_qualifier(toks: list[_Tok], e: int) -> int:
    """End index after an optional ", ga" / "georgia" following a Georgia name at e."""
    if e < len(toks) and toks[e].sep_before != "." and toks[e].low in {"ga", "georgia"} \
            and not toks[e].possessive:
        return e + 1
    return e


def _exact_candidates(toks: list[_Tok]) -> list[_Cand]:
    idx = _index()
    out: list[_Cand] = []
    n = len(toks)
    for s in range(n):
        for e in range(min(n, s + 4), s, -1):
            if not _span_ok(toks, s, e):
                continue
            key = _span_key(toks, s, e)
            nospace = _nospace(key)
            nxt = toks[e] if e < n else None
            # "<name> county" / "<name> co." -> a county (Georgia, or the state after it)
            if nxt is not None and not nxt.sep_before and nxt.low in _COUNTY_WORDS:
                ck = normalise_county(key)
                after = e + 1
                state = _state_at(toks, after, after_name=True) if after < n else None
                if state and state[0] != "GA" and ck in idx.other_counties.get(state[0], {}):
                    out.append(_Cand(s, state[1], e, idx.other_counties[state[0]][ck], state[0], (),
                                     "county", True, key=key))
                elif ck in idx.ga_counties:
                    county = idx.ga_counties[ck]
                    out.append(_Cand(s, _ga_qualifier(toks, after), e, county, "GA", (county,),
                                     "county", True, key=key))
            # "<city> <state>" for another state: "jacksonville fl", "chattanooga, tennessee"
            state = _state_at(toks, e, after_name=True) if nxt is not None else None
            if state and state[0] != "GA":
                cities = idx.other_cities.get(state[0], {})
                okey = key if key in cities else \
                    idx.other_cities_nospace.get(state[0], {}).get(nospace)
                if okey:
                    out.append(_Cand(s, state[1], e, cities[okey], state[0], (), "city", True,
                                     key=okey))
            # A well-known city near Georgia, named without its state
            if key in _NEARBY_CITIES and key not in idx.ga_towns:
                code = _NEARBY_CITIES[key]
                name = idx.other_cities.get(code, {}).get(key) or key.title()
                out.append(_Cand(s, e, e, name, code, (), "city", False, key=key))
            # A Georgia town
            gkey = key if key in idx.ga_towns else idx.ga_towns_nospace.get(nospace)
            if gkey:
                town = idx.ga_towns[gkey]
                end = _ga_qualifier(toks, e)
                out.append(_Cand(s, end, e, town.name, "GA", town.counties, "city", end > e,
                                 key=gkey))
            # A state on its own: "florida", "in FL", "south carolina"
            if e - s <= 3:
                st = _state_at(toks, s, after_name=False)
                if st and st[1] == e:
                    words = " ".join(t.low for t in toks[s:e])
                    out.append(_Cand(s, e, e, STATES[st[0]], st[0], (), "state", False, key=words))
    return out


def _close(word: str, vocab: dict) -> Optional[str]:
    """The one entry of vocab (nospace key -> value) within one typo of word; never for
    names (or typed words) shorter than 6 letters."""
    if len(word) < 6:
        return None
    pool = [k for k in vocab if len(k) >= 6 and abs(len(k) - len(word)) <= 1]
    hits = [k for k in difflib.get_close_matches(word, pool, n=5, cutoff=0.8) if within_one_edit(word, k)]
    if len(hits) != 1:
        return None
    return vocab[hits[0]]


# Words that are never a misspelt place, even next to "in"/"from".
_NOT_PLACES = _PREPS | _HOME_WORDS | _PROVIDER_WORDS | _FORMER_WORDS | _MOVE_WORDS | {
    "school", "church", "work", "there", "where", "between", "general", "person", "public",
    "hospital", "county", "state", "georgia", "atlanta", "about", "before", "during",
    "children", "little", "middle", "family", "another", "office", "private", "process",
    "trouble", "second", "spring", "summer", "winter", "autumn", "august", "fourth", "within",
    "online", "phone", "inside", "around", "across", "through", "pretty", "better",
}


def _fuzzy_candidates(toks: list[_Tok], starts: Iterable[int], ends: Iterable[int],
                      covered: set) -> list[_Cand]:
    """Typo'd names starting right after a cue (starts) or ending right before a
    qualifier (ends)."""
    idx = _index()
    # Never guess at a name that is also a first name or a word ("Adrian", "Ranger").
    ga_vocab = {k: k for k, key in idx.ga_towns_nospace.items()
                if key not in _AMBIGUOUS and len(k) > 4}
    state_vocab = {_nospace(k): k for k in _STATE_NAMES if len(k) >= 6}
    out: list[_Cand] = []
    n = len(toks)
    spans = set()
    for s in starts:
        spans.update((s, s + L) for L in (1, 2, 3))
    for e in ends:
        spans.update((e - L, e) for L in (1, 2, 3))
    for s, e in sorted(spans):
        if s < 0 or e > n or s in covered or not _span_ok(toks, s, e):
            continue
        if any(toks[k].low in _NOT_PLACES or k in covered for k in range(s, e)):
            continue
        key = _span_key(toks, s, e)
        word = _nospace(key)
        nxt = toks[e] if e < n else None
        if nxt is not None and not nxt.sep_before and nxt.low in _COUNTY_WORDS:
            ck = _close(word, {k: k for k in idx.ga_counties})
            if ck:
                county = idx.ga_counties[ck]
                out.append(_Cand(s, _ga_qualifier(toks, e + 1), e, county, "GA", (county,),
                                 "county", True, fuzzy=True, key=ck))
                continue
        state = _state_at(toks, e, after_name=True) if nxt is not None else None
        if state and state[0] != "GA":
            okey = _close(word, idx.other_cities_nospace.get(state[0], {}))
            if okey:
                out.append(_Cand(s, state[1], e, idx.other_cities[state[0]][okey], state[0], (),
                                 "city", True, fuzzy=True, key=okey))
                continue
        hit = _close(word, ga_vocab)
        if hit:
            gkey = idx.ga_towns_nospace[hit]
            town = idx.ga_towns[gkey]
            end = _ga_qualifier(toks, e)
            out.append(_Cand(s, end, e, town.name, "GA", town.counties, "city", end > e,
                             fuzzy=True, key=gkey))
            continue
        hit = _close(word, state_vocab)
        if hit:
            code = _STATE_NAMES[hit]
            out.append(_Cand(s, e, e, STATES[code], code, (), "state", False, fuzzy=True, key=hit))
    return out
