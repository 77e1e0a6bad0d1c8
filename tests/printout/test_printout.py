"""An auditor receives one PDF: the whole portfolio, or one period of it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import Portfolio
from pypdf import PdfReader
from reading import link_landings, pdftotext

IN_2025 = [
    "Python for medical physicists",
    "Journal club on dosimetry after radioiodine",
]
IN_2024 = ["IPEM nuclear medicine meeting"]
GOALS = ["Become a Chartered Engineer", "Teach the trainees' imaging module"]


def flat_outline(reader: PdfReader) -> list:
    items: list = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                items.append(entry)

    walk(reader.outline)
    return items


def outline_titles(reader: PdfReader) -> list[str]:
    return [item.title for item in flat_outline(reader)]


@pytest.fixture
def printout_2025(small_portfolio: Portfolio, tmp_path: Path) -> Path:
    target = tmp_path / "audit-2025.pdf"
    result = small_portfolio.cpdfolio("pdf", "--period", "2025", "-o", str(target))
    assert result.returncode == 0, result.stderr
    return target


def test_period_printout_holds_exactly_the_period(printout_2025: Path):
    text = " ".join(pdftotext(printout_2025).split())
    for title in IN_2025 + GOALS:
        assert title in text
    for title in IN_2024:
        # Out of the period: not printed as an activity (it serves a goal, but outside 2025).
        assert title not in text
    assert "1 January 2025 to 31 December 2025" in text


def test_private_record_and_its_evidence_never_reach_the_pdf(printout_2025: Path):
    raw = printout_2025.read_bytes()
    assert b"PRIVATECANARY" not in raw and b"privatecanary" not in raw
    reader = PdfReader(printout_2025)
    assert "PRIVATECANARY" not in pdftotext(printout_2025)
    assert not any("privatecanary" in name for name in reader.attachments)


def test_contents_carry_page_numbers_and_bookmarks_cover_every_record(printout_2025: Path):
    reader = PdfReader(printout_2025)
    pages = len(reader.pages)
    contents = pdftotext(printout_2025, "-f", "2", "-l", "2", "-layout")
    for title in IN_2025 + GOALS + ["Summary of the period", "Evidence"]:
        line = next(line for line in contents.splitlines() if title in line)
        number = int(re.search(r"(\d+)\s*$", line).group(1))
        assert 3 <= number <= pages
        assert title in reader.pages[number - 1].extract_text().replace("\n", " ")
    titles = outline_titles(reader)
    parts = [
        "Cover",
        "Contents",
        "Summary of practice",
        "Summary of the period",
        # No profile.md, and a draft only when asked for: no "How the standards are met".
        "Goals",
        "Activities",
        "SWOT analysis",
        "Evidence",
    ]
    assert sorted(titles) == sorted(parts + GOALS + IN_2025 + ["My SWOT"])


def test_contents_numbers_stand_on_their_lines_in_one_column(printout_2025: Path):
    """The numbers are drawn over the contents once known: on each line's baseline, flush right."""
    words = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        pdftotext(printout_2025, "-f", "2", "-l", "2", "-bbox"),
    )
    words = [(float(x0), float(y0), float(x1), float(y1), text) for x0, y0, x1, y1, text in words]
    rights = set()
    for title in IN_2025 + GOALS + ["Evidence"]:
        last = title.split()[-1]
        line = next(w for w in words if w[4] == last or w[4].startswith(last + "."))
        number = max((w for w in words if abs(w[3] - line[3]) < 0.5), key=lambda w: w[2])
        assert number[4].isdigit() and number is not line, f"{title}: no number on its line"
        rights.add(round(number[2]))
    assert max(rights) - min(rights) <= 1, "the numbers end in one column"


