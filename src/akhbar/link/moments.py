"""Publication times as linking compares them: day-scale distances between stored ISO-8601 strings.

Linking weighs days, not hours, so a time is read as the outlet's wall-clock time (its zone dropped): a dated
article with a zone and one without can still be compared, and an unreadable or missing date is simply unknown.
"""

from __future__ import annotations

from datetime import datetime


def moment(when: str | None) -> datetime | None:
    """The wall-clock time of a stored ISO-8601 date, or None when missing or unreadable."""
    if not when:
        return None
    try:
        return datetime.fromisoformat(when).replace(tzinfo=None)
    except ValueError:
        return None


def days_between(first: datetime | None, second: datetime | None) -> float | None:
    """``second - first`` in days (negative when second is earlier), or None when either is unknown."""
    if first is None or second is None:
        return None
    return (second - first).total_seconds() / 86400
