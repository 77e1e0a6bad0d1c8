"""Records in and out of spreadsheets: `cpdfolio export` and `cpdfolio import`.

Export writes every activity, private ones included (it is the owner's backup),
as one row of fixed columns; JSON and XLSX add the goals. Import turns the rows
of a CSV or XLSX file, its own export or a member's own spreadsheet, into new
activity files, and never changes a file that exists.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import json
import math
import os
import posixpath
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .authoring import (
    FOLDERS,
    free_name,
    record_text,
    reflection_template,
    slug,
    taken_ids,
    write_new,
)
from .frameworks import Framework
from .frontmatter import FrontMatterError, parse
from .loader import LoadResult, load
from .model import Activity, Goal, Portfolio
from .schema import activity_schema, did_you_mean

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


# -- export -----------------------------------------------------------------------------


def activity_row(activity: Activity) -> dict[str, object]:
    """An activity as export columns, typed: dates, numbers, lists, a flag."""
    return {
        "title": activity.title,
        "date": activity.date,
        "end": activity.end,
        "category": activity.category,
        "type": activity.type,
        "hours": _tidy_number(activity.hours),
        "goals": list(activity.goals),
        "competences": list(activity.competences),
        "evidence": [evidence.target for evidence in activity.evidence],
        "tags": list(activity.tags),
        "provider": activity.provider,
        "location": activity.location,
        "share": activity.share,
        "reflection": _trimmed(activity.body),
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
        "text": _trimmed(goal.body),
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
        writer.writerow([_guarded(cell_text(row[column])) for column in ACTIVITY_COLUMNS])
    return out.getvalue()


def _guarded(cell: str) -> str:
    """A CSV cell that no spreadsheet takes for a formula; `_unguarded` gives it back."""
    return FORMULA_GUARD + cell if cell.startswith((*FORMULA_STARTS, FORMULA_GUARD)) else cell


def _unguarded(cell: str) -> str:
    return cell[1:] if cell.startswith(FORMULA_GUARD) else cell


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


def _tidy_number(value: float | None) -> float | int | None:
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def _trimmed(body: str) -> str:
    """A body without the blank lines around it: what a spreadsheet cell should hold."""
    return re.sub(r"\A(?:[ \t]*\n)+", "", body).rstrip()


# -- import -----------------------------------------------------------------------------

# Spreadsheet headings members use, by the key they mean (compared in lower case,
# punctuation as spaces): 'CPD hours', 'Duration (hours)', 'Date(s)'.
_HEADINGS = {
    "title": "title|activity|cpd activity|activity title|activity name|name of activity"
    "|activity description|description of activity|event|course|course title|what",
    "date": "date|dates|start|start date|date started|activity date|date of activity|date from"
    "|from|when",
    "end": "end|end date|date ended|finish|finish date|date to|to|until",
    "category": "category|cpd category|learning category|category of learning|type of learning"
    "|learning type|cpd type",
    "type": "type|activity type|type of activity|format|training type|type of training"
    "|type of event|event type",
    "hours": "hours|cpd hours|hrs|hours claimed|hours spent|duration|duration hours|duration hrs"
    "|time|time spent|time hours",
    "evidence": "evidence|evidence file|evidence files|supporting evidence|certificate|attachments",
    "goals": "goals|goal|objectives|objective|development objectives|development goals|pdp goals",
    "competences": "competences|competencies|competence|competency|competence codes|uk spec"
    "|uk spec competences",
    "tags": "tags|tag|keywords",
    "provider": "provider|organiser|organizer|organisation|organization|run by|host",
    "location": "location|venue|place|where",
    "share": "share|shared|public",
    "private": "private|confidential",
    "file": "file",
}
_KEY_OF_HEADING = {
    heading: key for key, headings in _HEADINGS.items() for heading in headings.split("|")
}
# Columns members keep their reflection in, by the default framework's heading they
# mean: 'Key learning' and 'Outcome / experience gained' are what was learned.
_REFLECTION_HEADINGS = {
    "What I did": "what i did|what did you do|what was done|details|activity details|summary"
    "|description|description of what you did",
    "What I learned": "what i learned|what i learnt|what did you learn|what was learned"
    "|what was learnt|key learning|key learning points|key learnings|learning|learning points"
    "|learning outcome|learning outcomes|outcome|outcomes|outcome experience gained"
    "|experience gained|reflection|reflections|reflective notes|reflective note"
    "|lessons learned|lessons learnt",
    "How I will apply it": "how i will apply it|how will i apply it|how will you apply it"
    "|how i will use it|application|application to practice|applying it|impact"
    "|impact on practice|action|actions|next steps|further action|action plan|follow up",
    "Benefit to others": "benefit|benefits|benefit to others|benefit to patients"
    "|benefit to service users|benefit to the service|benefit to users|who benefits",
    "Notes": "notes|note|comments|comment|remarks|other notes|additional notes",
}
_REFLECTION_OF_HEADING = {
    heading: name
    for name, headings in _REFLECTION_HEADINGS.items()
    for heading in headings.split("|")
}
# The default framework's headings, in order, to find the same place in another framework's.
_DEFAULT_HEADINGS = ("What I did", "What I learned", "How I will apply it", "Benefit to others")
# Where text goes that no heading of the framework takes: kept, never left out.
NOTES = "Notes"
# A column that goes into the reflection is written as its heading's Markdown line.
_UNDER = "## "
# How many rows at the top may come before the headings (a title, a name, a blank row).
_HEADING_SEARCH = 10
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
# A row of sums at the foot of a log: 'Total', 'Total hours', 'Grand total', 'Sum'.
_TOTALS = re.compile(r"^(?:grand\s+|sub\s*)?totals?\b.*$|^sum$", re.I)
_HEADING_LINE = re.compile(r"^##\s", re.M)
_TRUE = {"true", "yes", "y", "1", "x", "✓", "✔"}
_FALSE = {"false", "no", "n", "0", ""}


class RowProblem(ValueError):
    """A row that cannot become a record; the message says why, for the report."""


@dataclass(frozen=True)
class Column:
    """A column of the spreadsheet and what it becomes: a front matter key or a heading."""

    index: int
    heading: str
    target: str  # a key of IMPORT_KEYS, or '## Heading' of the reflection

    @property
    def reflection_heading(self) -> str | None:
        return self.target[len(_UNDER) :] if self.target.startswith(_UNDER) else None

    def __str__(self) -> str:
        return f"{self.heading} → {self.target}"


@dataclass(frozen=True)
class RowResult:
    """What import did with one row of the spreadsheet, and what it read into it."""

    row: int
    outcome: str  # "written", "present", "skipped" or "totals"
    detail: str
    dry_run: bool = False
    inferred: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.outcome == "written":
            verb = "would write" if self.dry_run else "wrote"
            line = f"row {self.row}: {verb} {self.detail}"
        elif self.outcome == "present":
            line = (
                f"row {self.row}: skipped, already present (same date and title as {self.detail})"
            )
        elif self.outcome == "totals":
            line = f"row {self.row}: skipped, a totals row ({self.detail})"
        else:
            line = f"row {self.row}: skipped, {self.detail}"
        return "\n".join([line, *(f"  {note}" for note in self.inferred)])


@dataclass
class ImportReport:
    source: str
    dry_run: bool
    heading_row: int
    rows: list[RowResult] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    # Columns that became nothing, as headed in the file (only by --map COLUMN=ignore).
    ignored_columns: list[str] = field(default_factory=list)
    # Rows above the headings that hold text: a title, a name.
    above: list[str] = field(default_factory=list)
    blank_rows: int = 0
    hours_per_day: float = HOURS_PER_DAY
    days_read: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def summary(self) -> str:
        written = self.count("written")
        parts = [
            f"{written} {'to write' if self.dry_run else 'written'}",
            f"{self.count('present')} already present",
            f"{self.count('skipped')} skipped for a problem",
        ]
        totals = self.count("totals")
        if totals:
            parts.append(f"{totals} totals row{'s' * (totals != 1)}")
        if self.blank_rows:
            parts.append(f"{self.blank_rows} blank row{'s' * (self.blank_rows != 1)}")
        rows = len(self.rows) + self.blank_rows
        line = f"{self.source}: {rows} row{'s' * (rows != 1)}, " + ", ".join(parts)
        if self.dry_run:
            line += " (a dry run: nothing was written)"
        return line

    def lines(self) -> list[str]:
        """The whole report, as the command prints it: headings, columns, rows, summary."""
        said = []
        if self.heading_row != 1:
            above = "; ".join(f"'{text}'" for text in self.above)
            said.append(
                f"Headings found on row {self.heading_row}"
                + (f" (read as a title above them: {above})" if above else "")
            )
        said.append("Columns: " + ", ".join(str(column) for column in self.columns))
        if self.ignored_columns:
            said.append("Columns left out, as asked: " + ", ".join(self.ignored_columns))
        if self.days_read:
            said.append(
                f"A day is counted as {_number(self.hours_per_day)} hours "
                f"(set another with --hours-per-day)"
            )
        said.extend(str(row) for row in self.rows)
        said.append(self.summary())
        return said


def import_activities(
    source: str | os.PathLike,
    root: str | os.PathLike,
    framework: Framework,
    *,
    dry_run: bool = False,
    columns: Mapping[str, str] | None = None,
    category: str | None = None,
    hours_per_day: float = HOURS_PER_DAY,
) -> ImportReport:
    """Write each row of a CSV or XLSX file as a new activity under root/activities/.

    `columns` maps a column's heading to a key, a reflection heading or 'ignore',
    over the headings cpdfolio recognises; a column it does not recognise goes
    under '## Notes', so no word of the row is lost. `category` is the category
    of rows that give none. Rows already present (same date and title) and rows
    with a problem are skipped and reported; no file that exists is changed.
    """
    source = Path(source)
    table = read_table(source)
    chosen = {heading: target_of(target, framework) for heading, target in (columns or {}).items()}
    if category is not None:
        found = category if category in framework.category_ids else None
        if found is None and (matched := match_category(category, framework)):
            found = matched[0] if matched[1] == "name" else None
        if found is None:
            raise ExchangeError(
                f"--category '{category}' is not one of {', '.join(framework.category_ids)}"
                + did_you_mean(category, framework.category_ids)
            )
        category = found
    if not (math.isfinite(hours_per_day) and 0 < hours_per_day <= 24):
        raise ExchangeError(f"--hours-per-day {hours_per_day}: give the hours of a day, like 7.5")
    importer = _Importer(
        Path(root),
        framework,
        load(root, framework),
        dry_run,
        default_category=category,
        hours_per_day=hours_per_day,
    )
    return importer.run(source.name, table, chosen)


def target_of(written: str, framework: Framework) -> str:
    """What `--map COLUMN=...` asks for: a key, 'ignore', or a reflection heading by name."""
    name = written.strip().removeprefix("#").removeprefix("#").strip()
    if name in IMPORT_KEYS:
        return name
    headings = [*framework.headings, NOTES]
    for heading in headings:
        if _normal(heading) == _normal(name):
            return _UNDER + heading
    if _normal(name) in _REFLECTION_OF_HEADING:
        return _UNDER + _framework_heading(_REFLECTION_OF_HEADING[_normal(name)], framework)
    raise ExchangeError(
        f"--map ...={written}: '{written}' is neither a key ({', '.join(IMPORT_KEYS)}) nor a "
        f"heading of the reflection ({', '.join(headings)})"
        + did_you_mean(name, [*IMPORT_KEYS, *headings])
    )


def _framework_heading(default_heading: str, framework: Framework) -> str:
    """The framework's heading for one of the default's: the same name, else the same place."""
    if default_heading == NOTES:
        return NOTES
    for heading in framework.headings:
        if _normal(heading) == _normal(default_heading):
            return heading
    place = _DEFAULT_HEADINGS.index(default_heading)
    if default_heading == "What I learned" and framework.required_headings:
        return framework.required_headings[0]
    return framework.headings[place] if place < len(framework.headings) else NOTES


# What import reads at most: far more than a lifetime of CPD, far less than a file
# made to exhaust the machine. Each is a clear error, never a long wait.
MAX_FILE_BYTES = 20_000_000
MAX_ROWS = 10_000
MAX_COLUMNS = 100
# The csv module's own limit for one field; an XLSX cell holds at most 32,767.
MAX_CELL_CHARS = 131_072
# All the XML inside an XLSX, unpacked: a zip of repeated rows may unpack 100-fold.
MAX_XLSX_UNPACKED = 100_000_000

Table = list[tuple[int, list[object]]]


def read_table(path: Path) -> Table:
    """The rows of a CSV or XLSX file, each with its row number as a spreadsheet shows it."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ExchangeError(f"{path} is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ExchangeError(
            f"{path.name} is {size / 1e6:.1f} MB; import reads files of up to "
            f"{MAX_FILE_BYTES // 1_000_000} MB: split it, or leave out what is not records"
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path)
    if suffix == ".xls":
        raise ExchangeError(
            f"{path.name} is in the old Excel format: save it as .xlsx or .csv and import that"
        )
    raise ExchangeError(f"{path.name}: import reads .csv and .xlsx files")


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves 'CSV' in its own code page, not UTF-8.
        text = raw.decode("cp1252", errors="replace")
    delimiter = ","
    for line in text.splitlines():
        counts = {mark: line.count(mark) for mark in (",", ";", "\t")}
        if any(counts.values()):
            delimiter = max(counts, key=lambda mark: counts[mark])
            break
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Table = []
    try:
        for cells in reader:
            _check_row(path, reader.line_num, len(rows) + 1, cells)
            rows.append((len(rows) + 1, list(cells)))
    except csv.Error as error:
        raise ExchangeError(
            f"{path.name}:{reader.line_num}: cannot be read as CSV ({error}); a cell may hold "
            f"at most {MAX_CELL_CHARS:,} characters"
        ) from None
    # Its own export guards cells a spreadsheet would run as formulas: undone exactly.
    if rows and [_normal(cell) for cell in rows[0][1]] == list(ACTIVITY_COLUMNS):
        rows = [(number, [_unguarded(cell) for cell in cells]) for number, cells in rows]
    return rows


