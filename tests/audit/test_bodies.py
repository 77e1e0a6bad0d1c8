"""A member who answers to several bodies keeps one portfolio and prints for each.

An IPEM member who is an HCPC-registered clinical scientist and working towards
CEng lists both frameworks; each body's checks, window and statement come out
when printing or checking for that body.
"""

from __future__ import annotations

import datetime
import json
import re
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, TODAY, Portfolio, epoch_of, long_date
from reading import pdf_words
from test_audit import CHECKS

from cpdfolio.frameworks import load_framework

BOTH = "      frameworks: [uk-spec, hcpc]\n      pdf: false\n"
# No period: the site shows the last twelve months, and each body's printout its own window.
NO_PERIOD = MKDOCS_YML.replace("      period: all\n", "")
UK_SPEC_CHECKS = CHECKS["uk-spec"]
HCPC_CHECKS = CHECKS["hcpc"]


def words(count: int) -> str:
    """Prose of exactly `count` words, in lines a member would write."""
    sentence = "I calibrate the gamma cameras and teach the trainees each week".split()
    chosen = [sentence[n % len(sentence)] for n in range(count)]
    return "\n".join(" ".join(chosen[n : n + 12]) for n in range(0, count, 12)) + "\n"


def check(portfolio: Portfolio, *args: str) -> tuple[int, dict]:
    result = portfolio.cpdfolio("check", "--format", "json", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.fixture
def registrant(portfolio: Portfolio) -> Portfolio:
    """A clinical scientist on the HCPC register, working towards CEng: two bodies."""
    portfolio.config(extra=BOTH)
    portfolio.goal("ceng", "title: Become a Chartered Engineer\nstatus: in-progress")
    for day, title, category, codes in [
        ("2025-01-20", "Gamma camera acceptance testing", "work-based", "[A2, B3]"),
        ("2025-04-11", "IPEM nuclear medicine meeting", "professional", "[A1, D2]"),
        ("2025-07-02", "Leading the radiation safety audit", "work-based", "[C1, E2]"),
        ("2025-10-15", "Python for image analysis", "formal", "[B2]"),
        ("2026-02-03", "Reading on dosimetry after radioiodine", "self-directed", "[A1]"),
        ("2026-05-19", "Teaching the trainees' imaging module", "professional", "[D1, C3]"),
        ("2026-08-27", "Ethics case discussion", "work-based", "[E1, E3]"),
        ("2026-11-02", "Sustainability in the department", "self-directed", "[E3]"),
    ]:
        portfolio.activity(
            f"{day}-{title.lower().replace(' ', '-').replace(chr(39), '')}",
            f"title: {title}\ndate: {day}\ncategory: {category}\ngoals: [ceng]\n"
            f"competences: {codes}",
        )
    portfolio.write("index.md", "---\ntitle: Summary of practice\n---\n" + words(120))
    portfolio.write("profile.md", "---\ntitle: Written profile\n---\n" + words(600))
    return portfolio


# -- one portfolio, each body's checks ---------------------------------------------------


def test_check_for_one_body_gives_that_bodys_checks(registrant: Portfolio):
    returncode, hcpc = check(registrant, "--framework", "hcpc", "--period", "all")
    assert returncode == 0
    assert [entry["id"] for entry in hcpc["audit"]] == HCPC_CHECKS
    assert {entry["framework"] for entry in hcpc["audit"]} == {"hcpc"}
    assert hcpc["audit"][0]["standard"] == "HCPC standard 1"

    returncode, uk_spec = check(registrant, "--framework", "uk-spec", "--period", "all")
    assert returncode == 0
    assert [entry["id"] for entry in uk_spec["audit"]] == UK_SPEC_CHECKS
    assert {entry["framework"] for entry in uk_spec["audit"]} == {"uk-spec"}

    # Without --framework: every body, in the member's order.
    _, both = check(registrant, "--period", "all")
    assert [(e["framework"], e["id"]) for e in both["audit"]] == [
        *(("uk-spec", i) for i in UK_SPEC_CHECKS),
        *(("hcpc", i) for i in HCPC_CHECKS),
    ]
    assert both["summary"]["frameworks"] == ["uk-spec", "hcpc"]


def test_a_body_the_portfolio_does_not_answer_to_is_refused(registrant: Portfolio):
    result = registrant.cpdfolio("check", "--framework", "csci")
    assert result.returncode == 2
    assert "framework 'csci' is not one of this portfolio's (uk-spec, hcpc)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("framework", ["hcpc", "default"])
def test_framework_and_frameworks_together_is_a_clear_error(registrant: Portfolio, framework: str):
    registrant.config(extra=f"      framework: {framework}\n" + BOTH)
    result = registrant.cpdfolio("check")
    assert result.returncode == 1
    assert "give either 'framework:' (one body) or 'frameworks:' (a list" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_code_two_bodies_share_is_told_apart_by_its_body(portfolio: Portfolio):
    """CEng and EngTech both have A1; `engtech:B1` is EngTech's, a bare code the first's."""
    portfolio.config(extra="      frameworks: [uk-spec, engtech]\n      pdf: false\n")
    portfolio.activity(
        "2025-03-01-fault-finding",
        "title: Fault finding on the linac\ndate: 2025-03-01\ncategory: work-based\n"
        "competences: [engtech:B1, A1]",
    )
    portfolio.activity(
        "2025-04-01-wrong-body",
        "title: Audit of the wards\ndate: 2025-04-01\ncategory: work-based\ncompetences: [hcpc:A1]",
    )
    returncode, report = check(portfolio, "--period", "all")
    assert returncode == 1
    [error] = report["errors"]
    assert error["file"].endswith("2025-04-01-wrong-body.md") and error["line"] == 5
    assert "competence 'hcpc:A1' is not one of" in error["message"]

    (portfolio.docs / "activities/2025-04-01-wrong-body.md").unlink()
    returncode, report = check(portfolio, "--period", "all")
    assert returncode == 0, report["errors"]
    coverage = {
        e["framework"]: e["detail"] for e in report["audit"] if e["id"] == "competence-coverage"
    }
    # A1 counts for both bodies; engtech:B1 for EngTech alone.
    assert coverage["uk-spec"].startswith("4 of 5 competence groups have no activity")
    assert coverage["engtech"].startswith("3 of 5 competence groups have no activity")


# -- HCPC: the profile's word limits, its window and its statement ----------------------


def test_an_overlong_summary_and_statement_fail_with_their_counts(registrant: Portfolio):
    registrant.write("index.md", "---\ntitle: Summary of practice\n---\n" + words(512))
    registrant.write("profile.md", "---\ntitle: Written profile\n---\n" + words(1534))
    _, report = check(registrant, "--framework", "hcpc", "--period", "all")
    audit = {entry["id"]: entry for entry in report["audit"]}
    assert audit["summary-length"]["passed"] is False
    assert audit["summary-length"]["detail"] == (
        "The summary of practice (index.md) has 512 words, 12 more than the 500 allowed."
    )
    assert audit["profile-length"]["passed"] is False
    assert audit["profile-length"]["detail"] == (
        "The statement of how the standards are met (profile.md) has 1,534 words, "
        "34 more than the 1,500 allowed."
    )

    registrant.write("index.md", words(500))
    registrant.write("profile.md", words(1500))
    _, report = check(registrant, "--framework", "hcpc", "--period", "all")
    audit = {entry["id"]: entry for entry in report["audit"]}
    assert audit["summary-length"]["passed"] and audit["profile-length"]["passed"]
    assert "has 500 words (at most 500)" in audit["summary-length"]["detail"]


def test_printing_for_hcpc_covers_its_two_years_and_its_standards(
    registrant: Portfolio, tmp_path: Path
):
    registrant.config(text=NO_PERIOD.format(extra=BOTH))
    target = tmp_path / "hcpc.pdf"
    result = registrant.cpdfolio("pdf", "--framework", "hcpc", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = pdf_words(target)
    start = TODAY.replace(year=TODAY.year - 2) + datetime.timedelta(days=1)
    assert f"Period {long_date(start)} to {long_date(TODAY)}" in text
    assert "For HCPC standards for continuing professional development" in text
    assert "How the standards are met" in text
    # The member's own statement is what the auditor reads.
    assert "I calibrate the gamma cameras and teach the trainees" in text
    assert "Gamma camera acceptance testing" in text  # January 2025: inside the two years

    # Without profile.md, the standards themselves stand in that part: no words put in
    # the member's mouth.
    (registrant.docs / "profile.md").unlink()
    result = registrant.cpdfolio("pdf", "--framework", "hcpc", "-o", str(target))
    assert result.returncode == 0, result.stderr
    text = pdf_words(target)
    assert "HCPC standards for continuing professional development: a registrant must" in text
    assert "1. maintain a continuous, up-to-date and accurate record of their CPD" in text
    assert "Drafted by cpdfolio" not in text

    # For uk-spec the same portfolio prints the twelve months of the site.
    result = registrant.cpdfolio("pdf", "--framework", "uk-spec", "-o", str(target))
    assert result.returncode == 0, result.stderr
    start = TODAY.replace(year=TODAY.year - 1) + datetime.timedelta(days=1)
    assert f"Period {long_date(start)} to {long_date(TODAY)}" in pdf_words(target)


# -- what the printout says for the member ----------------------------------------------


def test_the_printout_leaves_checks_and_drafts_out_unless_asked(
    registrant: Portfolio, tmp_path: Path
):
    registrant.config(
        extra=BOTH + "      audit_statement: I confirm that this record of my CPD is my own work.\n"
    )
    (registrant.docs / "profile.md").unlink()
    plain = tmp_path / "plain.pdf"
    result = registrant.cpdfolio("pdf", "--period", "all", "-o", str(plain))
    assert result.returncode == 0, result.stderr
    text = pdf_words(plain)
    assert "STATEMENT OF THE MEMBER I confirm that this record of my CPD is my own work." in text
    assert "Audit readiness" not in text and "Not yet" not in text
    assert "Drafted by cpdfolio" not in text

    asked = tmp_path / "asked.pdf"
    result = registrant.cpdfolio(
        "pdf", "--period", "all", "--checks", "--draft-profile", "-o", str(asked)
    )
    assert result.returncode == 0, result.stderr
    text = pdf_words(asked)
    assert "Audit readiness" in text and "Met" in text
    assert "Drafted by cpdfolio" in text


CONTINUITY_CLAIMS = ("up to date throughout", "continuous", "kept my record", "regularly")


def test_a_drafted_profile_claims_no_continuity_over_a_gap(portfolio: Portfolio, tmp_path: Path):
    portfolio.config(extra="      framework: hcpc\n      pdf: false\n")
    portfolio.goal("ceng", "title: Become a Chartered Engineer\nstatus: in-progress")
    for day, category in [("2025-01-10", "formal"), ("2025-09-20", "professional")]:
        portfolio.activity(
            f"{day}-activity",
            f"title: Activity of {day}\ndate: {day}\ncategory: {category}\ngoals: [ceng]",
        )
    _, report = check(portfolio, "--period", "2025")
    continuity = next(e for e in report["audit"] if e["id"] == "continuity")
    assert not continuity["passed"] and continuity["detail"].startswith("A gap of 8.3 months")

    draft = portfolio.cpdfolio("profile", "--period", "2025").stdout
    standard_1 = draft.split("## Standard 1:")[1].split("## Standard 2:")[0]
    # The heading quotes HCPC's standard; the member's sentences claim nothing of the sort.
    sentences = standard_1.split("\n", 1)[1]
    assert not any(claim in sentences.lower() for claim in CONTINUITY_CLAIMS), sentences
    assert "My record of this period runs from 10 January 2025 to 20 September 2025" in sentences
    assert "**Still to do before submitting:** A gap of 8.3 months" in sentences

    printed = tmp_path / "draft.pdf"
    result = portfolio.cpdfolio("pdf", "--period", "2025", "--draft-profile", "-o", str(printed))
    assert result.returncode == 0, result.stderr
    text = pdf_words(printed).lower()
    assert "up to date throughout" not in text and "kept my record" not in text


# -- periods, as the command line names them --------------------------------------------

MARCH_2026 = datetime.date(2026, 3, 1)
IN_2025 = ["Python for medical physicists", "Journal club on dosimetry after radioiodine"]
NOT_IN_2025 = ["IPEM nuclear medicine meeting", "New year phantom scans", "Year end QC review"]


@pytest.fixture
def on_1_march_2026(small_portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch) -> Portfolio:
    """The small portfolio, with a record either side of 2025, seen on 1 March 2026."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(MARCH_2026))
    small_portfolio.activity(
        "2026/2026-01-02-new-year-phantom-scans",
        "title: New year phantom scans\ndate: 2026-01-02\ncategory: work-based",
    )
    small_portfolio.activity(
        "2024/2024-12-31-year-end-qc-review",
        "title: Year end QC review\ndate: 2024-12-31\ncategory: work-based",
    )
    return small_portfolio


def test_previous_calendar_year_prints_exactly_last_years_activities(
    on_1_march_2026: Portfolio, tmp_path: Path
):
    target = tmp_path / "stage-1.pdf"
    result = on_1_march_2026.cpdfolio(
        "pdf", "--period", "previous-calendar-year", "-o", str(target)
    )
    assert result.returncode == 0, result.stderr
    text = pdf_words(target)
    assert "Period 1 January 2025 to 31 December 2025" in text
    assert "Made on 1 March 2026" in text
    for title in IN_2025:
        assert title in text
    for title in NOT_IN_2025:
        assert title not in text


def test_a_bundle_for_2025_holds_exactly_2025(on_1_march_2026: Portfolio, tmp_path: Path):
    target = tmp_path / "for-assessor.zip"
    result = on_1_march_2026.cpdfolio("bundle", "--period", "2025", "-o", str(target))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        archive.extractall(tmp_path / "unzipped")
    site = tmp_path / "unzipped" / "for-assessor"
    text = pdf_words(site / "cpd-portfolio.pdf")
    assert "Period 1 January 2025 to 31 December 2025" in text
    for title in IN_2025:
        assert title in text
    for title in NOT_IN_2025:
        assert title not in text
    assert "1 January 2025 to 31 December 2025" in (site / "index.html").read_text("utf-8")


def test_build_takes_a_period_from_the_command_line(small_portfolio: Portfolio):
    result = small_portfolio.cpdfolio("build", "--from", "2025-01-01", "--to", "2025-06-30")
    assert result.returncode == 0, result.stderr
    home = (small_portfolio.root / "site" / "index.html").read_text("utf-8")
    assert "1 January 2025 to 30 June 2025" in home


def test_serve_previews_the_period_of_the_command_line(small_portfolio: Portfolio):
    from serving import serving

    with serving(small_portfolio, "--period", "2025") as server:
        home = server.get("").decode("utf-8")
    assert "1 January 2025 to 31 December 2025" in home


@pytest.mark.parametrize("command", ["pdf", "check", "build", "bundle", "serve"])
def test_a_period_mistake_is_answered_with_what_can_be_typed(
    small_portfolio: Portfolio, command: str
):
    result = small_portfolio.cpdfolio(command, "--period", "2025-26")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert "period '2025-26' is not one of last-12-months, last-24-months, calendar-year, " in (
        message
    )
    assert "previous-calendar-year, all, a year like 2025, or two dates: " in message
    assert "--from 2025-01-01 --to 2025-12-31" in message
    assert "{from:" not in message

    result = small_portfolio.cpdfolio(command, "--from", "1/1/2025")
    assert result.returncode == 2
    assert "--from '1/1/2025' should be a date written YYYY-MM-DD, like 2025-01-01" in " ".join(
        result.stderr.split()
    )


def test_last_24_months_ends_today(small_portfolio: Portfolio):
    _, report = check(small_portfolio, "--period", "last-24-months")
    start = TODAY.replace(year=TODAY.year - 2) + datetime.timedelta(days=1)
    assert report["summary"]["period"]["from"] == start.isoformat()
    assert report["summary"]["period"]["to"] == TODAY.isoformat()


# -- the built-in frameworks of the Engineering Council and the Science Council ----------


@pytest.mark.parametrize("name", ["ieng", "csci", "rsci", "rscitech"])
def test_a_built_in_body_cites_its_source_and_how_sure_each_title_is(name: str):
    text = (resources.files("cpdfolio.frameworks") / f"{name}.yml").read_text("utf-8")
    framework = load_framework(name)
    assert framework.source.startswith(("Engineering Council", "Science Council"))
    assert "HOW SURE WE ARE OF EACH TITLE" in text
    groups = {c.group for c in framework.competences}
    assert len(groups) == 5
    for competence in framework.competences:
        line = next(line for line in text.splitlines() if f"- code: {competence.code} " in line)
        assert re.search(r"#\s*(sure|likely|unsure)\b", line), line
        assert competence.title


def test_a_science_council_registrant_checks_codes_and_benefit(portfolio: Portfolio):
    portfolio.config(extra="      framework: csci\n      pdf: false\n")
    portfolio.activity(
        "2025-05-01-method-validation",
        "title: Validating the assay method\ndate: 2025-05-01\ncategory: work-based\n"
        "competences: [A3, D1, F1]",
    )
    returncode, report = check(portfolio, "--period", "all")
    assert returncode == 1
    [error] = report["errors"]
    assert (
        error["line"] == 5
        and "competence 'F1' is not one of csci's codes (A1, A2" in (error["message"])
    )
    assert [e["id"] for e in report["audit"]] == [
        "continuity",
        "mixture",
        "reflection",
        "goals-linked",
        "benefit",
        "competence-coverage",
    ]
    assert report["audit"][4]["standard"] == "Science Council CPD standard 4"


def test_the_site_shows_every_bodys_readiness_and_coverage(portfolio: Portfolio):
    portfolio.config(extra="      frameworks: [uk-spec, engtech, hcpc]\n      pdf: false\n")
    portfolio.goal("ceng", "title: Become a Chartered Engineer\nstatus: in-progress")
    portfolio.activity(
        "2025-03-01-fault-finding",
        "title: Fault finding on the linac\ndate: 2025-03-01\ncategory: work-based\n"
        "goals: [ceng]\ncompetences: [engtech:B1, A1]",
    )
    build = portfolio.build()
    assert build.returncode == 0, build.output
    home = build.content("")
    headings = [h.get_text(" ", strip=True) for h in home.select("h2")]
    assert "Audit readiness: UK-SPEC 4th edition, Chartered Engineer" in headings
    assert "Audit readiness: UK-SPEC 4th edition, Engineering Technician" in headings
    assert "Audit readiness: HCPC standards for continuing professional development" in headings
    assert len(home.select(".cpd-audit")) == 3

    rows = {
        tr.select("td")[0].get_text(): tr.select("td")[-1].get_text()
        for tr in build.content("competences/").select(".cpd-coverage tbody tr")
    }
    # A bare A1 counts for both bodies; engtech:B1 for EngTech alone, B1 of CEng not at all.
    assert rows["A1"] == "1" and rows["engtech:A1"] == "1"
    assert rows["engtech:B1"] == "1" and rows["B1"] == "0"
    activity = build.content("activities/2025-03-01-fault-finding/")
    links = {a.get_text(): a["href"] for a in activity.select(".cpd-details a")}
    assert links["engtech:B1"].endswith("competences/#competence-engtech-b1")
