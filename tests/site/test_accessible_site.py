"""An assessor who uses a screen reader, a keyboard or a phone can read every page.

axe-core (the axe.min.js that the axe-playwright-python wheel ships, so nothing
is downloaded) runs in a real headless Chromium, driven by selenium as the other
browser tests are, on every kind of page of the example portfolio.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources

import pytest
from browsing import LAPTOP, PHONE, http_server, set_viewport, start_chromium
from conftest import Build

from cpdfolio.site import charts

PAGE_KINDS = {
    "dashboard": "",
    "goals index": "goals/",
    "goal": "goals/mr-linac-commissioning/",
    "activity": "activities/2025/2025-10-15-mr-linac-isocentre-tests/",
    "year": "years/2025/",
    "category": "categories/formal/",
    "competences": "competences/",
    "swot": "swot/",
}
# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@pytest.fixture(scope="module")
def browser(example_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """One Chromium for the module, and the example site's address."""
    driver = start_chromium(tmp_path_factory.mktemp("a11y") / "profile")
    try:
        with http_server(example_build.site) as url:
            yield driver, url
    finally:
        driver.quit()


def axe(driver) -> dict:
    script = (resources.files("axe_playwright_python") / "axe.min.js").read_text("utf-8")
    driver.execute_script(script)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(done, error => done({error: String(error)}));",
        WCAG_AA,
    )


def serious(results: dict) -> list[str]:
    assert "error" not in results, results.get("error")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_kind_of_page_has_no_serious_accessibility_violation(browser, kind: str):
    driver, url = browser
    set_viewport(driver, LAPTOP)
    driver.get(url + PAGE_KINDS[kind])
    results = axe(driver)
    assert serious(results) == [], f"{kind}: {serious(results)}"
    assert len(results["passes"]) > 20  # axe really ran its rules over the page


@pytest.mark.parametrize("kind", ["dashboard", "activity"])
def test_on_a_phone_too(browser, kind: str):
    driver, url = browser
    set_viewport(driver, PHONE)
    try:
        driver.get(url + PAGE_KINDS[kind])
        assert serious(axe(driver)) == []
    finally:
        set_viewport(driver, LAPTOP)


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_skip_link_leads_to_the_pages_title(browser, kind: str):
    driver, url = browser
    set_viewport(driver, LAPTOP)
    driver.get(url + PAGE_KINDS[kind])
    target = driver.execute_script(
        "const skip = document.querySelector('a.md-skip');"
        "if (!skip) return null;"
        "const id = decodeURIComponent(skip.hash.slice(1));"
        "const element = document.getElementById(id);"
        "return element && [element.tagName, element.closest('article') !== null,"
        " element === document.querySelector('article h1')];"
    )
    assert target == ["H1", True, True], f"{kind}: skip link target {target}"


