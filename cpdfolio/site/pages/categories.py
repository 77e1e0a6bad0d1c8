"""A category's page: what it means, and its activities year by year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import markup
from ...records.markup import text
from .page import category_page

if TYPE_CHECKING:
    from .site import Site


def category(site: Site, category_id: str) -> str:
    here = category_page(category_id)
    category = site.framework.category(category_id)
    activities = [a for a in site.portfolio.activities if a.category == category_id]
    hours = sum(a.hours or 0 for a in activities)
    parts = [site.title_heading(category.name)]
    if category.description:
        parts.append(text(category.description))
    if category.examples:
        parts.append("*For example:* " + ", ".join(text(e) for e in category.examples) + ".")
    count = markup.count(len(activities), "activity", "activities")
    parts.append(f"{count}, {markup.hours(hours)} hours.")
    years = sorted({a.date.year for a in activities}, reverse=True)
    for year in years:
        parts.append(f"## {year}")
        parts.append(site.activity_table(here, [a for a in activities if a.date.year == year]))
    return "\n\n".join(parts) + "\n"
