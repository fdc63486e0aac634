"""The red-flag symptom pattern table: one regex per warning sign, over normalised text.

Each ``_Pattern`` has a role: "flag" fires alone; the others (fever, site, post_op, trauma,
severe, sudden, immobile) count only in combination (see ``bot.safety``). Flags for
immunity to negation, long-standing ("soft") cues and benign explanations go with each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


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
