"""The portfolio as data: records, goals and the problems found reading them.

Nothing here reads files or knows MkDocs; the loader builds these objects and
every output (site pages, printout, checks) reads them.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .markup import DEFAULT_LOCALE, long_date

GOAL_STATUSES = ("planned", "in-progress", "achieved", "dropped")
# How a status and the SWOT's sections are named on the site and in the printout.
STATUS_NAMES = {
    "planned": "Planned",
    "in-progress": "In progress",
    "achieved": "Achieved",
    "dropped": "Dropped",
}
SWOT_HEADINGS = ("Strengths", "Weaknesses", "Opportunities", "Threats")


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Something wrong with a record, located so that a member can fix it."""

    path: str
    line: int | None
    key: str | None
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Evidence:
    """A file in the portfolio (path relative to its root) or an https link."""

    target: str
    is_link: bool = False

    @property
    def name(self) -> str:
        return self.target if self.is_link else self.target.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Record:
    """What every kind of record shares: where it lives and whether it is shared."""

    id: str
    path: str
    title: str
    body: str = ""
    share: bool = True
    tags: tuple[str, ...] = ()
    # The file's line where the body starts, to point at a line inside the reflection.
    body_line: int = 1


@dataclass(frozen=True)
class Activity(Record):
    date: datetime.date = datetime.date.min
    end: datetime.date | None = None
    category: str = ""
    type: str | None = None
    hours: float | None = None
    goals: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    provider: str | None = None
    location: str | None = None

    @property
    def last_day(self) -> datetime.date:
        return self.end or self.date


@dataclass(frozen=True)
class Goal(Record):
    status: str = "planned"
    created: datetime.date | None = None
    target: datetime.date | None = None
    achieved: datetime.date | None = None
    competences: tuple[str, ...] = ()


@dataclass(frozen=True)
class Swot(Record):
    date: datetime.date | None = None


@dataclass(frozen=True)
class Benchmark(Record):
    """A self-assessment of competences on the framework's scale, on one day."""

    date: datetime.date = datetime.date.min
    # (competence code as written, level), in the order the member wrote them.
    levels: tuple[tuple[str, int], ...] = ()
    targets: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Period:
    """The days an audit looks at; open ends stand for 'from the start' / 'to today'."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def covers(self, activity: Activity) -> bool:
        """True when any day of the activity falls inside the period."""
        if self.end is not None and activity.date > self.end:
            return False
        return self.start is None or activity.last_day >= self.start

    @property
    def is_everything(self) -> bool:
        return self.start is None and self.end is None

    def describe(self, locale: str = DEFAULT_LOCALE) -> str:
        """'1 January 2025 to 31 December 2025', its dates written as `locale` writes them."""
        if self.is_everything:
            return "all records"
        start = long_date(self.start, locale) if self.start else "the first record"
        end = long_date(self.end, locale) if self.end else "today"
        return f"{start} to {end}"


@dataclass(frozen=True)
class Portfolio:
    """Every record of one member, activities in date order."""

    activities: tuple[Activity, ...] = ()
    goals: tuple[Goal, ...] = ()
    swots: tuple[Swot, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    # The folder the records were read from, for outputs that copy evidence.
    root: str | None = None
    # The member's own pages, as Markdown without front matter: the summary of
    # practice (index.md) and the written profile (profile.md); None when absent.
    summary: str | None = None
    profile: str | None = None
    _goals_by_id: dict[str, Goal] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.activities, key=lambda a: (a.date, a.path)))
        object.__setattr__(self, "activities", ordered)
        dated = tuple(sorted(self.benchmarks, key=lambda b: (b.date, b.path)))
        object.__setattr__(self, "benchmarks", dated)
        object.__setattr__(self, "_goals_by_id", {goal.id: goal for goal in self.goals})

    @property
    def records(self) -> Iterable[Record]:
        yield from self.activities
        yield from self.goals
        yield from self.swots
        yield from self.benchmarks

    def shared(self) -> Portfolio:
        """The portfolio as an assessor may see it: private records removed."""
        return replace(
            self,
            activities=tuple(a for a in self.activities if a.share),
            goals=tuple(g for g in self.goals if g.share),
            swots=tuple(s for s in self.swots if s.share),
            benchmarks=tuple(b for b in self.benchmarks if b.share),
        )

    def goal(self, goal_id: str) -> Goal | None:
        return self._goals_by_id.get(goal_id)

    def activities_serving(self, goal: Goal) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if goal.id in a.goals)

    def activities_in(self, period: Period) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if period.covers(a))

    def years(self) -> list[int]:
        """Years with at least one activity, newest first."""
        return sorted({a.date.year for a in self.activities}, reverse=True)
