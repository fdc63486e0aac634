"""ZIP and age answers pulled out of free-text parent messages."""
from datetime import date

import pytest

from bot.answers import AgeAnswer, AnswerError, extract_age, extract_zip, years_between

TODAY = date(2025, 6, 15)


# ------------------------------------------------------------ ZIP codes

@pytest.mark.parametrize("text, expected", [
    ("31201", "31201"),
    (" 31201 ", "31201"),
    ("31201-1234", "31201"),
    ("zip is 31401", "31401"),
    ("we're in Macon 31201", "31201"),
    ("my 12 yo dd has scoliosis, we're in 31201", "31201"),
    ("12 yo with scoliosis in 31201", "31201"),
    ("Savannah, GA 31401-2233.", "31401"),
    ("31201!", "31201"),
    ("(31201)", "31201"),
    ("she is 12 31201", "31201"),
    ("we moved from 30309, zip now 31201", "31201"),
    ("zip code: 00000", "00000"),  # well-formed; lookup decides it is unknown
])
def test_extract_zip(text, expected):
    assert extract_zip(text) == expected


@pytest.mark.parametrize("text", [
    "", "hello", "3120", "312011", "my number is 478-555-1234", "4785551234",
    "call (478) 555-0142", "card 4111 1111 1111 1111", "4111111111111111",
    "born 3/5/2015", "2015-03-05", "we paid $12000", "12,000 dollars",
    "order #31201", "she is 12", "version 31201.5", "31201/31202",
])
def test_extract_zip_ignores_other_numbers(text):
    assert extract_zip(text) is None


# ------------------------------------------------------------ ages in words

@pytest.mark.parametrize("text, years", [
    ("12", 12), ("12 ", 12), ("12.", 12), ("12yo", 12), ("12 yo", 12), ("12 y/o", 12),
    ("12 y.o.", 12), ("12 yrs old", 12), ("12 years old", 12), ("12 year old", 12),
    ("12-year-old", 12), ("12yrs", 12), ("she's 9", 9), ("shes 9", 9), ("she is 9", 9),
    ("he's 14", 14), ("my son is 8 and has perthes", 8), ("age 15", 15), ("age: 15", 15),
    ("twelve", 12), ("Twelve.", 12), ("fourteen years old", 14), ("she's nine", 9),
    ("twenty-one", 21), ("she is twenty one", 21), ("eighteen yrs", 18),
    ("18 months", 1.5), ("18 mos", 1.5), ("6 mos", 0.5), ("6 mo old", 0.5),
    ("an 8 month old", 8 / 12), ("a year old", 1), ("a year and a half", 1.5),
    ("1 and a half", 1.5), ("one and a half", 1.5), ("2 1/2", 2.5), ("2.5", 2.5),
    ("9 years and 6 months", 9.5),
    ("newborn", 0), ("she's a newborn", 0), ("new born with hip click", 0),
    ("0", 0), ("25", 25), ("21", 21), ("20", 20),
    ("my 12 yo dd has scoliosis, we're in 31201", 12),
    ("12 yo with scoliosis in 31201", 12),
    ("dd 13 scoliosis 31201", 13),
    ("31201, she's 7", 7),
    ("scoliosis, 25 degree curve, she is 14", 14),
    ("had scoliosis for 2 years, she is 11", 11),
    ("diagnosed 2 years ago, now 11", 11),
    ("30 yrs", 30),  # an explicit unit is believed even above 25
])
def test_spoken_ages(text, years):
    answer = extract_age(text, TODAY)
    assert answer is not None, text
    assert answer.years == pytest.approx(years)
    assert answer.birth_date is None


@pytest.mark.parametrize("text, days", [
    ("6 wks", 42), ("3 weeks old", 21), ("10 days old", 10),
])
def test_baby_ages_are_fractional_years(text, days):
    assert extract_age(text, TODAY).years == pytest.approx(days / 365.25)


@pytest.mark.parametrize("text", [
    "", "hello", "3/5", "scoliosis", "31201", "30309-1234", "scoliosis, 25 degree curve",
    "had scoliosis for 2 years", "a year ago", "in 2 weeks", "grade 2 spondy",
    "L4-L5", "one leg is shorter", "she has seen 3 doctors", "call 478-555-1234",
    "40", "100",  # a lone number above 25 is not taken as an age
])
def test_no_age(text):
    assert extract_age(text, TODAY) is None


