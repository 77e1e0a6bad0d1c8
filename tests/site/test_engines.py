"""A member switches site engines, as Material's banner invites, and publishes no private word.

The portfolio is the example's records in the layout `cpdfolio new` makes, with
one private record (the canary) whose title, reflection, tags, evidence name and
evidence bytes are words found nowhere else. Each engine builds it with its own
command and through `cpdfolio build --engine`; every byte of every file it writes
is read back.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import EXAMPLE, REPO, require_zensical

from cpdfolio.cli import main

CANARY_TITLE = "Quietly withdrawn Zarquon audit"
CANARY_BODY = "the flumpet dosimeter episode I never told anyone about"
CANARY_TAG = "snorkelwhistle"
CANARY_EVIDENCE = "zarquon-confidential-note.txt"
CANARY_BYTES = b"Grimbleshank private evidence bytes 7f3a9c"
CANARIES = [CANARY_TITLE, CANARY_BODY, CANARY_TAG, CANARY_EVIDENCE, "zarquon-audit"]
# The example's own private record, the incident reflection.
EXAMPLE_PRIVATE = "personal-reflection-after-incident"

CANARY_RECORD = f"""---
title: {CANARY_TITLE}
date: 2026-06-01
category: self-directed
hours: 1
share: false
tags: [{CANARY_TAG}]
evidence:
  - evidence/{CANARY_EVIDENCE}
---

## What I did

I wrote down {CANARY_BODY}.

## What I learned

That some things stay private.

## How I will apply it

Carefully.

## Benefit to others

None to publish.
"""


# A shared record whose title is text that looks like HTML: shown literally on every engine.
ODD_TITLE = """---
title: "Radiation & MR safety <em>refresher</em>"
date: 2026-06-02
category: formal
hours: 2
tags: [unplanned]
---

## What I did

The annual refresher.

## What I learned

The new zone rules.

## How I will apply it

At every MR-Linac session.

## Benefit to others

Safer patients.
"""


def new_layout(root: Path, passphrase: str = "") -> Path:
    """`cpdfolio new`, then the example's records and the canary in its portfolio/."""
    made = CliRunner().invoke(main, ["new", str(root), "--owner", "Dr Eleanor Hart"])
    assert made.exit_code == 0, made.output
    shutil.rmtree(root / "portfolio")
    shutil.copytree(EXAMPLE, root / "portfolio")
    (root / "portfolio/activities/2026/2026-06-01-zarquon-audit.md").write_text(CANARY_RECORD)
    (root / "portfolio/evidence" / CANARY_EVIDENCE).write_bytes(CANARY_BYTES)
    (root / "portfolio/activities/2026/2026-06-02-mr-safety-refresher.md").write_text(ODD_TITLE)
    config = root / "mkdocs.yml"
    text = config.read_text().replace("framework: default", "framework: uk-spec")
    if passphrase:
        text = text.replace(
            "records: portfolio", f"records: portfolio\n      passphrase: {passphrase}"
        )
    config.write_text(text)
    return root


def leaks(folder: Path) -> list[str]:
    """Every canary word, name or byte string found in any file under `folder`."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix().lower()
        if "zarquon" in relative or EXAMPLE_PRIVATE in relative:
            found.append(f"a file is named {relative}")
        if not path.is_file():
            continue
        raw = path.read_bytes()
        text = raw.decode("utf-8", "replace").lower()
        if CANARY_BYTES in raw:
            found.append(f"{relative}: the evidence's bytes")
        for word in [*CANARIES, EXAMPLE_PRIVATE]:
            if word.lower() in text:
                found.append(f"{relative}: {word!r}")
    return found


def run(root: Path, *command: str, hide_cpdfolio: bool = False) -> subprocess.CompletedProcess:
    """An engine's own command in the portfolio's folder, as the member types it."""
    if hide_cpdfolio:
        # As if cpdfolio were not installed: MkDocs finds no plugin of that name.
        code = (
            "import sys, mkdocs.plugins as p; from importlib.metadata import entry_points; "
            "p.entry_points = lambda group: [e for e in entry_points(group=group) "
            "if e.name != 'cpdfolio']; from mkdocs.__main__ import cli; "
            "sys.argv = ['mkdocs', *sys.argv[1:]]; cli()"
        )
        arguments = [sys.executable, "-c", code, *command[1:]]
    else:
        arguments = [sys.executable, "-m", *command]
    return subprocess.run(
        arguments,
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def cpdfolio(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"},
    )


def pages(site: Path) -> dict[str, str]:
    """Each page of a site by its path, as the text of its article."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        article = soup.select_one("article")
        if article is not None:
            found[path.relative_to(site).as_posix()] = " ".join(article.get_text(" ").split())
    return found


