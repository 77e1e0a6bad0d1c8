"""The portfolio as site pages: Markdown for each record and each grouping.

Knows nothing of MkDocs: it receives the portfolio and the settings and
returns Markdown keyed by the path each page has in the docs tree. Links in
Markdown are written as relative `.md` links, which MkDocs checks and turns
into URLs. The long tables and lists are HTML fragments instead, put into the
page after its Markdown is rendered (see `SitePage`): their links are URLs
given by the caller's `urls`, for pages it knows to be in the site.
"""

from __future__ import annotations

import datetime
import html
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from . import charts, markup, sanitizer
from .audit import CheckResult
from .benchmarking import benchmarking, competence_keys
from .benchmarking import written as _written
from .frameworks import Framework
from .markup import link, text
from .model import GOAL_STATUSES, Activity, Benchmark, Goal, Portfolio, Problem, Record, Swot
from .settings import Settings

HOME = "index.md"
GOALS = "goals/index.md"
COMPETENCES = "competences.md"
BENCHMARKING = "benchmarking.md"
STATUS_NAMES = {
    "planned": "Planned",
    "in-progress": "In progress",
    "achieved": "Achieved",
    "dropped": "Dropped",
}
SWOT_HEADINGS = ("Strengths", "Weaknesses", "Opportunities", "Threats")
# The id of every page's h1: the skip link's target (see plugin.py), which takes a
# keyboard or screen-reader user past the navigation to the title, and from there
# to the first thing under it (the dashboard's Download link).
TITLE_ID = "cpd-title"
_LATEST = 8


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
        pages = [self._page(GOALS, "Goals", self.goals_overview)]
        pages += [
            self._page(year_page(y), str(y), lambda y=y: self.year(y))
            for y in self.portfolio.years()
        ]
        pages += [
            self._page(category_page(c.id), c.name, lambda c=c: self.category(c.id))
            for c in self.framework.categories
        ]
        pages.append(self._page(COMPETENCES, "Competences", self.competences))
        if self.portfolio.benchmarks:
            pages.append(self._page(BENCHMARKING, "Benchmarking", self.benchmarking))
        return pages

    def home_page(self) -> SitePage:
        return self._page(HOME, self.home_title(), self.home)

    def record_pages(self) -> list[SitePage]:
        """The records' own files, rewritten: details above the reflection."""
        pages = [
            self._page(a.path, a.title, lambda a=a: self.activity(a), a)
            for a in self.portfolio.activities
        ]
        pages += [
            self._page(g.path, g.title, lambda g=g: self.goal(g), g) for g in self.portfolio.goals
        ]
        pages += [
            self._page(s.path, s.title, lambda s=s: self.swot(s), s) for s in self.portfolio.swots
        ]
        pages += [
            self._page(b.path, b.title, lambda b=b: self.benchmark(b), b)
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
        heading = _html(words)
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
        return self.raw(_details(rows), search=markup.cell_text(rows))

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
        return _chip(category_id, inner, self.colours.get(category_id, ""))

    # -- home -----------------------------------------------------------------

    def home_title(self) -> str:
        return f"CPD portfolio of {self.settings.owner}" if self.settings.owner else "CPD portfolio"

    def home(self) -> str:
        period = self.settings.period
        in_period = self.portfolio.activities_in(period)
        hours = sum(a.hours or 0 for a in in_period)
        used = {a.category for a in in_period}
        goals = self.portfolio.goals
        achieved = sum(1 for g in goals if g.status == "achieved")
        parts = [self.title_heading(self.home_title())]
        who = [f"**{text(self.settings.owner)}**"] if self.settings.owner else []
        if self.settings.registration:
            who.append(text(self.settings.registration))
        if who:
            parts.append(" · ".join(who))
        parts.append(
            f'<p class="cpd-period">Period: <strong>{_html(self.period_text())}</strong></p>'
        )
        if self.settings.pdf:
            parts.append(
                f'<p class="cpd-printout"><a class="md-button md-button--primary" '
                f'href="{_html(quote(self.settings.pdf))}">Download the printout (PDF)</a></p>'
            )
        parts.append(
            '<div class="cpd-stats">\n'
            + _stat(len(in_period), "activities")
            # A member whose body looks at outcomes, not hours, is shown no "0 hours".
            + (_stat(markup.hours(hours), "hours") if self.counts_hours() else "")
            + _stat(f"{len(used)} of {len(self.framework.categories)}", "categories")
            + _stat(f"{achieved} of {len(goals)}", "goals achieved")
            + "</div>"
        )
        for body, checks in self.readiness:
            if len(self.readiness) == 1:
                parts.append("## Audit readiness")
            else:
                parts.append(f"## Audit readiness: {text(body.title)}")
            parts.append(self.audit_panel(HOME, checks))
        parts.append("## Mixture of learning")
        parts.append(self.category_mix(HOME, in_period))
        parts.append(self.year_chart())
        parts.append("## Goals")
        if goals:
            parts.append(self.status_counts())
        parts.append(self.goals_table(HOME, self.goals_in_order()))
        parts.append("## Latest activities")
        latest = list(reversed(self.portfolio.activities))[:_LATEST]
        parts.append(self.activity_table(HOME, latest, newest_first=True))
        parts.append(f"All activities by year: {self.year_links(HOME)}")
        if self.statement and self.statement.strip():
            parts.append("---")
            parts.append(self.statement)
        return "\n\n".join(parts) + "\n"

    def counts_hours(self) -> bool:
        return any(a.hours is not None for a in self.portfolio.activities)

    def status_counts(self) -> str:
        """How far the goals have come: a chip and a count per status."""
        by_status = Counter(g.status for g in self.portfolio.goals)
        # A fragment: its chips' colours are style the member's Markdown may not have.
        return self.raw(
            '<p class="cpd-status-counts">'
            + "".join(f"<span>{_status_chip(s)} {by_status[s]}</span>" for s in GOAL_STATUSES)
            + "</p>"
        )

    def audit_panel(self, here: str, checks: list[CheckResult]) -> str:
        """Each check, passed or not, with links to the records it concerns.

        Search reads the checks but not the records' names, as in the other lists.
        """
        items, searched = [], []
        for check in checks:
            mark = (
                '<span class="cpd-check cpd-check-passed" title="passed">&#10003;</span>'
                if check.passed
                else '<span class="cpd-check cpd-check-failed" title="not yet">&#10007;</span>'
            )
            item = f"<li>{mark} <strong>{_words(check.title)}</strong>: {_words(check.detail)}"
            searched.append(item + "</li>")
            records = [self.by_path[p] for p in check.records if p in self.by_path]
            if records:
                shown = ", ".join(self.a(r.title, here, r.path) for r in records[:_LATEST])
                more = len(records) - _LATEST
                item += f"<br>{shown}" + (f" and {more} more" if more > 0 else "")
            items.append(item + "</li>")
        return self.raw(_audit_list(items), search=_audit_list(searched))

    def year_chart(self) -> str:
        """Activities per year, each bar split by category (SVG: no JavaScript needed)."""
        categories = self.framework.categories
        years = sorted(self.portfolio.years())
        if not years:
            return ""
        counts = Counter((a.date.year, a.category) for a in self.portfolio.activities)
        hours: Counter[tuple[int, str]] = Counter()
        for activity in self.portfolio.activities:
            hours[(activity.date.year, activity.category)] += activity.hours or 0
        series = [(c.name, self.colours[c.id]) for c in categories]
        activities_chart = charts.stacked_chart(
            [(str(y), [counts[(y, c.id)] for c in categories]) for y in years],
            series,
            "Activities by year and category",
        )
        hours_chart = charts.stacked_chart(
            [(str(y), [hours[(y, c.id)] for c in categories]) for y in years],
            series,
            "Hours by year and category",
        )
        names = [c.name for c in categories]
        activities_values = charts.values_table(
            [(str(y), [counts[(y, c.id)] for c in categories]) for y in years],
            names,
            "Activities by year and category",
        )
        figures = (
            f"<figure>{activities_chart}<figcaption>Activities by year</figcaption>"
            f"{activities_values}</figure>"
        )
        if any(hours.values()):
            hours_values = charts.values_table(
                [(str(y), [hours[(y, c.id)] for c in categories]) for y in years],
                names,
                "Hours by year and category",
            )
            figures += (
                f"<figure>{hours_chart}<figcaption>Hours by year</figcaption>"
                f"{hours_values}</figure>"
            )
        # cpdfolio's own SVG: past the allowlist that the member's Markdown goes through.
        # Figures, not words to search: the same numbers are on the year pages.
        return self.unsearched(f'<div class="cpd-charts">{figures}</div>')

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
                ["Category", "Activities", "Hours", _visually_hidden("Activities as a bar")],
                rows,
                "cpd-mix",
            )
        )

    # -- goals ------------------------------------------------------------------

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
                    _status_chip(goal.status),
                    self.a(goal.title, here, goal.path) + _private_mark(goal),
                    str(len(serving)),
                    self.short_date(goal.target) if goal.target else "",
                ]
            )
        return self.unsearched(
            markup.html_table(["Status", "Goal", "Activities", "Target"], rows, "cpd-goals")
        )

    def goals_overview(self) -> str:
        parts = [self.title_heading("Goals"), self.status_counts()]
        parts.append(self.goals_table(GOALS, self.goals_in_order()))
        return "\n\n".join(parts) + "\n"

    def goal(self, goal: Goal) -> str:
        here = goal.path
        details = [["Status", _status_chip(goal.status)]]
        for label, day in (
            ("Set", goal.created),
            ("Target", goal.target),
            ("Achieved", goal.achieved),
        ):
            if day:
                details.append([label, self.long_date(day)])
        if goal.competences:
            details.append(["Competences", self.competence_links(here, goal.competences)])
        if goal.tags:
            details.append(["Tags", ", ".join(_html(t) for t in goal.tags)])
        serving = self.portfolio.activities_serving(goal)
        hours = sum(a.hours or 0 for a in serving)
        parts = [
            self.title_heading(goal.title),
            *self.private_banner(goal),
            self.details(details),
            goal.body.strip(),
            "## Activities serving this goal",
            f"{markup.count(len(serving), 'activity', 'activities')}, {markup.hours(hours)} hours."
            if serving
            else "No activity serves this goal yet.",
        ]
        if serving:
            parts.append(self.activity_table(here, serving))
        return "\n\n".join(p for p in parts if p) + "\n"

    # -- activities ---------------------------------------------------------------

    def activity(self, activity: Activity) -> str:
        here = activity.path
        category = self.framework.category(activity.category)
        when = self.a(self.long_date(activity.date), here, year_page(activity.date.year))
        if activity.end and activity.end != activity.date:
            when += f" to {self.long_date(activity.end)}"
        details = [
            ["Date", when],
            [
                "Category",
                self.chip(category.id, self.a(category.name, here, category_page(category.id))),
            ],
        ]
        if activity.type:
            details.append(["Type", _html(activity.type)])
        if activity.hours is not None:
            details.append(["Hours", markup.hours(activity.hours)])
        if activity.goals:
            details.append(["Goals", self.goal_links(here, activity.goals)])
        if activity.competences:
            details.append(["Competences", self.competence_links(here, activity.competences)])
        if activity.provider:
            details.append(["Provider", _html(activity.provider)])
        if activity.location:
            details.append(["Location", _html(activity.location)])
        if activity.evidence:
            details.append(
                [
                    "Evidence",
                    "<br>".join(
                        markup.html_link(e.name, markup.url(e.target))
                        if e.is_link
                        else self.a(e.name, here, e.target)
                        for e in activity.evidence
                    ),
                ]
            )
        if activity.tags:
            details.append(["Tags", ", ".join(_html(t) for t in activity.tags)])
        parts = [
            self.title_heading(activity.title),
            *self.private_banner(activity),
            self.details(details),
            activity.body.strip(),
        ]
        return "\n\n".join(p for p in parts if p) + "\n"

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
            self.a(code, here, COMPETENCES, _anchor(self.competence_keys(code)[0]))
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
                _html(self.short_date(a.date)),
                self.a(a.title, here, a.path) + _private_mark(a),
                self.chip(a.category, _html(self.framework.category(a.category).name)),
                _html(a.type or ""),
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

    # -- groupings ---------------------------------------------------------------

    def year(self, year: int) -> str:
        here = year_page(year)
        activities = [a for a in self.portfolio.activities if a.date.year == year]
        hours = sum(a.hours or 0 for a in activities)
        return (
            "\n\n".join(
                [
                    self.title_heading(str(year)),
                    f"{markup.count(len(activities), 'activity', 'activities')}, "
                    f"{markup.hours(hours)} hours. "
                    f"Other years: {self.year_links(here, but=year)}",
                    "## Mixture of learning",
                    self.category_mix(here, activities),
                    "## Activities",
                    self.activity_table(here, activities),
                ]
            )
            + "\n"
        )

    def year_links(self, here: str, but: int | None = None) -> str:
        years = [y for y in self.portfolio.years() if y != but]
        return ", ".join(link(str(y), here, year_page(y)) for y in years) or "none"

    def category(self, category_id: str) -> str:
        here = category_page(category_id)
        category = self.framework.category(category_id)
        activities = [a for a in self.portfolio.activities if a.category == category_id]
        hours = sum(a.hours or 0 for a in activities)
        parts = [self.title_heading(category.name)]
        if category.description:
            parts.append(text(category.description))
        if category.examples:
            parts.append("*For example:* " + ", ".join(text(e) for e in category.examples) + ".")
        count = markup.count(len(activities), "activity", "activities")
        parts.append(f"{count}, {markup.hours(hours)} hours.")
        years = sorted({a.date.year for a in activities}, reverse=True)
        for year in years:
            parts.append(f"## {year}")
            parts.append(self.activity_table(here, [a for a in activities if a.date.year == year]))
        return "\n\n".join(parts) + "\n"

    def competence_keys(self, code: str) -> list[str]:
        """The competences a code as written counts for, as the site names them.

        With several bodies, a code two of them share is the first's as `A1` and
        another's as `engtech:A1`; written bare, it counts for each body that has it.
        """
        return competence_keys(self.settings.bodies, code)

    def competences(self) -> str:
        """Coverage: competence × year counts, gaps shown, each cell leading to its records."""
        framework = self.framework
        claimed: dict[str, list[Record]] = defaultdict(list)
        for record in (*self.portfolio.activities, *self.portfolio.goals):
            for code in record.competences:
                for key in self.competence_keys(code):
                    claimed[key].append(record)
        known = [key for c in framework.competences for key in self.competence_keys(_written(c))]
        codes = known + sorted(set(claimed) - set(known), key=_natural)
        years = sorted(self.portfolio.years())
        parts = [self.title_heading("Competences")]
        if framework.competences:
            parts.append(f"Competences of {text(framework.title)}.")
        if not codes:
            parts.append("No record names a competence yet: add `competences:` to activities.")
            return "\n\n".join(parts) + "\n"
        rows = []
        for code in codes:
            activities = [r for r in claimed[code] if isinstance(r, Activity)]
            per_year = Counter(a.date.year for a in activities)
            cells = [
                f'<a href="#{_anchor(code)}-{y}">{per_year[y]}</a>'
                if per_year[y]
                else '<span class="cpd-gap">&ndash;</span>'
                for y in years
            ]
            competence = framework.competence(code)
            rows.append(
                [
                    markup.html_link(code, f"#{_anchor(code)}"),
                    _html(competence.title) if competence else "",
                    *cells,
                    str(len(activities)),
                ]
            )
        headings = ["Code", "Competence", *(str(y) for y in years), "All"]
        parts.append(self.unsearched(markup.html_table(headings, rows, "cpd-coverage")))
        gaps = [code for code in codes if not any(isinstance(r, Activity) for r in claimed[code])]
        if gaps:
            parts.append(
                '!!! warning "Not yet evidenced"\n\n    No activity claims '
                + ", ".join(text(code) for code in gaps)
                + "."
            )
        for code in codes:
            competence = framework.competence(code)
            title = f"{code} {competence.title}" if competence else code
            parts.append(f'<h2 id="{_anchor(code)}">{_html(title)}</h2>')
            if competence and competence.group:
                parts.append(f"*{text(competence.group)}*")
            goals = [r for r in claimed[code] if isinstance(r, Goal)]
            if goals:
                parts.append(
                    "Goals: " + ", ".join(link(g.title, COMPETENCES, g.path) for g in goals)
                )
            activities = [r for r in claimed[code] if isinstance(r, Activity)]
            if not activities:
                parts.append("No activity yet.")
            for year in sorted({a.date.year for a in activities}, reverse=True):
                parts.append(f'<h3 id="{_anchor(code)}-{year}">{year}</h3>')
                parts.append(
                    self.unsearched(
                        "<ul>\n"
                        + "".join(
                            f"<li>{_html(self.short_date(a.date))}: "
                            f"{self.a(a.title, COMPETENCES, a.path)}</li>\n"
                            for a in activities
                            if a.date.year == year
                        )
                        + "</ul>"
                    )
                )
        return "\n\n".join(parts) + "\n"

    # -- benchmarking ------------------------------------------------------------------

    def benchmarking(self) -> str:
        """Each competence's level at each benchmark against its target, as a chart and a table."""
        found = benchmarking(self.portfolio, self.framework, self.competence_keys)
        dates = [self.short_date(day) for day in found.dates]
        scale = found.scale
        parts = ["<h1>Benchmarking</h1>"]
        parts.append(
            f"{markup.count(len(found.benchmarks), 'self-assessment', 'self-assessments')} "
            f"of competences on a scale from {scale[0].level} ({text(scale[0].name)}) to "
            f"{scale[-1].level} ({text(scale[-1].name)}), from "
            f"{self.long_date(found.dates[0])} to {self.long_date(found.dates[-1])}."
        )
        chart = charts.level_chart(
            [(row.key, list(row.levels), row.target) for row in found.rows],
            dates,
            [(level.level, level.name) for level in scale],
            "Competence levels at each benchmark, and targets",
        )
        parts.append(
            self.unsearched(
                f'<figure class="cpd-benchmark-chart">{chart}<figcaption>Levels at each '
                f"benchmark (dots, joined oldest to newest) and targets (diamonds); the "
                f"table below gives the same values.</figcaption></figure>"
            )
        )
        rows = []
        for row in found.rows:
            title = row.competence.title if row.competence else ""
            rows.append(
                [
                    self.a(row.key, BENCHMARKING, COMPETENCES, _anchor(row.key)),
                    _html(title),
                    *(_level_cell(level, found) for level in row.levels),
                    _level_cell(row.target, found),
                    f'<span class="cpd-gap">{row.gap}</span>' if row.gap else "",
                ]
            )
        headings = ["Code", "Competence", *dates, "Target", "Gap"]
        parts.append(self.unsearched(markup.html_table(headings, rows, "cpd-benchmarking")))
        parts.append("## Gaps")
        if not found.gaps:
            parts.append("Every competence with a target has reached it.")
        gaps = []
        for row in found.gaps:
            name = f"{row.key} {row.competence.title}" if row.competence else row.key
            line = (
                f"**{text(name)}**: at {row.latest} ({text(found.level_name(row.latest))}), "
                f"target {row.target} ({text(found.level_name(row.target))})."
            )
            if row.goals:
                line += " Served by " + ", ".join(
                    link(goal.title, BENCHMARKING, goal.path) for goal in row.goals
                )
                line += "."
            else:
                line += f" No goal serves it yet: add `competences: [{row.key}]` to one."
            gaps.append(f"- {line}")
        if gaps:
            parts.append("\n".join(gaps))
        parts.append("## The scale")
        parts.append(
            self.unsearched(
                markup.html_table(
                    ["Level", "Name", "Meaning"],
                    [[str(lv.level), _html(lv.name), _html(lv.description)] for lv in scale],
                    "cpd-scale",
                )
            )
        )
        parts.append("## Benchmarks")
        for benchmark in reversed(found.benchmarks):
            parts.append(
                f"- {link(benchmark.title, BENCHMARKING, benchmark.path)}, "
                f"{self.long_date(benchmark.date)}: "
                f"{markup.count(len(benchmark.levels), 'competence', 'competences')} assessed"
            )
        return "\n\n".join(parts) + "\n"

    def benchmark(self, benchmark: Benchmark) -> str:
        """One benchmark: its levels and targets, then the member's commentary."""
        targets = dict(benchmark.targets)
        scale = self.framework.levels
        rows = []
        for code, level in benchmark.levels:
            competence = self.framework.competence(code)
            name = next((lv.name for lv in scale if lv.level == level), "")
            target = targets.get(code)
            rows.append(
                [
                    self.a(
                        code, benchmark.path, COMPETENCES, _anchor(self.competence_keys(code)[0])
                    ),
                    _html(competence.title) if competence else "",
                    f"{level} {_html(name)}",
                    str(target) if target is not None else "",
                ]
            )
        parts = [
            self.raw(f"<h1>{_html(benchmark.title)}</h1>"),
            *self.private_banner(benchmark),
            f'<p class="cpd-period">{self.long_date(benchmark.date)} · '
            f"{link('all benchmarks', benchmark.path, BENCHMARKING)}</p>",
            self.unsearched(
                markup.html_table(
                    ["Code", "Competence", "Level", "Target"], rows, "cpd-benchmarking"
                )
            ),
            benchmark.body.strip(),
        ]
        return "\n\n".join(p for p in parts if p) + "\n"

    # -- SWOT -----------------------------------------------------------------------

    def swot(self, swot: Swot) -> str:
        """The four headings as a 2 × 2 grid; text before them stays above it."""
        before, sections = markup.split_sections(swot.body)
        parts = [self.title_heading(swot.title), *self.private_banner(swot)]
        if swot.date:
            parts.append(f'<p class="cpd-period">{self.long_date(swot.date)}</p>')
        if before.strip():
            parts.append(before.strip())
        grid = ['<div class="cpd-swot" markdown>']
        for name in SWOT_HEADINGS:
            grid.append(
                f'<section class="cpd-swot-{name.lower()}" markdown>\n\n## {name}\n\n'
                f"{sections.pop(name, '').strip() or '*Nothing written yet.*'}\n\n</section>"
            )
        grid.append("</div>")
        parts.append("\n\n".join(grid))
        for name, content in sections.items():  # headings other than the four
            parts.append(f"## {text(name)}\n\n{content.strip()}")
        return "\n\n".join(parts) + "\n"

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