# ------------------------------------------------------------ birth dates

@pytest.mark.parametrize("text", [
    "3/5/2015", "03/05/2015", "03-05-2015", "3/5/15", "3.5.2015", "March 5 2015",
    "mar 5, 2015", "Mar. 5th, 2015", "5 March 2015", "5th of March, 2015", "2015-03-05",
    "DOB 3/5/2015", "born 03/05/15", "she was born on March 5, 2015 and has scoliosis",
    "dob 3/5/2015 zip 31201",
])
def test_birth_dates_us_order(text):
    answer = extract_age(text, TODAY)
    assert answer.birth_date == date(2015, 3, 5)
    # 10 birthdays, then 2025-03-05 -> 06-15 is 102 of the 365 days to the next one
    assert answer.years == pytest.approx(10 + 102 / 365)


def test_dob_example():
    answer = extract_age("DOB 4/2/2012", TODAY)
    assert answer.birth_date == date(2012, 4, 2)
    assert 13.19 < answer.years < 13.21


def test_day_first_only_when_month_would_be_impossible():
    assert extract_age("13/05/2015", TODAY).birth_date == date(2015, 5, 13)


@pytest.mark.parametrize("text, years", [
    ("born in 2012", 13.0), ("born 2012", 13.0), ("she was born in 2015", 10.0),
])
def test_birth_year_only_is_approximate(text, years):
    answer = extract_age(text, TODAY)
    assert answer.birth_date is None
    assert answer.years == pytest.approx(years, abs=0.6)


@pytest.mark.parametrize("text", ["born March 2015", "March 2015", "3/2015", "born in mar. 2015"])
def test_birth_month_and_year_is_approximate(text):
    answer = extract_age(text, TODAY)
    assert answer.birth_date is None
    assert answer.years == pytest.approx(10.25, abs=0.05)  # from mid-March 2015


def test_labelled_birth_date_beats_other_dates():
    answer = extract_age("xray on 1/5/2023, DOB 3/5/2015", TODAY)
    assert answer.birth_date == date(2015, 3, 5)


def test_month_year_does_not_override_a_spoken_age():
    assert extract_age("diagnosed in March 2023, she is 12", TODAY).years == 12


def test_age_is_exact_elapsed_time_at_the_21st_birthday():
    assert extract_age("6/15/2004", TODAY).years == 21.0
    assert extract_age("6/16/2004", TODAY).years < 21.0
    assert extract_age("6/14/2004", TODAY).years > 21.0


def test_two_digit_year_uses_the_century_that_is_not_in_the_future():
    assert extract_age("3/5/24", TODAY).birth_date == date(2024, 3, 5)
    assert extract_age("3/5/99", TODAY).birth_date == date(1999, 3, 5)


def test_years_between_handles_leap_day_birthdays():
    assert years_between(date(2012, 2, 29), date(2025, 3, 1)) == pytest.approx(13, abs=0.01)
    assert years_between(date(2020, 1, 1), date(2020, 1, 1)) == 0


@pytest.mark.parametrize("text, reason", [
    ("7/1/2025", "future_date"),
    ("DOB 1/1/2030", "future_date"),
    ("born in 2031", "future_date"),
    ("2030-01-01", "future_date"),
    ("1/1/1900", "too_old_date"),
    ("June 15 1905", "too_old_date"),
    ("born in 1890", "too_old_date"),
    ("Dec 2025", "future_date"),
    ("2/30/2015", "unparseable"),
    ("Feb 30 2015", "unparseable"),
])
def test_impossible_birth_dates_raise(text, reason):
    with pytest.raises(AnswerError) as err:
        extract_age(text, TODAY)
    assert err.value.reason == reason
    assert isinstance(err.value, ValueError)


def test_119_years_ago_is_still_a_date():
    assert extract_age("6/16/1905", TODAY).years == pytest.approx(120, abs=0.01)


def test_age_answer_is_a_value():
    assert extract_age("12", TODAY) == AgeAnswer(years=12.0, birth_date=None)
