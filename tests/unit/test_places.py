"""Places said in words ("we live in Macon", "glynn county", "jacksonville fl") read
against the real USPS data shipped by `zipcodes`."""
import pytest

from bot.location import ZipInfo
from bot.places import Place, find_place, place_zip_info


def _is(text, name, state, counties=None, kind="city", cue="home", asked=False):
    place = find_place(text, asked=asked)
    assert place is not None, text
    got = (place.name, place.state, place.kind, place.cue)
    assert got == (name, state, kind, cue), (text, place)
    if counties is not None:
        assert place.counties == tuple(counties), (text, place)
    return place


# --------------------------------------------------------------------------- home cue

@pytest.mark.parametrize("text, name, county", [
    ("we live in Macon", "Macon", "Bibb County"),
    ("dalton georgia", "Dalton", "Whitfield County"),
    ("we're in savannah", "Savannah", "Chatham County"),
    ("We\u2019re in Savannah", "Savannah", "Chatham County"),
    ("from valdosta ga", "Valdosta", "Lowndes County"),
    ("brunswick, ga", "Brunswick", "Glynn County"),
    ("Brunswick, GA.", "Brunswick", "Glynn County"),
    ("near albany", "Albany", "Dougherty County"),
    ("marietta, ga", "Marietta", "Cobb County"),
    ("i'm in valdosta", "Valdosta", "Lowndes County"),
    ("im in valdosta", "Valdosta", "Lowndes County"),
    ("we moved to tifton last year", "Tifton", "Tift County"),
    ("We live in Savannah, GA and my son has scoliosis.", "Savannah", "Chatham County"),
    ("we are in macon ga", "Macon", "Bibb County"),
    ("we live in the macon area", "Macon", "Bibb County"),
    ("i live in the city of statesboro", "Statesboro", "Bulloch County"),
    ("we live in north macon", "Macon", "Bibb County"),
    ("Hi, we're from Waycross", "Waycross", "Ware County"),
])
def test_home_cue(text, name, county):
    _is(text, name, "GA", kind="city", cue="home", counties=None)
    assert county in find_place(text).counties


@pytest.mark.parametrize("text, name", [
    ("we live in warner robins", "Warner Robins"),
    ("we live in Warner-Robins", "Warner Robins"),
    ("WE LIVE IN PEACHTREE CITY", "Peachtree City"),
    ("we live on st simons island", "St. Simons Island"),
    ("we live on St. Simons", "St. Simons Island"),
    ("we live in st. marys", "St. Marys"),
    ("we live in Saint Marys", "St. Marys"),
    ("we live in lake park", "Lake Park"),
    ("we live in la grange", "LaGrange"),
    ("we live in lagrange", "LaGrange"),
    ("we live in mcdonough", "McDonough"),
    ("we live in ft. valley", "Fort Valley"),
])
def test_multi_word_names_and_spelling_variants(text, name):
    _is(text, name, "GA")


def test_social_circle_with_a_home_cue():
    _is("we live in social circle", "Social Circle", "GA", ["Walton County"])


# --------------------------------------------------------------------------- counties

@pytest.mark.parametrize("text, county", [
    ("glynn county", "Glynn County"),
    ("bibb county", "Bibb County"),
    ("Bibb County, GA", "Bibb County"),
    ("ware co.", "Ware County"),
    ("we live in Ware Co", "Ware County"),
    ("we live in dekalb county", "DeKalb County"),
    ("de kalb county", "DeKalb County"),
    ("jeff davis county", "Jeff Davis County"),
    ("we live in macon county", "Macon County"),  # the county, not the city of Macon
    ("chatham co, ga", "Chatham County"),
])
def test_county_names(text, county):
    _is(text, county, "GA", [county], kind="county")


# --------------------------------------------------------------------------- provider cue

@pytest.mark.parametrize("text, name", [
    ("his surgeon in augusta", "Augusta"),
    ("the doctor in savannah said she needs a brace", "Savannah"),
    ("seen at the hospital in Macon", "Macon"),
    ("we see a doctor in savannah", "Savannah"),
    ("her pediatrician in Warner Robins referred us", "Warner Robins"),
    ("we went to augusta for his surgery", "Augusta"),
    ("our ortho is at children's in atlanta", "Atlanta"),
    ("his surgeon in rome wants to operate", "Rome"),
])
def test_provider_cue(text, name):
    _is(text, name, "GA", cue="provider")


