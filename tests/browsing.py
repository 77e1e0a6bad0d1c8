"""A real headless Chromium (Debian's, driven by its own chromedriver) and a static server.

Debian ships `chromium` and `chromium-driver` built from the same source, so the
driver always speaks the browser's protocol; nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Without the networking flags Chromium keeps calling Google's hosts, which this
# machine refuses. The resolver rule makes every host but the test server unknown at
# once: no waiting on a lookup that times out (Material asks Google for its fonts), and
# proof that the site needs nothing from the internet.
FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)
LAPTOP = (1280, 900)
PHONE = (390, 844)
WAIT = 15  # seconds for a page or the search worker to answer


def start_chromium(profile: Path, javascript: bool = True):
    """A fresh headless Chromium with an empty profile; fails (never skips) without one.

    `javascript=False` blocks every page's scripts, as a browser set to refuse them
    does; the test's own commands still run, through the driver.
    """
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: the browser tests need Debian's Chromium and "
            f"its driver (apt-get install chromium chromium-driver; .ci/run installs them)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(WAIT * 2)
    return driver


def set_viewport(driver, size: tuple[int, int]) -> None:
    """Emulate a screen of this size (CSS pixels), as a phone or a laptop shows pages."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def http_server(root: Path) -> Iterator[str]:
    """Serve the folder `root` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class Assessor:
    """What an assessor does in the browser: open, click, search; and what they see."""

    def __init__(self, driver, screenshots: Path) -> None:
        self.driver = driver
        self.screenshots = screenshots
        screenshots.mkdir(parents=True, exist_ok=True)

    def open(self, url: str) -> None:
        self.driver.get(url)

    @property
    def url(self) -> str:
        return self.driver.current_url

    def heading(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, "article h1").text.strip()

    def article_text(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, "article").text

    def click(self, element) -> None:
        """Click as a person would: the element brought into view first, not under the header."""
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def follow(self, link_text: str, expect_in_url: str) -> None:
        """Click the link with these words in the page's article; wait for the new page."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        article = self.driver.find_element(By.CSS_SELECTOR, "article")
        self.click(article.find_element(By.PARTIAL_LINK_TEXT, link_text))
        WebDriverWait(self.driver, WAIT).until(lambda d: expect_in_url in d.current_url)
        WebDriverWait(self.driver, WAIT).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def search(self, word: str) -> list:
        """Type a word into the site's search; returns the result links once they show."""
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        field = self.driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
        if not field.is_displayed() or field.rect["width"] < 10:
            # On a phone the field is behind the magnifier button in the header.
            self.click(
                self.driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']")
            )
            WebDriverWait(self.driver, WAIT).until(lambda d: field.is_displayed())
        field.click()
        field.send_keys(word)
        # Material answers every keystroke and draws the list anew each time: wait until
        # the same result elements have stood for two looks in a row, so none goes stale.
        seen: list[tuple[str, ...]] = [()]

        def settled_results(driver):
            try:
                links = driver.find_elements(By.CSS_SELECTOR, "a.md-search-result__link")
                now = tuple(link.id for link in links if link.get_attribute("href"))
            except StaleElementReferenceException:
                return False
            before, seen[0] = seen[0], now
            return links if now and now == before else False

        return WebDriverWait(self.driver, WAIT, poll_frequency=0.3).until(settled_results)

    def search_meta(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the screen (0: no sideways scroll)."""
        return self.driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )

    def screenshot(self, name: str) -> Path:
        path = self.screenshots / f"{name}.png"
        assert self.driver.save_screenshot(str(path)), f"no screenshot of {name}"
        assert path.stat().st_size > 1000
        return path


def print_to_pdf(url: str, target: Path, profile: Path) -> Path:
    """Print a page as a person does from the browser's menu (no header or footer line)."""
    import subprocess

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: the print tests need Debian's Chromium")
    flags = [f for f in FLAGS if not f.startswith("--window-size")]
    subprocess.run(
        [
            str(CHROMIUM),
            *flags,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            url,
        ],
        capture_output=True,
        timeout=WAIT * 4,
        check=True,
    )
    assert target.read_bytes().startswith(b"%PDF"), f"no PDF printed from {url}"
    return target
