"""A passphrase: the site, its search and the printout open for the assessor who has it.

The example portfolio is built with CPDFOLIO_PASSPHRASE set, as a member would
build it in CI. Every file of the site is searched for sentences of reflections
and for record titles; the printout is opened with the wrong passphrase and the
right one; then an assessor unlocks the site in a real browser and searches it.
Screenshots are saved under each browser test's tmp_path (`screenshots/`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import LAPTOP, PHONE, WAIT, Assessor, http_server, set_viewport, start_chromium
from conftest import EXAMPLE, FIXTURES, REPO, Build, Portfolio, mkdocs_build
from pypdf import PdfReader
from test_browser import (
    ACTIVITY,
    ACTIVITY_URL,
    EVIDENCE,
    SEARCH_TITLE,
    SEARCH_URL,
    SEARCH_WORD,
)
from test_bundle import bundle
from test_privacy import published_files

from cpdfolio.passphrase import ENV

PASSPHRASE = "tulip harbour lantern 1987"
# Words of reflections, of a goal and of the summary of practice (none in an address).
PHRASES = [
    "keeping scissors out of the room",
    "The honest reasons are not flattering",
    "The fault was mine",
    SEARCH_WORD,
    "Much of my work is engineering",
    "Northfield Cancer Centre",
]
# A reflection with an image of the evidence folder in it.
IMAGE_PAGE = "activities/2024/2024-11-04-python-qa-dashboard"
IMAGE_TITLE = "Building and validating a Python dashboard for daily output constancy"
EVIDENCE_FILES = sorted(p.name for p in (EXAMPLE / "evidence").iterdir())


def shared_titles() -> list[str]:
    """Every shared record's title, as written in its front matter."""
    titles = []
    for path in EXAMPLE.rglob("*.md"):
        text = path.read_text("utf-8")
        match = re.search(r"^title: \"?(.+?)\"?$", text, re.M)
        if match and "share: false" not in text:
            titles.append(match.group(1))
    return titles


def locked_copy(root: Path) -> Path:
    """The example portfolio, as a member keeps it, in `root`."""
    shutil.copytree(EXAMPLE, root / "example_portfolio")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "built-by-cpdfolio", root / "built-by-cpdfolio")
    return root


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The example portfolio built with CPDFOLIO_PASSPHRASE, once for this module."""
    root = locked_copy(tmp_path_factory.mktemp("locked"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = mkdocs_build(root / "mkdocs.yml", root / "site")
    assert build.returncode == 0, build.output
    return build


def test_the_phrases_are_in_the_example_and_in_an_open_build(example_build: Build):
    """The premise of the leak tests: without a passphrase, each phrase is published."""
    published = example_build.all_text()
    for phrase in PHRASES + shared_titles():
        assert phrase in published, phrase


def test_no_file_of_a_protected_site_holds_a_reflection_or_a_title(locked: Build):
    files = dict(published_files(locked.site))
    assert "search/search_index.json" in files and "sitemap.xml.gz (opened)" in files
    assert "assets/javascripts/decrypt-contents.js" in files
    titles = shared_titles()
    assert len(titles) > 30
    for name, data in files.items():
        text = data.decode("utf-8", "replace")
        for phrase in PHRASES + titles:
            assert phrase not in text, f"{name}: {phrase}"
        assert PASSPHRASE not in text, name


def test_search_index_in_clear_is_empty_and_its_entries_are_encrypted(locked: Build):
    index = (locked.site / "search" / "search_index.json").read_text("utf-8")
    assert '"docs": []' in index
    encrypted = (locked.site / "search" / "encrypted_search_index.json").read_text("utf-8")
    assert len(encrypted) > 20_000  # every page's entries, as ciphertext
    script = (locked.site / "search" / "encrypted_search_index.js").read_text("utf-8")
    assert script.startswith("window.__cpdfolioSearch = {")


def test_every_page_is_the_unlock_form_with_the_site_name_as_its_title(locked: Build):
    pages = sorted(locked.site.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        soup = locked.page(page.parent.relative_to(locked.site).as_posix())
        assert soup.title.get_text() == "CPD portfolio of Dr Eleanor Hart", page
        assert soup.select_one("#mkdocs-encrypted-content"), page
        assert [h.get_text() for h in soup.select("h1")] == ["This portfolio is protected"]
    # Material's 404 page would show the navigation in clear; there is none.
    assert not (locked.site / "404.html").exists()


def test_what_stays_in_clear_is_the_site_name_and_the_addresses(locked: Build):
    """What the README says an outsider can see: the site's name and page addresses."""
    home = (locked.site / "index.html").read_text("utf-8")
    assert "<title>CPD portfolio of Dr Eleanor Hart</title>" in home
    activity = (locked.site / ACTIVITY_URL / "index.html").read_text("utf-8")
    assert f'encryptcontent_path = "{ACTIVITY_URL}/"' in activity


