"""Shared fixtures: real portfolios in temp folders, built by the real MkDocs."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example_portfolio"
FIXTURES = Path(__file__).resolve().parent / "portfolios"

#: The day the whole suite runs on, whatever the machine's clock says. cpdfolio reads
#: "today" through SOURCE_DATE_EPOCH (as reproducible builds do), so every default
#: period, new record and printout date below is derived from this one day.
TODAY = datetime.date(2026, 11, 25)


def epoch_of(day: datetime.date) -> str:
    """SOURCE_DATE_EPOCH for noon UTC on `day`: how a test (or the suite) fixes today."""
    return str(
        int(datetime.datetime.combine(day, datetime.time(12), datetime.timezone.utc).timestamp())
    )


TODAY_EPOCH = epoch_of(TODAY)


def long_date(day: datetime.date) -> str:
    """A day as the site and printout write it in British English: 25 November 2026."""
    return f"{day.day} {day:%B %Y}"


def last_12_months(on: datetime.date = TODAY) -> tuple[datetime.date, datetime.date]:
    """The default period: the day after the same day a year before, up to `on`."""
    return on.replace(year=on.year - 1) + datetime.timedelta(days=1), on


def clock_is_faked() -> bool:
    """True under Debian's faketime, whose moved clock some engines' own timers cannot take."""
    return "faketime" in os.environ.get("LD_PRELOAD", "")


def require_zensical() -> None:
    """Zensical installed, and a real clock: under libfaketime its build waits forever."""
    pytest.importorskip("zensical", reason="zensical is not installed in this environment")
    if clock_is_faked():
        pytest.skip("Zensical's build waits forever under faketime; it runs on the real clock")


@pytest.fixture(scope="session", autouse=True)
def fixed_today():
    """Every test, and every process a test starts, sees TODAY as today."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        yield TODAY


MKDOCS_YML = """\
site_name: Test portfolio
docs_dir: built-by-cpdfolio
theme:
  name: material
plugins:
  - search
  - cpdfolio:
      records: portfolio
      owner: Dr Test Member
      registration: MIPEM
      period: all
{extra}"""


REFLECTION = """
## What I did

Attended the session.

## What I learned

Something useful.

## How I will apply it

In the clinic.

## Benefit to others

Safer treatment for patients.
"""


@dataclass
class Build:
    """What `mkdocs build` did: its exit code, its log and the site it wrote."""

    returncode: int
    output: str
    site: Path

    def page(self, url_path: str) -> BeautifulSoup:
        path = self.site / url_path.strip("/") / "index.html"
        if url_path in ("", "/"):
            path = self.site / "index.html"
        return BeautifulSoup(path.read_text("utf-8"), "html.parser")

    def content(self, url_path: str) -> BeautifulSoup:
        """The article of a page, without navigation, header or footer."""
        return self.page(url_path).select_one("article.md-content__inner")

    def all_text(self) -> str:
        """Every byte of every file of the site, as text, for leak checks."""
        return "\n".join(
            p.read_bytes().decode("utf-8", "replace") for p in self.site.rglob("*") if p.is_file()
        )


def mkdocs_build(config: Path, site: Path, *args: str) -> Build:
    """The real `mkdocs build`, in its own process, as a member runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


class Portfolio:
    """A member's portfolio folder, as `cpdfolio new` lays it out: records in `portfolio/`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "portfolio"
        self.docs.mkdir(parents=True, exist_ok=True)
        # What a site engine alone reads: one page, no record.
        shutil.copytree(REPO / "built-by-cpdfolio", root / "built-by-cpdfolio")
        self.config(extra="")

    def config(self, extra: str = "", text: str | None = None) -> None:
        (self.root / "mkdocs.yml").write_text(text or MKDOCS_YML.format(extra=extra), "utf-8")

    def write(self, path: str, content: str | bytes) -> Path:
        target = self.docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content).lstrip("\n"), "utf-8")
        return target

    def activity(self, name: str, front_matter: str, body: str = REFLECTION) -> Path:
        return self.write(
            f"activities/{name}.md", f"---\n{textwrap.dedent(front_matter).strip()}\n---\n{body}"
        )

    def goal(self, name: str, front_matter: str, body: str = "## Why this goal\n\nTo grow.\n"):
        return self.write(
            f"goals/{name}.md", f"---\n{textwrap.dedent(front_matter).strip()}\n---\n{body}"
        )

    def build(self, *args: str) -> Build:
        return mkdocs_build(self.root / "mkdocs.yml", self.root / "site", *args)

    def cpdfolio(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cpdfolio.cli", *args, str(self.root)],
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )

    def fingerprint(self) -> dict[str, str]:
        """A hash of every file in the portfolio folder (not the site)."""
        return {
            str(p.relative_to(self.root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.root.rglob("*"))
            if p.is_file() and not {"site", ".cpdfolio"} & set(p.relative_to(self.root).parts)
        }


@pytest.fixture
def portfolio(tmp_path: Path) -> Portfolio:
    """An empty portfolio with a mkdocs.yml that uses cpdfolio."""
    return Portfolio(tmp_path / "my-cpd")


@pytest.fixture
def small_portfolio(portfolio: Portfolio) -> Portfolio:
    """Two goals, four activities over two years, a SWOT, evidence, one private record."""
    shutil.copytree(FIXTURES / "small", portfolio.docs, dirs_exist_ok=True)
    return portfolio


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The repository's example portfolio, built once for all tests that read it."""
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(EXAMPLE, root / "example_portfolio")
    shutil.copytree(REPO / "built-by-cpdfolio", root / "built-by-cpdfolio")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    build = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert build.returncode == 0, build.output
    return build


@pytest.fixture
def assessor(tmp_path: Path):
    """An assessor at a real headless Chromium, leaving screenshots under tmp_path."""
    from browsing import Assessor, start_chromium

    driver = start_chromium(tmp_path / "profile")
    try:
        yield Assessor(driver, tmp_path / "screenshots")
    finally:
        driver.quit()
