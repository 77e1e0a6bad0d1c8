"""Before an assessor samples my CPD, `cpdfolio check` tells me what they would find.

Each audit check gets a portfolio that passes it and one that fails it for one
reason only: a member's sound year of CPD, with one thing changed. The checks
run through the real `cpdfolio check --format json` on real files, for a fixed
period (2025), so that no test depends on today's date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from conftest import MKDOCS_YML, Build, Portfolio
from reading import pdf_words

YEAR_2025 = ("--from", "2025-01-01", "--to", "2025-12-31")
AUDIT_ENTRY_KEYS = {"framework", "id", "title", "standard", "passed", "detail", "records"}
PROBLEM_KEYS = {"file", "line", "key", "message"}
UK_SPEC_CODES = "A1, A2, B1, B2, B3, C1, C2, C3, C4, D1, D2, D3, E1, E2, E3, E4, E5"

# My own framework file: the default framework, plus my institution's hours
# target and its wish to see evidence for at least half of the activities.
MY_FRAMEWORK = """\
extends: default
checks:
  - id: hours-target
    hours_per_year: 30
  - id: evidence
    min_share: 0.5
"""


def reflection(
    did: str | None = "Audited a month of gamma camera uniformity results with the QC team.",
    learned: str | None = "Drift shows up in the trend weeks before a result fails tolerance.",
    apply: str | None = "I will chart every uniformity result and review the chart monthly.",
    benefit: str | None = "Fewer patient scans are cancelled when a detector drifts.",
) -> str:
    """A reflection under the four default headings: None leaves a heading out, '' empty."""
    sections = {
        "What I did": did,
        "What I learned": learned,
        "How I will apply it": apply,
        "Benefit to others": benefit,
    }
    return "\n" + "".join(
        f"## {h}\n\n{text}\n\n" for h, text in sections.items() if text is not None
    )


@dataclass(frozen=True)
class ActivityFile:
    """An activity as the member writes it: activities/<name>.md, named by its date."""

    name: str
    title: str
    category: str
    competences: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    goals: tuple[str, ...] = ("ceng",)
    tags: tuple[str, ...] = ()
    hours: float = 6
    body: str = field(default_factory=reflection)
    share: bool = True

    @property
    def path(self) -> str:
        """The file as `cpdfolio check` names it, run in the portfolio's folder."""
        return f"portfolio/activities/{self.name}.md"

    def write(self, portfolio: Portfolio) -> None:
        lines = [
            f"title: {self.title}",
            f"date: {self.name[:10]}",
            f"category: {self.category}",
            f"hours: {self.hours:g}",
        ]
        for key in ("goals", "competences", "evidence", "tags"):
            if getattr(self, key):
                lines.append(f"{key}: [{', '.join(getattr(self, key))}]")
        if not self.share:
            lines.append("share: false")
        portfolio.activity(self.name, "\n".join(lines), self.body)
        for evidence in self.evidence:
            if not evidence.startswith("https://"):
                portfolio.write(evidence, b"%PDF-1.4 certificate\n")


# A sound year of CPD: something every two months, all five categories, every
# heading reflected on, six hours each, evidence for four of six, a competence
# of each UK-SPEC area, and each activity serving the goal or tagged unplanned.
QC_AUDIT = ActivityFile(
    "2025-01-15-gamma-camera-qc-audit",
    "Audit of gamma camera QC results",
    "work-based",
    competences=("A1",),
    evidence=("evidence/qc-audit-report.pdf",),
)
IPEM_MEETING = ActivityFile(
    "2025-03-10-ipem-nuclear-medicine-meeting",
    "IPEM nuclear medicine meeting",
    "professional",
    competences=("D1",),
    evidence=("evidence/ipem-certificate.pdf",),
)
PYTHON_COURSE = ActivityFile(
    "2025-05-20-python-course",
    "Python for medical physicists",
    "formal",
    competences=("B2",),
    evidence=("https://www.ipem.ac.uk/",),
)
JOURNAL_CLUB = ActivityFile(
    "2025-07-08-journal-club",
    "Journal club on radioiodine dosimetry",
    "self-directed",
    competences=("C1",),
    goals=(),
    tags=("unplanned",),
)
STEM_VISIT = ActivityFile(
    "2025-09-16-stem-ambassador-visit",
    "STEM ambassador visit to a school",
    "other",
    competences=("E3",),
    evidence=("https://www.stem.org.uk/",),
)
RADIATION_UPDATE = ActivityFile(
    "2025-11-25-radiation-protection-update",
    "Radiation protection update",
    "work-based",
    competences=("E2",),
)
SOUND_YEAR = (QC_AUDIT, IPEM_MEETING, PYTHON_COURSE, JOURNAL_CLUB, STEM_VISIT, RADIATION_UPDATE)
CENG = ("ceng", "title: Become a Chartered Engineer\nstatus: in-progress")
TEACHING = ("teaching", "title: Teach the trainees' imaging module\nstatus: in-progress")

