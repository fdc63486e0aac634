"""One parent reply to one questionnaire item, turned into a typed value.

Chat and web form both call `parse_answer`, so the same rules apply wherever a value
was typed; dates are read in dates.py, ZIPs and phones reuse bot.answers and bot.phones.
Values are plain JSON: bool, number, str (ISO date, code, text), {"text": ...} for
open-choice free text, lists for repeating items."""
from __future__ import annotations

import difflib
import functools
import re
from datetime import date
from typing import Any, Optional

from bot.answers import AnswerError, extract_age, extract_zip
from bot.phones import extract_phone
from bot.programs import normalise_words
from bot.questionnaire.dates import _read_date, clock_words
from bot.questionnaire.model import Item
# OK is unused here but callers (engine.py, tests) import the statuses from this module.
from bot.questionnaire.parsed import ERROR, OK, SKIP, UNKNOWN, Parsed  # noqa: F401
from bot.questionnaire.yes_no import UNSURE_RE, read_boolean

_SKIP_RE = re.compile(r"skip( it| this( one)?)?|pass|next|n/?a|not applicable|"
                      r"(i'?d )?rather not( say)?|prefer not to say")
_UNKNOWN_RE = re.compile(r"(i )?(don'?t|do not|dont) know|idk|dunno|not sure|unsure|no idea|"
                         r"unknown|no clue|(i )?(can'?t|don'?t) remember|\?+")
_NONE_RE = re.compile(r"none|no|nope|nah|naw|nothing|not really|n/?a|not (one|any)|"
                      r"no (e-?mail|number|phone|cell|fax|one)( address)?( here| for (me|us))?|"
                      r"(i |we )?(don'?t|do not|dont) have (one|any|it|that|an? [a-z-]+)( address)?|"
                      r"(i |we )?(have|got) none|(i |we )?(haven'?t|have not|havent) got (one|any)")
# "I dont have email", "we don't use email", "no email but text me": an optional item
# with nothing to give.
_DONT_HAVE_RE = re.compile(r"((no|nope|nah),? )?((i|we|she|he|they) )?(just |really )?"
                           r"(don'?t|do not|dont|doesn'?t|never|can'?t|cant)( really| even| ever)? "
                           r"(have|use|do|check|got|own|need)\b|no e-?mail\b")
# Words around a "no" that change nothing: "No email, sorry", "nope 🙅", "none thanks".
_COURTESY_RE = re.compile(r"\b((so )?sorry|thanks?( you)?|thx|ty|lol|haha|unfortunately|sadly|"
                          r"tho|though|ok|okay|at the moment|right now)\b")
_FILLER_RE = re.compile(r"^\s*(um+|uh+|well|ok(ay)?|oh|hmm+|so)\b[\s,]*(?=\S)", re.I)


def clean(text: str) -> str:
    """Straight quotes, no leading "um,"/"ok so"."""
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").strip()
    return _FILLER_RE.sub("", text).strip()


def _declines(command: str) -> bool:
    """"No email, sorry", "we don't use email", "none 🙅": nothing to give (a reply
    with a digit or an @ in it always has something)."""
    if re.search(r"[\d@]", command):
        return False
    words = _COURTESY_RE.sub(" ", re.sub(r"[^\w\s,.;!'/-]", " ", command))
    clauses = [c.strip() for c in re.split(r"[,.;!]+\s*|\s+but\s+", words) if c.strip()]
    return bool(clauses) and bool(_NONE_RE.fullmatch(clauses[0]) or _DONT_HAVE_RE.match(clauses[0]))


def parse_answer(item: Item, text: str, today: date,
                 answers: Optional[dict[str, Any]] = None) -> Parsed:
    """Read `text` as the answer to `item`. `answers` (known answers) lets "same"
    copy an earlier number."""
    text = clean(text)
    command = re.sub(r"[\s.!,?]+$", "", text.lower()) or "?"  # whole-message "idk?", "skip."
    if not text:
        return Parsed.error("required" if item.required else "empty")
    # "ugh I don't have it memorized, skip": the last words decide.
    # "skip, i dont do email much": so do the first words.
    clauses = [c.strip() for c in re.split(r"[,.!;]\s*", command) if c.strip()]
    for kind, pattern in ((SKIP, _SKIP_RE), (UNKNOWN, _UNKNOWN_RE)):
        if pattern.fullmatch(command) or (kind == SKIP and len(clauses) > 1 and (
                pattern.fullmatch(clauses[-1]) or pattern.fullmatch(clauses[0]))):
            return Parsed.error("required") if item.required else Parsed(kind)
    if not item.required and item.type not in ("text", "boolean", "choice", "open-choice") \
            and _declines(command):
        return Parsed(SKIP)  # "no email", "I dont have email": nothing to record
    parsed = _READERS.get(item.format or item.type, _read_string)(item, text, today, answers or {})
    if parsed.status == ERROR and not item.required and UNSURE_RE.search(text):
        return Parsed(UNKNOWN)  # "I honestly do not know. He came to me 6 months ago."
    return parsed