def test_evidence_travels_inside_the_encrypted_pages(locked: Build, example_build: Build):
    names = {p.name for p in locked.site.rglob("*")}
    assert not names & set(EVIDENCE_FILES)
    assert set(EVIDENCE_FILES) <= {p.name for p in example_build.site.rglob("*")}
    image = (EXAMPLE / "evidence" / "2025-10-mr-linac-isocentre.png").read_bytes()
    for name, data in published_files(locked.site):
        assert image[100:164] not in data, name


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_protected_printout_opens_only_with_the_passphrase(locked: Build, example_build: Build):
    pdf = locked.site / "cpd-portfolio.pdf"
    reader = PdfReader(pdf)
    assert reader.is_encrypted
    encryption = reader.trailer["/Encrypt"]
    assert encryption["/V"] == 5 and encryption["/CF"]["/StdCF"]["/CFM"] == "/AESV3"  # AES-256
    assert reader.decrypt("not the passphrase") == 0
    assert reader.decrypt(PASSPHRASE) != 0
    # Opened, it is the printout of the same portfolio without a passphrase, whole:
    # every page's text, the bookmarks and the evidence attached.
    printout = PdfReader(example_build.site / "cpd-portfolio.pdf")
    text = pdf_text(reader)
    assert text == pdf_text(printout) and "Dr Eleanor Hart" in text
    assert len(reader.outline) == len(printout.outline)
    assert set(reader.attachments) == set(printout.attachments) != set()
    # A reader without the passphrase gets nothing.
    refused = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    assert refused.returncode != 0 and refused.stdout == ""
    assert "Incorrect password" in refused.stderr
    opened = subprocess.run(
        ["pdftotext", "-upw", PASSPHRASE, str(pdf), "-"], capture_output=True, text=True
    )
    assert opened.returncode == 0 and "Dr Eleanor Hart" in opened.stdout


def test_the_passphrase_is_written_nowhere(locked: Build):
    assert PASSPHRASE not in locked.output
    member = locked.site.parent
    # encryptcontent's own cache (the derived key, in clear) is not made beside mkdocs.yml.
    # Nor is anything left of the pages generated for the build.
    assert sorted(p.name for p in member.iterdir()) == [
        "built-by-cpdfolio",
        "example_portfolio",
        "mkdocs.yml",
        "site",
    ]


def test_cpdfolio_pdf_gets_the_passphrase_too(portfolio: Portfolio, tmp_path: Path):
    shutil.copytree(FIXTURES / "small", portfolio.docs, dirs_exist_ok=True)
    target = tmp_path / "audit.pdf"
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        result = portfolio.cpdfolio("pdf", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "It is encrypted: it opens with the portfolio's passphrase (AES-256)." in result.stdout
    reader = PdfReader(target)
    assert reader.is_encrypted and reader.decrypt(PASSPHRASE) != 0
    assert "Python for medical physicists" in "".join(page.extract_text() for page in reader.pages)


def test_the_environment_wins_over_mkdocs_yml_which_is_warned_about(
    small_portfolio: Portfolio,
):
    small_portfolio.config(extra="      passphrase: written in mkdocs yml\n")
    build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert "mkdocs.yml holds the passphrase in clear" in build.output
    assert "written in mkdocs yml" not in build.output
    assert PdfReader(build.site / "cpd-portfolio.pdf").decrypt("written in mkdocs yml") != 0
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert "holds the passphrase in clear" not in build.output
    reader = PdfReader(build.site / "cpd-portfolio.pdf")
    assert reader.decrypt("written in mkdocs yml") == 0 and reader.decrypt(PASSPHRASE) != 0


def test_an_empty_passphrase_means_none_and_says_so_when_it_hides_one(
    small_portfolio: Portfolio,
):
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, "")
        build = small_portfolio.build()
        assert build.returncode == 0, build.output
        assert "holds the passphrase" not in build.output and "set but empty" not in build.output
        assert not PdfReader(build.site / "cpd-portfolio.pdf").is_encrypted
        assert "Python for medical physicists" in build.all_text()
        small_portfolio.config(extra="      passphrase: written in mkdocs yml\n")
        build = small_portfolio.build()
    assert build.returncode == 0, build.output
    assert (
        "WARNING -  cpdfolio: CPDFOLIO_PASSPHRASE is set but empty: the site and the printout "
        "are built without the passphrase of mkdocs.yml, readable by anyone"
    ) in build.output
    assert not PdfReader(build.site / "cpd-portfolio.pdf").is_encrypted


