"""A member builds the site and an assessor browses it."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup
from conftest import Build, Portfolio
from serving import serving


def activity_links(build: Build, url_path: str) -> set[str]:
    """Titles of the activities listed on a page (the tables of activities)."""
    content = build.content(url_path)
    return {
        a.get_text()
        for table in content.select(".cpd-activities table")
        for a in table.select("td:nth-of-type(2) a")
    }


def pages_found(build: Build, words: str) -> set[str]:
    """The pages whose entries in the search index hold the words."""
    index = json.loads((build.site / "search" / "search_index.json").read_text("utf-8"))
    return {
        entry["location"].split("#")[0]
        for entry in index["docs"]
        if words in entry["title"] or words in entry["text"]
    }


def test_goal_page_lists_exactly_its_activities(small_portfolio: Portfolio):
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert activity_links(build, "goals/ceng") == {
        "IPEM nuclear medicine meeting",
        "Python for medical physicists",
    }
    assert activity_links(build, "goals/teaching") == {
        "Python for medical physicists",
        "Journal club on dosimetry after radioiodine",
    }


def test_year_and_category_pages_list_exactly_theirs(small_portfolio: Portfolio):
    build = small_portfolio.build()
    assert activity_links(build, "years/2024") == {"IPEM nuclear medicine meeting"}
    assert activity_links(build, "years/2025") == {
        "Python for medical physicists",
        "Journal club on dosimetry after radioiodine",
    }
    assert activity_links(build, "categories/formal") == {"Python for medical physicists"}
    assert activity_links(build, "categories/work-based") == set()
    assert "No activities" not in build.content("categories/formal").get_text()


def test_activity_page_shows_its_details_above_the_reflection(small_portfolio: Portfolio):
    build = small_portfolio.build()
    content = build.content("activities/2025/2025-02-03-python-course")
    details = {
        row.select("td")[0].get_text(): row.select("td")[1].get_text(" ", strip=True)
        for row in content.select(".cpd-details tbody tr")
    }
    assert details["Date"] == "3 February 2025 to 5 February 2025"
    assert details["Category"] == "Formal and educational"
    assert details["Type"] == "course"
    assert details["Hours"] == "12"
    assert details["Goals"] == "Become a Chartered Engineer Teach the trainees' imaging module"
    goal_hrefs = [a["href"] for a in content.select(".cpd-details a") if "goals" in a["href"]]
    assert goal_hrefs == ["../../../goals/ceng/", "../../../goals/teaching/"]
    text = content.get_text()
    assert text.index("Category") < text.index("What I did") < text.index("Benefit to others")
    # The reflection's own Markdown table is rendered.
    assert content.select_one("table td").get_text() and "pydicom" in content.get_text()


def test_evidence_is_copied_and_linked(small_portfolio: Portfolio):
    build = small_portfolio.build()
    assert (build.site / "evidence" / "meeting-cert.pdf").read_bytes().startswith(b"%PDF")
    content = build.content("activities/2024/2024-05-10-ipem-meeting")
    hrefs = [a["href"] for a in content.select(".cpd-details a")]
    assert "../../../evidence/meeting-cert.pdf" in hrefs
    journal = build.content("activities/2025/2025-06-20-journal-club")
    assert "https://www.ipem.ac.uk/" in [a["href"] for a in journal.select(".cpd-details a")]


def test_dashboard_answers_the_first_questions(small_portfolio: Portfolio):
    build = small_portfolio.build()
    home = build.content("")
    stats = [s.get_text(" ", strip=True) for s in home.select(".cpd-stat")]
    # period: all; the private record does not count.
    assert stats == ["3 activities", "18 hours", "3 of 5 categories", "1 of 2 goals achieved"]
    assert "Dr Test Member" in home.get_text() and "MIPEM" in home.get_text()
    assert "Summary of practice" in home.get_text()
    assert "gamma camera" in home.get_text()


def test_dashboard_shows_how_far_each_goal_has_come(small_portfolio: Portfolio):
    build = small_portfolio.build()
    home = build.content("")
    counts = home.select_one(".cpd-status-counts").get_text(" ", strip=True)
    assert counts == "Planned 0 In progress 1 Achieved 1 Dropped 0"
    assert home.select_one(".cpd-period strong").get_text() == "all records"


def test_dashboard_of_a_member_who_counts_no_hours_shows_none(portfolio: Portfolio):
    portfolio.goal("g", "title: A goal\nstatus: in-progress")
    portfolio.activity("2025-01-10-a", "title: A\ndate: 2025-01-10\ncategory: formal\ngoals: [g]")
    portfolio.activity("2025-02-10-b", "title: B\ndate: 2025-02-10\ncategory: other\ngoals: [g]")
    build = portfolio.build()
    assert build.returncode == 0, build.output
    home = build.content("")
    stats = [s.get_text(" ", strip=True) for s in home.select(".cpd-stat")]
    assert stats == ["2 activities", "2 of 5 categories", "0 of 1 goals achieved"]
    assert [f.get_text() for f in home.select(".cpd-charts figcaption")] == ["Activities by year"]


def test_swot_is_a_two_by_two_grid(small_portfolio: Portfolio):
    build = small_portfolio.build()
    sections = build.content("swot").select(".cpd-swot > section")
    assert [s.h2.get_text() for s in sections] == [
        "Strengths",
        "Weaknesses",
        "Opportunities",
        "Threats",
    ]
    assert "Staff shortages" in sections[3].get_text()


def test_navigation_lists_sections_not_every_activity(small_portfolio: Portfolio):
    build = small_portfolio.build()
    nav = build.page("").select_one("nav.md-nav--primary")
    labels = [a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")]
    assert "2025" in labels and "Formal and educational" in labels
    assert "Become a Chartered Engineer" in labels
    assert not any("Python for medical physicists" in label for label in labels)
    assert "pages exist in the docs directory, but are not included" not in build.output


def test_private_record_appears_nowhere_in_the_site(small_portfolio: Portfolio):
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    everything = build.all_text()
    assert "PRIVATECANARY" not in everything
    assert "privatecanary" not in everything
    assert not (build.site / "evidence" / "privatecanary-note.txt").exists()
    names = [str(p) for p in build.site.rglob("*")]
    assert not any("privatecanary" in name for name in names)
    sitemap = (build.site / "sitemap.xml").read_text()
    assert "incident" not in sitemap
    index = (build.site / "search" / "search_index.json").read_text()
    assert "difficult week" not in index


def test_search_finds_an_activity_by_its_title_on_its_own_page_once(small_portfolio: Portfolio):
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    course = "activities/2025/2025-02-03-python-course/"
    # Listed on the dashboard, on two goals' pages, a year's and a category's, but
    # the lists are not searched: the title leads to the record's own page.
    for url in ("", "goals/ceng", "goals/teaching", "years/2025", "categories/formal"):
        assert "Python for medical physicists" in build.content(url).get_text(), url
    assert pages_found(build, "Python for medical physicists") == {course}
    # Its reflection and its details are searched, as words.
    assert pages_found(build, "three-day course on Python") == {course}
    assert pages_found(build, "Teach the trainees' imaging module Status") == {"goals/teaching/"}
    details = "Category Formal and educational Type course Hours 12"
    assert pages_found(build, details) == {course}
    assert pages_found(build, "Goals Become a Chartered Engineer Teach the trainees") == {course}
    # The lists' pages are found by their own words.
    assert pages_found(build, "Structured learning with set outcomes") == {"categories/formal/"}
    assert pages_found(build, "2 activities, 12 hours") == {"years/2025/", "goals/teaching/"}


def test_include_private_is_for_the_preview_and_a_build_refuses_it(
    small_portfolio: Portfolio,
):
    small_portfolio.config(extra="      include_private: true\n")
    build = small_portfolio.build()
    assert build.returncode == 1
    assert (
        "cpdfolio: include_private: true is for your own preview with 'cpdfolio serve' only; "
        "a build would write your private records into site/, from where they get published. "
        "Preview with 'cpdfolio serve', or set include_private: false"
    ) in build.output
    assert not (small_portfolio.root / "site").exists()
    # The preview shows them, marked (tests/test_privacy.py opens the private page itself).
    with serving(small_portfolio) as server:
        goal = BeautifulSoup(server.get("goals/ceng/"), "html.parser")
    assert "private" in goal.select_one(".cpd-private").get_text()


def test_titles_render_literally_everywhere(portfolio: Portfolio):
    title = "<script>alert(1)</script> & *not bold* [x](y)"
    portfolio.goal("g", "title: '<b>Goal</b> & *stars*'")
    portfolio.activity(
        "2025-01-01-odd",
        f"""
        title: '{title}'
        date: 2025-01-01
        category: other
        goals: [g]
        type: '<i>type</i>'
    """,
    )
    build = portfolio.build()
    assert build.returncode == 0, build.output
    page = build.page("activities/2025-01-01-odd")
    raw = str(page)
    assert "<script>alert(1)" not in raw
    assert page.title.get_text().startswith(title)
    assert page.select_one("article h1").get_text() == title
    assert page.select_one("article h1 em") is None
    assert page.select("article .cpd-details a")[-1].get_text() == "<b>Goal</b> & *stars*"
    home = build.page("")
    assert home.find(string=re.compile(re.escape(title))) is not None
    assert "<script>alert(1)" not in (build.site / "search" / "search_index.json").read_text()
    for url in ("", "goals/g", "years/2025", "categories/other"):
        assert "<script>alert(1)" not in str(build.page(url)), url
        assert "<b>Goal</b>" not in str(build.page(url)), url


def test_example_portfolio_builds_with_every_category_and_status(example_build: Build):
    home = example_build.content("")
    assert [s.get_text() for s in home.select(".cpd-mix td:first-child")] == [
        "Work-based learning",
        "Professional activity",
        "Formal and educational",
        "Self-directed learning",
        "Other",
    ]
    statuses = {s.get_text() for s in home.select(".cpd-goals .cpd-chip")}
    assert statuses == {"Planned", "In progress", "Achieved", "Dropped"}
    for year in (2024, 2025, 2026):
        assert len(activity_links(example_build, f"years/{year}")) >= 8
    assert "WARNING" not in example_build.output, example_build.output


def test_a_link_to_a_private_record_keeps_its_words_but_not_the_name(small_portfolio: Portfolio):
    small_portfolio.activity(
        "2025-10-01-follow-up",
        """
        title: Follow-up conversation
        date: 2025-10-01
        category: work-based
        tags: [unplanned]
        """,
        body="## What I did\n\nTalked it through, see "
        "[my notes](2025/2025-09-01-privatecanary-incident.md).\n",
    )
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    content = build.content("activities/2025-10-01-follow-up")
    assert "Talked it through, see my notes." in content.get_text(" ", strip=True)
    assert "privatecanary" not in build.all_text().lower()


def test_a_folder_linked_into_itself_fails_the_build_cleanly(portfolio: Portfolio):
    portfolio.goal("g", "title: A goal")
    (portfolio.docs / "goals" / "again").symlink_to(portfolio.docs / "goals")
    build = portfolio.build()
    assert build.returncode == 1
    assert "portfolio/goals/again: is a link to a folder that contains it" in build.output
    assert "Traceback" not in build.output


def chip_colours(build: Build, url_path: str, kind: str = "category") -> dict[str, str]:
    """Each chip's words on a page, with the colour it carries."""
    return {
        chip.get_text(" ", strip=True): re.search(r"--cpd-colour: (#[0-9a-f]{6})", chip["style"])[1]
        for chip in build.content(url_path).select(f".cpd-chip[class*='cpd-{kind}-']")
    }