_NEGATION = {"no", "not", "never", "without", "dont", "didnt", "doesnt", "isnt", "hasnt", "nt"}
_CONNECTORS = {"and", "or", "both", "all", "plus", "option", "options", "number", "numbers", "also"}
_FILLERS = {"am", "im", "she", "he", "they", "has", "have", "had", "also", "and", "or", "a", "an", "the",
            "my", "our", "her", "his", "their", "is", "was", "just", "some", "mild", "i", "im",
            "we", "with", "of", "like", "plus", "too", "its", "it"}


def _word_matches(word: str, term: str) -> bool:
    """Same word, plural, or a typo in a 5+ letter word: "cast" is not "cat" and a
    typo adds or drops one letter at most ("male" is not "female")."""
    if word == term or (len(word) > 3 and word.rstrip("s") == term.rstrip("s")):
        return True
    return len(term) >= 5 and abs(len(word) - len(term)) <= 1 \
        and difflib.SequenceMatcher(None, word, term).ratio() >= 0.8


@functools.lru_cache(maxsize=256)
def _terms(item: Item) -> list[tuple[tuple[str, ...], str]]:
    """(words of a name, code) for every name of every option, longest first."""
    terms = [(tuple(normalise_words(name)), o.code) for o in item.options
             for name in (o.display, o.code.replace("_", " "), *o.synonyms)]
    return sorted((t for t in terms if t[0]), key=lambda t: -len(t[0]))


def _scan(item: Item, words: list[str]) -> tuple[list[str], set[int]]:
    """Codes named in `words` (in order, negated ones dropped), word positions used."""
    hits, used = [], set()
    for start in range(len(words)):
        for term, code in _terms(item):
            span = range(start, start + len(term))
            if span[-1] < len(words) and not used & set(span) and all(
                    _word_matches(words[i], t) for i, t in zip(span, term)):
                hits.append((start, len(term), code))
                used |= set(span)
                break
    codes = []
    for n, (start, length, code) in enumerate(hits):
        negated = any(w in _NEGATION for w in words[max(0, start - 2):start])
        # "no" right before another choice negates it instead of meaning "none"
        negator = words[start] in _NEGATION and n + 1 < len(hits) \
            and hits[n + 1][0] - (start + length) <= 1
        if not negated and not negator and code not in codes:
            codes.append(code)
    return codes, used


# "1 i guess", "2 probably": a number with a shrug is still that number.
_HEDGES = {"i", "guess", "think", "maybe", "probably", "lol", "please", "pls", "thanks", "ok", "okay"}


def _numbers(item: Item, words: list[str]) -> Optional[list[str]]:
    """"2", "1 and 3", "#2": choices by number; None when the text has words."""
    digits = [w for w in words if w not in _CONNECTORS and w not in _HEDGES]
    if not digits or not all(w.isdigit() for w in digits):
        return None
    if not all(1 <= int(n) <= len(item.options) for n in digits):
        return []
    return list(dict.fromkeys(item.options[int(n) - 1].code for n in digits))


def _read_choice(item: Item, text: str, today: date, answers: dict) -> Parsed:
    words = normalise_words(text.replace("#", " "))
    timed = normalise_words(clock_words(text))
    if timed != words and _scan(item, timed)[0]:
        words = timed  # "after 3pm", "3:30", "before noon": the part of the day it is in
    codes = _numbers(item, words)
    used = set(range(len(words)))  # a reply by number leaves no free text
    if codes is None:
        codes, used = _scan(item, words)
    extra = " ".join(w for i, w in enumerate(words) if i not in used and w not in
                     _FILLERS | _NEGATION) if item.type == "open-choice" else ""
    if len(codes) > 1 or (codes and extra):
        codes = [c for c in codes if c != "none"]  # "none, just a brace"
    if len(codes) > 1 and not item.repeats:
        codes = [c for c in codes if c != "any"]  # "any time after 3": the afternoon
    if extra and codes and not item.repeats and len(extra.split()) >= 2:
        return Parsed.ok(codes[0])  # "I'm her mom! proud mama of four": the option it names
    if extra:  # open-choice: words that are no option are kept, not dropped
        if not item.repeats:  # "step mom": the code alone would lose the "step"
            return Parsed.ok({"text": text.strip()})
        return Parsed.ok(codes + [{"text": extra if codes else text.strip()}])
    if not codes:
        return Parsed.error("choice")
    if item.repeats:
        return Parsed.ok(codes)
    if len(codes) > 1 and (preferred := _preferred(item, text)):
        return Parsed.ok(preferred)
    return Parsed.ok(codes[0]) if len(codes) == 1 else Parsed.error("one_choice")


