"""The goals: the overview of every goal by status, and each goal's own page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import markup
from ...records.model import (
    Goal,
)
from .fragments import escape, status_chip
from .page import GOALS

if TYPE_CHECKING:
    from .site import Site


def goals_overview(site: Site) -> str:
    parts = [site.title_heading("Goals"), site.status_counts()]
    parts.append(site.goals_table(GOALS, site.goals_in_order()))
    return "\n\n".join(parts) + "\n"


def goal(site: Site, goal: Goal) -> str:
    here = goal.path
    details = [["Status", status_chip(goal.status)]]
    for label, day in (
        ("Set", goal.created),
        ("Target", goal.target),
        ("Achieved", goal.achieved),
    ):
        if day:
            details.append([label, site.long_date(day)])
    if goal.competences:
        details.append(["Competences", site.competence_links(here, goal.competences)])
    if goal.tags:
        details.append(["Tags", ", ".join(escape(t) for t in goal.tags)])
    serving = site.portfolio.activities_serving(goal)
    hours = sum(a.hours or 0 for a in serving)
    parts = [
        site.title_heading(goal.title),
        *site.private_banner(goal),
        site.details(details),
        goal.body.strip(),
        "## Activities serving this goal",
        f"{markup.count(len(serving), 'activity', 'activities')}, {markup.hours(hours)} hours."
        if serving
        else "No activity serves this goal yet.",
    ]
    if serving:
        parts.append(site.activity_table(here, serving))
    return "\n\n".join(p for p in parts if p) + "\n"
