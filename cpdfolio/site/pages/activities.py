"""An activity's page: its details above the member's reflection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import markup
from ...records.model import (
    Activity,
)
from .fragments import escape
from .page import category_page, year_page

if TYPE_CHECKING:
    from .site import Site


def activity(site: Site, activity: Activity) -> str:
    here = activity.path
    category = site.framework.category(activity.category)
    when = site.a(site.long_date(activity.date), here, year_page(activity.date.year))
    if activity.end and activity.end != activity.date:
        when += f" to {site.long_date(activity.end)}"
    details = [
        ["Date", when],
        [
            "Category",
            site.chip(category.id, site.a(category.name, here, category_page(category.id))),
        ],
    ]
    if activity.type:
        details.append(["Type", escape(activity.type)])
    if activity.hours is not None:
        details.append(["Hours", markup.hours(activity.hours)])
    if activity.goals:
        details.append(["Goals", site.goal_links(here, activity.goals)])
    if activity.competences:
        details.append(["Competences", site.competence_links(here, activity.competences)])
    if activity.provider:
        details.append(["Provider", escape(activity.provider)])
    if activity.location:
        details.append(["Location", escape(activity.location)])
    if activity.evidence:
        details.append(
            [
                "Evidence",
                "<br>".join(
                    markup.html_link(e.name, markup.url(e.target))
                    if e.is_link
                    else site.a(e.name, here, e.target)
                    for e in activity.evidence
                ),
            ]
        )
    if activity.tags:
        details.append(["Tags", ", ".join(escape(t) for t in activity.tags)])
    parts = [
        site.title_heading(activity.title),
        *site.private_banner(activity),
        site.details(details),
        activity.body.strip(),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"
