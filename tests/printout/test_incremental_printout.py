"""A member fixes one sentence and prints again: only what changed is laid out afresh.

Every test compares against a cold printout (`--no-cache`) of the same records,
byte for byte, and reads the PDF back where page numbers move.
"""

from __future__ import annotations

import re
import stat
from importlib import resources
from pathlib import Path

from conftest import Portfolio
from pypdf import PdfReader
from reading import link_landings, pdftotext

CACHE = Path(".cpdfolio", "cache", "printout")
COURSE = "activities/2025/2025-02-03-python-course.md"


def print_pdf(portfolio: Portfolio, target: Path, *options: str) -> str:
    """`cpdfolio pdf` of the whole portfolio; its log, which says what came from the cache."""
    result = portfolio.cpdfolio("pdf", "--period", "all", "-o", str(target), *options)
    assert result.returncode == 0, result.stderr
    return result.stderr


def from_cache(log: str) -> tuple[int, int]:
    """(parts taken from the cache, parts in all) as the printout's log tells them."""
    found = re.search(r"(\d+) of (\d+) parts from the cache", log)
    assert found, log
    return int(found.group(1)), int(found.group(2))


def contents_number(printout: Path, title: str) -> int:
    """The page number the contents give for `title`."""
    contents = pdftotext(printout, "-f", "2", "-l", "3", "-layout")
    return int(next(x for x in contents.splitlines() if title in x).split()[-1])


def cache_files(portfolio: Portfolio) -> list[Path]:
    return [p for p in (portfolio.root / CACHE).rglob("*") if p.is_file()]


def long_portfolio(root: Path, activities: int = 25) -> Portfolio:
    """A goal and `activities` short talks: the printout's body is laid out in several parts."""
    portfolio = Portfolio(root)
    portfolio.goal("ceng", "title: Become a Chartered Engineer\nstatus: in-progress")
    for n in range(activities):
        day = f"2025-{n // 28 + 1:02d}-{n % 28 + 1:02d}"
        portfolio.activity(
            f"{day}-talk-{n:02d}",
            f"title: Departmental talk number {n:02d}\ndate: {day}\ncategory: professional\n"
            f"goals: [ceng]",
        )
    return portfolio


