"""What a member writes in front matter is read as they meant it.

YAML 1.1 has traps (`1:30` is 90, `no` is False, `012` is an int); each
decision of FORMAT.md is pinned here with `cpdfolio.load`, without MkDocs.
"""

from __future__ import annotations

import datetime
import time

import pytest
from conftest import Portfolio

from cpdfolio import Activity, LoadResult, Problem, load

# Lines 2-4 of activities/x.md; a key added by a test goes on line 5.
REQUIRED = "title: IPEM radiotherapy meeting\ndate: 2025-03-14\ncategory: professional"


def load_activity(portfolio: Portfolio, extra: str = "", *, required: str = REQUIRED) -> LoadResult:
    portfolio.write("activities/x.md", f"---\n{required}\n{extra}\n---\nReflection.\n")
    return load(portfolio.docs)


def the_activity(result: LoadResult) -> Activity:
    assert result.problems == []
    (activity,) = result.portfolio.activities
    return activity


def the_error(result: LoadResult) -> Problem:
    (problem,) = result.problems
    assert problem.is_error
    return problem


# -- hours -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, hours",
    [
        pytest.param("1:30", 1.5, id="1:30-is-an-hour-and-a-half-not-90"),
        pytest.param("0:45", 0.75, id="0:45"),
        pytest.param("2", 2.0, id="whole-number"),
        pytest.param("2.5", 2.5, id="decimal"),
        pytest.param("0", 0.0, id="zero"),
    ],
)
def test_hours_are_read_as_the_member_means_them(
    portfolio: Portfolio, written: str, hours: float
) -> None:
    assert the_activity(load_activity(portfolio, f"hours: {written}")).hours == hours


# -- share -----------------------------------------------------------------------


@pytest.mark.parametrize("written", ["no", "off", "false", "No", "FALSE"])
def test_share_no_off_false_keep_the_record_private(portfolio: Portfolio, written: str) -> None:
    assert the_activity(load_activity(portfolio, f"share: {written}")).share is False


@pytest.mark.parametrize("written", ["yes", "true", "on"])
def test_share_yes_true_on_share_the_record(portfolio: Portfolio, written: str) -> None:
    assert the_activity(load_activity(portfolio, f"share: {written}")).share is True


def test_a_record_without_share_is_shared(portfolio: Portfolio) -> None:
    assert the_activity(load_activity(portfolio)).share is True


def test_share_maybe_is_an_error_naming_line_and_key(portfolio: Portfolio) -> None:
    problem = the_error(load_activity(portfolio, "share: maybe"))
    assert (problem.path, problem.line, problem.key) == ("activities/x.md", 5, "share")
    assert problem.message == "share 'maybe' should be true or false"


# -- dates -----------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2025-03-14", '"2025-03-14"', "'2025-03-14'"])
def test_date_quoted_or_not_is_the_same_day(portfolio: Portfolio, written: str) -> None:
    required = f"title: IPEM meeting\ndate: {written}\ncategory: professional"
    activity = the_activity(load_activity(portfolio, required=required))
    assert activity.date == datetime.date(2025, 3, 14)


# -- text that YAML 1.1 would turn into something else ---------------------------


def test_goal_id_012_keeps_its_leading_zero_and_activities_find_it(
    portfolio: Portfolio,
) -> None:
    portfolio.write("goals/first-goal.md", "---\ntitle: First goal\nid: 012\n---\n")
    result = load_activity(portfolio, "goals: [012]")
    activity = the_activity(result)
    assert activity.goals == ("012",)
    assert [goal.id for goal in result.portfolio.goals] == ["012"]
    assert result.portfolio.goal("012") is not None


@pytest.mark.parametrize(
    "written, title",
    [
        pytest.param("yes", "yes", id="yes-is-not-true"),
        pytest.param("2025", "2025", id="a-year-is-not-a-number"),
        pytest.param("2025-03-14", "2025-03-14", id="a-date-stays-text"),
        pytest.param("null and void", "null and void", id="starts-with-null"),
    ],
)
def test_title_is_kept_exactly_as_written(portfolio: Portfolio, written: str, title: str) -> None:
    required = f"title: {written}\ndate: 2025-03-14\ncategory: professional"
    assert the_activity(load_activity(portfolio, required=required)).title == title


def test_a_single_tag_is_a_list_of_one(portfolio: Portfolio) -> None:
    assert the_activity(load_activity(portfolio, "tags: audit")).tags == ("audit",)


