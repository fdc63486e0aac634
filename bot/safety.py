"""Red-flag symptoms that need urgent care now, spotted in free text.

The NLU model has a `red_flag` intent too; this rule-based check runs beside it so a
clear warning sign is never lost to a low classifier score. Over-warning is the
safe failure here: a worried parent told to seek care loses little.

Parents text in free form (typos, SMS shorthand, no punctuation, long stories), so a
message is first normalised (``normalise``): lower case, apostrophes dropped
("can't" -> "cant"), shorthand expanded ("r" -> "are", "2day" -> "today"), phrasings of
inability folded ("unable to", "can not" -> "cant") and small typos of the key words
corrected ("numbnes", "feverr", "wlak"). Symptom patterns then run over each sentence
and every hit is checked against its own context:

* negation before it in the same clause ("no numbness", "denies weakness", "she hasn't
  had any bladder problems") or right after it ("numbness? no", "bladder is normal");
  a clause ends at "but", "now", "today", ", she ..." and the like, so "no fever but
  she won't walk today" still fires. Inability phrasings ("can't walk", "won't put
  weight on it", "no feeling in her toes") carry their own negation and are immune.
* hypotheticals and check-ups ("call if she ever gets numbness", "risk of paralysis",
  "the doctor checked for numbness");
* history ("years ago she had a fever", "when she was 2");
* for the softer signs only (limp-like walking, tripping, bed-wetting, accidents):
  long-standing or expected cues ("for months", "always", "still potty training").

Some signs count only together: fever with hip/leg/back pain, limping or not walking;
fever after surgery; severe pain after a fall or accident, or out of nowhere.
"""
from __future__ import annotations

import re
from bot.red_flag_patterns import _PATTERNS, _Pattern
from bot.safety_normalise import normalise

__all__ = ["has_red_flag", "asks_emergency_question", "red_flag_findings", "says_known",
           "sounds_worse", "sign_groups"]


# ------------------------------------------------------------------ context cues

# ends the reach of a negation or hypothetical cue inside a sentence
_TERMINATOR_RE = re.compile(
    r"\b(?:but|however|though|although|except|yet|whereas|now|then|until|before|today|tonight|"
    r"this (?:morning|afternoon|evening|week)|since (?:yesterday|last night|this|then)|"
    r"so(?! bad| much| hard| badly)|because|also|plus|"
    r"and (?:(?:s?he|they|her|his|now|then|today|tonight|i|we|it|its|shes|hes|my|the|(?:is|was|has)\b)))\b"
    r"|,\s*(?=(?:s?he|they|her|his|i|we|it|its|shes|hes|theyre|my|the|now|but|and|today|no|not|"
    r"tonight|yesterday|this|since|then|also)\b)")

_NEGATION_RE = re.compile(
    r"\b(?:no(?!\s*,?\s*(?:her|his|my|she|he|they|i|we|it|its|the|this|one|idea|clue|doubt|"
    r"matter|wonder|joke|kidding|longer))|not(?!\s+(?:sure|only|just|that|certain|to mention|knowing))|"
    r"never|without|denies|denied|deny|nor|neither|none|zero|"
    r"(?:isnt|arent|wasnt|werent|hasnt|havent|hadnt|doesnt|dont|didnt)(?!\s+(?:know|think|understand|"
    r"want|wanna|mean|remember|care|believe|seem to\s+(?:know|care)|get why|see why))|"
    r"free of|negative (?:for|on)|absence of|nothing like|ruled out|rule out)\b")

_HYPOTHETICAL_RE = re.compile(
    r"(?<!sure )(?<!know )(?<!wondering )(?<!wonder )(?<!unsure )(?<!idk )(?<!asking )"
    r"(?<!curious )(?<!tell )(?<!matters )\bif\b|\bwhat if\b|\bin case\b|\bwatch(?:ing)?\s+(?:out\s+)?for\b|"
    r"\blook(?:ing)?\s+out\s+for\b|\bwarning signs?\b|\bred flags?\b|"
    r"\b(?:signs|symptoms)\s+(?:like|such as)\b|"
    r"\brisks?\b|\bchances?\b|\bpossib\w*|\b(?:scared|afraid|fear)\s+of\b|\bprevent\w*|\bavoid\w*|"
    r"\b(?:could|can|might|may|would|does|do|will)\s+(?:\w+\s+){0,4}?(?:cause|lead to|result in|give)\b|"
    r"\bwill\s+(?:s?he|they|it)\s+(?:be|get|have|end)\b|"
    r"\b(?:check\w*|test\w*|screen\w*|look\w*|evaluat\w*|examin\w*)\s+(?:\w+\s+)?for\b|"
    r"\basked\s+(?:\w+\s+)?(?:about|if|whether)\b|\bask(?:ing)?\s+about\b|\bever\b")