def _check_row(path: Path, line: int, row: int, cells: list) -> None:
    """A row within the limits, or the error that says which limit and where."""
    if row > MAX_ROWS:
        raise ExchangeError(
            f"{path.name} has more than {MAX_ROWS:,} rows; import reads at most that many: "
            f"split the file"
        )
    for column, cell in enumerate(cells[: MAX_COLUMNS + 1], start=1):
        if column > MAX_COLUMNS and cell not in (None, ""):
            raise ExchangeError(
                f"{path.name}:{line}: has more than {MAX_COLUMNS} columns; import reads "
                f"at most that many"
            )
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise ExchangeError(
                f"{path.name}:{line}: a cell of {len(cell):,} characters; a cell may hold "
                f"at most {MAX_CELL_CHARS:,}"
            )


def _read_xlsx(path: Path) -> Table:
    """The first sheet's rows (its own export's 'activities'), read as a stream.

    openpyxl's read-only mode parses a row at a time, with defusedxml, so no XML
    bomb or external entity is expanded; the unpacked size is checked first.
    """
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not openpyxl.DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False in the environment
        raise ExchangeError(
            "import reads XLSX only with defusedxml in use; unset OPENPYXL_DEFUSEDXML"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _inspect_xlsx(path, archive)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise ExchangeError(f"{path.name} cannot be read as an XLSX workbook ({error})") from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            # Its own export's sheet of activities; a member's workbook, its first sheet.
            names = workbook.sheetnames
            sheet = workbook["activities"] if "activities" in names else workbook.worksheets[0]
            rows: Table = []
            for number, values in enumerate(
                sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True),
                start=1,
            ):
                if number > MAX_ROWS and all(_is_blank(value) for value in values):
                    break  # a size the sheet claims, not rows it has
                _check_row(path, number, number, list(values))
                rows.append((number, list(values)))
            return rows
        finally:
            workbook.close()
    except ExchangeError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        refused = _defused(error)
        if refused is not None:
            raise ExchangeError(
                f"{path.name}: refused: its XML declares entities ({type(refused).__name__}), "
                f"as an XML bomb or an attempt to read other files does; no workbook needs them"
            ) from None
        known = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError)
        shown = str(error) if isinstance(error, known) else f"{type(error).__name__}: {error}"
        raise ExchangeError(f"{path.name} cannot be read as an XLSX workbook ({shown})") from None


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


