"""The chat walk-through of the questionnaire: one short question at a time.

Stateless over one plain JSON dict (a Rasa slot or a DB column), so "later" then a
message days later - even after a restart - resumes at the same question. The
current question is never stored: it is always the first enabled one without an
answer, so it cannot go stale. state = {"answers": {linkId: value}, "history":
[linkId...], "skipped": [...], "unknown": [...], "red_flags": [...], "paused",
"confirmed"}."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator, Optional

from bot.phones import display as phone_display
from bot.questionnaire.answers import ERROR, OK, SKIP, UNKNOWN, Parsed, clean, parse_answer
from bot.questionnaire.model import CHOICE_TYPES, Definition, Item, enabled, load_definition

MAX_SMS = 300
MAX_VALUE_CHARS = 120  # long free text is cut in the summary, never in the answers


@dataclass
class Outcome:
    # ask | reask | back | corrected | red_flag | paused | resumed | confirm | done | web_form
    kind: str
    item: Optional[Item] = None  # the question to ask now (None: all answered)
    reason: Optional[str] = None  # why the answer was refused (a message code)
    link_id: Optional[str] = None  # the red-flag, corrected or undone question
    messages: list[str] = field(default_factory=list)  # what to send, in order


def new_state(prefill: Optional[dict[str, Any]] = None,
              definition: Optional[Definition] = None) -> dict:
    """A fresh state; `prefill` ({"screening.home_zip": "31201", ...}) answers the
    items that name those keys, so the parent is not asked again."""
    definition = definition or load_definition()
    state = ensure_state({})
    for item in definition.questions():
        value = (prefill or {}).get(item.prefill) if item.prefill else None
        if isinstance(value, date):
            value = value.isoformat()
        if value not in (None, "") and (not item.options or item.option(str(value))):
            state["answers"][item.link_id] = value
    return state


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
_YES_RE = re.compile(r"yes|y|yep|yeah|yup|correct|looks (good|right)|all good|that'?s right|"
                     r"right|ok(ay)?|good|perfect|confirm(ed)?")
_CUE_RE = re.compile(r"^\s*(actually|correction|sorry|oops|wait|i meant|i mean|change|fix|"
                     r"typo|update)\b[\s:,.-]*", re.I)
_LEAD_RE = re.compile(r"[\s:=,-]*((is|was|are|should be|should have been|to|it'?s|not|on|in)\b"
                      r"[\s:=,-]*)*", re.I)


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
    if corrected := _correction(definition, state, text, today, current):
        return corrected
    if current is None and _YES_RE.fullmatch(command):
        state["confirmed"] = True
        return Outcome("done", None, messages=[say["done"]])
    if current is None:
        return _reask(definition, None, "confirm")
    parsed = parse_answer(current, _CUE_RE.sub("", text), today, state["answers"])
    if parsed.status == ERROR:
        return _reask(definition, current, parsed.reason)
    record(state, current, parsed)
    state["history"].append(current.link_id)
    return _after(definition, state, current, parsed, "ask")


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
    item, prefix = next_item(state, definition), prefix or []
    if item is not None:
        return Outcome(kind, item, link_id=link_id, messages=[*prefix, render(item, definition)])
    state["confirmed"] = False  # every end (or change after the end) is confirmed again
    return Outcome("confirm" if kind in ("ask", "resumed", "back") else kind, None,
                   link_id=link_id, messages=[*prefix, *summary(state, definition),
                                              definition.messages["ask_confirm"]])


def _reask(definition: Definition, item: Optional[Item], reason: str,
           link_id: Optional[str] = None, prefix: str = "") -> Outcome:
    said = " ".join(p for p in (prefix, definition.messages.get(reason, "")) if p)
    return Outcome("reask", item, reason=reason, link_id=link_id,
                   messages=[said] + ([render(item, definition)] if item else []))


def _back(definition: Definition, state: dict, current: Optional[Item]) -> Outcome:
    """Undo the last answer given in the chat (prefilled ones are not in history)."""
    if not state["history"]:
        return _reask(definition, current, "cannot_go_back")
    link_id = state["history"].pop()
    _forget(state, link_id)
    return _next(definition, state, "back", link_id=link_id)


def _target(definition: Definition, state: dict, text: str,
            current: Optional[Item]) -> tuple[Optional[Item], str, bool]:
    """The earlier question a message names by keyword (longest keyword wins), the
    words after it ("her birthday is 4/2/2012" -> "4/2/2012") and whether they are
    stated as a value ("is", ":", "should be"...)."""
    best: tuple = (0, None, "", False)
    for item in _askable(definition, state):
        if item is current or not _done(state, item.link_id):
            continue
        for keyword in item.keywords:
            words = [re.escape(w).replace("'", "'?") for w in keyword.split()]
            m = re.search(r"\b" + r"[\s-]+".join(words) + r"s?\b", text, re.I)
            if m and len(keyword) > best[0]:
                lead = _LEAD_RE.match(text, m.end())[0]
                best = (len(keyword), item, text[m.end() + len(lead):].strip(),
                        bool(lead.strip(" ,")))
    return best[1:]


def _correction(definition: Definition, state: dict, text: str, today: date,
                current: Optional[Item]) -> Optional[Outcome]:
    """"actually her birthday is 4/2/2012": change that answer, then go on with the
    current question. Without a cue word ("actually", "oops"...) a message is only
    taken as a correction when it is no answer to the current question; a question
    ("actually, is her curve too big?") never is."""
    text = clean(text)
    target, rest, stated = _target(definition, state, text, current)
    if target is None:
        return None
    cue = bool(_CUE_RE.match(text)) and not text.endswith("?")
    current_ok = current is not None and parse_answer(
        current, _CUE_RE.sub("", text), today, state["answers"]).status != ERROR
    parsed = parse_answer(target, rest or text, today, state["answers"])
    if parsed.status == OK and (cue or not current_ok):  # "actually idk" drops no answer
        record(state, target, parsed)
        note = definition.messages["changed"].format(
            label=target.short_label.lower(), value=display_value(target, parsed.value))
        return _after(definition, state, target, parsed, "corrected", prefix=(note,))
    if parsed.status != OK and (cue and (stated or not current_ok) or current is None):
        note = definition.messages["not_changed"].format(label=target.short_label.lower())
        return _reask(definition, current, parsed.reason or "required",
                      link_id=target.link_id, prefix=note)
    return None


def render(item: Item, definition: Optional[Definition] = None) -> str:
    """The SMS for one question: question, why we ask, numbered choices, hints."""
    say = (definition or load_definition()).messages
    lines = [" ".join(p for p in (item.text, item.why) if p)]
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
