"""An assessor who reads with a screen reader gets the printout's words, in order;
an archive gets a PDF/A-3 file that carries its evidence.

The PDF is read back with pikepdf: its structure tree, its marked content, its
metadata. The checks of the `pdfua` package (the PDF/UA checker that installs
from a package registry; veraPDF does not) run over it as well.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from conftest import Build, Portfolio
from pikepdf import Dictionary, Name

HEADER, FOOTER, STAMP = "/CpdfolioHeader", "/CpdfolioFooter", "/CpdfolioStamp"


@pytest.fixture(scope="module")
def printout(example_build: Build) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(example_build.site / "cpd-portfolio.pdf") as pdf:
        yield pdf


def elements(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    """Every structure element, in reading order (depth first, as a screen reader goes)."""
    stack = list(reversed(kids(pdf.Root.StructTreeRoot)))
    while stack:
        element = stack.pop()
        if isinstance(element, Dictionary) and Name.S in element:
            yield element
            stack.extend(reversed(kids(element)))


def kids(element: Dictionary) -> list:
    value = element.get(Name.K)
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Object]:
    tree = pdf.Root.StructTreeRoot.ParentTree
    assert Name.Kids not in tree  # cpdfolio writes one flat /Nums array
    numbers = list(tree.Nums)
    keys = [int(key) for key in numbers[0::2]]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    return dict(zip(keys, numbers[1::2], strict=True))


def artifacts_around(page: pikepdf.Page) -> dict[str, bool]:
    """For each stamp drawn on the page (by its resource name), whether it is drawn
    inside an /Artifact marked-content sequence."""
    found: dict[str, bool] = {}
    marks: list[str] = []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            marks.append(str(operands[0]))
        elif op == "EMC":
            marks.pop()
        elif op == "Do" and str(operands[0]) in (HEADER, STAMP):
            found[str(operands[0])] = "/Artifact" in marks
        elif op == "Tf" and str(operands[0]) == FOOTER:
            found[FOOTER] = "/Artifact" in marks
    assert not marks, "every marked-content sequence is closed"
    return found


def test_the_printout_is_tagged_and_its_tags_cover_every_page(printout: pikepdf.Pdf):
    assert printout.Root.MarkInfo.Marked is True
    tree = parent_tree(printout)
    pages_with_elements = {
        element.Pg.objgen for element in elements(printout) if Name.Pg in element
    }
    for number, page in enumerate(printout.pages, start=1):
        assert page.obj.objgen in pages_with_elements, f"page {number} has no tagged content"
        # Each page's marked content leads back to elements of the one tree.
        marked = tree[int(page.obj.StructParents)]
        assert len(marked) > 0, f"page {number}: empty parent tree entry"
        assert all(Name.S in element for element in marked)
    document = kids(printout.Root.StructTreeRoot)
    assert len(document) == 1 and document[0].S == Name.Document
    assert int(printout.Root.StructTreeRoot.ParentTreeNextKey) == max(tree) + 1


def test_a_reader_shows_the_title_in_the_language_of_the_text(printout: pikepdf.Pdf):
    assert str(printout.Root.Lang) == "en-GB"
    assert printout.Root.ViewerPreferences.DisplayDocTitle is True
    title = str(printout.docinfo.Title)
    assert title == "CPD portfolio of Dr Eleanor Hart"
    meta = printout.open_metadata()
    assert meta["dc:title"] == title
    assert meta["pdfuaid:part"] == "1"
    assert meta["pdf:Producer"] == str(printout.docinfo.Producer)
    assert meta["dc:creator"] == ["Dr Eleanor Hart"]
    assert "pdfaid:part" not in meta  # not an archive unless asked


def test_every_link_is_inside_a_link_element_and_says_where_it_leads(printout: pikepdf.Pdf):
    tree = parent_tree(printout)
    links = 0
    for number, page in enumerate(printout.pages, start=1):
        for annotation in page.obj.get(Name.Annots, ()):
            if annotation.Subtype != Name.Link:
                continue
            links += 1
            element = tree[int(annotation.StructParent)]
            assert element.S == Name.Link, f"page {number}: a link outside a /Link element"
            objects = [k.Obj for k in kids(element) if isinstance(k, Dictionary) and "/Obj" in k]
            assert any(obj.objgen == annotation.objgen for obj in objects)
            contents = str(annotation.get(Name.Contents, ""))
            assert contents and "cpdfolio-anchor" not in contents, contents
    assert links > 20
    # A link in the contents names the record it leads to, and its page.
    contents_links = [
        str(a.Contents) for page in printout.pages[1:3] for a in page.obj.get(Name.Annots, ())
    ]
    assert any(
        text.startswith("Activity: Mentoring a newly qualified") and ", page " in text
        for text in contents_links
    ), contents_links


def test_header_footer_and_page_numbers_are_artifacts(printout: pikepdf.Pdf):
    # The cover has no header or footer; the contents page carries its page numbers.
    assert artifacts_around(printout.pages[1]) == {HEADER: True, STAMP: True, FOOTER: True}
    for page in printout.pages[2:]:
        found = artifacts_around(page)
        assert found[HEADER] and found[FOOTER], found


def test_headings_go_down_one_level_at_a_time(printout: pikepdf.Pdf):
    levels = [
        int(str(element.S)[2])
        for element in elements(printout)
        if str(element.S) in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")
    ]
    assert levels[0] == 1 and len(levels) > 30
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not jumps, f"headings skip a level: {jumps}"


def test_tables_have_header_cells_that_say_what_they_head(printout: pikepdf.Pdf):
    tables = [element for element in elements(printout) if element.S == Name.Table]
    assert len(tables) >= 5
    ids = printout.Root.StructTreeRoot.IDTree.Names
    known = {str(key) for key in list(ids)[0::2]}
    for table in tables:
        cells = [e for e in elements_under(table) if e.S in (Name.TH, Name.TD)]
        headers = [cell for cell in cells if cell.S == Name.TH]
        assert headers, "a table without header cells"
        assert all(cell.A.Scope in (Name.Column, Name.Row) for cell in headers)
        for cell in cells:
            if cell.S == Name.TD and Name.A in cell and Name.Headers in cell.A:
                assert {str(h) for h in cell.A.Headers} <= known


def elements_under(element: Dictionary) -> Iterator[Dictionary]:
    for kid in kids(element):
        if isinstance(kid, Dictionary) and Name.S in kid:
            yield kid
            yield from elements_under(kid)


def test_the_pdf_passes_qpdf_and_the_pdfua_checks(example_build: Build):
    path = example_build.site / "cpd-portfolio.pdf"
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []  # qpdf's own checks of syntax and streams
    checked = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", str(path)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "PASS" in checked.stdout


def test_archive_is_pdf_a_3b_with_the_evidence_as_associated_files(
    small_portfolio: Portfolio, tmp_path: Path
):
    target = tmp_path / "archive.pdf"
    result = small_portfolio.cpdfolio("pdf", "--archive", "--period", "all", "-o", str(target))
    assert result.returncode == 0, result.stderr
    with pikepdf.open(target) as pdf:
        assert not pdf.is_encrypted
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("3", "B")
        assert meta["pdfuaid:part"] == "1"  # still tagged for a screen reader
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert meta["xmp:CreateDate"] == "2026-11-25T00:00:00Z"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == Name.GTS_PDFA1
        assert int(intent.DestOutputProfile.N) == 3
        assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
        (associated,) = pdf.Root.AF
        assert str(associated.UF) == "meeting-cert.pdf"
        assert associated.AFRelationship == Name.Supplement
        stream = associated.EF.F
        assert stream.Subtype == Name("/application/pdf")
        evidence = small_portfolio.docs / "evidence" / "meeting-cert.pdf"
        assert stream.read_bytes() == evidence.read_bytes()
        assert set(pdf.attachments) == {"meeting-cert.pdf"}
        for page in pdf.pages:
            for annotation in page.obj.get(Name.Annots, ()):
                assert int(annotation.F) == 4  # printed, as PDF/A asks
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.check_pdf_syntax() == []


def test_archive_and_passphrase_together_are_refused(small_portfolio: Portfolio, tmp_path: Path):
    target = tmp_path / "archive.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", "pdf", "--archive", "-o", str(target)],
        cwd=small_portfolio.root,
        capture_output=True,
        text=True,
        env={**os.environ, "CPDFOLIO_PASSPHRASE": "correct horse battery staple"},
    )
    assert result.returncode == 1
    assert "PDF/A forbids encryption" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_pdf_archive_option_archives_the_site_printout(small_portfolio: Portfolio):
    small_portfolio.config(extra="      pdf_archive: true\n")
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    with pikepdf.open(build.site / "cpd-portfolio.pdf") as pdf:
        assert pdf.open_metadata()["pdfaid:part"] == "3"
        assert len(pdf.Root.AF) == 1


def test_pdf_archive_option_with_a_passphrase_fails_the_build(small_portfolio: Portfolio):
    small_portfolio.config(
        extra="      pdf_archive: true\n      passphrase: correct horse battery staple\n"
    )
    build = small_portfolio.build()
    assert build.returncode == 1
    assert "PDF/A forbids encryption" in build.output
    assert "Traceback" not in build.output