def _inspect_xlsx(path: Path, archive) -> None:
    """Refuse a workbook before openpyxl reads it: too big unpacked, too many rows, a DTD.

    openpyxl's read-only mode reads a whole sheet to find its size when the sheet
    does not state it, and lxml (when installed) parses some parts in place of
    defusedxml; a streamed look at the raw XML settles both at once.
    """
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED:
        raise ExchangeError(
            f"{path.name} unpacks to {unpacked / 1e6:.0f} MB of XML; import reads workbooks "
            f"of up to {MAX_XLSX_UNPACKED // 1_000_000} MB unpacked ({MAX_ROWS:,} rows)"
        )
    for member in members:
        if member.is_dir():
            continue
        rows, tail, first = 0, b"", True
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                if first:
                    # A DTD comes before the first element; UTF-16 XML as well, zeros apart.
                    head = chunk[:65536]
                    if any(
                        mark in head or mark in head.replace(b"\0", b"") for mark in _DECLARATIONS
                    ):
                        raise ExchangeError(
                            f"{path.name}: refused: its XML declares entities ({member.filename}), "
                            f"as an XML bomb or an attempt to read other files does; "
                            f"no workbook needs them"
                        )
                    first = False
                if member.filename.startswith("xl/worksheets/"):
                    rows += len(_ROW_TAG.findall(tail + chunk)) - len(_ROW_TAG.findall(tail))
                    tail = chunk[-64:]
                    if rows > MAX_ROWS:
                        raise ExchangeError(
                            f"{path.name} has more than {MAX_ROWS:,} rows; import reads at most "
                            f"that many: split the file"
                        )