# -- keys ------------------------------------------------------------------------


def test_misspelt_key_is_a_warning_that_suggests_the_right_one(portfolio: Portfolio) -> None:
    result = load_activity(portfolio, "tittle: A second title")
    (problem,) = result.problems
    assert not problem.is_error
    assert (problem.path, problem.line, problem.key) == ("activities/x.md", 5, "tittle")
    assert problem.message == "unknown key 'tittle'; did you mean 'title'?"
    assert len(result.portfolio.activities) == 1


def test_duplicate_key_is_an_error_naming_both_lines(portfolio: Portfolio) -> None:
    problem = the_error(load_activity(portfolio, "title: Another title"))
    assert (problem.path, problem.line, problem.key) == ("activities/x.md", 5, "title")
    assert problem.message == "key 'title' appears twice (lines 2 and 5); keep one"


def test_billion_laughs_returns_quickly_without_a_crash(portfolio: Portfolio) -> None:
    # Nine levels of nine aliases: expanded, 9**9 (387 million) strings.
    levels = ["lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 9) + "]" for n in range(1, 9)]
    extra = "\n".join(levels) + "\ntags: *lol8"  # tags is on line 14
    start = time.perf_counter()
    result = load_activity(portfolio, extra)
    assert time.perf_counter() - start < 2  # a safety bound, not a benchmark
    errors = result.errors
    assert [(e.line, e.key) for e in errors] == [(14, "tags")]
    assert errors[0].message.startswith("tags: item 1 ")
    assert len(result.warnings) == 9  # lol0 .. lol8 are unknown keys


# -- how the file is saved -------------------------------------------------------


def test_windows_line_endings_load_fine(portfolio: Portfolio) -> None:
    text = f"---\n{REQUIRED}\nhours: 2\n---\n## What I did\n\nAttended.\n"
    portfolio.write("activities/x.md", text.replace("\n", "\r\n").encode("utf-8"))
    activity = the_activity(load(portfolio.docs))
    assert (activity.title, activity.hours) == ("IPEM radiotherapy meeting", 2.0)
    assert "\r" not in activity.body


def test_utf8_byte_order_mark_loads_fine(portfolio: Portfolio) -> None:
    text = f"---\n{REQUIRED}\n---\nReflection.\n"
    portfolio.write("activities/x.md", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert the_activity(load(portfolio.docs)).title == "IPEM radiotherapy meeting"


# -- which files are records -----------------------------------------------------


@pytest.mark.parametrize("path", ["swot.md", "reviews/2025-swot.md", "activities/my-swot.md"])
def test_kind_swot_anywhere_is_a_swot(portfolio: Portfolio, path: str) -> None:
    portfolio.write(path, "---\nkind: swot\ndate: 2025-01-05\n---\n## Strengths\n")
    result = load(portfolio.docs)
    assert result.problems == []
    (swot,) = result.portfolio.swots
    assert (swot.path, swot.date) == (path, datetime.date(2025, 1, 5))
    assert result.portfolio.activities == ()
    assert result.record_paths == {path}


def test_page_outside_activities_and_goals_without_kind_is_not_a_record(
    portfolio: Portfolio,
) -> None:
    portfolio.write("notes/reading-list.md", f"---\n{REQUIRED}\n---\n# Books\n")
    result = load(portfolio.docs)
    assert result.problems == []
    assert result.record_paths == set()
    assert result.portfolio.activities == ()


def test_kind_activity_in_another_folder_is_an_activity(portfolio: Portfolio) -> None:
    portfolio.write("talks/2025-ipem.md", f"---\nkind: activity\n{REQUIRED}\n---\nGave a talk.\n")
    result = load(portfolio.docs)
    activity = the_activity(result)
    assert (activity.id, activity.path) == ("2025-ipem", "talks/2025-ipem.md")


# -- problems --------------------------------------------------------------------


def test_problem_path_is_relative_to_the_portfolio_and_posix(portfolio: Portfolio) -> None:
    portfolio.write("activities/2025/03/x.md", f"---\n{REQUIRED}\nhours: -1\n---\n")
    problem = the_error(load(portfolio.docs))
    assert problem.path == "activities/2025/03/x.md"
    assert (problem.line, problem.key) == (5, "hours")
    assert problem.message == "hours cannot be negative ('-1'); write 0 or more"
    assert str(problem) == f"{problem.path}:5: {problem.message}"
