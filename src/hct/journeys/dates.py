"""Dates as people remember them: "2018", "spring 2019", "March 2020", "12/03/2021", "the 1990s".

`parse_when` turns such text into the first and last day it could mean and how precise it is.
Anything it cannot read raises `WhenError` with a message fit to show; it never guesses.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db import models

ERROR_EMPTY = "Enter when it happened, for example 2018, spring 2019 or 12/03/2020"
ERROR_UNREADABLE = (
    "“{text}” is not a date we can read. Try a year (2018), a season and year (spring 2019), a "
    "month and year (March 2020), a day (12/03/2020) or a decade (the 1990s)"
)
ERROR_NO_SUCH_DAY = "“{text}” is not a real day"
ERROR_YEAR_RANGE = "The year must be between {low} and {high}"
YEAR_LOW, YEAR_HIGH = 1900, 2100
MAX_LENGTH = 60


class WhenError(ValueError):
    pass


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    SEASON = "season", "Season"
    PART_OF_YEAR = "part_of_year", "Part of a year"
    YEAR = "year", "Year"
    DECADE = "decade", "Decade"


@dataclass(frozen=True)
class When:
    text: str
    start: dt.date
    end: dt.date
    precision: str

    @property
    def middle(self) -> dt.date:
        return self.start + (self.end - self.start) / 2


MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
# Meteorological seasons; winter runs from December into the next year.
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
PARTS = {"early": (1, 4), "mid": (5, 8), "middle of": (5, 8), "late": (9, 12), "end of": (10, 12)}

_YEAR = r"(?P<year>\d{4})"
_FILLER = re.compile(r"^(?:in|around|about|c\.?|circa|approx\.?|approximately|the)\s+", re.I)
_PATTERNS = [
    ("iso_day", re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")),
    ("uk_day", re.compile(r"^(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})$")),
    (
        "named_day",
        re.compile(
            r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<monthname>[a-z]+)\.?,?\s+" + _YEAR + "$"
        ),
    ),
    ("iso_month", re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$")),
    ("uk_month", re.compile(r"^(?P<month>\d{1,2})/(?P<year>\d{4})$")),
    ("named_month", re.compile(r"^(?P<monthname>[a-z]+)\.?,?\s+" + _YEAR + "$")),
    (
        "season",
        re.compile(r"^(?P<season>spring|summer|autumn|fall|winter)(?:\s+of)?\s+" + _YEAR + "$"),
    ),
    ("part", re.compile(r"^(?P<part>early|mid|middle of|late|end of)[\s-]+" + _YEAR + "$")),
    ("decade", re.compile(r"^(?P<decade>\d{3})0'?s$")),
    ("year", re.compile("^" + _YEAR + "$")),
]


def _check_year(year: int) -> None:
    if not YEAR_LOW <= year <= YEAR_HIGH:
        raise WhenError(ERROR_YEAR_RANGE.format(low=YEAR_LOW, high=YEAR_HIGH))


def _month_range(year: int, first: int, last: int) -> tuple[dt.date, dt.date]:
    if last < first:  # winter: December to February of the next year
        return dt.date(year, first, 1), _month_end(year + 1, last)
    return dt.date(year, first, 1), _month_end(year, last)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_when(text: str) -> When:
    """Read a date as a person might say it; raise WhenError if it cannot be read."""
    original = (text or "").strip()
    if not original:
        raise WhenError(ERROR_EMPTY)
    if len(original) > MAX_LENGTH:
        raise WhenError(ERROR_UNREADABLE.format(text=original[:MAX_LENGTH] + "…"))
    cleaned = " ".join(original.lower().split())
    while (stripped := _FILLER.sub("", cleaned)) != cleaned:
        cleaned = stripped
    for name, pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if match is None:
            continue
        parts = match.groupdict()
        if name == "decade":
            first = int(parts["decade"]) * 10
            _check_year(first)
            return When(
                original, dt.date(first, 1, 1), dt.date(first + 9, 12, 31), Precision.DECADE
            )
        year = int(parts["year"])
        _check_year(year)
        if name == "year":
            return When(original, dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR)
        if name == "season":
            start, end = _month_range(year, *SEASONS[parts["season"]])
            return When(original, start, end, Precision.SEASON)
        if name == "part":
            start, end = _month_range(year, *PARTS[parts["part"]])
            return When(original, start, end, Precision.PART_OF_YEAR)
        if "monthname" in parts:
            month = MONTHS.get(parts["monthname"])
            if month is None:
                continue  # perhaps a season or part of a year: a later pattern reads it
        else:
            month = int(parts["month"])
        if not 1 <= month <= 12:
            raise WhenError(ERROR_NO_SUCH_DAY.format(text=original))
        if "day" not in parts:
            return When(original, dt.date(year, month, 1), _month_end(year, month), Precision.MONTH)
        try:
            day = dt.date(year, month, int(parts["day"]))
        except ValueError:
            raise WhenError(ERROR_NO_SUCH_DAY.format(text=original)) from None
        return When(original, day, day, Precision.DAY)
    raise WhenError(ERROR_UNREADABLE.format(text=original))