def test_an_edited_reflection_prints_again_from_the_cache_as_a_cold_build_would(
    small_portfolio: Portfolio, tmp_path: Path
):
    first = print_pdf(small_portfolio, tmp_path / "first.pdf")
    hits, parts = from_cache(first)
    assert hits == 0 and parts > 3  # nothing kept yet: every part laid out
    course = small_portfolio.docs / COURSE
    course.write_text(course.read_text() + "\nMy supervisor checked the script line by line.\n")

    warm = print_pdf(small_portfolio, tmp_path / "warm.pdf")
    hits, parts = from_cache(warm)
    # The edited activity's part and nothing else of the body is laid out again.
    assert 0 < hits < parts
    print_pdf(small_portfolio, tmp_path / "cold.pdf", "--no-cache")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    assert "checked the script line by line" in pdftotext(tmp_path / "warm.pdf")

    # Printed again with nothing changed: every part comes from the cache, the same bytes.
    again = print_pdf(small_portfolio, tmp_path / "again.pdf")
    assert from_cache(again) == (parts, parts)
    assert (tmp_path / "again.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()


def test_a_longer_reflection_moves_later_page_numbers_links_and_bookmarks(tmp_path: Path):
    portfolio = long_portfolio(tmp_path / "member")
    print_pdf(portfolio, tmp_path / "before.pdf")
    pages_before = len(PdfReader(tmp_path / "before.pdf").pages)
    last = "Departmental talk number 24"
    number_before = contents_number(tmp_path / "before.pdf", last)
    # The first talk's reflection grows by pages: every record after it moves.
    first = next((portfolio.docs / "activities").glob("2025-01-01-talk-00.md"))
    long_text = "\n\n".join(
        f"## Part {n}\n\n" + "The audit of the linac output took the whole afternoon. " * 30
        for n in range(8)
    )
    first.write_text(first.read_text() + "\n" + long_text + "\n")

    warm = print_pdf(portfolio, tmp_path / "warm.pdf")
    hits, parts = from_cache(warm)
    assert hits >= 2, warm  # the later talks' parts were not laid out again
    print_pdf(portfolio, tmp_path / "cold.pdf", "--no-cache")
    warm_pdf = tmp_path / "warm.pdf"
    assert warm_pdf.read_bytes() == (tmp_path / "cold.pdf").read_bytes()

    reader = PdfReader(warm_pdf)
    total = len(reader.pages)
    assert total >= pages_before + 2
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    # The contents' number of the last talk is the page it now starts on.
    number = contents_number(warm_pdf, last)
    assert number >= number_before + 2
    assert last in pages[number - 1]
    # Its bookmark lands there, and so does the goal's link to it.
    outline = [item for item in reader.outline if isinstance(item, list)]
    bookmark = next(item for group in outline for item in group if item.title == last)
    assert reader.get_destination_page_number(bookmark) == number - 1
    landed = link_landings(reader)
    assert number - 1 in landed
    # "page N of M" counts the new pages, to the last.
    assert f"page {total} of {total}" in pages[-1]


def test_a_record_added_in_the_middle_lays_out_its_own_part_again_not_every_later_one(
    tmp_path: Path,
):
    portfolio = long_portfolio(tmp_path / "member", activities=60)
    first = print_pdf(portfolio, tmp_path / "before.pdf")
    assert from_cache(first)[0] == 0
    # A talk from early January remembered late: it goes before most of the others.
    portfolio.activity(
        "2025-01-05-late-talk",
        "title: A talk remembered late\ndate: 2025-01-05\ncategory: professional\ngoals: [ceng]",
    )

    hits, parts = from_cache(print_pdf(portfolio, tmp_path / "warm.pdf"))
    # Laid out again: the cover and contents, the goal's list, the part the talk joins
    # (and at most its neighbour) and the contents' numbers (two pages' worth of
    # stamps): the activities' parts after it are as they were. Parts cut by count
    # shifted every later part: ten of thirteen parts were laid out again.
    assert parts - hits <= 6, (hits, parts)
    print_pdf(portfolio, tmp_path / "cold.pdf", "--no-cache")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    assert "A talk remembered late" in pdftotext(tmp_path / "warm.pdf")


def test_the_cache_sits_beside_mkdocs_yml_for_the_member_alone(
    small_portfolio: Portfolio, tmp_path: Path
):
    print_pdf(small_portfolio, tmp_path / "printout.pdf")
    folder = small_portfolio.root / CACHE
    assert cache_files(small_portfolio)
    for path in (folder, *folder.rglob("*")):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path}: {oct(mode)}"
    # Outside the records and the site: neither a build nor the records see it.
    assert not (small_portfolio.docs / ".cpdfolio").exists()
    # And the .gitignore that `cpdfolio new` writes keeps it out of the member's repository.
    gitignore = resources.files("cpdfolio") / "templates" / "gitignore"
    assert ".cpdfolio/" in gitignore.read_text("utf-8").splitlines()


def test_no_cache_reads_and_writes_none(small_portfolio: Portfolio, tmp_path: Path):
    log = print_pdf(small_portfolio, tmp_path / "printout.pdf", "--no-cache")
    assert "from the cache" not in log
    assert not (small_portfolio.root / CACHE).exists()
    build = small_portfolio.cpdfolio("build", "--no-cache")
    assert build.returncode == 0, build.stderr
    assert not (small_portfolio.root / CACHE).exists()
    assert (small_portfolio.root / "site" / "cpd-portfolio.pdf").is_file()