_HISTORY_RE = re.compile(
    r"\b(?:(?:\d+|a|an|one|two|three|four|five|few|a few|couple|a couple|couple of|several|many)\s+)?"
    r"years?\s+ago\b|\blast year\b|\bwhen (?:s?he|they|i|we) (?:was|were) (?:little|a baby|a toddler|"
    r"younger|small|an infant|a newborn|born|\d+)\b|\bas an? (?:baby|toddler|newborn|infant|little)\b"
    r"|\bin (?:19|20)\d\d\b|\bused to\b|\boutgrew\b|\bback (?:in|when)\b|\bat birth\b")

_CHRONIC_RE = re.compile(
    r"\bfor (?:the (?:past|last) |a |about |like |over |almost |\d+ |a few |a couple (?:of )?|several |"
    r"many )?(?:months|years|long time|while|ages|forever)\b|\b(?:\d+|few|couple|several|many)\s+"
    r"(?:months|years)\b"
    r"|\bsince (?:s?he|they) (?:was|were) (?:little|a baby|a toddler|born|young|small|\d+)\b"
    r"|\bsince birth\b|\balways\b|\b(?:all|whole|entire) (?:(?:her|his|their) )?li(?:fe|ves)\b"
    r"|\bstill\b|\bsometimes\b|\boccasionally\b|\bonce in a while\b|\bnow and then\b|\bused to\b"
    r"|\boutgrew\b|\bpotty training\b|\b(?:not|isnt|arent|wasnt)\s+(?:fully |completely |totally |yet )?"
    r"(?:potty |toilet )?trained\b|\bwhen (?:s?he|they) (?:laughs?|sneezes?|coughs?)\b|\blaughing\b"
    r"|\bgrowing pains\b|\bhas for years\b|\bclumsy\b|\bthats just (?:her|him)\b|\bflat feet\b")

_POST_NEGATION_RE = re.compile(
    r"^\s*(?:[?:=\-]\s*)+(?:no|none|nope|nah|negative|neg|denies|denied|never|normal|fine|n/a)\b"
    r"|^\s*(?:(?:and|or|/)\s+(?:bladder|bowels?|weakness|numbness|tingling)\s+)?"
    r"(?:is|are|was|were|has been|have been|seems?|seemed|looks?|looked|came back|checked out|been)\s+"
    r"(?:totally |completely |all |perfectly |both |always |pretty )?(?:fine|normal|ok|okay|good|"
    r"negative|gone|resolved|clear|great)\b"
    r"|^\s*(?:free|gone|went away|is gone|broke|resolved|is down|came down|is better)\b")

_NEW_ONSET_RE = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:until|till|before)\s+(?:today|yesterday|"
                           r"this|last night|now|tonight|\w+day)\b")

_NEG_WINDOW = 8  # tokens between a negation cue and the symptom


def _sentences(norm: str) -> list[str]:
    parts = re.split(r"\s+(?:[.!?;\n]\s+)+|\s*(?<!\d)\.(?!\d)\s*|[!?;\n]", norm)
    return [p.strip() for p in parts if p and p.strip()]


def _scope_before(sentence: str, start: int) -> str:
    """The words before `start` back to the last clause break."""
    before = sentence[:start]
    last = None
    for m in _TERMINATOR_RE.finditer(before):
        last = m
    if last is not None:
        before = before[last.start():]
        # a terminator word itself ("now", "today") is no cue; drop it
    return before


def _subclause(sentence: str, start: int, end: int) -> str:
    before = _scope_before(sentence, start)
    after = sentence[end:]
    m = _TERMINATOR_RE.search(after)
    if m:
        after = after[:m.start()]
    return before + sentence[start:end] + after