def test_home_beats_provider_whichever_comes_first():
    _is("his doctor is in macon but we live in dublin", "Dublin", "GA", ["Laurens County"])
    _is("we live in macon but his surgeon is in augusta", "Macon", "GA", ["Bibb County"])


def test_first_of_equals_wins():
    _is("we live in macon, near warner robins", "Macon", "GA")
    _is("we moved from tennessee to macon", "Macon", "GA")


# --------------------------------------------------------------------------- bare, asked

@pytest.mark.parametrize("text, name", [
    ("macon", "Macon"),
    ("Macon.", "Macon"),
    ("warner robins", "Warner Robins"),
    ("marietta", "Marietta"),
    ("plains", "Plains"),
    ("rome", "Rome"),
    ("St. Simons", "St. Simons Island"),
    ("tybee", "Tybee Island"),
])
def test_bare_place_when_asked(text, name):
    _is(text, name, "GA", cue="bare", asked=True)
    assert find_place(text) is None  # the same words unasked are not a place


def test_asked_with_state_is_home():
    _is("Savannah GA", "Savannah", "GA", ["Chatham County"], asked=True)
    _is("in rome", "Rome", "GA", asked=True)


# --------------------------------------------------------------------------- states

@pytest.mark.parametrize("text, name, code", [
    ("we live in florida", "Florida", "FL"),
    ("we live in FL", "Florida", "FL"),
    ("we live in sc", "South Carolina", "SC"),
    ("we are in south carolina", "South Carolina", "SC"),
    ("we moved to new york", "New York", "NY"),
    ("we live in washington state", "Washington", "WA"),
    ("we're in Georgia", "Georgia", "GA"),
    ("we live in a small town in south georgia", "Georgia", "GA"),
])
def test_state_only(text, name, code):
    _is(text, name, code, (), kind="state")


def test_state_when_asked():
    _is("Florida", "Florida", "FL", (), kind="state", cue="bare", asked=True)
    assert find_place("Florida") is None


@pytest.mark.parametrize("text, name, code", [
    ("jacksonville fl", "Jacksonville", "FL"),
    ("jacksonville, fl", "Jacksonville", "FL"),
    ("we live in Jacksonville, FL", "Jacksonville", "FL"),
    ("chattanooga tennessee", "Chattanooga", "TN"),
    ("we live in dothan alabama", "Dothan", "AL"),
    ("dothan, al", "Dothan", "AL"),
    ("aiken sc", "Aiken", "SC"),
    ("columbus ohio", "Columbus", "OH"),
    ("portland, me", "Portland", "ME"),
])
def test_out_of_state_city(text, name, code):
    _is(text, name, code, (), kind="city")


@pytest.mark.parametrize("text", [
    "we live in in", "call me", "in ME", "text me in a bit", "she is in 5th grade",
    "from hi", "or", "ok", "in IN", "please send it to me",
])
def test_two_letter_words_are_not_states(text):
    assert find_place(text) is None
    assert find_place(text, asked=True) is None


def test_ga_only_in_a_place_context():
    assert find_place("ga") is None
    _is("in ga", "Georgia", "GA", (), kind="state")


# --------------------------------------------------------------------------- not home

@pytest.mark.parametrize("text", [
    "outside of atlanta",
    "we live outside atlanta",
    "2 hours from atlanta",
    "we're about 3 hours from savannah",
    "south of macon",
    "we live about an hour south of macon",
    "we live 30 minutes north of atlanta",
    "near atlanta",
    "we live in metro atlanta",
    "the atlanta area",
    "near marietta",
    "moved here from Tennessee",
    "we came from albany",
    "we used to live in macon",
    "i was born in savannah",
    "we live in alabama near the georgia line and florida",
])
def test_relative_and_former_places_are_not_home(text):
    place = find_place(text)
    assert place is None or place.state == "AL", (text, place)


