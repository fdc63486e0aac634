"""The chat walk-through of the questionnaire: one short question at a time.

Stateless over one plain JSON dict (a Rasa slot or a DB column), so "later" then a
message days later - even after a restart - resumes at the same question. The
current question is never stored: it is always the first enabled one without an
answer, so it cannot go stale. state = {"answers": {linkId: value}, "history":
[linkId...], "skipped": [...], "unknown": [...], "red_flags": [...], "paused",
"confirmed", "summary_sent" (the short summary went out once: later edits only get
"Changed: ..."), "offer" (a last name taken from "Kayleigh Thompson", offered when
the last-name question comes)}."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator, Optional

from bot.phones import display as phone_display
from bot.programs import normalise_words
from bot.questionnaire.answers import (ERROR, OK, PREFER_RE, SKIP, UNKNOWN, Parsed, clean,
                                      parse_answer)
from bot.questionnaire.model import CHOICE_TYPES, Definition, Item, enabled, load_definition

MAX_SMS = 300
MAX_VALUE_CHARS = 120  # long free text is cut in the summary, never in the answers
MAX_SHORT_SUMMARY = 600  # the chat's short summary, the ask included: all characters
SHORT_VALUE_CHARS = (40, 30, 24, 18, 14)  # value cuts tried until the summary fits


@dataclass
class Outcome:
    # ask | reask | back | corrected | red_flag | paused | resumed | confirm | done | web_form
    kind: str
    item: Optional[Item] = None  # the question to ask now (None: all answered)
    reason: Optional[str] = None  # why the answer was refused (a message code)
    link_id: Optional[str] = None  # the red-flag, corrected or undone question
    messages: list[str] = field(default_factory=list)  # what to send, in order
    question: Optional[str] = None  # "yes. did my card go thru?": the question after the yes


def new_state(prefill: Optional[dict[str, Any]] = None,
              definition: Optional[Definition] = None) -> dict:
    """A fresh state; `prefill` ({"screening.home_zip": "31201", ...}) answers the
    items that name those keys, so the parent is not asked again. A choice takes a
    code or a word the chat would take ("girl"), a number a number ("45 degrees");
    a value the item would refuse is dropped and the item is asked."""
    definition = definition or load_definition()
    state = ensure_state({})
    for item in definition.questions():
        value = (prefill or {}).get(item.prefill) if item.prefill else None
        value = _prefill_value(item, value)
        if value is not None:
            state["answers"][item.link_id] = value
    return state


def _prefill_value(item: Item, value: Any) -> Any:
    if isinstance(value, date):
        value = value.isoformat()
    if value in (None, "") or isinstance(value, (list, dict)):
        return None
    if item.options:
        if item.option(str(value)):
            return str(value)
        parsed = parse_answer(item, str(value), date.today())
        return parsed.value if parsed.is_ok and isinstance(parsed.value, str) else None
    if item.type in ("integer", "decimal", "boolean"):
        if isinstance(value, bool) and item.type == "boolean":
            return value
        if isinstance(value, bool):
            return None
        parsed = parse_answer(item, str(value), date.today())
        return parsed.value if parsed.is_ok else None
    if isinstance(value, str) and item.max_length:
        value = value.strip()[:item.max_length]
    return value


def ensure_state(state: dict) -> dict:
    """Fill in missing keys, so older or hand-made states keep working."""
    state.setdefault("answers", {})
    for key in ("history", "skipped", "unknown", "red_flags"):
        state.setdefault(key, [])
    return state


def _done(state: dict, link_id: str) -> bool:
    return link_id in state["answers"] or link_id in state["skipped"] or link_id in state["unknown"]


def _askable(definition: Definition, state: dict) -> Iterator[Item]:
    """Enabled questions in order; files go through the upload page, not the chat."""
    for item in definition.questions():
        if item.type != "attachment" and enabled(definition, item, state["answers"]):
            yield item


def next_item(state: dict, definition: Optional[Definition] = None) -> Optional[Item]:
    """The first enabled question not yet answered, skipped or prefilled."""
    definition = definition or load_definition()
    state = ensure_state(state)
    return next((i for i in _askable(definition, state) if not _done(state, i.link_id)), None)


def progress(state: dict, definition: Optional[Definition] = None) -> tuple[int, int]:
    """(answered, total) over the questions enabled now; hidden ones not counted."""
    definition = definition or load_definition()
    items = [i for i in _askable(definition, ensure_state(state)) if not i.hidden]
    return sum(_done(state, i.link_id) for i in items), len(items)


def record(state: dict, item: Item, parsed: Parsed) -> None:
    """Store one parsed answer (ok, skip or unknown), replacing any earlier one."""
    _forget(state, item.link_id)
    if parsed.status == OK:
        state["answers"][item.link_id] = parsed.value
    elif parsed.status in (SKIP, UNKNOWN):
        state["skipped" if parsed.status == SKIP else "unknown"].append(item.link_id)


def _forget(state: dict, link_id: str) -> None:
    offer = state.get("offer")
    if offer and link_id in (offer["link_id"], offer["from"]):
        del state["offer"]  # a new first or last name: the offered one is stale
    state["answers"].pop(link_id, None)
    for key in ("skipped", "unknown"):
        if link_id in state[key]:
            state[key].remove(link_id)


_BACK_RE = re.compile(r"(go )?back|undo|previous( question)?|change (my )?(last|that)( answer)?")
_PAUSE_RE = re.compile(r"stop|pause|later|not now|maybe later|another time|brb|gtg|got to go|"
                       r"gotta go|ttyl|talk later|(i'?ll |can i )?(finish|do (this|it)|continue)"
                       r"( this)? later")
# "finish on the web": a short message naming the web form, website or online.
_WEB_RE = re.compile(r"\b(web ?form|web ?site|web ?page|online|on the web|on the site|"
                     r"on (the|my) (computer|laptop)|the link)\b")
MAX_WEB_WORDS = 12  # longer messages are answers that happen to say "online"
_RESUME_RE = re.compile(r"hi|hello|hey|ok(ay)?|ready|i'?m back|back|continue|resume|"
                        r"let'?s (go|continue|finish)|go on|start")
_CUE_RE = re.compile(r"^\s*(actually|correction|sorry|oops|wait|i meant|i mean|change|fix|"
                     r"typo|update)\b[\s:,.-]*", re.I)
_LEAD_RE = re.compile(r"[\s:=,-]*((is|was|are|should be|should have been|should say|should read|to be|"
                      r"to|as|it'?s|not|on|in|at|say|says)\b"
                      r"[\s:=,-]*)*", re.I)

# "yes", "yep all good", "that's correct", "perfect thanks", "1": every word is one of
# these, at least one of them says yes, and none says no.
_YES_WORDS = frozenset("yes y ya yea yeah yep yup correct right good great perfect fine "
                       "ok okay k sure confirm confirmed accurate exactly absolutely definitely "
                       "lgtm 1 yass yess".split())
_YES_FILLERS = frozenset("that thats its it is all looks look looking everything everythings "
                         "thanks thank you thx ty so very much sounds seems of this the are "
                         "they them info answers well now i think to me please go ahead and "
                         "totally just".split())
_NO_WORDS = frozenset("no not nope nah wrong change incorrect isnt but except fix n 2".split())
_NO_RE = re.compile(r"(no|nope|nah|n|2|wrong|incorrect|not (it|right)|(no,? )?that'?s (wrong|"
                    r"not (it|right))|no it'?s not)")


def is_yes(text: str) -> bool:
    """A whole message saying yes: "yes that's right", "looks good", "all correct"."""
    if re.fullmatch(r"\s*(\U0001F44D[\U0001F3FB-\U0001F3FF]?\s*)+", text or ""):
        return True  # a thumbs up
    words = normalise_words(clean(text))
    return bool(words) and any(w in _YES_WORDS for w in words) \
        and not any(w in _NO_WORDS for w in words) \
        and all(w in _YES_WORDS or w in _YES_FILLERS for w in words)


def apply(state: dict, text: str, today: date,
          definition: Optional[Definition] = None) -> Outcome:
    """Handle one parent message: a command, a correction, or the current answer.
    Mutates `state`; the caller stores it again."""
    definition = definition or load_definition()
    state, say = ensure_state(state), definition.messages
    command = re.sub(r"[\s.!,?]+$", "", clean(text).lower())  # "Later!" is "later"
    current = next_item(state, definition)
    if state.pop("paused", False) and _RESUME_RE.fullmatch(command):
        return _next(definition, state, "resumed", prefix=[say["resumed"]])
    if _PAUSE_RE.fullmatch(command):
        state["paused"] = True
        return Outcome("paused", current, messages=[say["paused"]])
    if _WEB_RE.search(command) and len(command.split()) <= MAX_WEB_WORDS:
        return Outcome("web_form", current)
    if _BACK_RE.fullmatch(command):
        return _back(definition, state, current)
    editing = state.pop("editing", None)
    if current is None and (question := _yes_then_question(text)) is not None:
        state["confirmed"] = True  # before edits: "looks good" changes nothing
        return Outcome("done", None, messages=[say["done"]], question=question or None)
    if (offered := _offered(state, current)) and (answer := _answer_offer(
            definition, state, current, offered, text, command)):
        return answer
    if current is not None and (facts := _facts(definition, state, current, text, today)):
        return _store_facts(definition, state, facts)
    if current is None and len(clauses := edit_clauses(state, text, today, definition)) == 1:
        text = clauses[0]  # an edit and a clause that changes nothing: only the edit
    if current is None and (step := _confirm_step(definition, state, text, today, editing)):
        return step
    if corrected := _correction(definition, state, text, today, current):
        return corrected
    if current is None:
        return _reask(definition, None, "confirm")
    parsed = parse_answer(current, _CUE_RE.sub("", text), today, state["answers"])
    if parsed.status == ERROR:
        return _reask(definition, current, parsed.reason, state=state)
    _store(definition, state, current, parsed)
    state["history"].append(current.link_id)
    prefix = (_changed_line(definition, current, state),) if state.get("summary_sent") else ()
    return _after(definition, state, current, parsed, "ask", prefix=prefix)


def _after(definition: Definition, state: dict, item: Item, parsed: Parsed, kind: str,
           prefix: tuple[str, ...] = ()) -> Outcome:
    """Next step once `item` got a value: a yes to a red-flag question is flagged so
    the caller sends the urgent-care message first."""
    if item.red_flag and parsed.value is True:
        if item.link_id not in state["red_flags"]:
            state["red_flags"].append(item.link_id)
        kind = "red_flag"
    return _next(definition, state, kind, link_id=item.link_id, prefix=list(prefix))


def _next(definition: Definition, state: dict, kind: str, link_id: Optional[str] = None,
          prefix: Optional[list[str]] = None) -> Outcome:
    """Ask the next question, or - all answered - the confirm step: the short summary
    the first time, only the short ask after that (the summary is never re-sent)."""
    item, prefix, say = next_item(state, definition), prefix or [], definition.messages
    if item is not None:
        return Outcome(kind, item, link_id=link_id,
                       messages=[*prefix, prompt(state, definition, item)])
    state["confirmed"] = False  # every end (or change after the end) is confirmed again
    resumed, kind = kind == "resumed", "confirm" if kind in ("ask", "resumed", "back") else kind
    if state.get("summary_sent"):  # an edit or a new answer: no summary again
        ask = say["ask_confirm" if resumed else "ask_confirm_short"]
        return Outcome(kind, None, link_id=link_id, messages=[*prefix, ask])
    return Outcome(kind, None, link_id=link_id,
                   messages=confirm_messages(state, definition, prefix=prefix))


def confirm_messages(state: dict, definition: Optional[Definition] = None,
                     prefix: Optional[list[str]] = None, again: bool = False) -> list[str]:
    """The confirm step as the parent should see it: the short summary and the ask
    when they have not seen it (it went out never, e.g. the web form was finished
    first) or ask for it `again`; else only the ask."""
    definition, prefix = definition or load_definition(), list(prefix or [])
    if state.get("summary_sent") and not again:
        return [*prefix, definition.messages["ask_confirm"]]
    state["summary_sent"] = True
    messages = short_summary(state, definition)
    if prefix and len(prefix[-1]) + 1 + len(messages[0]) <= MAX_SMS:
        messages[0] = prefix[-1] + "\n" + messages[0]  # "Welcome back!" and the summary
        prefix = prefix[:-1]
    return [*prefix, *messages]


def _reask(definition: Definition, item: Optional[Item], reason: str,
           link_id: Optional[str] = None, prefix: str = "",
           state: Optional[dict] = None) -> Outcome:
    """Refuse an answer: why, then the question again. A required question the parent
    cannot answer ("idk", "skip") gets why we need it and how to go on instead."""
    say = definition.messages
    if reason == "required" and item is not None and not prefix and "need_it" in say:
        said = re.sub(r"\s+", " ", say["need_it"].format(why=item.why or "")).strip()
        question = prompt(state or {}, definition, item, why=False)
        return Outcome("reask", item, reason=reason, link_id=link_id, messages=[said, question])
    said = " ".join(p for p in (prefix, say.get(reason, "")) if p)
    return Outcome("reask", item, reason=reason, link_id=link_id,
                   messages=[said] + ([prompt(state or {}, definition, item)] if item else []))


def _back(definition: Definition, state: dict, current: Optional[Item]) -> Outcome:
    """Undo the last answer given in the chat (prefilled ones are not in history)."""
    if not state["history"]:
        return _reask(definition, current, "cannot_go_back", state=state)
    link_id = state["history"].pop()
    _forget(state, link_id)
    return _next(definition, state, "back", link_id=link_id)


def _changed_line(definition: Definition, item: Item, state: dict) -> str:
    """"Changed: Family history of spine curves: Yes" (after the summary was sent)."""
    return definition.messages["changed_line"].format(
        label=item.short_label, value=_value_text(definition, item, state))


def _value_text(definition: Definition, item: Item, state: dict) -> str:
    link = item.link_id
    if link in state["answers"]:
        return display_value(item, state["answers"][link])
    return definition.messages["skipped" if link in state["skipped"] else "unknown"]


# ---------------------------------------------------------------- names

_PARTICLES = frozenset("de del della la le van von der den da di du dos das st st. mac".split())


def _store(definition: Definition, state: dict, item: Item, parsed: Parsed) -> None:
    """record(), and for a first name with more words ("Kayleigh Thompson"): keep the
    first name, and offer the rest when the last-name question comes."""
    record(state, item, parsed)
    value = state["answers"].get(item.link_id)
    if not item.last_name or not isinstance(value, str) or len(value.split()) < 2:
        return
    words = value.split()
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:  # Maria de la Cruz
        cut -= 1
    first, last = " ".join(words[:cut]), " ".join(words[cut:])
    target = definition.item(item.last_name)
    if _done(state, target.link_id):  # known: only drop it when it is the same
        known = state["answers"].get(target.link_id)
        if isinstance(known, str) and known.lower() == last.lower():
            state["answers"][item.link_id] = first
        return
    state["answers"][item.link_id] = first
    state["offer"] = {"link_id": target.link_id, "value": last, "from": item.link_id,
                      "full": value}


def _offered(state: dict, item: Optional[Item]) -> Optional[dict]:
    offer = state.get("offer")
    if item is not None and offer and offer.get("link_id") == item.link_id:
        return offer
    return None


def _answer_offer(definition: Definition, state: dict, current: Item, offer: dict,
                  text: str, command: str) -> Optional[Outcome]:
    """"Is Thompson the last name?": yes stores it; no puts the whole name back as the
    first name ("Mary Kate") and asks the question plainly; a typed name is an answer."""
    if is_yes(text):
        parsed = Parsed.ok(offer["value"])
        _store(definition, state, current, parsed)
        state["history"].append(current.link_id)
        return _after(definition, state, current, parsed, "ask")
    if _NO_RE.fullmatch(command):
        del state["offer"]
        if offer["from"] in state["answers"]:
            state["answers"][offer["from"]] = offer["full"]
        kept = definition.messages["name_kept"].format(value=offer["full"])
        return Outcome("ask", current, messages=[kept, render(current, definition)])
    return None


# ---------------------------------------------------------------- corrections

_STOP_WORDS = frozenset("a an the of or and to for at by in on you your my our".split())
# Words that may come before a field name at the start of an edit: "her birthday is".
_EDIT_LEAD = frozenset("her his my the their our childs child kids kid its change fix update "
                       "actually correction sorry oops wait i meant mean typo and also ok so "
                       "please can you set make".split())
MAX_PLAIN_EDIT_WORDS = 4  # "sex: female" is an edit; a longer free answer is not
_FREE_TEXT = ("string", "text")  # items whose parser takes any words


def _phrase_words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'")))


@functools.lru_cache(maxsize=512)
def _phrases(item: Item) -> tuple[tuple[str, ...], ...]:
    """What names the item in an edit: its keywords, its label, and runs of two or
    more label words ("family history", "brace hours") not starting or ending with a
    small word. Longest first."""
    found = {_phrase_words(k) for k in item.keywords}
    label = _phrase_words(item.short_label)
    found.add(label)
    for i in range(len(label)):
        for j in range(i + 2, len(label) + 1):
            if label[i] not in _STOP_WORDS and label[j - 1] not in _STOP_WORDS:
                found.add(label[i:j])
    return tuple(sorted((p for p in found if p), key=lambda p: -len(" ".join(p))))


@functools.lru_cache(maxsize=2048)
def _phrase_re(words: tuple[str, ...]) -> re.Pattern:
    parts = [re.escape(w).replace("'", "'?") for w in words]
    return re.compile(r"\b" + r"[^\w']+".join(parts) + r"s?\b", re.I)


# The old value after the new one: "Dr Grace Kim not Dr Kim", "X, not Y", "X instead of Y".
_INSTEAD_RE = re.compile(r"(?<=\S)[\s,;]+(not|instead of|rather than)\s+\S.*$", re.I)


@dataclass
class _Target:
    item: Item
    size: int  # characters of the phrase that named it
    rest: str  # the words after it: the new value
    stated: bool  # "is", ":", "should be"... between the name and the value
    leading: bool  # the name starts the message ("sex: female", "her dob is ...")
    parsed: Parsed


def _target(definition: Definition, state: dict, text: str, current: Optional[Item],
            today: date, later: bool = False) -> Optional[_Target]:
    """The earlier question a message names, by keyword or label words (`later`: any
    question but the current one). Among several, one whose parser takes the value
    wins, then the longest (most specific) name: "Family history of spine curves: Yes"
    is the family history, not the curve."""
    found = []
    for item in _askable(definition, state):
        if item is current or item.hidden or not (later or _done(state, item.link_id)):
            continue
        for words in _phrases(item):
            m = _phrase_re(words).search(text)
            if not m:
                continue
            lead = _LEAD_RE.match(text, m.end())[0]
            rest = text[m.end() + len(lead):].strip()
            if item.type in _FREE_TEXT:  # "Valdosta Clinic not Valdosta Pediatrics": the new one
                rest = _INSTEAD_RE.sub("", rest)
            before = normalise_words(text[:m.start()])
            if not rest and item.type in _FREE_TEXT:  # "change the practice": no new value
                parsed = Parsed.error("empty")
            else:
                parsed = parse_answer(item, rest or text, today, state["answers"])
            found.append(_Target(item, len(" ".join(words)), rest, bool(lead.strip(" ,")),
                                 all(w in _EDIT_LEAD for w in before), parsed))
            break  # the longest phrase of this item
    if not found:
        return None
    return max(found, key=lambda t: (t.parsed.status != ERROR, t.size))


def _correction(definition: Definition, state: dict, text: str, today: date,
                current: Optional[Item]) -> Optional[Outcome]:
    """"actually her birthday is 4/2/2012": change that answer, then go on with the
    current question. Without a cue word ("actually", "oops"...) a message is only
    taken as a correction when it is no answer to the current question, or when it
    starts with the field's name and a short value ("sex: female"); a question
    ("actually, is her curve too big?") never is. At the confirm step the reply is
    only "Changed: ..." and the short ask."""
    text = clean(text)
    found = _target(definition, state, text, current, today)
    if found is None:
        return None
    target, rest, stated, parsed = found.item, found.rest, found.stated, found.parsed
    cue = bool(_CUE_RE.match(text)) and not text.endswith("?")
    current_ok = current is not None and parse_answer(
        current, _CUE_RE.sub("", text), today, state["answers"]).status != ERROR
    # free text needs "is" or ":" ("practice is Macon Kids"): "the clinic did them" is
    # an answer to the current question, not a new practice name
    plain = found.leading and bool(rest) and "?" not in text \
        and len(rest.split()) <= MAX_PLAIN_EDIT_WORDS and (stated or target.type not in _FREE_TEXT)
    # "actually idk" drops no answer; "family history: not sure" says so on purpose
    changes = _gives_value(found)
    if changes and (cue or not current_ok or plain):
        _store(definition, state, target, parsed)
        if current is None:
            note = _changed_line(definition, target, state)
        else:
            note = definition.messages["changed"].format(
                label=target.short_label.lower(), value=_value_text(definition, target, state))
        return _after(definition, state, target, parsed, "corrected", prefix=(note,))
    if parsed.status != OK and (cue and (stated or not current_ok) or current is None):
        note = definition.messages["not_changed"].format(label=target.short_label.lower())
        return _reask(definition, current, parsed.reason or "required",
                      link_id=target.link_id, prefix=note, state=state)
    return None


# ---------------------------------------------------------------- several facts in one answer

# Breaks between facts: "Mateo Reyes, born 1/30/2013", "... is Noah and last name is Pratt. born ...".
_FACT_SPLIT_RE = re.compile(r"\s*(?:;\s*|,\s*(?:and\s+)?|(?<!\bdr)(?<!\bmr)(?<!\bms)(?<!\bmrs)(?<!\bst)"
                            r"\.\s+|\s+and\s+|\s+but\s+)", re.I)
# Items a fact can be given to by its shape alone (a phone number, a date, an option).
_SHAPED_FORMATS = frozenset("phone email zip child_birth_date partial_date".split())
_POSSESSIVES = frozenset("his her their the its my our".split())


def _facts(definition: Definition, state: dict, current: Item, text: str,
           today: date) -> Optional[list[tuple[Item, Parsed]]]:
    """"Mateo Reyes, born 1/30/2013", "Tia Reyes, his mom, 229-555-0101": the answer to
    the current question first, then each other fact with the question it answers -
    named by keyword ("last name is Pratt"), or by its shape (a phone number, an
    option like "his mom") when the whole message is no answer or the question asks
    a name (names hold no numbers nor "mom"). None unless every part finds its
    question. Long free text is never split."""
    text = clean(text)
    if current.type == "text" or _CUE_RE.match(text):  # "actually, sex is female": a correction
        return None
    parts = [p for p in _FACT_SPLIT_RE.split(text) if p and p.strip()]
    if current.format == "name":
        parts[:1] = _name_and_tail(definition, state, current, parts[0], today)
    if len(parts) < 2:
        return None
    first = parse_answer(current, parts[0], today, state["answers"])
    if not first.is_ok:
        return None
    # A name or free text takes any words, so its parse says nothing about the rest:
    # "Valdosta Pediatrics, 229-555-0150" gives the practice phone by its shape.
    by_shape = current.format == "name" or (current.type in _FREE_TEXT and not current.format) \
        or not parse_answer(current, text, today, state["answers"]).is_ok
    facts, taken, preferred = [(current, first)], {current.link_id}, False
    for part in parts[1:]:
        home = _home(definition, state, current, part, today, by_shape, taken)
        if home is None and preferred and not re.search(r"\d", part):
            continue  # "mornings are better, baby naps after lunch": the reason, no fact
        if home is None:
            return None
        preferred = preferred or bool(PREFER_RE.search(part))
        facts.append(home)
        taken.add(home[0].link_id)
    return facts


def _home(definition: Definition, state: dict, current: Item, part: str, today: date,
          by_shape: bool, taken: set[str]) -> Optional[tuple[Item, Parsed]]:
    """The question one fact answers, with the value."""
    named = _target(definition, state, part, current, today, later=True)
    if named and named.item.link_id not in taken:
        if named.rest and named.parsed.is_ok:
            return named.item, named.parsed
        declined = parse_answer(named.item, part, today, state["answers"])
        if declined.status == SKIP:  # "i dont have email", "no email": nothing to ask later
            return named.item, declined
    if PREFER_RE.search(part):  # "mornings are better": a choice said as preferred, any group
        homes = [(item, parsed) for item in _askable(definition, state)
                 if item.type in CHOICE_TYPES and not item.repeats and not item.hidden
                 and item.link_id not in taken and not _done(state, item.link_id)
                 and isinstance((parsed := parse_answer(item, part, today, state["answers"])).value,
                                str)]
        if len(homes) == 1:
            return homes[0]
    if not by_shape:
        return None
    group = _top_group(definition, current)
    numbered = not re.search(r"[^\W\d_]", part)  # "3" picks from the list just shown only
    for item in _askable(definition, state):
        if numbered and item.type in CHOICE_TYPES:
            continue
        if item.link_id in taken or item.hidden or _top_group(definition, item) is not group \
                or not (item.format in _SHAPED_FORMATS or item.type in ("date", *CHOICE_TYPES)):
            continue
        parsed = parse_answer(item, part, today, state["answers"])
        value = parsed.value if isinstance(parsed.value, list) else [parsed.value]
        if parsed.is_ok and all(isinstance(v, str) for v in value):  # no free text
            return item, parsed
    return None


def _name_and_tail(definition: Definition, state: dict, current: Item, part: str,
                   today: date) -> list[str]:
    """"Jess Walker mom", "Jess Walker (his mom)": the name, and the relationship after
    it as a fact of its own (a name never ends with an option of its group)."""
    words = re.sub(r"[()]", " ", part).split()
    for size in (2, 1):
        tail = words[-size:]
        if len(words) <= size or (size == 2 and tail[0].lower() not in _POSSESSIVES):
            continue
        home = _home(definition, state, current, tail[-1], today, True, {current.link_id})
        if home and home[0].type in CHOICE_TYPES:
            return [" ".join(words[:-size]), " ".join(tail)]
    return [part]


def _store_facts(definition: Definition, state: dict,
                 facts: list[tuple[Item, Parsed]]) -> Outcome:
    """Store the current answer and the other facts; say which other facts were noted."""
    current, parsed = facts[0]
    _store(definition, state, current, parsed)
    state["history"].append(current.link_id)
    noted = []
    for item, value in facts[1:]:
        if not (_done(state, item.link_id) and state["answers"].get(item.link_id) == value.value):
            _store(definition, state, item, value)
            noted.append(f"{item.short_label}: {_value_text(definition, item, state)}")
    prefix = (definition.messages["also_noted"].format(facts="; ".join(noted)),) if noted else ()
    return _after(definition, state, current, parsed, "ask", prefix=prefix)


# ---------------------------------------------------------------- at the confirm step

# "yes. did my card go thru?": a yes, then a question for the dialogue to answer.
_YES_HEAD_RE = re.compile(r"^\s*([^.?!,;]+?)\s*[.,!;]+\s*(\S.*)$")
_QUESTION_RE = re.compile(r"\?\s*$|^\s*(what|whats|how|when|where|why|who|which|did|do|does|is|are|"
                          r"was|can|could|will|would|should|has|have)\b", re.I)
# "all of what?", "show me the summary": the parent has not seen (or lost) the summary.
_SHOW_RE = re.compile(r"((all|all of|of|right about|is) )?(what|which|huh)( is (all )?(this|that|it))?|"
                      r"what (do|does) (you|that) mean|what (is|are) (all )?(this|that|it|they|them)|"
                      r"(.* )?\b(summary|my answers|the answers|what (i|you) (said|put|have|wrote))\b.*|"
                      r"(show|send|repeat|read)( me)?( it| them| that)?( again)?")
# "i want to change an answer", "something is wrong": a change, but of which answer?
_WANTS_CHANGE_RE = re.compile(r"\b(change|changes|fix|edit|update|correct|wrong|mistake|typo|incorrect|"
                              r"not right|isn'?t right|not correct)\b")
_WRONG_RE = re.compile(r"((is|are|was) )?(wrong|incorrect|not right|off|a mistake|a typo)")


def _yes_then_question(text: str) -> Optional[str]:
    """"" for a plain yes, the question for "yes. did my card go thru?", else None."""
    if is_yes(text):
        return ""
    m = _YES_HEAD_RE.match(clean(text))
    return m[2].strip() if m and is_yes(m[1]) and _QUESTION_RE.search(m[2]) else None


def _confirm_step(definition: Definition, state: dict, text: str, today: date,
                  editing: Optional[str]) -> Optional[Outcome]:
    """What the confirm step does with a message that is no complete edit: "no" or
    "I want to change something" asks which answer; "change the practice" asks its new
    value (and the next message is taken as it); "all of what?" shows the summary
    again, as does any message when the parent never saw it (the web form was
    finished first). None: a complete edit, left to _correction."""
    say, command = definition.messages, re.sub(r"[\s.!,?]+$", "", clean(text).lower())
    found = _target(definition, state, clean(text), None, today)
    if found is None and editing and _done(state, editing):
        item = definition.item(editing)
        parsed = parse_answer(item, _CUE_RE.sub("", clean(text)), today, state["answers"])
        if _WRONG_RE.search(command) or _NO_RE.fullmatch(command):  # "it is wrong": no value
            state["editing"] = editing
            return Outcome("confirm", None, link_id=editing, messages=[
                say["ask_new_value"].format(label=item.short_label)])
        if parsed.status == ERROR:
            state["editing"] = editing
            return Outcome("reask", None, reason=parsed.reason, link_id=editing,
                           messages=[say.get(parsed.reason or "", say["empty"]),
                                     say["ask_new_value"].format(label=item.short_label)])
        _store(definition, state, item, parsed)
        return _after(definition, state, item, parsed, "corrected",
                      prefix=(_changed_line(definition, item, state),))
    if found is not None:
        rest = found.rest.lower().strip(" .!")
        if (not rest and found.parsed.status != OK) or _WRONG_RE.fullmatch(rest):
            state["editing"] = found.item.link_id
            return Outcome("confirm", None, link_id=found.item.link_id, messages=[
                say["ask_new_value"].format(label=found.item.short_label)])
        return None
    if _SHOW_RE.fullmatch(command) or not state.get("summary_sent"):
        return Outcome("confirm", None, messages=confirm_messages(state, definition, again=True))
    if _NO_RE.fullmatch(command) or _WANTS_CHANGE_RE.search(command):
        return Outcome("confirm", None, messages=[say["which_change"]])
    return None


# ---------------------------------------------------------------- what the chat says

def prompt(state: dict, definition: Optional[Definition] = None,
           item: Optional[Item] = None, why: bool = True) -> str:
    """The message that asks `item` (default: the current question) - the plain
    question, or the offered last name ("Is Thompson the last name? ..."); at the
    confirm step the ask."""
    definition = definition or load_definition()
    state = ensure_state(state)
    item = item or next_item(state, definition)
    if item is None:
        return definition.messages["ask_confirm"]
    offer = _offered(state, item)
    if offer and not _done(state, item.link_id) and "offer_last_name" in definition.messages:
        return definition.messages["offer_last_name"].format(value=offer["value"])
    return render(item, definition, why=why)


def render(item: Item, definition: Optional[Definition] = None, why: bool = True) -> str:
    """The SMS for one question: question, why we ask, numbered choices, hints."""
    say = (definition or load_definition()).messages
    lines = [" ".join(p for p in (item.text, item.why if why else None) if p)]
    if item.type == "boolean":
        lines.append("1) Yes 2) No")
    elif item.options:
        lines.append(" ".join(f"{n}) {o.display}" for n, o in enumerate(item.options, 1)))
    if item.type == "open-choice":
        lines.append(say["hint_own_answer"])
    if not item.required:
        lines.append(say["hint_skip"])
    return "\n".join(lines)


def display_value(item: Item, value: Any) -> str:
    """A stored value as the parent would say it."""
    if isinstance(value, list):
        return ", ".join(display_value(item, v) for v in value)
    if isinstance(value, dict):
        return str(value.get("text", ""))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if item.type in CHOICE_TYPES and item.option(str(value)):
        return item.option(str(value)).display
    if item.format == "phone":
        return phone_display(value)
    return _date_text(str(value)) if item.type == "date" else str(value)


def _date_text(iso: str) -> str:
    """2012-04-02 -> Apr 2, 2012; 2023-03 -> Mar 2023 (partial dates stay partial)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 1:
        return str(parts[0])
    month = date(parts[0], parts[1], 1).strftime("%b")
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{month} {parts[2]}, {parts[0]}"


