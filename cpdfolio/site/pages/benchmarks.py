"""Benchmarking: levels over time against targets, and each benchmark's page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...audit.benchmarking import benchmarking as levels_over_time
from ...records import markup
from ...records.markup import link, text
from ...records.model import (
    Benchmark,
)
from .. import charts
from .fragments import competence_anchor, escape, level_cell
from .page import BENCHMARKING, COMPETENCES

if TYPE_CHECKING:
    from .site import Site


def benchmarking(site: Site) -> str:
    """Each competence's level at each benchmark against its target, as a chart and a table."""
    found = levels_over_time(site.portfolio, site.framework, site.competence_keys)
    dates = [site.short_date(day) for day in found.dates]
    scale = found.scale
    parts = ["<h1>Benchmarking</h1>"]
    parts.append(
        f"{markup.count(len(found.benchmarks), 'self-assessment', 'self-assessments')} "
        f"of competences on a scale from {scale[0].level} ({text(scale[0].name)}) to "
        f"{scale[-1].level} ({text(scale[-1].name)}), from "
        f"{site.long_date(found.dates[0])} to {site.long_date(found.dates[-1])}."
    )
    chart = charts.level_chart(
        [(row.key, list(row.levels), row.target) for row in found.rows],
        dates,
        [(level.level, level.name) for level in scale],
        "Competence levels at each benchmark, and targets",
    )
    parts.append(
        site.unsearched(
            f'<figure class="cpd-benchmark-chart">{chart}<figcaption>Levels at each '
            f"benchmark (dots, joined oldest to newest) and targets (diamonds); the "
            f"table below gives the same values.</figcaption></figure>"
        )
    )
    rows = []
    for row in found.rows:
        title = row.competence.title if row.competence else ""
        rows.append(
            [
                site.a(row.key, BENCHMARKING, COMPETENCES, competence_anchor(row.key)),
                escape(title),
                *(level_cell(level, found) for level in row.levels),
                level_cell(row.target, found),
                f'<span class="cpd-gap">{row.gap}</span>' if row.gap else "",
            ]
        )
    headings = ["Code", "Competence", *dates, "Target", "Gap"]
    parts.append(site.unsearched(markup.html_table(headings, rows, "cpd-benchmarking")))
    parts.append("## Gaps")
    if not found.gaps:
        parts.append("Every competence with a target has reached it.")
    gaps = []
    for row in found.gaps:
        name = f"{row.key} {row.competence.title}" if row.competence else row.key
        line = (
            f"**{text(name)}**: at {row.latest} ({text(found.level_name(row.latest))}), "
            f"target {row.target} ({text(found.level_name(row.target))})."
        )
        if row.goals:
            line += " Served by " + ", ".join(
                link(goal.title, BENCHMARKING, goal.path) for goal in row.goals
            )
            line += "."
        else:
            line += f" No goal serves it yet: add `competences: [{row.key}]` to one."
        gaps.append(f"- {line}")
    if gaps:
        parts.append("\n".join(gaps))
    parts.append("## The scale")
    parts.append(
        site.unsearched(
            markup.html_table(
                ["Level", "Name", "Meaning"],
                [[str(lv.level), escape(lv.name), escape(lv.description)] for lv in scale],
                "cpd-scale",
            )
        )
    )
    parts.append("## Benchmarks")
    for benchmark in reversed(found.benchmarks):
        parts.append(
            f"- {link(benchmark.title, BENCHMARKING, benchmark.path)}, "
            f"{site.long_date(benchmark.date)}: "
            f"{markup.count(len(benchmark.levels), 'competence', 'competences')} assessed"
        )
    return "\n\n".join(parts) + "\n"


def benchmark(site: Site, benchmark: Benchmark) -> str:
    """One benchmark: its levels and targets, then the member's commentary."""
    targets = dict(benchmark.targets)
    scale = site.framework.levels
    rows = []
    for code, level in benchmark.levels:
        competence = site.framework.competence(code)
        name = next((lv.name for lv in scale if lv.level == level), "")
        target = targets.get(code)
        rows.append(
            [
                site.a(
                    code,
                    benchmark.path,
                    COMPETENCES,
                    competence_anchor(site.competence_keys(code)[0]),
                ),
                escape(competence.title) if competence else "",
                f"{level} {escape(name)}",
                str(target) if target is not None else "",
            ]
        )
    parts = [
        site.raw(f"<h1>{escape(benchmark.title)}</h1>"),
        *site.private_banner(benchmark),
        f'<p class="cpd-period">{site.long_date(benchmark.date)} · '
        f"{link('all benchmarks', benchmark.path, BENCHMARKING)}</p>",
        site.unsearched(
            markup.html_table(["Code", "Competence", "Level", "Target"], rows, "cpd-benchmarking")
        ),
        benchmark.body.strip(),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"
