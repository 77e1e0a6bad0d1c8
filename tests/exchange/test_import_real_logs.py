"""A member brings years of CPD from a spreadsheet kept their own way, and loses no word."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import Portfolio
from test_exchange import cpdfolio

from cpdfolio.records.loader import load

TITLE_ROW = ["CPD record 2024–2025, Alex Engineer CEng MIMechE"]
HEADINGS = [
    "Date(s)",
    "Description of activity",
    "Training type",
    "Time spent",
    "What I learnt",
    "Reflection",
    "Outcome / experience gained",
    "Benefit",
    "Supervisor's comments",
]
# The rows as the member typed them: UK dates, days, half days, months, a toolbox talk
# with no category, an impossible date, a blank row and a totals row.
ROWS = [
    ["14/03/2025", "IPEM radiotherapy meeting", "Conference", "2 days",
     "Dose audits differ between centres more than I thought.",
     "I should compare our own audit figures with the regional ones.",
     "Met the physicists running the national audit.",
     "Our audit will catch drift sooner.", "Good write-up, share it with the team."],
    ["02/04/2025", "Manual handling refresher", "Toolbox talk", "half day",
     "Lifting the phantom trolley needs two people.", "", "", "Fewer strains in the team.",
     ""],
    ["March 2025", "Reading on MR safety zones", "Reading", "1:30",
     "Zone IV rules apply to the scanner room door, not only the bore.",
     "I had been too relaxed about the door.", "", "", ""],
    ["31/02/2025", "Mentoring a trainee", "Mentoring", 2,
     "Explaining dose calculation made me check my own method.", "", "", "", ""],
    [],
    ["", "Total", "", "3 days", "", "", "", "", ""],
]  # fmt: skip


def as_cells(row: list[object], xlsx: bool) -> list[object]:
    """A row as a workbook holds it: real dates and numbers where Excel would make them."""
    if not xlsx or not row:
        return row
    cells = list(row)
    try:
        cells[0] = datetime.datetime.strptime(cells[0], "%d/%m/%Y")
    except ValueError:
        pass
    return [None if cell == "" else cell for cell in cells]


def write_log(path: Path, rows: list[list[object]]) -> Path:
    table = [TITLE_ROW, [], HEADINGS, *rows]
    if path.suffix == ".xlsx":
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "CPD log"
        for row in table:
            sheet.append(as_cells(row, xlsx=True))
        workbook.save(path)
    else:
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(table)
    return path


@pytest.fixture
def uk_spec(portfolio: Portfolio) -> Portfolio:
    portfolio.config(extra="      framework: uk-spec\n")
    return portfolio


def records_text(portfolio: Portfolio) -> str:
    return "\n".join(p.read_text("utf-8") for p in portfolio.docs.rglob("activities/**/*.md"))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_years_log_comes_in_whole_and_passes_the_uk_spec_check(
    uk_spec: Portfolio, tmp_path: Path, suffix: str
):
    log = write_log(tmp_path / f"cpd-log{suffix}", ROWS)
    first = cpdfolio("import", log, uk_spec.root, "--category", "work-based")
    said = first.output.splitlines()
    assert first.exit_code == 1, first.output  # one row named for its impossible date
    assert said[0] == (
        "Headings found on row 3 (read as a title above them: "
        "'CPD record 2024–2025, Alex Engineer CEng MIMechE')"
    )
    # Every column is accounted for: four go into what was learned, none is left out.
    assert said[1] == (
        "Columns: Date(s) → date, Description of activity → title, Training type → type, "
        "Time spent → hours, What I learnt → ## What I learned, Reflection → ## What I learned, "
        "Outcome / experience gained → ## What I learned, Benefit → ## Benefit to others, "
        "Supervisor's comments → ## Notes"
    )
    assert "A day is counted as 7.5 hours (set another with --hours-per-day)" in said
    row = {line.split(":")[0]: i for i, line in enumerate(said) if line.startswith("row ")}
    assert (
        said[row["row 4"]] == "row 4: wrote activities/2025/2025-03-14-ipem-radiotherapy-meeting.md"
    )
    assert "  hours 15 from '2 days' at 7.5 hours a day" in said[row["row 4"] :]
    assert (
        said[row["row 5"] + 1 : row["row 6"]]
        == [
            "  date '02/04/2025' read day first: 2025-04-02",
            "  hours 3.75 from 'half day' at 7.5 hours a day",
            "  category 'work-based' from --category (its type 'Toolbox talk' names none)",
        ][1 if suffix == ".xlsx" else 0 :]
    )
    assert said[row["row 6"] : row["row 7"]] == [
        "row 6: wrote activities/2025/2025-03-01-reading-on-mr-safety-zones.md",
        "  date 'March 2025' gives no day: written as 2025-03-01, the first of the month, "
        "and said so under '## Notes'",
        "  hours 1.5 from '1:30'",
        "  category 'self-directed' from its type 'Reading'",
    ]
    assert said[row["row 7"]] == (
        "row 7: skipped, date '31/02/2025' is not a day of the calendar: "
        "February 2025 has 28 days, not 31"
    )
    assert said[row["row 9"]] == "row 9: skipped, a totals row ('Total')"
    assert said[-1] == (
        f"cpd-log{suffix}: 6 rows, 3 written, 0 already present, 1 skipped for a problem, "
        "1 totals row, 1 blank row"
    )

    # The member mends the date the report named, and imports the file again.
    mended = [list(r) for r in ROWS]
    mended[3][0] = "28/02/2025"
    write_log(log, mended)
    again = cpdfolio("import", log, uk_spec.root, "--category", "work-based")
    assert again.exit_code == 0, again.output
    assert "row 7: wrote activities/2025/2025-02-28-mentoring-a-trainee.md" in again.output
    assert "1 written, 3 already present, 0 skipped for a problem" in again.output

    # Every word of every text column of every row is in a record (dates and hours are
    # read into the front matter above).
    text = records_text(uk_spec)
    written = [cells for cells in mended if cells and cells[1] != "Total"]
    assert len(written) == 4
    for cells in written:
        for heading, cell in zip(HEADINGS, cells, strict=True):
            if heading not in ("Date(s)", "Time spent") and cell.strip():
                assert cell in text, cell
    loaded = load(uk_spec.docs, "uk-spec")
    assert not loaded.problems
    by_title = {a.title: a for a in loaded.portfolio.activities}
    meeting = by_title["IPEM radiotherapy meeting"]
    assert (meeting.hours, meeting.category, meeting.type) == (15, "professional", "Conference")
    assert meeting.body == (
        "## What I learned\n\n"
        "Dose audits differ between centres more than I thought.\n\n"
        "I should compare our own audit figures with the regional ones.\n\n"
        "Met the physicists running the national audit.\n\n"
        "## Benefit to others\n\nOur audit will catch drift sooner.\n\n"
        "## Notes\n\nSupervisor's comments: Good write-up, share it with the team.\n"
    )
    talk = by_title["Manual handling refresher"]
    assert (talk.hours, talk.category, talk.type) == (3.75, "work-based", "Toolbox talk")
    reading = by_title["Reading on MR safety zones"]
    assert reading.date == datetime.date(2025, 3, 1)
    assert "the spreadsheet gives only the month (March 2025)" in reading.body

    check = cpdfolio("check", uk_spec.root)
    assert check.exit_code == 0, check.output
    assert "pass  Reflections on what was learned or achieved" in check.output


def test_dry_run_shows_every_inference_and_writes_nothing(uk_spec: Portfolio, tmp_path: Path):
    log = write_log(tmp_path / "cpd-log.csv", ROWS)
    before = uk_spec.fingerprint()
    result = cpdfolio("import", log, uk_spec.root, "--dry-run", "--hours-per-day", "8")
    assert uk_spec.fingerprint() == before
    assert "A day is counted as 8 hours (set another with --hours-per-day)" in result.output
    assert "row 4: would write activities/2025/2025-03-14-ipem-radiotherapy-meeting.md" in (
        result.output
    )
    assert "  hours 16 from '2 days' at 8 hours a day" in result.output
    assert "  hours 4 from 'half day' at 8 hours a day" in result.output
    assert "date 'March 2025' gives no day: written as 2025-03-01" in result.output
    # Without --category, the toolbox talk is named, with the way to give it one.
    assert (
        "row 5: skipped, it has no category, and its type 'Toolbox talk' is plainly none of "
        "work-based, professional, formal, self-directed, other; add a Category column, or "
        "give rows without one a category with --category"
    ) in result.output
    assert "(a dry run: nothing was written)" in result.output


def test_map_puts_several_columns_under_one_heading_by_name(portfolio: Portfolio, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(
        "Date,Activity,Category,Thoughts,More thoughts,Cost\n"
        "14/03/2025,Team huddle,work-based,We met.,It helped.,0\n",
        "utf-8",
    )
    mappings = ["Thoughts=What I learned", "More thoughts=## what i learned", "Cost=ignore"]
    result = cpdfolio("import", log, portfolio.root, *(f"--map={m}" for m in mappings))
    assert result.exit_code == 0, result.output
    assert "Thoughts → ## What I learned, More thoughts → ## What I learned" in result.output
    assert "Columns left out, as asked: Cost" in result.output
    [activity] = load(portfolio.docs).portfolio.activities
    assert activity.body == "## What I learned\n\nWe met.\n\nIt helped.\n"

    unknown = cpdfolio("import", log, portfolio.root, "--map", "Thoughts=What I leaned")
    assert unknown.exit_code == 1
    assert "'What I leaned' is neither a key" in unknown.output
    assert "did you mean 'What I learned'?" in unknown.output
    bad_category = cpdfolio("import", log, portfolio.root, "--category", "informal")
    assert bad_category.exit_code == 1
    assert "--category 'informal' is not one of work-based, professional" in bad_category.output


def test_two_columns_mapped_to_the_reflection_are_both_kept(portfolio: Portfolio, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text(
        "Date,Activity,Category,What I learnt,Reflection\n"
        "14/03/2025,Team huddle,work-based,Handovers need a checklist.,I will draft one.\n",
        "utf-8",
    )
    result = cpdfolio("import", log, portfolio.root, "--map", "What I learnt=reflection",
                      "--map", "Reflection=reflection")  # fmt: skip
    assert result.exit_code == 0, result.output
    [activity] = load(portfolio.docs).portfolio.activities
    assert activity.body == (
        "## What I learned\n\nHandovers need a checklist.\n\nI will draft one.\n"
    )
