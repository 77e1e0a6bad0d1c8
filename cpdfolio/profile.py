"""A written profile drafted from the audit checks: how the standards are met.

HCPC asks a sampled registrant for a written profile explaining how their CPD
meets its five standards; other bodies ask much the same. cpdfolio drafts one
from the checks and the records, for the member to rewrite in their own words
as `profile.md`, which then replaces the draft in the printout.
"""

from __future__ import annotations

import re

from . import markup
from .audit import CheckResult
from .loader import read_page
from .model import Activity, Portfolio
from .settings import Settings

PROFILE = "profile.md"
_EXAMPLES = 3


def profile_for_print(
    root: str, portfolio: Portfolio, settings: Settings, checks: list[CheckResult]
) -> tuple[str, bool]:
    """The member's profile.md when there is one, else the draft; and whether it is a draft."""
    page = read_page(root, PROFILE)
    if page is not None and page[1]:
        return page[1], False
    draft = draft_profile(portfolio, settings, checks)
    return draft.split("-->", 1)[1].strip(), True


def draft_profile(portfolio: Portfolio, settings: Settings, checks: list[CheckResult]) -> str:
    """Markdown with front matter, ready to save as profile.md and edit."""
    shared = portfolio.shared()
    activities = shared.activities_in(settings.period)
    framework = settings.framework
    lines = [
        "---",
        "title: Written profile",
        "---",
        "<!-- Drafted by cpdfolio from your records and its audit checks. Rewrite it in your",
        "     own words: it must be your own work. Once saved as profile.md, the printout",
        "     uses it in place of the draft. -->",
        "",
        f"This profile covers {settings.period.describe()}: {len(activities)} activities"
        + (f" by {markup.text(settings.owner)}" if settings.owner else "")
        + ".",
        "",
    ]
    sections = _sections(framework.standards, checks)
    for heading, concerned in sections:
        lines += [f"## {heading}", ""]
        if not concerned:
            lines += [
                "This profile, with the records it refers to, is my written account of how "
                "my CPD meets the standards.",
                "",
            ]
        for check in concerned:
            verdict = "Met" if check.passed else "Not yet met"
            lines += [f"**{verdict}: {check.title}.** {check.detail}", ""]
            lines += _examples(check, activities)
    return "\n".join(lines).rstrip() + "\n"


def _sections(standards: tuple[str, ...], checks: list[CheckResult]):
    """(heading, checks) per standard when the framework has them, else per check."""
    if not standards:
        return [(check.title, [check]) for check in checks]
    sections = []
    for number, text in enumerate(standards, start=1):
        concerned = [c for c in checks if re.search(rf"\b{number}\b", c.standard)]
        sections.append((f"Standard {number}: {text}", concerned))
    return sections


def _examples(check: CheckResult, activities: tuple[Activity, ...]) -> list[str]:
    """A few of the member's own words that show the standard met."""
    recent = list(reversed(activities))[:_EXAMPLES]
    if check.id == "benefit":
        picks = [(a, _first_sentence(markup.split_sections(a.body)[1], "benefit")) for a in recent]
    elif check.id == "reflection":
        picks = [(a, _first_sentence(markup.split_sections(a.body)[1], "learn")) for a in recent]
    else:
        return []
    lines = [
        f"- {markup.short_date(a.date)}, *{markup.text(a.title)}*: {sentence}"
        for a, sentence in picks
        if sentence
    ]
    return [*lines, ""] if lines else []


def _first_sentence(sections: dict[str, str], heading_word: str) -> str:
    for heading, body in sections.items():
        if heading_word in heading.lower():
            text = " ".join(body.split())
            match = re.match(r"(.+?[.!?])(\s|$)", text)
            return (match.group(1) if match else text)[:300]
    return ""
