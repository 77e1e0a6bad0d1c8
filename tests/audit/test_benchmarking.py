"""Benchmarking: a member rates each competence, a year apart, against a target.

IMechE's Career Developer gives an assessor the SWOT and the Benchmarking; the
site shows how each competence moved, and the printout carries it after the SWOT.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import Portfolio

FIRST = """\
---
kind: benchmark
date: 2025-03-12
levels: {A1: 3, A2: 2, C1: 1, E3: 2}
targets: {A1: 4, A2: 4, C1: 3, E3: 3}
---
My first benchmark against UK-SPEC, before the CEng application.
"""
SECOND = """\
---
kind: benchmark
title: Benchmark a year on
date: 2026-03-10
levels:
  A1: 4
  A2: 3
  C1: 2
  E3: 2
targets:
  C1: 4
---
Leading the audit moved C1; sustainability has not moved yet.
"""


@pytest.fixture
def benchmarked(small_portfolio: Portfolio) -> Portfolio:
    small_portfolio.config(extra="      framework: uk-spec\n      pdf: false\n")
    small_portfolio.goal(
        "lead-audit",
        "title: Lead the department's radiation safety audit\nstatus: in-progress\n"
        "competences: [C1, C2]",
    )
    small_portfolio.write("benchmarks/2025-03-benchmark.md", FIRST)
    small_portfolio.write("benchmarks/2026-03-benchmark.md", SECOND)
    return small_portfolio


def test_the_benchmarking_page_shows_each_dates_levels_and_the_targets(benchmarked: Portfolio):
    build = benchmarked.build()
    assert build.returncode == 0, build.output
    page = build.content("benchmarking/")
    intro = page.h1.find_next("p").get_text(" ", strip=True)
    assert intro.startswith("2 self-assessments of competences on a scale from 1 (Aware) to 5")
    table = page.select_one(".cpd-benchmarking table")
    headings = [th.get_text(" ", strip=True) for th in table.select("thead th")]
    assert headings == ["Code", "Competence", "12 Mar 2025", "10 Mar 2026", "Target", "Gap"]
    rows = {
        tr.select("td")[0].get_text(): [td.get_text(" ", strip=True) for td in tr.select("td")[2:]]
        for tr in table.select("tbody tr")
    }
    assert rows == {
        "A1": ["3 Practising", "4 Competent", "4 Competent", ""],
        "A2": ["2 Developing", "3 Practising", "4 Competent", "1"],
        # The later benchmark raised C1's target: the latest target counts.
        "C1": ["1 Aware", "2 Developing", "4 Competent", "2"],
        "E3": ["2 Developing", "2 Developing", "3 Practising", "1"],
    }
    # The chart is named, and each mark carries its value.
    chart = page.select_one("figure.cpd-benchmark-chart svg")
    assert chart["role"] == "img"
    assert chart.title.get_text() == "Competence levels at each benchmark, and targets"
    marks = {t.get_text() for t in chart.select("circle title, path title")}
    assert {"C1, 12 Mar 2025: level 1", "C1, 10 Mar 2026: level 2", "C1: target 4"} <= marks

    # Each gap names the goals that serve its competence, linked.
    gaps = page.find("h2", string="Gaps").find_next("ul")
    c1 = next(li for li in gaps.select("li") if li.get_text().startswith("C1"))
    assert "at 2 (Developing), target 4 (Competent)" in c1.get_text()
    link = c1.find("a", string="Lead the department's radiation safety audit")
    assert link["href"].endswith("goals/lead-audit/")
    a2 = next(li for li in gaps.select("li") if li.get_text().startswith("A2"))
    assert "No goal serves it yet: add competences: [A2] to one." in a2.get_text()

    # The benchmark's own page: its levels, then the member's commentary.
    record = build.content("benchmarks/2026-03-benchmark/")
    assert record.h1.get_text() == "Benchmark a year on"
    assert "Leading the audit moved C1" in record.get_text()


def test_the_printout_carries_the_benchmarking_after_the_swot(
    benchmarked: Portfolio, tmp_path: Path
):
    target = tmp_path / "with-benchmarks.pdf"
    result = benchmarked.cpdfolio("pdf", "--period", "all", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    body = text.split("Contents", 1)[1]
    # After the SWOT, before the evidence list, in the body and in the contents alike.
    swot, benchmarking, evidence = (
        body.rindex("My SWOT"),
        body.rindex("Benchmarking"),
        body.rindex("Evidence"),
    )
    assert swot < benchmarking < evidence
    section = body[benchmarking:evidence]
    assert "Served by Lead the department's radiation safety audit" in section
    assert "Leading the audit moved C1" in section
    # The table, row by row as laid out: code, title, each date's level, target, gap.
    layout = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    table = layout[layout.index("Code ") :]
    assert re.search(r"Code +Competence +12 Mar 2025 +10 Mar 2026 +Target +Gap", table)
    for code, title, numbers in [
        ("A1", "Have maintained and extended a", "3 +4 +4"),
        ("A2", "Are developing technological", "2 +3 +4 +1"),
        ("C1", "Plan the work and resources", "1 +2 +4 +2"),
        ("E3", "Understand the principles of", "2 +2 +3 +1"),
    ]:
        assert re.search(rf"\n +{code} +{title} +{numbers}\n", table), code


@pytest.mark.parametrize(
    "levels, line, message",
    [
        (
            "levels:\n  A1: 3\n  Z9: 2\n",
            6,
            "competence 'Z9' is not one of uk-spec's codes (A1, A2, B1",
        ),
        (
            "levels:\n  A1: 3\n  B2: 7\n",
            6,
            "B2: level 7 is off the scale, which runs from 1 to 5 "
            "(1 Aware, 2 Developing, 3 Practising, 4 Competent, 5 Leading)",
        ),
        ("levels: {A1: 3}\ntargets: {A1: 0}\n", 5, "A1: level 0 is off the scale"),
    ],
)
def test_an_unknown_code_or_a_level_off_the_scale_fails_with_file_and_line(
    benchmarked: Portfolio, levels: str, line: int, message: str
):
    benchmarked.write(
        "benchmarks/2026-03-benchmark.md", f"---\nkind: benchmark\ndate: 2026-03-10\n{levels}---\n"
    )
    result = benchmarked.cpdfolio("check", "--format", "json")
    assert result.returncode == 1
    [error] = json.loads(result.stdout)["errors"]
    assert error["file"].endswith("my-cpd/portfolio/benchmarks/2026-03-benchmark.md")
    assert error["line"] == line
    assert message in error["message"]

    text = benchmarked.cpdfolio("check")
    assert f"/portfolio/benchmarks/2026-03-benchmark.md:{line}: error: {message}" in text.stdout


def test_a_private_benchmark_appears_nowhere(benchmarked: Portfolio, tmp_path: Path):
    benchmarked.config(extra="      framework: uk-spec\n")  # with the printout
    benchmarked.write(
        "benchmarks/2025-09-private.md",
        "---\nkind: benchmark\ntitle: PRIVATECANARY self-doubt\ndate: 2025-09-01\n"
        "share: false\nlevels: {B2: 1}\n---\nPRIVATECANARY notes.\n",
    )
    build = benchmarked.build()
    assert build.returncode == 0, build.output
    assert "PRIVATECANARY" not in build.all_text()
    codes = [td.get_text() for td in build.content("benchmarking/").select("tbody td:first-child")]
    assert "B2" not in codes
    assert (
        "PRIVATECANARY"
        not in subprocess.run(
            ["pdftotext", str(build.site / "cpd-portfolio.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
