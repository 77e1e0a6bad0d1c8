"""An assessor reads the example portfolio in a real browser, on a laptop and on a phone.

Screenshots of every page visited are saved under each test's tmp_path
(`screenshots/`), for a person to look at when a test fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import LAPTOP, PHONE, WAIT, Assessor, http_server, set_viewport, start_chromium
from conftest import EXAMPLE, Build, last_12_months, long_date

GOAL = "Lead the physics commissioning of the MR-Linac"
ACTIVITY = "MR-Linac radiation isocentre and MR-to-MV alignment tests"
ACTIVITY_URL = "activities/2025/2025-10-15-mr-linac-isocentre-tests"
EVIDENCE = "2025-10-mr-linac-isocentre.png"
# A word of one reflection only: the MR safety course.
SEARCH_WORD = "ferromagnetic"
SEARCH_URL = "activities/2024/2024-03-19-mr-safety-foundation-course"
SEARCH_TITLE = "MR safety in radiotherapy foundation course"


@pytest.fixture(scope="module")
def site_url(example_build: Build) -> Iterator[str]:
    with http_server(example_build.site) as url:
        yield url


@pytest.fixture
def assessor_without_javascript(tmp_path: Path) -> Iterator[Assessor]:
    """An assessor whose browser refuses scripts, as some NHS and council machines do."""
    driver = start_chromium(tmp_path / "profile", javascript=False)
    try:
        yield Assessor(driver, tmp_path / "screenshots")
    finally:
        driver.quit()


def follow_dashboard_to_evidence(assessor: Assessor, start: str, device: str) -> None:
    """Dashboard → goal → activity → evidence, each by clicking a link, checking each page."""
    assessor.open(start)
    assert assessor.heading() == "CPD portfolio of Dr Eleanor Hart"
    assessor.screenshot(f"{device}-dashboard")
    assessor.follow(GOAL, "goals/mr-linac-commissioning")
    assert assessor.heading() == GOAL
    assert ACTIVITY in assessor.article_text()
    assessor.screenshot(f"{device}-goal")
    assessor.follow(ACTIVITY, ACTIVITY_URL)
    assert assessor.heading() == ACTIVITY
    assert "What I learned" in assessor.article_text()
    assessor.screenshot(f"{device}-activity")
    assessor.follow(EVIDENCE, f"evidence/{EVIDENCE}")
    # The browser shows the image itself: it was found, and it decodes.
    assert assessor.driver.execute_script("return document.contentType") == "image/png"
    assert assessor.driver.execute_script("return document.images[0].naturalWidth") > 0
    assessor.screenshot(f"{device}-evidence")


def search_and_open(assessor: Assessor, start: str, device: str) -> None:
    """A word of one reflection finds exactly that record, and its link opens it."""
    assessor.open(start)
    results = assessor.search(SEARCH_WORD)
    assert SEARCH_URL in results[0].get_attribute("href")
    assert assessor.search_meta() == "1 matching document"
    assessor.screenshot(f"{device}-search")
    assessor.click(results[0])
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(assessor.driver, WAIT).until(lambda d: SEARCH_URL in d.current_url)
    assert assessor.heading() == SEARCH_TITLE
    assert SEARCH_WORD in assessor.article_text().lower()
    assessor.screenshot(f"{device}-search-result")


def test_the_search_word_is_in_one_reflection_only():
    """The premise of the search tests, so a change to the example says what broke."""
    holders = [p.name for p in EXAMPLE.rglob("*.md") if SEARCH_WORD in p.read_text("utf-8").lower()]
    assert holders == [SEARCH_URL.rsplit("/", 1)[1] + ".md"]


def test_assessor_on_a_laptop_follows_dashboard_goal_activity_evidence(
    assessor: Assessor, site_url: str
):
    set_viewport(assessor.driver, LAPTOP)
    follow_dashboard_to_evidence(assessor, site_url, "laptop")
    assert sorted(p.name for p in assessor.screenshots.iterdir()) == [
        "laptop-activity.png",
        "laptop-dashboard.png",
        "laptop-evidence.png",
        "laptop-goal.png",
    ]


def test_assessor_on_a_laptop_searches_a_reflection_and_reaches_the_record(
    assessor: Assessor, site_url: str
):
    set_viewport(assessor.driver, LAPTOP)
    search_and_open(assessor, site_url, "laptop")


def test_assessor_on_a_phone_reads_without_sideways_scrolling(assessor: Assessor, site_url: str):
    set_viewport(assessor.driver, PHONE)
    assessor.open(site_url)
    assert assessor.driver.execute_script("return window.innerWidth") == PHONE[0]
    pages = ["", "goals/mr-linac-commissioning/", f"{ACTIVITY_URL}/", "competences/", "swot/"]
    for page in pages:
        assessor.open(site_url + page)
        assert assessor.horizontal_overflow() <= 0, f"/{page} scrolls sideways on a phone"
        assessor.screenshot("phone-" + (page.strip("/").replace("/", "-") or "dashboard"))
    follow_dashboard_to_evidence(assessor, site_url, "phone")


def test_assessor_on_a_phone_uses_the_navigation_drawer(assessor: Assessor, site_url: str):
    use_the_navigation_drawer(assessor, site_url)


def use_the_navigation_drawer(assessor: Assessor, site_url: str) -> None:
    """Menu button, Goals, a goal: the drawer opens and leads to the goal's page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    set_viewport(assessor.driver, PHONE)
    assessor.open(site_url)
    driver = assessor.driver

    def on_screen(element) -> bool:
        rect = driver.execute_script("return arguments[0].getBoundingClientRect()", element)
        return rect["width"] > 0 and rect["left"] >= 0 and rect["right"] <= PHONE[0]

    goals_label = driver.find_element(
        By.XPATH, "//nav[contains(@class,'md-nav--primary')]//label[normalize-space()='Goals']"
    )
    assert not on_screen(goals_label), "the drawer should start closed on a phone"
    assessor.click(driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__drawer']"))
    WebDriverWait(driver, WAIT).until(lambda d: on_screen(goals_label))
    assessor.screenshot("phone-drawer")
    goals_label.click()
    goal_link = driver.find_element(
        By.XPATH,
        f"//nav[contains(@class,'md-nav--primary')]//a[contains(normalize-space(), '{GOAL}')]",
    )
    WebDriverWait(driver, WAIT).until(lambda d: on_screen(goal_link))
    assessor.screenshot("phone-drawer-goals")
    goal_link.click()
    WebDriverWait(driver, WAIT).until(lambda d: "goals/mr-linac-commissioning" in d.current_url)
    assert assessor.heading() == GOAL
    assert assessor.horizontal_overflow() <= 0


def test_assessor_on_a_phone_searches_a_reflection_and_reaches_the_record(
    assessor: Assessor, site_url: str
):
    set_viewport(assessor.driver, PHONE)
    search_and_open(assessor, site_url, "phone")
    assert assessor.horizontal_overflow() <= 0


def test_with_javascript_off_an_assessor_on_a_phone_reads_and_follows_every_link(
    assessor_without_javascript: Assessor, site_url: str
):
    from selenium.webdriver.common.by import By

    assessor = assessor_without_javascript
    set_viewport(assessor.driver, PHONE)
    assessor.open(site_url)
    # Material's script removes the class "no-js" as it starts: no script ran.
    assert "no-js" in assessor.driver.find_element(By.TAG_NAME, "html").get_attribute("class")
    text = assessor.article_text()
    start, end = last_12_months()
    period = f"Period: {long_date(start)} to {long_date(end)}"
    for words in (period, "Audit readiness", GOAL):
        assert words in text
    stats = assessor.driver.find_elements(By.CSS_SELECTOR, ".cpd-stat")
    assert [s.text.split()[0] for s in stats] == ["10", "48.5", "5", "2"]
    assert all(s.is_displayed() for s in stats)
    pages = ["", "goals/", "goals/mr-linac-commissioning/", f"{ACTIVITY_URL}/", "years/2025/"]
    for page in pages + ["categories/formal/", "competences/", "swot/"]:
        assessor.open(site_url + page)
        assert assessor.heading(), f"/{page} shows no heading without JavaScript"
        # A page wider than the phone is zoomed out to fit (tiny text) or scrolls sideways.
        width = assessor.driver.execute_script("return window.innerWidth")
        assert width == PHONE[0], f"/{page} is {width} px wide, so the phone zooms out"
        assert assessor.horizontal_overflow() <= 0, f"/{page} scrolls sideways on a phone"
    follow_dashboard_to_evidence(assessor, site_url, "phone-no-js")
    use_the_navigation_drawer(assessor, site_url)


def test_with_javascript_off_the_search_box_is_not_offered(
    assessor_without_javascript: Assessor, site_url: str
):
    """Search needs a script: without one there is no box that would do nothing."""
    from selenium.webdriver.common.by import By

    set_viewport(assessor_without_javascript.driver, LAPTOP)
    assessor_without_javascript.open(site_url)
    driver = assessor_without_javascript.driver
    assert not driver.find_element(By.CSS_SELECTOR, ".md-search").is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, "label[for='__search']").is_displayed()
    assert assessor_without_javascript.heading() == "CPD portfolio of Dr Eleanor Hart"
