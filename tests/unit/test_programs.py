"""Condition matching on what parents actually type."""
import pytest

from bot.programs import ConditionMatch, load_catalogue


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def keys(match):
    return [c.key for c in match.conditions]


# ------------------------------------------------------------ catalogue facts

def test_fees_and_reviewers_are_the_service_page_facts(catalogue):
    spine, hip = catalogue.programs["spine"], catalogue.programs["hip"]
    assert (spine.fee_usd, hip.fee_usd) == (500, 167)
    assert spine.reviewers == "three Spine Program leaders"
    assert hip.reviewers == "one Hip Program leader"
    assert spine.reviewer_team == "spine leadership team"
    assert hip.reviewer_team == "hip leadership team"
    assert spine.name == "spine second-opinion document review"
    assert set(catalogue.programs) == {"spine", "hip"}


def test_conditions_know_their_program_and_keys_are_unique(catalogue):
    seen = []
    for key, program in catalogue.programs.items():
        assert program.conditions, key
        for cond in program.conditions:
            assert cond.program == key
            assert cond.name and cond.synonyms
            seen.append(cond.key)
    assert len(seen) == len(set(seen))


def test_default_catalogue_is_loaded_once():
    assert load_catalogue() is load_catalogue()


def test_lookup_condition_by_key(catalogue):
    assert catalogue.condition("ddh").program == "hip"
    assert catalogue.condition("nope") is None


# ------------------------------------------------------------ spine wording

@pytest.mark.parametrize("text, key", [
    ("scoliosis", "scoliosis"),
    ("Scoliosis", "scoliosis"),
    ("SCOLIOSIS!!!", "scoliosis"),
    ("my dd has scolio", "scoliosis"),
    ("she has scoliosos", "scoliosis"),
    ("skoliosis", "scoliosis"),
    ("scolosis", "scoliosis"),
    ("scoliossis", "scoliosis"),
    ("scolioses", "scoliosis"),
    ("she has a curve in her back", "scoliosis"),
    ("curved spine", "scoliosis"),
    ("the dr said curvature of the spine", "scoliosis"),
    ("12 yo with scoliosis in 31201", "scoliosis"),
    ("she has AIS", "idiopathic_scoliosis"),
    ("adolescent idiopathic scoliosis", "idiopathic_scoliosis"),
    ("Adolescent Idiopathic Scoliosis (AIS)", "idiopathic_scoliosis"),
    ("juvenile scoliosis", "idiopathic_scoliosis"),
    ("infantile idiopathic scoliosis", "idiopathic_scoliosis"),
    ("idiopathic scolosis", "idiopathic_scoliosis"),
    ("congenital scoliosis", "congenital_scoliosis"),
    ("born with a hemivertebra", "congenital_scoliosis"),
    ("neuromuscular scoliosis", "neuromuscular_scoliosis"),
    ("kyphosis", "kyphosis"),
    ("kyphosus", "kyphosis"),
    ("rounded back", "kyphosis"),
    ("scheuermann's kyphosis", "scheuermann_kyphosis"),
    ("Scheuermanns", "scheuermann_kyphosis"),
    ("sheuermann disease", "scheuermann_kyphosis"),
    ("spondylolysis", "spondylolysis"),
    ("pars fracture", "spondylolysis"),
    ("stress fracture in her lower back", "spondylolysis"),
    ("spondylolisthesis", "spondylolisthesis"),
    ("spondylolysthesis", "spondylolisthesis"),
    ("spondy", "spondylolisthesis"),
    ("slipped vertebra", "spondylolisthesis"),
    ("lordosis", "lordosis"),
    ("swayback", "lordosis"),
    ("spine condition", "spine_condition"),
])
def test_spine_conditions(catalogue, text, key):
    match = catalogue.match(text)
    assert match is not None, text
    assert match.kind == "program"
    assert keys(match) == [key]
    assert match.programs == ("spine",)


# ------------------------------------------------------------ hip wording