def test_the_site_build_prints_with_the_cache_and_clean_removes_it(small_portfolio: Portfolio):
    build = small_portfolio.cpdfolio("build")
    assert build.returncode == 0, build.stderr
    assert from_cache(build.stderr)[0] == 0
    again = small_portfolio.cpdfolio("build")
    hits, parts = from_cache(again.stderr)
    assert hits == parts
    assert cache_files(small_portfolio)

    cleaned = small_portfolio.cpdfolio("clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert "Removed the printout cache" in cleaned.stdout
    assert not (small_portfolio.root / CACHE).exists()
    # The records, mkdocs.yml and the site are left as they were.
    assert (small_portfolio.root / "site" / "cpd-portfolio.pdf").is_file()
    assert (small_portfolio.root / "mkdocs.yml").is_file()
    assert "nothing to remove" in small_portfolio.cpdfolio("clean").stdout
    after = small_portfolio.cpdfolio("build")
    assert from_cache(after.stderr)[0] == 0


def test_entries_an_edit_made_stale_are_removed(tmp_path: Path):
    portfolio = long_portfolio(tmp_path / "member")
    print_pdf(portfolio, tmp_path / "one.pdf")
    before = {p.name for p in cache_files(portfolio)}
    talk = next((portfolio.docs / "activities").glob("2025-01-03-talk-02.md"))
    for n in range(3):
        talk.write_text(talk.read_text() + f"\nAnother thought, number {n}.\n")
        print_pdf(portfolio, tmp_path / "again.pdf")
    after = {p.name for p in cache_files(portfolio)}
    # As many entries as one printout needs: the old versions of the edited part are gone.
    assert len(after) == len(before)
    assert len(after - before) >= 1


def test_a_private_record_leaves_nothing_in_the_cache(small_portfolio: Portfolio, tmp_path: Path):
    private = [
        path
        for path in small_portfolio.docs.rglob("*.md")
        if re.search(r"^share:\s*false", path.read_text(), re.M)
    ]
    assert private, "the small portfolio has a private record"
    private[0].write_text(private[0].read_text() + "\nZanzibarquokka private phrase.\n")
    print_pdf(small_portfolio, tmp_path / "printout.pdf")
    small_portfolio.cpdfolio("build")
    files = cache_files(small_portfolio)
    assert files
    for path in files:
        assert b"Zanzibarquokka" not in path.read_bytes(), path


def test_with_a_passphrase_the_cache_holds_nothing_readable(
    small_portfolio: Portfolio, tmp_path: Path, monkeypatch
):
    course = small_portfolio.docs / COURSE
    course.write_text(course.read_text() + "\nQuetzalmarmot shared phrase.\n")
    # Kept in clear before the passphrase was set: removed when it is.
    print_pdf(small_portfolio, tmp_path / "clear.pdf")
    assert any(b"Quetzalmarmot" in p.read_bytes() for p in cache_files(small_portfolio))

    monkeypatch.setenv("CPDFOLIO_PASSPHRASE", "quiet otter marble 2031")
    first = print_pdf(small_portfolio, tmp_path / "locked.pdf")
    assert from_cache(first)[0] == 0
    second = print_pdf(small_portfolio, tmp_path / "locked-again.pdf")
    hits, parts = from_cache(second)
    assert hits == parts  # sealed entries are read back with the passphrase
    files = cache_files(small_portfolio)
    assert files
    for path in files:
        data = path.read_bytes()
        assert b"Quetzalmarmot" not in data and b"Python for medical" not in data, path
        assert b"%PDF" not in data, path
    # The locked printout reads the same whichever way it was made.
    cold = tmp_path / "locked-cold.pdf"
    print_pdf(small_portfolio, cold, "--no-cache")
    password = "quiet otter marble 2031"
    warm_text = pdftotext(tmp_path / "locked-again.pdf", "-upw", password)
    assert "Quetzalmarmot" in warm_text
    assert warm_text == pdftotext(cold, "-upw", password)

    # Another passphrase cannot read them: every part is laid out afresh, without a fault.
    monkeypatch.setenv("CPDFOLIO_PASSPHRASE", "velvet canyon ribbon 4417")
    other = print_pdf(small_portfolio, tmp_path / "other.pdf")
    assert from_cache(other)[0] == 0


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    """A plain PNG of one colour, made here so that the test needs no image file."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\0" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def test_an_image_replaced_under_the_same_name_is_laid_out_again(
    small_portfolio: Portfolio, tmp_path: Path
):
    print_pdf(small_portfolio, tmp_path / "before.pdf")
    # The course's reflection shows this chart; the member saves a taller one over it.
    (small_portfolio.docs / "evidence" / "qc-chart.png").write_bytes(png(240, 900, (200, 30, 30)))
    warm = print_pdf(small_portfolio, tmp_path / "warm.pdf")
    hits, parts = from_cache(warm)
    assert hits < parts  # the part showing it, at least, was laid out again
    print_pdf(small_portfolio, tmp_path / "cold.pdf", "--no-cache")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    assert (tmp_path / "warm.pdf").read_bytes() != (tmp_path / "before.pdf").read_bytes()


def test_a_cache_that_cannot_be_used_leaves_the_printout_as_it_was(
    small_portfolio: Portfolio, tmp_path: Path
):
    # A file where the cache's folder should be: the printout is made without it.
    (small_portfolio.root / ".cpdfolio").mkdir()
    (small_portfolio.root / ".cpdfolio" / "cache").write_text("not a folder")
    log = print_pdf(small_portfolio, tmp_path / "printout.pdf")
    assert "the printout cache in" in log and "every part is laid out afresh" in log
    assert "Traceback" not in log
    print_pdf(small_portfolio, tmp_path / "cold.pdf", "--no-cache")
    assert (tmp_path / "printout.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
