"""A member backs up every record, SWOTs and benchmarks too, and checks them in an editor."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import EXAMPLE, REPO
from test_exchange import cpdfolio

from cpdfolio.exchange import ACTIVITY_COLUMNS
from cpdfolio.frameworks import load_framework
from cpdfolio.records.loader import load

PRIVATE_SWOT = """\
---
kind: swot
title: SWOT before the band 8a interview
date: 2026-06-10
share: false
---

=HYPERLINK("https://example.org","notes") is how my QA log links its sources; PRIVATECANARY.

## Strengths

- The MR-Linac commissioning, which I led day to day.

## Weaknesses

- I have still not held a budget of my own.

## Opportunities

- The head of section retires next spring.

## Threats

- An outside candidate with a management qualification.
"""

PRIVATE_BENCHMARK = """\
---
kind: benchmark
title: Mid-year check before the interview
date: 2026-07-01
share: false
levels: {C2: 2, C3: 4}
targets: {C2: 4}
---

Only the two competences the interview panel will press on. PRIVATECANARY
"""


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The repository's example portfolio, with a private SWOT and a private benchmark added."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root / "example_portfolio")
    shutil.copytree(REPO / "built-by-cpdfolio", root / "built-by-cpdfolio")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    records = root / "example_portfolio"
    (records / "swot-2026-interview.md").write_text(PRIVATE_SWOT, "utf-8")
    (records / "benchmarks" / "2026-07-interview.md").write_text(PRIVATE_BENCHMARK, "utf-8")
    return root


def written(path: Path) -> tuple[dict, str]:
    """A record file as its member wrote it: front matter as an editor reads it, and body."""
    _, front, body = path.read_text("utf-8").split("---\n", 2)
    keys = yaml.safe_load(front)
    # An editor's YAML keeps 2025-03-14 as text, as the JSON Schema expects.
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in keys.items()}, (
        body.strip()
    )


def records_of(root: Path, kind: str) -> dict[str, tuple[dict, str]]:
    """Every record of a kind in the portfolio, by its path from the portfolio root."""
    records = root / "example_portfolio"
    found = {}
    for path in sorted(records.rglob("*.md")):
        keys, body = written(path) if path.read_text("utf-8").startswith("---\n") else ({}, "")
        if keys.get("kind") == kind:
            found[path.relative_to(records).as_posix()] = (keys, body)
    return found


def test_the_json_backup_keeps_every_swot_and_benchmark_with_its_words(example: Path):
    result = cpdfolio("export", example, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    backup = json.loads(result.stdout)
    # Adding arrays renames and removes nothing, so the format keeps its version.
    assert backup["format"] == "cpdfolio-export" and backup["version"] == 1

    swots = records_of(example, "swot")
    assert len(swots) == 2
    assert {s["file"]: s for s in backup["swots"]}.keys() == swots.keys()
    for swot in backup["swots"]:
        keys, body = swots[swot["file"]]
        assert list(swot) == ["title", "date", "share", "text", "file"]
        assert swot["title"] == keys["title"] and swot["date"] == keys["date"]
        assert swot["text"] == body
        assert swot["share"] is keys.get("share", True)
    example_swot = next(s for s in backup["swots"] if s["file"] == "swot.md")
    assert "## Threats\n\n- Two vacant clinical scientist posts" in example_swot["text"]

    benchmarks = records_of(example, "benchmark")
    assert len(benchmarks) == 3
    # In date order: the spring 2025 and spring 2026 benchmarks, then the private check.
    assert [b["file"] for b in backup["benchmarks"]] == [
        "benchmarks/2025-03-benchmark.md",
        "benchmarks/2026-03-benchmark.md",
        "benchmarks/2026-07-interview.md",
    ]
    for benchmark in backup["benchmarks"]:
        keys, body = benchmarks[benchmark["file"]]
        assert list(benchmark) == ["title", "date", "levels", "targets", "share", "text", "file"]
        assert benchmark["title"] == keys["title"] and benchmark["date"] == keys["date"]
        # Every level and target, in the order the member wrote them.
        assert list(benchmark["levels"].items()) == list(keys["levels"].items())
        assert list(benchmark["targets"].items()) == list(keys.get("targets", {}).items())
        assert benchmark["text"] == body
    spring_2025, spring_2026, _ = backup["benchmarks"]
    assert spring_2025["levels"]["C2"] == 1 and spring_2026["levels"]["C2"] == 2
    assert spring_2026["targets"] == {"C2": 3, "C3": 4, "D3": 4, "E3": 3, "E5": 4}

    # It is the owner's backup: the private SWOT and benchmark are in it, marked private.
    private = [r for r in (*backup["swots"], *backup["benchmarks"]) if not r["share"]]
    assert sorted(r["file"] for r in private) == [
        "benchmarks/2026-07-interview.md",
        "swot-2026-interview.md",
    ]
    assert all("PRIVATECANARY" in r["text"] for r in private)


def test_the_readme_documents_the_json_backup_as_it_is(example: Path):
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("### `cpdfolio export`", 1)[1].split("\n### ", 1)[0]
    documented = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    backup = json.loads(cpdfolio("export", example, "--format", "json").stdout)
    assert list(backup) == list(documented)
    for kind in ("swots", "benchmarks"):
        assert list(backup[kind][0]) == list(documented[kind][0])
    assert documented["benchmarks"][0]["levels"] and documented["benchmarks"][0]["targets"]


def test_the_xlsx_backup_has_the_swots_and_a_row_for_each_benchmarked_competence(
    example: Path, tmp_path: Path
):
    target = tmp_path / "backup.xlsx"
    result = cpdfolio("export", example, "--format", "xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Exported 31 activities, 7 goals, 2 SWOTs and 3 benchmarks to {target}\n"
    )
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["activities", "goals", "swots", "benchmarks"]

    swots = records_of(example, "swot")
    sheet = list(workbook["swots"].iter_rows(values_only=True))
    assert sheet[0] == ("title", "date", "share", "text", "file")
    by_file = {row[4]: row for row in sheet[1:]}
    assert by_file.keys() == swots.keys()
    for file, (keys, body) in swots.items():
        title, day, share, text, _ = by_file[file]
        assert (title, day.date().isoformat(), share, text) == (
            keys["title"],
            keys["date"],
            keys.get("share", True),
            body,
        )

    # A SWOT whose text starts like a formula is a text cell, never a formula to run.
    private = next(
        row for row in workbook["swots"].iter_rows(min_row=2) if row[4].value.startswith("swot-")
    )
    assert private[3].value.startswith('=HYPERLINK("https://example.org"')
    assert private[3].data_type == "s"

    benchmarks = records_of(example, "benchmark")
    sheet = list(workbook["benchmarks"].iter_rows(values_only=True))
    columns = ("title", "date", "competence", "level", "target", "share", "text", "file")
    assert sheet[0] == columns
    rows = [dict(zip(columns, row, strict=True)) for row in sheet[1:]]
    assert {row["file"] for row in rows} == benchmarks.keys()
    for file, (keys, body) in benchmarks.items():
        own = [row for row in rows if row["file"] == file]
        codes = list(dict.fromkeys([*keys["levels"], *keys.get("targets", {})]))
        assert [row["competence"] for row in own] == codes
        for row in own:
            assert row["level"] == keys["levels"].get(row["competence"])
            assert row["target"] == keys.get("targets", {}).get(row["competence"])
            assert row["title"] == keys["title"]
            assert row["date"].date().isoformat() == keys["date"]
            assert row["share"] is keys.get("share", True)
        # The commentary once, on the benchmark's first row.
        assert [row["text"] for row in own] == [body] + [None] * (len(own) - 1)
    # What a member filtering on C2 sees: the budget competence moving year on year.
    c2 = [(r["date"].year, r["level"], r["target"]) for r in rows if r["competence"] == "C2"]
    assert c2 == [(2025, 1, 3), (2026, 2, 3), (2026, 2, 4)]


def test_a_csv_export_says_on_stderr_which_records_it_leaves_out(example: Path, portfolio):
    result = cpdfolio("export", example, "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.reader(io.StringIO(result.stdout, newline="")))
    assert table[0] == list(ACTIVITY_COLUMNS) and len(table) == 1 + 31
    assert result.stderr == (
        "The CSV holds activities only, so it leaves out 7 goals, 2 SWOTs and 3 benchmarks; "
        "--format json or xlsx backs up every record.\n"
    )

    written_to = example / "cpd.csv"
    to_file = cpdfolio("export", example, "--format", "csv", "-o", written_to)
    assert to_file.stdout == f"Exported 31 activities to {written_to}\n"
    assert "leaves out 7 goals, 2 SWOTs and 3 benchmarks" in to_file.stderr

    # A log of activities alone loses nothing in a CSV, and is told nothing.
    portfolio.activity("2025-03-14-meeting", "title: A meeting\ndate: 2025-03-14\ncategory: other")
    alone = cpdfolio("export", portfolio.root, "--format", "csv")
    assert alone.exit_code == 0 and alone.stderr == ""


# -- cpdfolio schema ---------------------------------------------------------------------


def violations(schema: dict, value: object, where: str = "") -> list[str]:
    """What in `value` breaks `schema`, for the keywords cpdfolio's schemas use.

    jsonschema is not a dependency of cpdfolio, so the test reads the few keywords itself.
    """
    found: list[str] = []
    kinds = {
        "object": dict,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "array": list,
    }
    if "anyOf" in schema and all(violations(s, value, where) for s in schema["anyOf"]):
        found.append(f"{where}: matches none of anyOf")
    wanted = schema.get("type")
    if wanted:
        is_bool = isinstance(value, bool)
        if not isinstance(value, kinds[wanted]) or (is_bool and wanted != "boolean"):
            return [f"{where}: {value!r} is not {wanted}"]
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{where}: {value!r} not in enum")
    if "minimum" in schema and value < schema["minimum"]:
        found.append(f"{where}: {value!r} below minimum")
    if schema.get("format") == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        found.append(f"{where}: {value!r} is not a date")
    if isinstance(value, dict):
        missing = [key for key in schema.get("required", ()) if key not in value]
        found += [f"{where}: {key} required" for key in missing]
        for key, item in value.items():
            if "propertyNames" in schema:
                found += violations(schema["propertyNames"], key, f"{where}/{key} (name)")
            if key in schema.get("properties", {}):
                found += violations(schema["properties"][key], item, f"{where}/{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}/{key}: not allowed")
            elif isinstance(schema.get("additionalProperties"), dict):
                found += violations(schema["additionalProperties"], item, f"{where}/{key}")
    if isinstance(value, list) and "items" in schema:
        for position, item in enumerate(value):
            found += violations(schema["items"], item, f"{where}/{position}")
    return found


def schema_of(*args: str) -> dict:
    result = cpdfolio("schema", *args)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return document


def test_swot_and_benchmark_schemas_accept_the_examples_records(example: Path):
    swots, benchmarks = records_of(example, "swot"), records_of(example, "benchmark")
    for framework in ((), ("--framework", "uk-spec")):
        swot = schema_of("--kind", "swot", *framework)
        benchmark = schema_of("--kind", "benchmark", *framework)
        assert swot["required"] == ["kind", "date"]
        assert benchmark["required"] == ["kind", "date", "levels"]
        for keys, _ in (*swots.values(), *benchmarks.values()):
            own = swot if keys["kind"] == "swot" else benchmark
            other = benchmark if own is swot else swot
            assert violations(own, keys) == []
            assert violations(other, keys) != []
    # The default output is what it was, an activity or a goal, with every kind in $defs.
    default = schema_of()
    assert default["anyOf"] == [{"$ref": "#/$defs/activity"}, {"$ref": "#/$defs/goal"}]
    assert list(default["$defs"]) == ["activity", "goal", "swot", "benchmark"]
    assert default["$defs"]["benchmark"] == {
        k: v for k, v in schema_of("--kind", "benchmark").items() if k not in ("$schema", "title")
    } | {"title": "cpdfolio benchmark"}


@pytest.mark.parametrize(
    ("levels", "framework", "wrong"),
    [
        ("{A1: high}", (), "/levels/A1: 'high' is not integer"),
        ("{A1: high}", ("--framework", "uk-spec"), "/levels/A1: 'high' is not integer"),
        ("{A1: 7}", ("--framework", "uk-spec"), "/levels/A1: 7 not in enum"),
        ("{Z9: 3}", ("--framework", "uk-spec"), "/levels/Z9 (name): 'Z9' not in enum"),
    ],
)
def test_the_benchmark_schema_refuses_what_the_checks_refuse(
    example: Path, levels: str, framework: tuple[str, ...], wrong: str
):
    path = example / "example_portfolio" / "benchmarks" / "2027-03.md"
    path.write_text(f"---\nkind: benchmark\ndate: 2026-11-01\nlevels: {levels}\n---\n", "utf-8")
    keys, _ = written(path)
    assert violations(schema_of("--kind", "benchmark", *framework), keys) == [wrong]
    # The example portfolio is on uk-spec: its checks refuse the same benchmark.
    problems = load(example / "example_portfolio", load_framework("uk-spec")).errors
    assert [p.path for p in problems] == ["benchmarks/2027-03.md"]


def test_schema_kind_must_be_a_kind_of_record():
    result = cpdfolio("schema", "--kind", "reflection")
    assert result.exit_code == 2
    assert "'reflection' is not one of 'activity', 'goal', 'swot', 'benchmark'" in result.output
