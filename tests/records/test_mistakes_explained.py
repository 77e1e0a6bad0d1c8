"""Every mistake a member makes is explained where they look: the terminal, with the fix."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import REFLECTION, TODAY, Portfolio


def run(*args: str, cwd: os.PathLike) -> subprocess.CompletedProcess:
    """The real command, run from a folder as a member runs it, without naming the portfolio."""
    return subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_check_and_build_find_mkdocs_yml_from_inside_the_portfolio(small_portfolio: Portfolio):
    inside = small_portfolio.docs / "activities" / "2025"
    check = run("check", cwd=inside)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "4 activities, 2 goals" in check.stdout
    # A problem is named by its path from where the member stands.
    small_portfolio.activity("2025/2025-03-14-x", "title: X\ndate: 2025-03-14\ncategory: meetings")
    check = run("check", cwd=inside)
    assert "../../../portfolio/activities/2025/2025-03-14-x.md:4: error: category" in check.stdout
    (small_portfolio.docs / "activities/2025/2025-03-14-x.md").unlink()
    build = run("build", cwd=inside)
    assert build.returncode == 0, build.stderr
    assert (small_portfolio.root / "site" / "index.html").is_file()


def test_a_folder_with_no_mkdocs_yml_above_it_is_named(tmp_path):
    result = run("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "no mkdocs.yml in . or any folder above it" in result.stderr


def test_a_tab_and_an_unquoted_colon_are_explained_with_the_fix_and_hide_nothing(
    portfolio: Portfolio,
):
    portfolio.write(
        "activities/2025-06-02-site-visit.md",
        "---\n"
        "title: Site visit: HPC nuclear\n"
        "date: 2025-06-02\n"
        "\tcategory: work-based\n"
        "hours: lots\n"
        "type: visit\n"
        "---\n" + REFLECTION,
    )
    result = portfolio.cpdfolio("check")
    assert result.returncode == 1
    path = "portfolio/activities/2025-06-02-site-visit.md"
    problems = [line.split(path)[1] for line in result.stdout.splitlines() if path in line]
    # All three, though YAML itself stops at the first.
    assert problems == [
        ":2: error: front matter is not valid YAML: the value of 'title' has a colon and a "
        "space in it, which YAML reads as another key; put the value in quotes: "
        'title: "Site visit: HPC nuclear"',
        ":4: error: front matter has a tab at the start of the line; YAML indents with spaces "
        "only: replace the tab with spaces (or delete it, for a key of its own)",
        ":5: error: hours 'lots' should be a number of hours of 0 or more, like 2 or 1.5 "
        "(1:30 also means an hour and a half)",
    ]
    # The fix the message gives is the fix.
    fixed = (portfolio.docs / "activities/2025-06-02-site-visit.md").read_text()
    fixed = fixed.replace("title: Site visit: HPC nuclear", 'title: "Site visit: HPC nuclear"')
    fixed = fixed.replace("\tcategory", "category").replace("hours: lots", "hours: 3")
    (portfolio.docs / "activities/2025-06-02-site-visit.md").write_text(fixed)
    assert portfolio.cpdfolio("check").returncode == 0


def warnings_of(output: str, name: str) -> list[str]:
    """The warnings check gave for one file, as 'line: message'."""
    return [
        line.split(f"{name}:", 1)[1].replace(": warning: ", ": ", 1)
        for line in output.splitlines()
        if f"{name}:" in line and ": warning: " in line
    ]


def test_check_warns_about_what_an_assessor_should_not_read(portfolio: Portfolio):
    future = TODAY.replace(year=TODAY.year + 26)
    portfolio.activity(
        "2025/2025-03-14-hpc-site-visit",
        f"title: Site visit to HPC\ndate: {future.isoformat()}\ncategory: work-based\n"
        "goals: [nuclear]",
        "\n## What I did\n\nWalked the turbine hall with the site physicist.\n\n"
        "## What I learned\n\n## How I will apply it\n\n```\n## not a heading\n```\n\n"
        "## Benefit to others\n\nA safer design review for the team.\n",
    )
    portfolio.activity(
        "2025/2025-02-03-radiation-course",
        "title: Radiation protection course\ndate: 2025-02-03\ncategory: formal\ngoals: [nuclear]",
    )
    # Set down today, though the course that served it was in February 2025.
    portfolio.goal("nuclear", f"title: Work on nuclear sites\ncreated: {TODAY.isoformat()}")
    result = portfolio.cpdfolio("check")
    assert result.returncode == 0, result.stdout
    assert warnings_of(result.stdout, "2025-03-14-hpc-site-visit.md") == [
        f"3: date {future.isoformat()} is in the future (today is {TODAY.isoformat()}); "
        "is the year right?",
        f"3: date {future.isoformat()} differs from the file name's 2025-03-14; correct the "
        "one that is wrong",
        "12: heading '## What I learned' has nothing under it; write under it, or delete the "
        "heading",
    ]  # a code block is text; a '## ' inside it is no heading
    assert warnings_of(result.stdout, "nuclear.md") == [
        f"3: created {TODAY.isoformat()} is after 1 activity that serves this goal (the first "
        "on 2025-02-03); set created to the day you set the goal",
    ]
    assert "2 activities, 1 goal, 0 SWOT" in result.stdout
    assert "0 errors, 4 warnings" in result.stdout
    # The build goes on, and says the same.
    build = portfolio.build()
    assert build.returncode == 0, build.output
    assert "is in the future" in build.output and "has nothing under it" in build.output


def test_check_warns_about_starter_text_left_from_cpdfolio_new(tmp_path: Path):
    root = tmp_path / "my-cpd"
    assert run("new", str(root), cwd=tmp_path).returncode == 0
    # The member writes a summary of practice, but leaves the last starter paragraph in.
    index = root / "portfolio" / "index.md"
    index.write_text(
        "---\ntitle: Summary of practice\n---\n\n"
        "I am a clinical scientist in radiotherapy physics at a regional cancer centre.\n\n"
        + index.read_text().split("---\n", 2)[2].split("\n\n", 2)[2]
    )
    result = run("check", cwd=root / "portfolio")
    assert result.returncode == 0, result.stdout
    assert warnings_of(result.stdout, "index.md") == [
        "7: still has the starter text of 'cpdfolio new' ('Your goals, activities and the "
        "checks an auditor would ma…'); replace it with your own words, or delete the file if "
        "it was only a sample"
    ]
    assert len(warnings_of(result.stdout, "setting-up-my-cpd-portfolio.md")) == 1
    assert "1 activity, 1 goal, 0 SWOT" in result.stdout


def test_add_goal_asks_for_the_day_it_was_set(small_portfolio: Portfolio):
    # In a terminal (util-linux `script` gives the command one), `add goal` asks; the
    # member answers with the day in January.
    command = shlex.join(
        [sys.executable, "-m", "cpdfolio.cli", "add", "goal", "Lead MR safety", "-C",
         str(small_portfolio.root)]
    )  # fmt: skip
    asked = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        input="2025-01-06\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert asked.returncode == 0, asked.stdout + asked.stderr
    assert f"The day you set this goal (YYYY-MM-DD) [{TODAY.isoformat()}]:" in asked.stdout
    written = small_portfolio.docs / "goals" / "lead-mr-safety.md"
    assert "created: 2025-01-06\n" in written.read_text()

    # Given on the command line, it is not asked.
    given = small_portfolio.cpdfolio(
        "add", "goal", "Teach MR safety", "--created", "2025-02-01", "-C"
    )
    assert given.returncode == 0, given.stderr
    assert (
        "created: 2025-02-01\n" in (small_portfolio.docs / "goals/teach-mr-safety.md").read_text()
    )
    wrong = small_portfolio.cpdfolio("add", "goal", "Other", "--created", "01/02/2025", "-C")
    assert "--created '01/02/2025' should be a day written YYYY-MM-DD" in wrong.stderr
