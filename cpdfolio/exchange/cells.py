"""What members write in a spreadsheet cell, read as a record's value.

Dates as people write them ('3rd March 2025', '03/2025', a spreadsheet's own
date), durations in hours or days ('half day', '1.5 days'), yes and no in their
many forms. A cell that cannot be read raises `RowProblem`, saying what would be
right.
"""

import calendar
import datetime
import math
import re

from .export import tidy_number, trimmed
from .readers import is_blank

# A working day, for durations written in days: the NHS and most employers count 7.5 hours.
HOURS_PER_DAY = 7.5
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_DAY_MONTH_YEAR = re.compile(
    r"^(?:[a-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([a-z]+)\.?,?[\s\-/]+(\d{4}|\d{2})$"
)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
# 'March 2025', 'Mar-2025', '03/2025', '2025-03': a month without its day.
_MONTH_YEAR = re.compile(r"^([a-z]+)\.?[\s\-/,]+(\d{4})$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{4})$|^(\d{4})[/.\-](\d{1,2})$")
# '2 days', '1.5 days', 'half day', 'half-day', '1/2 day', '½ day', 'one day', '1 and a half days'.
_DAYS = re.compile(
    r"^(?:(?P<number>\d+(?:[.,]\d+)?|a|an|one|two|three|four|five)\s*(?P<half>½|and a half)?"
    r"|(?P<only_half>half|half a|a half|½|1/2|0\.5))[\s\-]*(?:full\s+|working\s+)?days?$"
)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_TRUE = {"true", "yes", "y", "1", "x", "✓", "✔"}
_FALSE = {"false", "no", "n", "0", ""}


class RowProblem(ValueError):
    """A row that cannot become a record; the message says why, for the report."""


def read_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return " ".join(str(value).split()) or None


def read_items(value: object, separators: str = ";,\n") -> list[str]:
    if is_blank(value):
        return []
    items = re.split(f"[{re.escape(separators)}]", str(value))
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


def read_day(value: object, name: str) -> datetime.date:
    """A date from a cell that must give the day."""
    day, how = read_day_noted(value, name)
    if how == "month":
        raise RowProblem(
            f"{name} '{read_text(value)}' gives no day; write the day, like 31/03/2025"
        )
    return day


def read_day_noted(value: object, name: str) -> tuple[datetime.date, str | None]:
    """A date from a cell, and how it was read: None, 'day first' or 'month' (no day given).

    A spreadsheet date, ISO, day first as the UK writes it, or a month and year
    ('March 2025'), which stands for the first of the month.
    """
    if isinstance(value, datetime.datetime):
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell without a date format: Excel's count of days.
        from openpyxl.utils.datetime import from_excel

        if 1 <= value < 2958466:
            return from_excel(value).date(), None
    text = " ".join(str(value).split())
    lowered = text.casefold()
    numbers: tuple[int, int, int] | None = None
    how = None
    if match := _ISO_DAY.match(lowered):
        numbers = int(match[1]), int(match[2]), int(match[3])
    elif match := _NUMERIC_DAY.match(lowered):
        numbers = _year(match[3]), int(match[2]), int(match[1])
        # 03/04/2025 is 3 April in the UK and 4 March in the US: say which was read.
        how = (
            "day first"
            if numbers[1] <= 12 and numbers[2] <= 12 and numbers[1] != numbers[2]
            else None
        )
    elif match := _DAY_MONTH_YEAR.match(lowered):
        month = _month(match[2])
        if month:
            numbers = _year(match[3]), month, int(match[1])
    elif match := _MONTH_DAY_YEAR.match(lowered):
        month = _month(match[1])
        if month:
            numbers = int(match[3]), month, int(match[2])
    elif match := _MONTH_YEAR.match(lowered):
        month = _month(match[1])
        if month:
            numbers, how = (int(match[2]), month, 1), "month"
    elif match := _NUMERIC_MONTH.match(lowered):
        year, month = (match[2], match[1]) if match[1] else (match[3], match[4])
        numbers, how = (int(year), int(month), 1), "month"
    if numbers is None:
        raise RowProblem(
            f"{name} '{text}' is not a date; write it like 14/03/2025, 14 Mar 2025 or 2025-03-14"
        )
    try:
        return datetime.date(*numbers), how
    except ValueError:
        year, month, day = numbers
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            why = f"{_MONTH_NAMES[month - 1].title()} {year} has {last} days, not {day}"
        else:
            why = f"there is no month {month}"
        raise RowProblem(f"{name} '{text}' is not a day of the calendar: {why}") from None