def summary_lines(state: dict, definition: Optional[Definition] = None) -> list[tuple[str, str]]:
    """(section title, "Label: value") for every enabled, answered question."""
    definition = definition or load_definition()
    lines = []
    for item in _askable(definition, ensure_state(state)):
        link = item.link_id
        if not _done(state, link):
            continue
        value = display_value(item, state["answers"][link]) if link in state["answers"] \
            else definition.messages["skipped" if link in state["skipped"] else "unknown"]
        if len(value) > MAX_VALUE_CHARS:
            value = value[:MAX_VALUE_CHARS - 1].rstrip() + "\u2026"
        group = definition.parents[link]
        lines.append((group.text if group else "", f"{item.short_label}: {value}"))
    return lines


def summary(state: dict, definition: Optional[Definition] = None) -> list[str]:
    """The summary as SMS-sized messages (<= 300 chars), one section per message
    when it fits."""
    definition = definition or load_definition()
    messages, section = [definition.messages["summary_intro"]], ""
    for title, line in summary_lines(state, definition):
        text = f"{title}:\n{line}" if title else line
        if title == section and len(messages[-1]) + 1 + len(line) <= MAX_SMS:
            messages[-1] += "\n" + line
        else:
            messages.append(text[:MAX_SMS])
        section = title
    return messages