def _negated(sentence: str, m: re.Match, pattern: _Pattern, full_after: str) -> bool:
    scope = _scope_before(sentence, m.start())
    if not pattern.immune:
        hits = list(_NEGATION_RE.finditer(scope))
        if hits:
            words_between = len(scope[hits[-1].end():].split())
            if words_between <= _NEG_WINDOW and not _NEW_ONSET_RE.match(sentence[m.end():]):
                return True
        inside = m.group(0)
        if re.search(r"\b(?:not|isnt|arent|wasnt|werent|never|dont|doesnt|didnt|no)\b", inside):
            return True
        if _POST_NEGATION_RE.match(full_after):
            return True
    return False


def _hypothetical(sentence: str, m: re.Match) -> bool:
    return bool(_HYPOTHETICAL_RE.search(_scope_before(sentence, m.start())))


def red_flag_findings(text: str | None) -> set[str]:
    """Names of the symptom patterns that fire in `text` after context checks
    (negation, hypotheticals, history, long-standing cues). For logs and tests."""
    norm = normalise(text)
    found: set[str] = set()
    if not norm:
        return found
    for sentence in _sentences(norm):
        offset = norm.find(sentence)
        for pattern in _PATTERNS:
            for m in pattern.rx.finditer(sentence):
                full_after = norm[offset + m.end():] if offset >= 0 else sentence[m.end():]
                if _negated(sentence, m, pattern, full_after) or _hypothetical(sentence, m):
                    continue
                clause = _subclause(sentence, m.start(), m.end())
                if _HISTORY_RE.search(clause):
                    continue
                if pattern.soft and _CHRONIC_RE.search(clause):
                    continue
                if pattern.benign is not None and pattern.benign.search(clause):
                    continue
                found.add(pattern.name)
                break
    return found


_FLAG_NAMES = frozenset(p.name for p in _PATTERNS if p.role == "flag")
_ROLE = {p.name: p.role for p in _PATTERNS}


def _fires(found: set[str]) -> bool:
    if found & _FLAG_NAMES:
        return True
    roles = {_ROLE[n] for n in found}
    if "fever" in roles and roles & {"site", "post_op"}:
        return True
    if "severe" in roles and roles & {"trauma", "sudden", "immobile"}:
        return True
    if "immobile" in roles and "trauma" in roles:
        return True
    return False


def has_red_flag(text: str | None) -> bool:
    if not text:
        return False
    return _fires(red_flag_findings(text))


# ------------------------------------------------------------------ emergency questions

_ER_RE = re.compile(
    r"\b(?:er|ers|emergency\s+(?:room|department|dept|center|centre)|urgent\s*care|urgentcare|"
    r"ed)\b")
_CALL_FOR_HELP_RE = re.compile(r"\b(?:911|ambulance|ems|paramedics)\b")
_EMERGENCY_WORD_RE = re.compile(r"\bemergenc(?:y|ies)\b(?!\s+(?:contact|number|contacts|phone))")
_PLACE = (r"(?:(?:the|a|an|your|yalls|our|my|local|nearest|closest|another|different|\w+s)\s+)*"
          r"(?:hospitals?|er|ed|emergency\s+\w+|urgent\s*care|clinic|you|yall|atlanta|childrens|"
          r"choa|egleston|scottish rite|hughes spalding|arthur blank|doctor|surgeon|pediatrician|"
          r"ortho\w*|there|here)\b")
# a travel verb that leads to a place: "should we drive to you", "take her to the er",
# "can we come straight there", "should i take him somewhere now"
_GO_TO_RE = re.compile(
    r"\b(?:go|going|take|taking|bring|bringing|drive|driving|head|heading|come|coming|rush|run|"
    r"get|transfer|carry)\s+(?:(?:him|her|them|my \w+|the baby|straight|right|directly|back|"
    r"over|down|up|just|all the way|\d+(?:\.\d+)?\s+(?:hours?|minutes|mins|miles))\s+){0,3}"
    rf"(?:(?:to|into|in to|towards?)\s+{_PLACE}|there\b|here\b|somewhere\b|anywhere\b|straight\b|"
    r"local(?:ly)?\b)"
    r"|\b(?:what|which)\s+(?:\w+\s+)?(?:hospital|er|ed|urgent care|emergency room|clinic)\s+"
    r"(?:should|shud|do|can|would)\s+(?:i|we)\b")
_GO_IN_RE = re.compile(
    r"\b(?:take|bring|get|rush|carry)\s+(?:him|her|them|my \w+|the baby)\s+in\b(?!\s+(?:after|later|"
    r"to talk|to meet|for (?:a|the) (?:visit|consult|appointment)))|\bgo\s+in\b(?!\s+(?:after|later))"
    r"|\bbe\s+seen\b|\bsee\s+(?:him|her|them|us)\b")
