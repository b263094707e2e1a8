"""An iCalendar (RFC 5545) invitation for a Big Conversation, written by hand: one event, its
text escaped and its lines folded at 75 octets as the standard asks."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

ERROR_NO_TIME = "This conversation has no start time yet: give it one before sending invitations"
DEFAULT_LENGTH = dt.timedelta(hours=2)


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never splitting
    a UTF-8 character)."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(day: dt.date, time: dt.time) -> str:
    zone = timezone.get_default_timezone()
    moment = dt.datetime.combine(day, time, tzinfo=zone).astimezone(dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def calendar(conversation, *, host: str = "hct") -> str:
    assert conversation.starts_at is not None
    start = dt.datetime.combine(conversation.date, conversation.starts_at)
    end = (
        dt.datetime.combine(conversation.date, conversation.ends_at)
        if conversation.ends_at
        else start + DEFAULT_LENGTH
    )
    summary = str(conversation)
    where = ", ".join(x for x in (conversation.venue, conversation.venue_hints) if x)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{settings.HCT_SERVICE_NAME}//Big Conversations//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:conversation-{conversation.pk}@{host}",
        f"DTSTAMP:{timezone.now().astimezone(dt.UTC):%Y%m%dT%H%M%SZ}",
        f"DTSTART:{_utc(start.date(), start.time())}",
        f"DTEND:{_utc(end.date(), end.time())}",
        f"SUMMARY:{escape(summary)}",
        f"DESCRIPTION:{escape(conversation.purpose)}",
    ]
    if where:
        lines.append(f"LOCATION:{escape(where)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
