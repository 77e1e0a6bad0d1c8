"""A bad record fails the build cleanly and tells me where.

Each test starts from a small valid portfolio (one goal, one activity), breaks
one thing, and runs the real `mkdocs build`. The member must get: a failed build,
the file, the line and the key, a sentence saying what would be right, no
traceback, their portfolio untouched and no half-written site.
"""

from __future__ import annotations

import os
import re

import pytest
from conftest import Build, Portfolio

# The valid starting point; the comments are the lines of activities/x.md.
ACTIVITY = {
    "title": "IPEM radiotherapy meeting",  # line 2
    "date": "2025-03-14",  # line 3
    "category": "professional",  # line 4
    "hours": "3",  # line 5
    "goals": "[ceng]",  # line 6
}  # a key added by a case goes on line 7
GOAL = "title: Become a Chartered Engineer\nstatus: in-progress"


def front_matter(**changes: str | None) -> str:
    """The valid activity's front matter, with keys changed (None removes one)."""
    keys = {**ACTIVITY, **changes}
    return "\n".join(f"{key}: {value}" for key, value in keys.items() if value is not None)


@pytest.fixture
def valid(portfolio: Portfolio) -> Portfolio:
    """A portfolio that builds: goals/ceng.md and activities/x.md."""
    portfolio.goal("ceng", GOAL)
    portfolio.activity("x", front_matter())
    return portfolio


def fails_cleanly(portfolio: Portfolio, where: str, says: str) -> Build:
    """Build, and check the build failed as a member needs it to."""
    before = portfolio.fingerprint()
    build = portfolio.build()
    assert build.returncode != 0, build.output
    # File and line together, then the sentence: `portfolio/activities/x.md:4: category ...`
    assert f"portfolio/{where}: {says}" in build.output, build.output
    assert "nothing was built" in build.output
    assert "Traceback" not in build.output, build.output
    assert portfolio.fingerprint() == before
    assert not (build.site / "index.html").exists()
    assert not build.site.exists() or not any(build.site.iterdir())
    return build


def test_the_valid_starting_point_builds(valid: Portfolio) -> None:
    build = valid.build()
    assert build.returncode == 0, build.output
    assert (build.site / "index.html").exists()


@pytest.mark.parametrize(
    "changes, where, says",
    [
        pytest.param(
            {"title": "Workshop: MRI safety"},
            "activities/x.md:2",
            "front matter is not valid YAML: the value of 'title' has a colon and a space in "
            "it, which YAML reads as another key; put the value in quotes: "
            'title: "Workshop: MRI safety"',
            id="broken-yaml",
        ),
        pytest.param(
            {"title": None},
            "activities/x.md:1",
            "missing required key 'title' (the activity's title)",
            id="missing-title",
        ),
        pytest.param(
            {"date": None},
            "activities/x.md:1",
            "missing required key 'date' (the day it happened or started, as YYYY-MM-DD)",
            id="missing-date",
        ),
        pytest.param(
            {"category": None},
            "activities/x.md:1",
            "missing required key 'category' (the learning category)",
            id="missing-category",
        ),
        pytest.param(
            {"category": "profesional"},
            "activities/x.md:4",
            "category 'profesional' is not one of "
            "work-based, professional, formal, self-directed, other; "
            "did you mean 'professional'?",
            id="misspelt-category-did-you-mean",
        ),
        pytest.param(
            {"date": "2025-02-30"},
            "activities/x.md:3",
            "date '2025-02-30' is not a day of the calendar; write a real date as YYYY-MM-DD",
            id="impossible-date",
        ),
        pytest.param(
            {"date": "14/03/2025"},
            "activities/x.md:3",
            "date '14/03/2025' should be a date written YYYY-MM-DD, like 2025-03-14",
            id="date-in-wrong-format",
        ),
        pytest.param(
            {"hours": "-2"},
            "activities/x.md:5",
            "hours cannot be negative ('-2'); write 0 or more",
            id="negative-hours",
        ),
        pytest.param(
            {"hours": "three"},
            "activities/x.md:5",
            "hours 'three' should be a number of hours of 0 or more, like 2 or 1.5",
            id="hours-not-a-number",
        ),
        pytest.param(
            {"goals": "[cneg]"},
            "activities/x.md:6",
            "goal 'cneg' does not exist; did you mean 'ceng'?",
            id="unknown-goal-did-you-mean",
        ),
        pytest.param(
            {"goals": "[leadership]"},
            "activities/x.md:6",
            "goal 'leadership' does not exist; known goals: ceng",
            id="unknown-goal-lists-known-goals",
        ),
        pytest.param(
            {"end": "2025-03-10"},
            "activities/x.md:7",
            "end 2025-03-10 is before date 2025-03-14; end is the last day, on or after date",
            id="end-before-date",
        ),
        pytest.param(
            {"evidence": "[evidence/certificate.pdf]"},
            "activities/x.md:7",
            "evidence file 'evidence/certificate.pdf' not found "
            "(looked beside this file and in the portfolio root)",
            id="missing-evidence-file",
        ),
        pytest.param(
            {"evidence": "[../../../etc/passwd]"},
            "activities/x.md:7",
            "evidence '../../../etc/passwd' leads outside the portfolio folder; "
            "copy the file into the portfolio (e.g. evidence/)",
            id="evidence-climbing-out-of-the-portfolio",
        ),
        pytest.param(
            {"evidence": "[/etc/passwd]"},
            "activities/x.md:7",
            "evidence '/etc/passwd' must be a path inside the portfolio folder",
            id="evidence-absolute-path",
        ),
        pytest.param(
            {"share": "maybe"},
            "activities/x.md:7",
            "share 'maybe' should be true or false",
            id="share-neither-true-nor-false",
        ),
    ],
)
def test_bad_activity_fails_the_build_naming_file_line_and_key(
    valid: Portfolio, changes: dict[str, str | None], where: str, says: str
) -> None:
    valid.activity("x", front_matter(**changes))
    fails_cleanly(valid, where, says)


