"""A written profile drafted from the records and the audit checks.

HCPC asks a sampled registrant for a written profile explaining how their CPD
meets its five standards; other bodies ask much the same. cpdfolio drafts one
in the first person from the records, for the member to rewrite in their own
words as `profile.md`, which then replaces the draft in the printout.
"""

from __future__ import annotations

import re
from collections import Counter

from ..records import markup
from ..records.loader import read_page
from ..records.model import STATUS_NAMES, Activity, Portfolio
from ..settings import Settings
from .checks import UNPLANNED_TAG, CheckResult

PROFILE = "profile.md"
_EXAMPLES = 3


# Checks of the member's own pages, not of the records: a draft has nothing to say of them.
_PAGE_CHECKS = ("summary-length", "profile-length")


def profile_for_print(
    root: str, portfolio: Portfolio, settings: Settings, checks: list[CheckResult]
) -> tuple[str | None, bool]:
    """What the printout says of how the standards are met, and whether cpdfolio drafted it.

    The member's profile.md when there is one; else a draft if they asked for
    one (`print_draft_profile`), since a body asks for the member's own words;
    else the body's standards alone, for the auditor to read the records against.
    """
    page = read_page(root, PROFILE)
    if page is not None and page[1]:
        return page[1], False
    if settings.print_draft_profile:
        draft = draft_profile(portfolio, settings, checks)
        return draft.split("-->", 1)[1].strip(), True
    standards = settings.body.standards
    if not standards:
        return None, False
    listed = "\n".join(f"{n}. {markup.text(s)}" for n, s in enumerate(standards, start=1))
    return f"{markup.text(settings.body.title)}: a registrant must\n\n{listed}", False


def draft_profile(portfolio: Portfolio, settings: Settings, checks: list[CheckResult]) -> str:
    """Markdown with front matter, ready to save as profile.md and edit."""
    writer = _Writer(portfolio.shared(), settings)
    lines = [
        "---",
        "title: Written profile",
        "---",
        "<!-- Drafted by cpdfolio from your records and its audit checks. Rewrite it in your",
        "     own words: it must be your own work. Once saved as profile.md, the printout",
        "     uses it in place of the draft. -->",
        "",
        writer.opening(),
        "",
    ]
    standards = settings.body.standards
    checks = [c for c in checks if c.id not in _PAGE_CHECKS]
    if standards:
        for number, standard in enumerate(standards, start=1):
            concerned = [c for c in checks if re.search(rf"\b{number}\b", c.standard)]
            lines += [f"## Standard {number}: {standard}", ""]
            if not concerned:
                lines += [
                    "This profile, with the records it refers to, is my written account of "
                    "how my CPD meets the standards.",
                    "",
                ]
            for check in concerned:
                lines += writer.section(check)
    else:
        for check in checks:
            lines += [f"## {check.title}", "", *writer.section(check)]
    return "\n".join(lines).rstrip() + "\n"


