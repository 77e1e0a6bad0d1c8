"""Audit readiness: the checks an assessor's sample would make, run before they do.

Each check is a small rule over the shared records of the period; it says
whether it passed, one line of detail, and which records it concerns. The
framework chooses the checks and their parameters.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..frameworks import Framework, FrameworkError
from ..records import markup
from ..records.model import Activity, Period, Portfolio
from ..records.period import today as default_today

_MONTH = 365.25 / 12
UNPLANNED_TAG = "unplanned"
MIN_REFLECTION_WORDS = 20


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    passed: bool
    detail: str
    records: tuple[str, ...] = ()
    standard: str = ""


@dataclass(frozen=True)
class _Scope:
    """What a check looks at: the shared activities of the period, and the goals."""

    portfolio: Portfolio
    activities: tuple[Activity, ...]
    framework: Framework
    period: Period
    today: datetime.date
    locale: str = markup.DEFAULT_LOCALE

    @property
    def start(self) -> datetime.date | None:
        if self.period.start:
            return self.period.start
        return self.activities[0].date if self.activities else None

    @property
    def end(self) -> datetime.date:
        return min(self.period.end or self.today, self.today)


def audit(
    portfolio: Portfolio,
    framework: Framework,
    period: Period | None = None,
    today: datetime.date | None = None,
    locale: str = markup.DEFAULT_LOCALE,
) -> list[CheckResult]:
    """Run the framework's checks on what an assessor would see: private records do not count.

    `locale` only chooses how the details write their dates.
    """
    shared = portfolio.shared()
    period = period or Period()
    scope = _Scope(
        shared, shared.activities_in(period), framework, period, today or default_today(), locale
    )
    results = []
    for spec in framework.checks:
        rule = RULES.get(spec.id)
        if rule is None:
            raise FrameworkError(
                f"framework '{framework.name}': unknown check '{spec.id}'; "
                f"checks are {', '.join(RULES)}"
            )
        try:
            passed, detail, records = rule(scope, **spec.params)
        except TypeError as error:
            raise FrameworkError(
                f"framework '{framework.name}': check '{spec.id}' has a parameter it does not "
                f"take or lacks one it needs ({error})"
            ) from None
        results.append(
            CheckResult(
                spec.id,
                spec.title or TITLES[spec.id],
                passed,
                detail,
                tuple(records),
                spec.standard,
            )
        )
    return results


def audit_each(
    portfolio: Portfolio,
    bodies: tuple[Framework, ...],
    period: Period | None = None,
    today: datetime.date | None = None,
    locale: str = markup.DEFAULT_LOCALE,
) -> list[tuple[Framework, list[CheckResult]]]:
    """Each body's checks of the same records, in the member's order of bodies."""
    return [(body, audit(portfolio, body, period, today, locale)) for body in bodies]


def _date(day: datetime.date, locale: str) -> str:
    return markup.short_date(day, locale)


def _sentence(problems: list[str]) -> str:
    """Problems as one sentence; str.capitalize() would lower-case '10 May' too."""
    joined = "; ".join(problems)
    return joined[:1].upper() + joined[1:] + "."


def continuity(scope: _Scope, max_gap_months: float = 6, recent_months: float = 3):
    activities = scope.activities
    if not activities:
        return False, "No activity recorded in the period.", []
    longest, between = 0.0, None
    previous_day = scope.start or activities[0].date
    previous = None
    for activity in activities:
        gap = (activity.date - previous_day).days / _MONTH
        if gap > longest:
            longest, between = gap, (previous, activity)
        previous_day = max(previous_day, activity.last_day)
        previous = activity
    latest = max(a.last_day for a in activities)
    since = (scope.end - latest).days / _MONTH
    problems = []
    if longest > max_gap_months:
        start = (
            _date(between[0].last_day, scope.locale) if between[0] else "the start of the period"
        )
        problems.append(
            f"a gap of {longest:.1f} months ({start} to {_date(between[1].date, scope.locale)}), "
            f"more than {max_gap_months:g}"
        )
    if since > recent_months:
        problems.append(
            f"nothing recorded since {_date(latest, scope.locale)} ({since:.1f} months; "
            f"record something every {recent_months:g} months)"
        )
    if problems:
        records = [a.path for a in between if a] if longest > max_gap_months else []
        return False, _sentence(problems), records
    return (
        True,
        (
            f"Longest gap {longest:.1f} months (at most {max_gap_months:g}); "
            f"latest activity {_date(latest, scope.locale)}."
        ),
        [],
    )


def mixture(scope: _Scope, min_categories: int = 3):
    counts = Counter(a.category for a in scope.activities)
    names = [
        f"{scope.framework.category(c.id).name} ({counts[c.id]})"
        for c in scope.framework.categories
        if counts[c.id]
    ]
    used = len(names)
    detail = f"{used} of {len(scope.framework.categories)} categories"
    detail += f": {', '.join(names)}." if names else "."
    if used < min_categories:
        detail += f" At least {min_categories} are needed."
    return used >= min_categories, detail, []


def _sections(activity: Activity) -> dict[str, str]:
    return {name.lower(): text for name, text in markup.split_sections(activity.body)[1].items()}


def reflection(scope: _Scope):
    required = scope.framework.required_headings
    lacking = []
    for activity in scope.activities:
        sections = _sections(activity)
        empty = [h for h in required if not sections.get(h.lower(), "").strip()]
        # The word count stands in for headings only when the framework requires none.
        short = not required and len(activity.body.split()) < MIN_REFLECTION_WORDS
        if empty or short:
            lacking.append(activity.path)
    named = ", ".join(f"'{heading}'" for heading in required)
    if len(required) == 1:
        what = f"text under the heading {named}"
    elif required:
        what = f"text under each of the headings {named}"
    else:
        what = f"a reflection of at least {MIN_REFLECTION_WORDS} words"
    if lacking:
        verb = "lacks" if len(scope.activities) == 1 else "lack"
        return False, f"{len(lacking)} of {_activities(scope)} {verb} {what}.", lacking
    if len(scope.activities) == 1:
        return True, f"The 1 activity has {what}.", []
    return True, f"All {len(scope.activities)} activities have {what}.", []


def _activities(scope: _Scope) -> str:
    return markup.count(len(scope.activities), "activity", "activities")


def benefit(scope: _Scope, heading: str = "Benefit to others"):
    lacking = [
        a.path for a in scope.activities if not _sections(a).get(heading.lower(), "").strip()
    ]
    if lacking:
        return (
            False,
            f"{len(lacking)} of {_activities(scope)} "
            f"{'does' if len(scope.activities) == 1 else 'do'} not say, "
            f"under '## {heading}', who benefits.",
            lacking,
        )
    return True, f"Every activity says who benefits (## {heading}).", []


def goals_linked(scope: _Scope):
    portfolio = scope.portfolio
    # Planned goals have not started and dropped ones are closed: neither needs activities.
    active = [g for g in portfolio.goals if g.status in ("in-progress", "achieved")]
    unserved = [g for g in active if not portfolio.activities_serving(g)]
    known = {g.id for g in portfolio.goals}
    unlinked = [
        a for a in scope.activities if not (set(a.goals) & known) and UNPLANNED_TAG not in a.tags
    ]
    problems = []
    if not portfolio.goals:
        problems.append("no goals are recorded")
    if unserved:
        goals = markup.count(len(unserved), "goal", "goals")
        verb = "has" if len(unserved) == 1 else "have"
        problems.append(f"{goals} in progress or achieved {verb} no activity")
    if unlinked:
        problems.append(
            f"{markup.count(len(unlinked), 'activity serves', 'activities serve')} no goal "
            f"and {'is' if len(unlinked) == 1 else 'are'} not tagged '{UNPLANNED_TAG}'"
        )
    if problems:
        records = [g.path for g in unserved] + [a.path for a in unlinked]
        return False, _sentence(problems), records
    return (
        True,
        (
            f"{markup.count(len(portfolio.goals), 'goal', 'goals')}, each in progress or "
            f"achieved served by activities; "
            f"every activity serves a goal or is tagged '{UNPLANNED_TAG}'."
        ),
        [],
    )


def hours_target(scope: _Scope, hours_per_year: float):
    start = scope.start
    if start is None:
        return False, f"No activity recorded; the target is {hours_per_year:g} hours a year.", []
    years = max((scope.end - start).days + 1, 1) / 365.25
    needed = hours_per_year * years
    done = sum(a.hours or 0 for a in scope.activities)
    detail = (
        f"{markup.hours(done)} hours in the period; the target is {hours_per_year:g} a year "
        f"({markup.hours(round(needed, 1))} for {years:.1f} years)."
    )
    return done >= needed - 0.05, detail, []


def evidence(scope: _Scope, min_share: float = 0.5):
    activities = scope.activities
    without = [a.path for a in activities if not a.evidence]
    share = 1 - len(without) / len(activities) if activities else 0
    detail = (
        f"{len(activities) - len(without)} of "
        f"{markup.count(len(activities), 'activity', 'activities')} "
        f"{'has' if len(activities) == 1 else 'have'} evidence "
        f"({share:.0%}; at least {min_share:.0%} expected)."
    )
    return share >= min_share, detail, [] if share >= min_share else without


def competence_coverage(scope: _Scope, min_per_group: int = 1):
    framework = scope.framework
    groups = framework.competence_groups
    counts: Counter[str] = Counter()
    for activity in scope.activities:
        for group in {
            framework.competence(c).group for c in activity.competences if framework.competence(c)
        }:
            counts[group] += 1
    missing = [g for g in groups if counts[g] < min_per_group]
    if not groups:
        return True, "This framework has no competence groups.", []
    if missing:
        return (
            False,
            (
                f"{len(missing)} of {len(groups)} competence groups "
                + (
                    "have no activity"
                    if min_per_group == 1
                    else f"have fewer than {min_per_group} activities"
                )
                + f": {', '.join(missing)}."
            ),
            [],
        )
    return True, f"All {len(groups)} competence groups are covered by activities.", []


# A word as a reader counts it: link addresses, HTML tags and Markdown marks are not words.
_WORD = re.compile(r"\w+(?:['’.-]\w+)*")
_NOT_READ = re.compile(r"<!--.*?-->|<[^>]+>|\]\([^)]*\)|https?://\S+", re.S)


def word_count(text: str) -> int:
    """The words of a page's Markdown as its reader sees them."""
    return len(_WORD.findall(_NOT_READ.sub(" ", text)))