def test_every_page_but_the_cover_is_numbered_centred_in_an_embedded_font(printout_2025: Path):
    """ "page N of M" is written into the pages after layout: it must look laid out."""
    total = len(PdfReader(printout_2025).pages)
    for number in range(2, total + 1):
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            pdftotext(printout_2025, "-f", str(number), "-l", str(number), "-bbox"),
        )
        line = [w for w in words if float(w[2]) > 780]  # the foot of an A4 page, 842 pt
        assert [w[3] for w in line] == ["page", str(number), "of", str(total)]
        centre = (float(line[0][0]) + float(line[-1][1])) / 2
        assert abs(centre - 297.6) < 1, f"page {number}: footer centred at {centre}"
    assert "page" not in pdftotext(printout_2025, "-f", "1", "-l", "1")
    fonts = subprocess.run(
        ["pdffonts", str(printout_2025)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), "every font embedded"


def test_reflection_table_and_image_are_rendered(printout_2025: Path):
    reader = PdfReader(printout_2025)
    starts = sorted(reader.get_destination_page_number(item) for item in flat_outline(reader))
    course = next(
        item for item in flat_outline(reader) if item.title == "Python for medical physicists"
    )
    first = reader.get_destination_page_number(course)
    end = next((n for n in starts if n > first), len(reader.pages))
    # pdfimages lists the images each page draws (pages count from 1).
    listing = subprocess.run(
        ["pdfimages", "-list", str(printout_2025)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    drawn_on = [int(line.split()[0]) - 1 for line in listing]
    assert len(drawn_on) == 1 and first <= drawn_on[0] < end, "the image is in its record"
    layout = pdftotext(printout_2025, "-layout")
    assert re.search(r"pydicom\s{2,}very", layout), "the Markdown table keeps its columns"


def test_links_between_records_stay_inside_the_pdf(printout_2025: Path):
    reader = PdfReader(printout_2025)
    internal, external = 0, []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if action is not None and action.get("/URI"):
                external.append(action["/URI"])
            elif annotation.get("/Dest") is not None or (action and action.get("/D")):
                internal += 1
    assert "https://www.ipem.ac.uk/" in external
    assert internal > 10  # contents, goals, activities, evidence and the journal club's link
    assert not any(uri.endswith(".md") for uri in external)


def test_evidence_files_are_attached(small_portfolio: Portfolio, tmp_path: Path):
    target = tmp_path / "all.pdf"
    result = small_portfolio.cpdfolio("pdf", "--period", "all", "-o", str(target))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(target)
    assert set(reader.attachments) == {"meeting-cert.pdf"}
    attached = reader.attachments["meeting-cert.pdf"][0]
    assert attached == (small_portfolio.docs / "evidence" / "meeting-cert.pdf").read_bytes()


def test_cover_header_and_footer(printout_2025: Path):
    first = pdftotext(printout_2025, "-f", "1", "-l", "1")
    assert "CPD portfolio" in first and "Dr Test Member" in first and "MIPEM" in first
    assert "Made on" in first
    reader = PdfReader(printout_2025)
    last = len(reader.pages)
    third = pdftotext(printout_2025, "-f", "3", "-l", "3")
    assert f"page 3 of {last}" in third
    assert "Dr Test Member" in third and "CPD portfolio" in third
    assert reader.metadata["/Author"] == "Dr Test Member"
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=0.5)  # A4


def test_same_portfolio_gives_the_same_bytes(small_portfolio: Portfolio, tmp_path: Path):
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert small_portfolio.cpdfolio("pdf", "-o", str(first)).returncode == 0
    os.utime(small_portfolio.docs / "evidence" / "meeting-cert.pdf", (0, 0))
    assert small_portfolio.cpdfolio("pdf", "-o", str(second)).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_from_and_to_choose_the_period(small_portfolio: Portfolio, tmp_path: Path):
    target = tmp_path / "spring.pdf"
    result = small_portfolio.cpdfolio(
        "pdf", "--from", "2024-01-01", "--to", "2025-03-01", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr
    text = " ".join(pdftotext(target).split())
    assert "IPEM nuclear medicine meeting" in text and "Python for medical physicists" in text
    assert "Journal club on dosimetry" not in text
    bad = small_portfolio.cpdfolio("pdf", "--period", "2025", "--to", "2025-01-01")
    assert bad.returncode == 2 and "either --period or --from/--to" in bad.stderr


def test_site_build_writes_the_printout_and_links_it(small_portfolio: Portfolio):
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    pdf = build.site / "cpd-portfolio.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert build.content("").select_one(".cpd-printout a")["href"] == "cpd-portfolio.pdf"
    assert "printout written to cpd-portfolio.pdf" in build.output


def test_pdf_false_builds_no_printout(small_portfolio: Portfolio):
    small_portfolio.config(extra="      pdf: false\n")
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert not list(build.site.glob("*.pdf"))
    assert build.content("").select_one(".cpd-printout") is None


def test_pdf_refuses_a_portfolio_with_errors(small_portfolio: Portfolio, tmp_path: Path):
    small_portfolio.activity("2025-10-10-bad", "title: Bad\ndate: 2025-13-01\ncategory: formal")
    result = small_portfolio.cpdfolio("pdf", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    assert "activities/2025-10-10-bad.md:3: date '2025-13-01'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_serve_leaves_the_printout_out_unless_asked(small_portfolio: Portfolio):
    import urllib.error

    from serving import serving

    with serving(small_portfolio) as server:
        home = server.get("")
        assert b"Dr Test Member" in home
        assert b"cpd-printout" not in home  # no link to a printout that is not made
        with pytest.raises(urllib.error.HTTPError):
            server.get("cpd-portfolio.pdf")
    assert "no printout while serving" in server.output


def test_a_long_printout_laid_out_in_parts_reads_as_one(tmp_path: Path):
    """95 activities: laid out in nine parts on the cores, bound as one book."""
    portfolio = Portfolio(tmp_path)
    portfolio.goal("ceng", "title: Become a Chartered Engineer\nstatus: in-progress")
    for n in range(95):
        day = f"2025-{n // 28 + 1:02d}-{n % 28 + 1:02d}"
        portfolio.activity(
            f"{day}-talk-{n:02d}",
            f"title: Departmental talk number {n:02d}\ndate: {day}\ncategory: professional\n"
            f"goals: [ceng]",
        )
    target = tmp_path / "long.pdf"
    result = portfolio.cpdfolio("pdf", "--period", "all", "-o", str(target))
    assert result.returncode == 0, result.stderr
    reader = PdfReader(target)
    total = len(reader.pages)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    # Every record's bookmark sits under "Activities", in order, on its own page.
    activities = next(
        n
        for n, item in enumerate(reader.outline)
        if not isinstance(item, list) and item.title == "Activities"
    )
    nested = reader.outline[activities + 1]
    assert [item.title for item in nested] == [
        f"Departmental talk number {n:02d}" for n in range(95)
    ]
    for item in nested:
        assert item.title in pages[reader.get_destination_page_number(item)]
    # The contents' numbers point at the right pages, in the last group too.
    contents = pdftotext(target, "-f", "2", "-l", "4", "-layout")
    for n in (0, 45, 94):
        line = next(x for x in contents.splitlines() if f"Departmental talk number {n:02d}" in x)
        number = int(line.split()[-1])
        assert f"Departmental talk number {n:02d}" in pages[number - 1]
    # The goal's list links to activities in every group: each link lands on its record.
    landed = link_landings(reader)
    starts = {item.title: reader.get_destination_page_number(item) for item in nested}
    for n in (0, 45, 94):
        assert starts[f"Departmental talk number {n:02d}"] in landed
    # Header and "page N of M" on every page but the cover, numbered through the parts.
    for number in (2, total // 2, total):
        assert f"page {number} of {total}" in pages[number - 1]
        assert "Dr Test Member" in pages[number - 1] and "CPD portfolio" in pages[number - 1]
    assert "page 1 of" not in pages[0]