PREFER_RE = re.compile(r"\b(better|best|prefer(red)?|works|easiest|easier|good|great|ideal)\b", re.I)


def _preferred(item: Item, text: str) -> Optional[str]:
    """"mornings are better, baby naps after lunch": of several choices named, the one
    in the clause that says it is preferred, else in the first clause (the rest is
    the reason); None when that clause names several."""
    clauses = [c for c in re.split(r"[,.;!]+\s*|\s+but\s+|\s+because\s+", text) if c.strip()]
    if len(clauses) < 2:
        return None
    clause = next((c for c in clauses if PREFER_RE.search(c)), clauses[0])
    codes = _scan(item, normalise_words(clause))[0]
    return codes[0] if len(codes) == 1 else None


# A number, but not one glued to letters ("L5") or after "grade" ("grade 1 slip").
_NUMBER_RE = re.compile(r"(?<![\d.A-Za-z])(?<!grade )(?<!Grade )(?<!GRADE )-?\d+(?:\.\d+)?")


def _read_number(item: Item, text: str, today: date, answers: dict) -> Parsed:
    m = _NUMBER_RE.search(text.replace(",", ""))  # "about 30 degrees" -> 30
    if not m:
        return Parsed.error("number")
    value = int(round(float(m[0]))) if item.type == "integer" else float(m[0])
    if (item.min_value is not None and value < item.min_value) or \
            (item.max_value is not None and value > item.max_value):
        return Parsed.error("range")
    return Parsed.ok(value)


_SAME_RE = re.compile(r"\b(same|that one|th(at|is) number|this one|my (mobile|cell))\b", re.I)
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _read_phone(item: Item, text: str, today: date, answers: dict) -> Parsed:
    if item.same_as and answers.get(item.same_as) and _SAME_RE.search(text):
        return Parsed.ok(answers[item.same_as])  # "same": the mobile given earlier
    return Parsed.found(extract_phone(text), "phone")


_BIRTH_RE = re.compile(r"\b(at|from|since|when)?\s*(birth|born|newborn|new born|delivery)\b", re.I)


def _read_age(item: Item, text: str, today: date, answers: dict) -> Parsed:
    if _BIRTH_RE.search(text):
        return Parsed.ok("at birth")
    try:
        age = extract_age(text, today)
    except AnswerError:
        return Parsed.error("age")
    return Parsed.ok(text.strip()) if age and age.birth_date is None else Parsed.error("age")


_NAME_PREFIX_RE = re.compile(r"^((ok(ay)?|so|yes|yeah|sure)\b[\s.,!]*)?"
                             r"(it'?s|its|((her|his|their|my|the) )?((first|last|full|middle) )?name( is|'?s)?|i'?m|im|"
                             r"this is|s?he'?s|s?he is|call (her|him|me)|((her|his|their|our|"
                             r"my|the) )?(pediatrician|doctor|pcp)( is|'s))?\b\s*", re.I)
# Words no name has: a sentence ("i dont want to say"), a question or a command
# ("start over", "nevermind") is refused, never stored. Short names that are also
# words (Will, May, Hope, Grace) are deliberately not here.
_NOT_NAME_WORDS = frozenset("""
    i im me my mine you your we us our she he her him his they them their it its is are
    am was were be been do does did dont didnt doesnt not no yes yeah yep nope want wanna
    say said tell know think how what whats why when where who which can cant could would
    should to of for this that these those about review take takes long start restart
    over cancel nevermind quit exit stop help later skip wait please thanks thank hi hello
    hey ok okay sorry idk dunno question questions again back sure rather prefer just need
    have has had get go going cost costs price pay much many there here because if why
    answer name""".split())
_SYMBOLS_RE = re.compile(r"[^\w\s.'\u2019,-]", re.UNICODE)  # emoji and other symbols


def is_name(text: str) -> bool:
    """A plausible person's name: letters, 1-6 words, none of them a sentence word;
    no digits, question mark, @ or colon."""
    if re.search(r"[\d?@:/]", text) or not re.search(r"[^\W\d_]", text):
        return False
    words = [w.strip(".,'-").lower() for w in text.split()]
    words = [w.replace("'", "") for w in words if w]
    return 1 <= len(words) <= 6 and not any(w in _NOT_NAME_WORDS for w in words)


# "like I said", "I told you", "as I said before": a sigh, not part of the answer.
_TOLD_YOU = (r"(like|as) i (said|told (you|u|ya)|mentioned)|i (already )?(said|told (you|u|ya))"
             r"( that| this| it)?|already (said|told (you|u|ya))")
