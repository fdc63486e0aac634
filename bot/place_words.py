"""Words and tables for reading a place in a message (bot/places.py): US states and their
spellings, Georgia town aliases and names too ambiguous to read bare, and the cue words
(home, provider, former home, distance, direction) that say how a place was mentioned."""
from __future__ import annotations


# --------------------------------------------------------------------------- vocabulary

STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
}
# Spelled-out names (and common abbreviations) -> code. "washington" alone is the
# Georgia town (or a person); the state only as "washington state".
_STATE_NAMES = {name.lower(): code for code, name in STATES.items() if code != "WA"}
_STATE_NAMES.update({
    "washington state": "WA", "washington dc": "DC", "fla": "FL", "tenn": "TN", "ala": "AL",
    "tex": "TX", "calif": "CA", "okla": "OK", "penn": "PA", "mich": "MI", "wisc": "WI",
    "minn": "MN", "conn": "CT", "ariz": "AZ", "colo": "CO", "georgia usa": "GA",
    "n carolina": "NC", "s carolina": "SC", "so carolina": "SC", "no carolina": "NC",
})
# Two-letter codes that are everyday words: never a state on their own, and after a
# city only with a comma or typed in capitals ("portland, me", "Indianapolis IN").
_WORD_CODES = {"in", "me", "or", "ok", "oh", "hi"}
# Codes that clash with abbreviations or names ("co." county, "de kalb", "la grange",
# "pa"/"ma", "mt." mount, "al"): on their own only when typed in capitals.
_CAPS_CODES = {"co", "de", "la", "pa", "ma", "mo", "mt", "al", "id", "ne", "ms", "wa", "va", "md",
               "ct"}

# Spelling variants inside names: "st. marys" = "saint marys", "ft stewart", "mt vernon".
_EXPAND = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}

# Extra spellings people use for Georgia towns -> the USPS name.
_ALIASES = {
    "saint simons": "saint simons island", "saint simon": "saint simons island",
    "saint simons islands": "saint simons island",
    "tybee": "tybee island", "jekyll": "jekyll island", "skidaway island": "savannah",
    "wilmington": "wilmington island",
}
# USPS names too ambiguous to read: Buckhead (a Morgan County town, but usually the
# Atlanta neighbourhood), "North Metro" (a postal name, not a place people live).
# "Between" (a word far more often than the Walton County town), and postal names of
# bases, colleges, firms and the airport, where no family says they live.
_DROP = {"buckhead", "north metro", "between", "fingerhut", "atlanta bmc", "hartsfield",
         "south base", "executive park", "dobbins afb", "moody afb", "robins afb", "robins a f b",
         "hunter aaf", "kings bay", "abraham baldwin college"}
# Well-known cities near Georgia that people name without their state ("we moved to
# Tallahassee"); only names that are not also Georgia towns.
_NEARBY_CITIES = {
    "tallahassee": "FL", "pensacola": "FL", "panama city": "FL", "orlando": "FL", "tampa": "FL",
    "miami": "FL", "chattanooga": "TN", "memphis": "TN", "birmingham": "AL", "montgomery": "AL",
    "huntsville": "AL", "tuscaloosa": "AL", "dothan": "AL", "phenix city": "AL", "eufaula": "AL",
    "opelika": "AL", "charleston": "SC", "myrtle beach": "SC", "aiken": "SC",
    "north augusta": "SC", "hilton head": "SC", "hilton head island": "SC", "spartanburg": "SC",
    "asheville": "NC", "raleigh": "NC",
}
# Counties in the Georgia rows that are not Georgia counties (a PO box across the line).
_NOT_GA_COUNTIES = {"cleburne"}

