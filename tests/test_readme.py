"""The README tells the truth: its options, its commands, its format choices."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLE, REPO

from cpdfolio.site.engines.mkdocs.options import CpdfolioConfig

README = (REPO / "README.md").read_text("utf-8")


def readme_section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"README has no section '{title}'"
    return match.group(1)


def test_every_plugin_option_is_documented():
    options = readme_section("Plugin options")
    documented = set(re.findall(r"^\| `(\w+)` \|", options, re.M))
    assert documented == {name for name, _ in CpdfolioConfig._schema}


def test_the_tree_in_how_it_fits_together_names_every_folder_and_module():
    """A newcomer finds any module from the README's tree: none is left out of it."""
    tree = re.search(r"```text\n(.*?)```", readme_section("How it fits together"), re.S)
    assert tree, "How it fits together has no tree"
    words = set(re.findall(r"[\w.]+/?", tree.group(1)))
    package = REPO / "cpdfolio"
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        folder = path.parent.relative_to(package)
        if path.name == "__init__.py":
            if folder.parts:
                assert f"{folder.name}/" in words, f"the tree leaves out {folder}/"
            continue
        name = path.stem if folder.parts else path.name
        assert name in words, f"the tree leaves out {path.relative_to(package)}"


def test_quick_start_has_exactly_two_commands_and_the_first_builds_the_example(tmp_path: Path):
    commands = re.findall(r"```sh\n(.+?)\n```", readme_section("Quick start"))
    assert len(commands) == 2
    install_and_build, install_and_test = commands
    assert install_and_build == "pip install -e . && cpdfolio build ."
    assert install_and_test.endswith("make check")
    assert "make check" in (REPO / ".ci" / "run").read_text()
    # Run the build half (the package is installed already) in a copy of the repo.
    copy = tmp_path / "repo"
    copy.mkdir()
    shutil.copy(REPO / "mkdocs.yml", copy)
    shutil.copytree(REPO / "built-by-cpdfolio", copy / "built-by-cpdfolio")
    shutil.copytree(EXAMPLE, copy / "example_portfolio")
    result = subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", "build", "."],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (copy / "site" / "index.html").is_file()
    assert (copy / "site" / "cpd-portfolio.pdf").read_bytes().startswith(b"%PDF")
    assert "Site written to site" in result.stdout
    assert "Material for MkDocs reaches end of life" not in result.stdout + result.stderr


def test_every_documented_command_exists():
    commands = set(re.findall(r"^cpdfolio (\w+)", readme_section("Commands"), re.M))
    from cpdfolio.cli import main

    assert commands <= set(main.commands)
    assert commands == {
        "check",
        "build",
        "serve",
        "pdf",
        "profile",
        "new",
        "add",
        "export",
        "import",
        "schema",
        "bundle",
        "upgrade",
        "clean",
    }


def test_the_readme_error_example_is_what_cpdfolio_says(portfolio):
    portfolio.goal("ceng-registration", "title: CEng")
    portfolio.activity(
        "2025-03-14-x",
        """
        title: A meeting
        date: 2025-03-14
        category: conferences
    """,
    )
    portfolio.activity(
        "2025-04-01-y",
        """
        title: Another
        date: 2025-04-01
        category: formal
        type: course
        goals: [ceng]
    """,
    )
    build = portfolio.build()
    assert build.returncode == 1
    quoted = re.search(r"```\n(ERROR.*?)```", readme_section("Commands"), re.S).group(1)
    for line in quoted.strip().splitlines():
        assert line.strip() in build.output, line


def test_example_portfolio_is_a_real_members(example_build):
    activities = list((EXAMPLE / "activities").rglob("*.md"))
    assert len(activities) >= 25
    text = "\n".join(p.read_text("utf-8") for p in activities).lower()
    assert "lorem" not in text and "ipsum" not in text
    assert text.count("share: false") == 1
    evidence = {p.suffix for p in (EXAMPLE / "evidence").iterdir()}
    assert {".pdf", ".png"} <= evidence
    assert os.path.getsize(EXAMPLE / "index.md") > 500


def test_the_documented_framework_file_works(small_portfolio):
    section = readme_section("Frameworks and audit readiness")
    framework = re.search(r"```yaml\n(# my-framework.yml.*?)```", section, re.S).group(1)
    (small_portfolio.root / "my-framework.yml").write_text(framework)
    small_portfolio.config(extra="      framework: my-framework.yml\n")
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert "Outreach and volunteering" in build.content("categories/other").get_text()
    result = small_portfolio.cpdfolio("check", "--format", "json")
    audit = {check["id"] for check in json.loads(result.stdout)["audit"]}
    assert "hours-target" in audit and "goals-linked" not in audit


def test_the_json_example_has_the_documented_shape(small_portfolio):
    section = readme_section("Commands")
    documented = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    result = small_portfolio.cpdfolio("check", "--format", "json")
    actual = json.loads(result.stdout)
    assert actual.keys() == documented.keys()
    assert actual["summary"].keys() == documented["summary"].keys()
    assert actual["audit"][0].keys() == documented["audit"][0].keys()
    assert actual["summary"]["period"].keys() == documented["summary"]["period"].keys()


def test_the_documented_bundle_command_gives_a_zip_to_open(small_portfolio):
    section = readme_section("Share with your assessor")
    command = re.search(r"```sh\n(cpdfolio bundle .*?)\n```", section).group(1)
    assert command == "cpdfolio bundle . -o cpd-portfolio.zip"
    result = subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", *command.split()[1:]],
        cwd=small_portfolio.root,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    import zipfile

    with zipfile.ZipFile(small_portfolio.root / "cpd-portfolio.zip") as archive:
        names = set(archive.namelist())
    assert {"cpd-portfolio/index.html", "cpd-portfolio/cpd-portfolio.pdf"} <= names
