"""Times of day: stored in UTC without a zone (alike on SQLite and PostgreSQL, and as the audit
chain hashes them); shown, and searched by day, in the zone of the PC (Asia/Shanghai in China)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time


def local(moment: datetime) -> datetime:
    """A stored moment (UTC; without a zone means UTC) in this PC's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def shown(moment: datetime | None, *, seconds: bool = True) -> str:
    """A stored moment as a clerk reads it: local date and time."""
    if moment is None:
        return ""
    return local(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def start_of_day(day: date) -> datetime:
    """The stored form (UTC, without a zone) of the moment a local day begins."""
    return datetime.combine(day, time.min).astimezone(UTC).replace(tzinfo=None)
