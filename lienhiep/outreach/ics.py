"""iCalendar (RFC 5545) written by hand: CRLF line ends, lines folded at 75 octets without splitting a UTF-8
character, TEXT values escaped, a UID and DTSTAMP on every event."""

import datetime
from dataclasses import dataclass

PRODID = "-//Lienhiep//Outreach//VI"


@dataclass
class Event:
    uid: str
    start: datetime.date | datetime.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # or TENTATIVE
    end: datetime.date | datetime.datetime | None = None


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuation lines start with one space."""
    out, current, size, limit = [], [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _date_or_time(name: str, value) -> str:
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
            return f"{name}:{value:%Y%m%dT%H%M%SZ}"
        return f"{name}:{value:%Y%m%dT%H%M%S}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def calendar(events: list[Event], *, name: str, now: datetime.datetime | None = None) -> str:
    stamp = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        end = event.end
        if end is None and not isinstance(event.start, datetime.datetime):
            end = event.start + datetime.timedelta(days=1)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}",
            _date_or_time("DTSTART", event.start),
        ]
        if end is not None:
            lines.append(_date_or_time("DTEND", end))
        lines.append(f"SUMMARY:{escape(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        lines += [f"STATUS:{event.status}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
