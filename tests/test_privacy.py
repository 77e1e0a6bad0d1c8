"""Private means private: a record with `share: false` reaches no output at all.

The small portfolio's private activity carries the canary PRIVATECANARY in its
title, body, tag and evidence (file name and content); here a private goal, a
private SWOT and a private photo carry it too. Every file of the site and of
the printout is searched for it, as text and as raw bytes, compressed files
opened. Then the owner's own preview (`include_private: true`) shows it, so
the switch is real.
"""

from __future__ import annotations

import gzip
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, MKDOCS_YML, Build, Portfolio
from pypdf import PdfReader
from pypdf.generic import StreamObject
from reading import pdftotext
from serving import serving

CANARY = b"privatecanary"  # compared with lowercased bytes: PRIVATECANARY too
PRIVATE_PAGE = "activities/2025/2025-09-01-privatecanary-incident"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def add_private_records(portfolio: Portfolio) -> None:
    """More private records beside the small portfolio's, and evidence two records share."""
    portfolio.goal(
        "privatecanary-goal",
        "title: PRIVATECANARY goal\nstatus: in-progress\ntags: [privatecanary-tag]\nshare: false",
        "## Why this goal\n\nPRIVATECANARY plan.\n",
    )
    portfolio.write(
        "reflections/swot-privatecanary.md",
        "---\nkind: swot\ntitle: PRIVATECANARY SWOT\ndate: 2025-05-01\nshare: false\n---\n"
        "## Strengths\n\nPRIVATECANARY strength.\n",
    )
    portfolio.write("evidence/private-photo.png", PNG + b"PRIVATECANARY photo")
    portfolio.write("evidence/shared-cert.pdf", b"%PDF-1.4 certificate for both\n")
    portfolio.activity(
        "2025/2025-10-02-supervision",
        "title: Supervision after the incident\ndate: 2025-10-02\ncategory: work-based\n"
        "goals: [ceng, privatecanary-goal]\nevidence: [evidence/shared-cert.pdf]\nshare: false",
        "## What I did\n\nPRIVATECANARY supervision.\n\n![x](../../evidence/private-photo.png)\n",
    )
    portfolio.activity(
        "2025/2025-10-03-audit-course",
        "title: Clinical audit course\ndate: 2025-10-03\ncategory: formal\n"
        "goals: [ceng, privatecanary-goal]\nevidence: [evidence/shared-cert.pdf]",
    )


def published_files(site: Path) -> Iterator[tuple[str, bytes]]:
    """Every file of the site by its path, and its bytes; compressed files opened too."""
    for path in sorted(site.rglob("*")):
        if path.is_file():
            name = path.relative_to(site).as_posix()
            data = path.read_bytes()
            yield name, data
            if name.endswith(".gz"):
                yield name + " (opened)", gzip.decompress(data)