_WAIT_RE = re.compile(
    r"\b(?:ok|okay|safe|alright|fine|bad|wrong|dangerous)\s+(?:\w+\s+){0,2}?(?:to\s+)?wait\b"
    r"|\b(?:can|could|should|do|does|will)\s+(?:it|this|that|we|i|s?he|they)\s+(?:just\s+)?wait\b"
    r"|\bwait\s+(?:and see|it out|until|for|overnight)\b|\bor\s+(?:just\s+)?wait\b")
_URGENT_Q_RE = re.compile(
    r"\bhow\s+(?:urgent|serious|worried)\b|\bhow\s+bad\s+is\s+(?:this|it|that)\b"
    r"|\bis\s+(?:this|it|that)\s+(?:\w+\s+)?(?:urgent|serious|an emergency|emergency|bad enough|"
    r"dangerous)\b|\bbad enough\b")
_SOON_RE = re.compile(
    r"\b(?:now|right now|tonight|today|right away|asap|immediately|this (?:morning|afternoon|"
    r"evening|minute)|or wait|before (?:monday|tomorrow|morning))\b")
_NOW_RE = re.compile(
    rf"{_SOON_RE.pattern}|\b(?:straight|instead)\b|\b\d+(?:\.\d+)?\s+(?:hours?|minutes|mins)\b")
_QUESTION_RE = re.compile(
    r"\?|^(?:is|are|do|does|can|could|should|will|would|which|where|what|how|when|ok|okay|"
    r"whats|wheres|hows|whens|any)\b|\b(?:nearest|closest)\b"
    r"|\b(?:should|do|can|could|would|must|shall)\s+(?:i|we|s?he|they|you|yall|it|this)\b"
    r"|\b(?:which|where|what|whether|wondering|idk|not sure)\b|\bor\b|\bneed to\b")
_WHAT_TO_DO_RE = re.compile(
    r"\bwhat\s+(?:do|should|can|shall)\s+(?:i|we)\s+do\b|\bwhat\s+now\b"
    r"|\bhelp\b|\bwhere\s+(?:do|should)\s+(?:i|we)\s+go\b")
# the question is about the review service, billing or a later visit, not about now
_SERVICE_RE = re.compile(
    r"\b(?:review|reviews|reviewed|reviewers?|report|records?|x ?rays?|films?|images?|imaging|mri|"
    r"ct|upload\w*|mail\w*|send\w*|submit\w*|price|cost|pay\w*|bill|billing|charge|insurance|"
    r"medicaid|referral|results?|second opinion|consult\w*|eligib\w*|in person|virtual\w*|"
    r"video|ipad|schedule\w*|later|after|address|fee|disc|cd|appointments?|visit|locations?|"
    r"meet|talk|discuss|go over|physical|checkup|check up|treatment|rather|prefer|set (?:that|it|this) up)\b")
# elective decisions ("surgery or wait") are medical-advice questions, not emergencies
_ELECTIVE_RE = re.compile(
    r"\b(?:surgery|fusion|operation|brace|bracing|therapy|pt|injections?|treatment|rods?)\b")
_PAST_ER_RE = re.compile(
    r"\b(?:went|been|was|were|took\s+(?:him|her|them))\s+(?:to|in|at)\s+(?:the\s+)?"
    r"(?:er|emergency|hospital)\b"
    r"|\b(?:er|ed)\s+(?:doctor|doc|visit|trip|said|told|found|did|took|x\s?rays?|bill|records?)\b")


