"""What every page of the site shares: links between pages, tables, the navigation.

A page kind's module (dashboard, goals, ...) writes its Markdown through a
`Site`. Links in Markdown are written as relative `.md` links, which the engine
checks and turns into URLs. The long tables and lists are HTML fragments
instead, put into the page after its Markdown is rendered (see `SitePage`):
their links are URLs given by the caller's `urls`, for pages it knows to be in
the site.
"""

from __future__ import annotations

import datetime
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from ...audit.benchmarking import competence_keys
from ...audit.checks import CheckResult
from ...frameworks import Framework
from ...records import markup
from ...records.markup import link
from ...records.model import (
    GOAL_STATUSES,
    Activity,
    Goal,
    Portfolio,
    Record,
)
from ...settings import Settings
from .. import charts
from . import activities, benchmarks, categories, competences, dashboard, goals, swot, years
from .fragments import (
    category_chip,
    competence_anchor,
    details_table,
    escape,
    private_mark,
    status_chip,
    visually_hidden,
)
from .page import (
    BENCHMARKING,
    COMPETENCES,
    GOALS,
    HOME,
    TITLE_ID,
    SitePage,
    Urls,
    category_page,
    year_page,
)


class Site:
    """Every page cpdfolio writes or rewrites, and the navigation between them."""

    def __init__(
        self,
        portfolio: Portfolio,
        settings: Settings,
        statement: str | None = None,
        other_pages: Iterable[str] = (),
        checks: Iterable[CheckResult] = (),
        *,
        urls: Urls,
        readiness: Iterable[tuple[Framework, list[CheckResult]]] = (),
    ) -> None:
        self.settings = settings
        self.framework = settings.framework
        self.portfolio = portfolio if settings.include_private else portfolio.shared()
        self.statement = statement
        self.other_pages = list(other_pages)
        # Each body's checks; `checks` alone are the checks of the portfolio's one framework.
        self.readiness = list(readiness) or ([(self.framework, list(checks))] if checks else [])
        self.by_path = {record.path: record for record in self.portfolio.records}
        self.colours = charts.category_colours([c.id for c in self.framework.categories])
        self.urls = urls
        # Unguessable, so that no text a member writes is taken for a marker.
        self._marker = f"cpdfolio-{secrets.token_hex(8)}"
        self._fragments: dict[str, str] = {}
        self._search: dict[str, tuple[str, str]] = {}

    # -- what the site holds ------------------------------------------------

    def generated_paths(self) -> list[str]:
        """Where the pages with no file of their own in the portfolio go."""
        return [
            GOALS,
            *(year_page(y) for y in self.portfolio.years()),
            *(category_page(c.id) for c in self.framework.categories),
            COMPETENCES,
            *([BENCHMARKING] if self.portfolio.benchmarks else []),
        ]

    def generated_pages(self) -> list[SitePage]:
        """Pages with no file of their own in the portfolio."""
        pages = [self._page(GOALS, "Goals", lambda: goals.goals_overview(self))]
        pages += [
            self._page(year_page(y), str(y), lambda y=y: years.year(self, y))
            for y in self.portfolio.years()
        ]
        pages += [
            self._page(category_page(c.id), c.name, lambda c=c: categories.category(self, c.id))
            for c in self.framework.categories
        ]
        pages.append(self._page(COMPETENCES, "Competences", lambda: competences.competences(self)))
        if self.portfolio.benchmarks:
            pages.append(
                self._page(BENCHMARKING, "Benchmarking", lambda: benchmarks.benchmarking(self))
            )
        return pages

    def home_page(self) -> SitePage:
        return self._page(HOME, dashboard.home_title(self), lambda: dashboard.home(self))

    def record_pages(self) -> list[SitePage]:
        """The records' own files, rewritten: details above the reflection."""
        pages = [
            self._page(a.path, a.title, lambda a=a: activities.activity(self, a), a)
            for a in self.portfolio.activities
        ]
        pages += [
            self._page(g.path, g.title, lambda g=g: goals.goal(self, g), g)
            for g in self.portfolio.goals
        ]
        pages += [
            self._page(s.path, s.title, lambda s=s: swot.swot(self, s), s)
            for s in self.portfolio.swots
        ]
        pages += [
            self._page(b.path, b.title, lambda b=b: benchmarks.benchmark(self, b), b)
            for b in self.portfolio.benchmarks
        ]
        return pages

    def _page(
        self, src: str, title: str, markdown: Callable[[], str], record: Record | None = None
    ) -> SitePage:
        """A page, with the fragments its Markdown made on the way."""
        self._fragments, self._search = {}, {}
        text = markdown()
        # Fragments that open the page go above its HTML: no marker for Markdown to read.
        header = ""
        for marker, fragment in list(self._fragments.items()):
            if not text.startswith(marker):
                break
            text = text[len(marker) :].lstrip("\n")
            header += fragment + "\n"
            del self._fragments[marker]
        return SitePage(src, title, text, self._fragments, header, self._search, record)

    def raw(self, fragment: str, search: str | None = None) -> str:
        """HTML for the page being made, as the marker that stands for it in the Markdown.

        `search` is the HTML the search index reads in the fragment's place, ""
        for nothing; None: the fragment itself.
        """
        marker = f"<!-- {self._marker}-{len(self._fragments)} -->"
        self._fragments[marker] = fragment
        if search is not None:
            self._search[marker] = (fragment, search)
        return marker

    def title_heading(self, words: str) -> str:
        """The page's h1, with the id the skip link leads to.

        Search reads it without the id, as before: Material's search would take a
        first heading with an id for a section's title, not its text.
        """
        heading = escape(words)
        return self.raw(f'<h1 id="{TITLE_ID}">{heading}</h1>', search=f"<h1>{heading}</h1>")

    def unsearched(self, fragment: str) -> str:
        """A list of records or of figures: shown, but not read by the search index.

        Its titles lead to pages that search finds themselves: a search for an
        activity's title finds that activity once, not once more on each year,
        category, competence and goal page that lists it.
        """
        return self.raw(fragment, search="")

    def details(self, rows: list[list[str]]) -> str:
        """A record's details table; search reads its words, not its table's markup."""
        return self.raw(details_table(rows), search=markup.cell_text(rows))

    def a(self, words: str, here: str, to: str, anchor: str = "") -> str:
        """An HTML link from page `here` to page `to`; only the words if `to` is not in the site."""
        address = self.urls(here, to)
        if address is not None and anchor:
            address += f"#{anchor}"
        return markup.html_link(words, address)

    def nav(self) -> list:
        """Sections, never every activity: the nav is on every page, so it must stay small."""
        goals = [{"All goals": GOALS}, *(g.path for g in self.goals_in_order())]
        nav: list = [{"Dashboard": HOME}, {"Goals": goals}]
        years = [year_page(y) for y in self.portfolio.years()]
        if years:
            nav.append({"Years": years})
        nav.append({"Categories": [category_page(c.id) for c in self.framework.categories]})
        nav.append({"Competences": COMPETENCES})
        nav += [s.path for s in self.portfolio.swots]
        if self.portfolio.benchmarks:
            benchmarks = [b.path for b in reversed(self.portfolio.benchmarks)]
            nav.append({"Benchmarking": [{"Over time": BENCHMARKING}, *benchmarks]})
        nav += self.other_pages
        return nav

    # -- dates, as the member's locale writes them ----------------------------

    def long_date(self, day: datetime.date) -> str:
        return markup.long_date(day, self.settings.locale)

    def short_date(self, day: datetime.date) -> str:
        return markup.short_date(day, self.settings.locale)

    def period_text(self) -> str:
        return self.settings.period.describe(self.settings.locale)

    def chip(self, category_id: str, inner: str) -> str:
        """A category's chip, in the colour its charts and printout give it."""
        return category_chip(category_id, inner, self.colours.get(category_id, ""))

    def counts_hours(self) -> bool:
        return any(a.hours is not None for a in self.portfolio.activities)

    def status_counts(self) -> str:
        """How far the goals have come: a chip and a count per status."""
        by_status = Counter(g.status for g in self.portfolio.goals)
        # A fragment: its chips' colours are style the member's Markdown may not have.
        return self.raw(
            '<p class="cpd-status-counts">'
            + "".join(f"<span>{status_chip(s)} {by_status[s]}</span>" for s in GOAL_STATUSES)
            + "</p>"
        )

    def category_mix(self, here: str, activities: Iterable[Activity]) -> str:
        activities = list(activities)
        counts = Counter(a.category for a in activities)
        hours: dict[str, float] = defaultdict(float)
        for activity in activities:
            hours[activity.category] += activity.hours or 0
        most = max(counts.values(), default=0) or 1
        rows = []
        for category in self.framework.categories:
            share = round(100 * counts[category.id] / most)
            bar = (
                f'<span class="cpd-bar" style="width: {share}%; '
                f'--cpd-colour: {self.colours[category.id]}"></span>'
            )
            rows.append(
                [
                    self.chip(category.id, self.a(category.name, here, category_page(category.id))),
                    str(counts[category.id]),
                    markup.hours(hours[category.id]),
                    bar,
                ]
            )
        return self.unsearched(
            markup.html_table(
                # The bars' column is named for a screen reader, whose table has no empty head.
                ["Category", "Activities", "Hours", visually_hidden("Activities as a bar")],
                rows,
                "cpd-mix",
            )
        )

    def goals_in_order(self) -> list[Goal]:
        order = {status: n for n, status in enumerate(GOAL_STATUSES)}
        return sorted(self.portfolio.goals, key=lambda g: (order[g.status], g.title.lower()))

    def goals_table(self, here: str, goals: list[Goal]) -> str:
        if not goals:
            return "No goals yet: add one as a Markdown file under `goals/`."
        rows = []
        for goal in goals:
            serving = self.portfolio.activities_serving(goal)
            rows.append(
                [
                    status_chip(goal.status),
                    self.a(goal.title, here, goal.path) + private_mark(goal),
                    str(len(serving)),
                    self.short_date(goal.target) if goal.target else "",
                ]
            )
        return self.unsearched(
            markup.html_table(["Status", "Goal", "Activities", "Target"], rows, "cpd-goals")
        )

    def goal_links(self, here: str, goal_ids: Iterable[str]) -> str:
        links = []
        for goal_id in goal_ids:
            goal = self.portfolio.goal(goal_id)
            # A goal kept private is named by nothing, not even its id.
            if goal is not None:
                links.append(self.a(goal.title, here, goal.path))
        return "<br>".join(links)

    def competence_links(self, here: str, codes: Iterable[str]) -> str:
        return ", ".join(
            self.a(code, here, COMPETENCES, competence_anchor(self.competence_keys(code)[0]))
            for code in codes
        )

    def activity_table(
        self, here: str, activities: Iterable[Activity], newest_first: bool = False
    ) -> str:
        activities = list(activities)
        if newest_first:
            activities.sort(key=lambda a: a.date, reverse=True)
        rows = [
            [
                escape(self.short_date(a.date)),
                self.a(a.title, here, a.path) + private_mark(a),
                self.chip(a.category, escape(self.framework.category(a.category).name)),
                escape(a.type or ""),
                markup.hours(a.hours) if a.hours is not None else "",
            ]
            for a in activities
        ]
        if not rows:
            return "No activities."
        return self.unsearched(
            markup.html_table(
                ["Date", "Activity", "Category", "Type", "Hours"], rows, "cpd-activities"
            )
        )

    def year_links(self, here: str, but: int | None = None) -> str:
        years = [y for y in self.portfolio.years() if y != but]
        return ", ".join(link(str(y), here, year_page(y)) for y in years) or "none"

    def competence_keys(self, code: str) -> list[str]:
        """The competences a code as written counts for, as the site names them.

        With several bodies, a code two of them share is the first's as `A1` and
        another's as `engtech:A1`; written bare, it counts for each body that has it.
        """
        return competence_keys(self.settings.bodies, code)

    # -- private records in the owner's preview --------------------------------------

    def private_banner(self, record: Record) -> list[str]:
        if record.share:
            return []
        return [
            self.raw(
                '<div class="admonition warning">\n<p class="admonition-title">Private record</p>\n'
                "<p>This record has <code>share: false</code>. It is shown only because "
                "<code>include_private</code> is on for your own preview; the shared site and "
                "the printout leave it out.</p>\n</div>"
            )
        ]