# Georgia town names that are also first names, everyday words or famous places
# elsewhere: a bare "in X" is not enough for them (see module docstring). Names of
# four letters or fewer are treated the same way without being listed.
_AMBIGUOUS_WORDS = """
adrian alamo alapaha allentown alma alston alto ambrose appling arabi argyle arlington
auburn avera axson baldwin barney bartow berlin bethlehem bishop bluffton blythe bogart
boston bowman bremen bristol brookfield brooks buchanan butler byron cairo calhoun calvary
camilla canon carlton cecil chester chula cisco clayton clermont cleveland climax cobb
coleman collins colquitt columbia comer commerce concord conley coolidge cordele cotton
crandall crawford crescent cumming daisy dallas damascus danville dawson dearing denton
dexter dixie douglas dover dudley eden edison elko emerson enigma epworth evans
experiment fargo farmington felton fleming flintstone forsyth franklin garfield gay geneva
georgetown gibson girard glenn glenwood gordon gough gray grayson hagan hamilton hampton
haralson harlem harrison helen hiram hoboken homer howard hull ideal ila jackson
jacksonville jasper jefferson jersey jewell juliette kathleen kingston kite knoxville
lebanon lenox leslie lexington lilly lincolnton louisville lovejoy lula lumpkin lyons
madison manchester manor mansfield marshallville martin matthews meridian midland midway
milan millwood milner mitchell monroe montezuma morgan morris morven mystic nashville
nelson newborn newton nicholson norwood oakfield oakwood oliver omaha omega oxford
palmetto parrott patterson pearson pelham pembroke perkins perry pitts plains portal
preston pulaski quitman ranger rebecca register reynolds richland rochelle rome rupert
sardis sargent scotland screven seville shannon sharon shiloh smithville sparks sparta
springfield stephens stockton summerville sumner sycamore sylvester tate temple
trenton turin waco warwick washington waverly weston white wiley williamson winston
woodland oakman dewy ocilla wildwood vienna tiger rhine dupont desoto greenville greensboro
manassas lakeland wilmington tarrytown plainfield arcade avalon carl empire homeland juniper
martinez mayfield milton payne raymond riverside huber ivey helena woodville
""".split()
_AMBIGUOUS_PHRASES = [
    "the rock", "twin city", "union city", "union point", "white oak", "white plains",
    "good hope", "sunny side", "social circle", "red oak", "iron city", "lake city",
    "ray city", "sale city", "lumber city", "junction city", "mountain city", "west point",
    "forest park", "oak park", "pine lake", "rest haven", "cherry log", "silver creek",
    "talking rock", "dry branch", "box springs", "high shoals", "west green",
    "holly springs", "cedar springs", "college park", "garden city", "north high shoals",
    "rising fawn", "marble hill", "orchard hill", "black creek", "big canoe", "smoke rise",
    "lake park", "norman park", "mountain park", "sugar hill", "rock spring", "rocky ford",
    "round oak", "edge hill", "lone oak", "sky valley",
]
_AMBIGUOUS = set(_AMBIGUOUS_WORDS) | set(_AMBIGUOUS_PHRASES)
# Everyday words a doctor phrase can precede ("his notes are in the portal"): these
# towns need a home phrase, ", ga"/"county", or the whole answer to "where do you live?".
_COMMON_WORDS = {"portal", "register", "ideal", "experiment", "climax", "enigma", "newborn",
                 "temple", "white", "gray", "manor", "ranger", "mystic", "sparks", "midway",
                 "crescent", "cotton", "concord", "commerce", "canon", "plains", "hope",
                 "omega", "tiger", "kite", "eden", "comer", "social circle", "the rock",
                 "empire", "homeland", "riverside", "arcade", "juniper", "avalon"}

_PREPS = {"in", "on", "at", "near", "from", "to", "around", "nearby", "outside", "by"}
# Spanish prepositions read as their English ones ("de" is handled on its own).
_SPANISH_PREPS = {"en": "in", "desde": "from", "cerca": "near", "afuera": "outside",
                  "fuera": "outside"}
_HOME_WORDS = {"live", "lives", "living", "lived", "reside", "resides", "residing", "resident",
               "residents", "based", "located", "stay", "stays", "staying", "home", "house",
               "here", "address", "settled", "moved", "move", "relocated",
               # Spanish: "vivimos en Macon", "estamos en Dalton", "aqui en Tifton"
               "vivimos", "vivo", "vive", "viven", "vivir", "residimos", "resido", "estamos",
               "estoy", "radicamos", "aqui", "casa"}