def pdf_contents(path: Path) -> Iterator[tuple[str, bytes]]:
    """Every object of a PDF, streams decompressed, and every attachment's name and bytes."""
    reader = PdfReader(path)
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            value = reader.get_object(number)
        except Exception:  # a free object number: nothing there
            continue
        if isinstance(value, StreamObject):
            yield f"object {number}", value.get_data()
        yield f"object {number} dictionary", repr(value).encode("utf-8", "replace")
    for name, contents in reader.attachments.items():
        yield f"attachment {name}", name.encode("utf-8")
        for content in contents:
            yield f"attachment {name}", content


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The site and printout of the small portfolio with more private records, built once."""
    portfolio = Portfolio(tmp_path_factory.mktemp("private") / "my-cpd")
    shutil.copytree(FIXTURES / "small", portfolio.docs, dirs_exist_ok=True)
    add_private_records(portfolio)
    # With a site_url, MkDocs writes a sitemap that lists pages.
    portfolio.config(text="site_url: https://example.org/cpd/\n" + MKDOCS_YML.format(extra=""))
    build = portfolio.build()
    assert build.returncode == 0, build.output
    return build


def test_no_file_of_the_site_names_or_holds_a_private_record(published: Build):
    files = dict(published_files(published.site))
    assert "sitemap.xml.gz (opened)" in files and "search/search_index.json" in files
    for name, data in files.items():
        assert CANARY not in name.lower().encode(), name
        assert CANARY not in data.lower(), name
        assert "privatecanary" not in data.decode("utf-8", "replace").lower(), name


def test_search_index_and_sitemap_list_only_shared_pages(published: Build):
    index = (published.site / "search" / "search_index.json").read_text("utf-8")
    assert "Clinical audit course" in index
    assert "Supervision after the incident" not in index and "incident" not in index
    for sitemap in (
        (published.site / "sitemap.xml").read_bytes(),
        gzip.decompress((published.site / "sitemap.xml.gz").read_bytes()),
    ):
        assert b"2025-10-03-audit-course" in sitemap
        assert b"supervision" not in sitemap and b"incident" not in sitemap


def test_goal_page_lists_no_private_activity(published: Build):
    ceng = published.content("goals/ceng")
    listed = {a.get_text() for a in ceng.select(".cpd-activities td:nth-of-type(2) a")}
    assert listed == {
        "IPEM nuclear medicine meeting",
        "Python for medical physicists",
        "Clinical audit course",
    }
    assert ceng.select(".cpd-private") == []
    assert not (published.site / "goals" / "privatecanary-goal").exists()
    # The shared course serves the private goal too; its page does not say so.
    course = published.content("activities/2025/2025-10-03-audit-course")
    details = course.select_one(".cpd-details").get_text(" ", strip=True)
    assert "Become a Chartered Engineer" in details and "PRIVATECANARY" not in details


def test_image_of_a_private_reflection_is_not_copied(published: Build):
    names = {path.name for path in published.site.rglob("*")}
    assert "private-photo.png" not in names
    assert "privatecanary-note.txt" not in names


def test_evidence_a_shared_record_also_uses_is_published(published: Build):
    assert (published.site / "evidence" / "shared-cert.pdf").read_bytes().startswith(b"%PDF")
    course = published.content("activities/2025/2025-10-03-audit-course")
    assert "../../../evidence/shared-cert.pdf" in [a["href"] for a in course.select("a")]
    attachments = PdfReader(published.site / "cpd-portfolio.pdf").attachments
    assert set(attachments) == {"meeting-cert.pdf", "shared-cert.pdf"}


def test_printout_holds_no_trace_of_a_private_record(published: Build):
    printout = published.site / "cpd-portfolio.pdf"
    text = pdftotext(printout)
    assert "Clinical audit course" in text
    assert "privatecanary" not in text.lower()
    assert "Supervision after the incident" not in text
    assert CANARY not in printout.read_bytes().lower()
    contents = list(pdf_contents(printout))
    assert len(contents) > 50
    for where, data in contents:
        assert CANARY not in data.lower(), where


def test_printout_leaves_private_records_out_even_with_include_private(
    small_portfolio: Portfolio, tmp_path: Path
):
    add_private_records(small_portfolio)
    small_portfolio.config(extra="      include_private: true\n")
    target = tmp_path / "audit.pdf"
    result = small_portfolio.cpdfolio("pdf", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "privatecanary" not in pdftotext(target).lower()
    for where, data in pdf_contents(target):
        assert CANARY not in data.lower(), where


def test_owners_preview_with_include_private_shows_the_private_record(
    small_portfolio: Portfolio,
):
    add_private_records(small_portfolio)
    small_portfolio.config(extra="      include_private: true\n")
    with serving(small_portfolio) as server:
        page = server.get(PRIVATE_PAGE + "/").decode("utf-8")
        assert "PRIVATECANARY reflection after an incident" in page
        assert "PRIVATECANARY body text about a difficult week" in page
        assert "privatecanary-tag" in page
        assert "Private record" in page
        assert server.get("evidence/privatecanary-note.txt").startswith(b"PRIVATECANARY")
        assert b"PRIVATECANARY goal" in server.get("goals/privatecanary-goal/")


def test_private_record_in_a_linked_folder_stays_private(portfolio: Portfolio):
    # MkDocs follows a link to a folder and would publish a record the loader never read.
    kept_elsewhere = portfolio.root / "records-kept-elsewhere"
    kept_elsewhere.mkdir()
    (kept_elsewhere / "2026-01-05-appraisal.md").write_text(
        "---\ntitle: PRIVATECANARY appraisal\ndate: 2026-01-05\ncategory: work-based\n"
        "share: false\n---\nPRIVATECANARY body.\n",
        "utf-8",
    )
    portfolio.activity("2025/2025-03-14-meeting", "title: M\ndate: 2025-03-14\ncategory: other")
    os.symlink(kept_elsewhere, portfolio.docs / "activities" / "2026")
    portfolio.config(extra="      pdf: false\n")
    build = portfolio.build()
    assert build.returncode == 0, build.output
    for name, data in published_files(build.site):
        assert CANARY not in name.lower().encode() and CANARY not in data.lower(), name
    assert not (build.site / "activities" / "2026").exists()


# -- evidence must stay inside the portfolio ---------------------------------------------


def refused(portfolio: Portfolio, evidence: str) -> str:
    """Build with one activity listing `evidence`; the build must fail and write nothing."""
    portfolio.activity(
        "2025/x", f"title: M\ndate: 2025-03-14\ncategory: other\nevidence: [{evidence}]"
    )
    before = portfolio.fingerprint()
    build = portfolio.build()
    assert build.returncode == 1, build.output
    assert "nothing was built" in build.output and "Traceback" not in build.output
    assert portfolio.fingerprint() == before
    assert not build.site.exists() or not any(build.site.iterdir())
    return build.output


def test_evidence_in_a_linked_folder_leading_outside_is_refused(portfolio: Portfolio):
    outside = portfolio.root.parent / "my-documents"
    outside.mkdir()
    (outside / "payslip.pdf").write_bytes(b"%PDF-1.4 not evidence")
    os.symlink(outside, portfolio.docs / "evidence")
    output = refused(portfolio, "evidence/payslip.pdf")
    assert (
        "portfolio/activities/2025/x.md:5: evidence 'evidence/payslip.pdf' leads outside the "
        "portfolio folder; copy the file into the portfolio (e.g. evidence/)"
    ) in output


@pytest.mark.parametrize(
    "evidence, says",
    [
        pytest.param(
            "../../../mkdocs.yml",
            "evidence '../../../mkdocs.yml' leads outside the portfolio folder",
            id="dot-dot-to-a-file-that-exists",
        ),
        pytest.param(
            "evidence/../../../../mkdocs.yml",
            "evidence 'evidence/../../../../mkdocs.yml' leads outside the portfolio folder",
            id="dot-dot-hidden-inside-the-path",
        ),
        pytest.param(
            "'file:///etc/passwd'",
            "evidence 'file:///etc/passwd' must be a path inside the portfolio folder",
            id="file-url",
        ),
    ],
)
def test_evidence_outside_the_portfolio_is_refused(portfolio: Portfolio, evidence: str, says: str):
    output = refused(portfolio, evidence)
    assert f"portfolio/activities/2025/x.md:5: {says}" in output


def test_evidence_linked_to_another_file_inside_the_portfolio_is_fine(portfolio: Portfolio):
    portfolio.write("scans/certificate.pdf", b"%PDF-1.4 scanned")
    (portfolio.docs / "evidence").mkdir()
    os.symlink(portfolio.docs / "scans" / "certificate.pdf", portfolio.docs / "evidence" / "c.pdf")
    portfolio.activity(
        "x", "title: M\ndate: 2025-03-14\ncategory: other\nevidence: [evidence/c.pdf]"
    )
    portfolio.config(extra="      pdf: false\n")
    build = portfolio.build()
    assert build.returncode == 0, build.output
    assert (build.site / "evidence" / "c.pdf").read_bytes() == b"%PDF-1.4 scanned"
