"""A year's page: its activities and their mixture of learning."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import markup
from .page import year_page

if TYPE_CHECKING:
    from .site import Site


def year(site: Site, year: int) -> str:
    here = year_page(year)
    activities = [a for a in site.portfolio.activities if a.date.year == year]
    hours = sum(a.hours or 0 for a in activities)
    return (
        "\n\n".join(
            [
                site.title_heading(str(year)),
                f"{markup.count(len(activities), 'activity', 'activities')}, "
                f"{markup.hours(hours)} hours. "
                f"Other years: {site.year_links(here, but=year)}",
                "## Mixture of learning",
                site.category_mix(here, activities),
                "## Activities",
                site.activity_table(here, activities),
            ]
        )
        + "\n"
    )
