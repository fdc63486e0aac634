"""A yes/no question's reply as parents type it: "yep", "nah", "yes ma'am", "👍", the
iPhone's 'Liked "Does your child ..."', "her dad had it", and for a question about
the family a relative named ("my sister i think") is a yes."""
from __future__ import annotations

import re
from datetime import date

from bot.programs import normalise_words
from bot.questionnaire.model import Item
from bot.questionnaire.parsed import UNKNOWN, Parsed
from bot.safety import has_red_flag

_YES = {"yes", "y", "yeah", "yea", "ya", "yep", "yup", "sure", "correct", "true", "definitely",
        "absolutely", "affirmative", "sometimes", "little", "occasionally", "some", "often",
        "yeh", "yah", "yas", "yessir", "yesir", "yesm", "mhm", "mhmm", "uhuh", "aye", "indeed",
        "yepper", "yeppers", "yupp", "ofc", "si", "claro"}  # "sí", "claro": after Spanish
_NO = {"no", "n", "nope", "nah", "never", "not", "negative", "false", "none", "nada",
       "doesnt", "hasnt", "didnt", "isnt", "dont", "havent", "wasnt", "hadnt",
       "naw", "nay", "nop", "nuhuh", "nuh", "nobody", "noone"}
# "yesss", "yeahhh", "noooo", "nopee": a letter held down.
_LONG_YES_RE = re.compile(r"y+e+s+|y+e+a+h*|y+u+p+|y+e+p+")
_LONG_NO_RE = re.compile(r"n+o+|n+o+p+e+|n+a+h+|n+a+w+")
# "his dad had it", "my sister has it too": a person (a pronoun or a relative) did/has it.
_RELATIVES = (r"((my|his|her|their|our|the) )?(dad|daddy|father|mom|mommy|mother|mum|brother|sister|"
              r"aunt|auntie|uncle|cousin|grandma|grandpa|grandmother|grandfather|granny|nana|"
              r"papa|grandparent|parent|sibling|niece|nephew|husband|wife|stepdad|stepmom|"
              r"half sister|half brother|twin|family member|relative)s?")
_VERB_YES = re.compile(r"^(s?he|they|it|we|i|(" + _RELATIVES + r")((,? and|,|&) (" + _RELATIVES
                       + r"))*( too| also| both)?) "
                       r"(does|do|did|has|have|had|is|was|were)\b")
_RELATIVE_RE = re.compile(r"\b" + _RELATIVES + r"\b")
_NOT_WORDS = {"not", "no", "nor", "neither", "never"}
_FAMILY_RE = re.compile(r"\b(family|relative|runs? in)\b", re.I)

# 'Liked "Does your child have back pain? 1) Yes 2) No"' (iPhone reactions sent as text
# to Android and web numbers), 'Reacted 👍 to "..."' (Android).
_REACTION_RE = re.compile(r"^\s*(liked|loved|disliked|emphasi[sz]ed|laughed at|questioned)\s+[\"“”'‘’«]",
                          re.I)
_REACTED_RE = re.compile(r"^\s*reacted\s+(\S+)\s+to\b", re.I)
_YES_REACTIONS = {"liked": True, "loved": True, "disliked": False}
# Emoji that say yes or no (skin tones and variation selectors are dropped first).
_YES_EMOJI = "👍👌✅✔☑🙋💯🆗🤙"
_NO_EMOJI = "👎❌✖🚫🙅⛔❎"
_MODIFIERS_RE = re.compile("[\U0001F3FB-\U0001F3FF\uFE0F\u200D\u2640\u2642]")

UNSURE_RE = re.compile(r"\b(not sure|unsure|(don'?t|do not|dont) know|idk|no idea|no clue|"
                       r"(can'?t|don'?t) remember|(nobody|no one|noone) knows|not (for )?sure|"
                       r"not certain)\b", re.I)


def _emoji_words(text: str) -> str:
    """A thumbs up is "yes", a cross "no"; a reaction to our question is its verb."""
    if m := _REACTION_RE.match(text):
        answer = _YES_REACTIONS.get(m[1].lower())
        return "" if answer is None else "yes" if answer else "no"
    if m := _REACTED_RE.match(text):
        text = m[1]
    text = _MODIFIERS_RE.sub("", text)
    text = "".join(" yes " if c in _YES_EMOJI else " no " if c in _NO_EMOJI else c for c in text)
    return text


def _word(word: str) -> str:
    if _LONG_YES_RE.fullmatch(word):
        return "yes"
    return "no" if _LONG_NO_RE.fullmatch(word) else word


def _relative_named(words: list[str]) -> bool:
    """A relative named as having it: "my sister i think", "no, but her cousin did";
    not "not her dad" nor "his dad never had it"."""
    for m in _RELATIVE_RE.finditer(" ".join(words)):
        before = " ".join(words)[:m.start()].split()
        if "but" in before:  # "no, but her cousin did": what comes after "but" counts
            before = before[len(before) - before[::-1].index("but"):]
        elif any(w in _NO for w in words):
            continue
        if not _NOT_WORDS & set(before[-3:]):
            return True
    return False


def read_boolean(item: Item, text: str, today: date, answers: dict) -> Parsed:
    text = _emoji_words(text)
    words = [_word(w) for w in normalise_words(text)]
    if words in (["1"], ["2"]):  # shown as "1) Yes 2) No"
        return Parsed.ok(words == ["1"])
    if UNSURE_RE.search(text) and not (item.red_flag and has_red_flag(text)):
        # "not sure, not while with me": unknown, never a "no" (nor a "yes" for "sure")
        return Parsed.error("required") if item.required else Parsed(UNKNOWN)
    joined = " ".join(words)
    # "my sister i think", "no, but her cousin did": about the family, a relative is a yes.
    relative = bool(_FAMILY_RE.search(item.text)) and _relative_named(words)
    yes = any(w in _YES for w in words) or bool(_VERB_YES.match(joined)) or relative
    no = any(w in _NO for w in words)
    if item.red_flag and (yes or has_red_flag(text)):
        return Parsed.ok(True)  # "no numbness but some weakness": over-warn, never miss
    if relative:
        return Parsed.ok(True)
    if yes != no:
        return Parsed.ok(yes)
    if yes and no and words[0] in _YES | _NO:  # "no, not since the brace" / "yes, not often"
        return Parsed.ok(words[0] in _YES)
    return Parsed.error("yes_no")
