"""A member previews with `cpdfolio serve --pdf` and sees each edit in the auditor's PDF too."""

from __future__ import annotations

import subprocess
import time
import urllib.error
from pathlib import Path

from conftest import Portfolio
from serving import Server, serving

COURSE = "activities/2025/2025-02-03-python-course.md"
COURSE_PAGE = "activities/2025/2025-02-03-python-course/"


def served_pdf(server: Server, folder: Path) -> Path | None:
    """The printout the preview serves now, saved in `folder` (None while there is none)."""
    try:
        data = server.get("cpd-portfolio.pdf")
    except urllib.error.HTTPError:
        return None
    target = folder / "served.pdf"
    target.write_bytes(data)
    return target


def printout_text(server: Server, folder: Path) -> str:
    """The served printout's words ('' while there is none yet)."""
    target = served_pdf(server, folder)
    if target is None:
        return ""
    result = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else ""


def wait_for(check, timeout: float) -> float | None:
    """Seconds until `check()` holds, or None if it did not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def test_an_edit_reaches_the_page_at_once_and_the_served_printout_soon_after(
    small_portfolio: Portfolio, tmp_path: Path
):
    course = small_portfolio.docs / COURSE
    with serving(small_portfolio, "--pdf") as server:
        # The home page links the printout, and the link serves it once it is made.
        assert b"cpd-portfolio.pdf" in server.get("")
        assert wait_for(
            lambda: "Python for medical physicists" in printout_text(server, tmp_path), 60
        )

        course.write_text(course.read_text() + "\nWombatcalibration reflection words.\n")
        saved = time.monotonic()
        page = wait_for(lambda: b"Wombatcalibration" in server.get(COURSE_PAGE), 30)
        assert page is not None and page < 3, f"the page took {page} s"
        printed = wait_for(lambda: "Wombatcalibration" in printout_text(server, tmp_path), 30)
        assert printed is not None, server.output
        took = time.monotonic() - saved

        # Three saves in a row: the printout ends with the last, made once more at most.
        for n in range(3):
            course.write_text(course.read_text() + f"\nQuokkadraft number {n}.\n")
            time.sleep(0.3)
        assert wait_for(lambda: "Quokkadraft number 2" in printout_text(server, tmp_path), 60)
    assert "Traceback" not in server.output
    assert "printout made again in the background" in server.output
    print(f"edit to printout served: {took:.1f} s")


def test_without_pdf_the_preview_makes_no_printout(small_portfolio: Portfolio):
    with serving(small_portfolio) as server:
        assert b"cpd-portfolio.pdf" not in server.get("")
        time.sleep(1)
        try:
            server.get("cpd-portfolio.pdf")
            served = True
        except urllib.error.HTTPError:
            served = False
        assert not served
    assert "printout made again" not in server.output


def test_serve_pdf_asks_for_the_mkdocs_engine(small_portfolio: Portfolio):
    result = small_portfolio.cpdfolio("serve", "--pdf", "--engine", "zensical")
    assert result.returncode != 0
    assert "serve --pdf makes the printout with the mkdocs engine only" in result.stderr
    assert "Traceback" not in result.stderr


def test_with_a_passphrase_the_live_printout_is_locked_and_follows_edits(
    small_portfolio: Portfolio, tmp_path: Path, monkeypatch
):
    secret = "quiet otter marble 2031"
    monkeypatch.setenv("CPDFOLIO_PASSPHRASE", secret)
    course = small_portfolio.docs / COURSE

    def unlocked() -> str:
        target = served_pdf(server, tmp_path)
        if target is None:
            return ""
        locked = subprocess.run(["pdftotext", str(target), "-"], capture_output=True)
        assert locked.returncode != 0  # no reader opens it without the passphrase
        opened = subprocess.run(
            ["pdftotext", "-upw", secret, str(target), "-"], capture_output=True, text=True
        )
        return opened.stdout

    with serving(small_portfolio, "--pdf") as server:
        assert wait_for(lambda: "Python for medical physicists" in unlocked(), 60), server.output
        course.write_text(course.read_text() + "\nPangolinprecision reflection words.\n")
        assert wait_for(lambda: "Pangolinprecision" in unlocked(), 60), server.output
    assert "Traceback" not in server.output
    assert "could not be made again" not in server.output