def tab_stops_until(driver, words: str, most: int = 60) -> list[tuple[str, float, float, bool]]:
    """Press Tab from the top of the page until the focus is on a link with these words."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    stops = []
    for _ in range(most):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        text, left, width, in_drawer = driver.execute_script(
            "const a = document.activeElement, box = a.getBoundingClientRect();"
            "return [(a.textContent || '').trim(), box.left, box.width,"
            " a.closest('.md-sidebar--primary') !== null];"
        )
        stops.append((text, left, width, in_drawer))
        if words in text:
            return stops
    pytest.fail(f"{words!r} not reached in {most} tab stops: {stops}")


def test_download_link_is_early_in_the_tab_order_on_a_phone(browser):
    driver, url = browser
    set_viewport(driver, PHONE)
    try:
        driver.get(url)
        stops = tab_stops_until(driver, "Download the printout")
        # The drawer's opener, the skip link, Material's search field and its results,
        # then the Download link: none of the closed drawer's links come first. (Where
        # a stop sits on screen is no measure: the search field slides in as it opens.)
        assert len(stops) <= 5, stops
        assert not any(in_drawer for *_, in_drawer in stops), stops
    finally:
        set_viewport(driver, LAPTOP)


def test_on_a_phone_the_keyboard_opens_the_navigation_and_reaches_every_section(browser):
    """Material's menu button is a label no key reaches; its checkbox is reached instead."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver, url = browser
    set_viewport(driver, PHONE)
    try:
        driver.get(url)
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.execute_script(
            "const a = document.activeElement;"
            "return [a.id, a.labels ? [...a.labels].map(l => l.textContent.trim()) : []];"
        )
        assert focused[0] == "__drawer" and "Navigation" in focused[1], focused
        drawer = driver.find_element("css selector", ".md-sidebar--primary")
        assert not drawer.is_displayed()
        ActionChains(driver).send_keys(Keys.SPACE).perform()
        assert driver.execute_script("return document.getElementById('__drawer').checked")
        WebDriverWait(driver, 5).until(lambda d: drawer.is_displayed())
        tab_stops_until(driver, "Personal SWOT analysis")
        # The focused link is on the phone's screen, where the member can see it.
        left, width = driver.execute_script(
            "const box = document.activeElement.getBoundingClientRect();"
            "return [box.left, box.width];"
        )
        assert left >= 0 and left + width <= PHONE[0], (left, width)
    finally:
        set_viewport(driver, LAPTOP)


def test_skip_link_then_one_tab_reaches_the_download_link(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver, url = browser
    set_viewport(driver, LAPTOP)
    driver.get(url)
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.execute_script("return document.activeElement.className").startswith("md-skip")
    ActionChains(driver).send_keys(Keys.ENTER).send_keys(Keys.TAB).perform()
    assert driver.execute_script("return document.activeElement.textContent.trim()") == (
        "Download the printout (PDF)"
    )


def test_search_dialog_is_named(browser):
    driver, url = browser
    driver.get(url)
    assert driver.execute_script(
        "return document.querySelector('.md-search[role=dialog]').getAttribute('aria-label')"
    )


def test_chart_values_are_a_table_a_screen_reader_can_read(example_build: Build):
    page = example_build.page("")
    figure = page.select_one(".cpd-charts figure")
    assert figure.select_one("svg[role=img] title").text == "Activities by year and category"
    table = figure.select_one("details.cpd-chart-values table")
    head = [th.text for th in table.select("thead th")]
    assert head[0] == "Work-based learning" and head[-1] == "Total"
    rows = {row.th.text: [td.text for td in row.select("td")] for row in table.select("tbody tr")}
    assert set(rows) == {"2024", "2025", "2026"}
    # The totals are those written at the end of the chart's bars (after each year).
    numbers = [t.text for t in figure.select("svg > text") if re.fullmatch(r"[\d.]+", t.text)]
    assert numbers == [x for year in ("2024", "2025", "2026") for x in (year, rows[year][-1])]


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_chart_segments_are_told_apart_by_a_gap_of_3_to_1(example_build: Build):
    svg = example_build.page("").select_one(".cpd-charts svg")
    segments = svg.select("rect.cpd-segment")
    assert len(segments) >= 10
    for segment in segments:
        assert segment["stroke"] == "#fff" and float(segment["stroke-width"]) >= 1
        # Each segment meets its neighbour across a white gap: 3:1 at least (WCAG 1.4.11).
        assert contrast(segment["fill"], "#ffffff") >= 3, segment["fill"]
    for colour in [*charts.CATEGORY_COLOURS.values(), *charts.STATUS_COLOURS.values()]:
        assert contrast(colour, "#ffffff") >= 3, colour


def test_links_in_text_are_underlined(browser):
    driver, url = browser
    set_viewport(driver, LAPTOP)
    driver.get(url + PAGE_KINDS["year"])
    decorations = driver.execute_script(
        "return [...document.querySelectorAll('article p a')]"
        ".map(a => getComputedStyle(a).textDecorationLine);"
    )
    assert decorations and set(decorations) == {"underline"}
