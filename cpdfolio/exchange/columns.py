"""What a spreadsheet of records holds: the columns of an export, and the formula guard.

Export writes these columns and import reads them back, so both share one list,
and a cell guarded on the way out loses exactly its guard on the way in.
"""

from __future__ import annotations

FORMATS = ("csv", "xlsx", "json")
# The columns of an export, in this order; `file` is the record's path from the portfolio root.
ACTIVITY_COLUMNS = (
    "title",
    "date",
    "end",
    "category",
    "type",
    "hours",
    "goals",
    "competences",
    "evidence",
    "tags",
    "provider",
    "location",
    "share",
    "reflection",
    "file",
)
GOAL_COLUMNS = (
    "id",
    "title",
    "status",
    "created",
    "target",
    "achieved",
    "competences",
    "tags",
    "share",
    "text",
    "file",
)
# A SWOT, in the JSON export and on its XLSX sheet.
SWOT_KEYS = ("title", "date", "share", "text", "file")
# The XLSX sheet of benchmarks has a row for each competence of each benchmark, so that a
# member can filter one competence and see it move from year to year; `text` is on its first row.
BENCHMARK_ROW_COLUMNS = ("title", "date", "competence", "level", "target", "share", "text", "file")
LIST_SEPARATOR = "; "
JSON_FORMAT = {"format": "cpdfolio-export", "version": 1}
# What a column of a spreadsheet may become; `private` is `share` turned round.
IMPORT_KEYS = (*ACTIVITY_COLUMNS, "private", "ignore")


class ExchangeError(Exception):
    """A file that cannot be exported or imported as asked; the message says why."""


# A cell starting with one of these is a formula to a spreadsheet that opens the CSV
# (OWASP's "CSV injection"); the export puts a ' before it, as OWASP recommends, and
# before a cell that starts with ' itself, so that import can take exactly one away.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def guarded(cell: str) -> str:
    """A CSV cell that no spreadsheet takes for a formula; `unguarded` gives it back."""
    return FORMULA_GUARD + cell if cell.startswith((*FORMULA_STARTS, FORMULA_GUARD)) else cell


def unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith(FORMULA_GUARD) else cell