def _length(text: str | None, what: str, page: str, max_words: int):
    if not text:
        return False, f"No {what} yet: write it in {page} (at most {max_words:,} words).", []
    words = word_count(text)
    if words > max_words:
        return (
            False,
            f"The {what} ({page}) has {words:,} words, {words - max_words:,} more than "
            f"the {max_words:,} allowed.",
            [],
        )
    return True, f"The {what} ({page}) has {words:,} words (at most {max_words:,}).", []


def summary_length(scope: _Scope, max_words: int = 500):
    return _length(scope.portfolio.summary, "summary of practice", "index.md", max_words)


def profile_length(scope: _Scope, max_words: int = 1500):
    return _length(
        scope.portfolio.profile, "statement of how the standards are met", "profile.md", max_words
    )


RULES: dict[str, Callable] = {
    "continuity": continuity,
    "mixture": mixture,
    "reflection": reflection,
    "benefit": benefit,
    "goals-linked": goals_linked,
    "hours-target": hours_target,
    "evidence": evidence,
    "competence-coverage": competence_coverage,
    "summary-length": summary_length,
    "profile-length": profile_length,
}
TITLES = {
    "continuity": "A continuous, up-to-date record",
    "mixture": "A mixture of learning activities",
    "reflection": "Every activity reflected on",
    "benefit": "Benefit to others recorded",
    "goals-linked": "Goals planned and served by activities",
    "hours-target": "Hours target met",
    "evidence": "Evidence kept",
    "competence-coverage": "Competences covered",
    "summary-length": "Summary of practice within its word limit",
    "profile-length": "Statement within its word limit",
}
