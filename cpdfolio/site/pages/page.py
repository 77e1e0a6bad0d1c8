"""A page of the site, and where each page kind sits in the docs tree."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ...records import sanitizer
from ...records.model import (
    Problem,
    Record,
)

HOME = "index.md"
GOALS = "goals/index.md"
COMPETENCES = "competences.md"
BENCHMARKING = "benchmarking.md"
# The id of every page's h1: the skip link's target (see engines/mkdocs/plugin.py), which takes a
# keyboard or screen-reader user past the navigation to the title, and from there
# to the first thing under it (the dashboard's Download link).
TITLE_ID = "cpd-title"


def year_page(year: int) -> str:
    return f"years/{year}.md"


def category_page(category_id: str) -> str:
    return f"categories/{category_id}.md"


# The URL of the second page (a path in the docs tree) from the first, or None
# when it is not in the site, as a private record is not.
Urls = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class SitePage:
    """A page of the site: where it sits, its plain-text title, its Markdown.

    Each key of `fragments` is an HTML comment on a line of `markdown`, to be
    replaced by its HTML once the Markdown is rendered: Python-Markdown takes
    longer to read a table of a hundred activities than to render the rest of
    the page, and a fragment's HTML needs no reading. `header` is HTML that
    goes above the rendered Markdown (a record's title and details).

    `search` holds the fragments that the search index reads otherwise, by
    marker: (the fragment's HTML, what search reads in its place). A list of
    activities repeats titles that each lead to their own page, so search
    reads nothing of it; a record's details table is read as its words alone.
    """

    src: str
    title: str
    markdown: str
    fragments: Mapping[str, str] = field(default_factory=dict)
    header: str = ""
    search: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # The record the page shows, whose lines a warning about its reflection names.
    record: Record | None = None

    def publish(self, content: str) -> tuple[str, list[Problem]]:
        """The page's rendered Markdown through the allowlist, then filled (see `fill`).

        Only what Markdown rendered is cleaned: the fragments are cpdfolio's own
        HTML, whose user text is escaped already.
        """
        content, removed = sanitizer.clean(content)
        record = self.record
        problems = (
            sanitizer.problems(record.path, record.body, record.body_line, removed)
            if record is not None
            else sanitizer.problems(self.src, "", 1, removed)
        )
        return self.fill(content), problems

    def fill(self, content: str) -> str:
        """The page's rendered HTML with each fragment in place of its marker."""
        for marker, fragment in self.fragments.items():
            content = content.replace(marker, fragment, 1)
        return self.header + content

    def for_search(self, content: str) -> str:
        """The page's HTML as the search index is to read it; `from_search` undoes it.

        Each fragment that search reads otherwise becomes its marker and its
        search form. One not found as written (another plugin changed it)
        stays, and is read whole.
        """
        for marker, (fragment, form) in self.search.items():
            content = content.replace(fragment, marker + form, 1)
        return content

    def from_search(self, content: str) -> str:
        """The page's HTML again, from what `for_search` gave."""
        for marker, (fragment, form) in self.search.items():
            content = content.replace(marker + form, fragment, 1)
        return content
