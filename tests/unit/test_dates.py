from datetime import date

import pytest
from flashpoint.domain import InvalidValue, Occurred, Precision, parse_day


def test_a_day_is_an_interval_of_one_day() -> None:
    occurred = Occurred.parse("2021-06-27")

    assert (occurred.start, occurred.end, occurred.precision) == (
        date(2021, 6, 27),
        date(2021, 6, 27),
        Precision.DAY,
    )


def test_a_month_covers_every_day_of_it_including_leap_days() -> None:
    occurred = Occurred.parse("2024-02")

    assert (occurred.start, occurred.end, occurred.precision) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
        Precision.MONTH,
    )


def test_an_interval_keeps_both_ends() -> None:
    occurred = Occurred.parse("2021-06-01/2021-06-11")

    assert (occurred.start, occurred.end, occurred.precision) == (
        date(2021, 6, 1),
        date(2021, 6, 11),
        Precision.INTERVAL,
    )


@pytest.mark.parametrize("text", ["2021-06-27", "2021-06", "2021-06-01/2021-06-11"])
def test_contract_spelling_round_trips(text: str) -> None:
    assert Occurred.parse(text).text() == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2024-02-30", "not a real calendar day"),
        ("2021-13", "not a real month"),
        ("2021-06-11/2021-06-01", "ends before it starts"),
        ("27 June 2021", "expected a date"),
        ("2021-6-27", "expected a date"),
        ("", "expected a date"),
    ],
)
def test_impossible_or_malformed_dates_are_refused(text: str, fragment: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Occurred.parse(text)

    assert fragment in str(refused.value)
    assert refused.value.field == "occurred"


def test_non_text_dates_are_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_day(20210627, "reported")

    assert refused.value.field == "reported"


def test_a_remembered_day_is_refused_under_each_field_it_is_given_for() -> None:
    for field in ("reported", "occurred"):
        with pytest.raises(InvalidValue) as refused:
            parse_day("2024-02-30", field)
        assert refused.value.field == field
    assert parse_day("2024-02-29", "reported") == parse_day("2024-02-29", "occurred") == date(2024, 2, 29)


def test_occurrences_parse_the_same_the_first_time_and_after() -> None:
    for text in ("2024-01-28", "2024-01", "2024-01-27/2024-01-29", " 2024-01-28 "):
        first, again = Occurred.parse(text), Occurred.parse(text)
        assert first == again == Occurred._parse(text, "occurred")
    with pytest.raises(InvalidValue, match="ends before it starts"):
        Occurred.parse("2024-01-29/2024-01-27")
    with pytest.raises(InvalidValue, match="ends before it starts"):
        Occurred.parse("2024-01-29/2024-01-27")