@pytest.mark.parametrize("text, key", [
    ("developmental dysplasia of the hip", "ddh"),
    ("DDH", "ddh"),
    ("ddh.", "ddh"),
    ("hip dysplasia", "ddh"),
    ("hip dysplaysia", "ddh"),
    ("hip displasia", "ddh"),
    ("hipdysplasia", "ddh"),
    ("dysplasia of both hips", "ddh"),
    ("she had a dislocated hip as a baby", "ddh"),
    ("the pediatrician heard a hip click", "ddh"),
    ("clicky hips", "ddh"),
    ("loose hips", "ddh"),
    ("baby is in a pavlik harness", "ddh"),
    ("perthes", "perthes"),
    ("Perthe's", "perthes"),
    ("Legg-Calvé-Perthes disease", "perthes"),
    ("legg calve perthes", "perthes"),
    ("LCPD", "perthes"),
    ("slipped capital femoral epiphysis", "scfe"),
    ("SCFE", "scfe"),
    ("skiffy", "scfe"),
    ("slipped growth plate in his hip", "scfe"),
    ("femoroacetabular impingement", "fai"),
    ("FAI", "fai"),
    ("hip impingement", "fai"),
    ("labral tear", "labral_tear"),
    ("torn labrum in her hip", "labral_tear"),
    ("hip subluxation", "hip_subluxation"),
    ("neuromuscular hip", "hip_subluxation"),
    ("coxa vara", "coxa_vara"),
    ("hip condition", "hip_condition"),
])
def test_hip_conditions(catalogue, text, key):
    match = catalogue.match(text)
    assert match is not None, text
    assert match.kind == "program"
    assert keys(match) == [key]
    assert match.programs == ("hip",)


# ------------------------------------------------------------ several at once

@pytest.mark.parametrize("text, expected", [
    ("scoliosis and hip dysplasia", ["scoliosis", "ddh"]),
    ("hip dysplasia and scoliosis", ["ddh", "scoliosis"]),
    ("scolio + ddh", ["scoliosis", "ddh"]),
    ("she has kyphosis, also perthes", ["kyphosis", "perthes"]),
    ("SCFE & spondylolisthesis", ["scfe", "spondylolisthesis"]),
])
def test_spine_and_hip_in_one_message(catalogue, text, expected):
    match = catalogue.match(text)
    assert match.kind == "program"
    assert keys(match) == expected
    assert match.programs == ("hip", "spine")


def test_program_condition_wins_over_other_and_undiagnosed(catalogue):
    match = catalogue.match("hip dysplasia n a limp, also broke his arm last yr")
    assert match.kind == "program"
    assert keys(match) == ["ddh"]
    assert match.other == ("fracture",)


def test_longest_phrase_wins(catalogue):
    assert keys(catalogue.match("neuromuscular scoliosis")) == ["neuromuscular_scoliosis"]
    back = catalogue.match("stress fracture in the back")
    assert keys(back) == ["spondylolysis"] and back.other == ()
    shoulder = catalogue.match("labral tear in her shoulder")
    assert shoulder.kind == "other" and shoulder.conditions == ()


def test_same_condition_mentioned_twice_is_listed_once(catalogue):
    assert keys(catalogue.match("scoliosis... yes scoliosis, a curved spine")) == ["scoliosis"]


# ------------------------------------------------------------ other / undiagnosed

@pytest.mark.parametrize("text, key", [
    ("broken arm", "fracture"),
    ("he broke his arm", "fracture"),
    ("fractured wrist", "fracture"),
    ("fractur", "fracture"),
    ("torn ACL", "sports_injury"),
    ("sprained ankle", "sports_injury"),
    ("clubfoot", "foot"),
    ("club foot", "foot"),
    ("flat feet", "foot"),
    ("knee pain", "knee"),
    ("osgood schlatter", "knee"),
    ("elbow", "upper_extremity"),
    ("one leg shorter than the other", "leg_length"),
    ("bow legs", "bow_legs_knock_knees"),
    ("knock knees", "bow_legs_knock_knees"),
    ("bone cyst", "bone_tumor"),
    ("cerebral palsy", "cerebral_palsy"),
    ("she toe walks", "toe_walking"),
    ("toe walking", "toe_walking"),
])
def test_other_orthopedic(catalogue, text, key):
    match = catalogue.match(text)
    assert match is not None, text
    assert match.kind == "other"
    assert key in match.other
    assert match.conditions == () and match.programs == ()


