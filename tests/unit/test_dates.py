from datetime import date, datetime

import pytest
from flashpoint.domain import InvalidValue, Occurred, Precision, parse_day
from flashpoint.domain.dates import EARLIEST_DAY, LATEST_DAY, check_day_in_range, cut_day, shifted


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
        ("0000-01-01", "not a real calendar day"),
        ("0000-01", "not a real month"),
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


@pytest.mark.parametrize("text", ["1900-01-01", "2099-12-31", "1900-01", "2099-12", "1900-01-01/2099-12-31"])
def test_days_at_both_ends_of_the_range_are_accepted(text: str) -> None:
    occurred = Occurred.parse(text)

    assert EARLIEST_DAY <= occurred.start <= occurred.end <= LATEST_DAY


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("1899-12-31", "'1899-12-31'"),
        ("2100-01-01", "'2100-01-01'"),
        ("1899-12", "'1899-12'"),
        ("2100-01", "'2100-01'"),
        ("0001-01-01/2024-01-28", "'0001-01-01'"),
        ("2024-01-28/2100-01-01", "'2100-01-01'"),
    ],
)
def test_days_outside_the_range_are_refused_naming_the_range(text: str, outside: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        Occurred.parse(text)

    assert refused.value.field == "occurred"
    assert refused.value.message == f"{outside} is outside 1900-01-01..2099-12-31, the days flashpoint accepts"


def test_a_reported_day_outside_the_range_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_day("2100-01-01", "reported")

    assert refused.value.field == "reported"
    assert refused.value.message == "'2100-01-01' is outside 1900-01-01..2099-12-31, the days flashpoint accepts"


def test_days_read_back_as_filed_skip_the_range_and_are_not_remembered_as_accepted() -> None:
    read_back = Occurred.parse("0001-01-01/2024-01-28", in_range=False)
    day = parse_day("2100-01-01", "reported", in_range=False)

    assert (read_back.start, read_back.end, day) == (date(1, 1, 1), date(2024, 1, 28), date(2100, 1, 1))
    with pytest.raises(InvalidValue, match="outside"):
        Occurred.parse("0001-01-01/2024-01-28")
    with pytest.raises(InvalidValue, match="outside"):
        parse_day("2100-01-01", "reported")


def test_a_cut_day_is_checked_against_the_same_range() -> None:
    assert check_day_in_range(EARLIEST_DAY, "--to") == EARLIEST_DAY
    assert check_day_in_range(LATEST_DAY, "--to") == LATEST_DAY
    with pytest.raises(InvalidValue) as refused:
        check_day_in_range(date(1899, 12, 31), "--known-on")

    assert str(refused.value) == "--known-on: 1899-12-31 is outside 1900-01-01..2099-12-31, the days flashpoint accepts"


def test_a_cut_day_is_a_date_or_the_text_of_a_real_day_in_range() -> None:
    assert cut_day(date(2021, 2, 28), "--to") == date(2021, 2, 28)
    assert cut_day(datetime(2021, 2, 28, 23, 59), "--to") == date(2021, 2, 28)  # the day, not a datetime
    assert type(cut_day(datetime(2021, 2, 28, 23, 59), "--to")) is date
    assert cut_day(" 2024-02-29\n", "known_on") == date(2024, 2, 29)
    assert (cut_day(str(EARLIEST_DAY), "--to"), cut_day(str(LATEST_DAY), "--to")) == (EARLIEST_DAY, LATEST_DAY)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2021-02-30", "--to: 2021-02-30 is not a day"),
        ("2021-13-01", "--to: 2021-13-01 is not a day"),
        ("2021-13", "--to: 2021-13 is not a day (YYYY-MM-DD)"),
        (20210228, "--to: 20210228 is not a day (YYYY-MM-DD)"),
        ("1899-12-31", "--to: 1899-12-31 is outside 1900-01-01..2099-12-31, the days flashpoint accepts"),
        (date(2100, 1, 1), "--to: 2100-01-01 is outside 1900-01-01..2099-12-31, the days flashpoint accepts"),
        (datetime(1899, 12, 31, 12), "--to: 1899-12-31 is outside 1900-01-01..2099-12-31, the days flashpoint accepts"),
    ],
)
def test_a_cut_day_that_is_no_day_in_range_is_refused_naming_the_option(value: object, message: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        cut_day(value, "--to")

    assert (str(refused.value), refused.value.field) == (message, "--to")


def test_a_refused_cut_day_writes_its_control_characters_out_and_keeps_the_rest() -> None:
    with pytest.raises(InvalidValue) as refused:
        cut_day("2021\x1b[2J-é\x07\u200b", "--known-on")

    assert refused.value.message == "2021\\x1b[2J-é\\x07\u200b is not a day (YYYY-MM-DD)"


def test_the_range_is_whole_years_so_a_year_pattern_can_state_it() -> None:
    assert (EARLIEST_DAY.month, EARLIEST_DAY.day, LATEST_DAY.month, LATEST_DAY.day) == (1, 1, 12, 31)


def test_shifting_a_day_holds_at_the_ends_of_the_calendar() -> None:
    assert shifted(date(2024, 1, 28), -29) == date(2023, 12, 30)
    assert shifted(date(2024, 1, 28), 3) == date(2024, 1, 31)
    assert shifted(date.min, -30) == date.min
    assert shifted(date(1, 1, 10), -739_000) == date.min
    assert shifted(date.max, 1) == date.max


def test_a_refused_non_text_date_is_shown_whole_up_to_sixty_characters() -> None:
    sixty, sixty_one = b"x" * 57, b"x" * 58  # their reprs, b'…', are 60 and 61 characters long
    with pytest.raises(InvalidValue) as whole:
        parse_day(sixty, "reported")
    with pytest.raises(InvalidValue) as cut_short:
        Occurred.parse(sixty_one)

    assert whole.value.message == f"expected a date YYYY-MM-DD, got {sixty!r}"
    assert cut_short.value.message.endswith(f"got b'{'x' * 55}...")


def test_an_occurrence_reads_back_from_its_stored_form() -> None:
    for text in ("2021-06-27", "2024-02", "2021-06-01/2021-06-11"):
        occurred = Occurred.parse(text)

        assert Occurred.from_dict(occurred.as_dict()) == occurred


def test_an_occurrence_that_is_no_text_is_refused_on_the_field_it_was_given() -> None:
    for value in (20240128, "28 January 2024"):
        with pytest.raises(InvalidValue) as refused:
            Occurred.parse(value, "reports[3].occurred")

        assert refused.value.field == "reports[3].occurred"


def test_an_interval_with_two_slashes_is_refused_showing_what_follows_the_first() -> None:
    with pytest.raises(InvalidValue) as refused:
        Occurred.parse("2024-01-01/2024-01-02/2024-01-03")

    assert refused.value.message == "expected a date YYYY-MM-DD, got '2024-01-02/2024-01-03'"


def test_an_interval_of_one_day_is_that_day() -> None:
    occurred = Occurred.parse("2024-01-28/2024-01-28")

    assert (occurred.start, occurred.end, occurred.precision) == (date(2024, 1, 28), date(2024, 1, 28), Precision.DAY)


def test_an_interval_read_as_filed_keeps_either_end_outside_the_range() -> None:
    assert Occurred.parse("2024-01-28/2100-01-01", in_range=False).end == date(2100, 1, 1)
    assert Occurred.parse("1899-12-31/2024-01-28", in_range=False).start == date(1899, 12, 31)


def test_a_bad_day_in_an_interval_is_refused_on_the_field_it_was_given() -> None:
    for text in ("2024-13-01/2024-01-28", "2024-01-28/2024-13-01"):
        with pytest.raises(InvalidValue) as refused:
            Occurred.parse(text, "reports[3].occurred")

        assert refused.value.field == "reports[3].occurred"


def test_a_month_of_the_first_year_is_read_as_filed_and_year_zero_is_no_month() -> None:
    occurred = Occurred.parse("0001-12", in_range=False)

    assert (occurred.start, occurred.end, occurred.precision) == (date(1, 12, 1), date(1, 12, 31), Precision.MONTH)
    with pytest.raises(InvalidValue) as refused:
        Occurred.parse("0000-12", in_range=False)
    assert refused.value.message == "'0000-12' is not a real month"


def test_an_occurrence_built_ending_before_it_starts_is_refused_on_occurred() -> None:
    with pytest.raises(InvalidValue) as refused:
        Occurred(date(2024, 1, 28), date(2024, 1, 27), Precision.INTERVAL)

    assert (refused.value.field, refused.value.message) == (
        "occurred",
        "interval ends (2024-01-27) before it starts (2024-01-28)",
    )