# -- the engines' own commands on the layout `cpdfolio new` makes --------------------


@pytest.fixture(scope="module")
def member(tmp_path_factory) -> Path:
    return new_layout(tmp_path_factory.mktemp("engines") / "my-cpd")


@pytest.fixture(scope="module")
def zensical_site(member: Path) -> Path:
    """`cpdfolio build --engine zensical`: the one full Zensical build of this module."""
    require_zensical()
    site = member / "zensical-site"
    made = cpdfolio("build", str(member), "--engine", "zensical")
    assert made.returncode == 0, made.stdout + made.stderr
    shutil.move(member / "site", site)
    return site


def test_mkdocs_build_publishes_the_shared_records_and_no_private_word(member: Path):
    built = run(member, "mkdocs", "build", "-d", "mkdocs-site")
    assert built.returncode == 0, built.stderr
    site = member / "mkdocs-site"
    assert (site / "activities/2025/2025-10-15-mr-linac-isocentre-tests/index.html").is_file()
    assert leaks(site) == []
    # The pages generated for the build are gone with it.
    assert list((member / ".cpdfolio").glob("pages-*")) == []


def test_properdocs_build_publishes_no_private_word(member: Path):
    pytest.importorskip("properdocs")
    built = run(member, "properdocs", "build", "-d", "properdocs-site")
    assert built.returncode == 0, built.stderr
    site = member / "properdocs-site"
    assert (site / "goals/mr-linac-commissioning/index.html").is_file()
    assert leaks(site) == []


def test_zensical_on_its_own_finds_only_the_page_saying_how_to_build(member: Path):
    require_zensical()
    built = run(member, "zensical", "build")
    assert built.returncode == 0, built.stdout + built.stderr
    site = member / "site"
    assert leaks(site) == []
    assert [p for p in pages(site) if p != "404.html"] == ["index.html"]
    assert "cpdfolio build --engine zensical" in pages(site)["index.html"]
    # Not a word of any record, shared or not.
    assert "isocentre" not in (site / "index.html").read_text().lower()
    shutil.rmtree(site)


def test_mkdocs_without_cpdfolio_installed_fails_clearly(member: Path):
    built = run(member, "mkdocs", "build", "-d", "bare-site", hide_cpdfolio=True)
    assert built.returncode != 0
    assert 'The "cpdfolio" plugin is not installed' in built.stderr
    assert not (member / "bare-site").exists() or leaks(member / "bare-site") == []


def test_mkdocs_with_the_plugin_taken_out_publishes_no_record(member: Path, tmp_path: Path):
    bare = tmp_path / "bare"
    shutil.copytree(member, bare, ignore=shutil.ignore_patterns("*site", ".cpdfolio"))
    text = (bare / "mkdocs.yml").read_text()
    (bare / "mkdocs.yml").write_text(text.split("  - cpdfolio:")[0])
    built = run(bare, "mkdocs", "build")
    assert built.returncode == 0, built.stderr
    assert leaks(bare / "site") == []
    assert "isocentre" not in (bare / "site/index.html").read_text().lower()


def test_cpdfolio_build_with_mkdocs_publishes_no_private_word(member: Path, tmp_path: Path):
    made = cpdfolio("build", str(member), "--engine", "mkdocs")
    assert made.returncode == 0, made.stderr
    assert leaks(member / "site") == []
    assert (member / "site/cpd-portfolio.pdf").is_file()
    shutil.rmtree(member / "site")


def test_cpdfolio_build_with_zensical_publishes_no_private_word(member: Path, zensical_site: Path):
    assert leaks(zensical_site) == []
    assert list((member / ".cpdfolio").glob("pages-*")) == []


