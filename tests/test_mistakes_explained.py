"""Every mistake a member makes is explained where they look: the terminal, with the fix."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REFLECTION, Portfolio


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
