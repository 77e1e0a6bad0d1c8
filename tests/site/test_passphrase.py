"""A passphrase: the site, its search and the printout open for the assessor who has it.

The example portfolio is built with CPDFOLIO_PASSPHRASE set, as a member would
build it in CI. Every file of the site is searched for sentences of reflections
and for record titles; the printout is opened with the wrong passphrase and the
right one; then an assessor unlocks the site in a real browser and searches it.
Screenshots are saved under each browser test's tmp_path (`screenshots/`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from base64 import b64decode, b64encode, urlsafe_b64encode
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import LAPTOP, PHONE, WAIT, Assessor, http_server, set_viewport, start_chromium
from bs4 import BeautifulSoup
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
from cpdfolio.site.sealing import derive_key

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


def lock_page_payload(text: str) -> dict:
    return json.loads(text.split('id="cpdfolio-sealed">', 1)[1].split("</script>", 1)[0])


def test_no_file_of_a_protected_site_holds_a_reflection_or_a_title(locked: Build):
    files = dict(published_files(locked.site))
    assert "sealed/manifest.js" in files and "sealed/unlock.js" in files
    titles = shared_titles()
    assert len(titles) > 30
    for name, data in files.items():
        text = data.decode("utf-8", "replace")
        for phrase in PHRASES + titles:
            assert phrase not in text, f"{name}: {phrase}"
        assert PASSPHRASE not in text, name


def test_the_search_index_and_the_sitemap_are_not_in_clear(locked: Build, example_build: Build):
    assert (example_build.site / "search" / "search_index.json").is_file()
    assert (example_build.site / "sitemap.xml").is_file()
    for gone in ("search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "404.html"):
        assert not (locked.site / gone).exists(), gone


def test_every_page_is_the_same_lock_page_that_names_nothing(locked: Build):
    """No title, heading, id, skip link, rel=prev/next or navigation of a page in clear."""
    pages = sorted(locked.site.rglob("*.html"))
    assert len(pages) > 40
    shells = set()
    for page in pages:
        text = page.read_text("utf-8")
        payload = lock_page_payload(text)
        shells.add(text.replace(json.dumps(payload), "").replace(payload["root"], ""))
        soup = BeautifulSoup(text, "html.parser")
        assert soup.title.get_text() == "Locked portfolio", page
        assert [h.get_text() for h in soup.select("h1")] == ["Locked portfolio"]
        assert {e["id"] for e in soup.select("[id]")} == {
            "cpdfolio-unlock",
            "cpdfolio-passphrase",
            "cpdfolio-open",
            "cpdfolio-message",
            "cpdfolio-sealed",
        }
        assert not soup.select("a, link, nav"), page
    # Apart from its ciphertext and the way to the site's root, every page is the same.
    assert len(shells) == 1


def test_what_stays_in_clear_is_the_theme_the_locked_printout_and_the_addresses(locked: Build):
    clear = sorted(
        name
        for name, _ in published_files(locked.site)
        if not name.endswith(".html") and not name.startswith("sealed/")
    )
    assert "cpd-portfolio.pdf" in clear
    others = [n for n in clear if n != "cpd-portfolio.pdf"]
    assert others and all(n.startswith("assets/") or n.endswith((".css", ".js")) for n in others), (
        others
    )
    # The address of each page is its file name, as the README says.
    assert (locked.site / ACTIVITY_URL / "index.html").is_file()


def test_evidence_is_sealed_under_names_that_say_nothing(locked: Build, example_build: Build):
    names = {p.name for p in locked.site.rglob("*")}
    assert not names & set(EVIDENCE_FILES)
    assert set(EVIDENCE_FILES) <= {p.name for p in example_build.site.rglob("*")}
    for evidence in EVIDENCE_FILES:
        data = (EXAMPLE / "evidence" / evidence).read_bytes()
        for name, published in published_files(locked.site):
            assert data[100:164] not in published, name
            assert b64encode(data[:48]) not in published, name


def test_each_build_has_its_own_salt_and_current_parameters(locked: Build, tmp_path: Path):
    first = lock_page_payload((locked.site / "index.html").read_text("utf-8"))
    assert first["iterations"] >= 600_000 and len(b64decode(first["salt"])) == 16
    again = locked_copy(tmp_path)
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = mkdocs_build(again / "mkdocs.yml", again / "site")
    assert build.returncode == 0, build.output
    second = lock_page_payload((build.site / "index.html").read_text("utf-8"))
    assert first["salt"] != second["salt"] and first["nonce"] != second["nonce"]


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
    # Nothing beside mkdocs.yml: no cache of a key derived from it, nothing left of
    # the pages generated for the build; only the printout's cache, sealed.
    assert sorted(p.name for p in member.iterdir()) == [
        ".cpdfolio",
        "built-by-cpdfolio",
        "example_portfolio",
        "mkdocs.yml",
        "site",
    ]
    kept = [p for p in (member / ".cpdfolio").rglob("*") if p.is_file()]
    assert kept and all(
        p.relative_to(member).parts[:4] == (".cpdfolio", "cache", "printout", "sealed")
        for p in kept
    )
    for path in kept:
        data = path.read_bytes()
        assert PASSPHRASE.encode() not in data and b"%PDF" not in data, path


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
    # A good passphrase builds under --strict: sealing itself warns of nothing.
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        assert small_portfolio.build("--strict").returncode == 0


def test_bundle_with_a_passphrase_holds_only_encrypted_content(tmp_path: Path):
    member = locked_copy(tmp_path / "member")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        result = bundle(member, "-o", str(tmp_path / "cpd.zip"))
    assert result.returncode == 0, result.stderr
    titles = shared_titles()
    with zipfile.ZipFile(tmp_path / "cpd.zip") as archive:
        names = archive.namelist()
        assert "cpd/sealed/manifest.js" in names
        assert not {n.rsplit("/", 1)[-1] for n in names} & set(EVIDENCE_FILES)
        for name in names:
            text = archive.read(name).decode("utf-8", "replace")
            for phrase in PHRASES + titles:
                assert phrase not in text, f"{name}: {phrase}"
        # Material loads this script from disk; it is left empty, the index sealed.
        script = archive.read("cpd/search/search_index.js").decode()
        assert script == "/* sealed by cpdfolio: unlock.js sets __index */\n"
        with archive.open("cpd/cpd-portfolio.pdf") as pdf:
            assert PdfReader(pdf).is_encrypted


# -- an assessor in the browser ------------------------------------------------------


WRONG = "That passphrase does not open this portfolio. Check it and try again."
# What a page script can reach after unlocking: the stored key and both web storages.
KEY_IN_REACH = """
const done = arguments[arguments.length - 1];
const opening = indexedDB.open("cpdfolio-sealing");
opening.onsuccess = () => {
  const all = opening.result.transaction("keys").objectStore("keys").getAll();
  all.onsuccess = async () => {
    const keys = all.result.map(entry => entry.key);
    let exported = 0;
    for (const key of keys) {
      for (const format of ["raw", "jwk"]) {
        try { await crypto.subtle.exportKey(format, key); exported++; } catch (error) {}
      }
    }
    done({
      keys: keys.length,
      crypto_keys: keys.every(key => key instanceof CryptoKey),
      extractable: keys.map(key => key.extractable),
      usages: keys.map(key => key.usages),
      exported: exported,
      structured: JSON.stringify(all.result),
      session: Object.keys(sessionStorage),
      storage: JSON.stringify(sessionStorage) + JSON.stringify(localStorage),
      local: localStorage.length,
    });
  };
};
opening.onerror = () => done(null);
"""


def unlock_with(assessor: Assessor, passphrase: str, expect_error: bool = False) -> None:
    """Type the passphrase into the lock page and press Unlock, as a person does."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = assessor.driver
    field = WebDriverWait(driver, WAIT).until(
        lambda d: (
            d.find_element(By.ID, "cpdfolio-passphrase").is_displayed()
            and d.find_element(By.ID, "cpdfolio-passphrase")
        )
    )
    field.clear()
    field.send_keys(passphrase)
    assessor.click(driver.find_element(By.ID, "cpdfolio-open"))
    if expect_error:
        WebDriverWait(driver, WAIT * 2).until(
            lambda d: d.find_element(By.ID, "cpdfolio-message").text == WRONG
        )


