"""`cpdfolio import`: the rows of a spreadsheet as new activity files, every word kept.

The rows of a CSV or XLSX file, cpdfolio's own export or a member's own
spreadsheet, become new activity files; a file that exists is never changed.
Recognised columns go to their key or reflection heading, the rest under Notes.
"""

from __future__ import annotations

import datetime
import math
import os
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..frameworks import Framework
from ..records.frontmatter import FrontMatterError, parse
from ..records.loader import LoadResult, load
from ..records.schema import activity_schema, did_you_mean
from .authoring import (
    FOLDERS,
    free_name,
    record_text,
    reflection_template,
    slug,
    taken_ids,
    write_new,
)
from .cells import (
    HOURS_PER_DAY,
    RowProblem,
    as_written,
    cell_body,
    is_date_like,
    number_text,
    read_day,
    read_day_noted,
    read_hours_noted,
    read_items,
    read_share,
    read_text,
)
from .columns import ACTIVITY_COLUMNS, IMPORT_KEYS, ExchangeError
from .readers import is_blank, normal_heading, read_table

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
# A row of sums at the foot of a log: 'Total', 'Total hours', 'Grand total', 'Sum'.
_TOTALS = re.compile(r"^(?:grand\s+|sub\s*)?totals?\b.*$|^sum$", re.I)
_HEADING_LINE = re.compile(r"^##\s", re.M)


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
                f"A day is counted as {number_text(self.hours_per_day)} hours "
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
        if normal_heading(heading) == normal_heading(name):
            return _UNDER + heading
    if normal_heading(name) in _REFLECTION_OF_HEADING:
        return _UNDER + _framework_heading(_REFLECTION_OF_HEADING[normal_heading(name)], framework)
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
        if normal_heading(heading) == normal_heading(default_heading):
            return heading
    place = _DEFAULT_HEADINGS.index(default_heading)
    if default_heading == "What I learned" and framework.required_headings:
        return framework.required_headings[0]
    return framework.headings[place] if place < len(framework.headings) else NOTES


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
        verbatim = [normal_heading(h) for h in headings if not is_blank(h)] == list(
            ACTIVITY_COLUMNS
        )
        report = ImportReport(
            name,
            self.dry_run,
            heading_number,
            columns=columns,
            ignored_columns=ignored,
            hours_per_day=self.hours_per_day,
        )
        for _, cells in table[:heading_index]:
            report.above.extend(read_text(cell) for cell in cells if read_text(cell))
        for number, cells in table[heading_index + 1 :]:
            if all(is_blank(value) for value in cells):
                report.blank_rows += 1
                continue
            values = [
                (column, cells[column.index])
                for column in columns
                if column.index < len(cells) and not is_blank(cells[column.index])
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
            if all(is_blank(value) for value in cells):
                continue
            columns, ignored = self.columns(cells, chosen)
            if {"date", "title"} <= {column.target for column in columns}:
                named = {normal_heading(cell) for cell in cells if not is_blank(cell)}
                missing = [heading for heading in chosen if normal_heading(heading) not in named]
                if missing:
                    raise ExchangeError(
                        f"--map names a column that {name} does not have: "
                        f"{', '.join(missing)} (its columns: "
                        f"{', '.join(str(c) for c in cells if not is_blank(c))})"
                    )
                return index, columns, ignored
            searched += 1
            if searched == _HEADING_SEARCH:
                break
        first = next((cells for _, cells in table if not all(map(is_blank, cells))), [])
        shown = ", ".join(str(cell) for cell in first if not is_blank(cell)) or "nothing"
        raise ExchangeError(
            f"{name} has no heading row with a date and a title column near its top "
            f"(its first row reads: {shown}); name the columns with --map, "
            f"like --map 'When=date' --map 'What=title'"
        )

    def columns(
        self, cells: list[object], chosen: dict[str, str]
    ) -> tuple[list[Column], list[str]]:
        """Each headed column and its target; a column nothing claims goes under Notes."""
        by_heading = {normal_heading(heading): target for heading, target in chosen.items()}
        verbatim = [normal_heading(c) for c in cells if not is_blank(c)] == list(ACTIVITY_COLUMNS)
        targets: dict[int, str] = {}
        for index, cell in enumerate(cells):
            if not is_blank(cell) and normal_heading(cell) in by_heading:
                targets[index] = by_heading[normal_heading(cell)]
        for index, cell in enumerate(cells):
            if is_blank(cell) or index in targets:
                continue
            if verbatim:
                targets[index] = normal_heading(cell)
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
        if "date" in keyed and is_date_like(keyed["date"]):
            return None
        words = [read_text(value) for _, value in values if isinstance(value, str)]
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
        title = read_text(cells.get("title"))
        if not title:
            raise RowProblem("it has no title")
        if "date" not in cells:
            raise RowProblem("it has no date")
        day, how = read_day_noted(cells["date"], "date")
        if how == "month":
            inferred.append(
                f"date '{read_text(cells['date'])}' gives no day: written as {day.isoformat()}, "
                f"the first of the month, and said so under '## {NOTES}'"
            )
            notes.append(
                f"Date: the spreadsheet gives only the month ({read_text(cells['date'])}); "
                f"{day.isoformat()}, the first of that month, stands for it."
            )
        elif how == "day first":
            inferred.append(f"date '{read_text(cells['date'])}' read day first: {day.isoformat()}")
        end = read_day(cells["end"], "end") if "end" in cells else None
        if end is not None and end < day:
            raise RowProblem(f"end {end.isoformat()} is before date {day.isoformat()}")
        hours = None
        if "hours" in cells:
            hours, how = read_hours_noted(cells["hours"], self.hours_per_day)
            self.days_read |= bool(how and "a day" in how)
            if how is not None:
                inferred.append(
                    f"hours {number_text(hours)} from '{as_written(cells['hours'])}'{how}"
                )
        activity_type = read_text(cells.get("type"))
        category, activity_type = self.category(
            read_text(cells.get("category")), activity_type, inferred
        )
        share = True
        for column in ("share", "private"):
            if column in cells:
                share = read_share(cells[column], column)
                break
        front_matter: dict[str, object] = {
            "title": title,
            "date": day,
            "end": end,
            "category": category,
            "type": activity_type,
            "hours": hours,
            "goals": [self.goal(value) for value in read_items(cells.get("goals"))],
            "competences": [self.competence(v) for v in read_items(cells.get("competences"))],
            "evidence": [self.evidence(v) for v in read_items(cells.get("evidence"), ";\n")],
            "tags": read_items(cells.get("tags")),
            "provider": read_text(cells.get("provider")),
            "location": read_text(cells.get("location")),
            "share": None if share else False,
        }
        front_matter = {k: v for k, v in front_matter.items() if v not in (None, [])}
        if verbatim:
            body = cell_body(cells.get("reflection"))
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
            text = cell_body(value)
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
        if normal_heading(heading) == normal_heading(heading_name):
            return _UNDER + heading_name
    parts = [heading, *re.split(r"[/&|()\[\],]|\bor\b|\band\b", str(heading))]
    for part in parts:
        if normal_heading(part) in _KEY_OF_HEADING:
            return _KEY_OF_HEADING[normal_heading(part)]
        if normal_heading(part) in _REFLECTION_OF_HEADING:
            default = _REFLECTION_OF_HEADING[normal_heading(part)]
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
        return _key(read_day(day_text, "date"), title_text)
    except RowProblem:
        return None


def _file_place(written: object) -> PurePosixPath | None:
    """The export's `file` when it is a plain path under activities/, else None."""
    if is_blank(written):
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
