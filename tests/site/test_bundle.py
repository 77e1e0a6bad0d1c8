"""`cpdfolio bundle`: a zip a member emails, that an assessor unzips and opens from disk."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import LAPTOP, WAIT, Assessor, set_viewport, start_chromium
from bs4 import BeautifulSoup
from conftest import EXAMPLE, REPO, Portfolio
from test_browser import (
    ACTIVITY,
    ACTIVITY_URL,
    EVIDENCE,
    GOAL,
    SEARCH_TITLE,
    SEARCH_URL,
    SEARCH_WORD,
)


def bundle(directory: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", "bundle", str(directory), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def fingerprint(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        # The printout's cache is the one thing a build keeps beside mkdocs.yml (README).
        if p.is_file() and p.relative_to(root).parts[:2] != (".cpdfolio", "cache")
    }


@pytest.fixture(scope="module")
def example_bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The example portfolio bundled with the default name, then unzipped elsewhere."""
    root = tmp_path_factory.mktemp("bundle")
    member = root / "member"
    shutil.copytree(EXAMPLE, member / "example_portfolio")
    shutil.copy(REPO / "mkdocs.yml", member / "mkdocs.yml")
    shutil.copytree(REPO / "built-by-cpdfolio", member / "built-by-cpdfolio")
    before = fingerprint(member)
    result = bundle(member, cwd=root)
    assert result.returncode == 0, result.stderr
    unzipped = root / "assessor"
    with zipfile.ZipFile(root / "cpd-portfolio.zip") as archive:
        archive.extractall(unzipped)
    yield {
        "result": result,
        "member": member,
        "before": before,
        "zip": root / "cpd-portfolio.zip",
        "site": unzipped / "cpd-portfolio",
    }


def test_bundle_is_one_folder_with_the_site_and_the_printout(example_bundle):
    result = example_bundle["result"]
    assert re.search(
        r"^Bundle written to cpd-portfolio.zip \(\d+ files\): unzip it and open "
        r"cpd-portfolio/index.html in a browser$",
        result.stdout,
        re.M,
    ), result.stdout
    with zipfile.ZipFile(example_bundle["zip"]) as archive:
        names = archive.namelist()
    assert {name.split("/")[0] for name in names} == {"cpd-portfolio"}
    site = example_bundle["site"]
    assert (site / "cpd-portfolio.pdf").read_bytes().startswith(b"%PDF")
    assert (site / "evidence" / EVIDENCE).is_file()
    assert (site / "search" / "search_index.js").read_text("utf-8").startswith("var __index")
    # Nothing is written into the member's folder: no site/, no zip, no change.
    assert fingerprint(example_bundle["member"]) == example_bundle["before"]


def test_bundle_links_are_files_not_folders(example_bundle):
    """From disk a link to `goals/x/` opens a folder listing; every link names a file."""
    site = example_bundle["site"]
    for page in ["index.html", "goals/mr-linac-commissioning.html", f"{ACTIVITY_URL}.html"]:
        soup = BeautifulSoup((site / page).read_text("utf-8"), "html.parser")
        for link in soup.select("a[href]"):
            href = link["href"].split("#")[0].split("?")[0]
            if not href or re.match(r"[a-z]+:", href):
                continue
            assert not href.endswith("/"), f"{page}: {link['href']}"
            assert (site / page).parent.joinpath(href).resolve().is_file(), f"{page}: {href}"
        # Nothing is asked of a server on the internet but Google's fonts, which fall back.
        scripts = [s["src"] for s in soup.select("script[src]")]
        assert not [s for s in scripts if re.match(r"https?:", s)], scripts


def test_assessor_opens_the_unzipped_bundle_from_disk_and_searches(example_bundle, tmp_path: Path):
    from selenium.webdriver.support.ui import WebDriverWait

    driver = start_chromium(tmp_path / "profile")
    try:
        assessor = Assessor(driver, tmp_path / "screenshots")
        set_viewport(driver, LAPTOP)
        assessor.open((example_bundle["site"] / "index.html").as_uri())
        assert assessor.heading() == "CPD portfolio of Dr Eleanor Hart"
        assessor.screenshot("file-dashboard")
        assessor.follow(GOAL, "goals/mr-linac-commissioning.html")
        assert assessor.heading() == GOAL
        assessor.screenshot("file-goal")
        assessor.follow(ACTIVITY, f"{ACTIVITY_URL}.html")
        assert assessor.heading() == ACTIVITY
        assessor.screenshot("file-activity")
        assessor.follow(EVIDENCE, f"evidence/{EVIDENCE}")
        assert driver.execute_script("return document.images[0].naturalWidth") > 0
        driver.back()
        results = assessor.search(SEARCH_WORD)
        assert assessor.search_meta() == "1 matching document"
        assessor.screenshot("file-search")
        assessor.click(results[0])
        WebDriverWait(driver, WAIT).until(lambda d: f"{SEARCH_URL}.html" in d.current_url)
        assert assessor.url.startswith("file://")
        assert assessor.heading() == SEARCH_TITLE
        assessor.screenshot("file-search-result")
    finally:
        driver.quit()


def test_bundle_leaves_private_records_out_even_with_include_private(
    small_portfolio: Portfolio, tmp_path: Path
):
    small_portfolio.config(extra="      include_private: true\n")
    target = tmp_path / "out" / "for-assessor.zip"
    result = bundle(small_portfolio.root, "-o", str(target))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert "for-assessor/index.html" in names
        assert "for-assessor/activities/2025/2025-02-03-python-course.html" in names
        for name in names:
            assert "privatecanary" not in name.lower()
            if not name.endswith(".pdf"):
                assert b"privatecanary" not in archive.read(name).lower(), name


def test_bundle_of_a_portfolio_with_errors_writes_no_zip(portfolio: Portfolio, tmp_path: Path):
    portfolio.activity("2025-03-14-x", "title: A meeting\ndate: 2025-03-14\ncategory: nope")
    out = tmp_path / "out"
    out.mkdir()
    result = bundle(portfolio.root, "-o", str(out / "cpd.zip"))
    assert result.returncode == 1
    assert "nothing was built" in result.stderr
    assert "activities/2025-03-14-x.md" in result.stderr
    assert list(out.iterdir()) == []
