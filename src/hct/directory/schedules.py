"""Reading the standard's schedules (RFC 5545 RRULE-style fields) and asking them questions:
is this service open at a given moment, and how to say when it is open in plain words.

The importer uses the parsers to refuse what cannot be read; Find help and the API use
`is_open_at`; the pages use `summary`. Everything here is pure: no database.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}

ERROR_BYDAY = "{token!r} is not a day of the week: use MO, TU, WE, TH, FR, SA or SU, with an optional number before it for monthly schedules (2MO is the second Monday, -1FR the last Friday)"
ERROR_BYDAY_NUMBER = "{token!r}: the number before the day must be 1 to 5, or -1 to -5"
ERROR_BYMONTHDAY = (
    "{token!r} is not a day of the month: use 1 to 31, or -1 to -31 counting from the end"
)
ERROR_TIME = (
    "{value!r} is not a time: use HH:MM or HH:MM:SS, optionally with Z or an offset like +01:00"
)

_BYDAY = re.compile(r"^([+-]?\d{1,2})?([A-Z]{2})$")
_TIME = re.compile(
    r"^(?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d{1,6})?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)


class ScheduleError(ValueError):
    """A schedule field that cannot be read; the message says why."""


@dataclass(frozen=True)
class ByDay:
    weekday: int  # 0 = Monday
    ordinal: int | None = None  # 2 = second in the month, -1 = last

    @property
    def code(self) -> str:
        return f"{self.ordinal or ''}{DAYS[self.weekday]}"


def parse_byday(value: str) -> list[ByDay]:
    days = []
    for raw in value.split(","):
        token = raw.strip().upper()
        if not token:
            continue
        match = _BYDAY.match(token)
        if not match or match.group(2) not in DAYS:
            raise ScheduleError(ERROR_BYDAY.format(token=raw.strip()[:20]))
        ordinal = int(match.group(1)) if match.group(1) else None
        if ordinal is not None and not (1 <= abs(ordinal) <= 5):
            raise ScheduleError(ERROR_BYDAY_NUMBER.format(token=token))
        days.append(ByDay(DAYS.index(match.group(2)), ordinal))
    return days


def parse_bymonthday(value: str) -> list[int]:
    days = []
    for raw in value.split(","):
        token = raw.strip()
        if not token:
            continue
        try:
            number = int(token)
        except ValueError:
            raise ScheduleError(ERROR_BYMONTHDAY.format(token=token[:20])) from None
        if not (1 <= abs(number) <= 31):
            raise ScheduleError(ERROR_BYMONTHDAY.format(token=token))
        days.append(number)
    return days


def parse_time(value: str) -> tuple[dt.time, int | None]:
    """A time of day and its offset from UTC in minutes (None when the data gave none)."""
    match = _TIME.match(value.strip())
    if not match:
        raise ScheduleError(ERROR_TIME.format(value=value[:30]))
    try:
        moment = dt.time(int(match["h"]), int(match["m"]), int(match["s"] or 0))
    except ValueError:
        raise ScheduleError(ERROR_TIME.format(value=value[:30])) from None
    tz = match["tz"]
    if tz is None:
        return moment, None
    if tz == "Z":
        return moment, 0
    sign = 1 if tz[0] == "+" else -1
    digits = tz[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        raise ScheduleError(ERROR_TIME.format(value=value[:30]))
    return moment, sign * (hours * 60 + minutes)


def format_time(moment: dt.time | None, offset: int | None) -> str:
    """The standard's form of a time: HH:MM:SS, with Z or ±HH:MM when the data gave an offset."""
    if moment is None:
        return ""
    text = moment.strftime("%H:%M:%S")
    if offset is None:
        return text
    if offset == 0:
        return text + "Z"
    sign = "+" if offset > 0 else "-"
    return f"{text}{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}"