@pytest.mark.parametrize("text", [
    "not diagnosed yet",
    "Not diagnosed",
    "dont know yet",
    "don't know",
    "not sure what it is",
    "no diagnosis",
    "no dx yet",
    "idk",
    "IDK",
    "they haven't told us",
    "waiting for results",
    "back pain but no diagnosis",
    "just a limp",
    "she's limping",
    "undiagnosed",
])
def test_undiagnosed(catalogue, text):
    match = catalogue.match(text)
    assert match is not None, text
    assert match.kind == "undiagnosed"
    assert match.conditions == () and match.other == ()


@pytest.mark.parametrize("text", [
    "", "   ", "hello", "hi there", "yes", "no", "thanks!", "31201", "30309-1234",
    "12", "she is 12", "12 yo", "3/5/2015", "how much does it cost?",
    "his ship came in", "chip", "my daughter", "what do I need to send",
    "spina bifida",  # not clearly a spine-program diagnosis: deliberately unknown
    "he was diagnosed last year",  # "diagnosed" must not fuzz into "undiagnosed"
    "dysplasia",  # could be skeletal/fibrous dysplasia, not necessarily the hip
    "Hi, I'm looking for a second opinion for my daughter, her doctor wants surgery",
    "My son plays football and baseball, he's 14",
    "what documents do I need to send? x-rays? MRI?",
    "our pediatrician referred us",
])
def test_nothing_recognised(catalogue, text):
    assert catalogue.match(text) is None


@pytest.mark.parametrize("word", ["his", "ship", "chip", "hop", "whip"])
def test_short_words_do_not_fuzz_into_hip_conditions(catalogue, word):
    assert catalogue.match(f"{word} dysplasia") is None
    assert catalogue.match(f"{word} click") is None


def test_digits_never_match(catalogue):
    assert catalogue.match("31201 30030 12345 2015") is None


# ------------------------------------------------------------ data file

def test_custom_catalogue_file(tmp_path):
    path = tmp_path / "programs.yml"
    path.write_text(
        "programs:\n"
        "  spine:\n"
        "    name: test spine review\n"
        "    fee_usd: 1\n"
        "    reviewers: r\n"
        "    reviewer_team: t\n"
        "    conditions:\n"
        "      - {key: wobble, name: wobbly spine, synonyms: [wobbly back]}\n"
        "other_orthopedic:\n"
        "  - {key: toe, synonyms: [stubbed toe]}\n"
        "undiagnosed:\n"
        "  - {key: unknown, synonyms: [who knows]}\n"
    )
    cat = load_catalogue(path)
    assert cat is not load_catalogue()
    assert cat.match("a wobbly back").conditions[0].key == "wobble"
    assert cat.match("scoliosis") is None
    assert cat.match("stubbed toe").kind == "other"
    assert cat.match("who knows").kind == "undiagnosed"


def test_synonym_listed_under_two_keys_is_rejected(tmp_path):
    path = tmp_path / "programs.yml"
    path.write_text(
        "programs: {}\n"
        "other_orthopedic:\n"
        "  - {key: a, synonyms: [same thing]}\n"
        "  - {key: b, synonyms: [the same thing]}\n"
    )
    with pytest.raises(ValueError, match="same thing"):
        load_catalogue(path)


def test_match_is_a_value():
    cat = load_catalogue()
    first, second = cat.match("scoliosis"), cat.match("SCOLIOSIS")
    assert isinstance(first, ConditionMatch) and first == second