def test_explicit_home_wins_over_a_relative_mention():
    _is("we live in dublin, 2 hrs from atlanta", "Dublin", "GA", ["Laurens County"])
    _is("we live in covington, just outside atlanta", "Covington", "GA", ["Newton County"])
    _is("just outside atlanta in covington", "Covington", "GA", ["Newton County"])
    _is("i was born in macon but we live in valdosta", "Valdosta", "GA")
    _is("i'm from alabama but we live in columbus now", "Columbus", "GA")


# --------------------------------------------------------------------------- negatives

@pytest.mark.parametrize("text", [
    "my daughter Camilla",
    "my daughter Camilla has scoliosis",
    "Alma is 9",
    "hope you can help",
    "plains",
    "we're ideal",
    "we joined a social circle at church",
    "social circle",
    "Dallas is my son",
    "my son Dallas has a 40 degree curve",
    "when in rome",
    "Jackson is 10",
    "my son jackson",
    "Madison has hip dysplasia",
    "georgia is 12 and has scoliosis",
    "my daughter georgia has scoliosis",
    "virginia is 13",
    "the notes are in the portal",
    "his doctor uploaded it in the portal",
    "can I upload the x-rays in the portal",
    "he is in between",
    "i am in a hurry",
    "we are in the process of getting records",
    "he had an MRI in March",
    "she is in pain",
    "my son is 14 and has scoliosis, his curve is 45 degrees",
    "our surgeon wants to fuse his spine from T4 to L2",
    "we live in a small town",
    "Perry is 11",
    "we went to white water park",
    "in white",
    "warner robins",
    "we live in Buckhead",
])
def test_names_and_everyday_words_are_not_places(text):
    assert find_place(text) is None, (text, find_place(text))


@pytest.mark.parametrize("text", [
    "my daughter Camilla", "Alma is 9", "we're ideal", "Dallas is my son", "when in rome",
    "hope you can help", "Jackson is 10",
])
def test_names_are_not_places_even_when_asked(text):
    assert find_place(text, asked=True) is None


def test_ambiguous_town_needs_more_than_a_bare_in():
    assert find_place("in rome") is None
    _is("we live in rome", "Rome", "GA")
    _is("we live in dallas", "Dallas", "GA", ["Paulding County"])
    _is("rome, ga", "Rome", "GA")


# --------------------------------------------------------------------------- typos

@pytest.mark.parametrize("text, name", [
    ("we live in savanah", "Savannah"),
    ("we live in valdosa", "Valdosta"),
    ("valdosa ga", "Valdosta"),
    ("we live in warner robbins", "Warner Robins"),
    ("we live in statesboro", "Statesboro"),
    ("we live in chattam county", "Chatham County"),
    ("his doctor in savanah", "Savannah"),
])
def test_one_letter_typos_with_a_cue(text, name):
    assert find_place(text).name == name


def test_typo_when_asked():
    _is("savanah", "Savannah", "GA", cue="bare", asked=True)


@pytest.mark.parametrize("text", [
    "savanah",             # no cue
    "we live in macn",     # short names are never fuzzed
    "we live in dalon",
    "we live in svnnah",   # two letters off
    "he is in wonder",     # a bare "in" is not enough for a guess
])
def test_no_guessing_without_a_cue_or_for_short_names(text):
    assert find_place(text) is None


# --------------------------------------------------------------------------- counties of cities

def test_city_in_several_counties_returns_all():
    atlanta = _is("in Atlanta", "Atlanta", "GA")
    assert atlanta.counties[0] == "Fulton County"
    assert {"Fulton County", "DeKalb County"} <= set(atlanta.counties)
    augusta = find_place("we live in augusta")
    assert set(augusta.counties) == {"Richmond County", "Columbia County"}


# --------------------------------------------------------------------------- place_zip_info

def test_zip_info_one_county():
    info = place_zip_info(find_place("we live in Macon"))
    assert info == ZipInfo(zip="", state="GA", county="Bibb County", city="Macon")


def test_zip_info_county_place():
    info = place_zip_info(find_place("glynn county"))
    assert info == ZipInfo(zip="", state="GA", county="Glynn County", city="Glynn County")


def test_zip_info_several_counties_all_atlanta_area():
    info = place_zip_info(find_place("in Atlanta"))
    assert info == ZipInfo(zip="", state="GA", county="Fulton County", city="Atlanta")


