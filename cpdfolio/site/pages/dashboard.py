"""The dashboard: who, the period, audit readiness, the mixture of learning, the latest."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import quote

from ...audit.checks import CheckResult
from ...records import markup
from ...records.markup import text
from .. import charts
from .fragments import audit_list, escape, one_line, stat
from .page import HOME

if TYPE_CHECKING:
    from .site import Site

_LATEST = 8


def home_title(site: Site) -> str:
    return f"CPD portfolio of {site.settings.owner}" if site.settings.owner else "CPD portfolio"


def home(site: Site) -> str:
    period = site.settings.period
    in_period = site.portfolio.activities_in(period)
    hours = sum(a.hours or 0 for a in in_period)
    used = {a.category for a in in_period}
    goals = site.portfolio.goals
    achieved = sum(1 for g in goals if g.status == "achieved")
    parts = [site.title_heading(home_title(site))]
    who = [f"**{text(site.settings.owner)}**"] if site.settings.owner else []
    if site.settings.registration:
        who.append(text(site.settings.registration))
    if who:
        parts.append(" · ".join(who))
    parts.append(f'<p class="cpd-period">Period: <strong>{escape(site.period_text())}</strong></p>')
    if site.settings.pdf:
        parts.append(
            f'<p class="cpd-printout"><a class="md-button md-button--primary" '
            f'href="{escape(quote(site.settings.pdf))}">Download the printout (PDF)</a></p>'
        )
    parts.append(
        '<div class="cpd-stats">\n'
        + stat(len(in_period), "activities")
        # A member whose body looks at outcomes, not hours, is shown no "0 hours".
        + (stat(markup.hours(hours), "hours") if site.counts_hours() else "")
        + stat(f"{len(used)} of {len(site.framework.categories)}", "categories")
        + stat(f"{achieved} of {len(goals)}", "goals achieved")
        + "</div>"
    )
    for body, checks in site.readiness:
        if len(site.readiness) == 1:
            parts.append("## Audit readiness")
        else:
            parts.append(f"## Audit readiness: {text(body.title)}")
        parts.append(audit_panel(site, HOME, checks))
    parts.append("## Mixture of learning")
    parts.append(site.category_mix(HOME, in_period))
    parts.append(year_chart(site))
    parts.append("## Goals")
    if goals:
        parts.append(site.status_counts())
    parts.append(site.goals_table(HOME, site.goals_in_order()))
    parts.append("## Latest activities")
    latest = list(reversed(site.portfolio.activities))[:_LATEST]
    parts.append(site.activity_table(HOME, latest, newest_first=True))
    parts.append(f"All activities by year: {site.year_links(HOME)}")
    if site.statement and site.statement.strip():
        parts.append("---")
        parts.append(site.statement)
    return "\n\n".join(parts) + "\n"


def audit_panel(site: Site, here: str, checks: list[CheckResult]) -> str:
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
        item = f"<li>{mark} <strong>{one_line(check.title)}</strong>: {one_line(check.detail)}"
        searched.append(item + "</li>")
        records = [site.by_path[p] for p in check.records if p in site.by_path]
        if records:
            shown = ", ".join(site.a(r.title, here, r.path) for r in records[:_LATEST])
            more = len(records) - _LATEST
            item += f"<br>{shown}" + (f" and {more} more" if more > 0 else "")
        items.append(item + "</li>")
    return site.raw(audit_list(items), search=audit_list(searched))


def year_chart(site: Site) -> str:
    """Activities per year, each bar split by category (SVG: no JavaScript needed)."""
    categories = site.framework.categories
    years = sorted(site.portfolio.years())
    if not years:
        return ""
    counts = Counter((a.date.year, a.category) for a in site.portfolio.activities)
    hours: Counter[tuple[int, str]] = Counter()
    for activity in site.portfolio.activities:
        hours[(activity.date.year, activity.category)] += activity.hours or 0
    series = [(c.name, site.colours[c.id]) for c in categories]
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
            f"<figure>{hours_chart}<figcaption>Hours by year</figcaption>{hours_values}</figure>"
        )
    # cpdfolio's own SVG: past the allowlist that the member's Markdown goes through.
    # Figures, not words to search: the same numbers are on the year pages.
    return site.unsearched(f'<div class="cpd-charts">{figures}</div>')
