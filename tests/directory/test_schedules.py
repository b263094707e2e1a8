import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hct.directory.schedules import (
    Rule,
    ScheduleError,
    format_time,
    parse_byday,
    parse_bymonthday,
    parse_time,
    summary,
)

LONDON = ZoneInfo("Europe/London")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def rule(**fields) -> Rule:
    if "byday" in fields:
        fields["byday"] = parse_byday(fields["byday"])
    if "bymonthday" in fields:
        fields["bymonthday"] = parse_bymonthday(fields["bymonthday"])
    for name in ("opens_at", "closes_at"):
        if name in fields:
            fields[name], fields[f"{name}_offset"] = parse_time(fields[name])
    return Rule(**fields)


def test_weekly_on_thursdays_and_fridays():
    r = rule(freq="WEEKLY", byday="TH,FR", opens_at="10:00", closes_at="18:00")
    assert r.is_open_at(at("2026-03-26 10:00"))  # a Thursday, at opening
    assert not r.is_open_at(at("2026-03-26 18:00"))  # closed at closing time
    assert not r.is_open_at(at("2026-03-25 12:00"))  # a Wednesday
    assert summary(r) == "Thursdays and Fridays, 10:00 to 18:00"


def test_monthly_on_the_second_monday_and_the_last_friday():
    r = rule(freq="MONTHLY", byday="2MO,-1FR", opens_at="12:00", closes_at="14:00")
    assert r.is_open_at(at("2026-03-09 12:30"))  # second Monday of March 2026
    assert not r.is_open_at(at("2026-03-02 12:30"))  # first Monday
    assert r.is_open_at(at("2026-03-27 13:00"))  # last Friday
    assert not r.is_open_at(at("2026-03-20 13:00"))
    assert summary(r) == ("The second Monday and the last Friday of the month, 12:00 to 14:00")


def test_monthly_by_day_of_the_month_counts_from_the_end_when_negative():
    r = rule(freq="MONTHLY", bymonthday="1,-1")
    assert r.is_open_on(dt.date(2026, 2, 1)) and r.is_open_on(dt.date(2026, 2, 28))
    assert not r.is_open_on(dt.date(2026, 2, 27))
    assert summary(r) == "The 1st and last day of the month"


def test_fortnightly_counts_weeks_from_dtstart():
    r = rule(freq="WEEKLY", interval=2, byday="TU", dtstart=dt.date(2026, 3, 3))
    assert r.is_open_on(dt.date(2026, 3, 3)) and r.is_open_on(dt.date(2026, 3, 17))
    assert not r.is_open_on(dt.date(2026, 3, 10))
    assert not r.is_open_on(dt.date(2026, 2, 17))  # before the first event
    assert summary(r).startswith("Every 2 weeks: Tuesdays")


def test_validity_dates_bound_the_schedule():
    r = rule(
        freq="WEEKLY",
        byday="MO",
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 1, 31),
    )
    assert r.is_open_on(dt.date(2026, 1, 5))
    assert not r.is_open_on(dt.date(2026, 2, 2))
    assert summary(r) == "Mondays (from 1 January 2026 to 31 January 2026)"


def test_a_night_shelter_is_open_past_midnight():
    r = rule(freq="WEEKLY", byday="FR", opens_at="22:00", closes_at="02:00")
    assert r.is_open_at(at("2026-03-27 23:00"))  # Friday night
    assert r.is_open_at(at("2026-03-28 01:00"))  # early Saturday, still Friday's night
    assert not r.is_open_at(at("2026-03-28 23:00"))  # Saturday night
    assert not r.is_open_at(at("2026-03-27 01:00"))  # early Friday: Thursday's night


def test_a_time_with_an_offset_is_read_in_that_offset():
    r = rule(freq="WEEKLY", byday="MO", opens_at="09:00Z", closes_at="10:00Z")
    # In summer London is an hour ahead of UTC: 09:30 UTC is 10:30 in London.
    assert r.is_open_at(at("2026-06-01 10:30"))
    assert not r.is_open_at(at("2026-06-01 09:30"))
    assert summary(r) == "Mondays, 09:00 UTC to 10:00 UTC"


def test_a_schedule_without_times_is_open_all_day_on_its_days():
    r = rule(freq="WEEKLY", byday="SU")
    assert r.is_open_at(at("2026-03-29 03:00"))
    assert summary(r) == "Sundays"


@pytest.mark.parametrize("bad", ["XX", "MON", "9MO", "0TU", "+MO,"])
def test_unreadable_days_are_refused(bad):
    with pytest.raises(ScheduleError):
        parse_byday(bad if bad != "+MO," else "+MO")


@pytest.mark.parametrize("bad", ["9am", "25:00", "10:60", "10:00+15:00", "", "10"])
def test_unreadable_times_are_refused(bad):
    with pytest.raises(ScheduleError):
        parse_time(bad)


@given(
    st.times(),
    st.one_of(st.none(), st.integers(min_value=-14 * 60, max_value=14 * 60)),
)
def test_times_round_trip_through_the_standards_form(moment, offset):
    moment = moment.replace(microsecond=0, tzinfo=None)
    assert parse_time(format_time(moment, offset)) == (moment, offset)


def test_runs_of_days_read_as_ranges():
    assert summary(
        rule(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at="09:00", closes_at="17:00")
    ) == ("Mondays to Fridays, 09:00 to 17:00")
    assert summary(rule(freq="WEEKLY", byday="SU,SA,FR,TH,WE,TU,MO")) == "Every day"
    assert summary(rule(freq="WEEKLY", byday="MO,WE,FR")) == "Mondays, Wednesdays and Fridays"