def _html(value: str) -> str:
    return html.escape(value, quote=True)


def _words(value: str) -> str:
    """User text on one line, as Markdown's `text()` renders it."""
    return html.escape(" ".join(value.split()), quote=False)


def _audit_list(items: list[str]) -> str:
    return '<div class="cpd-audit">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>"


def _stat(value: object, label: str) -> str:
    return (
        f'<div class="cpd-stat"><span class="cpd-stat-value">{_html(str(value))}</span>'
        f'<span class="cpd-stat-label">{_html(label)}</span></div>\n'
    )


def _chip(category_id: str, inner: str, colour: str = "") -> str:
    slug = re.sub(r"[^a-z0-9-]", "-", category_id.lower())
    # The colour is data (a framework may add categories), so it travels with the chip.
    style = f' style="--cpd-colour: {_html(colour)}"' if colour else ""
    return f'<span class="cpd-chip cpd-category-{slug}"{style}>{inner}</span>'


def _status_chip(status: str) -> str:
    return (
        f'<span class="cpd-chip cpd-status-{status}" '
        f'style="--cpd-colour: {charts.STATUS_COLOURS[status]}">{STATUS_NAMES[status]}</span>'
    )


def _private_mark(record: Record) -> str:
    return "" if record.share else ' <span class="cpd-private">private</span>'


def _details(rows: list[list[str]]) -> str:
    # No head: a Markdown table needed one, and the stylesheet hid it.
    return markup.html_table(None, rows, "cpd-details")


def _level_cell(level: int | None, found) -> str:
    if level is None:
        return '<span class="cpd-gap">&ndash;</span>'
    return f'{level} <span class="cpd-level-name">{_html(found.level_name(level))}</span>'


def _anchor(code: str) -> str:
    return "competence-" + (re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "x")


def _natural(code: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def _visually_hidden(words: str) -> str:
    """Words for a screen reader only (cpdfolio.css hides them from the eye)."""
    return f'<span class="cpd-visually-hidden">{_html(words)}</span>'
