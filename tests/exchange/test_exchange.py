"""A member takes every record out as a backup, and brings a spreadsheet of CPD in."""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from conftest import REPO, Portfolio

from cpdfolio.cli import main
from cpdfolio.exchange import ACTIVITY_COLUMNS, GOAL_COLUMNS, match_category
from cpdfolio.frameworks import load_framework
from cpdfolio.records.loader import load
from cpdfolio.records.schema import activity_schema, goal_schema


def cpdfolio(*args: object) -> Result:
    """The real command, run in-process."""
    handlers = list(logging.getLogger("mkdocs").handlers)
    try:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    finally:
        # Each run adds its log handler on a stream that closes with the run.
        logging.getLogger("mkdocs").handlers[:] = handlers


def export(portfolio: Portfolio, output_format: str = "csv") -> str:
    result = cpdfolio("export", portfolio.root, "--format", output_format)
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(csv_text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_text, newline="")))


def activity_files(portfolio: Portfolio) -> dict[str, str]:
    folder = portfolio.docs / "activities"
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*.md"))}


def test_export_then_import_into_an_empty_activities_folder_gives_identical_rows(
    small_portfolio: Portfolio, tmp_path: Path
):
    before = export(small_portfolio)
    table = rows(before)
    assert table[0] == list(ACTIVITY_COLUMNS)
    assert len(table) == 1 + 4
    # The private record and every reflection are in the backup.
    private = next(row for row in table if "PRIVATECANARY" in row[0])
    assert private[ACTIVITY_COLUMNS.index("share")] == "false"
    assert "PRIVATECANARY body text" in private[ACTIVITY_COLUMNS.index("reflection")]
    course = next(row for row in table if row[0] == "Python for medical physicists")
    assert course[ACTIVITY_COLUMNS.index("goals")] == "ceng; teaching"
    assert course[ACTIVITY_COLUMNS.index("end")] == "2025-02-05"
    backup = tmp_path / "backup.csv"
    backup.write_text(before, newline="")
    json_before = export(small_portfolio, "json")

    shutil.rmtree(small_portfolio.docs / "activities")
    (small_portfolio.docs / "activities").mkdir()
    result = cpdfolio("import", backup, small_portfolio.root)
    assert result.exit_code == 0, result.output
    assert "4 written, 0 already present, 0 skipped for a problem" in result.output

    assert export(small_portfolio) == before
    assert export(small_portfolio, "json") == json_before
    assert not load(small_portfolio.docs).problems


def test_a_second_import_of_the_same_file_adds_and_changes_nothing(
    small_portfolio: Portfolio, tmp_path: Path
):
    backup = tmp_path / "backup.csv"
    backup.write_text(export(small_portfolio), newline="")
    shutil.rmtree(small_portfolio.docs / "activities")
    assert cpdfolio("import", backup, small_portfolio.root).exit_code == 0
    after_first = small_portfolio.fingerprint()
    again = cpdfolio("import", backup, small_portfolio.root)
    assert again.exit_code == 0, again.output
    assert small_portfolio.fingerprint() == after_first
    assert "0 written, 4 already present" in again.output
    assert (
        "row 3: skipped, already present (same date and title as "
        "activities/2025/2025-02-03-python-course.md)" in again.output
    )