@pytest.mark.parametrize("weak", ["cpd2025", "password1234", "Password123!", "qwertyuiopas"])
def test_a_guessable_passphrase_is_refused_saying_how_soon_it_falls(
    small_portfolio: Portfolio, tmp_path: Path, weak: str
):
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, weak)
        build = small_portfolio.build()
        printout = small_portfolio.cpdfolio("pdf", "-o", str(tmp_path / "audit.pdf"))
    assert build.returncode == 1
    assert (
        "cpdfolio: the passphrase is too easy to guess: anyone with a copy of the site or the "
        "PDF could find it in "
    ) in build.output
    assert "Four or more random words make a strong one; nothing was built" in build.output
    assert not (small_portfolio.root / "site" / "index.html").exists()
    assert printout.returncode == 1
    assert "the passphrase is too easy to guess" in printout.stderr
    assert "no printout was made" in printout.stderr
    assert not (tmp_path / "audit.pdf").exists()
    assert weak not in build.output + printout.stderr
    # A good passphrase builds under --strict: nothing else of encryptcontent warns.
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        assert small_portfolio.build("--strict").returncode == 0


def test_encryptcontent_of_ones_own_beside_a_passphrase_is_refused(small_portfolio: Portfolio):
    small_portfolio.config(extra="  - encryptcontent:\n      global_password: mine\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = small_portfolio.build()
    assert build.returncode == 1
    assert (
        "cpdfolio: with a passphrase, cpdfolio sets up encryptcontent itself; remove "
        "'encryptcontent' from the plugins of mkdocs.yml"
    ) in build.output
    assert not (small_portfolio.root / "site").exists()


def test_bundle_with_a_passphrase_holds_only_encrypted_content(tmp_path: Path):
    member = locked_copy(tmp_path / "member")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        result = bundle(member, "-o", str(tmp_path / "cpd.zip"))
    assert result.returncode == 0, result.stderr
    titles = shared_titles()
    with zipfile.ZipFile(tmp_path / "cpd.zip") as archive:
        names = archive.namelist()
        assert "cpd/search/search_index.js" in names
        assert "cpd/search/encrypted_search_index.js" in names
        assert not {n.rsplit("/", 1)[-1] for n in names} & set(EVIDENCE_FILES)
        for name in names:
            text = archive.read(name).decode("utf-8", "replace")
            for phrase in PHRASES + titles:
                assert phrase not in text, f"{name}: {phrase}"
        assert '"docs": []' in archive.read("cpd/search/search_index.js").decode()
        with archive.open("cpd/cpd-portfolio.pdf") as pdf:
            assert PdfReader(pdf).is_encrypted


# -- an assessor in the browser ------------------------------------------------------


@pytest.fixture(scope="module")
def site_url(locked: Build) -> Iterator[str]:
    with http_server(locked.site) as url:
        yield url


def unlock(assessor: Assessor, passphrase: str) -> None:
    """Type the passphrase into the form and press the button, as a person does."""
    from selenium.webdriver.common.by import By

    field = assessor.driver.find_element(By.ID, "mkdocs-content-password")
    field.clear()
    field.send_keys(passphrase)
    assessor.click(assessor.driver.find_element(By.ID, "mkdocs-decrypt-button"))


def unlock_read_and_search(assessor: Assessor, site_url: str, device: str) -> None:
    """An activity page, locked; the wrong passphrase, then the right one; then search."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = assessor.driver
    assessor.open(f"{site_url}{ACTIVITY_URL}/")
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.ID, "mkdocs-content-password").is_displayed()
    )
    assert assessor.heading() == "This portfolio is protected"
    assert ACTIVITY not in driver.page_source and "isocentre" not in assessor.article_text()
    assert driver.title == "CPD portfolio of Dr Eleanor Hart"
    assert assessor.horizontal_overflow() <= 0
    assessor.screenshot(f"{device}-locked")
    unlock(assessor, "not the passphrase")
    WebDriverWait(driver, WAIT).until(
        lambda d: (
            d.find_element(By.ID, "mkdocs-decrypt-msg").text
            == "That passphrase does not open this portfolio."
        )
    )
    assessor.screenshot(f"{device}-wrong-passphrase")
    unlock(assessor, PASSPHRASE)
    # The page is replaced under the reader's eyes: an element may go stale while read.
    settled = WebDriverWait(driver, WAIT, ignored_exceptions=[StaleElementReferenceException])
    settled.until(lambda d: assessor.heading() == ACTIVITY)
    assert "What I learned" in assessor.article_text()
    assert "isocentre" in assessor.article_text()
    assert assessor.horizontal_overflow() <= 0
    assessor.screenshot(f"{device}-unlocked")
    # The evidence came inside the page: its link holds the file, to download.
    link = driver.find_element(By.CSS_SELECTOR, f"article a[download='{EVIDENCE}']")
    image = (EXAMPLE / "evidence" / EVIDENCE).read_bytes()
    assert link.get_attribute("href") == "data:image/png;base64," + b64encode(image).decode()
    # Search knows the reflections now; its result opens unlocked, in the same tab.
    results = assessor.search(SEARCH_WORD)
    assert SEARCH_URL in results[0].get_attribute("href")
    assert assessor.search_meta() == "1 matching document"
    assessor.screenshot(f"{device}-search")
    assessor.click(results[0])
    WebDriverWait(driver, WAIT).until(lambda d: SEARCH_URL in d.current_url)
    settled.until(lambda d: assessor.heading() == SEARCH_TITLE)
    assert SEARCH_WORD in assessor.article_text().lower()
    assessor.screenshot(f"{device}-search-result")
    # Another page opens without asking again, and the image of its reflection shows.
    assessor.open(f"{site_url}{IMAGE_PAGE}/")
    settled.until(lambda d: assessor.heading() == IMAGE_TITLE)
    assert driver.execute_script(
        "return [...document.querySelectorAll('article img')]"
        ".some(i => i.src.startsWith('data:image/png;base64,') && i.naturalWidth > 0)"
    )


def test_assessor_on_a_laptop_unlocks_the_site_and_searches_a_reflection(
    assessor: Assessor, site_url: str
):
    set_viewport(assessor.driver, LAPTOP)
    unlock_read_and_search(assessor, site_url, "laptop")


def test_assessor_on_a_phone_unlocks_the_site_and_searches_a_reflection(
    assessor: Assessor, site_url: str
):
    set_viewport(assessor.driver, PHONE)
    unlock_read_and_search(assessor, site_url, "phone")


def test_search_before_the_passphrase_finds_nothing(assessor: Assessor, site_url: str):
    from selenium.common.exceptions import TimeoutException

    set_viewport(assessor.driver, LAPTOP)
    assessor.open(site_url)
    with pytest.raises(TimeoutException):
        assessor.search(SEARCH_WORD)
    assessor.screenshot("laptop-search-locked")


def test_assessor_unlocks_the_unzipped_bundle_from_disk_and_searches(tmp_path: Path):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    member = locked_copy(tmp_path / "member")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        assert bundle(member, "-o", str(tmp_path / "cpd.zip")).returncode == 0
    with zipfile.ZipFile(tmp_path / "cpd.zip") as archive:
        archive.extractall(tmp_path / "assessor")
    driver = start_chromium(tmp_path / "profile")
    try:
        assessor = Assessor(driver, tmp_path / "screenshots")
        set_viewport(driver, LAPTOP)
        assessor.open((tmp_path / "assessor" / "cpd" / f"{ACTIVITY_URL}.html").as_uri())
        WebDriverWait(driver, WAIT).until(lambda d: assessor.heading() != "")
        assert assessor.heading() == "This portfolio is protected"
        assessor.screenshot("file-locked")
        unlock(assessor, PASSPHRASE)
        settled = WebDriverWait(driver, WAIT, ignored_exceptions=[StaleElementReferenceException])
        settled.until(lambda d: assessor.heading() == ACTIVITY)
        assessor.screenshot("file-unlocked")
        results = assessor.search(SEARCH_WORD)
        assert assessor.search_meta() == "1 matching document"
        assessor.click(results[0])
        WebDriverWait(driver, WAIT).until(lambda d: f"{SEARCH_URL}.html" in d.current_url)
        settled.until(lambda d: assessor.heading() == SEARCH_TITLE)
        assert assessor.url.startswith("file://")
        assessor.screenshot("file-search-result")
    finally:
        driver.quit()


def test_the_preview_keeps_a_locked_portfolio_locked_after_an_edit(
    small_portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
):
    """The preview rebuilds a locked portfolio whole: no page's text goes back in clear."""
    from serving import serving
    from test_serve import page_when

    monkeypatch.setenv(ENV, PASSPHRASE)
    course = small_portfolio.docs / "activities/2025/2025-02-03-python-course.md"
    edited, kept = (
        "activities/2025/2025-02-03-python-course/",
        "activities/2024/2024-05-10-ipem-meeting/",
    )
    sealed_index = "search/encrypted_search_index.json"
    with serving(small_portfolio) as server:
        before = server.get(sealed_index).decode()
        assert "Python for medical physicists" not in server.get(edited).decode()
        course.write_text(course.read_text() + "\nEditedreflectionword.\n")
        # encryptcontent writes the sealed index last, new salts each time: once it
        # has changed, the rebuild has written everything.
        assert page_when(server, sealed_index, lambda t: t != before) != before
        served = [server.get(path).decode() for path in ("search/search_index.json", "", kept)]
        for text in [*served, server.get(edited).decode()]:
            for phrase in ("Editedreflectionword", "Python for medical physicists", "IPEM nuclear"):
                assert phrase not in text
    assert "Traceback" not in server.output