_TOLD_WHEN = r"( (already|before|earlier|above|again|too))*"
# "Kayla like i said", "jayden, i told u lol": the name with a sigh around it.
_NAME_TAIL_RE = re.compile(r"[\s,.!]*\b(" + _TOLD_YOU + r"|lol|haha|again|already)\b.*$", re.I)
# "Tift Regional like I said", "The doctor in Tifton, I told you", "like i said, Dr. Kim"
_TOLD_TAIL_RE = re.compile(r"[\s,.!;:-]*\b(" + _TOLD_YOU + ")" + _TOLD_WHEN + r"\b[\W_]*$", re.I)
_TOLD_HEAD_RE = re.compile(r"^\W*(" + _TOLD_YOU + ")" + _TOLD_WHEN + r"\b[\s,.!;:-]*", re.I)


def without_told_you(text: str) -> str:
    """The answer without "like I said" / "I told you" around it (never emptied)."""
    stripped = _TOLD_HEAD_RE.sub("", _TOLD_TAIL_RE.sub("", text)).strip()
    return stripped or text


def _clean_name(text: str, strip: bool = True) -> str:
    name = _SYMBOLS_RE.sub(" ", text).strip(" .!,")
    name = _NAME_PREFIX_RE.sub("", name, count=1).strip(" .!,")
    if strip:  # a name inside a sentence: drop "at Statesboro Pediatrics"
        name = re.sub(r"\s+(at|from|with)\s+.*$", "", name, flags=re.I)
    return re.sub(r"\s+", " ", name)


# A protest, a request or a question is never a name: "no I don't want both!! ... only
# the hip", "can you call me?", "I want the hip one", "please cancel the spine one".
_REQUEST_RE = re.compile(r"\b(can|could|would|will|do|does|did) (you|u|we|i|they)\b|\bi (really )?(want|need|wanna)\b|"
                         r"\b(don'?t|dont|do not) (want|need|have)\b|\bcancel\b|\bcall me\b\W*$|"
                         r"\bcall me (back|please|asap|now|today|at|when|if)\b|\b(switch|change) (it|to|the|this)\b",
                         re.I)
_PROTEST_RE = re.compile(r"\b(not|no|don'?t|dont|never|wrong|stop|cancel)\b", re.I)


def is_request(text: str) -> bool:
    """A question, a request or a protest ("!" with "not"), never an answer's words."""
    return "?" in text or bool(_REQUEST_RE.search(text)) or ("!" in text and bool(_PROTEST_RE.search(text)))


def _read_name(item: Item, text: str, today: date, answers: dict) -> Parsed:
    text = _NAME_TAIL_RE.sub("", text)
    if re.search(r"[\d@:/=]", text) or is_request(text):  # "wait, how long does it take?", "sex: female"
        return Parsed.error("name")
    name = _clean_name(text, strip=False)
    first = answers.get(item.link_id.replace("last_name", "first_name")) if "last_name" in item.link_id else None
    if isinstance(first, str) and name.lower().startswith(first.lower() + " "):
        name = name[len(first) + 1:]  # "Ella Brown" for the last name: Brown
    if not is_name(name):
        # "oh sorry, Parker", "Jennifer Parker, but everybody calls me Jenny",
        # "Dr. Lisa Harmon at Statesboro Pediatrics": the part that is a name.
        parts = [_clean_name(p) for p in re.split(r"[,!?;]+\s*|(?<!\bdr)(?<!\bDr)\.\s+|\s+-\s+", text)
                 if p.strip()]
        names = [p for p in parts if p and is_name(p)]
        if not names:
            return Parsed.error("name")
        name = names[0]
    # "emma" -> "Emma"; "McKenzie" stays as typed
    return _read_string(item, name.title() if name.islower() else name, today, answers)


def _read_string(item: Item, text: str, today: date, answers: dict) -> Parsed:
    text = without_told_you(text.strip())
    if item.max_length and len(text) > item.max_length:
        return Parsed.error("too_long")
    return Parsed.ok(text)


_READERS = {
    "boolean": read_boolean, "choice": _read_choice, "open-choice": _read_choice,
    "date": _read_date, "child_birth_date": _read_date, "partial_date": _read_date,
    "integer": _read_number, "decimal": _read_number, "phone": _read_phone,
    "age": _read_age, "name": _read_name, "string": _read_string, "text": _read_string,
    "zip": lambda item, text, *_: Parsed.found(extract_zip(text), "zip"),
    "email": lambda item, text, *_: Parsed.found(
        (m := _EMAIL_RE.search(text)) and m[0].lower(), "email"),
    "attachment": lambda *_: Parsed.error("attachment"),  # files go to the upload page
}