def wait_for_heading(assessor: Assessor, heading: str) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(
        assessor.driver, WAIT * 2, ignored_exceptions=[StaleElementReferenceException]
    ).until(lambda d: assessor.heading() == heading)


def open_evidence(assessor: Assessor, link_text: str, kind: str) -> None:
    """Click an evidence link of the article: the file opens, decrypted, from memory."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = assessor.driver
    link = driver.find_element(By.CSS_SELECTOR, "article").find_element(
        By.PARTIAL_LINK_TEXT, link_text
    )
    assessor.click(link)
    WebDriverWait(driver, WAIT).until(lambda d: d.current_url.startswith("blob:"))
    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script("return document.contentType") == kind
    )


def assert_lock_page(assessor: Assessor) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = assessor.driver
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element(By.ID, "cpdfolio-passphrase").is_displayed()
    )
    assert driver.title == "Locked portfolio"
    assert driver.find_element(By.TAG_NAME, "h1").text == "Locked portfolio"
    assert not driver.find_elements(By.CSS_SELECTOR, "article, nav, input.md-search__input")
    assert assessor.horizontal_overflow() <= 0


def assert_key_out_of_reach(assessor: Assessor, site: Path) -> None:
    """A page script finds a non-extractable CryptoKey, and no key bytes anywhere."""
    payload = lock_page_payload((site / "index.html").read_text("utf-8"))
    key = derive_key(PASSPHRASE, b64decode(payload["salt"])).key
    reach = assessor.driver.execute_async_script(KEY_IN_REACH)
    assert reach["keys"] == 1 and reach["crypto_keys"] is True
    assert reach["extractable"] == [False] and reach["usages"] == [["decrypt"]]
    assert reach["exported"] == 0
    assert reach["session"] == ["cpdfolio-session"] and reach["local"] == 0
    for form in (key.hex(), b64encode(key).decode(), urlsafe_b64encode(key).decode().rstrip("=")):
        assert form not in reach["storage"] and form not in reach["structured"]


def unlock_read_and_search(assessor: Assessor, site_url: str, site: Path, device: str) -> None:
    """The dashboard, locked; the wrong passphrase, then the right one; pages, evidence, search."""
    driver = assessor.driver
    assessor.open(site_url)
    assert_lock_page(assessor)
    assessor.screenshot(f"{device}-locked")
    unlock_with(assessor, "not the passphrase", expect_error=True)
    assert_lock_page(assessor)
    assessor.screenshot(f"{device}-wrong-passphrase")
    unlock_with(assessor, PASSPHRASE)
    wait_for_heading(assessor, "CPD portfolio of Dr Eleanor Hart")
    assert "Dashboard" in driver.title or "CPD portfolio" in driver.title
    assessor.screenshot(f"{device}-dashboard")
    # Another page opens without asking again, with its title and navigation.
    assessor.open(f"{site_url}{ACTIVITY_URL}/")
    wait_for_heading(assessor, ACTIVITY)
    assert driver.title.startswith(ACTIVITY)
    assert "What I learned" in assessor.article_text()
    assert "isocentre" in assessor.article_text()
    assert assessor.horizontal_overflow() <= 0
    assessor.screenshot(f"{device}-activity")
    assert_key_out_of_reach(assessor, site)
    # The evidence link opens the image, decrypted.
    open_evidence(assessor, EVIDENCE, "image/png")
    assert driver.execute_script("return document.images[0].naturalWidth") > 0
    assessor.screenshot(f"{device}-evidence")
    # Search knows the reflections; its result opens, unlocked, in the same tab.
    assessor.open(f"{site_url}{ACTIVITY_URL}/")
    wait_for_heading(assessor, ACTIVITY)
    results = assessor.search(SEARCH_WORD)
    assert SEARCH_URL in results[0].get_attribute("href")
    assert assessor.search_meta() == "1 matching document"
    assessor.screenshot(f"{device}-search")
    assessor.click(results[0])
    wait_for_heading(assessor, SEARCH_TITLE)
    assert SEARCH_WORD in assessor.article_text().lower()
    assessor.screenshot(f"{device}-search-result")
    # The image of a reflection shows, decrypted into memory.
    assessor.open(f"{site_url}{IMAGE_PAGE}/")
    wait_for_heading(assessor, IMAGE_TITLE)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('article img')]"
            ".some(i => i.src.startsWith('blob:') && i.naturalWidth > 0)"
        )
    )


@pytest.fixture(scope="module")
def site_url(locked: Build) -> Iterator[str]:
    with http_server(locked.site) as url:
        yield url


def test_assessor_on_a_laptop_unlocks_the_site_reads_searches_and_opens_evidence(
    assessor: Assessor, site_url: str, locked: Build
):
    set_viewport(assessor.driver, LAPTOP)
    unlock_read_and_search(assessor, site_url, locked.site, "laptop")


def test_assessor_on_a_phone_unlocks_the_site_reads_searches_and_opens_evidence(
    assessor: Assessor, site_url: str, locked: Build
):
    set_viewport(assessor.driver, PHONE)
    unlock_read_and_search(assessor, site_url, locked.site, "phone")


def test_a_wrong_passphrase_opens_nothing_and_a_new_tab_asks_again(
    assessor: Assessor, site_url: str
):
    from selenium.webdriver.common.by import By

    set_viewport(assessor.driver, LAPTOP)
    assessor.open(f"{site_url}{ACTIVITY_URL}/")
    assert_lock_page(assessor)
    for guess in ("not the passphrase", PASSPHRASE.upper(), PASSPHRASE + " "):
        unlock_with(assessor, guess, expect_error=True)
    assert ACTIVITY not in assessor.driver.page_source
    assert assessor.driver.execute_script("return sessionStorage.length") == 0
    unlock_with(assessor, PASSPHRASE)
    wait_for_heading(assessor, ACTIVITY)
    # A tab opened afresh (not from this one) has no key: it asks again.
    assessor.driver.switch_to.new_window("tab")
    assessor.open(f"{site_url}{ACTIVITY_URL}/")
    assert_lock_page(assessor)
    assert not assessor.driver.find_elements(By.CSS_SELECTOR, "article")


def test_assessor_unlocks_the_unzipped_bundle_from_disk_and_searches(tmp_path: Path):
    member = locked_copy(tmp_path / "member")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        assert bundle(member, "-o", str(tmp_path / "cpd.zip")).returncode == 0
    with zipfile.ZipFile(tmp_path / "cpd.zip") as archive:
        archive.extractall(tmp_path / "assessor")
    site = tmp_path / "assessor" / "cpd"
    driver = start_chromium(tmp_path / "profile")
    try:
        assessor = Assessor(driver, tmp_path / "screenshots")
        set_viewport(driver, LAPTOP)
        assessor.open((site / f"{ACTIVITY_URL}.html").as_uri())
        assert_lock_page(assessor)
        assessor.screenshot("file-locked")
        unlock_with(assessor, PASSPHRASE)
        wait_for_heading(assessor, ACTIVITY)
        assert assessor.url.startswith("file://")
        assessor.screenshot("file-unlocked")
        # IndexedDB and WebCrypto work from disk in Chromium: the key is kept the same way.
        assert_key_out_of_reach(assessor, site)
        results = assessor.search(SEARCH_WORD)
        assert assessor.search_meta() == "1 matching document"
        assessor.click(results[0])
        wait_for_heading(assessor, SEARCH_TITLE)
        assert f"{SEARCH_URL}.html" in assessor.url
        assessor.screenshot("file-search-result")
        assessor.open((site / f"{ACTIVITY_URL}.html").as_uri())
        wait_for_heading(assessor, ACTIVITY)
        open_evidence(assessor, EVIDENCE, "image/png")
        assert driver.execute_script("return document.images[0].naturalWidth") > 0
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
    manifest = "sealed/manifest.js"
    with serving(small_portfolio) as server:
        before = server.get(manifest).decode()
        salt = lock_page_payload(server.get(edited).decode())["salt"]
        assert "Python for medical physicists" not in server.get(edited).decode()
        course.write_text(course.read_text() + "\\nEditedreflectionword.\\n")
        # Each build seals the manifest anew (a new nonce): once it has changed, the
        # rebuild has written everything.
        rebuilt = page_when(server, manifest, lambda t: t.startswith("cpdfolio") and t != before)
        assert rebuilt != before
        served = [server.get(path).decode() for path in ("", kept, edited, "sealed/unlock.js")]
        for text in served:
            for phrase in ("Editedreflectionword", "Python for medical physicists", "IPEM nuclear"):
                assert phrase not in text
        # The preview keeps its salt, so the browser's key still opens the rebuilt pages.
        assert lock_page_payload(server.get(edited).decode())["salt"] == salt
    assert "Traceback" not in server.output