def test_zip_info_several_counties_all_outside_atlanta_area():
    info = place_zip_info(find_place("we live in augusta"))
    assert info == ZipInfo(zip="", state="GA", county="Richmond County", city="Augusta")


def test_zip_info_mixed_counties_is_none():
    place = Place(name="Somewhere", state="GA", counties=("Fulton County", "Bibb County"),
                  kind="city", cue="home")
    assert place_zip_info(place) is None


def test_zip_info_georgia_alone_is_none():
    assert place_zip_info(find_place("we live in georgia")) is None
    assert place_zip_info(None) is None


def test_zip_info_other_state():
    assert place_zip_info(find_place("jacksonville fl")) == ZipInfo(
        zip="", state="FL", county="", city="Jacksonville")
    assert place_zip_info(find_place("we live in florida")) == ZipInfo(
        zip="", state="FL", county="", city="Florida")


def test_place_is_frozen_and_hashable():
    place = find_place("we live in Macon")
    assert place == Place("Macon", "GA", ("Bibb County",), "city", "home")
    assert hash(place)
    with pytest.raises(Exception):
        place.name = "x"


# --------------------------------------------------------------------------- more context

@pytest.mark.parametrize("text", [
    "do you know any good restaurants in atlanta",
    "is it gonna rain in atlanta saturday",
    "whats the weather like in atlanta",
    "can we come to atlanta to meet the hip doctor",
    "do you need the ct scan",
    "he is in 2nd grade",
    "is there an upload portal",
    "what's the capital of georgia",
    "is this available for kids outside georgia",
])
def test_a_place_word_in_passing_is_not_home(text):
    place = find_place(text)
    assert place is None or place.cue == "provider", (text, place)


def test_several_homes_firm_one_wins():
    _is("we live near Savannah in Effingham County", "Effingham County", "GA",
        ["Effingham County"], kind="county")
    _is("my ex lives in florida, we live in macon", "Macon", "GA")
    _is("We're in Birmingham Alabama but her dad lives in Columbus GA", "Birmingham", "AL", ())


@pytest.mark.parametrize("text, name, cue", [
    ("Vivimos en Macon.", "Macon", "home"),
    ("Mi hijo tiene 13 años. Vivimos en Valdosta.", "Valdosta", "home"),
    ("somos de Tifton", "Tifton", "home"),
    ("El doctor en Dalton quiere operarlo.", "Dalton", "provider"),
    ("El doctor en Dalton quiere operarlo. Vivimos en Dalton.", "Dalton", "home"),
])
def test_spanish_cues(text, name, cue):
    _is(text, name, "GA", cue=cue)


@pytest.mark.parametrize("text", ["vivimos afuera de Atlanta", "vivimos a una hora de Atlanta"])
def test_spanish_relative_places(text):
    assert find_place(text) is None


@pytest.mark.parametrize("text, county", [
    ("hip dysplaysia, daughter 14, Macon", "Bibb County"),
    ("my daughter is 3 and walks on her toes. Dr says she might need surgery. Waycross",
     "Ware County"),
    ("hello, son 17 scoliosis 55 degrees douglasville", "Douglas County"),
])
def test_town_alone_at_the_end_of_a_longer_message(text, county):
    place = find_place(text)
    assert place is not None and place.cue == "home" and place.counties[0] == county


@pytest.mark.parametrize("text", [
    "thanks, Waycross", "my son is 12 with scoliosis. Thanks, Dalton",
    "my son is 12 with scoliosis. Thanks, Savannah", "Dalton, 12, has scoliosis",
    "my son has scoliosis, Camilla",
])
def test_signatures_and_names_are_not_places(text):
    assert find_place(text) is None


def test_well_known_nearby_city_without_state():
    _is("We moved from Savannah to Tallahassee last year", "Tallahassee", "FL", (), kind="city")
    _is("his surgeon in birmingham", "Birmingham", "AL", (), kind="city", cue="provider")


def test_town_county_order_puts_its_own_zips_first():
    assert find_place("we're in Rossville").counties[0] == "Walker County"
    assert find_place("we live in columbus").counties[0] == "Muscogee County"
