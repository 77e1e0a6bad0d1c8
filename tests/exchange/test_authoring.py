"""A newcomer starts a portfolio and adds records without editing a file by hand."""

from __future__ import annotations

import hashlib
import logging
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import mkdocs_build

from cpdfolio.cli import main
from cpdfolio.frameworks import BUILT_IN
from cpdfolio.records.loader import load


def cpdfolio(*args: object, env: dict[str, str] | None = None) -> Result:
    """The real command, run in-process."""
    handlers = list(logging.getLogger("mkdocs").handlers)
    try:
        return CliRunner().invoke(main, [str(a) for a in args], env=env, catch_exceptions=False)
    finally:
        # Each run adds its log handler on a stream that closes with the run.
        logging.getLogger("mkdocs").handlers[:] = handlers


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command, as a member types it in a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


@dataclass
class Started:
    """A portfolio made by `cpdfolio new`: the folder of mkdocs.yml, and its docs folder."""

    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "portfolio"

    def fingerprint(self) -> dict[str, str]:
        return {
            str(p.relative_to(self.root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
        }


def started(tmp_path: Path, *options: str) -> Started:
    root = tmp_path / "my-cpd"
    result = cpdfolio("new", root, *options)
    assert result.exit_code == 0, result.output
    return Started(root)


# What check says of a portfolio fresh from `cpdfolio new` and `add`: nothing wrong, only
# the reminders to write over the starter text and under the empty headings.
REMINDERS = ("still has the starter text of 'cpdfolio new'", "has nothing under it")


def only_reminders(output: str) -> list[str]:
    """The warning lines of a check's output, each one of the REMINDERS."""
    warnings = [line for line in output.splitlines() if ": warning: " in line]
    assert all(any(r in line for r in REMINDERS) for line in warnings), output
    return warnings


def test_a_newcomer_goes_from_nothing_to_a_built_portfolio(tmp_path: Path):
    made = run("new", "my-cpd", "--owner", "Dr Jo Bloggs", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "my-cpd/mkdocs.yml" in made.stdout
    root = tmp_path / "my-cpd"

    # The goal was set in January, before the activities that serve it.
    goal = run(
        "add", "goal", "Become a Chartered Engineer", "-C", "my-cpd", "--created", "2025-01-06",
        cwd=tmp_path,
    )  # fmt: skip
    assert goal.stdout.strip() == "my-cpd/portfolio/goals/become-a-chartered-engineer.md"
    activity = run(
        "add",
        "activity",
        "IPEM radiotherapy meeting",
        "-C",
        "my-cpd",
        "--date",
        "2025-03-14",
        "--category",
        "professional",
        "--goal",
        "become-a-chartered-engineer",
        cwd=tmp_path,
    )
    assert activity.returncode == 0, activity.stderr
    path = "my-cpd/portfolio/activities/2025/2025-03-14-ipem-radiotherapy-meeting.md"
    assert activity.stdout.strip() == path

    check = run("check", ".", cwd=root)
    assert check.returncode == 0, check.stdout
    assert "0 errors, " in check.stdout
    warnings = only_reminders(check.stdout)
    assert any("portfolio/index.md:" in line and "starter text" in line for line in warnings)
    assert "2 activities, 2 goals" in check.stdout

    build = mkdocs_build(root / "mkdocs.yml", tmp_path / "site")
    assert build.returncode == 0, build.output
    assert "Dr Jo Bloggs" in build.content("").get_text()
    page = build.content("activities/2025/2025-03-14-ipem-radiotherapy-meeting").get_text()
    assert "IPEM radiotherapy meeting" in page and "Become a Chartered Engineer" in page
    assert "Setting up my CPD portfolio" in build.all_text()


@pytest.mark.parametrize("framework", BUILT_IN)
def test_a_new_portfolio_passes_check_with_every_built_in_framework(tmp_path, framework):
    portfolio = started(tmp_path, "--framework", framework)
    config = yaml.safe_load((portfolio.root / "mkdocs.yml").read_text())
    assert config["plugins"][1]["cpdfolio"]["framework"] == framework
    result = cpdfolio("check", portfolio.root)
    assert result.exit_code == 0, result.output
    assert only_reminders(result.output)
    assert "1 activity, 1 goal," in result.output


def test_a_new_portfolio_is_the_documented_layout(tmp_path: Path):
    portfolio = started(tmp_path, "--owner", "Dr Jo Bloggs: PhD")
    config = yaml.safe_load((portfolio.root / "mkdocs.yml").read_text())
    assert config["theme"]["name"] == "material"
    # The records are in portfolio/; what an engine reads alone holds none of them.
    assert config["docs_dir"] == "built-by-cpdfolio"
    assert sorted(p.name for p in (portfolio.root / "built-by-cpdfolio").iterdir()) == ["index.md"]
    assert ".cpdfolio/" in (portfolio.root / ".gitignore").read_text().splitlines()
    assert config["plugins"][0] == "search"
    assert config["plugins"][1]["cpdfolio"] == {
        "records": "portfolio",
        "owner": "Dr Jo Bloggs: PhD",
        "framework": "default",
    }
    for folder in ("goals", "activities", "evidence"):
        assert (portfolio.docs / folder).is_dir()
    assert (portfolio.docs / "index.md").is_file()
    assert len(list((portfolio.docs / "goals").glob("*.md"))) == 1
    assert len(list((portfolio.docs / "activities").rglob("*.md"))) == 1


def test_the_sample_records_explain_the_format_in_their_own_words(tmp_path: Path):
    portfolio = started(tmp_path)
    [activity] = (portfolio.docs / "activities").rglob("*.md")
    [goal] = (portfolio.docs / "goals").glob("*.md")
    hint = (portfolio.root / ".editorconfig").read_text()
    everything = "\n".join(
        p.read_text() for p in (activity, goal, portfolio.docs / "index.md")
    ).lower()
    assert "lorem" not in everything and "ipsum" not in everything
    activity_text = " ".join(activity.read_text().split())
    for words in ("front matter", "`title`", "`date`", "`category`", "share: false", "evidence/"):
        assert words in activity_text, words
    assert "cpdfolio add activity" in activity_text
    assert f"goals: [{goal.stem}]" in goal.read_text()
    # The hint names the framework's categories and the commands that help.
    assert "front matter" in hint and "work-based, professional, formal" in hint
    assert "cpdfolio check" in hint and "cpdfolio schema" in hint
    assert "indent_style = space" in hint


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    root = tmp_path / "my-cpd"
    root.mkdir()
    (root / "notes.txt").write_text("mine")
    result = cpdfolio("new", root)
    assert result.exit_code == 1
    assert "is not empty (it holds notes.txt)" in result.output
    assert [p.name for p in root.iterdir()] == ["notes.txt"]


def test_new_refuses_a_framework_that_does_not_exist(tmp_path: Path):
    result = cpdfolio("new", tmp_path / "my-cpd", "--framework", "ukspec")
    assert result.exit_code == 1
    assert "framework 'ukspec' is neither a built-in framework" in result.output


def test_add_writes_the_frameworks_template_and_it_passes_check(tmp_path: Path):
    portfolio = started(tmp_path)
    (portfolio.root / "my-framework.yml").write_text(
        "extends: default\nheadings: [Context, What changed for me]\n"
    )
    config = portfolio.root / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("framework: default", "framework: my-framework.yml")
    )
    result = cpdfolio(
        "add", "activity", "Journal club", "-C", portfolio.root, "--date", "2025-06-20",
        "--category", "self-directed",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = portfolio.docs / "activities/2025/2025-06-20-journal-club.md"
    assert result.output.strip() == os.path.relpath(written)
    assert written.read_text() == (
        "---\n"
        "title: Journal club\n"
        "date: 2025-06-20\n"
        "category: self-directed\n"
        "type:\n"
        "hours:\n"
        "goals:\n"
        "evidence:\n"
        "tags:\n"
        "---\n"
        "\n"
        "## Context\n"
        "\n"
        "## What changed for me\n"
        "\n"
    )
    check = cpdfolio("check", portfolio.root)
    assert check.exit_code == 0, check.output
    warnings = [line for line in only_reminders(check.output) if "journal-club" in line]
    assert [line.split(": warning: ")[1] for line in warnings] == [
        "heading '## Context' has nothing under it; write under it, or delete the heading",
        "heading '## What changed for me' has nothing under it; write under it, or delete "
        "the heading",
    ]


def test_an_activity_added_with_empty_reflection_sections_passes_check(tmp_path: Path):
    portfolio = started(tmp_path, "--framework", "hcpc")
    result = cpdfolio(
        "add", "activity", "Team huddle", "-C", portfolio.root, "--category", "work-based"
    )
    written = Path(result.output.strip())
    text = written.read_text()
    assert text.endswith(
        "\n## What I did\n\n## What I learned\n\n## How I will apply it\n\n## Benefit to others\n\n"
    )
    check = cpdfolio("check", portfolio.root)
    assert check.exit_code == 0, check.output


def test_a_goal_is_named_by_its_title_and_an_activity_can_serve_it(tmp_path: Path):
    portfolio = started(tmp_path)
    goal = cpdfolio("add", "goal", "Lead the MR-Linac project", "-C", portfolio.root)
    assert goal.output.strip().endswith("portfolio/goals/lead-the-mr-linac-project.md")
    text = Path(goal.output.strip()).read_text()
    assert "status: planned\n" in text and "## Why this goal\n" in text and "## Review\n" in text
    activity = cpdfolio(
        "add", "activity", "Commissioning meeting", "-C", portfolio.root,
        "--category", "work-based", "--goal", "lead-the-mr-linac-project",
    )  # fmt: skip
    assert activity.exit_code == 0, activity.output
    loaded = load(portfolio.docs)
    [served] = [a for a in loaded.portfolio.activities if a.title == "Commissioning meeting"]
    assert served.goals == ("lead-the-mr-linac-project",)
    assert not loaded.errors


def test_add_never_overwrites_a_record(tmp_path: Path):
    portfolio = started(tmp_path)
    add = ("add", "activity", "Journal club", "-C", portfolio.root, "--date", "2025-06-20")
    first = Path(cpdfolio(*add, "--category", "self-directed").output.strip())
    first.write_text(first.read_text().replace("## What I did\n", "## What I did\n\nMine.\n"))
    kept = first.read_bytes()
    second = Path(cpdfolio(*add, "--category", "professional").output.strip())
    third = Path(cpdfolio(*add, "--category", "formal").output.strip())
    assert [first.name, second.name, third.name] == [
        "2025-06-20-journal-club.md",
        "2025-06-20-journal-club-2.md",
        "2025-06-20-journal-club-3.md",
    ]
    assert first.read_bytes() == kept
    assert "category: formal" in third.read_text()
    # An id is unique across year folders too: a flat file of that name is not clashed with.
    (portfolio.docs / "activities/2025-07-01-ward-round.md").write_text("mine, unfinished")
    other = cpdfolio(*add[:2], "Ward round", "-C", portfolio.root, "--date", "2025-07-01",
                     "--category", "work-based")  # fmt: skip
    assert other.output.strip().endswith("activities/2025/2025-07-01-ward-round-2.md")
    assert not list(portfolio.docs.rglob(".cpdfolio-*"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--category", "conferences"), "category 'conferences' is not one of work-based"),
        (("--category", "prof"), "did you mean 'professional'?"),
        (("--category", "formal", "--goal", "ceng"), "goal 'ceng' does not exist"),
        ((), "an activity needs a category: give --category, one of work-based"),
        (("--category", "formal", "--date", "14/03/2025"), "should be a day written YYYY-MM-DD"),
        (("--category", "formal", "--date", "2025-02-30"), "is not a day of the calendar"),
    ],
)
def test_add_refuses_what_would_not_pass_check_and_writes_nothing(tmp_path, options, message):
    portfolio = started(tmp_path)
    before = portfolio.fingerprint()
    result = cpdfolio("add", "activity", "A course", "-C", portfolio.root, *options)
    assert result.exit_code == 1
    assert message in result.output
    assert portfolio.fingerprint() == before


@pytest.mark.parametrize(
    "title", ["Radiotherapy: what's new? #1", "yes", "[draft] 1:30 & <more>", "2025-03-14", "012"]
)
def test_a_title_yaml_would_misread_is_kept_as_written(tmp_path: Path, title: str):
    portfolio = started(tmp_path)
    result = cpdfolio("add", "activity", title, "-C", portfolio.root, "--category", "formal")
    assert result.exit_code == 0, result.output
    loaded = load(portfolio.docs)
    assert not loaded.errors
    assert title in [a.title for a in loaded.portfolio.activities]


def test_edit_opens_the_new_record_in_the_members_editor(tmp_path: Path):
    portfolio = started(tmp_path)
    # An editor command with an argument and a space in its path, as $EDITOR may hold.
    tools = tmp_path / "my tools"
    tools.mkdir()
    editor = tools / "fake-editor.py"
    editor.write_text(
        "import sys\n"
        "assert sys.argv[1] == '--wait'\n"
        "with open(sys.argv[-1], 'a', encoding='utf-8') as record:\n"
        "    record.write('Written in my editor.\\n')\n"
    )
    command = f"{shlex.quote(sys.executable)} {shlex.quote(str(editor))} --wait"
    result = cpdfolio(
        "add", "activity", "Ward round", "-C", portfolio.root, "--category", "work-based",
        "--edit", env={"EDITOR": command},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = Path(result.output.strip())
    assert written.read_text().endswith("## Benefit to others\n\nWritten in my editor.\n")


def test_edit_says_so_when_the_editor_fails_or_is_not_set(tmp_path: Path):
    portfolio = started(tmp_path)
    add = ("add", "activity", "Ward round", "-C", portfolio.root, "--category", "work-based")
    unset = cpdfolio(*add, "--edit", env={"EDITOR": ""})
    assert unset.exit_code == 1 and "$EDITOR, which is not set" in unset.output
    failing = cpdfolio(
        *add, "--edit", env={"EDITOR": f"{shlex.quote(sys.executable)} -c 'exit(3)'"}
    )
    assert failing.exit_code == 1
    assert "stopped with exit code 3; the record is kept at" in failing.output