@dataclass
class Rule:
    """The fields of one schedule, parsed."""

    freq: str = ""
    interval: int | None = None
    byday: list[ByDay] = field(default_factory=list)
    bymonthday: list[int] = field(default_factory=list)
    dtstart: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    opens_at: dt.time | None = None
    opens_at_offset: int | None = None
    closes_at: dt.time | None = None
    closes_at_offset: int | None = None

    @classmethod
    def of(cls, schedule) -> "Rule":
        """From a saved Schedule (whose fields were checked on import)."""
        return cls(
            freq=schedule.freq,
            interval=schedule.interval,
            byday=parse_byday(schedule.byday),
            bymonthday=parse_bymonthday(schedule.bymonthday),
            dtstart=schedule.dtstart,
            valid_from=schedule.valid_from,
            valid_to=schedule.valid_to,
            opens_at=schedule.opens_at,
            opens_at_offset=schedule.opens_at_offset,
            closes_at=schedule.closes_at,
            closes_at_offset=schedule.closes_at_offset,
        )

    @property
    def weekly(self) -> bool:
        return self.freq == "WEEKLY" or (not self.freq and bool(self.byday))

    def occurs_on(self, day: dt.date) -> bool:
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_to and day > self.valid_to:
            return False
        if self.dtstart and day < self.dtstart:
            return False
        step = self.interval or 1
        if self.weekly:
            if step > 1 and self.dtstart:
                weeks = (_monday(day) - _monday(self.dtstart)).days // 7
                if weeks % step:
                    return False
            if self.byday:
                return day.weekday() in {d.weekday for d in self.byday}
            return self.dtstart is None or day.weekday() == self.dtstart.weekday()
        if self.freq == "MONTHLY":
            if step > 1 and self.dtstart:
                months = (day.year - self.dtstart.year) * 12 + day.month - self.dtstart.month
                if months % step:
                    return False
            matches = []
            if self.byday:
                matches.append(any(_day_matches(d, day) for d in self.byday))
            if self.bymonthday:
                length = calendar.monthrange(day.year, day.month)[1]
                matches.append(
                    any(day.day == (n if n > 0 else length + n + 1) for n in self.bymonthday)
                )
            if matches:
                return all(matches)
            return self.dtstart is None or day.day == self.dtstart.day
        # No frequency: a single date when dtstart is given, otherwise every day.
        return self.dtstart is None or day == self.dtstart

    def is_open_at(self, moment: dt.datetime) -> bool:
        """Open at this (timezone-aware) moment. Without times, open all day on its days. A
        closing time at or before the opening time runs past midnight."""
        opens = self._local(moment, self.opens_at_offset)
        closes = self._local(moment, self.closes_at_offset)
        opens_at, closes_at = self.opens_at, self.closes_at
        if opens_at is None:
            if closes_at is None:
                return self.occurs_on(opens.date())
            return self.occurs_on(closes.date()) and closes.time() < closes_at
        if closes_at is None:
            return self.occurs_on(opens.date()) and opens.time() >= opens_at
        if closes_at > opens_at:
            return self.occurs_on(opens.date()) and opens_at <= opens.time() < closes_at
        return (self.occurs_on(opens.date()) and opens.time() >= opens_at) or (
            self.occurs_on(closes.date() - dt.timedelta(days=1)) and closes.time() < closes_at
        )

    def is_open_on(self, day: dt.date) -> bool:
        return self.occurs_on(day)

    @staticmethod
    def _local(moment: dt.datetime, offset: int | None) -> dt.datetime:
        if offset is None:
            from django.utils import timezone

            return timezone.localtime(moment)
        return moment.astimezone(dt.timezone(dt.timedelta(minutes=offset)))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _day_matches(byday: ByDay, day: dt.date) -> bool:
    if day.weekday() != byday.weekday:
        return False
    if byday.ordinal is None:
        return True
    if byday.ordinal > 0:
        return (day.day - 1) // 7 + 1 == byday.ordinal
    length = calendar.monthrange(day.year, day.month)[1]
    return (length - day.day) // 7 + 1 == -byday.ordinal


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _nth(n: int) -> str:
    if n < 0:
        return "last day" if n == -1 else f"{-n}th from last day"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def summary(rule: Rule) -> str:
    """When, in plain words: "Thursdays and Fridays, 10:00 to 18:00"."""
    step = rule.interval or 1
    if rule.weekly:
        days = sorted({d.weekday for d in rule.byday})
        if len(days) == 7:
            when = "Every day"
        elif len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
            when = f"{DAY_NAMES[days[0]]}s to {DAY_NAMES[days[-1]]}s"
        else:
            names = [DAY_NAMES[d] + "s" for d in days] or (
                [DAY_NAMES[rule.dtstart.weekday()] + "s"] if rule.dtstart else ["Every day"]
            )
            when = _join(names)
        if step > 1:
            when = f"Every {step} weeks: {when}"
    elif rule.freq == "MONTHLY":
        parts = []
        for d in rule.byday:
            if d.ordinal is None:
                parts.append(f"every {DAY_NAMES[d.weekday]}")
            else:
                word = ORDINALS.get(d.ordinal, f"{d.ordinal}th")
                parts.append(f"the {word} {DAY_NAMES[d.weekday]}")
        if rule.bymonthday:
            parts.append("the " + _join([_nth(n) for n in rule.bymonthday]))
        if not parts:
            parts.append(f"the {_nth(rule.dtstart.day)}" if rule.dtstart else "every day")
        every = "month" if step == 1 else f"{step} months"
        when = _join(parts) + f" of the {every}" if step == 1 else _join(parts) + f", every {every}"
        when = when[0].upper() + when[1:]
    elif rule.dtstart:
        when = f"On {_date(rule.dtstart)}"
    else:
        when = "Every day"
    hours = _hours(rule)
    text = f"{when}, {hours}" if hours else when
    if rule.valid_from and rule.valid_to:
        text += f" (from {_date(rule.valid_from)} to {_date(rule.valid_to)})"
    elif rule.valid_to:
        text += f" (until {_date(rule.valid_to)})"
    elif rule.valid_from:
        text += f" (from {_date(rule.valid_from)})"
    return text


def _hours(rule: Rule) -> str:
    def show(moment, offset):
        text = moment.strftime("%H:%M")
        if offset is not None:
            text += " UTC" if offset == 0 else f" (UTC{format_time(moment, offset)[8:]})"
        return text

    if rule.opens_at and rule.closes_at:
        return f"{show(rule.opens_at, rule.opens_at_offset)} to {show(rule.closes_at, rule.closes_at_offset)}"
    if rule.opens_at:
        return f"from {show(rule.opens_at, rule.opens_at_offset)}"
    if rule.closes_at:
        return f"until {show(rule.closes_at, rule.closes_at_offset)}"
    return ""
