"""Warnings about records that load but are not ready to be seen by an assessor.

A record can be valid and still wrong: the starter text of `cpdfolio new` left
in it, a heading with nothing under it, a date in the future or one that its
file name contradicts, a goal set after the activities that serve it. None of
these stops a build; `check` names each, with its line, so the member can mend
it before an assessor reads the printout.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import PurePosixPath

from .markup import count
from .model import Activity, Goal, Portfolio, Problem, Severity, Swot

# A file named like 2025-03-14-ipem-meeting.md carries its date.
_NAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:\b|_|-)")
_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*#*\s*$")
# A sentence of the starter text is recognised by its words, however it is wrapped.
_SENTENCE_END = re.compile(r"(?<=[.:;!?])\s+")
_MIN_STARTER_SENTENCE = 40
# Lines of a key's value: {path: {key: line}}, from the loader.
KeyLines = Mapping[str, Mapping[str, int]]


def review(portfolio: Portfolio, key_lines: KeyLines, today: datetime.date) -> list[Problem]:
    """Every warning of this module for the records of a portfolio, in file order."""
    problems: list[Problem] = []
    for record in (*portfolio.activities, *portfolio.goals, *portfolio.swots):
        lines = key_lines.get(record.path, {})
        problems.extend(starter_text(record.path, record.body, record.body_line))
        problems.extend(future_dates(record, lines, today))
        if isinstance(record, Activity):
            problems.extend(empty_headings(record))
            problems.extend(name_date(record, lines))
    problems.extend(goals_set_late(portfolio, key_lines))
    return sorted(problems, key=lambda p: (p.path, p.line or 0))


def starter_text(path: str, body: str, body_line: int) -> list[Problem]:
    """The starter text of `cpdfolio new`, still in a page the member has made their own."""
    flat = " ".join(body.split())
    for sentence in _starter_sentences():
        if sentence in flat:
            shown = sentence if len(sentence) <= 60 else sentence[:57].rstrip() + "…"
            return [
                _warning(
                    path,
                    _line_of(body, sentence, body_line),
                    None,
                    f"still has the starter text of 'cpdfolio new' ('{shown}'); replace it "
                    f"with your own words, or delete the file if it was only a sample",
                )
            ]
    return []


def empty_headings(activity: Activity) -> list[Problem]:
    """Reflection headings with nothing under them: an assessor reads them as a gap."""
    problems = []
    lines = activity.body.split("\n")
    headings = [
        (number, match)
        for number, text in enumerate(lines)
        if (match := _HEADING.match(text)) and not _in_code(lines, number)
    ]
    for place, (number, match) in enumerate(headings):
        following = headings[place + 1][0] if place + 1 < len(headings) else len(lines)
        # A deeper heading below belongs to this one: its text counts.
        if place + 1 < len(headings) and len(headings[place + 1][1][1]) > len(match[1]):
            continue
        if not "".join(lines[number + 1 : following]).strip():
            problems.append(
                _warning(
                    activity.path,
                    activity.body_line + number,
                    None,
                    f"heading '{match[1]} {match[2]}' has nothing under it; write under it, "
                    f"or delete the heading",
                )
            )
    return problems


def future_dates(
    record: Activity | Goal | Swot, lines: Mapping[str, int], today: datetime.date
) -> list[Problem]:
    """A day that has not come yet, where only a past day makes sense."""
    if isinstance(record, Goal):
        days = {"created": record.created, "achieved": record.achieved}
    else:
        days = {"date": record.date}
    return [
        _warning(
            record.path,
            lines.get(key),
            key,
            f"{key} {day.isoformat()} is in the future (today is {today.isoformat()}); "
            f"is the year right?",
        )
        for key, day in days.items()
        if day is not None and day > today
    ]


def name_date(activity: Activity, lines: Mapping[str, int]) -> list[Problem]:
    """A file named for one day whose `date:` says another: one of them is a typo."""
    match = _NAME_DATE.match(PurePosixPath(activity.path).name)
    if not match:
        return []
    try:
        named = datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return []
    if named == activity.date:
        return []
    return [
        _warning(
            activity.path,
            lines.get("date"),
            "date",
            f"date {activity.date.isoformat()} differs from the file name's "
            f"{named.isoformat()}; correct the one that is wrong",
        )
    ]


def goals_set_late(portfolio: Portfolio, key_lines: KeyLines) -> list[Problem]:
    """A goal whose `created` day comes after activities that serve it.

    Usually the goal was added later and got the day it was written; an assessor
    reads it as planning done after the fact.
    """
    problems = []
    for goal in portfolio.goals:
        if goal.created is None:
            continue
        earlier = [a for a in portfolio.activities_serving(goal) if a.date < goal.created]
        if not earlier:
            continue
        first = min(a.date for a in earlier)
        problems.append(
            _warning(
                goal.path,
                key_lines.get(goal.path, {}).get("created"),
                "created",
                f"created {goal.created.isoformat()} is after "
                f"{count(len(earlier), 'activity that serves', 'activities that serve')} this "
                f"goal (the first on {first.isoformat()}); set created to the day you set the "
                f"goal",
            )
        )
    return problems


@functools.cache
def _starter_sentences() -> tuple[str, ...]:
    """The sentences of prose in the templates of `cpdfolio new`, each on one line."""
    sentences: list[str] = []
    for name in ("index.md", "activity.md", "goal.md"):
        text = (resources.files("cpdfolio") / "templates" / name).read_text("utf-8")
        # Only the prose: what the template fills in is no sentence of the member's file.
        text = (
            re.sub(r"\{\{.*?\}\}", "\0", text, flags=re.S).replace("{%", "\0").replace("%}", "\0")
        )
        for part in re.split(r'\n\s*\n|"', text):
            flat = " ".join(part.split())
            for sentence in _SENTENCE_END.split(flat):
                if len(sentence) >= _MIN_STARTER_SENTENCE and "\0" not in sentence:
                    sentences.append(sentence)
    return tuple(dict.fromkeys(sentences))


def _line_of(body: str, sentence: str, body_line: int) -> int:
    """The line of the body where a sentence starts (its first words, however wrapped)."""
    opening = " ".join(sentence.split()[:3])
    for number, line in enumerate(body.split("\n")):
        if opening in " ".join(line.split()):
            return body_line + number
    return body_line


def _in_code(lines: list[str], number: int) -> bool:
    """Whether a line is inside a fenced code block (a '## ' there is no heading)."""
    fences = sum(1 for line in lines[:number] if line.lstrip().startswith(("```", "~~~")))
    return fences % 2 == 1


def _warning(path: str, line: int | None, key: str | None, message: str) -> Problem:
    return Problem(path, line, key, message, Severity.WARNING)