CHECKS = {
    "default": ["continuity", "mixture", "reflection", "goals-linked"],
    # hcpc tunes the default checks and adds its standard 4 and its profile's word limits;
    # goals-linked it inherits.
    "hcpc": [
        "continuity",
        "mixture",
        "reflection",
        "goals-linked",
        "benefit",
        "summary-length",
        "profile-length",
    ],
    "uk-spec": ["continuity", "mixture", "reflection", "goals-linked", "competence-coverage"],
    "my-framework.yml": [
        "continuity",
        "mixture",
        "reflection",
        "goals-linked",
        "hours-target",
        "evidence",
    ],
}


@pytest.fixture(autouse=True)
def in_the_portfolio_folder(portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch) -> None:
    """The member runs cpdfolio in their portfolio's folder: files read `portfolio/...`."""
    monkeypatch.chdir(portfolio.root)


def keep(
    portfolio: Portfolio,
    framework: str,
    activities: tuple[ActivityFile, ...] | list[ActivityFile] = SOUND_YEAR,
    goals: tuple[tuple[str, str], ...] = (CENG,),
    framework_file: str = MY_FRAMEWORK,
) -> None:
    """The member's portfolio: mkdocs.yml with its framework, the goals, the activities."""
    portfolio.config(extra=f"      framework: {framework}\n      pdf: false\n")
    if framework.endswith(".yml"):
        (portfolio.root / framework).write_text(framework_file, "utf-8")
    for name, front_matter in goals:
        portfolio.goal(name, front_matter)
    for activity in activities:
        activity.write(portfolio)
    if framework == "hcpc":  # the CPD profile HCPC asks for: a summary and a statement
        portfolio.write("index.md", "I am a clinical scientist in nuclear medicine.\n")
        portfolio.write("profile.md", "I record each activity within a week of doing it.\n")