def is_date_like(value: object) -> bool:
    try:
        read_day_noted(value, "date")
    except RowProblem:
        return False
    return True


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _month(word: str) -> int | None:
    word = word.rstrip(".")
    if len(word) >= 3:
        for number, name in enumerate(_MONTH_NAMES, start=1):
            if name.startswith(word):
                return number
    return None


def read_hours_noted(
    value: object, hours_per_day: float = HOURS_PER_DAY
) -> tuple[float, str | None]:
    """Hours from a cell, and how they were read when not written as hours (None if they were).

    1.5, '1,5', '1:30', '90 min', '2 hours', '1h30'; and days: '2 days', 'half day'.
    """
    if isinstance(value, (datetime.time, datetime.timedelta)):
        return read_hours(value), ""
    text = " ".join(str(value).split()).casefold()
    if match := _DAYS.match(text):
        if match["only_half"]:
            days = 0.5
        else:
            number = match["number"]
            days = float(_NUMBER_WORDS.get(number) or number.replace(",", "."))
            days += 0.5 if match["half"] else 0
        return round(days * hours_per_day, 2), f" at {number_text(hours_per_day)} hours a day"
    hours = read_hours(value)
    plain = isinstance(value, (int, float)) or re.fullmatch(r"\+?\d+(?:[.]\d*)?|\.\d+", text)
    return hours, None if plain else ""


def read_hours(value: object) -> float:
    """Hours from a cell: 1.5, '1,5', '1:30', '90 min', '2 hours', '1h30'."""
    if isinstance(value, datetime.time):
        return round(value.hour + value.minute / 60, 2)
    if isinstance(value, datetime.timedelta):
        return round(value.total_seconds() / 3600, 2)
    number: float | None = None
    # Hours from minutes are rounded (1:20 is 1.33); a number is kept as written.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip().casefold()
        compact = re.sub(r"\s+", "", text).replace(",", ".")
        if match := re.fullmatch(r"\+?(\d+(?:\.\d*)?|\.\d+)(?:h|hr|hrs|hour|hours)?", compact):
            number = float(match[1])
        elif match := re.fullmatch(r"(\d+):([0-5]\d)", compact):
            number = round(int(match[1]) + int(match[2]) / 60, 2)
        elif match := re.fullmatch(r"(\d+)(?:m|min|mins|minute|minutes)", compact):
            number = round(int(match[1]) / 60, 2)
        elif match := re.fullmatch(
            r"(\d+)(?:h|hr|hrs|hours?)(\d+)(?:m|min|mins|minutes?)?", compact
        ):
            number = round(int(match[1]) + int(match[2]) / 60, 2)
    if number is None or not math.isfinite(number) or number < 0:
        raise RowProblem(f"hours '{value}' is not a number of hours, like 1.5 or 1:30")
    return number


def as_written(value: object) -> str:
    """A cell as the member saw it in the spreadsheet: a time of 1:30 as '1:30'."""
    if isinstance(value, datetime.time):
        return f"{value.hour}:{value.minute:02d}"
    return read_text(value) or ""


def number_text(value: float) -> str:
    return str(tidy_number(value))


def cell_body(value: object) -> str:
    """A cell's text for the body: its own line breaks kept, nothing around it."""
    if isinstance(value, str):
        return trimmed(value.replace("\r\n", "\n").replace("\r", "\n"))
    return read_text(value) or ""


def read_share(value: object, column: str) -> bool:
    """Whether a row is shared, from a 'Share' or a 'Private' column."""
    word = str(value).strip().casefold()
    if word in ("private", "confidential"):
        return False
    if word in ("shared", "share", "public"):
        return True
    flag = read_flag(value, column)
    return flag if column == "share" else not flag


def read_flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowProblem(f"{name} '{value}' should be yes or no")
