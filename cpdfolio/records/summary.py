"""Counts a member wants to see at a glance: records per kind, year and category."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import Period, Portfolio


@dataclass(frozen=True)
class Summary:
    activities: int
    goals: int
    swots: int
    private: int
    hours: float
    per_year: dict[int, int]
    per_category: dict[str, int]
    hours_per_category: dict[str, float]
    goals_per_status: dict[str, int]


def summarise(portfolio: Portfolio, period: Period | None = None) -> Summary:
    activities = portfolio.activities_in(period) if period else portfolio.activities
    hours_per_category: Counter[str] = Counter()
    for activity in activities:
        hours_per_category[activity.category] += activity.hours or 0
    return Summary(
        activities=len(activities),
        goals=len(portfolio.goals),
        swots=len(portfolio.swots),
        private=sum(1 for record in portfolio.records if not record.share),
        hours=sum(a.hours or 0 for a in activities),
        per_year=dict(sorted(Counter(a.date.year for a in activities).items())),
        per_category=dict(Counter(a.category for a in activities)),
        hours_per_category=dict(hours_per_category),
        goals_per_status=dict(Counter(g.status for g in portfolio.goals)),
    )
