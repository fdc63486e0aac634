"""ZIP lookups against the real USPS data shipped by `zipcodes`."""
import pytest

from bot.location import (ATLANTA_REGIONAL_COMMISSION_COUNTIES, ZipInfo, in_counties,
                          lookup_zip, normalise_county)


@pytest.mark.parametrize("zip_code, state, county, city", [
    ("31201", "GA", "Bibb County", "Macon"),
    ("31401", "GA", "Chatham County", "Savannah"),
    ("30309", "GA", "Fulton County", "Atlanta"),
    ("30030", "GA", "DeKalb County", "Decatur"),
    ("35203", "AL", "Jefferson County", "Birmingham"),
    ("10001", "NY", "New York County", "New York"),
])
def test_lookup_zip(zip_code, state, county, city):
    assert lookup_zip(zip_code) == ZipInfo(zip=zip_code, state=state, county=county, city=city)


@pytest.mark.parametrize("raw", ["31201-1234", " 31201 ", "31201\n"])
def test_lookup_zip_accepts_zip_plus_four_and_whitespace(raw):
    assert lookup_zip(raw).zip == "31201"


@pytest.mark.parametrize("raw", ["00000", "99999", "", "3120", "312011", "abcde", "31 201",
                                 "31201-12", None])
def test_unknown_or_malformed_zip_is_none(raw):
    assert lookup_zip(raw) is None


# One real ZIP in each of the 11 Atlanta Regional Commission counties.
ATLANTA_AREA_ZIPS = {
    "30114": "Cherokee", "30236": "Clayton", "30060": "Cobb", "30030": "DeKalb",
    "30135": "Douglas", "30214": "Fayette", "30040": "Forsyth", "30309": "Fulton",
    "30043": "Gwinnett", "30253": "Henry", "30012": "Rockdale",
}
# Georgia outside the Atlanta area, including counties next to it.
REST_OF_GEORGIA_ZIPS = ["31201", "31401", "30601", "31901", "30901", "31701", "30161",
                        "30120", "30263"]


def test_arc_list_has_the_eleven_counties():
    assert sorted(ATLANTA_REGIONAL_COMMISSION_COUNTIES) == sorted(ATLANTA_AREA_ZIPS.values())


@pytest.mark.parametrize("zip_code, county", sorted(ATLANTA_AREA_ZIPS.items()))
def test_atlanta_area_zips_are_in_arc_counties(zip_code, county):
    info = lookup_zip(zip_code)
    assert info.state == "GA"
    assert in_counties(info, ATLANTA_REGIONAL_COMMISSION_COUNTIES)
    assert in_counties(info, [county])


@pytest.mark.parametrize("zip_code", REST_OF_GEORGIA_ZIPS)
def test_rest_of_georgia_is_not_atlanta_area(zip_code):
    info = lookup_zip(zip_code)
    assert info.state == "GA"
    assert not in_counties(info, ATLANTA_REGIONAL_COMMISSION_COUNTIES)


@pytest.mark.parametrize("name", ["DeKalb", "De Kalb", "dekalb", "DeKalb County", "Dekalb county",
                                  "DE KALB CO.", " DeKalb "])
def test_county_names_compare_loosely(name):
    decatur = ZipInfo(zip="30030", state="GA", county="DeKalb County", city="Decatur")
    assert in_counties(decatur, [name])
    assert normalise_county(name) == "dekalb"


def test_in_counties_does_not_match_partial_names():
    info = ZipInfo(zip="x", state="GA", county="Bibb County", city="Macon")
    assert not in_counties(info, ["Bib", "Bibbs", "County", ""])
    assert not in_counties(ZipInfo("x", "GA", "", "Nowhere"), ["", "County"])
