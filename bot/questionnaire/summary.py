"""The summaries of the answers: the full summary, the chat's short summary of the
key facts, and the confirm step's messages (the short summary and the ask)."""
from __future__ import annotations

from typing import Optional

from bot.questionnaire.model import Definition, Item, load_definition
from bot.questionnaire.prompts import _value_text, display_value
from bot.questionnaire.state import _askable, _done, ensure_state

MAX_SMS = 300
MAX_VALUE_CHARS = 120  # long free text is cut in the summary, never in the answers
MAX_SHORT_SUMMARY = 600  # the chat's short summary, the ask included: all characters
SHORT_VALUE_CHARS = (40, 30, 24, 18, 14)  # value cuts tried until the summary fits


def confirm_messages(state: dict, definition: Optional[Definition] = None,
                     prefix: Optional[list[str]] = None, again: bool = False) -> list[str]:
    """The confirm step as the parent should see it: the short summary and the ask
    when they have not seen it (it went out never, e.g. the web form was finished
    first) or ask for it `again`; else only the ask. A definition that quotes no
    answers (SMS) sends, instead of the summary, where to read and change them."""
    definition, prefix = definition or load_definition(), list(prefix or [])
    if state.get("summary_sent") and not again:
        return [*prefix, definition.messages["ask_confirm"]]
    state["summary_sent"] = True
    if definition.quotes_answers:
        messages = short_summary(state, definition)
    else:  # no answer over this channel: where to read them all, then the ask
        messages = [definition.messages["answers_on_page"], definition.messages["ask_confirm"]]
    if prefix and len(prefix[-1]) + 1 + len(messages[0]) <= MAX_SMS:
        messages[0] = prefix[-1] + "\n" + messages[0]  # "Welcome back!" and the summary
        prefix = prefix[:-1]
    return [*prefix, *messages]


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