def _defused(error: BaseException | None) -> BaseException | None:
    """defusedxml's refusal, if that is what openpyxl's error (or its cause) is."""
    from defusedxml import DefusedXmlException

    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


# Characters a terminal acts on (escape sequences, carriage returns, bidirectional
# overrides): shown as escapes when import repeats a cell's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from a spreadsheet as it may be printed: control characters as escapes."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def _normal(heading: object) -> str:
    """'CPD Hours (total)' → 'cpd hours total': headings compared without case or marks."""
    return " ".join(re.sub(r"[^\w]+", " ", str(heading).casefold()).split())


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Importer:
    def __init__(
        self,
        root: Path,
        framework: Framework,
        result: LoadResult,
        dry_run: bool,
        *,
        default_category: str | None = None,
        hours_per_day: float = HOURS_PER_DAY,
    ) -> None:
        self.root = root
        self.framework = framework
        self.dry_run = dry_run
        self.default_category = default_category
        self.hours_per_day = hours_per_day
        # Whether a row gave its hours in days, for the report to say how many hours a day is.
        self.days_read = False
        self.schema = activity_schema(framework)
        self.goals = list(result.portfolio.goals)
        self.taken = taken_ids(result, "activity")
        # (date, title) of each activity there is, with its path, to skip rows already in.
        self.present: dict[tuple[datetime.date, str], str] = {}
        for activity in result.portfolio.activities:
            self.present.setdefault(_key(activity.date, activity.title), activity.path)
        loaded = {activity.path for activity in result.portfolio.activities}
        for path in sorted(result.record_paths - loaded):
            if path.startswith(FOLDERS["activity"] + "/"):
                key = _raw_key(root / path)
                if key is not None:
                    self.present.setdefault(key, path)

    def run(
        self, name: str, table: list[tuple[int, list[object]]], chosen: dict[str, str]
    ) -> ImportReport:
        heading_index, columns, ignored = self.headings(name, table, chosen)
        heading_number, headings = table[heading_index]
        # Its own export is restored as it was: reflections verbatim, files at their paths.
        verbatim = [_normal(h) for h in headings if not _is_blank(h)] == list(ACTIVITY_COLUMNS)
        report = ImportReport(
            name,
            self.dry_run,
            heading_number,
            columns=columns,
            ignored_columns=ignored,
            hours_per_day=self.hours_per_day,
        )
        for _, cells in table[:heading_index]:
            report.above.extend(_text(cell) for cell in cells if _text(cell))
        for number, cells in table[heading_index + 1 :]:
            if all(_is_blank(value) for value in cells):
                report.blank_rows += 1
                continue
            values = [
                (column, cells[column.index])
                for column in columns
                if column.index < len(cells) and not _is_blank(cells[column.index])
            ]
            report.rows.append(self.row(number, values, verbatim))
        report.days_read = self.days_read
        return report

    def headings(
        self, name: str, table: list[tuple[int, list[object]]], chosen: dict[str, str]
    ) -> tuple[int, list[Column], list[str]]:
        """The heading row's place, its columns, and the headings left out as asked."""
        searched = 0
        for index, (_, cells) in enumerate(table):
            if all(_is_blank(value) for value in cells):
                continue
            columns, ignored = self.columns(cells, chosen)
            if {"date", "title"} <= {column.target for column in columns}:
                named = {_normal(cell) for cell in cells if not _is_blank(cell)}
                missing = [heading for heading in chosen if _normal(heading) not in named]
                if missing:
                    raise ExchangeError(
                        f"--map names a column that {name} does not have: "
                        f"{', '.join(missing)} (its columns: "
                        f"{', '.join(str(c) for c in cells if not _is_blank(c))})"
                    )
                return index, columns, ignored
            searched += 1
            if searched == _HEADING_SEARCH:
                break
        first = next((cells for _, cells in table if not all(map(_is_blank, cells))), [])
        shown = ", ".join(str(cell) for cell in first if not _is_blank(cell)) or "nothing"
        raise ExchangeError(
            f"{name} has no heading row with a date and a title column near its top "
            f"(its first row reads: {shown}); name the columns with --map, "
            f"like --map 'When=date' --map 'What=title'"
        )

    def columns(
        self, cells: list[object], chosen: dict[str, str]
    ) -> tuple[list[Column], list[str]]:
        """Each headed column and its target; a column nothing claims goes under Notes."""
        by_heading = {_normal(heading): target for heading, target in chosen.items()}
        verbatim = [_normal(c) for c in cells if not _is_blank(c)] == list(ACTIVITY_COLUMNS)
        targets: dict[int, str] = {}
        for index, cell in enumerate(cells):
            if not _is_blank(cell) and _normal(cell) in by_heading:
                targets[index] = by_heading[_normal(cell)]
        for index, cell in enumerate(cells):
            if _is_blank(cell) or index in targets:
                continue
            if verbatim:
                targets[index] = _normal(cell)
                continue
            target = _heading_target(cell, self.framework)
            # A second column for the same key ('Type' and 'Training type') is kept as a note.
            if target is None or (target in IMPORT_KEYS and target in targets.values()):
                target = _UNDER + NOTES
            targets[index] = target
        columns = [
            Column(index, " ".join(str(cells[index]).split()), target)
            for index, target in sorted(targets.items())
        ]
        ignored = [column.heading for column in columns if column.target == "ignore"]
        return [column for column in columns if column.target != "ignore"], ignored

    def row(self, number: int, values: list[tuple[Column, object]], verbatim: bool) -> RowResult:
        inferred: list[str] = []
        totals = self.totals(values)
        if totals is not None:
            return RowResult(number, "totals", totals)
        try:
            front_matter, body, place = self.record(values, verbatim, inferred)
            key = _key(front_matter["date"], front_matter["title"])
            if key in self.present:
                return RowResult(number, "present", self.present[key])
            text = record_text(front_matter, body)
            self.validate(text)
        except RowProblem as problem:
            return RowResult(number, "skipped", str(problem), inferred=tuple(inferred))
        folder, stem = place
        if self.dry_run:
            path = folder / f"{free_name(folder, stem, self.taken)}.md"
        else:
            path = write_new(folder, stem, text, self.taken)
        relative = path.relative_to(self.root).as_posix()
        self.taken.add(path.stem)
        self.present[key] = f"row {number}"
        return RowResult(number, "written", relative, self.dry_run, tuple(inferred))

    def totals(self, values: list[tuple[Column, object]]) -> str | None:
        """What marks a row of sums at the foot of a log ('Total'), or None for a record."""
        keyed = {column.target: value for column, value in values}
        if "date" in keyed and _is_date_like(keyed["date"]):
            return None
        words = [_text(value) for _, value in values if isinstance(value, str)]
        for word in words:
            if word and _TOTALS.match(word):
                return f"'{word}'"
        if "title" not in keyed and all(
            isinstance(value, (int, float, datetime.time)) for _, value in values
        ):
            return "numbers without a date or a title"
        return None

    def record(
        self, values: list[tuple[Column, object]], verbatim: bool, inferred: list[str]
    ) -> tuple[dict[str, object], str, tuple[Path, str]]:
        """A row's front matter, body and (folder, file stem); RowProblem if it has none."""
        cells = {column.target: value for column, value in values if column.target in IMPORT_KEYS}
        notes: list[str] = []
        title = _text(cells.get("title"))
        if not title:
            raise RowProblem("it has no title")
        if "date" not in cells:
            raise RowProblem("it has no date")
        day, how = _day_read(cells["date"], "date")
        if how == "month":
            inferred.append(
                f"date '{_text(cells['date'])}' gives no day: written as {day.isoformat()}, "
                f"the first of the month, and said so under '## {NOTES}'"
            )
            notes.append(
                f"Date: the spreadsheet gives only the month ({_text(cells['date'])}); "
                f"{day.isoformat()}, the first of that month, stands for it."
            )
        elif how == "day first":
            inferred.append(f"date '{_text(cells['date'])}' read day first: {day.isoformat()}")
        end = _day(cells["end"], "end") if "end" in cells else None
        if end is not None and end < day:
            raise RowProblem(f"end {end.isoformat()} is before date {day.isoformat()}")
        hours = None
        if "hours" in cells:
            hours, how = _hours_read(cells["hours"], self.hours_per_day)
            self.days_read |= bool(how and "a day" in how)
            if how is not None:
                inferred.append(f"hours {_number(hours)} from '{_as_written(cells['hours'])}'{how}")
        activity_type = _text(cells.get("type"))
        category, activity_type = self.category(
            _text(cells.get("category")), activity_type, inferred
        )
        share = True
        for column in ("share", "private"):
            if column in cells:
                share = _share(cells[column], column)
                break
        front_matter: dict[str, object] = {
            "title": title,
            "date": day,
            "end": end,
            "category": category,
            "type": activity_type,
            "hours": hours,
            "goals": [self.goal(value) for value in _items(cells.get("goals"))],
            "competences": [self.competence(v) for v in _items(cells.get("competences"))],
            "evidence": [self.evidence(v) for v in _items(cells.get("evidence"), ";\n")],
            "tags": _items(cells.get("tags")),
            "provider": _text(cells.get("provider")),
            "location": _text(cells.get("location")),
            "share": None if share else False,
        }
        front_matter = {k: v for k, v in front_matter.items() if v not in (None, [])}
        if verbatim:
            body = _cell_body(cells.get("reflection"))
            body = body + "\n" if body else ""
        else:
            body = self.body(values, notes)
        place = _file_place(cells.get("file")) if verbatim else None
        if place is not None:
            folder, stem = self.root / place.parent, place.stem
            if stem in self.taken or (folder / place.name).exists():
                place = None
        if place is None:
            folder = self.root / FOLDERS["activity"] / str(day.year)
            stem = f"{day.isoformat()}-{slug(title, 'activity')}"
        return front_matter, body, (folder, stem)

    def category(
        self, written: str | None, activity_type: str | None, inferred: list[str]
    ) -> tuple[str, str | None]:
        """The category id, from the category column or else the type; and the type left."""
        ids = self.framework.category_ids
        if written:
            found = match_category(written, self.framework)
            if found is None:
                raise RowProblem(
                    f"category '{written}' is none of {', '.join(ids)}"
                    + (did_you_mean(written, ids) or "; write one of them")
                )
            if found[0] != written:
                inferred.append(f"category '{found[0]}' from '{written}'")
            return found[0], activity_type
        if activity_type:
            found = match_category(activity_type, self.framework)
            if found is not None:
                inferred.append(f"category '{found[0]}' from its type '{activity_type}'")
                # 'Type: Formal/educational' held the category, not a kind of activity.
                return found[0], None if found[1] == "name" else activity_type
            if self.default_category:
                inferred.append(
                    f"category '{self.default_category}' from --category (its type "
                    f"'{activity_type}' names none)"
                )
                return self.default_category, activity_type
            raise RowProblem(
                f"it has no category, and its type '{activity_type}' is plainly none of "
                f"{', '.join(ids)}; add a Category column, or give rows without one a "
                f"category with --category"
            )
        if self.default_category:
            inferred.append(f"category '{self.default_category}' from --category")
            return self.default_category, None
        raise RowProblem(
            f"it has no category; add a Category column or give one with --category "
            f"({', '.join(ids)})"
        )

    def goal(self, written: str) -> str:
        ids = [goal.id for goal in self.goals]
        folded = written.casefold()
        for goal in self.goals:
            if folded in (goal.id.casefold(), " ".join(goal.title.split()).casefold()):
                return goal.id
        if slug(written) in ids:
            return slug(written)
        known = ", ".join(ids) or "none yet"
        raise RowProblem(
            f"goal '{written}' does not exist"
            + (did_you_mean(written, ids) or f" (known goals: {known})")
            + "; add it with 'cpdfolio add goal' first"
        )

    def competence(self, written: str) -> str:
        if not self.framework.check_competences:
            return written
        codes = [competence.code for competence in self.framework.competences]
        for code in codes:
            if code.casefold() == written.casefold():
                return code
        raise RowProblem(
            f"competence '{written}' is not one of {self.framework.name}'s codes"
            + did_you_mean(written.upper(), codes)
        )

    def evidence(self, written: str) -> str:
        if written.startswith(("https://", "http://")):
            return written
        path = written.replace("\\", "/").strip()
        normal = posixpath.normpath(path)
        inside = not (path.startswith("/") or normal == ".." or normal.startswith("../"))
        on_disk = self.root / normal
        if inside and on_disk.is_file() and on_disk.resolve().is_relative_to(self.root.resolve()):
            return normal
        raise RowProblem(
            f"evidence file '{written}' is not in the portfolio folder; copy it there first "
            f"(e.g. to evidence/), or leave the column out with --map 'Evidence=ignore'"
        )

    def body(self, values: list[tuple[Column, object]], notes: list[str]) -> str:
        """The reflection: each heading with its columns' text in order, then the notes.

        Several columns under one heading are joined, each its own paragraph; text
        no heading claims is kept under '## Notes' with its column's name.
        """
        whole: list[str] = []
        sections: dict[str, list[str]] = {heading: [] for heading in self.framework.headings}
        labelled: list[str] = []
        for column, value in values:
            text = _cell_body(value)
            if not text:
                continue
            if column.target == "reflection" or _HEADING_LINE.search(text):
                # Text with its own headings keeps them ('## What I did' in a cell).
                whole.append(text)
            elif column.reflection_heading == NOTES:
                labelled.append(f"{column.heading}: {text}")
            elif column.reflection_heading is not None:
                sections.setdefault(column.reflection_heading, []).append(text)
        # A whole reflection with its own headings stays as written; plain text is what was learned.
        written: list[str] = []
        for text in whole:
            if _HEADING_LINE.search(text):
                written.append(text)
            else:
                learned = _framework_heading("What I learned", self.framework)
                sections.setdefault(learned, []).append(text)
        sections.setdefault(NOTES, []).extend([*notes, *labelled])
        filled = {heading: texts for heading, texts in sections.items() if texts}
        reflected = any(heading != NOTES for heading in filled) or written
        parts = list(written)
        for heading, texts in sections.items():
            if texts or (not reflected and heading != NOTES):
                # Rows without a word of reflection get the framework's headings to fill in.
                parts.append(f"## {heading}\n\n" + "\n\n".join(texts) if texts else f"## {heading}")
        if not parts:
            return "\n" + reflection_template(self.framework)
        return "\n\n".join(parts) + "\n"

    def validate(self, text: str) -> None:
        """The record read back as the loader will read it: no row writes a broken record."""
        try:
            _, findings = self.schema.read(parse(text))
        except FrontMatterError as error:
            raise RowProblem(f"it would not make a readable record ({error.message})") from None
        errors = [finding.message for finding in findings if finding.is_error]
        if errors:
            raise RowProblem(f"it would not make a valid record ({errors[0]})")


