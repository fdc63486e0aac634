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
from dataclasses import dataclass
from functools import lru_cache
from bot.typos import within_one_edit

__all__ = ["has_red_flag", "asks_emergency_question", "red_flag_findings", "normalise"]

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


# ------------------------------------------------------------------ patterns

_BODY = (r"(?:legs?|feet|foot|toes?|thighs?|knees?|ankles?|hips?|calf|calves|shins?|"
         r"bottom|butt|buttocks|bum|groin|privates?|crotch|lower body|waist down|arms?|hands?|"
         r"fingers?|one side|left side|right side)")
_LIMB = r"(?:legs?|feet|foot|toes|arms?|hands?|lower body|one side|left side|right side)"
_POSS = r"(?:his|her|their|my|the|both|either|one|its|of|each)"
_SIDE = r"(?:(?:left|right|lower|bad|good|other|injured)\s+)?"
_CANT = (r"(?:cant|wont even|can barely|could barely|can hardly|could hardly|barely|hardly|"
         r"struggl\w* to|no longer)")
_ADV = r"(?:(?:even|really|properly|normally|at all|seem to|get|bring (?:him|her)self to)\s+)*"
_NOT_WALK_LIMITS = (r"(?!\s+(?:very\s+|that\s+|too\s+|as\s+|so\s+|more than\s+)?(?:far|long|fast|much|"
                    r"distances?|for long|for (?:more|hours|very|a long)|up\s*hills?|upstairs|yet|"
                    r"without (?:getting|stopping|resting|taking|a break|tiring|being tired)))")
_PAIN = r"(?:pain|painful|hurt\w*|ache\w*|aching|sore|tender)"
_HIP_PARTS = (r"(?:hips?|legs?|knees?|back|spine|groin|thighs?|butt|bottom|ankles?|joints?|"
              r"neck|foot|feet)")


@dataclass(frozen=True)
class _Pattern:
    name: str
    role: str           # "flag" fires alone; anything else is a component of a combination
    rx: re.Pattern
    immune: bool = False   # carries its own negation ("cant walk"): negation cues don't apply
    soft: bool = False     # also suppressed by long-standing/expected cues ("for months")
    benign: re.Pattern | None = None  # a harmless explanation in the same clause


def _p(name, role, pattern, immune=False, soft=False, benign=None):
    return _Pattern(name, role, re.compile(pattern), immune, soft,
                    re.compile(benign) if benign else None)


# pins and needles from sitting on a leg
_POSITIONAL = (r"\bwhen\s+(?:s?he|they|i)\s+(?:sits?|sleeps?|lies|lays|kneels?)\s+(?:on|with|criss|cross|"
               r"too long|for a long|in (?:one|the same|a weird))\b"
               r"|\b(?:sitting|sleeping|lying|laying|kneeling)\s+(?:on|with|criss|cross)\b"
               r"|\bcriss\s*cross\b|\bindian style\b|\bsat on\b"
               r"|\bcross(?:es|ed|ing)?\s+(?:her|his|their)\s+legs\b")
# a child who has never walked unaided: not a new inability
_BASELINE = (r"\bcerebral palsy\b|\bspina bifida\b|\bwheelchair\b|\bwalker\b|\bcrutches\b"
             r"|\bnon\s*ambulatory\b|\bnever\s+(?:walked|been able to walk|learned to walk)\b"
             r"|\bsince birth\b|\bborn with\b")