def test_wrong_category_far_from_any_gets_no_wild_guess(valid: Portfolio) -> None:
    valid.activity("x", front_matter(category="conferences"))
    build = fails_cleanly(
        valid,
        "activities/x.md:4",
        "category 'conferences' is not one of "
        "work-based, professional, formal, self-directed, other",
    )
    assert "did you mean" not in build.output


def test_evidence_symlink_leading_outside_the_portfolio_fails_the_build(
    valid: Portfolio,
) -> None:
    secret = valid.root.parent / "outside-secret.txt"
    secret.write_text("not for the auditor", "utf-8")
    link = valid.docs / "evidence" / "notes.txt"
    link.parent.mkdir()
    os.symlink(secret, link)
    valid.activity("x", front_matter(evidence="[evidence/notes.txt]"))
    fails_cleanly(
        valid,
        "activities/x.md:7",
        "evidence 'evidence/notes.txt' leads outside the portfolio folder; "
        "copy the file into the portfolio (e.g. evidence/)",
    )


@pytest.mark.parametrize(
    "content, where, says",
    [
        pytest.param(
            "---\ntitle: Café scientifique\ndate: 2025-03-14\n---\n".encode("latin-1"),
            "activities/x.md:2",
            "is not UTF-8 text (byte 0xe9); save the file with UTF-8 encoding",
            id="not-utf8",
        ),
        pytest.param(
            "---\n- title: IPEM meeting\n- date: 2025-03-14\n---\n",
            "activities/x.md:2",
            "front matter must be a mapping of keys to values, like 'title: My course'",
            id="front-matter-a-list",
        ),
        pytest.param(
            "",
            "activities/x.md:1",
            "is empty; an activity starts with front matter between '---' lines "
            "(required: title, date, category)",
            id="empty-file",
        ),
        pytest.param(
            "# IPEM meeting\n\nNo front matter at all.\n",
            "activities/x.md:1",
            "has no front matter; an activity starts with '---', then 'key: value' lines "
            "(required: title, date, category), then '---'",
            id="no-front-matter",
        ),
        pytest.param(
            f"---\n{front_matter()}\n\n## What I did\n\nAttended.\n",
            "activities/x.md:1",
            "front matter opened with '---' on line 1 is never closed; add a line '---' after it",
            id="front-matter-never-closed",
        ),
        pytest.param(
            f"---\n{front_matter()}\ntitle: Second title\n---\n",
            "activities/x.md:7",
            "key 'title' appears twice (lines 2 and 7); keep one",
            id="duplicate-key",
        ),
    ],
)
def test_unreadable_activity_file_fails_the_build_naming_file_and_line(
    valid: Portfolio, content: str | bytes, where: str, says: str
) -> None:
    valid.write("activities/x.md", content)
    fails_cleanly(valid, where, says)


def test_same_activity_file_name_in_two_year_folders_is_a_duplicate_id(
    valid: Portfolio,
) -> None:
    valid.activity("2024/journal-club", front_matter(date="2024-05-10"))
    valid.activity("2025/journal-club", front_matter())
    fails_cleanly(
        valid,
        "activities/2025/journal-club.md",
        "duplicate activity id 'journal-club': activities/2024/journal-club.md has it too; "
        "rename one of the files",
    )