# ---------------------------------------------------------------- the short summary

def _cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a whole word when one is long enough."""
    if len(text) <= limit:
        return text
    head = text[:limit - 1]
    if " " in head[limit // 2:]:
        head = head.rsplit(" ", 1)[0]
    return head.rstrip(" ,") + "\u2026"


def short_summary_lines(state: dict, definition: Optional[Definition] = None,
                        max_value: int = SHORT_VALUE_CHARS[0]) -> list[tuple[str, str]]:
    """(top-level group linkId, "Label: value") for the key questions only - those
    with an intake-summary label - enabled and answered. Questions sharing a label
    share a line: "Child: Emma Smith", "You: Jane Smith, Mother". Free text is cut
    to `max_value` characters; phone numbers and dates never are."""
    definition = definition or load_definition()
    state = ensure_state(state)
    lines: list[list] = []  # [group, label, text, last item]
    for item in _askable(definition, state):
        if not item.summary or not _done(state, item.link_id):
            continue
        value = _value_text(definition, item, state)
        if item.format != "phone" and item.type != "date":
            value = _cut(value, max_value)
        group = _top_group(definition, item).link_id
        if lines and lines[-1][0] == group and lines[-1][1] == item.summary:
            names = item.format == lines[-1][3].format == "name"
            lines[-1][2] += (" " if names else ", ") + value
            lines[-1][3] = item
        else:
            lines.append([group, item.summary, value, item])
    return [(group, f"{label}: {text}") for group, label, text, _ in lines]


def _top_group(definition: Definition, item: Item) -> Item:
    while definition.parents[item.link_id] is not None:
        item = definition.parents[item.link_id]
    return item


def skipped_count(state: dict, definition: Optional[Definition] = None) -> int:
    """Questions asked now that were skipped or answered "not sure"."""
    definition = definition or load_definition()
    state = ensure_state(state)
    return sum(1 for i in _askable(definition, state) if not i.hidden
               and (i.link_id in state["skipped"] or i.link_id in state["unknown"]))


def short_summary(state: dict, definition: Optional[Definition] = None) -> list[str]:
    """The chat's confirm step: the key facts in at most two SMS grouped by topic
    (child and parent, then the condition), then the ask - three messages, at most
    MAX_SHORT_SUMMARY characters in all. Every answer can be seen and changed on the
    upload page, and the summary says so."""
    definition = definition or load_definition()
    say = definition.messages
    count = skipped_count(state, definition)
    tail = ([say["summary_skipped"].format(count=count)] if count else []) + [say["summary_web"]]
    ask = say["ask_confirm"]
    best: list[str] = []
    for max_value in SHORT_VALUE_CHARS:
        blocks: list[list[str]] = []
        group = None
        for grp, line in short_summary_lines(state, definition, max_value):
            if grp != group:
                blocks.append([])
                group = grp
            blocks[-1].append(line)
        if blocks:
            blocks[0].insert(0, say["summary_key_intro"])
        else:
            blocks = [[say["summary_key_intro"]]]
        blocks[-1].extend(tail)
        best = _two_messages(["\n".join(b) for b in blocks])
        if all(len(m) <= MAX_SMS for m in best) \
                and sum(map(len, best)) + len(ask) <= MAX_SHORT_SUMMARY:
            return best + [ask]
    # Not reached with the definition's labels (a test checks the longest answers);
    # a hand-made definition with many key items is cut rather than sent long.
    room = MAX_SHORT_SUMMARY - len(ask)
    text = "\n".join(best)
    return [_cut(text[:room], MAX_SMS)] + ([_cut(text[MAX_SMS - 1:room], MAX_SMS)]
                                          if len(text) > MAX_SMS else []) + [ask]


def _two_messages(blocks: list[str]) -> list[str]:
    """The blocks (in order) as one message, or two split where the longer of the two
    is shortest: "About your child" and "About you" apart from the condition."""
    if len(blocks) == 1:
        return blocks
    splits = [["\n".join(blocks[:k]), "\n".join(blocks[k:])] for k in range(1, len(blocks))]
    return min(splits, key=lambda pair: max(map(len, pair)))


# ---------------------------------------------------------------- at the confirm step

# At the confirm step any question names an answer to show, never one to change:
# "what did you put for breech?", "whats the practice phone you have?".
_ASK_VALUE_RE = re.compile(r"^\s*(what|whats|what's|which|how|did|do|does|is|are)\b|\?\s*$", re.I)
# Clause breaks between two edits: "relationship is mother and best call time is morning".
_EDIT_SPLIT_RE = re.compile(r"\s*(?:[.;]\s+|,\s*(?:and\s+|also\s+)?|\s+and\s+(?:also\s+)?|\s+also\s+)", re.I)


def asks_for_value(state: dict, text: str, today: date,
                   definition: Optional[Definition] = None) -> list[str]:
    """"what did you put for breech and the practice name?": "Label: value" lines
    for the answered questions the message names; [] when it names none."""
    definition = definition or load_definition()
    state = ensure_state(state)
    if not _ASK_VALUE_RE.search(clean(text)):
        return []
    lines = []
    for part in _EDIT_SPLIT_RE.split(clean(text)):
        target = _target(definition, state, part, None, today)
        if target and target.item.link_id not in {line[0] for line in lines}:
            lines.append((target.item.link_id, f"{target.item.short_label}: "
                                               f"{_value_text(definition, target.item, state)}"))
    return [line for _, line in lines]


def edit_clauses(state: dict, text: str, today: date,
                 definition: Optional[Definition] = None) -> list[str]:
    """A message at the confirm step split into the edits it holds, when it holds
    more than one ("relationship is mother and best call time is morning"); else
    the message itself."""
    definition = definition or load_definition()
    state = ensure_state(state)
    parts = [p for p in _EDIT_SPLIT_RE.split(clean(text)) if p and p.strip()]
    if len(parts) < 2:
        return [text]
    named = [(p, t) for p in parts if (t := _target(definition, state, p, None, today))]
    if len(named) < 2:
        return [text]
    # "the harness was when she was a baby" names a field but gives it no value: ignored
    valued = [p for p, t in named if not t.rest or _gives_value(t)]
    return valued or [text]


def _gives_value(found: _Target) -> bool:
    """Whether an edit sets its field: a value it takes, or a stated skip or "not sure"."""
    return found.parsed.status == OK or (found.stated and bool(found.rest)
                                         and found.parsed.status in (SKIP, UNKNOWN))


def is_command(text: str) -> bool:
    """Whether `apply` takes the message as a command (pause, web form, back), not
    as an answer; callers use it to let such messages through to the engine."""
    command = re.sub(r"[\s.!,?]+$", "", clean(text).lower())
    return bool(_PAUSE_RE.fullmatch(command) or _BACK_RE.fullmatch(command) or (
        _WEB_RE.search(command) and len(command.split()) <= MAX_WEB_WORDS))
