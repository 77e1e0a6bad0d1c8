"""Competence coverage: each competence × year, gaps shown, cells leading to records."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from ...audit.benchmarking import written as _written
from ...records import markup
from ...records.markup import link, text
from ...records.model import (
    Activity,
    Goal,
    Record,
)
from .fragments import competence_anchor, escape, natural_order
from .page import COMPETENCES

if TYPE_CHECKING:
    from .site import Site


def competences(site: Site) -> str:
    """Coverage: competence × year counts, gaps shown, each cell leading to its records."""
    framework = site.framework
    claimed: dict[str, list[Record]] = defaultdict(list)
    for record in (*site.portfolio.activities, *site.portfolio.goals):
        for code in record.competences:
            for key in site.competence_keys(code):
                claimed[key].append(record)
    known = [key for c in framework.competences for key in site.competence_keys(_written(c))]
    codes = known + sorted(set(claimed) - set(known), key=natural_order)
    years = sorted(site.portfolio.years())
    parts = [site.title_heading("Competences")]
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
            f'<a href="#{competence_anchor(code)}-{y}">{per_year[y]}</a>'
            if per_year[y]
            else '<span class="cpd-gap">&ndash;</span>'
            for y in years
        ]
        competence = framework.competence(code)
        rows.append(
            [
                markup.html_link(code, f"#{competence_anchor(code)}"),
                escape(competence.title) if competence else "",
                *cells,
                str(len(activities)),
            ]
        )
    headings = ["Code", "Competence", *(str(y) for y in years), "All"]
    parts.append(site.unsearched(markup.html_table(headings, rows, "cpd-coverage")))
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
        parts.append(f'<h2 id="{competence_anchor(code)}">{escape(title)}</h2>')
        if competence and competence.group:
            parts.append(f"*{text(competence.group)}*")
        goals = [r for r in claimed[code] if isinstance(r, Goal)]
        if goals:
            parts.append("Goals: " + ", ".join(link(g.title, COMPETENCES, g.path) for g in goals))
        activities = [r for r in claimed[code] if isinstance(r, Activity)]
        if not activities:
            parts.append("No activity yet.")
        for year in sorted({a.date.year for a in activities}, reverse=True):
            parts.append(f'<h3 id="{competence_anchor(code)}-{year}">{year}</h3>')
            parts.append(
                site.unsearched(
                    "<ul>\n"
                    + "".join(
                        f"<li>{escape(site.short_date(a.date))}: "
                        f"{site.a(a.title, COMPETENCES, a.path)}</li>\n"
                        for a in activities
                        if a.date.year == year
                    )
                    + "</ul>"
                )
            )
    return "\n\n".join(parts) + "\n"
