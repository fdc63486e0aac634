"""Where a family lives, said in words: "we live in Macon", "glynn county", "jacksonville fl".

`find_place` reads a Georgia city/town or county, a US state, or an out-of-state city
given with its state, and says how it was said (`cue`): as home, as where a doctor or
hospital is ("his surgeon in augusta"), or bare (only accepted when we just asked
where they live). `place_zip_info` turns a place into the `ZipInfo` the Atlanta-area
test in bot/location.py works on, when the place decides that test.

Offline and pure Python (no Rasa): the Georgia index is built once per process from
the USPS data of the `zipcodes` package, the same data bot/location.py reads ZIPs with.

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

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import zipcodes

from bot.location import ATLANTA_REGIONAL_COMMISSION_COUNTIES, ZipInfo, normalise_county
from bot.typos import within_one_edit


@dataclass(frozen=True)
class Place:
    name: str                  # as we would say it back: "Macon", "Glynn County", "Florida"
    state: str                 # two-letter: "GA", "FL"
    counties: tuple[str, ...]  # USPS county names ("Bibb County"); () for a state/out-of-state
    kind: str                  # "city" | "county" | "state"
    cue: str                   # "home" | "provider" | "bare"


# --------------------------------------------------------------------------- vocabulary

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
}
# Spelled-out names (and common abbreviations) -> code. "washington" alone is the
# Georgia town (or a person); the state only as "washington state".
_STATE_NAMES = {name.lower(): code for code, name in STATES.items() if code != "WA"}
_STATE_NAMES.update({
    "washington state": "WA", "washington dc": "DC", "fla": "FL", "tenn": "TN", "ala": "AL",
    "tex": "TX", "calif": "CA", "okla": "OK", "penn": "PA", "mich": "MI", "wisc": "WI",
    "minn": "MN", "conn": "CT", "ariz": "AZ", "colo": "CO", "georgia usa": "GA",
    "n carolina": "NC", "s carolina": "SC", "so carolina": "SC", "no carolina": "NC",
})
# Two-letter codes that are everyday words: never a state on their own, and after a
# city only with a comma or typed in capitals ("portland, me", "Indianapolis IN").
_WORD_CODES = {"in", "me", "or", "ok", "oh", "hi"}
# Codes that clash with abbreviations or names ("co." county, "de kalb", "la grange",
# "pa"/"ma", "mt." mount, "al"): on their own only when typed in capitals.
_CAPS_CODES = {"co", "de", "la", "pa", "ma", "mo", "mt", "al", "id", "ne", "ms", "wa", "va", "md",
               "ct"}

# Spelling variants inside names: "st. marys" = "saint marys", "ft stewart", "mt vernon".
_EXPAND = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

# Extra spellings people use for Georgia towns -> the USPS name.
_ALIASES = {
    "saint simons": "saint simons island", "saint simon": "saint simons island",
    "saint simons islands": "saint simons island",
    "tybee": "tybee island", "jekyll": "jekyll island", "skidaway island": "savannah",
    "wilmington": "wilmington island",
}
# USPS names too ambiguous to read: Buckhead (a Morgan County town, but usually the
# Atlanta neighbourhood), "North Metro" (a postal name, not a place people live).
# "Between" (a word far more often than the Walton County town), and postal names of
# bases, colleges, firms and the airport, where no family says they live.
_DROP = {"buckhead", "north metro", "between", "fingerhut", "atlanta bmc", "hartsfield",
         "south base", "executive park", "dobbins afb", "moody afb", "robins afb", "robins a f b",
         "hunter aaf", "kings bay", "abraham baldwin college"}
# Well-known cities near Georgia that people name without their state ("we moved to
# Tallahassee"); only names that are not also Georgia towns.
_NEARBY_CITIES = {
    "tallahassee": "FL", "pensacola": "FL", "panama city": "FL", "orlando": "FL", "tampa": "FL",
    "miami": "FL", "chattanooga": "TN", "memphis": "TN", "birmingham": "AL", "montgomery": "AL",
    "huntsville": "AL", "tuscaloosa": "AL", "dothan": "AL", "phenix city": "AL", "eufaula": "AL",
    "opelika": "AL", "charleston": "SC", "myrtle beach": "SC", "aiken": "SC",
    "north augusta": "SC", "hilton head": "SC", "hilton head island": "SC", "spartanburg": "SC",
    "asheville": "NC", "raleigh": "NC",
}
# Counties in the Georgia rows that are not Georgia counties (a PO box across the line).
_NOT_GA_COUNTIES = {"cleburne"}

# Georgia town names that are also first names, everyday words or famous places
# elsewhere: a bare "in X" is not enough for them (see module docstring). Names of
# four letters or fewer are treated the same way without being listed.
_AMBIGUOUS_WORDS = """
adrian alamo alapaha allentown alma alston alto ambrose appling arabi argyle arlington
auburn avera axson baldwin barney bartow berlin bethlehem bishop bluffton blythe bogart
boston bowman bremen bristol brookfield brooks buchanan butler byron cairo calhoun calvary
camilla canon carlton cecil chester chula cisco clayton clermont cleveland climax cobb
coleman collins colquitt columbia comer commerce concord conley coolidge cordele cotton
crandall crawford crescent cumming daisy dallas damascus danville dawson dearing denton
dexter dixie douglas dover dudley eden edison elko emerson enigma epworth evans
experiment fargo farmington felton fleming flintstone forsyth franklin garfield gay geneva
georgetown gibson girard glenn glenwood gordon gough gray grayson hagan hamilton hampton
haralson harlem harrison helen hiram hoboken homer howard hull ideal ila jackson
jacksonville jasper jefferson jersey jewell juliette kathleen kingston kite knoxville
lebanon lenox leslie lexington lilly lincolnton louisville lovejoy lula lumpkin lyons
madison manchester manor mansfield marshallville martin matthews meridian midland midway
milan millwood milner mitchell monroe montezuma morgan morris morven mystic nashville
nelson newborn newton nicholson norwood oakfield oakwood oliver omaha omega oxford
palmetto parrott patterson pearson pelham pembroke perkins perry pitts plains portal
preston pulaski quitman ranger rebecca register reynolds richland rochelle rome rupert
sardis sargent scotland screven seville shannon sharon shiloh smithville sparks sparta
springfield stephens stockton summerville sumner sycamore sylvester tate temple
trenton turin waco warwick washington waverly weston white wiley williamson winston
woodland oakman dewy ocilla wildwood vienna tiger rhine dupont desoto greenville greensboro
manassas lakeland wilmington tarrytown plainfield arcade avalon carl empire homeland juniper
martinez mayfield milton payne raymond riverside huber ivey helena woodville
""".split()
_AMBIGUOUS_PHRASES = [
    "the rock", "twin city", "union city", "union point", "white oak", "white plains",
    "good hope", "sunny side", "social circle", "red oak", "iron city", "lake city",
    "ray city", "sale city", "lumber city", "junction city", "mountain city", "west point",
    "forest park", "oak park", "pine lake", "rest haven", "cherry log", "silver creek",
    "talking rock", "dry branch", "box springs", "high shoals", "west green",
    "holly springs", "cedar springs", "college park", "garden city", "north high shoals",
    "rising fawn", "marble hill", "orchard hill", "black creek", "big canoe", "smoke rise",
    "lake park", "norman park", "mountain park", "sugar hill", "rock spring", "rocky ford",
    "round oak", "edge hill", "lone oak", "sky valley",
]
_AMBIGUOUS = set(_AMBIGUOUS_WORDS) | set(_AMBIGUOUS_PHRASES)
# Everyday words a doctor phrase can precede ("his notes are in the portal"): these
# towns need a home phrase, ", ga"/"county", or the whole answer to "where do you live?".
_COMMON_WORDS = {"portal", "register", "ideal", "experiment", "climax", "enigma", "newborn",
                 "temple", "white", "gray", "manor", "ranger", "mystic", "sparks", "midway",
                 "crescent", "cotton", "concord", "commerce", "canon", "plains", "hope",
                 "omega", "tiger", "kite", "eden", "comer", "social circle", "the rock",
                 "empire", "homeland", "riverside", "arcade", "juniper", "avalon"}

_PREPS = {"in", "on", "at", "near", "from", "to", "around", "nearby", "outside", "by"}
# Spanish prepositions read as their English ones ("de" is handled on its own).
_SPANISH_PREPS = {"en": "in", "desde": "from", "cerca": "near", "afuera": "outside",
                  "fuera": "outside"}
_HOME_WORDS = {"live", "lives", "living", "lived", "reside", "resides", "residing", "resident",
               "residents", "based", "located", "stay", "stays", "staying", "home", "house",
               "here", "address", "settled", "moved", "move", "relocated",
               # Spanish: "vivimos en Macon", "estamos en Dalton", "aqui en Tifton"
               "vivimos", "vivo", "vive", "viven", "vivir", "residimos", "resido", "estamos",
               "estoy", "radicamos", "aqui", "casa"}
_FORMER_WORDS = {"born", "grew", "raised", "previously", "formerly", "originally",
                 "nacio", "naci", "nacimos", "crecimos", "viviamos", "vivia", "antes"}
_MOVE_WORDS = {"moved", "move", "moving", "relocated", "relocating"}
_CAME_WORDS = _MOVE_WORDS | {"came", "come", "transferred"}
# A bare "in X" / "near X" / "from X" is read as home only at the start of a clause or
# after one of these ("we have been in savannah", "yes, in macon", "a small town near
# macon"), not after any noun ("rain in atlanta", "restaurants in atlanta").
_LEAD_OK = {"is", "are", "am", "be", "been", "being", "were", "was", "r", "still", "currently",
            "y", "pero", "si", "tambien", "now", "also", "all", "both", "out", "down", "up",
            "over", "just", "right", "yes",
            "yeah", "yep", "we", "us", "i", "family", "town", "city", "community", "area",
            "village", "farm", "home", "hi", "hello", "hey", "greetings", "travel", "traveling",
            "travelling", "driving", "coming", "commute", "commuting", "somewhere", "based",
            "ga", "georgia", "well", "ok", "okay", "sure", "but", "and", "so"}
_PROVIDER_WORDS = {
    "doctor", "doctors", "doc", "docs", "dr", "drs", "surgeon", "surgeons", "surgery",
    "surgeries", "hospital", "hospitals", "clinic", "clinics", "specialist", "specialists",
    "pediatrician", "pediatrics", "pediatric", "pcp", "physician", "physicians", "ortho",
    "orthopedic", "orthopedics", "orthopaedic", "orthopaedics", "orthopedist", "orthopod",
    "therapist", "therapy", "pt", "chiropractor", "chiro", "practice", "office", "seen",
    "saw", "see", "seeing", "sees", "visit", "visited", "treated", "treating", "treatment",
    "appointment", "appointments", "appt", "appts", "mri", "mris", "xray", "xrays", "ray",
    "rays", "scan", "scans", "referred", "referral", "consult", "consultation", "childrens",
    "medical", "er", "emergency", "urgent", "np", "pa", "provider", "providers", "nurse",
    "team", "brace", "braced", "fitted", "diagnosed", "imaging", "radiology", "followed",
    # hospitals families name: "seen at choa in atlanta", "at shriners in greenville, sc"
    "choa", "emory", "egleston", "scottish", "shriners", "mayo", "navicent", "wellstar",
    "northside", "wolfson", "nemours", "memorial", "atrium", "archbold", "candler",
    # Spanish: "el doctor en Dalton"
    "doctora", "medico", "medica", "medicos", "cirujano", "cirujana", "clinica", "ortopedista",
    "ortopedico", "pediatra", "especialista", "cita", "cirugia", "consulta", "operaron",
    "atendieron", "hospitales",
}
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
               "southwest", "n", "s", "e", "w", "ne", "nw", "se", "sw", "northern", "southern",
               "eastern", "western", "central", "middle", "downtown"}
_DISTANCE = {"hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins", "mile", "miles",
             "mi", "km", "away", "far", "drive", "ride", "trip", "ways",
             "hora", "horas", "minutos", "millas", "kilometros", "lejos"}
_NEAR_AFTER = {"area", "metro", "region", "suburbs", "suburb", "outskirts", "vicinity"}
_NEAR_BEFORE = {"metro", "greater", "suburbs", "suburb", "outskirts", "vicinity"}
_SKIP_BEFORE = {"the", "city", "town", "downtown", "rural", "small", "little", "beautiful",
                "sunny", "lovely", "of", "north", "south", "east", "west", "central",
                "middle", "county"}
# What may surround a bare place when we just asked "where do you live?".
_FILLER = {"the", "in", "at", "near", "city", "town", "of", "county", "co", "ga", "georgia",
           "usa", "us", "um", "uh", "umm", "well", "yes", "yeah", "yep", "sure", "ok", "okay",
           "hi", "hello", "hey", "thanks", "thank", "you", "please", "just", "right", "area",
           "oh", "so", "sorry", "currently", "now", "state", "en", "si"}


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


# --------------------------------------------------------------------------- tokens

@dataclass
class _Tok:
    low: str
    raw: str
    sep_before: str   # "" | "," (a comma, colon, dash...) | "." (a sentence boundary)
    possessive: bool


_CONTRACTIONS = [
    (r"\bwe\s*'\s*re\b", "we are"), (r"\bi\s*'\s*m\b", "i am"), (r"\bthey\s*'\s*re\b", "they are"),
    (r"\byou\s*'\s*re\b", "you are"), (r"\bit\s*'\s*s\b", "it is"),
    (r"\bthat\s*'\s*s\b", "that is"),
    (r"\bwe\s*'\s*ve\b", "we have"), (r"\bi\s*'\s*ve\b", "i have"), (r"\bwe\s*'\s*ll\b", "we will"),
    (r"\bhe\s*'\s*s\b", "he is"), (r"\bshe\s*'\s*s\b", "she is"), (r"\bim\b", "i am"),
]
_NO_STOP_ABBR = {"st", "mt", "ft", "dr", "co", "mr", "mrs", "ms", "jr", "sr", "vs", "cnty"}
_TOKEN_RE = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?"      # words, "children's"
                       r"|\d+(?:\.\d+)?[A-Za-z]*"      # numbers, "2nd", "45deg"
                       r"|[.!?;\u00bf\u00a1]"           # sentence boundaries
                       r"|[,:()/&+\-\u2013\u2014]")      # clause boundaries


def _tokenize(text: str) -> list[_Tok]:
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    # "Vivimos en Macon", "médico" -> "medico"
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(ch))
    # "s.c." -> "sc", "d.c." -> "dc", "u.s.a." -> "usa"
    text = re.sub(r"\b((?:[A-Za-z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)
    for pattern, repl in _CONTRACTIONS:
        text = re.sub(pattern, repl, text, flags=re.I)
    toks: list[_Tok] = []
    sep = "."
    for m in _TOKEN_RE.finditer(text):
        piece = m.group(0)
        if piece in ".!?;\u00bf\u00a1":
            if piece == "." and toks and toks[-1].low in _NO_STOP_ABBR and sep != ".":
                continue
            sep = "."
            continue
        if piece in ",:()/&+-\u2013\u2014":
            if piece in "-" and m.start() > 0 and text[m.start() - 1].isalpha() \
                    and m.end() < len(text) and text[m.end()].isalpha():
                continue  # "warner-robins", "x-ray": a hyphen inside a word
            sep = sep or ","
            continue
        possessive = False
        if "'" in piece:
            word, _, tail = piece.partition("'")
            possessive = tail.lower() == "s"
            piece = word if possessive else word + tail
        toks.append(_Tok(low=piece.lower(), raw=piece, sep_before=sep, possessive=possessive))
        sep = ""
    return toks


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
