"""The audit period: one meaning for `period:` in mkdocs.yml and `--period` on the command line."""

from __future__ import annotations

import datetime
import os

from .model import Period

NAMES = ("last-12-months", "calendar-year", "all")


class PeriodError(ValueError):
    """A period that cannot be understood; the message says what would be right."""


def today() -> datetime.date:
    """Today, or the day of SOURCE_DATE_EPOCH, so that a rebuild can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


def parse_period(value: object, on: datetime.date | None = None) -> Period:
    """`last-12-months`, `calendar-year`, `all`, a year like 2025, or {from:, to:}."""
    on = on or today()
    if value is None or value == "all":
        return Period()
    if value == "last-12-months":
        # The twelve months that end today: 26 Nov 2025 to 25 Nov 2026.
        return Period(_one_year_before(on) + datetime.timedelta(days=1), on)
    if value == "calendar-year":
        return Period(datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31))
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        or (isinstance(value, str) and value.isdigit() and len(value) == 4)
    ):
        year = int(value)
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to"}
        if unknown or not value:
            raise PeriodError(
                f"period has key(s) {', '.join(map(str, sorted(unknown, key=str)))}; "
                f"write {{from: YYYY-MM-DD, to: YYYY-MM-DD}}"
            )
        start = _day(value.get("from"), "from")
        end = _day(value.get("to"), "to")
        if start and end and end < start:
            raise PeriodError(f"period ends ({end}) before it starts ({start})")
        return Period(start, end)
    raise PeriodError(
        f"period '{value}' is not one of {', '.join(NAMES)}, a year like 2025, "
        f"or {{from: YYYY-MM-DD, to: YYYY-MM-DD}}"
    )


def _day(value: object, name: str) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise PeriodError(f"period {name} '{value}' should be a date written YYYY-MM-DD") from None


def _one_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
