"""A member installs the wheel and builds a portfolio from any folder."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
from pathlib import Path
from zipfile import ZipFile

from conftest import EXAMPLE, REPO


def test_wheel_ships_the_theme_and_builds_the_example_from_another_folder(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("cpdfolio-*.whl"))
    names = ZipFile(wheel).namelist()
    assert "cpdfolio/theme/assets/cpdfolio/cpdfolio.css" in names
    assert "cpdfolio/frameworks/default.yml" in names
    assert "cpdfolio/py.typed" in names
    # The site's generation and its engines, a subpackage of their own.
    assert "cpdfolio/site/generate.py" in names
    assert "cpdfolio/site/engines/zensical.py" in names
    # What `cpdfolio new` writes: every template the starter portfolio needs.
    for template in (
        "mkdocs.yml",
        "editorconfig",
        "gitignore",
        "index.md",
        "goal.md",
        "activity.md",
        "engine-index.md",
    ):
        assert f"cpdfolio/templates/{template}" in names, template

    # A fresh venv that borrows the dependencies of the venv running this test, named
    # explicitly, and never its base interpreter's: its own site-packages come first, so
    # `cpdfolio` can only come from the wheel installed there. A plain path in a .pth file
    # runs no other .pth file, so the outer venv's editable install of our source tree is
    # not imported.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    own_site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(own_site) / "outer-venv-dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", "utf-8"
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "somewhere-else"
    shutil.copytree(EXAMPLE, elsewhere / "example_portfolio")
    shutil.copy(REPO / "mkdocs.yml", elsewhere / "mkdocs.yml")
    shutil.copytree(REPO / "built-by-cpdfolio", elsewhere / "built-by-cpdfolio")
    result = subprocess.run(
        [str(venv / "bin" / "cpdfolio"), "build", str(elsewhere)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    located = subprocess.run(
        [str(python), "-c", "import cpdfolio; print(cpdfolio.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(venv) in located, "the test must use the installed wheel, not the source tree"
    # The installed wheel starts a portfolio that builds.
    started = subprocess.run(
        [str(venv / "bin" / "cpdfolio"), "new", "fresh", "--owner", "Dr Wheel"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert started.returncode == 0, started.stderr
    fresh = subprocess.run(
        [str(venv / "bin" / "cpdfolio"), "build", "fresh"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert fresh.returncode == 0, fresh.stderr
    css = elsewhere / "site" / "assets" / "cpdfolio" / "cpdfolio.css"
    assert css.is_file()
    assert "assets/cpdfolio/cpdfolio.css" in (elsewhere / "site" / "index.html").read_text()