def test_zensical_site_has_the_same_pages_as_mkdocs(member: Path, zensical_site: Path):
    mkdocs_site = member / "mkdocs-site"
    if not mkdocs_site.exists():
        assert run(member, "mkdocs", "build", "-d", "mkdocs-site").returncode == 0
    ours = {p for p in pages(mkdocs_site) if p != "404.html"}
    theirs = {p for p in pages(zensical_site) if p != "404.html"}
    assert theirs == ours
    for page in (
        "index.html",
        "goals/index.html",
        "years/2025/index.html",
        "categories/work-based/index.html",
        "competences/index.html",
        "swot/index.html",
        "goals/mr-linac-commissioning/index.html",
    ):
        assert page in theirs
    # Evidence, charts and the printout, as on MkDocs.
    assert (zensical_site / "evidence/2025-10-mr-linac-isocentre.png").is_file()
    dashboard = BeautifulSoup((zensical_site / "index.html").read_text(), "html.parser")
    assert dashboard.select_one("article svg") is not None
    printout = dashboard.find("a", string="Download the printout (PDF)")
    assert printout is not None and (zensical_site / printout["href"]).is_file()
    assert (zensical_site / "assets/cpdfolio/cpdfolio.css").is_file()


def test_zensical_pages_link_to_each_other(zensical_site: Path):
    activity = "activities/2025/2025-10-15-mr-linac-isocentre-tests/index.html"
    soup = BeautifulSoup((zensical_site / activity).read_text(), "html.parser")
    folder = (zensical_site / activity).parent
    targets = [a["href"] for a in soup.select("article a[href]") if "://" not in a["href"]]
    assert targets
    for href in targets:
        path = (folder / href.split("#")[0]).resolve()
        assert path.is_file() or (path / "index.html").is_file(), href


def test_zensical_site_looks_right(zensical_site: Path, assessor):
    from browsing import http_server

    with http_server(zensical_site) as base:
        for name, url in [
            ("dashboard", ""),
            ("goal", "goals/mr-linac-commissioning/"),
            ("activity", "activities/2025/2025-10-15-mr-linac-isocentre-tests/"),
        ]:
            assessor.open(base.rstrip("/") + "/" + url)
            assert assessor.horizontal_overflow() <= 0, name
            assessor.screenshot(f"zensical-{name}")
        assert "MR-to-MV alignment tests" in assessor.heading()
        # The activity's goal, by the link in its details, as on MkDocs.
        assessor.follow("Lead the physics commissioning of the MR-Linac", "mr-linac-commissioning")
        assert "Lead the physics commissioning of the MR-Linac" in assessor.heading()


def test_zensical_seals_a_portfolio_with_a_passphrase(tmp_path: Path):
    """cpdfolio seals what Zensical built: no shared word in clear, the printout locked."""
    require_zensical()
    from pypdf import PdfReader

    root = new_layout(tmp_path / "locked", passphrase="correct horse battery staple")
    made = cpdfolio("build", str(root), "--engine", "zensical")
    assert made.returncode == 0, made.stderr
    site = root / "site"
    assert (site / "sealed" / "manifest.js").is_file() and not (site / "search.json").exists()
    assert leaks(site) == []
    for path in site.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace").lower()
            assert "mr-to-mv alignment" not in text and "isocentre" not in text, path
    assert PdfReader(site / "cpd-portfolio.pdf").is_encrypted
    # And Zensical on its own still finds no record at all.
    assert run(root, "zensical", "build").returncode == 0
    assert "isocentre" not in (root / "site/index.html").read_text().lower()
    assert leaks(root / "site") == []


# -- an existing portfolio laid out the old way ------------------------------------


