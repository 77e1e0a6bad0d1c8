"""A member chooses how dates are written: `locale:` in mkdocs.yml, for the site and the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Build, Portfolio
from reading import pdftotext

COURSE = "activities/2025/2025-02-03-python-course"
# 2025-03-14 at noon UTC: the day the printout says it was made.
MADE = "1741953600"


def details(build: Build, url_path: str) -> dict[str, str]:
    return {
        row.select("td")[0].get_text(): row.select("td")[1].get_text(" ", strip=True)
        for row in build.content(url_path).select(".cpd-details tbody tr")
    }


def first_date_in_list(build: Build, url_path: str) -> str:
    return build.content(url_path).select_one(".cpd-activities td").get_text()


def print_2025(portfolio: Portfolio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", MADE)
    target = tmp_path / "2025.pdf"
    result = portfolio.cpdfolio("pdf", "--period", "2025", "-o", str(target))
    assert result.returncode == 0, result.stderr
    return " ".join(pdftotext(target).split())


def test_dates_are_british_unless_told_otherwise(
    small_portfolio: Portfolio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert details(build, COURSE)["Date"] == "3 February 2025 to 5 February 2025"
    assert first_date_in_list(build, "years/2025") == "3 Feb 2025"
    assert details(build, "goals/ceng")["Target"] == "30 June 2026"
    text = print_2025(small_portfolio, tmp_path, monkeypatch)
    assert "Period 1 January 2025 to 31 December 2025" in text
    assert "Made on 14 March 2025" in text
    assert "Date 3 February 2025 to 5 February 2025" in text


def test_an_american_member_gets_american_dates_on_the_site_and_in_the_pdf(
    small_portfolio: Portfolio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    small_portfolio.config(extra="      locale: en-US\n")
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert details(build, COURSE)["Date"] == "February 3, 2025 to February 5, 2025"
    assert first_date_in_list(build, "years/2025") == "Feb 3, 2025"
    assert details(build, "goals/ceng")["Target"] == "June 30, 2026"
    text = print_2025(small_portfolio, tmp_path, monkeypatch)
    assert "Period January 1, 2025 to December 31, 2025" in text
    assert "Made on March 14, 2025" in text
    assert "Date February 3, 2025 to February 5, 2025" in text
    assert "3 February 2025" not in text


def test_a_german_member_gets_german_dates_and_the_dashboard_period_too(
    small_portfolio: Portfolio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    small_portfolio.config(extra="      locale: de_de\n")  # any case, - or _
    small_portfolio.config(
        text=(small_portfolio.root / "mkdocs.yml")
        .read_text("utf-8")
        .replace("period: all", "period: {from: 2025-01-01, to: 2025-12-31}")
    )
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert details(build, COURSE)["Date"] == "3. Februar 2025 to 5. Februar 2025"
    assert first_date_in_list(build, "years/2025") == "3. Feb. 2025"
    assert build.content("").select_one(".cpd-period").get_text() == (
        "Period: 1. Januar 2025 to 31. Dezember 2025"
    )
    text = print_2025(small_portfolio, tmp_path, monkeypatch)
    assert "Made on 14. März 2025" in text
    assert "Date 3. Februar 2025 to 5. Februar 2025" in text


def test_an_unknown_locale_stops_the_build_with_the_option_named(
    small_portfolio: Portfolio, tmp_path: Path
):
    small_portfolio.config(extra="      locale: british\n")
    build = small_portfolio.build()
    assert build.returncode == 1
    assert (
        "option 'locale': 'british' is not a locale; write a language and a country, "
        "such as en-GB, en-US or de-DE"
    ) in build.output
    assert "Traceback" not in build.output
    assert not (build.site / "index.html").exists()
    printing = small_portfolio.cpdfolio("pdf", "-o", str(tmp_path / "x.pdf"))
    assert printing.returncode == 1
    assert "option 'locale': 'british' is not a locale" in printing.stderr
    assert "Traceback" not in printing.stderr
    assert not (tmp_path / "x.pdf").exists()