def _heading_target(heading: object, framework: Framework) -> str | None:
    """What a column's heading means: a key ('CPD Hours', 'Date(s)') or a reflection heading
    ('Key learning', 'Outcome / experience gained'); None when it means nothing known."""
    for heading_name in framework.headings:
        if _normal(heading) == _normal(heading_name):
            return _UNDER + heading_name
    parts = [heading, *re.split(r"[/&|()\[\],]|\bor\b|\band\b", str(heading))]
    for part in parts:
        if _normal(part) in _KEY_OF_HEADING:
            return _KEY_OF_HEADING[_normal(part)]
        if _normal(part) in _REFLECTION_OF_HEADING:
            default = _REFLECTION_OF_HEADING[_normal(part)]
            return _UNDER + _framework_heading(default, framework)
    return None


def match_category(written: str, framework: Framework) -> tuple[str, str] | None:
    """The category a free text plainly means, and how: by its 'name' or an 'example'.

    'Formal/educational' and 'Work based learning' name a category; 'Course' and
    'Webinar' are among a category's examples. Text that could be two is none.
    """
    words = _words(written)
    if not words:
        return None
    phrase = " ".join(words)
    for category in framework.categories:
        if phrase in (" ".join(_words(category.id)), " ".join(_words(category.name))):
            return category.id, "name"
    named = {c.id for c in framework.categories if _within(_words(c.id), words)}
    if len(named) == 1:
        return named.pop(), "name"
    if named:
        return None
    singular = _singular(words)
    for exact in (True, False):
        found = set()
        for category in framework.categories:
            for example in category.examples:
                example_words = _singular(_words(example))
                if singular == example_words if exact else _within(singular, example_words):
                    found.add(category.id)
        if len(found) == 1:
            return found.pop(), "example"
        if found:
            return None
    return None


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w]+", " ", text.casefold()).split()


