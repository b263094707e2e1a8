import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hct.journeys.dates import (
    ERROR_EMPTY,
    ERROR_YEAR_RANGE,
    Precision,
    WhenError,
    parse_when,
)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2018", "2018-01-01", "2018-12-31", Precision.YEAR),
        ("  in 2018 ", "2018-01-01", "2018-12-31", Precision.YEAR),
        ("around 2015", "2015-01-01", "2015-12-31", Precision.YEAR),
        ("spring 2019", "2019-03-01", "2019-05-31", Precision.SEASON),
        ("Summer of 2020", "2020-06-01", "2020-08-31", Precision.SEASON),
        ("autumn 2019", "2019-09-01", "2019-11-30", Precision.SEASON),
        ("winter 2019", "2019-12-01", "2020-02-29", Precision.SEASON),
        ("early 2021", "2021-01-01", "2021-04-30", Precision.PART_OF_YEAR),
        ("late 2019", "2019-09-01", "2019-12-31", Precision.PART_OF_YEAR),
        ("mid-2022", "2022-05-01", "2022-08-31", Precision.PART_OF_YEAR),
        ("March 2020", "2020-03-01", "2020-03-31", Precision.MONTH),
        ("sept 2020", "2020-09-01", "2020-09-30", Precision.MONTH),
        ("Feb 2024", "2024-02-01", "2024-02-29", Precision.MONTH),
        ("2019-07", "2019-07-01", "2019-07-31", Precision.MONTH),
        ("7/2019", "2019-07-01", "2019-07-31", Precision.MONTH),
        ("12/03/2020", "2020-03-12", "2020-03-12", Precision.DAY),
        ("12.03.2020", "2020-03-12", "2020-03-12", Precision.DAY),
        ("2020-03-12", "2020-03-12", "2020-03-12", Precision.DAY),
        ("3rd March 2021", "2021-03-03", "2021-03-03", Precision.DAY),
        ("the 1990s", "1990-01-01", "1999-12-31", Precision.DECADE),
        ("1980's", "1980-01-01", "1989-12-31", Precision.DECADE),
    ],
)
def test_dates_as_people_say_them(text, start, end, precision):
    when = parse_when(text)
    assert (when.start.isoformat(), when.end.isoformat(), when.precision) == (start, end, precision)
    assert when.text == text.strip()
    assert when.start <= when.middle <= when.end


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "spring 20199",
        "31/02/2020",
        "13/2020",
        "Smarch 2020",
        "yesterday",
        "2018-13-01",
        "<script>",
    ],
)
def test_what_cannot_be_read_is_refused_with_a_message(text):
    with pytest.raises(WhenError) as error:
        parse_when(text)
    assert str(error.value)
    if not text.strip():
        assert str(error.value) == ERROR_EMPTY


def test_years_outside_the_range_are_refused():
    with pytest.raises(WhenError, match=ERROR_YEAR_RANGE.format(low=1900, high=2100)):
        parse_when("1066")


@settings(max_examples=300)
@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_never_crashes(text):
    try:
        when = parse_when(text)
    except WhenError as error:
        assert str(error)
    else:
        assert when.start <= when.end
        assert 1900 <= when.start.year <= 2101


@settings(max_examples=200)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_every_real_day_in_every_written_form_reads_back(day):
    for text in (day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%d %B %Y")):
        when = parse_when(text)
        assert when.start == when.end == day
    month = parse_when(day.strftime("%B %Y"))
    assert month.start <= day <= month.end and month.precision == Precision.MONTH
    assert parse_when(str(day.year)).start.year == day.year
