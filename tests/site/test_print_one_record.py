"""An assessor prints one activity or goal from the browser: the record, not the site around it."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import print_to_pdf
from conftest import Build, Portfolio
from reading import pdftotext

# Words of the site around a record: the header, the navigation, the table of contents.
AROUND = ["Dashboard", "All goals", "Table of contents", "Test portfolio", "Search"]


@pytest.fixture
def site(small_portfolio: Portfolio) -> Build:
    small_portfolio.activity(
        "2025-07-01-guidance",
        """
        title: Reading the new guidance
        date: 2025-07-01
        category: self-directed
        tags: [unplanned]
        """,
        body="## What I did\n\nRead [the IPEM guidance](https://www.ipem.ac.uk/guidance) twice.\n",
    )
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    return build


def printed(build: Build, url_path: str, tmp_path: Path) -> str:
    page = build.site / url_path / "index.html"
    pdf = print_to_pdf(page.as_uri(), tmp_path / "printed.pdf", tmp_path / "profile")
    return " ".join(pdftotext(pdf).split())


def test_a_printed_activity_holds_its_details_and_reflection_and_no_navigation(
    site: Build, tmp_path: Path
):
    text = printed(site, "activities/2025/2025-02-03-python-course", tmp_path)
    assert text.startswith("Python for medical physicists")
    for detail in (
        "Date 3 February 2025 to 5 February 2025",
        "Category Formal and educational",
        "Type course",
        "Hours 12",
        "Goals Become a Chartered Engineer Teach the trainees' imaging module",
    ):
        assert detail in text
    assert "What I learned" in text and "pydicom very" in text  # the reflection's table
    assert "Faster QC means more scanner time for patients." in text
    for words in AROUND:
        assert words not in text


def test_a_printed_goal_holds_its_activities_and_no_navigation(site: Build, tmp_path: Path):
    text = printed(site, "goals/ceng", tmp_path)
    assert text.startswith("Become a Chartered Engineer")
    assert "Status In progress" in text and "Target 30 June 2026" in text
    # Its activities, each title in a table cell that may wrap onto two lines.
    assert "IPEM nuclear medicine" in text and "Python for medical" in text
    for words in AROUND:
        assert words not in text


def test_a_printed_reflection_spells_out_its_web_links(site: Build, tmp_path: Path):
    text = printed(site, "activities/2025-07-01-guidance", tmp_path)
    assert "Read the IPEM guidance (https://www.ipem.ac.uk/guidance) twice." in text