def _singular(words: list[str]) -> list[str]:
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def _within(part: list[str], whole: list[str]) -> bool:
    """Whether the words of part appear together, in order, in whole."""
    size = len(part)
    return any(whole[i : i + size] == part for i in range(len(whole) - size + 1))


def _key(day: object, title: object) -> tuple[object, str]:
    return day, " ".join(str(title).split()).casefold()


def _raw_key(path: Path) -> tuple[datetime.date, str] | None:
    """(date, title) of a record that did not load, read as leniently as can be."""
    try:
        front_matter = parse(path.read_text("utf-8-sig").replace("\r\n", "\n"))
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return None
    title, day = front_matter.get("title"), front_matter.get("date")
    if title is None or day is None:
        return None
    title_text, day_text = getattr(title.node, "value", None), getattr(day.node, "value", None)
    if not isinstance(title_text, str) or not isinstance(day_text, str):
        return None
    try:
        return _key(_day(day_text, "date"), title_text)
    except RowProblem:
        return None


def _file_place(written: object) -> PurePosixPath | None:
    """The export's `file` when it is a plain path under activities/, else None."""
    if _is_blank(written):
        return None
    path = PurePosixPath(str(written).strip())
    parts = path.parts
    if (
        path.is_absolute()
        or len(parts) < 2
        or parts[0] != FOLDERS["activity"]
        or path.suffix != ".md"
        or any(part in ("..", ".") or part.startswith(".") for part in parts)
    ):
        return None
    return path