class _Writer:
    """First-person prose about the shared records of the period."""

    def __init__(self, portfolio: Portfolio, settings: Settings) -> None:
        self.portfolio = portfolio
        self.settings = settings
        self.framework = settings.body
        self.activities = portfolio.activities_in(settings.period)

    def opening(self) -> str:
        hours = sum(a.hours or 0 for a in self.activities)
        period = self.settings.period.describe(self.settings.locale)
        text = (
            f"This profile covers {period}, in which I recorded "
            f"{markup.count(len(self.activities), 'CPD activity', 'CPD activities')}"
        )
        if hours:
            text += f" ({markup.hours(hours)} hours)"
        return text + ". Each activity named here has its own record in this portfolio."

    def section(self, check: CheckResult) -> list[str]:
        # A writer told that its check failed claims nothing the check contradicts.
        write = getattr(self, "_" + check.id.replace("-", "_"), None)
        paragraphs = write(check.passed) if write else []
        if not check.passed:
            paragraphs.append(f"**Still to do before submitting:** {check.detail}")
        elif not paragraphs:
            paragraphs.append(check.detail)
        return [line for paragraph in paragraphs for line in (paragraph, "")]

    # -- one writer per check ------------------------------------------------------

    def _continuity(self, passed: bool) -> list[str]:
        if not self.activities:
            return []
        first, last = self.activities[0], max(self.activities, key=lambda a: a.last_day)
        per_year = Counter(a.date.year for a in self.activities)
        years = ", ".join(f"{n} in {y}" for y, n in sorted(per_year.items()))
        start = markup.long_date(first.date, self.settings.locale)
        end = markup.long_date(last.last_day, self.settings.locale)
        if not passed:
            # A gap, or nothing lately: the dates speak, and no claim of continuity is made.
            return [f"My record of this period runs from {start} to {end}: {years}."]
        return [
            f"I have kept my record up to date throughout the period, from "
            f"{start} to {end}: {years}. "
            f"I add a record soon after each activity, while the learning is fresh."
        ]

    def _mixture(self, passed: bool) -> list[str]:
        counts = Counter(a.category for a in self.activities)
        parts = []
        for category in self.framework.categories:
            examples = [a for a in self.activities if a.category == category.id][-2:]
            if examples:
                named = " and ".join(f"*{markup.text(a.title)}*" for a in examples)
                parts.append(
                    f"- {markup.text(category.name)} ({counts[category.id]}), such as {named}"
                )
        if not parts:
            return []
        opening = (
            "My CPD mixes different ways of learning, relevant to my practice:"
            if passed
            else "My CPD in this period, by way of learning:"
        )
        return [opening, "\n".join(parts)]

    def _reflection(self, passed: bool) -> list[str]:
        quotes = self._quotes("learn")
        opening = (
            "For each activity I record what I did, what I learned, how I will apply it and "
            "who benefits, so that my CPD improves my practice rather than only adding hours."
        )
        return [
            *([opening] if passed else []),
            *(["Some of what I learned:", quotes] if quotes else []),
        ]

    def _benefit(self, passed: bool) -> list[str]:
        quotes = self._quotes("benefit")
        opening = "Every record says how the activity benefits others, above all service users."
        return [*([opening] if passed else []), *(["For example:", quotes] if quotes else [])]

    def _goals_linked(self, passed: bool) -> list[str]:
        goals = self.portfolio.goals
        if not goals:
            return []
        statuses = Counter(g.status for g in goals)
        summary = ", ".join(f"{n} {STATUS_NAMES[status].lower()}" for status, n in statuses.items())
        lines = [
            f"My CPD follows a development plan of {len(goals)} goals ({summary}). "
            f"Activities I did not plan are marked '{UNPLANNED_TAG}'."
            if passed
            else f"My development plan has {len(goals)} goals ({summary})."
        ]
        served = []
        for goal in goals:
            activities = [a for a in self.activities if goal.id in a.goals]
            if activities:
                served.append(
                    f"- *{markup.text(goal.title)}* ({STATUS_NAMES[goal.status].lower()}): "
                    f"{markup.count(len(activities), 'activity', 'activities')}, most recently "
                    f"*{markup.text(activities[-1].title)}*"
                )
        if served:
            lines.append("\n".join(served))
        return lines

    def _hours_target(self, passed: bool) -> list[str]:
        hours = sum(a.hours or 0 for a in self.activities)
        return [f"I recorded {markup.hours(hours)} hours of CPD in the period."]

    def _evidence(self, passed: bool) -> list[str]:
        with_evidence = [a for a in self.activities if a.evidence]
        return [
            f"{len(with_evidence)} of {len(self.activities)} activities have evidence "
            f"(certificates, slides, notes or links), listed at the end of this printout "
            f"and attached to it."
        ]

    def _competence_coverage(self, passed: bool) -> list[str]:
        counts: Counter[str] = Counter()
        for activity in self.activities:
            for group in {
                c.group for code in activity.competences if (c := self.framework.competence(code))
            }:
                counts[group] += 1
        if not counts:
            return []
        listed = "; ".join(
            f"{markup.text(g)} ({counts[g]})" for g in self.framework.competence_groups
        )
        return [
            f"My activities develop the competences of {markup.text(self.framework.title)} "
            f"across its areas (activities per area): {listed}."
            if passed
            else f"Activities per area of {markup.text(self.framework.title)}: {listed}."
        ]

    def _quotes(self, heading_word: str) -> str:
        """Bullet points quoting the first sentence of a section of recent records."""
        lines = []
        for activity in list(reversed(self.activities))[: _EXAMPLES * 2]:
            sentence = _first_sentence(activity, heading_word)
            if sentence:
                day = markup.short_date(activity.date, self.settings.locale)
                lines.append(f"- *{markup.text(activity.title)}* ({day}): {sentence}")
            if len(lines) == _EXAMPLES:
                break
        return "\n".join(lines)


def _first_sentence(activity: Activity, heading_word: str) -> str:
    for heading, body in markup.split_sections(activity.body)[1].items():
        if heading_word in heading.lower():
            text = " ".join(body.split())
            match = re.match(r"(.{40,}?[.!?])(\s|$)", text)
            return (match.group(1) if match else text)[:400]
    return ""
