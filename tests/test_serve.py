"""A member previews the portfolio with `cpdfolio serve` and sees each edit at once."""

from __future__ import annotations

import json
import time
import urllib.error

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