def _text(value: object) -> str | None:
    if _is_blank(value):
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


def _items(value: object, separators: str = ";,\n") -> list[str]:
    if _is_blank(value):
        return []
    items = re.split(f"[{re.escape(separators)}]", str(value))
    return list(dict.fromkeys(item.strip() for item in items if item.strip()))


def _day(value: object, name: str) -> datetime.date:
    """A date from a cell that must give the day."""
    day, how = _day_read(value, name)
    if how == "month":
        raise RowProblem(f"{name} '{_text(value)}' gives no day; write the day, like 31/03/2025")
    return day


def _day_read(value: object, name: str) -> tuple[datetime.date, str | None]:
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


def _is_date_like(value: object) -> bool:
    try:
        _day_read(value, "date")
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


def _hours_read(value: object, hours_per_day: float = HOURS_PER_DAY) -> tuple[float, str | None]:
    """Hours from a cell, and how they were read when not written as hours (None if they were).

    1.5, '1,5', '1:30', '90 min', '2 hours', '1h30'; and days: '2 days', 'half day'.
    """
    if isinstance(value, (datetime.time, datetime.timedelta)):
        return _hours(value), ""
    text = " ".join(str(value).split()).casefold()
    if match := _DAYS.match(text):
        if match["only_half"]:
            days = 0.5
        else:
            number = match["number"]
            days = float(_NUMBER_WORDS.get(number) or number.replace(",", "."))
            days += 0.5 if match["half"] else 0
        return round(days * hours_per_day, 2), f" at {_number(hours_per_day)} hours a day"
    hours = _hours(value)
    plain = isinstance(value, (int, float)) or re.fullmatch(r"\+?\d+(?:[.]\d*)?|\.\d+", text)
    return hours, None if plain else ""


def _hours(value: object) -> float:
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


def _as_written(value: object) -> str:
    """A cell as the member saw it in the spreadsheet: a time of 1:30 as '1:30'."""
    if isinstance(value, datetime.time):
        return f"{value.hour}:{value.minute:02d}"
    return _text(value) or ""


def _number(value: float) -> str:
    return str(_tidy_number(value))


def _cell_body(value: object) -> str:
    """A cell's text for the body: its own line breaks kept, nothing around it."""
    if isinstance(value, str):
        return _trimmed(value.replace("\r\n", "\n").replace("\r", "\n"))
    return _text(value) or ""


def _share(value: object, column: str) -> bool:
    """Whether a row is shared, from a 'Share' or a 'Private' column."""
    word = str(value).strip().casefold()
    if word in ("private", "confidential"):
        return False
    if word in ("shared", "share", "public"):
        return True
    flag = _flag(value, column)
    return flag if column == "share" else not flag


def _flag(value: object, name: str) -> bool:
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