def asks_emergency_question(text: str | None) -> bool:
    """True when the parent asks what to do about an urgent symptom right now: which ER,
    urgent care or ER, whether to call 911, drive to us instead, or wait until Monday.
    False for questions about the review service ("how long does the review take")."""
    norm = normalise(text)
    if not norm:
        return False
    if _CALL_FOR_HELP_RE.search(norm):
        return True
    service = bool(_SERVICE_RE.search(norm))
    question = bool(_QUESTION_RE.search(norm))
    now = bool(_NOW_RE.search(norm))
    soon = bool(_SOON_RE.search(norm))
    go_to = bool(_GO_TO_RE.search(norm))
    wait = bool(_WAIT_RE.search(norm))
    if _ER_RE.search(norm) and (question or now):
        # "do you need the ER records", "we went to the ER last month, can you review
        # those": the ER is named but the question is about the review
        if not service or soon or wait or (go_to and not _PAST_ER_RE.search(norm)):
            return True
    if not question:
        return False
    elective_wait = wait and bool(_ELECTIVE_RE.search(norm))  # "dangerous to wait on surgery?"
    if (_URGENT_Q_RE.search(norm) or _EMERGENCY_WORD_RE.search(norm)) and not service \
            and not elective_wait:
        return True
    if go_to and (soon or (not service and (now or re.search(
            r"\b(?:should|shud|can|could)\s+(?:i|we)\b|\bor\b", norm)))):
        return True
    if _GO_IN_RE.search(norm) and (soon or (wait and not _ELECTIVE_RE.search(norm))):
        return True
    if wait and not _ELECTIVE_RE.search(norm):
        if not service:
            return True
        if re.search(r"\bwait\s+(?:\w+\s+){0,2}?(?:until|for)\s+(?:\w+\s+){0,2}?appointment\b", norm):
            return True  # waiting to see a doctor, not for the review
    if re.search(r"\bwhere\s+(?:should|do|can|shall|would)\s+(?:i|we)\s+(?:go|take|bring)\b", norm) \
            and not service:
        return True
    if _WHAT_TO_DO_RE.search(norm) and has_red_flag(text):
        return True
    return False


# ------------------------------------------------------------------ told again

# "its not an emergency its been like that for months his doctor knows", "like I told
# you": the sign is known and not new. Read on normalised text (apostrophes dropped).
_KNOWN_RE = re.compile(
    r"\b(?:not|isnt|no)\s+(?:an?\s+)?(?:emergency|urgent|new|sudden)\b|\bnothing new\b|"
    r"\b(?:been|had it|had that|has had it|happen\w*|like (?:this|that))\s+(?:\w+\s+){0,3}?"
    r"(?:for|since)\s+(?:\w+\s+){0,2}?(?:months?|years?|ages|a while|a long time|forever|birth)\b|"
    r"\b(?:doctor|doc|dr|pediatrician|surgeon|neurologist|physician|ortho\w*)s?\s+(?:\w+\s+){0,3}?"
    r"(?:knows?|knew|is aware|are aware|checked|looked at|has seen|saw|said (?:its|it is) fine)\b|"
    r"\b(?:i|we)\s+(?:already\s+)?(?:told|said|mentioned)\b|\balready\s+(?:told|said|mentioned|"
    r"checked)\b|\bsame as (?:before|always)\b|\bnormal for (?:him|her|them)\b")
# "worse", "new", "now he can't walk": something that is news, so the urgent message again.
_WORSE_RE = re.compile(
    r"\b(?:worse|worsening|spread\w*|more (?:often|numb|weak)|new (?:sign|symptom)|"
    r"(?:just|only) (?:started|began|now)|started (?:today|tonight|yesterday|this)|suddenly|"
    r"all of a sudden|(?:today|tonight) (?:s?he|they) (?:cant|wont|is|was)|now (?:s?he|they) (?:cant|wont)|"
    r"both (?:legs|feet|arms|sides)|cant (?:walk|stand|move|feel|pee|hold))\b")
# Signs that are one thing to a parent ("numb and tingly"): told again, not new.
_SIGN_GROUP = {"tingling": "numbness", "lost_feeling": "numbness", "no_strength": "weakness",
               "giving_out": "weakness", "knee_gives_out": "weakness", "wont_walk": "cant_walk",
               "trouble_walking": "cant_walk", "bladder_control": "incontinence",
               "no_control": "incontinence", "wet_self": "incontinence"}


def says_known(text: str | None) -> bool:
    """The parent says the sign is known to a doctor, long-standing or not an emergency,
    and nothing in the message is new or worse."""
    norm = normalise(text)
    return bool(norm) and bool(_KNOWN_RE.search(norm)) and not sounds_worse(text)


def sounds_worse(text: str | None) -> bool:
    return bool(_WORSE_RE.search(normalise(text)))


def sign_groups(text: str | None) -> set[str]:
    """The warning signs in `text`, with the ones a parent says in one breath merged."""
    return {_SIGN_GROUP.get(n, n) for n in red_flag_findings(text) if _ROLE.get(n) == "flag"}
