"""A member previews the portfolio with `cpdfolio serve` and sees each edit at once."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from conftest import Portfolio
from serving import Server, serving


def page_when(server: Server, path: str, ready, timeout: float = 60) -> str:
    """The page at `path` once `ready(text)` holds (the preview rebuilds after an edit)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            text = server.get(path).decode("utf-8")
        except urllib.error.HTTPError as error:
            text = f"HTTP {error.code}"
        if ready(text) or time.monotonic() > deadline:
            return text
        time.sleep(0.2)


def test_an_edit_shows_in_the_preview_everywhere_it_is_shown(small_portfolio: Portfolio):
    course = small_portfolio.docs / "activities/2025/2025-02-03-python-course.md"
    goal = small_portfolio.docs / "goals/ceng.md"
    meeting = "activities/2024/2024-05-10-ipem-meeting/"
    with serving(small_portfolio) as server:
        course.write_text(course.read_text() + "\nEditedreflectionword.\n")
        page = page_when(
            server,
            "activities/2025/2025-02-03-python-course/",
            lambda t: "Editedreflectionword" in t,
        )
        assert "Editedreflectionword" in page
        # Only that page's text changed; the other pages are kept, and all are searchable.
        index = json.loads(server.get("search/search_index.json"))
        locations = {entry["location"].split("#")[0] for entry in index["docs"]}
        assert meeting in locations and "activities/2025/2025-02-03-python-course/" in locations
        assert sum("Editedreflectionword" in entry["text"] for entry in index["docs"]) == 1

        # A goal's new title reaches the navigation and details of pages that were not edited.
        goal.write_text(goal.read_text().replace("Become a Chartered Engineer", "Reach CEng"))
        page = page_when(server, meeting, lambda t: "Reach CEng" in t)
        assert "Reach CEng" in page and "Become a Chartered Engineer" not in page

        # A record made private leaves the preview, its search entries with it.
        course.write_text(course.read_text().replace("---\n", "---\nshare: false\n", 1))
        page = page_when(
            server, "activities/2025/2025-02-03-python-course/", lambda t: t == "HTTP 404"
        )
        assert page == "HTTP 404"
        assert "Editedreflectionword" not in server.get("search/search_index.json").decode()
        assert "Python for medical physicists" not in server.get("").decode()
    assert "Traceback" not in server.output


def fetch(server: Server, path: str) -> tuple[int, str, float]:
    """A page as the browser gets it: status, text, and how long the answer took."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(server.url + path, timeout=10) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, body.decode("utf-8"), time.monotonic() - started


def answer_when(server: Server, path: str, ready, timeout: float = 30) -> tuple[int, str, float]:
    deadline = time.monotonic() + timeout
    while True:
        status, text, took = fetch(server, path)
        if ready(status, text) or time.monotonic() > deadline:
            return status, text, took
        time.sleep(0.2)


BROKEN = "portfolio/activities/2025/2025-02-03-python-course.md"


def test_a_save_with_a_mistake_shows_its_errors_in_the_browser_until_it_is_fixed(
    small_portfolio: Portfolio,
):
    course = small_portfolio.docs / "activities/2025/2025-02-03-python-course.md"
    good = course.read_text()
    page = "activities/2025/2025-02-03-python-course/"
    with serving(small_portfolio) as server:
        course.write_text(good.replace("category: formal", "category: meetings"))
        saved = time.monotonic()
        status, text, took = answer_when(server, page, lambda s, t: "meetings" in t)
        # The answer comes at once, and it is the error, named by file and line.
        assert took < 5 and time.monotonic() - saved < 20
        assert status == 500
        assert "The portfolio has 1 error" in text
        assert f"{BROKEN}:5" in text
        assert "category &#39;meetings&#39; is not one of" in text
        # Every page says so, not only the one that was edited.
        assert "category &#39;meetings&#39;" in fetch(server, "")[1]
        # Stylesheets and search still answer, from the last build that worked.
        assert fetch(server, "search/search_index.json")[0] == 200

        course.write_text(good)
        status, text, took = answer_when(server, page, lambda s, t: s == 200)
        assert status == 200 and took < 5
        assert "Python for medical physicists" in text and "The portfolio has" not in text
    assert "Traceback" not in server.output
    assert "category 'meetings' is not one of" in server.output


def test_the_error_page_reloads_itself_when_the_mistake_is_fixed(
    small_portfolio: Portfolio, assessor
):
    course = small_portfolio.docs / "activities/2025/2025-02-03-python-course.md"
    good = course.read_text()
    page = "activities/2025/2025-02-03-python-course/"
    with serving(small_portfolio) as server:
        assessor.open(server.url + page)
        assert assessor.heading() == "Python for medical physicists"
        # Saved with a tab in front of a key: the open page turns into the error list.
        course.write_text(good.replace("type: course", "\ttype: course"))
        deadline = time.monotonic() + 30
        while "has a tab" not in assessor.driver.page_source and time.monotonic() < deadline:
            time.sleep(0.3)
        assert "The portfolio has 1 error" in assessor.driver.title + assessor.driver.page_source
        assert f"{BROKEN}:6" in assessor.driver.page_source
        assessor.screenshot("serve-build-errors")
        # The fix is saved; the same tab shows the page again, with no click.
        course.write_text(good)
        deadline = time.monotonic() + 30
        while "has a tab" in assessor.driver.page_source and time.monotonic() < deadline:
            time.sleep(0.3)
        assert assessor.heading() == "Python for medical physicists"


def test_a_preview_started_on_a_mistake_shows_it_and_builds_once_it_is_fixed(
    small_portfolio: Portfolio,
):
    course = small_portfolio.docs / "activities/2025/2025-02-03-python-course.md"
    good = course.read_text()
    course.write_text(good.replace("category: formal", "category: meetings"))
    page = "activities/2025/2025-02-03-python-course/"
    with serving(small_portfolio) as server:
        # The server starts: every page is the error, by file and line, not a refusal.
        status, text, _ = fetch(server, "")
        assert status == 500
        assert "The portfolio has 1 error" in text
        assert f"{BROKEN}:5" in text
        assert "category &#39;meetings&#39; is not one of" in text
        assert fetch(server, page)[0] == 500

        course.write_text(good)
        status, text, took = answer_when(server, page, lambda s, t: s == 200)
        assert status == 200 and took < 5
        assert "Python for medical physicists" in text and "The portfolio has" not in text
        assert "Python for medical physicists" in fetch(server, "")[1]
    assert "Traceback" not in server.output
    assert "The preview shows these errors until they are fixed" in server.output
