"""Benchmarking: how each competence's self-assessed level moved, against its target.

A benchmark record rates competences on the framework's scale on one day;
several over the years show the movement. This module turns them into one row
per competence for the site's Benchmarking page and the printout alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from ..frameworks import Competence, Framework, Level
from ..records.model import Benchmark, Goal, Portfolio


@dataclass(frozen=True)
class Progress:
    """One competence across the benchmarks: its level at each, its target, its goals."""

    key: str
    competence: Competence | None
    # The level at each benchmark, in date order; None where that one did not rate it.
    levels: tuple[int | None, ...]
    target: int | None
    goals: tuple[Goal, ...]

    @property
    def latest(self) -> int | None:
        return next((level for level in reversed(self.levels) if level is not None), None)

    @property
    def gap(self) -> int:
        """How many levels the latest assessment stands below the target (0: none)."""
        if self.target is None or self.latest is None:
            return 0
        return max(self.target - self.latest, 0)


@dataclass(frozen=True)
class Benchmarking:
    benchmarks: tuple[Benchmark, ...]
    scale: tuple[Level, ...]
    rows: tuple[Progress, ...]

    @property
    def dates(self) -> tuple[datetime.date, ...]:
        return tuple(b.date for b in self.benchmarks)

    @property
    def gaps(self) -> tuple[Progress, ...]:
        return tuple(row for row in self.rows if row.gap)

    def level_name(self, value: int | None) -> str:
        return next((level.name for level in self.scale if level.level == value), "")


def benchmarking(
    portfolio: Portfolio, framework: Framework, keys: Callable[[str], list[str]] | None = None
) -> Benchmarking:
    """Every competence any benchmark rates or aims at, in the framework's order.

    `keys` names the competences a code as written counts for (the site's
    `competence_keys`); the first is the row it goes in. Without it, a code is
    its own row.
    """
    keys = keys or (lambda code: [code])
    benchmarks = portfolio.benchmarks  # in date order
    levels: dict[str, dict[int, int]] = {}
    targets: dict[str, int] = {}
    for position, benchmark in enumerate(benchmarks):
        for code, level in benchmark.levels:
            levels.setdefault(keys(code)[0], {})[position] = level
        for code, level in benchmark.targets:
            targets[keys(code)[0]] = level  # the latest target set wins
    order = {key: n for n, c in enumerate(framework.competences) for key in keys(written(c))}
    rated = sorted(set(levels) | set(targets), key=lambda k: (order.get(k, len(order)), k))
    rows = []
    for key in rated:
        goals = tuple(
            goal for goal in portfolio.goals if any(key in keys(code) for code in goal.competences)
        )
        rows.append(
            Progress(
                key=key,
                competence=framework.competence(key),
                levels=tuple(levels.get(key, {}).get(n) for n in range(len(benchmarks))),
                target=targets.get(key),
                goals=goals,
            )
        )
    return Benchmarking(benchmarks, framework.levels, tuple(rows))


def competence_keys(bodies: tuple[Framework, ...], code: str) -> list[str]:
    """The competences a code as written counts for, named as the site and printout name them.

    With several bodies, a code two of them share is the first's as `A1` and
    another's as `engtech:A1`; written bare, it counts for each body that has it.
    """
    keys = []
    for body in bodies:
        competence = body.competence(code)
        if competence is None:
            continue
        first = next(b for b in bodies if any(c.code == competence.code for c in b.competences))
        keys.append(competence.code if first is body else f"{body.name}:{competence.code}")
    return keys or [code]


def written(competence: Competence) -> str:
    """A competence's code as a record names it for its own body alone."""
    return f"{competence.body}:{competence.code}" if competence.body else competence.code