def chart_colours(build: Build, url_path: str) -> dict[str, str]:
    """The colour of each category in the charts' legends."""
    return {
        rect.find_next_sibling("text").get_text(): rect["fill"]
        for rect in build.content(url_path).select(".cpd-charts rect[width='10']")
    }


def test_a_category_has_one_colour_in_every_chip_and_chart(small_portfolio: Portfolio):
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    dashboard = chip_colours(build, "")
    assert len(dashboard) == 5 and len(set(dashboard.values())) == 5
    formal = dashboard["Formal and educational"]
    assert chip_colours(build, "categories/formal") == {"Formal and educational": formal}
    assert chip_colours(build, "years/2025")["Formal and educational"] == formal
    assert chip_colours(build, "activities/2025/2025-02-03-python-course") == {
        "Formal and educational": formal
    }
    assert chart_colours(build, "") == dashboard
    bar = build.content("").select(".cpd-mix .cpd-bar")[2]
    assert f"--cpd-colour: {formal}" in bar["style"]


def test_a_goal_status_has_one_colour_on_every_page(small_portfolio: Portfolio):
    build = small_portfolio.build()
    overview = chip_colours(build, "goals", kind="status")
    assert set(overview) == {"Planned", "In progress", "Achieved", "Dropped"}
    assert len(set(overview.values())) == 4
    assert chip_colours(build, "", kind="status").items() <= overview.items()
    assert chip_colours(build, "goals/ceng", kind="status") == {
        "In progress": overview["In progress"]
    }


def test_a_category_of_my_own_framework_gets_its_own_colour(portfolio: Portfolio):
    (portfolio.root / "my-framework.yml").write_text(
        "extends: default\ncategories:\n  - id: research\n    name: Research\n", "utf-8"
    )
    portfolio.config(extra="      framework: my-framework.yml\n")
    portfolio.activity(
        "2025-06-11-trial", "title: Dosimetry trial\ndate: 2025-06-11\ncategory: research"
    )
    build = portfolio.build()
    assert build.returncode == 0, build.output
    colours = chip_colours(build, "")
    assert len(set(colours.values())) == 6
    assert chip_colours(build, "activities/2025-06-11-trial") == {"Research": colours["Research"]}
    assert chart_colours(build, "")["Research"] == colours["Research"]


def test_search_finds_each_example_activity_by_its_title_on_its_own_page(example_build: Build):
    index = json.loads((example_build.site / "search" / "search_index.json").read_text("utf-8"))
    titles = {
        entry["location"]: entry["title"]
        for entry in index["docs"]
        if entry["location"].startswith("activities/") and "#" not in entry["location"]
    }
    assert len(titles) >= 20
    for url, title in titles.items():
        assert pages_found(example_build, title) == {url}, title