def test_goal_id_equal_to_another_goals_file_name_is_a_duplicate_id(valid: Portfolio) -> None:
    valid.goal("chartership", "title: Chartership\nid: ceng")
    fails_cleanly(
        valid,
        "goals/chartership.md:3",
        "duplicate goal id 'ceng': goals/ceng.md has it too; "
        "rename one of the files or change its 'id:'",
    )


@pytest.mark.parametrize(
    "status, suggestion",
    [
        pytest.param("done", "achieved", id="done"),
        pytest.param("acheived", "achieved", id="misspelt"),
        pytest.param("ongoing", "in-progress", id="ongoing"),
    ],
)
def test_bad_goal_status_says_which_status_was_meant(
    valid: Portfolio, status: str, suggestion: str
) -> None:
    valid.goal("ceng", f"title: Become a Chartered Engineer\nstatus: {status}")
    build = fails_cleanly(
        valid,
        "goals/ceng.md:3",
        f"status '{status}' is not one of planned, in-progress, achieved, dropped; "
        f"did you mean '{suggestion}'?",
    )
    # The activity linking to the broken goal is not also told the goal does not exist.
    assert "goal 'ceng' does not exist" not in build.output
    assert "has 1 error;" in build.output


@pytest.mark.parametrize(
    "key, value, line",
    [
        pytest.param("hours", "{tag}", 5, id="as-a-known-keys-value"),
        pytest.param("notes", "{tag}", 7, id="as-an-unknown-keys-value"),
        pytest.param("tags", "\n  - audit\n  - {tag}", 9, id="inside-a-list"),
    ],
)
def test_python_tag_is_an_error_and_never_runs(
    valid: Portfolio, key: str, value: str, line: int
) -> None:
    pwned = valid.root.parent / "pwned"
    tag = f'!!python/object/apply:os.system ["touch {pwned}"]'
    valid.activity("x", front_matter(**{key: value.format(tag=tag)}))
    fails_cleanly(
        valid,
        f"activities/x.md:{line}",
        f"{key}: the YAML tag '!!python/object/apply:os.system' is not allowed; "
        f"write a plain value",
    )
    assert not pwned.exists()
    assert valid.cpdfolio("check").returncode == 1
    assert not pwned.exists()


def several_bad_files(portfolio: Portfolio) -> list[str]:
    """Four broken files, one with two problems; the lines a member should see."""
    portfolio.goal("ceng", GOAL)
    portfolio.activity("good", front_matter())
    portfolio.activity("2025/wrong-category", front_matter(category="conference"))
    portfolio.activity("2025/two-problems", front_matter(hours="three", goals="[cneg]"))
    portfolio.write("activities/2025/empty.md", "")
    portfolio.goal("teaching", "title: Teach the trainees\nstatus: done")
    return [
        "portfolio/activities/2025/empty.md:1: is empty; an activity starts with",
        "portfolio/activities/2025/two-problems.md:5: hours 'three' should be a number",
        "portfolio/activities/2025/two-problems.md:6: goal 'cneg' does not exist; "
        "did you mean 'ceng'?",
        "portfolio/activities/2025/wrong-category.md:4: category 'conference' is not one of",
        "portfolio/goals/teaching.md:3: status 'done' is not one of planned, in-progress, "
        "achieved, dropped; did you mean 'achieved'?",
    ]


def test_every_error_of_every_bad_file_is_reported_in_one_run(portfolio: Portfolio) -> None:
    expected = several_bad_files(portfolio)
    before = portfolio.fingerprint()
    build = portfolio.build()
    assert build.returncode != 0
    assert "cpdfolio: the portfolio has 5 errors; nothing was built:" in build.output
    for line in expected:
        assert line in build.output, build.output
    assert "Traceback" not in build.output
    assert portfolio.fingerprint() == before
    assert not (build.site / "index.html").exists()


def test_cpdfolio_check_exits_1_with_the_same_messages(portfolio: Portfolio) -> None:
    several_bad_files(portfolio)
    before = portfolio.fingerprint()
    build = portfolio.build()
    check = portfolio.cpdfolio("check")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "Traceback" not in check.stdout + check.stderr
    assert "5 errors, 0 warnings" in check.stdout
    # Every `  portfolio/<file>:<line>: <message>` of the build, as `...: error: <message>`.
    reported = re.findall(r"^  (portfolio/\S+?:(?:\d+:)?) (.+)$", build.output, re.MULTILINE)
    assert len(reported) == 5, build.output
    for where, message in reported:
        assert f"{where} error: {message}" in check.stdout, check.stdout
    assert portfolio.fingerprint() == before