_PATTERNS = [
    # ---- numbness, tingling, lost feeling
    _p("numbness", "flag", r"\bnumb(?:ness|nes|ed|s)?\b(?!\s+(?:cream|spray|shot|medicine))",
       benign=_POSITIONAL),
    _p("tingling", "flag", r"\btingl(?:e|es|ed|ing|y|ey)\b|\bpins (?:and|n) needles\b"
                           r"|\bneedles (?:and|n) pins\b", benign=_POSITIONAL),
    _p("lost_feeling", "flag",
       rf"\b(?:{_CANT}|doesnt|didnt|dont|cant really)\s+feel\s+(?:\w+\s+){{0,3}}?(?:{_BODY}|"
       r"anything|nothing|a thing)\b"
       rf"|\b(?:no|lost|losing|loss of|lack of|without|decreased|less|zero)\s+(?:the\s+|any\s+)?"
       rf"(?:feeling|sensation|sense of touch)\b(?:\s+(?:in|from|below|on|of)\b)?"
       rf"|\bfeel\s+nothing\b"
       rf"|\b{_BODY}\s+(?:\w+\s+){{0,2}}(?:went|gone|go|goes|going|feel|feels|felt|are|is|keep|keeps)"
       rf"\s+(?:\w+\s+)?(?:dead|asleep|falling asleep)\b|\bdead\s+legs?\b"
       r"|\bcant tell when (?:s?he|they|i) (?:has|have|needs?) to (?:go|pee|poop)\b"
       rf"|\b(?:not|isnt|wasnt|arent|werent|stopped)\s+feeling\s+(?:{_POSS}\s+)?{_SIDE}{_BODY}\b"
       rf"|\b{_LIMB}\s+(?:\w+\s+){{0,2}}?(?:dont|wont|doesnt|arent|isnt|not|stopped|quit)\s+"
       r"(?:\w+\s+)?work(?:ing|s)?\b"
       rf"|\b{_LIMB}\s+(?:\w+\s+){{0,2}}?(?:feel|feels|felt)\s+like\s+(?:they|it|theyre|its)\s+"
       r"(?:are\s+|is\s+|were\s+)?(?:not|arent|isnt)\s+(?:his|hers|theirs|mine|attached|there)\b",
       immune=True, benign=_POSITIONAL),
    # ---- weakness, legs giving out, paralysis, cannot move a limb
    _p("weakness", "flag",
       rf"\bweak(?:ness|nes|er|ening)?\s+(?:\w+\s+){{0,2}}?(?:in|of)\s+(?:{_POSS}\s+)?{_SIDE}{_LIMB}\b"
       rf"|\b{_LIMB}\s+(?:\w+\s+){{0,3}}?(?:weak|weaker|weakness)\b"
       r"|\b(?:sudden|suddenly|getting|gotten|got|more|new)\s+(?:\w+\s+)?weak(?:ness|er)?\b"
       rf"|\bweak(?:ness)?\s+(?:and|n)\s+(?:wobbly|shaky|numb\w*|tingl\w*)\b"),
    _p("no_strength", "flag",
       rf"\b(?:no|losing|lost|loss of|lose|zero|without)\s+(?:any\s+|all\s+|the\s+)?strength\b",
       immune=True),
    _p("giving_out", "flag",
       rf"\b(?:legs?|lower body)\s+(?:\w+\s+){{0,3}}?(?:gave|give|gives|giving|went|going|keep giving)"
       rf"\s+(?:out|way)\b|\bbuckl\w*|\bcollaps(?:ed|ing|es)\b(?!\s+(?:lung|vertebra|disc))"
       rf"|\blegs?\s+(?:\w+\s+){{0,2}}?like\s+(?:jelly|jello|noodles|rubber|spaghetti)\b"
       rf"|\b(?:wobbly|jelly|shaky|rubbery|noodle)\s+legs?\b|\blegs?\s+(?:are|were|is|r)\s+wobbly\b"),
    _p("knee_gives_out", "flag", r"\bknees?\s+(?:\w+\s+){0,2}?(?:gave|give|gives|giving)\s+(?:out|way)\b",
       soft=True),
    _p("paralysis", "flag", r"\bparaly\w*|\bparaplegi\w*|\bquadripleg\w*"),
    _p("cant_move_limb", "flag",
       rf"\b{_CANT}\s+{_ADV}(?:move|lift|raise|bend|wiggle|kick)\s+(?:{_POSS}\s+)?{_SIDE}"
       rf"(?:legs?|feet|foot|toes|hips?|lower body|knees?|ankles?|arms?|body)\b"
       rf"|\bwont\s+move\s+(?:{_POSS}\s+)?{_SIDE}(?:legs?|feet|foot|toes|hips?)\b",
       immune=True),
    _p("foot_drop", "flag", rf"\bdragg?(?:ing|s|ed)?\s+(?:{_POSS}\s+)?{_SIDE}(?:legs?|foot|feet|toes)\b"
                            r"|\bfoot\s+drop\b|\bfoot\s+(?:is\s+)?(?:flopping|slapping|dropping)\b",
       soft=True),
    # ---- falls, unsteadiness, trouble walking (soft: long-standing clumsiness is common)
    _p("keeps_falling", "flag",
       r"\b(?:keeps?|kept|been|started|starts|starting|is|are|s?hes|constantly|always)\s+"
       r"(?:\w+\s+){0,2}?(?:falling|tripping|stumbling|fall(?:ing)? down|falling over)\b"
       r"(?!\s+asleep)|\bfalls?\s+(?:down|over)\s+(?:a lot|all the time|constantly|every)"
       r"|\b(?:unsteady|off balance|losing (?:his|her|their|my) balance)\b",
       soft=True),
    _p("trouble_walking", "flag",
       r"\b(?:trouble|difficulty|problems?|hard time|struggl\w*|issues?)\s+(?:with\s+)?"
       r"(?:walking|standing|getting up|climbing)\b"
       r"|\bwalk(?:ing|s)?\s+(?:\w+\s+){0,2}?(?:weird|funny|strange|strangely|oddly|wobbly|"
       r"differently|like (?:s?he|they)\s*(?:is|are|s)?\s*drunk)\b"
       rf"|\b{_CANT}\s+{_ADV}walk\s+(?:right|straight|normally|properly|well)\b"
       rf"|\b{_BODY}\s+(?:\w+\s+){{0,2}}?(?:feel|feels|felt)\s+(?:\w+\s+)?(?:funny|weird|strange|heavy|"
       r"wrong|off)\b",
       soft=True),
    # ---- cannot / will not walk, stand, crawl, bear weight
    _p("cant_walk", "flag",
       rf"\b{_CANT}\s+{_ADV}(?:walk|crawl)(?:ing)?\b{_NOT_WALK_LIMITS}"
       rf"|\b{_CANT}\s+{_ADV}stand\b(?:\s+up)?(?!\s+(?:up\s+)?(?:straight|tall|the|that|this|"
       r"wearing|to|being|it|him|them|when|how|school|for|long|very|still|her\s+(?!(?:\w+\s+)?"
       r"(?:leg|foot|feet|own))|his\s+(?!(?:\w+\s+)?(?:leg|foot|feet|own))))",
       immune=True, benign=_BASELINE),
    _p("wont_walk", "flag",
       r"\b(?:wont|refus\w*|doesnt want to|didnt want to|dont want to|stopped|quit|not|isnt|"
       r"hasnt|hasnt been|wasnt|no longer)\s+(?:to\s+)?" + _ADV +
       r"(?:walk|walking|stand|standing|crawl|crawling|get up|getting up)\b"
       r"(?!\s+(?:funny|weird|strange|differently|with a limp|on (?:his|her|their) toes|yet|to\b|"
       r"the dog|around|much|as much|far|long|in the brace|straight|up straight|tall|"
       r"any (?:different|worse|better)|like))",
       immune=True, benign=_BASELINE),
    _p("no_weight", "flag",
       rf"\b(?:{_CANT}|wont|refus\w*|doesnt want to|didnt want to|not|isnt|hasnt been|no|non)\s+"
       rf"(?:to\s+)?{_ADV}(?:put|putting|bear|bearing|take|taking|hold|holding|stand on|standing on|"
       rf"walk on|walking on|step on|stepping on)\s+(?:any\s+|much\s+|her\s+|his\s+|their\s+|full\s+)?"
       rf"(?:weight|it|that (?:leg|foot|side|hip)|{_POSS}\s+{_SIDE}(?:legs?|foot|feet|hips?))\b"
       rf"|\b(?:non|not|no)\s+weight\s*bearing\b",
       immune=True),
    # ---- bladder and bowel
    _p("incontinence", "flag", r"\bincontinen\w*"),
    _p("bladder_control", "flag",
       r"\b(?:bladder|bowels?|pee|peeing|urine|poop|pooping|potty|bathroom|toilet)"
       r"(?:\s+(?:and|or|/)\s+(?:bladder|bowels?|pee|poop))?\s+(?:control|problems?|issues?|"
       r"trouble|changes?|dysfunction|leak\w*|symptoms?)\b"
       r"|\b(?:problems?|issues?|trouble|changes?|difficulty)\s+(?:with|in|controlling)\s+"
       r"(?:his\s+|her\s+|their\s+)?(?:bladder|bowels?|peeing|pooping)\b"
       r"|\bcontrol\s+(?:of|over)\s+(?:his\s+|her\s+|their\s+|the\s+)?(?:bladder|bowels?|pee|poop|urine)\b"
       r"|\b(?:cant|couldnt|wont|unable to|lost|losing|loss of)\s+(?:hold|control|feel)?\s*"
       r"(?:his\s+|her\s+|their\s+|the\s+)?(?:bladder|bowels?|pee|poop|urine)\b"
       r"|\bcant\s+(?:hold|control)\s+(?:it|it in)\b"
       r"|\bleak(?:ing|s|ed)?\s+(?:pee|urine|poop)\b|\bdribbl\w*\s+(?:pee|urine)\b"),
    _p("no_control", "flag",
       r"\b(?:no|lost|losing|loss of|lack of|zero|without|less|poor)\s+(?:\w+\s+)?control\s+(?:of|over)\s+"
       r"(?:his\s+|her\s+|their\s+|the\s+)?(?:bladder|bowels?|pee|poop|urine)\b"
       r"|\b(?:bladder|bowels?|pee|poop)\s+control\s+(?:is\s+)?(?:gone|lost)\b",
       immune=True),
    _p("retention", "flag",
       r"\b(?:cant|hasnt|havent|didnt|wont|not|trouble|difficulty|hard time|struggl\w*)\s+"
       r"(?:to\s+)?(?:been\s+)?(?:able\s+to\s+)?(?:pee|peed|peeing|urinate|urinated|urinating|"
       r"empty (?:his|her|their) bladder)\b(?!\s+(?:on\s+)?(?:him|her|them)sel|\s+(?:his|her|their)\s+"
       r"(?:pants|bed|underwear)|\s+the bed)",
       immune=True),
    _p("wet_self", "flag",
       r"\b(?:wet|wets|wetting|peed|pee|pees|peeing|pooped|poop|poops|pooping|soiled|soiling|soils|"
       r"messed|messing|dirtied|leaked|leaking|urinated)\s+(?:on\s+|in\s+)?(?:him|her|them|my|your|it)"
       r"sel(?:f|ves)\b"
       r"|\b(?:wet|wets|wetting|peed|pees|peeing|pooped|poops|pooping|soiled|soils|soiling|messed|"
       r"messes|messing|pee|poop)\s+(?:in\s+|on\s+|through\s+)?(?:his|her|their)\s+(?:pants|underwear|"
       r"shorts|clothes|diaper|pull ?up|seat|bed)\b"
       r"|\b(?:wet|wets|wetting)\s+the\s+bed\b|\bbed\s?wetting\b"
       r"|\b(?:pee|poop|potty|bathroom|toilet|bladder|bowel|pooping|peeing)\s+accidents?\b"
       r"|\b(?:having|had|has|have|got|getting)\s+(?:an?\s+|some\s+|a few\s+|more\s+|\d+\s+|two\s+|"
       r"three\s+|lots of\s+)?accidents?\b(?!\s+(?:in|on|with)\s+(?:the|a|his|her|my)\s+"
       r"(?:car|bike|truck|road|highway))",
       soft=True),
    # ---- infection after surgery
    _p("wound", "flag",
       r"\b(?:incision|wound|scar|stitches|staples|surgical site)\s+(?:\w+\s+){0,3}?(?:oozing|leaking|"
       r"draining|drainage|pus|opening|opened|open|split|smells|infected|bleeding|red and)\b"),
    # ---- components of combinations
    _p("fever", "fever",
       r"\bfever\w*|\bfebrile\b|\b(?:high|running (?:a|a high))\s+temp\w*"
       r"|\btemp\w*\s+(?:\w+\s+){0,3}?(?:1\d\d|99|3[89])(?:\.\d)?\b"
       r"|\b(?:99\.[5-9]|10[0-6]\.\d)\b|\b10[0-6]\s+(?:degrees?|deg|f|temp\w*)\b"
       r"|\b3[89](?:\.\d)?\s+(?:c|celsius|degrees? c)\b"
       r"|\bburning up\b|\bhot to the touch\b|\b(?:feels?|felt|is|s?hes)\s+(?:really\s+|very\s+|so\s+)?hot\b"
       r"|\bchills\b|\bspiking\b"),
    _p("hip_symptom", "site",
       rf"\b{_HIP_PARTS}\s+(?:\w+\s+){{0,3}}?(?:{_PAIN}|killing|swollen|swelling|red|hot|stiff)\b"
       rf"|\b(?:{_PAIN}|swelling|swollen)\s+(?:\w+\s+){{0,3}}?{_HIP_PARTS}\b"
       r"|\blimp\w*"
       r"|\b(?:cries|crying|cry|screams?|screaming|yells?|yelling|fuss\w*|whimper\w*|winces?)\s+"
       r"(?:\w+\s+){0,5}?(?:touch\w*|move|moves|moving|moved|change|changing|pick\w*|lift\w*|bend\w*)\b"
       r"|\b(?:holding|guarding)\s+(?:his|her|their)\s+(?:leg|hip|knee)\b"
       r"|\b(?:wont|doesnt|didnt|will not)\s+let\s+(?:\w+\s+){0,2}?(?:touch|move|bend|straighten)\b"),
    _p("post_op", "post_op",
       r"\bpost\s*-?\s*op\w*|\bafter\s+(?:his|her|their|the)\s+(?:\w+\s+)?(?:surgery|fusion|operation)\b"
       r"|\bsince\s+(?:his|her|their|the)\s+(?:\w+\s+)?(?:surgery|fusion|operation)\b"
       r"|\b(?:surgery|fusion|operation)\s+(?:\w+\s+){0,2}?(?:\d+|a|few|two|three)\s+(?:days?|weeks?)\s+ago\b"
       r"|\b(?:incision|wound|stitches|staples|drain)\b"
       r"|\b(?:had|just had|recent|recently had)\s+(?:(?:her|his|their|a|spine|spinal|back|hip)\s+)?"
       r"(?:\w+\s+)?(?:surgery|fusion|operation)\b"
       r"|\b(?:surgery|fusion|operation)\s+(?:last|this)\s+(?:week|weekend|month|\w+day)\b"),
    _p("trauma", "trauma",
       r"\b(?:fell|fallen|falling off|falls off|fall off|fall down|fall from|tripped|slipped|"
       r"crash\w*|wreck\w*|tackl\w*|collided|collision|thrown|flipped|"
       r"landed\s+(?:on|wrong|hard|funny|badly)|hit by|got hit|was hit|run over|"
       r"injur\w*|hurt (?:him|her|them)sel(?:f|ves)|(?:got|was|were|is|been)\s+hurt|"
       r"hurt\s+(?:\w+\s+){0,2}?(?:at|during|playing|in)\s+(?:practice|the game|a game|school|recess|"
       r"football|wrestling|soccer|cheer|gym\w*|basketball|baseball|dance|pe)|in an? (?:\w+\s+)?accident|"
       r"(?:car|bike|bicycle|atv|four wheeler|dirt bike|motorcycle|golf cart|sledding|ski|skiing|"
       r"trampoline|football|cheer|gymnastics|horse|riding)\s+(?:accident|crash|wreck)|"
       r"the accident|"
       r"(?:heard|felt)\s+(?:a|something)\s+(?:pop|crack|snap)|popped|broke|broken|fracture\w*)\b"
       r"|\b(?<!this )(?<!last )(?<!next )(?<!in the )(?<!by the )(?<!in )fall\b"
       r"(?!\s+(?:asleep|semester|season|break))"),
    _p("severe_pain", "severe",
       rf"\b(?:severe|severely|excruciating|unbearable|terrible|horrible|horrendous|awful|extreme|"
       rf"intense|worst|agoniz\w*|agony|screaming|sobbing|bawling|writhing|crippling|stabbing|"
       rf"so much|lots of|a ton of)\s+(?:\w+\s+){{0,3}}?(?:{_PAIN}|in pain)\b"
       rf"|\b{_PAIN}\s+(?:\w+\s+){{0,2}}?(?:so bad|so badly|really bad|real bad|very bad|too bad|"
       r"so much|terribly|badly|like crazy|severely|horribly)\b"
       r"|\b(?:killing (?:him|her|them|me))\b|\bin agony\b"
       r"|\b(?:screaming|crying|sobbing|yelling|writhing)\s+(?:in|from|with|bc of|because of)\s+"
       r"(?:the\s+)?pain\b|\b(?:10|ten)\s+(?:out of|/|outta)\s+(?:10|ten)\b|\btoo much pain\b"
       r"|\b(?:cant|wont)\s+stop\s+(?:crying|screaming)\b"),
    _p("sudden", "sudden",
       r"\b(?:sudden|suddenly|all of a sudden|out of nowhere|out of the blue|just now|"
       r"came on (?:fast|quick\w*))\b"),
    _p("cant_move", "immobile",
       r"\b(?:cant|wont|barely|hardly)\s+(?:even\s+)?(?:move|get up|get out of bed|sit up|roll over)\b",
       immune=True),
]

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
