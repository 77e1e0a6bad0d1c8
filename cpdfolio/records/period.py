"""The audit period: one meaning for `period:` in mkdocs.yml and `--period` on the command line."""

from __future__ import annotations

import datetime
import os

from .model import Period

NAMES = (
    "last-12-months",
    "last-24-months",
    "calendar-year",
    "previous-calendar-year",
    "all",
)


class PeriodError(ValueError):
    """A period that cannot be understood; the message says what would be right."""


def today() -> datetime.date:
    """Today, or the day of SOURCE_DATE_EPOCH, so that a rebuild can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


# What would be right, as the member would type it in each place a period is given.
_IN_MKDOCS_YML = "{from: 2025-01-01, to: 2025-12-31}"
_ON_COMMAND_LINE = "--from 2025-01-01 --to 2025-12-31"


def parse_period(
    value: object, on: datetime.date | None = None, *, command_line: bool = False
) -> Period:
    """A name of NAMES, a year like 2025, or {from:, to:}.

    `command_line` words the errors for `--period`, `--from` and `--to`.
    """
    on = on or today()
    if value is None or value == "all":
        return Period()
    if value in ("last-12-months", "last-24-months"):
        # The twelve months that end today: 26 Nov 2025 to 25 Nov 2026.
        years = 1 if value == "last-12-months" else 2
        return Period(_years_before(on, years) + datetime.timedelta(days=1), on)
    if value == "calendar-year":
        return Period(datetime.date(on.year, 1, 1), datetime.date(on.year, 12, 31))
    if value == "previous-calendar-year":
        return Period(datetime.date(on.year - 1, 1, 1), datetime.date(on.year - 1, 12, 31))
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
                f"write {_IN_MKDOCS_YML}"
            )
        start = _day(value.get("from"), "from", command_line)
        end = _day(value.get("to"), "to", command_line)
        if start and end and end < start:
            raise PeriodError(f"period ends ({end}) before it starts ({start})")
        return Period(start, end)
    dates = _ON_COMMAND_LINE if command_line else _IN_MKDOCS_YML
    raise PeriodError(
        f"period '{value}' is not one of {', '.join(NAMES)}, a year like 2025, "
        f"or two dates: {dates}"
    )


def _day(value: object, name: str, command_line: bool) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        where = f"--{name}" if command_line else f"period {name}"
        raise PeriodError(
            f"{where} '{value}' should be a date written YYYY-MM-DD, like 2025-01-01"
        ) from None


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
