"""Big and odd portfolios build: many records, long ones, odd names, deep folders.

How fast is another matter (see benchmarks/); here, it works. Pages are found
by walking the built site, since URLs encode the odd names.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import REFLECTION, Build, Portfolio
from pypdf import PdfReader

CATEGORIES = ("work-based", "professional", "formal", "self-directed", "other")


def pages_by_title(site: Path) -> dict[str, Path]:
    """Every page of the site by the title in its article."""
    pages = {}
    for path in site.rglob("index.html"):
        heading = BeautifulSoup(path.read_text("utf-8"), "html.parser").select_one("article h1")
        if heading is not None:
            pages[heading.get_text()] = path
    return pages


def links_lead_somewhere(site: Path, page: Path, selector: str) -> list[Path]:
    """The files that the links of a page lead to; each must exist."""
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    targets = []
    for anchor in soup.select(selector):
        href = urlsplit(anchor["href"])
        assert not href.scheme, anchor["href"]
        target = (page.parent / unquote(href.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), f"{page.relative_to(site)}: {anchor['href']} leads nowhere"
        targets.append(target)
    return targets


# -- 5,000 records ---------------------------------------------------------------------


def test_five_thousand_records_build_and_every_year_lists_all_of_its(portfolio: Portfolio):
    portfolio.config(extra="      pdf: false\n")
    for n in range(5):
        portfolio.goal(f"goal-{n}", f"title: Goal {n}\nstatus: in-progress")
    expected: dict[int, set[str]] = {}
    for n in range(5000):
        day = datetime.date(2006 + n % 20, 1 + n % 12, 1 + n % 28)
        title = f"Activity number {n}"
        expected.setdefault(day.year, set()).add(title)
        target = portfolio.docs / "activities" / str(day.year) / f"{day}-activity-{n:04d}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            f"---\ntitle: {title}\ndate: {day}\ncategory: {CATEGORIES[n % 5]}\n"
            f"hours: {n % 7}\ngoals: [goal-{n % 5}]\n---\n{REFLECTION}",
            "utf-8",
        )
    build = portfolio.build()
    assert build.returncode == 0, build.output[-3000:]
    for year, titles in expected.items():
        listed = [
            a.get_text() for a in build.content(f"years/{year}").select(".cpd-activities td a")
        ]
        assert sorted(listed) == sorted(titles), year
    assert sum(len(titles) for titles in expected.values()) == 5000
    assert len(list((build.site / "activities").rglob("index.html"))) == 5000


# -- odd names, deep folders, long reflections, many evidence files -------------------

ODD_NAME = "2025-03-14 Journées française — été"
CERTIFICATE = "certificat d'été.pdf"
DEEP = "activities/2025/Été 2025/semaine 1/jour 1/matin"  # five folders below activities/
ODD_FILE_NAMES = ["100% [draft] #1 & co", "l'été à Zürich", "spaces  and\ttab", "日本語の会議"]


def long_reflection(size: int = 2_000_000) -> str:
    words = "dose plan audit linac phantom calibration reflection patient safety team".split()
    paragraphs, length, n = [], 0, 0
    while length < size:
        if n % 20 == 0:
            paragraphs.append(f"## Part {n // 20}")
        paragraph = " ".join(words[(n + i) % len(words)] for i in range(150)) + "."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
        n += 1
    return "\n\n".join(paragraphs) + "\n\nTHE LAST PARAGRAPH.\n"


@pytest.fixture(scope="module")
def odd_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    portfolio = Portfolio(tmp_path_factory.mktemp("odd") / "my cpd — été")
    # The 2 MB reflection is dated before the period: it is on the site, not in the
    # printout, where laying out 450 pages would take half a minute of every test run.
    portfolio.config(extra="      period: {from: 2020-01-01}\n")
    portfolio.goal("ceng", "title: Become a Chartered Engineer\nstatus: in-progress")
    portfolio.write(
        "goals/a/b/c/d/e/deep-goal.md", "---\ntitle: A goal five folders deep\n---\nWhy.\n"
    )
    portfolio.write(f"evidence/{CERTIFICATE}", b"%PDF-1.4 certificat")
    portfolio.activity(
        f"2025/{ODD_NAME}",
        f"title: Journées française — été\ndate: 2025-03-14\ncategory: professional\n"
        f'goals: [ceng, deep-goal]\nevidence: ["evidence/{CERTIFICATE}"]',
    )
    portfolio.write(
        f"{DEEP}/2025-04-01-deep.md",
        "---\ntitle: Five folders deep\ndate: 2025-04-01\ncategory: other\n"
        f"evidence: [../../../../../../evidence/{CERTIFICATE}]\n---\n{REFLECTION}",
    )
    for n, name in enumerate(ODD_FILE_NAMES):
        portfolio.activity(
            f"2025/{name}",
            f"title: Odd name {n}\ndate: 2025-05-0{n + 1}\ncategory: formal\ngoals: [ceng]",
        )
    many = [f"evidence/many/{'certificat n°' if n % 2 else 'cert-'}{n:03d}.pdf" for n in range(200)]
    for path in many:
        portfolio.write(path, f"%PDF-1.4 {path}".encode())
    portfolio.activity(
        "2025/2025-06-01-two-hundred-certificates",
        "title: Two hundred certificates\ndate: 2025-06-01\ncategory: formal\n"
        "evidence:\n" + "\n".join(f'  - "{path}"' for path in many),
    )
    portfolio.activity(
        "2019/2019-06-01-long",
        "title: A two megabyte reflection\ndate: 2019-06-01\ncategory: self-directed",
        long_reflection(),
    )
    build = portfolio.build()
    assert build.returncode == 0, build.output[-3000:]
    return build


def test_odd_portfolio_builds_without_a_warning(odd_build: Build):
    assert "WARNING" not in odd_build.output, odd_build.output


def test_every_odd_record_has_its_page(odd_build: Build):
    pages = pages_by_title(odd_build.site)
    titles = [
        "Journées française — été",
        "Five folders deep",
        "A goal five folders deep",
        "Two hundred certificates",
        "A two megabyte reflection",
        *(f"Odd name {n}" for n in range(len(ODD_FILE_NAMES))),
    ]
    for title in titles:
        assert title in pages, title
    assert pages["Journées française — été"].parent.name == ODD_NAME
    assert pages["Five folders deep"].relative_to(odd_build.site).parts[:6] == tuple(
        DEEP.split("/")
    )
    long_page = pages["A two megabyte reflection"]
    assert long_page.stat().st_size > 2_000_000
    assert "THE LAST PARAGRAPH." in long_page.read_text("utf-8")


def test_links_to_odd_names_lead_to_their_pages(odd_build: Build):
    pages = pages_by_title(odd_build.site)
    year = odd_build.site / "years" / "2025" / "index.html"
    reached = links_lead_somewhere(odd_build.site, year, ".cpd-activities td a")
    assert len(reached) == 3 + len(ODD_FILE_NAMES)
    assert pages["Journées française — été"].resolve() in reached
    assert pages["Five folders deep"].resolve() in reached
    goal = pages["Become a Chartered Engineer"]
    assert len(links_lead_somewhere(odd_build.site, goal, ".cpd-activities td a")) == 5
    odd = pages["Journées française — été"]
    goals = links_lead_somewhere(odd_build.site, odd, ".cpd-details a[href*='goals']")
    assert pages["A goal five folders deep"].resolve() in goals


def test_every_evidence_file_is_copied_and_linked(odd_build: Build):
    site = odd_build.site
    copied = {p.relative_to(site).as_posix() for p in (site / "evidence").rglob("*.pdf")}
    assert len(copied) == 201 and f"evidence/{CERTIFICATE}" in copied
    assert "evidence/many/certificat n°001.pdf" in copied
    pages = pages_by_title(site)
    for title, count in [
        ("Two hundred certificates", 200),
        ("Journées française — été", 1),
        ("Five folders deep", 1),
    ]:
        evidence = links_lead_somewhere(site, pages[title], ".cpd-details a[href$='.pdf']")
        assert len(evidence) == count, title
        assert all(target.read_bytes().startswith(b"%PDF") for target in evidence)


def test_odd_portfolio_printout_attaches_every_evidence_file(odd_build: Build):
    reader = PdfReader(odd_build.site / "cpd-portfolio.pdf")
    # By the name PDF readers show: the Unicode /UF where there is one, else /F.
    attached = {a.alternative_name or a.name: a.content for a in reader.attachment_list}
    assert len(attached) == 201
    assert attached[CERTIFICATE] == b"%PDF-1.4 certificat"
    assert (
        attached["certificat n°199.pdf"] == "%PDF-1.4 evidence/many/certificat n°199.pdf".encode()
    )
    text = " ".join(page.extract_text() for page in reader.pages)
    text = re.sub(r"\s+", " ", text)
    for title in ("Journées française — été", "Five folders deep", "Odd name 3"):
        assert title in text, title
    assert "A two megabyte reflection" not in text  # before the period