_FORMER_WORDS = {"born", "grew", "raised", "previously", "formerly", "originally",
                 "nacio", "naci", "nacimos", "crecimos", "viviamos", "vivia", "antes"}
_MOVE_WORDS = {"moved", "move", "moving", "relocated", "relocating"}
_CAME_WORDS = _MOVE_WORDS | {"came", "come", "transferred"}
# A bare "in X" / "near X" / "from X" is read as home only at the start of a clause or
# after one of these ("we have been in savannah", "yes, in macon", "a small town near
# macon"), not after any noun ("rain in atlanta", "restaurants in atlanta").
_LEAD_OK = {"is", "are", "am", "be", "been", "being", "were", "was", "r", "still", "currently",
            "y", "pero", "si", "tambien", "now", "also", "all", "both", "out", "down", "up",
            "over", "just", "right", "yes",
            "yeah", "yep", "we", "us", "i", "family", "town", "city", "community", "area",
            "village", "farm", "home", "hi", "hello", "hey", "greetings", "travel", "traveling",
            "travelling", "driving", "coming", "commute", "commuting", "somewhere", "based",
            "ga", "georgia", "well", "ok", "okay", "sure", "but", "and", "so"}
_PROVIDER_WORDS = {
    "doctor", "doctors", "doc", "docs", "dr", "drs", "surgeon", "surgeons", "surgery",
    "surgeries", "hospital", "hospitals", "clinic", "clinics", "specialist", "specialists",
    "pediatrician", "pediatrics", "pediatric", "pcp", "physician", "physicians", "ortho",
    "orthopedic", "orthopedics", "orthopaedic", "orthopaedics", "orthopedist", "orthopod",
    "therapist", "therapy", "pt", "chiropractor", "chiro", "practice", "office", "seen",
    "saw", "see", "seeing", "sees", "visit", "visited", "treated", "treating", "treatment",
    "appointment", "appointments", "appt", "appts", "mri", "mris", "xray", "xrays", "ray",
    "rays", "scan", "scans", "referred", "referral", "consult", "consultation", "childrens",
    "medical", "er", "emergency", "urgent", "np", "pa", "provider", "providers", "nurse",
    "team", "brace", "braced", "fitted", "diagnosed", "imaging", "radiology", "followed",
    # hospitals families name: "seen at choa in atlanta", "at shriners in greenville, sc"
    "choa", "emory", "egleston", "scottish", "shriners", "mayo", "navicent", "wellstar",
    "northside", "wolfson", "nemours", "memorial", "atrium", "archbold", "candler",
    # Spanish: "el doctor en Dalton"
    "doctora", "medico", "medica", "medicos", "cirujano", "cirujana", "clinica", "ortopedista",
    "ortopedico", "pediatra", "especialista", "cita", "cirugia", "consulta", "operaron",
    "atendieron", "hospitales",
}
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast",
               "southwest", "n", "s", "e", "w", "ne", "nw", "se", "sw", "northern", "southern",
               "eastern", "western", "central", "middle", "downtown"}
_DISTANCE = {"hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins", "mile", "miles",
             "mi", "km", "away", "far", "drive", "ride", "trip", "ways",
             "hora", "horas", "minutos", "millas", "kilometros", "lejos"}
_NEAR_AFTER = {"area", "metro", "region", "suburbs", "suburb", "outskirts", "vicinity"}
_NEAR_BEFORE = {"metro", "greater", "suburbs", "suburb", "outskirts", "vicinity"}
_SKIP_BEFORE = {"the", "city", "town", "downtown", "rural", "small", "little", "beautiful",
                "sunny", "lovely", "of", "north", "south", "east", "west", "central",
                "middle", "county"}
# What may surround a bare place when we just asked "where do you live?".
_FILLER = {"the", "in", "at", "near", "city", "town", "of", "county", "co", "ga", "georgia",
           "usa", "us", "um", "uh", "umm", "well", "yes", "yeah", "yep", "sure", "ok", "okay",
           "hi", "hello", "hey", "thanks", "thank", "you", "please", "just", "right", "area",
           "oh", "so", "sorry", "currently", "now", "state", "en", "si"}
