"""`cpdfolio export`: every record as rows of a CSV, XLSX or JSON file.

Export writes every activity, private ones included (it is the owner's backup),
as one row of fixed columns; JSON and XLSX add the goals.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import tempfile
from pathlib import Path

from ..frameworks import Framework
from ..records.model import Activity, Goal, Portfolio
from .columns import (
    ACTIVITY_COLUMNS,
    FORMATS,
    GOAL_COLUMNS,
    JSON_FORMAT,
    LIST_SEPARATOR,
    ExchangeError,
    guarded,
)

# -- export -----------------------------------------------------------------------------


def activity_row(activity: Activity) -> dict[str, object]:
    """An activity as export columns, typed: dates, numbers, lists, a flag."""
    return {
        "title": activity.title,
        "date": activity.date,
        "end": activity.end,
        "category": activity.category,
        "type": activity.type,
        "hours": tidy_number(activity.hours),
        "goals": list(activity.goals),
        "competences": list(activity.competences),
        "evidence": [evidence.target for evidence in activity.evidence],
        "tags": list(activity.tags),
        "provider": activity.provider,
        "location": activity.location,
        "share": activity.share,
        "reflection": trimmed(activity.body),
        "file": activity.path,
    }


def goal_row(goal: Goal) -> dict[str, object]:
    return {
        "id": goal.id,
        "title": goal.title,
        "status": goal.status,
        "created": goal.created,
        "target": goal.target,
        "achieved": goal.achieved,
        "competences": list(goal.competences),
        "tags": list(goal.tags),
        "share": goal.share,
        "text": trimmed(goal.body),
        "file": goal.path,
    }


def cell_text(value: object) -> str:
    """A typed value as the text of a CSV cell: ISO dates, lists joined with '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_csv(portfolio: Portfolio) -> str:
    """Every activity as CSV, one row each, the columns of ACTIVITY_COLUMNS."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ACTIVITY_COLUMNS)
    for activity in portfolio.activities:
        row = activity_row(activity)
        writer.writerow([guarded(cell_text(row[column])) for column in ACTIVITY_COLUMNS])
    return out.getvalue()


def to_json(portfolio: Portfolio, framework: Framework) -> str:
    """Every activity and goal as the documented JSON export."""

    def plain(row: dict[str, object]) -> dict[str, object]:
        return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in row.items()}

    document = {
        **JSON_FORMAT,
        "framework": framework.name,
        "activities": [plain(activity_row(a)) for a in portfolio.activities],
        "goals": [plain(goal_row(g)) for g in portfolio.goals],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_xlsx(portfolio: Portfolio, target: str | os.PathLike) -> None:
    """Every activity on a sheet 'activities', every goal on a sheet 'goals'."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheets = (
        ("activities", ACTIVITY_COLUMNS, [activity_row(a) for a in portfolio.activities]),
        ("goals", GOAL_COLUMNS, [goal_row(g) for g in portfolio.goals]),
    )
    for number, (name, columns, rows) in enumerate(sheets):
        sheet = workbook.active if number == 0 else workbook.create_sheet()
        sheet.title = name
        sheet.append(list(columns))
        for row in rows:
            sheet.append([_xlsx_value(row[column]) for column in columns])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    # A title such as '=SUM(A1)' is text, never a formula to run.
                    cell.data_type = "s"
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            width = 60 if cell.value in ("title", "reflection", "text") else 14
            sheet.column_dimensions[cell.column_letter].width = width
        sheet.freeze_panes = "A2"
    _replace(target, workbook.save)


def export(
    portfolio: Portfolio,
    framework: Framework,
    output_format: str,
    target: str | os.PathLike | None = None,
) -> str | None:
    """The export as text (CSV, JSON) when there is no target; else written to it."""
    if output_format not in FORMATS:
        raise ExchangeError(f"format '{output_format}' is not one of {', '.join(FORMATS)}")
    if output_format == "xlsx":
        if target is None:
            raise ExchangeError("an XLSX export is a file: name it with -o, like -o cpd.xlsx")
        write_xlsx(portfolio, target)
        return None
    text = to_csv(portfolio) if output_format == "csv" else to_json(portfolio, framework)
    if target is None:
        return text
    _replace(target, lambda path: Path(path).write_text(text, "utf-8", newline=""))
    return None


def _replace(target: str | os.PathLike, write) -> None:
    """Write through a temporary file beside the target, so no half-written export is left."""
    folder = Path(target).parent
    if not folder.is_dir():
        raise ExchangeError(f"cannot write {target}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".cpdfolio-", suffix=".tmp")
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def _xlsx_value(value: object) -> object:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, (list, tuple)):
        value = cell_text(value)
    if isinstance(value, str):
        # Control characters cannot be stored in an XLSX cell.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def tidy_number(value: float | None) -> float | int | None:
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def trimmed(body: str) -> str:
    """A body without the blank lines around it: what a spreadsheet cell should hold."""
    return re.sub(r"\A(?:[ \t]*\n)+", "", body).rstrip()