def test_xlsx_export_opens_with_openpyxl_and_matches_the_csv(
    small_portfolio: Portfolio, tmp_path: Path
):
    # A title a spreadsheet would run as a formula stays a title.
    small_portfolio.activity(
        "2025-10-01-sums", "title: '=SUM(A1:A9)'\ndate: 2025-10-01\ncategory: other"
    )
    target = tmp_path / "cpd.xlsx"
    result = cpdfolio("export", small_portfolio.root, "--format", "xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    assert f"Exported 5 activities, 2 goals and 1 SWOT to {target}" in result.output

    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["activities", "goals", "swots", "benchmarks"]

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        return str(value)

    sheet = [[text(cell) for cell in row] for row in workbook["activities"].values]
    # The CSV guards a formula with a leading ' (OWASP); the XLSX cell is typed as text.
    unguarded = [
        [c[1:] if c.startswith("'") else c for c in row] for row in rows(export(small_portfolio))
    ]
    assert sheet == unguarded
    sums = next(
        row for row in workbook["activities"].iter_rows(min_row=2) if row[1].value.month == 10
    )
    assert sums[0].value == "=SUM(A1:A9)" and sums[0].data_type == "s"
    assert isinstance(sums[1].value, datetime.datetime)

    goals = list(workbook["goals"].values)
    assert list(goals[0]) == list(GOAL_COLUMNS)
    assert {row[0] for row in goals[1:]} == {"ceng", "teaching"}
    ceng = next(row for row in goals[1:] if row[0] == "ceng")
    assert ceng[GOAL_COLUMNS.index("competences")] == "A1; E3"
    assert ceng[GOAL_COLUMNS.index("created")].date() == datetime.date(2024, 1, 10)


def test_an_xlsx_backup_imports_like_the_csv(small_portfolio: Portfolio, tmp_path: Path):
    target = tmp_path / "cpd.xlsx"
    before = export(small_portfolio)
    assert cpdfolio("export", small_portfolio.root, "--format", "xlsx", "-o", target).exit_code == 0
    files = activity_files(small_portfolio)
    shutil.rmtree(small_portfolio.docs / "activities")
    result = cpdfolio("import", target, small_portfolio.root)
    assert result.exit_code == 0, result.output
    assert export(small_portfolio) == before
    assert activity_files(small_portfolio).keys() == files.keys()


def test_the_json_export_has_the_documented_shape(small_portfolio: Portfolio):
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("### `cpdfolio export`", 1)[1].split("\n### ", 1)[0]
    documented = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    actual = json.loads(export(small_portfolio, "json"))
    assert actual.keys() == documented.keys()
    assert actual["format"] == documented["format"] and actual["version"] == documented["version"]
    assert (
        list(actual["activities"][0]) == list(documented["activities"][0]) == list(ACTIVITY_COLUMNS)
    )
    assert list(actual["goals"][0]) == list(documented["goals"][0]) == list(GOAL_COLUMNS)
    assert len(actual["activities"]) == 4 and len(actual["goals"]) == 2
    private = [a for a in actual["activities"] if not a["share"]]
    assert [a["file"] for a in private] == ["activities/2025/2025-09-01-privatecanary-incident.md"]
    assert private[0]["evidence"] == ["evidence/privatecanary-note.txt"]


def test_export_refuses_a_portfolio_with_errors_rather_than_leave_records_out(
    small_portfolio: Portfolio,
):
    small_portfolio.activity(
        "2025-03-14-x", "title: A meeting\ndate: 2025-03-14\ncategory: meetings"
    )
    result = cpdfolio("export", small_portfolio.root, "--format", "csv")
    assert result.exit_code == 1
    assert "would be missing from the export" in result.output
    assert "activities/2025-03-14-x.md:4: category 'meetings'" in result.output
    no_file = cpdfolio("export", small_portfolio.root, "--format", "xlsx")
    assert no_file.exit_code == 1


def messy_workbook(path: Path) -> None:
    """A member's own CPD log: a title row, a blank row, extra columns, UK dates, a bad date."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "CPD 2025"
    for row in [
        ["CPD log 2025 – Dr Jo Bloggs"],
        [],
        ["Date", "Activity", "Type", "CPD hours", "Learning outcomes/Reflection", "Cost (£)",
         "Share/Private"],
        ["14/03/2025", "IPEM radiotherapy meeting", "Conference", 6,
         "Dose audit results from three centres.", 120, "Share"],
        [datetime.datetime(2025, 4, 2), "Journal club: MR-Linac QA", "Reading",
         datetime.time(1, 30), None, None, "Private"],
        [],
        ["31/02/2025", "Mentoring a trainee", "Mentoring", 2, "Went well.", None, None],
        ["3 Apr 2025", "Python for physicists", "Formal/educational", "2 hours",
         "## What I did\n\nA two-day course.\n\n## What I learned\n\npandas.", 350, None],
        ["05-05-2025", "Something else", "Misc", 1, None, None, None],
        ["14-03-2025", "ipem  Radiotherapy meeting", "Conference", 6, None, None, None],
        [None, "Total", None, 15, None, 470, None],
    ]:  # fmt: skip
        sheet.append(row)
    workbook.save(path)


def test_a_messy_spreadsheet_imports_what_it_can_and_names_the_bad_rows(
    portfolio: Portfolio, tmp_path: Path
):
    log = tmp_path / "my-cpd-log.xlsx"
    messy_workbook(log)
    result = cpdfolio("import", log, portfolio.root)
    assert result.exit_code == 1  # some rows were skipped for a problem
    said = result.output.splitlines()
    assert said == [
        "Headings found on row 3 (read as a title above them: 'CPD log 2025 – Dr Jo Bloggs')",
        "Columns: Date → date, Activity → title, Type → type, CPD hours → hours, "
        "Learning outcomes/Reflection → ## What I learned, Cost (£) → ## Notes, "
        "Share/Private → share",
        "row 4: wrote activities/2025/2025-03-14-ipem-radiotherapy-meeting.md",
        "  category 'professional' from its type 'Conference'",
        "row 5: wrote activities/2025/2025-04-02-journal-club-mr-linac-qa.md",
        "  hours 1.5 from '1:30'",
        "  category 'self-directed' from its type 'Reading'",
        "row 7: skipped, date '31/02/2025' is not a day of the calendar: "
        "February 2025 has 28 days, not 31",
        "row 8: wrote activities/2025/2025-04-03-python-for-physicists.md",
        "  hours 2 from '2 hours'",
        "  category 'formal' from its type 'Formal/educational'",
        "row 9: skipped, it has no category, and its type 'Misc' is plainly none of "
        "work-based, professional, formal, self-directed, other; add a Category column, "
        "or give rows without one a category with --category",
        "row 10: skipped, already present (same date and title as row 4)",
        "row 11: skipped, a totals row ('Total')",
        "my-cpd-log.xlsx: 8 rows, 3 written, 1 already present, 2 skipped for a problem, "
        "1 totals row, 1 blank row",
    ]
    loaded = load(portfolio.docs)
    assert not loaded.errors
    # The one row without a reflection has the headings to write under, and check says so.
    assert {p.path for p in loaded.warnings} == {
        "activities/2025/2025-04-02-journal-club-mr-linac-qa.md"
    }
    by_title = {a.title: a for a in loaded.portfolio.activities}
    meeting = by_title["IPEM radiotherapy meeting"]
    assert (meeting.date, meeting.category, meeting.type, meeting.hours, meeting.share) == (
        datetime.date(2025, 3, 14), "professional", "Conference", 6, True,
    )  # fmt: skip
    # A reflection column goes under its heading; a column nothing claims, under Notes.
    assert meeting.body == (
        "## What I learned\n\nDose audit results from three centres.\n\n## Notes\n\nCost (£): 120\n"
    )
    club = by_title["Journal club: MR-Linac QA"]
    assert (club.date, club.category, club.hours, club.share) == (
        datetime.date(2025, 4, 2), "self-directed", 1.5, False,
    )  # fmt: skip
    # A row without a word of reflection gets the headings to fill in.
    assert club.body.startswith("## What I did\n\n## What I learned\n")
    course = by_title["Python for physicists"]
    # 'Formal/educational' was the category written in the type column, not a type.
    assert (course.category, course.type, course.hours) == ("formal", None, 2)
    assert course.body == (
        "## What I did\n\nA two-day course.\n\n## What I learned\n\npandas.\n\n"
        "## Notes\n\nCost (£): 350\n"
    )

    check = cpdfolio("check", portfolio.root)
    assert check.exit_code == 0, check.output


def test_a_uk_csv_from_excel_imports_with_its_dates_and_words(portfolio: Portfolio, tmp_path):
    portfolio.goal("ceng-registration", "title: Chartered Engineer registration")
    (portfolio.docs / "evidence").mkdir()
    (portfolio.docs / "evidence" / "cert.pdf").write_bytes(b"%PDF-1.4")
    log = tmp_path / "log.csv"
    # Excel in the UK saves CSV in Windows-1252; some locales separate with ';'.
    log.write_bytes(
        "Date;Title;Category;Hours;Reflection;Private;Organiser;Venue;Goals;Evidence\n"
        "14 March 2025;Radiation protection update;Formal;1,5;Cost £40, worth it;no;IPEM;"
        "Leeds;Chartered Engineer registration;evidence/cert.pdf\n"
        "1st May 2025;Shadowing a colleague;Work based learning;90 min;;yes;;;;\n"
        "14.06.25;Reading on MR safety;Self directed;1:30;;;;;ceng-registration;\n"
        "2025-07-01;Peer review;professional;2;;;;;ceng;\n"
        "02/08/2025;Evening talk;Other;1;;;;;;certificate.pdf\n".encode("cp1252")
    )
    result = cpdfolio("import", log, portfolio.root)
    assert "row 5: skipped, goal 'ceng' does not exist; did you mean 'ceng-registration'?" in (
        result.output
    )
    assert "row 6: skipped, evidence file 'certificate.pdf' is not in the portfolio folder" in (
        result.output
    )
    activities = {a.title: a for a in load(portfolio.docs).portfolio.activities}
    assert sorted(activities) == [
        "Radiation protection update", "Reading on MR safety", "Shadowing a colleague",
    ]  # fmt: skip
    update = activities["Radiation protection update"]
    assert (update.date, update.category, update.hours, update.share) == (
        datetime.date(2025, 3, 14), "formal", 1.5, True,
    )  # fmt: skip
    assert (update.provider, update.location, update.goals) == (
        "IPEM",
        "Leeds",
        ("ceng-registration",),
    )
    assert [e.target for e in update.evidence] == ["evidence/cert.pdf"]
    assert "Cost £40, worth it" in update.body
    shadowing = activities["Shadowing a colleague"]
    assert (shadowing.date, shadowing.category, shadowing.hours, shadowing.share) == (
        datetime.date(2025, 5, 1), "work-based", 1.5, False,
    )  # fmt: skip
    assert activities["Reading on MR safety"].date == datetime.date(2025, 6, 14)


def test_map_reads_a_column_import_does_not_know(portfolio: Portfolio, tmp_path: Path):
    log = tmp_path / "log.csv"
    log.write_text("Session,When,Kind,What happened\nTeam huddle,14/03/2025,work-based,We met.\n")
    result = cpdfolio("import", log, portfolio.root, "--map", "Session=title", "--map",
                      "what happened=reflection", "--map", "Kind=category")  # fmt: skip
    assert result.exit_code == 0, result.output
    [activity] = load(portfolio.docs).portfolio.activities
    assert (activity.title, activity.category) == ("Team huddle", "work-based")
    assert "We met." in activity.body

    bad_key = cpdfolio("import", log, portfolio.root, "--map", "Session=titel")
    assert bad_key.exit_code == 1 and "did you mean 'title'?" in bad_key.output
    no_such_column = cpdfolio("import", log, portfolio.root, "--map", "Session=title",
                              "--map", "Cost=ignore")  # fmt: skip
    assert no_such_column.exit_code == 1
    assert "--map names a column that log.csv does not have: Cost" in no_such_column.output
    unknown = cpdfolio("import", log, portfolio.root)
    assert unknown.exit_code == 1
    assert "no heading row with a date and a title column" in unknown.output


def test_dry_run_writes_nothing(small_portfolio: Portfolio, tmp_path: Path):
    log = tmp_path / "my-cpd-log.xlsx"
    messy_workbook(log)
    before = small_portfolio.fingerprint()
    result = cpdfolio("import", log, small_portfolio.root, "--dry-run")
    assert "row 4: would write activities/2025/2025-03-14-ipem-radiotherapy-meeting.md" in (
        result.output
    )
    assert (
        "3 to write, 1 already present, 2 skipped for a problem, 1 totals row, 1 blank row "
        "(a dry run: nothing was written)" in result.output
    )
    assert small_portfolio.fingerprint() == before
    assert not (small_portfolio.docs / "activities" / "2025" / ".cpdfolio").exists()


def test_import_never_overwrites_a_file(portfolio: Portfolio, tmp_path: Path):
    # A file of the same name, with another title: the row is new and gets a new name.
    mine = portfolio.activity(
        "2025/2025-03-14-team-meeting",
        "title: Team meeting notes\ndate: 2025-03-14\ncategory: other",
    )
    kept = mine.read_bytes()
    log = tmp_path / "log.csv"
    log.write_text("Date,Title,Category\n14/03/2025,Team meeting,work-based\n")
    result = cpdfolio("import", log, portfolio.root)
    assert "row 2: wrote activities/2025/2025-03-14-team-meeting-2.md" in result.output
    assert mine.read_bytes() == kept
    assert not list(portfolio.docs.rglob(".cpdfolio-*"))


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("formal", "formal"),
        ("Formal/educational", "formal"),
        ("Formal and educational", "formal"),
        ("Work based learning", "work-based"),
        ("Self-directed", "self-directed"),
        ("Course", "formal"),
        ("Conferences", "professional"),
        ("Webinar", "self-directed"),
        ("Reading", "self-directed"),
        ("Journal club", "professional"),
        ("Stuff", None),
        ("Other professional activity", None),
    ],
)
def test_free_text_becomes_a_category_only_where_obvious(written, category):
    found = match_category(written, load_framework("default"))
    assert (found[0] if found else None) == category


def test_schema_prints_the_json_schema_the_checks_use():
    result = cpdfolio("schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    activity, goal = schema["$defs"]["activity"], schema["$defs"]["goal"]
    default = load_framework("default")
    assert activity["properties"].keys() == activity_schema(default).fields.keys()
    assert goal["properties"].keys() == goal_schema().fields.keys()
    assert activity["required"] == ["title", "date", "category"]
    assert activity["properties"]["date"] == {
        "type": "string",
        "format": "date",
        "description": "The day it happened or started, as YYYY-MM-DD",
    }
    assert "enum" not in activity["properties"]["category"]
    assert goal["properties"]["status"]["enum"] == ["planned", "in-progress", "achieved", "dropped"]

    hcpc = json.loads(cpdfolio("schema", "--framework", "hcpc").output)
    assert hcpc["$defs"]["activity"]["properties"]["category"]["enum"] == list(default.category_ids)
    uk_spec = json.loads(cpdfolio("schema", "--framework", "uk-spec").output)
    codes = uk_spec["$defs"]["activity"]["properties"]["competences"]["items"]["enum"]
    assert "A1" in codes and "E5" in codes
    assert cpdfolio("schema", "--framework", "nope").exit_code == 1