def old_layout(root: Path) -> Path:
    """The example as it was laid out before: docs_dir is the records folder."""
    shutil.copytree(EXAMPLE, root / "example_portfolio")
    text = (REPO / "mkdocs.yml").read_text()
    text = text.replace("docs_dir: built-by-cpdfolio", "docs_dir: example_portfolio")
    text = text.replace("      records: example_portfolio\n", "      pdf: false\n")
    (root / "mkdocs.yml").write_text(text)
    return root


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_an_old_portfolio_builds_warns_once_and_upgrades_losing_nothing(tmp_path: Path):
    root = old_layout(tmp_path / "old")
    records = hashes(root / "example_portfolio")
    before_text = (root / "mkdocs.yml").read_text()
    built = run(root, "mkdocs", "build", "-d", "before")
    assert built.returncode == 0, built.stderr
    assert built.stderr.count("cpdfolio upgrade") == 1
    checked = cpdfolio("check", str(root))
    assert (checked.stdout + checked.stderr).count("cpdfolio upgrade") == 1

    upgraded = cpdfolio("upgrade", str(root))
    assert upgraded.returncode == 0, upgraded.stderr
    assert (root / "mkdocs.yml.before-upgrade").read_text() == before_text
    assert hashes(root / "example_portfolio") == records
    assert (root / "built-by-cpdfolio/index.md").is_file()
    assert ".cpdfolio/" in (root / ".gitignore").read_text().splitlines()

    built = run(root, "mkdocs", "build", "-d", "after")
    assert built.returncode == 0, built.stderr
    assert "cpdfolio upgrade" not in built.stderr
    assert pages(root / "after") == pages(root / "before")
    assert hashes(root / "example_portfolio") == records
    # A second upgrade has nothing to do.
    again = cpdfolio("upgrade", str(root))
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_a_title_that_looks_like_html_is_shown_as_written(member: Path, zensical_site: Path):
    page = "activities/2026/2026-06-02-mr-safety-refresher/index.html"
    for site in (zensical_site, member / "mkdocs-site"):
        if not site.exists():
            assert run(member, "mkdocs", "build", "-d", "mkdocs-site").returncode == 0
        soup = BeautifulSoup((site / page).read_text(), "html.parser")
        assert (
            soup.select_one("article h1").get_text() == "Radiation & MR safety <em>refresher</em>"
        )
        assert soup.title.get_text().startswith("Radiation & MR safety <em>refresher</em>")
        for path in site.rglob("*.html"):
            assert "<em>refresher</em>" not in path.read_text(), path


def test_the_bundle_built_by_zensical_opens_from_disk_and_holds_no_private_word(
    member: Path, tmp_path: Path
):
    require_zensical()
    made = cpdfolio("bundle", str(member), "--engine", "zensical", "-o", str(tmp_path / "z.zip"))
    assert made.returncode == 0, made.stderr
    shutil.unpack_archive(tmp_path / "z.zip", tmp_path / "unzipped")
    site = tmp_path / "unzipped/z"
    assert leaks(site) == []
    # Links name files, as a browser opening the site from disk needs.
    dashboard = BeautifulSoup((site / "index.html").read_text(), "html.parser")
    goals = next(a for a in dashboard.select("a[href]") if a.get_text(strip=True) == "All goals")
    assert goals["href"].endswith(".html")
    assert (site / goals["href"]).is_file()
    assert (site / "cpd-portfolio.pdf").is_file()


def test_upgrade_of_a_bare_mkdocs_yml_with_the_default_docs_folder(tmp_path: Path):
    root = tmp_path / "bare"
    shutil.copytree(EXAMPLE, root / "docs")
    (root / "mkdocs.yml").write_text(
        "site_name: My CPD\ntheme:\n  name: material\nplugins:\n  - search\n  - cpdfolio\n"
    )
    records = hashes(root / "docs")
    upgraded = cpdfolio("upgrade", str(root))
    assert upgraded.returncode == 0, upgraded.stderr
    assert "the records stay in docs/" in upgraded.stdout
    checked = cpdfolio("check", str(root))
    assert checked.returncode == 0, checked.stderr
    # Every record is read from docs/, where it has always been.
    assert checked.stdout.startswith("31 activities, 7 goals, 1 SWOT (1 private")
    assert "cpdfolio upgrade" not in checked.stdout + checked.stderr
    assert hashes(root / "docs") == records


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_between_generated_pages_are_the_urls_mkdocs_makes(directory_urls: bool):
    from mkdocs.structure.files import File

    from cpdfolio.site.urls import site_urls

    sources = [
        "index.md",
        "goals/index.md",
        "goals/ceng.md",
        "activities/2025/2025-03-14-ipem meeting.md",
        "years/2025.md",
        "evidence/certificate 1.pdf",
        "README.md",
    ]
    urls = site_urls(sources, directory_urls)
    files = {s: File(s, "/docs", "/site", use_directory_urls=directory_urls) for s in sources}
    for here in sources:
        if not here.endswith(".md"):
            continue
        for there in sources:
            assert urls(here, there) == files[there].url_relative_to(files[here]), (here, there)
    assert urls("index.md", "activities/private.md") is None
