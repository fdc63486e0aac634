"""Normalising parents' free text before the safety checks look at it.

Lower case, apostrophes dropped ("can't" -> "cant"), SMS shorthand expanded ("r" -> "are",
"2day" -> "today"), phrasings of inability folded ("unable to", "can not" -> "cant") and small
typos of the key symptom words corrected ("numbnes", "feverr", "wlak"). Used by the red-flag
and emergency-question checks in ``bot.safety``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from bot.typos import within_one_edit

__all__ = ["normalise"]

# ------------------------------------------------------------------ normalisation

_PHRASES = [  # applied in order on lower-cased text, before tokenising
    (r"\bw/o\b", " without "), (r"\bw/", " with "), (r"\bb/c\b", " because "),
    (r"\by/o\b", " year old "), (r"&", " and "), (r"\be\.r\.?(?=\W|$)", " er "),
    (r"\b(\d+)\s*(?:yrs?|yo)\b", r"\1 year "),
    (r"\bcan\s+not\b", "cant"), (r"\bcould\s+not\b", "cant"), (r"\bwill\s+not\b", "wont"),
    (r"\bdoes\s+not\b", "doesnt"), (r"\bdid\s+not\b", "didnt"), (r"\bdo\s+not\b", "dont"),
    (r"\bhas\s+not\b", "hasnt"), (r"\bhave\s+not\b", "havent"), (r"\bis\s+not\b", "isnt"),
    (r"\bare\s+not\b", "arent"), (r"\bwas\s+not\b", "wasnt"),
]
_PHRASES_RE = [(re.compile(p), r) for p, r in _PHRASES]

_WORDS = {  # SMS shorthand and spelling variants -> canonical token(s)
    "r": "are", "u": "you", "ur": "your", "n": "and", "nd": "and", "b4": "before",
    "2day": "today", "2nite": "tonight", "tonite": "tonight", "2night": "tonight",
    "yday": "yesterday", "yest": "yesterday", "ystrdy": "yesterday", "yesturday": "yesterday",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmrrw": "tomorrow", "rn": "right now",
    "bc": "because", "bcuz": "because", "cuz": "because", "coz": "because",
    "shud": "should", "shld": "should", "cud": "could", "wud": "would",
    "cnt": "cant", "cannot": "cant", "caint": "cant", "kant": "cant", "couldnt": "cant",
    "couldn": "cant", "cant't": "cant", "dnt": "dont", "dosnt": "doesnt", "doesn": "doesnt",
    "dosent": "doesnt", "didint": "didnt", "didn": "didnt", "wasn": "wasnt", "isn": "isnt",
    "hasn": "hasnt", "wnt": "wont",
    "sez": "says", "sayz": "says", "sed": "said", "lil": "little", "bout": "about",
    "thru": "through", "tho": "though", "til": "until", "till": "until", "untill": "until",
    "dr": "doctor", "doc": "doctor", "drs": "doctors", "hrs": "hours", "hr": "hour",
    "wk": "week", "wks": "weeks", "mo": "months", "mos": "months", "yr": "year", "yrs": "years",
    "abt": "about", "wen": "when", "wat": "what", "wut": "what", "wht": "what", "pls": "please",
    "plz": "please", "hosp": "hospital", "hospitol": "hospital", "hospitial": "hospital",
    "emerg": "emergency", "peeded": "peed", "pooed": "pooped", "pood": "pooped",
    "paralized": "paralyzed", "paralysed": "paralyzed", "paralyzd": "paralyzed",
    "feaver": "fever", "fevor": "fever", "fver": "fever", "tempature": "temperature",
    "temprature": "temperature", "wlak": "walk", "wakl": "walk", "wlk": "walk",
    "wak": "walk", "nmb": "numb", "numm": "numb", "nubm": "numb", "tinglin": "tingling",
    "walkin": "walking", "standin": "standing", "crawlin": "crawling", "fallin": "falling",
    "trippin": "tripping", "limpin": "limping", "screamin": "screaming", "cryin": "crying",
    "hurtin": "hurting", "peein": "peeing", "wettin": "wetting", "goin": "going",
    "feelin": "feeling", "nothin": "nothing", "anythin": "anything", "somethin": "something",
}

# Key words whose typos matter; a token one edit away (same first letter) is read as
# the word. Four-letter words only take a swapped or doubled letter.
_VOCAB = (
    "numb numbness tingling tingly tingle tingles weak weakness weaker paralyzed paralysis "
    "bladder bowel bowels incontinence incontinent fever feverish temperature walk walking "
    "stand standing crawl crawling weight herself himself themselves yesterday suddenly "
    "sudden severe limping limp emergency hospital ambulance urgent control collapsed "
    "collapsing buckling buckled stumbling tripping falling screaming crying hurting "
    "swollen feeling accident accidents morning tonight potty trained surgery incision"
).split()
_VOCAB_SET = frozenset(_VOCAB)
_PROTECTED = frozenset(  # real words one edit from a key word: left as they are
    "fewer waking bowl bowls stan weighs weigh weighed failing filling streaming hunting stank "
    "stands stamp weed week weal wean weary wear limb lime limo tinge walks walker "
    "hospitals controls accidental standby clawing drawing trawling tripling crowing "
    "surgeon surgical mornings".split()
)


def _swap_or_double(token: str, word: str) -> bool:
    if len(token) == len(word):
        return (token != word and within_one_edit(token, word)) and sorted(token) == sorted(word)
    if len(token) == len(word) + 1:
        return any(token[i] == token[i + 1] and token[:i] + token[i + 1:] == word
                   for i in range(len(token) - 1))
    return False


@lru_cache(maxsize=4096)
def _canonical(token: str) -> str:
    token = re.sub(r"(.)\1{2,}", r"\1\1", token)  # "numbbbb", "feverrrr"
    token = _WORDS.get(token, token)
    if token in _VOCAB_SET or token in _PROTECTED or not token.isalpha() or len(token) < 4:
        return token
    for word in _VOCAB:
        if word[0] != token[0]:
            continue
        if len(word) >= 5 and len(token) >= 4 and (token != word and within_one_edit(token, word)):
            return word
        if len(word) == 4 and _swap_or_double(token, word):
            return word
    collapsed = re.sub(r"(.)\1", r"\1", token)  # "feverr" -> "fever"
    return collapsed if collapsed in _VOCAB_SET else token


_TOKEN_RE = re.compile(r"\d+(?:\.\d+)?(?![a-z])|[a-z0-9]+|[.,;:!?/\-\n]")


def normalise(text: str | None) -> str:
    """Lower-cased, apostrophe-free, shorthand-expanded, typo-corrected text with
    punctuation kept as separate tokens ("Legs r numb!!" -> "legs are numb ! !")."""
    if not text:
        return ""
    t = text.lower()
    t = re.sub(r"[\u2018\u2019\u02bc`´]", "'", t)
    t = re.sub(r"(?<=[a-z])'(?=[a-z])", "", t)  # can't -> cant, she's -> shes
    for rx, rep in _PHRASES_RE:
        t = rx.sub(rep, t)
    tokens = []
    for tok in _TOKEN_RE.findall(t):
        tokens.extend(_canonical(tok).split())
    out = " ".join(tokens)
    # folded phrasings of inability, after typo correction
    out = re.sub(r"\b(?:(?:is|was|isnt|wasnt|are|arent|s?he ?s|s?hes|not)\s+)?(?:not\s+)?"
                 r"(?:unable|not able|no longer able) to\b", "cant", out)
    out = re.sub(r"\b(?:isnt|wasnt|arent|werent|not|hasnt|havent|hadnt|never)\s+(?:been\s+|even\s+)?"
                 r"able to\b|\bcan no longer\b|\bcant seem to\b",
                 "cant", out)
    return out
