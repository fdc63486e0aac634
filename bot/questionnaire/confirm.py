"""The confirm step: a yes (maybe with a question after it), a no or "change
something", a field to change without its value, showing the summary again, and
messages that ask for or change several answers at once."""
from __future__ import annotations

import re
from datetime import date
from typing import Optional

from bot.programs import normalise_words
from bot.questionnaire.answers import ERROR, OK, clean, parse_answer
from bot.questionnaire.corrections import _CUE_RE, _FREE_TEXT, _gives_value, _target, parse_edit
from bot.questionnaire.model import Definition, Item, load_definition
from bot.questionnaire.prompts import _changed_line, _value_text
from bot.questionnaire.state import Outcome, _askable, _done, _store, ensure_state
from bot.questionnaire.steps import _after
from bot.questionnaire.summary import confirm_messages

# "yes", "yep all good", "that's correct", "perfect thanks", "1": every word is one of
# these, at least one of them says yes, and none says no.
_YES_WORDS = frozenset("yes y ya yea yeah yep yup correct right good great perfect fine "
                       "ok okay k sure confirm confirmed accurate exactly absolutely definitely "
                       "lgtm 1 yass yess alright si claro correcto bien".split())
_YES_FILLERS = frozenset("that thats its it is all looks look looking everything everythings "
                         "thanks thank you thx ty so very much sounds seems of this the are "
                         "they them info answers well now i think to me please go ahead and "
                         "totally just theyre thats whats said already told que todo esta "
                         "gracias".split())
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
        _, parsed = parse_edit(item, _CUE_RE.sub("", clean(text)), state, today)
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


# At the confirm step any question names an answer to show, never one to change:
# "what did you put for breech?", "whats the practice phone you have?".
_ASK_VALUE_RE = re.compile(r"^\s*(what|whats|what's|which|how|did|do|does|is|are)\b|\?\s*$", re.I)
# Clause breaks between two edits: "relationship is mother and best call time is morning".
_EDIT_SPLIT_RE = re.compile(r"\s*(?:[.;]\s+|,\s*(?:and\s+|also\s+)?|\s+and\s+(?:also\s+)?|\s+also\s+)", re.I)


def asks_for_value(state: dict, text: str, today: date,
                   definition: Optional[Definition] = None) -> list[str]:
    """"what did you put for breech and the practice name?": "Label: value" lines
    for the answered questions the message names; [] when it names none. A
    definition that quotes no answers (SMS) says where to read them instead."""
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
    if lines and not definition.quotes_answers:  # never the value: where to read it
        return [definition.messages["value_on_page"]]
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


MAX_VALUE_FIELDS = 4  # "Which answer is that for?": at most this many choices
_NUMBER_RE = re.compile(r"(about|around|like|maybe|~)?\s*\d+(\.\d+)?\s*([a-z]+|°)?", re.I)


def value_fields(state: dict, text: str, today: date,
                 definition: Optional[Definition] = None) -> Optional[list[Item]]:
    """A new value alone at the confirm step ("5/3/2015", "45", "female"): the answers
    it could change, for the parent to pick (never guessed: over SMS the answers are
    not said back, so a wrong change would go unseen). [] when it fits none that a
    value alone can name (a name, free text); None when the message is something else
    (a yes or a no, an edit that names its answer, a question, "show me")."""
    definition = definition or load_definition()
    state = ensure_state(state)
    words = clean(text)
    command = re.sub(r"[\s.!,?]+$", "", words.lower())
    if not words or state.get("editing") or not state.get("summary_sent") or "?" in words \
            or _yes_then_question(text) is not None or _NO_RE.fullmatch(command) \
            or _SHOW_RE.fullmatch(command) or _WANTS_CHANGE_RE.search(command) \
            or _ASK_VALUE_RE.search(words) or _target(definition, state, words, None, today):
        return None
    found = []
    for item in _askable(definition, state):
        if item.hidden or item.type == "boolean" or (item.type in _FREE_TEXT and item.format in (None, "name")):
            continue
        if item.options and words.strip().isdigit():  # "3" picks from a list not shown
            continue
        if item.type in ("integer", "decimal") and not _NUMBER_RE.fullmatch(words):
            continue  # "5/3/2015" holds numbers but is no curve size
        _, parsed = parse_edit(item, words, state, today)
        own = [v for v in (parsed.value if isinstance(parsed.value, list) else [parsed.value])
               if isinstance(v, dict)]  # an own answer ("Or type your own") fits anything
        if parsed.status == OK and not own:
            found.append(item)
    return found[:MAX_VALUE_FIELDS]


def set_value(state: dict, link_id: str, text: str, today: date,
              definition: Optional[Definition] = None) -> Outcome:
    """The answer picked for a value sent alone ("Which answer is that for?" "1")."""
    return _confirm_step(definition or load_definition(), ensure_state(state), text, today, link_id)
