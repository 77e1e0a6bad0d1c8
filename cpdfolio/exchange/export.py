"""`cpdfolio export`: every record as rows of a CSV, XLSX or JSON file.

Export writes every activity, private ones included (it is the owner's backup),
as one row of fixed columns; JSON and XLSX add the goals, SWOTs and benchmarks,
so that they are a whole backup. CSV is one table, of activities.
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
from ..records.markup import count
from ..records.model import Activity, Benchmark, Goal, Portfolio, Swot
from .columns import (
    ACTIVITY_COLUMNS,
    BENCHMARK_ROW_COLUMNS,
    FORMATS,
    GOAL_COLUMNS,
    JSON_FORMAT,
    LIST_SEPARATOR,
    SWOT_KEYS,
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


def swot_row(swot: Swot) -> dict[str, object]:
    return {
        "title": swot.title,
        "date": swot.date,
        "share": swot.share,
        "text": trimmed(swot.body),
        "file": swot.path,
    }


def benchmark_row(benchmark: Benchmark) -> dict[str, object]:
    """A benchmark with its levels and targets as code → level, in the order written."""
    return {
        "title": benchmark.title,
        "date": benchmark.date,
        "levels": dict(benchmark.levels),
        "targets": dict(benchmark.targets),
        "share": benchmark.share,
        "text": trimmed(benchmark.body),
        "file": benchmark.path,
    }


def benchmark_competence_rows(benchmark: Benchmark) -> list[dict[str, object]]:
    """A row for each competence a benchmark assesses or aims at; its text on the first."""
    levels, targets = dict(benchmark.levels), dict(benchmark.targets)
    rows = []
    for code in dict.fromkeys([*levels, *targets]):
        rows.append(
            {
                "title": benchmark.title,
                "date": benchmark.date,
                "competence": code,
                "level": levels.get(code),
                "target": targets.get(code),
                "share": benchmark.share,
                # The commentary is on the whole benchmark: once, not once per competence.
                "text": None if rows else trimmed(benchmark.body),
                "file": benchmark.path,
            }
        )
    return rows


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
    """Every activity, goal, SWOT and benchmark as the documented JSON export."""

    def plain(row: dict[str, object]) -> dict[str, object]:
        return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in row.items()}

    document = {
        **JSON_FORMAT,
        "framework": framework.name,
        "activities": [plain(activity_row(a)) for a in portfolio.activities],
        "goals": [plain(goal_row(g)) for g in portfolio.goals],
        "swots": [plain(swot_row(s)) for s in portfolio.swots],
        "benchmarks": [plain(benchmark_row(b)) for b in portfolio.benchmarks],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_xlsx(portfolio: Portfolio, target: str | os.PathLike) -> None:
    """A sheet each for activities, goals, SWOTs and benchmarks (a row per competence)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheets = (
        ("activities", ACTIVITY_COLUMNS, [activity_row(a) for a in portfolio.activities]),
        ("goals", GOAL_COLUMNS, [goal_row(g) for g in portfolio.goals]),
        ("swots", SWOT_KEYS, [swot_row(s) for s in portfolio.swots]),
        (
            "benchmarks",
            BENCHMARK_ROW_COLUMNS,
            [row for b in portfolio.benchmarks for row in benchmark_competence_rows(b)],
        ),
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


def counted(portfolio: Portfolio, output_format: str) -> tuple[list[str], list[str]]:
    """What an export holds and what it leaves out, as '3 activities', '1 SWOT'.

    Kinds a portfolio has none of are not named, except activities.
    """
    kinds = (
        ("activity", "activities", len(portfolio.activities)),
        ("goal", "goals", len(portfolio.goals)),
        ("SWOT", "SWOTs", len(portfolio.swots)),
        ("benchmark", "benchmarks", len(portfolio.benchmarks)),
    )
    held: list[str] = []
    left_out: list[str] = []
    for one, many, number in kinds:
        if one == "activity" or number:
            # A CSV is one table, of activities: the other kinds need JSON or XLSX.
            (held if one == "activity" or output_format != "csv" else left_out).append(
                count(number, one, many)
            )
    return held, left_out


def listed(phrases: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return " and ".join(filter(None, (", ".join(phrases[:-1]), phrases[-1]))) if phrases else ""


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