def check(portfolio: Portfolio, *args: str) -> tuple[int, dict]:
    """`cpdfolio check --format json`: its exit code and its report."""
    result = portfolio.cpdfolio("check", "--format", "json", *args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def audit_2025(portfolio: Portfolio) -> dict[str, dict]:
    """The audit of 2025, by check id."""
    returncode, report = check(portfolio, *YEAR_2025)
    assert returncode == 0 and report["errors"] == [], report["errors"]
    return {entry["id"]: entry for entry in report["audit"]}


def without(*removed: ActivityFile) -> list[ActivityFile]:
    return [activity for activity in SOUND_YEAR if activity not in removed]


def with_changed(activity: ActivityFile, **changes: object) -> list[ActivityFile]:
    return [replace(a, **changes) if a == activity else a for a in SOUND_YEAR]


# -- each check passes for a sound year -----------------------------------------


@pytest.mark.parametrize("framework", list(CHECKS))
def test_a_sound_year_passes_every_check_of_the_framework(portfolio: Portfolio, framework: str):
    keep(portfolio, framework)
    returncode, report = check(portfolio, *YEAR_2025)
    assert returncode == 0
    assert report["errors"] == [] and report["warnings"] == []
    assert [entry["id"] for entry in report["audit"]] == CHECKS[framework]
    failed = {entry["id"]: entry["detail"] for entry in report["audit"] if not entry["passed"]}
    assert failed == {}
    assert all(entry["records"] == [] for entry in report["audit"])
    assert report["summary"]["audit_passed"] == len(CHECKS[framework])
    details = {entry["id"]: entry["detail"] for entry in report["audit"]}
    limit = 4 if framework == "hcpc" else 6
    assert details["continuity"] == (
        f"Longest gap 2.3 months (at most {limit}); latest activity 25 Nov 2025."
    )
    assert details["mixture"] == (
        "5 of 5 categories: Work-based learning (2), Professional activity (1), "
        "Formal and educational (1), Self-directed learning (1), Other (1)."
    )
    if framework == "my-framework.yml":
        assert details["hours-target"] == (
            "36 hours in the period; the target is 30 a year (30 for 1.0 years)."
        )
        assert details["evidence"] == (
            "4 of 6 activities have evidence (67%; at least 50% expected)."
        )


# -- each check fails for one reason ------------------------------------------------


@dataclass(frozen=True)
class Failing:
    """A sound year with one thing changed, and what the failing check must say."""

    story: str
    framework: str
    activities: tuple[ActivityFile, ...] | list[ActivityFile]
    check: str
    detail: str
    records: list[str]
    goals: tuple[tuple[str, str], ...] = (CENG,)
    # Checks that fail with it because the framework asks the same thing twice.
    also_failing: tuple[str, ...] = ()


TWO_CATEGORIES = {"professional": "work-based", "self-directed": "formal", "other": "formal"}
# Twelve words under one heading: too short where no heading is required.
SHORT_REFLECTION = "\n## What I learned\n\nBeam matching tolerances are tighter than I assumed.\n"

FAILING = [
    Failing(
        "continuity-gap-longer-than-six-months",
        "default",
        without(PYTHON_COURSE, JOURNAL_CLUB),
        "continuity",
        "A gap of 6.2 months (10 Mar 2025 to 16 Sep 2025), more than 6.",
        [IPEM_MEETING.path, STEM_VISIT.path],
    ),
    Failing(
        "continuity-nothing-in-the-last-three-months",
        "default",
        without(RADIATION_UPDATE),
        "continuity",
        "Nothing recorded since 16 Sep 2025 (3.5 months; record something every 3 months).",
        [],
    ),
    Failing(
        "mixture-only-two-categories",
        "default",
        # Everything recorded as work-based or formal learning.
        [replace(a, category=TWO_CATEGORIES.get(a.category, a.category)) for a in SOUND_YEAR],
        "mixture",
        "2 of 5 categories: Work-based learning (3), Formal and educational (3). "
        "At least 3 are needed.",
        [],
    ),
    Failing(
        "reflection-fewer-than-20-words",
        "default",
        with_changed(PYTHON_COURSE, body=SHORT_REFLECTION),
        "reflection",
        "1 of 6 activities lack a reflection of at least 20 words.",
        [PYTHON_COURSE.path],
    ),
    Failing(
        "reflection-a-required-heading-missing",
        "hcpc",
        with_changed(PYTHON_COURSE, body=reflection(apply=None)),
        "reflection",
        "1 of 6 activities lack text under each of the headings 'What I did', "
        "'What I learned', 'How I will apply it', 'Benefit to others'.",
        [PYTHON_COURSE.path],
    ),
    Failing(
        "reflection-a-required-heading-empty",
        "hcpc",
        with_changed(JOURNAL_CLUB, body=reflection(learned="")),
        "reflection",
        "1 of 6 activities lack text under each of the headings 'What I did', "
        "'What I learned', 'How I will apply it', 'Benefit to others'.",
        [JOURNAL_CLUB.path],
    ),
    Failing(
        "benefit-nothing-under-benefit-to-others",
        "hcpc",
        with_changed(STEM_VISIT, body=reflection(benefit="")),
        "benefit",
        "1 of 6 activities do not say, under '## Benefit to others', who benefits.",
        [STEM_VISIT.path],
        # hcpc requires the heading for standard 3 too.
        also_failing=("reflection",),
    ),
    Failing(
        "goals-linked-a-goal-in-progress-without-activity",
        "default",
        SOUND_YEAR,
        "goals-linked",
        "1 goal in progress or achieved has no activity.",
        ["portfolio/goals/teaching.md"],
        goals=(CENG, TEACHING),
    ),
    Failing(
        "goals-linked-an-activity-without-goal-or-unplanned-tag",
        "default",
        with_changed(JOURNAL_CLUB, tags=()),
        "goals-linked",
        "1 activity serves no goal and is not tagged 'unplanned'.",
        [JOURNAL_CLUB.path],
    ),
    Failing(
        "hours-target-24-of-30-hours",
        "my-framework.yml",
        [replace(a, hours=4) for a in SOUND_YEAR],
        "hours-target",
        "24 hours in the period; the target is 30 a year (30 for 1.0 years).",
        [],
    ),
    Failing(
        "evidence-for-two-of-six-activities",
        "my-framework.yml",
        [replace(a, evidence=()) if a in (QC_AUDIT, IPEM_MEETING) else a for a in SOUND_YEAR],
        "evidence",
        "2 of 6 activities have evidence (33%; at least 50% expected).",
        [QC_AUDIT.path, IPEM_MEETING.path, JOURNAL_CLUB.path, RADIATION_UPDATE.path],
    ),
    Failing(
        "competence-coverage-no-area-e",
        "uk-spec",
        [
            replace(a, competences=("A2",)) if a in (STEM_VISIT, RADIATION_UPDATE) else a
            for a in SOUND_YEAR
        ],
        "competence-coverage",
        "1 of 5 competence groups have no activity: E: Personal and professional commitment.",
        [],
    ),
]


@pytest.mark.parametrize("case", FAILING, ids=lambda case: case.story)
def test_one_reason_fails_its_check_and_names_the_records(portfolio: Portfolio, case: Failing):
    keep(portfolio, case.framework, case.activities, case.goals)
    audit = audit_2025(portfolio)  # a failed check is no error: exit code 0
    failing = audit[case.check]
    assert failing["passed"] is False
    assert failing["detail"] == case.detail
    assert failing["records"] == case.records
    others = {check_id for check_id, entry in audit.items() if not entry["passed"]}
    assert others - {case.check} == set(case.also_failing)


def test_a_short_reflection_under_the_required_heading_is_enough_for_uk_spec(
    portfolio: Portfolio,
):
    keep(portfolio, "uk-spec", with_changed(PYTHON_COURSE, body=SHORT_REFLECTION))
    reflection = audit_2025(portfolio)["reflection"]
    assert reflection["passed"] is True
    assert reflection["detail"] == "All 6 activities have text under the heading 'What I learned'."


def test_a_misspelt_check_in_my_framework_names_my_file(portfolio: Portfolio):
    misspelt = MY_FRAMEWORK.replace("id: evidence", "id: evidnce")
    keep(portfolio, "my-framework.yml", framework_file=misspelt)
    result = portfolio.cpdfolio("check", "--format", "json")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "framework 'my-framework.yml': unknown check 'evidnce'; checks are " in result.stderr


# -- the JSON report, field by field ----------------------------------------------------


def test_check_json_reports_errors_audit_and_summary_field_by_field(
    small_portfolio: Portfolio,
):
    # A course whose category is misspelt: an error, so the record is left out.
    small_portfolio.activity(
        "2025/2025-10-02-mri-safety-course",
        "title: MRI safety course\ndate: 2025-10-02\ncategory: profesional",
    )
    returncode, report = check(small_portfolio, "--from", "2024-01-01", "--to", "2025-12-31")
    assert returncode == 1
    assert set(report) == {"errors", "warnings", "audit", "summary"}
    assert report["warnings"] == []
    [error] = report["errors"]
    assert set(error) == PROBLEM_KEYS
    assert error["file"] == "portfolio/activities/2025/2025-10-02-mri-safety-course.md"
    assert error["line"] == 4
    assert error["key"] == "category"
    assert error["message"] == (
        "category 'profesional' is not one of work-based, professional, formal, "
        "self-directed, other; did you mean 'professional'?"
    )
    assert all(set(entry) == AUDIT_ENTRY_KEYS for entry in report["audit"])
    assert report["audit"] == [
        {
            "framework": "default",
            "id": "continuity",
            "title": "A continuous, up-to-date record",
            "standard": "",
            "passed": False,
            "detail": "A gap of 8.8 months (10 May 2024 to 3 Feb 2025), more than 6; "
            "nothing recorded since 20 Jun 2025 (6.4 months; record something every 3 months).",
            "records": [
                "portfolio/activities/2024/2024-05-10-ipem-meeting.md",
                "portfolio/activities/2025/2025-02-03-python-course.md",
            ],
        },
        {
            "framework": "default",
            "id": "mixture",
            "title": "A mixture of learning activities",
            "standard": "",
            "passed": True,
            "detail": "3 of 5 categories: Professional activity (1), "
            "Formal and educational (1), Self-directed learning (1).",
            "records": [],
        },
        {
            "framework": "default",
            "id": "reflection",
            "title": "Every activity reflected on",
            "standard": "",
            "passed": True,
            "detail": "All 3 activities have a reflection of at least 20 words.",
            "records": [],
        },
        {
            "framework": "default",
            "id": "goals-linked",
            "title": "Goals planned and served by activities",
            "standard": "",
            "passed": True,
            "detail": "2 goals, each in progress or achieved served by activities; "
            "every activity serves a goal or is tagged 'unplanned'.",
            "records": [],
        },
    ]
    # The private incident of September counts nowhere but in private_records.
    assert report["summary"] == {
        "framework": "default",
        "frameworks": ["default"],
        "period": {
            "from": "2024-01-01",
            "to": "2025-12-31",
            "description": "1 January 2024 to 31 December 2025",
        },
        "activities": 3,
        "hours": 18,
        "goals": 2,
        "private_records": 1,
        "activities_per_year": {"2024": 1, "2025": 2},
        "activities_per_category": {"professional": 1, "formal": 1, "self-directed": 1},
        "hours_per_category": {"professional": 6, "formal": 12, "self-directed": 0},
        "goals_per_status": {"in-progress": 1, "achieved": 1},
        "audit_passed": 3,
        "audit_failed": 1,
    }


def test_check_fails_on_errors_not_on_warnings_or_failed_checks_unless_strict(
    small_portfolio: Portfolio,
):
    # A misspelt key is a warning; the 2024-2025 gap still fails continuity.
    small_portfolio.activity(
        "2025/2025-10-02-mri-safety-course",
        """
        title: MRI safety course
        date: 2025-10-02
        category: formal
        goals: [ceng]
        provder: IPEM
        """,
    )
    returncode, report = check(small_portfolio, "--from", "2024-01-01", "--to", "2025-12-31")
    assert returncode == 0
    assert report["errors"] == []
    assert report["warnings"] == [
        {
            "file": "portfolio/activities/2025/2025-10-02-mri-safety-course.md",
            "line": 6,
            "key": "provder",
            "message": "unknown key 'provder'; did you mean 'provider'?",
        }
    ]
    assert report["summary"]["audit_failed"] == 1
    returncode, strict = check(
        small_portfolio, "--strict", "--from", "2024-01-01", "--to", "2025-12-31"
    )
    assert returncode == 1
    assert strict == report


# -- private records, framework files, competence codes ---------------------------------------


def test_a_private_activity_does_not_count_towards_the_mixture(portfolio: Portfolio):
    incident = ActivityFile(
        "2025-04-02-incident-reflection", "Reflection after an incident", "work-based", share=False
    )
    keep(portfolio, "default", [incident, IPEM_MEETING, PYTHON_COURSE])
    mixture = audit_2025(portfolio)["mixture"]
    assert mixture["passed"] is False
    assert mixture["detail"] == (
        "2 of 5 categories: Professional activity (1), Formal and educational (1). "
        "At least 3 are needed."
    )
    # Shared, the same record makes the mixture.
    replace(incident, share=True).write(portfolio)
    mixture = audit_2025(portfolio)["mixture"]
    assert mixture["passed"] is True
    assert mixture["detail"].startswith("3 of 5 categories: Work-based learning (1), ")


def test_an_unknown_competence_code_fails_build_and_check(portfolio: Portfolio):
    meeting = replace(IPEM_MEETING, competences=("a1", "Z9"))
    keep(portfolio, "uk-spec", [meeting])
    line = 7  # ---, title, date, category, hours, goals, competences
    build = portfolio.build()
    assert build.returncode != 0
    assert "Traceback" not in build.output
    assert "the portfolio has 2 errors; nothing was built" in build.output
    assert (
        f"{meeting.path}:{line}: competence 'a1' is not one of uk-spec's codes "
        f"({UK_SPEC_CODES}); did you mean 'A1'?\n" in build.output
    )
    assert (
        f"{meeting.path}:{line}: competence 'Z9' is not one of uk-spec's codes "
        f"({UK_SPEC_CODES})\n" in build.output
    )
    returncode, report = check(portfolio, *YEAR_2025)
    assert returncode == 1
    assert report["errors"] == [
        {
            "file": meeting.path,
            "line": line,
            "key": "competences",
            "message": f"competence 'a1' is not one of uk-spec's codes ({UK_SPEC_CODES}); "
            f"did you mean 'A1'?",
        },
        {
            "file": meeting.path,
            "line": line,
            "key": "competences",
            "message": f"competence 'Z9' is not one of uk-spec's codes ({UK_SPEC_CODES})",
        },
    ]


def test_my_framework_renames_a_category_and_adds_one(portfolio: Portfolio):
    trial = ActivityFile(
        "2025-06-11-dosimetry-trial", "Dosimetry trial for radioiodine", "research"
    )
    framework_file = """\
extends: default
categories:
  - id: other
    name: Outreach and volunteering
  - id: research
    name: Research
    description: Studies I run or take part in.
"""
    keep(portfolio, "my-framework.yml", [STEM_VISIT, trial], framework_file=framework_file)
    build = portfolio.build()
    assert build.returncode == 0, build.output
    other = build.content("categories/other")
    assert other.h1.get_text() == "Outreach and volunteering"
    assert "STEM ambassador visit to a school" in other.get_text()
    research = build.content("categories/research")
    assert research.h1.get_text() == "Research"
    assert "Studies I run or take part in." in research.get_text()
    assert [a.get_text() for a in research.select(".cpd-activities td a")] == [trial.title]
    returncode, report = check(portfolio, *YEAR_2025)
    assert returncode == 0 and report["errors"] == []
    assert report["summary"]["framework"] == "my-framework.yml"
    assert report["summary"]["activities_per_category"] == {"research": 1, "other": 1}
    mixture = {entry["id"]: entry for entry in report["audit"]}["mixture"]
    assert mixture["detail"] == (
        "2 of 6 categories: Outreach and volunteering (1), Research (1). At least 3 are needed."
    )


# -- the site: competence coverage and the dashboard's audit panel -------------------------------

GUIDANCE_2024 = ActivityFile(
    "2024-03-12-spect-qc-guidance",
    "Reading the new IPEM guidance on SPECT QC",
    "self-directed",
    competences=("A1",),
)
PANEL_2024 = ActivityFile("2024-06-05-ipem-panel", "IPEM nuclear medicine panel", "professional")
MONTE_CARLO_2025 = ActivityFile(
    "2025-02-10-monte-carlo-course", "Monte Carlo dosimetry course", "formal", competences=("A1",)
)
LINAC_2025 = ActivityFile(
    "2025-04-22-linac-commissioning",
    "Commissioning the new linac",
    "work-based",
    competences=("B2",),
    goals=(),
)


@pytest.fixture(scope="module")
def uk_spec_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A uk-spec portfolio of 2024-2025: A1 in both years, B2 in 2025, C, D, E nowhere."""
    portfolio = Portfolio(tmp_path_factory.mktemp("uk-spec") / "my-cpd")
    portfolio.config(
        text=MKDOCS_YML.format(extra="      framework: uk-spec\n      pdf: false\n").replace(
            "period: all", "period: {from: 2024-01-01, to: 2025-12-31}"
        )
    )
    portfolio.goal(*CENG)
    for activity in (GUIDANCE_2024, PANEL_2024, MONTE_CARLO_2025, LINAC_2025):
        activity.write(portfolio)
    build = portfolio.build()
    assert build.returncode == 0, build.output
    return build


def coverage_row(content, code: str) -> list:
    """The cells of a competence's row of the coverage table."""
    for row in content.select(".cpd-coverage tbody tr"):
        cells = row.select("td")
        if cells[0].get_text() == code:
            return cells
    raise AssertionError(f"no row for {code}")


def test_competence_coverage_cells_lead_to_exactly_their_records(uk_spec_site: Build):
    content = uk_spec_site.content("competences")
    headings = [th.get_text() for th in content.select(".cpd-coverage thead th")]
    assert headings == ["Code", "Competence", "2024", "2025", "All"]
    code, title, in_2024, in_2025, total = coverage_row(content, "A1")
    assert title.get_text().startswith("Have maintained and extended a sound theoretical approach")
    assert (in_2024.get_text(), in_2024.a["href"]) == ("1", "#competence-a1-2024")
    assert (in_2025.get_text(), in_2025.a["href"]) == ("1", "#competence-a1-2025")
    assert total.get_text() == "2"
    for anchor, titles in (
        ("competence-a1-2024", [GUIDANCE_2024.title]),
        ("competence-a1-2025", [MONTE_CARLO_2025.title]),
        ("competence-b2-2025", [LINAC_2025.title]),
    ):
        section = content.find(id=anchor)
        assert section is not None, anchor
        assert [a.get_text() for a in section.find_next_sibling("ul").select("a")] == titles
    code, title, in_2024, in_2025, total = coverage_row(content, "B2")
    assert in_2024.select_one(".cpd-gap") is not None and in_2024.a is None
    assert (in_2025.get_text(), in_2025.a["href"]) == ("1", "#competence-b2-2025")
    assert content.find(id="competence-b2-2024") is None
    code, title, in_2024, in_2025, total = coverage_row(content, "C1")
    assert in_2024.select_one(".cpd-gap") and in_2025.select_one(".cpd-gap")
    assert total.get_text() == "0"
    [warning] = content.select(".admonition.warning")
    assert warning.select_one(".admonition-title").get_text() == "Not yet evidenced"
    assert warning.get_text(" ", strip=True).endswith(
        "No activity claims A2, B1, B3, C1, C2, C3, C4, D1, D2, D3, E1, E2, E3, E4, E5."
    )


def test_dashboard_audit_panel_marks_each_check_and_links_its_records(uk_spec_site: Build):
    panel = uk_spec_site.content("").select(".cpd-audit li")
    shown = [
        (
            li.strong.get_text(),
            "passed" if li.select_one(".cpd-check-passed") else "failed",
            [(a.get_text(), a["href"]) for a in li.select("a")],
        )
        for li in panel
    ]

    def to(activity: ActivityFile) -> tuple[str, str]:
        return activity.title, f"activities/{activity.name}/"

    assert shown == [
        ("CPD recorded regularly", "failed", [to(PANEL_2024), to(MONTE_CARLO_2025)]),
        ("A variety of development activities", "passed", []),
        ("Reflections on what was learned or achieved", "passed", []),
        ("Activities linked to a development plan", "failed", [to(LINAC_2025)]),
        ("CPD across the UK-SPEC competence areas", "failed", []),
    ]
    for li in panel:
        assert len(li.select(".cpd-check-passed, .cpd-check-failed")) == 1
    assert "A gap of 8.2 months (5 Jun 2024 to 10 Feb 2025)" in panel[0].get_text()


# -- the written profile -----------------------------------------------------------------------


def test_profile_drafts_one_section_per_hcpc_standard_and_my_own_replaces_it(
    portfolio: Portfolio, tmp_path: Path
):
    keep(portfolio, "hcpc")
    result = portfolio.cpdfolio("profile", *YEAR_2025)
    assert result.returncode == 0, result.stderr
    draft = result.stdout
    assert draft.startswith("---\ntitle: Written profile\n---\n")
    assert re.findall(r"^## (Standard \d+): ", draft, re.MULTILINE) == [
        f"Standard {n}" for n in range(1, 6)
    ]
    standard_4 = draft.split(
        "## Standard 4: seek to ensure that their CPD benefits the service user"
    )
    assert "Fewer patient scans are cancelled when a detector drifts." in standard_4[1]

    # The draft reaches the printout only when asked for: the body wants the member's words.
    (portfolio.docs / "profile.md").unlink()
    printout = tmp_path / "drafted.pdf"
    result = portfolio.cpdfolio("pdf", *YEAR_2025, "--draft-profile", "-o", str(printout))
    assert result.returncode == 0, result.stderr
    text = pdf_words(printout)
    assert "How the standards are met" in text
    assert "Drafted by cpdfolio" in text
    assert "Standard 4: seek to ensure that their CPD benefits the service user" in text

    portfolio.write(
        "profile.md",
        """\
        ---
        title: Written profile
        ---
        I record each activity within a week, in my own words, and review my plan each
        spring with my head of service.
        """,
    )
    printout = tmp_path / "mine.pdf"
    result = portfolio.cpdfolio("pdf", *YEAR_2025, "-o", str(printout))
    assert result.returncode == 0, result.stderr
    text = pdf_words(printout)
    assert "How the standards are met" in text
    assert "I record each activity within a week, in my own words" in text
    assert "Drafted by cpdfolio" not in text
    assert "Standard 4: seek to ensure" not in text
