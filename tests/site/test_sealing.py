"""Sealing, whatever built the site: the canary's words and bytes are nowhere, and a leak stops it.

A shared canary activity carries distinctive words in its title, reflection,
tags, provider and evidence (name and bytes). The portfolio is built by MkDocs
with cpdfolio, and by Zensical's own `zensical build` (which runs no cpdfolio
code: cpdfolio's `seal_site` is called on its output afterwards, as the engine
adapters will), with a passphrase; every byte of every file of each site is read.
Then a leak is planted and the build must fail with nothing left to publish.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from browsing import LAPTOP, WAIT, Assessor, http_server, set_viewport
from conftest import FIXTURES, MKDOCS_YML, Portfolio, require_zensical
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from test_privacy import published_files

from cpdfolio.passphrase import ENV
from cpdfolio.records.loader import load
from cpdfolio.records.privacy import referenced_files
from cpdfolio.site import sealing

PASSPHRASE = "quartz meadow violin 2041"
CANARY_TITLE = "Zanzibar quokka calibration retreat"
CANARY_SENTENCE = "The quokka phantom wobbled whenever the gantry passed ninety degrees"
CANARY_TAGS = ["quokkatag", "zanzibartag"]
CANARY_PROVIDER = "Xylophone Institute of Dosimetry"
# A space in the name, as members' files have: the link must still open it.
CANARY_EVIDENCE = "quokka calibration proof.txt"
CANARY_BYTES = b"QUOKKA-EVIDENCE-BYTES " + bytes(range(256)) + b" end of the quokka evidence"
CANARY_WORDS = [CANARY_TITLE, CANARY_SENTENCE, *CANARY_TAGS, CANARY_PROVIDER, CANARY_EVIDENCE]


def add_canary(portfolio: Portfolio) -> None:
    """The small portfolio and a shared canary activity with a linked evidence file."""
    shutil.copytree(FIXTURES / "small", portfolio.docs, dirs_exist_ok=True)
    portfolio.write(f"evidence/{CANARY_EVIDENCE}", CANARY_BYTES)
    portfolio.activity(
        "2025/2025-04-02-canary-activity",
        f"""
        title: {CANARY_TITLE}
        date: 2025-04-02
        category: formal
        provider: {CANARY_PROVIDER}
        tags: [{", ".join(CANARY_TAGS)}]
        evidence: [evidence/{CANARY_EVIDENCE}]
        """,
        f"## What I did\n\n{CANARY_SENTENCE}, so we rebuilt it.\n\n"
        f"[The proof](../../evidence/{quote(CANARY_EVIDENCE)})\n",
    )


def assert_no_canary(site: Path) -> None:
    """Every byte of every file (gzip opened), and every file name, free of the canary."""
    files = dict(published_files(site))
    assert len(files) > 20
    for name, data in files.items():
        for words in [*CANARY_WORDS, quote(CANARY_EVIDENCE)]:
            assert words.encode() not in data, f"{name}: {words}"
            assert words.lower().encode() not in data.lower(), f"{name}: {words}"
        assert CANARY_BYTES[:40] not in data and CANARY_BYTES[100:140] not in data, name
        assert base64.b64encode(CANARY_BYTES[:48]) not in data, name
        assert PASSPHRASE.encode() not in data, name
        assert "quokka" not in name.lower(), name


def canary_sources(docs: Path) -> tuple[list[str], list[Path]]:
    """What cpdfolio knows must not show: the records' texts and the evidence files."""
    portfolio = load(docs).portfolio
    evidence = sorted({docs / p for r in portfolio.records for p in referenced_files(r)})
    return sealing.record_texts(portfolio), evidence


def test_record_texts_hold_the_canary_words(portfolio: Portfolio):
    add_canary(portfolio)
    texts, evidence = canary_sources(portfolio.docs)
    for words in [CANARY_TITLE, *CANARY_TAGS, CANARY_PROVIDER, CANARY_EVIDENCE]:
        assert words in texts
    assert any(CANARY_SENTENCE in text for text in texts)
    assert portfolio.docs / "evidence" / CANARY_EVIDENCE in evidence


def test_mkdocs_site_with_a_passphrase_shows_no_canary_anywhere(portfolio: Portfolio):
    add_canary(portfolio)
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = portfolio.build()
    assert build.returncode == 0, build.output
    assert "sealed with the passphrase" in build.output
    assert_no_canary(build.site)
    # The premise: without the passphrase each of them is published.
    open_site = portfolio.build()
    published = b"\n".join(data for _, data in published_files(open_site.site))
    for words in CANARY_WORDS:
        assert words.encode() in published, words
    assert CANARY_BYTES in published


def zensical_build(portfolio: Portfolio, site: Path) -> None:
    """Zensical's own command on the member's folder: it reads mkdocs.yml, runs no cpdfolio."""
    require_zensical()
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"],
        cwd=portfolio.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shutil.move(portfolio.root / "site", site)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The canary portfolio built by Zensical, then sealed by cpdfolio."""
    root = tmp_path_factory.mktemp("zensical")
    portfolio = Portfolio(root / "member")
    add_canary(portfolio)
    # The old layout (docs_dir: the records), where Zensical reads every record.
    old = MKDOCS_YML.format(extra="").replace("docs_dir: built-by-cpdfolio", "docs_dir: portfolio")
    portfolio.config(text=old.replace("      records: portfolio\n", ""))
    site = root / "site"
    zensical_build(portfolio, site)
    assert (site / "search.json").is_file()
    assert CANARY_SENTENCE.encode() in (site / "search.json").read_bytes()
    # The call an engine's adapter makes once the engine has built the site.
    report = sealing.seal_portfolio_site(
        site, load(portfolio.docs).portfolio, portfolio.docs, PASSPHRASE
    )
    assert report.pages > 5 and report.files >= 2  # the search index and the evidence
    assert set(report.removed) == {"sitemap.xml", "404.html"}
    return site


def test_zensical_site_sealed_by_cpdfolio_shows_no_canary_anywhere(zensical_site: Path):
    assert_no_canary(zensical_site)
    assert not (zensical_site / "search.json").exists()
    leftovers = [
        name
        for name, _ in published_files(zensical_site)
        if not name.endswith(".html") and not name.startswith(("assets/", "sealed/"))
    ]
    assert leftovers == []


def test_every_sealed_file_opens_with_the_key_and_only_with_it(zensical_site: Path):
    """AES-256-GCM, PBKDF2-HMAC-SHA256 at 600,000 iterations, a nonce of 96 bits per file."""
    page = (zensical_site / "index.html").read_text("utf-8")
    payload = json.loads(page.split('id="cpdfolio-sealed">', 1)[1].split("</script>", 1)[0])
    assert payload["iterations"] >= 600_000
    salt = base64.b64decode(payload["salt"])
    assert len(salt) == 16
    key = sealing.derive_key(PASSPHRASE, salt).key
    wrong = sealing.derive_key("not the passphrase", salt).key
    nonce = base64.b64decode(payload["nonce"])
    assert len(nonce) == 12
    opened = AESGCM(key).decrypt(nonce, base64.b64decode(payload["data"]), None).decode()
    assert "<title>" in opened and "Test portfolio" in opened
    with pytest.raises(InvalidTag):
        AESGCM(wrong).decrypt(nonce, base64.b64decode(payload["data"]), None)
    nonces = {payload["nonce"]}
    for path in (zensical_site / "sealed").glob("*.js"):
        if path.name == "unlock.js":
            continue
        arguments = json.loads("[" + path.read_text().split("(", 1)[1].rsplit(")", 1)[0] + "]")
        nonces.add(arguments[1])
        nonce, ciphertext = (base64.b64decode(a) for a in arguments[1:])
        data = AESGCM(key).decrypt(nonce, ciphertext, None)
        if arguments[0] == "manifest":
            manifest = json.loads(data)
            assert set(manifest["search"]) == {"search.json"}
            entry = manifest["files"][f"evidence/{CANARY_EVIDENCE}"]
            assert entry["type"] == "text/plain" and entry["name"] == CANARY_EVIDENCE
    assert len(nonces) == len(list((zensical_site / "sealed").glob("*.js")))  # unlock.js: page's


def test_a_page_left_in_clear_stops_the_build_and_nothing_is_left(portfolio: Portfolio):
    """Fail closed: a script of the member's that quotes a reflection is found, the site emptied."""
    add_canary(portfolio)
    portfolio.write("notes.js", f'const note = "{CANARY_SENTENCE}";\n')
    portfolio.config(extra="extra_javascript: [notes.js]\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = portfolio.build()
    assert build.returncode == 1
    assert "the site with a passphrase still held the member's content in clear" in build.output
    assert "notes.js: 1 passage of record text in clear" in build.output
    assert CANARY_SENTENCE not in build.output  # the log names the file, not the words
    assert not any(p.is_file() for p in build.site.rglob("*"))


def test_a_clear_page_or_evidence_planted_after_sealing_is_found(zensical_site: Path, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(zensical_site, site)
    texts = [CANARY_TITLE, CANARY_SENTENCE, *CANARY_TAGS]
    evidence = tmp_path / CANARY_EVIDENCE
    evidence.write_bytes(CANARY_BYTES)
    assert sealing.scan_site(site, texts, [evidence]) == []
    (site / "planted.html").write_text(f"<p>{CANARY_TITLE}</p>")
    (site / "assets" / "copy.bin").write_bytes(b"x" * 100 + CANARY_BYTES)
    (site / "data.json").write_text(json.dumps({"tags": CANARY_TAGS}))
    assert sealing.scan_site(site, texts, [evidence]) == [
        "assets/copy.bin: bytes of an evidence file in clear",
        "data.json: 2 passages of record text in clear",
        "planted.html: a page that was not sealed",
    ]
    (site / "assets" / "copy.bin").unlink()
    with pytest.raises(sealing.SealingError, match="sealed already"):
        sealing.seal_site(site, PASSPHRASE, texts, [evidence])


def test_sealing_a_site_with_a_leak_empties_it(portfolio: Portfolio, tmp_path: Path):
    add_canary(portfolio)
    build = portfolio.build()
    assert build.returncode == 0, build.output
    (build.site / "assets" / "leak.css").write_text(f"/* {CANARY_TITLE} */")
    texts, evidence = canary_sources(portfolio.docs)
    with pytest.raises(sealing.SealingError) as failure:
        sealing.seal_site(build.site, PASSPHRASE, texts, evidence)
    assert failure.value.leaks == ["assets/leak.css: 1 passage of record text in clear"]
    assert list(build.site.iterdir()) == []


# -- an assessor on the Zensical site -------------------------------------------------


@pytest.fixture
def zensical_url(zensical_site: Path) -> Iterator[str]:
    with http_server(zensical_site) as url:
        yield url


def test_assessor_unlocks_the_zensical_site_and_searches_it(assessor: Assessor, zensical_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_passphrase import open_evidence, unlock_with, wait_for_heading

    driver = assessor.driver
    set_viewport(driver, LAPTOP)
    assessor.open(f"{zensical_url}activities/2025/2025-04-02-canary-activity/")
    unlock_with(assessor, "not the passphrase", expect_error=True)
    unlock_with(assessor, PASSPHRASE)
    wait_for_heading(assessor, CANARY_TITLE)
    assert CANARY_SENTENCE in assessor.article_text()
    assessor.screenshot("zensical-unlocked")
    # Zensical's search lives in a shadow root, behind a button.
    driver.find_element(By.CSS_SELECTOR, "button.md-search__button").click()
    host = WebDriverWait(driver, WAIT).until(
        lambda d: d.execute_script(
            "return [...document.querySelectorAll('div')].find(e => e.shadowRoot)"
        )
    )
    host.shadow_root.find_element(By.CSS_SELECTOR, "input").send_keys("wobbled")
    results = WebDriverWait(driver, WAIT).until(
        lambda d: [
            a.get_attribute("href") for a in host.shadow_root.find_elements(By.CSS_SELECTOR, "a")
        ]
    )
    assert any("2025-04-02-canary-activity" in href for href in results)
    assessor.screenshot("zensical-search")
    # Another page opens without asking again.
    assessor.open(f"{zensical_url}activities/2025/2025-02-03-python-course/")
    wait_for_heading(assessor, "Python for medical physicists")
    assert "uniformity test" in assessor.article_text()
    assert driver.execute_script(
        "return [...document.querySelectorAll('article img')]"
        ".some(i => i.src.startsWith('blob:') && i.naturalWidth > 0)"
    )
    # The evidence a reflection links opens from memory.
    assessor.open(f"{zensical_url}activities/2025/2025-04-02-canary-activity/")
    wait_for_heading(assessor, CANARY_TITLE)
    open_evidence(assessor, "The proof", "text/plain")
    assert driver.find_element(By.TAG_NAME, "body").text.startswith("QUOKKA-EVIDENCE-BYTES")


def opened_page(site: Path, page: str, passphrase: str) -> str:
    """A sealed page opened in Python, as the browser opens it."""
    text = (site / page).read_text("utf-8")
    payload = json.loads(text.split('id="cpdfolio-sealed">', 1)[1].split("</script>", 1)[0])
    key = sealing.derive_key(passphrase, base64.b64decode(payload["salt"])).key
    nonce, data = (base64.b64decode(payload[k]) for k in ("nonce", "data"))
    return AESGCM(key).decrypt(nonce, data, None).decode("utf-8")


def test_instant_navigation_is_off_in_a_sealed_site_and_links_still_open(
    portfolio: Portfolio, assessor: Assessor
):
    """Instant navigation would swap in the next lock page without running it."""
    from test_passphrase import unlock_with, wait_for_heading

    add_canary(portfolio)
    config = MKDOCS_YML.format(extra="").replace(
        "  name: material\n", "  name: material\n  features: [navigation.instant]\n"
    )
    portfolio.config(text=config)
    assert '"navigation.instant"' in (portfolio.build().site / "index.html").read_text()
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = portfolio.build()
    assert build.returncode == 0, build.output
    opened = opened_page(build.site, "index.html", PASSPHRASE)
    assert '"features": []' in opened and "Dr Test Member" in opened
    with http_server(build.site) as url:
        set_viewport(assessor.driver, LAPTOP)
        assessor.open(url)
        unlock_with(assessor, PASSPHRASE)
        wait_for_heading(assessor, "CPD portfolio of Dr Test Member")
        assessor.follow(CANARY_TITLE, "2025-04-02-canary-activity")
        wait_for_heading(assessor, CANARY_TITLE)
        assert CANARY_SENTENCE in assessor.article_text()
        assessor.screenshot("instant-off-activity")


def test_a_build_that_stops_before_sealing_leaves_no_page_in_clear(portfolio: Portfolio):
    """Pages are written in clear and sealed last: a failure in between empties the site."""
    add_canary(portfolio)
    portfolio.write(
        "../hooks/stop.py",
        "from mkdocs.exceptions import PluginError\n\n\n"
        "def on_post_build(config):\n"
        "    raise PluginError('stopped after the pages were written')\n",
    )
    portfolio.config(extra="hooks: [hooks/stop.py]\n")
    open_build = portfolio.build()
    assert open_build.returncode == 1 and "stopped after the pages" in open_build.output
    assert (open_build.site / "index.html").is_file()  # the premise: pages were written
    with pytest.MonkeyPatch.context() as env:
        env.setenv(ENV, PASSPHRASE)
        build = portfolio.build()
    assert build.returncode == 1 and "stopped after the pages" in build.output
    assert "the site folder was emptied: the build stopped before sealing it" in build.output
    assert not any(p.is_file() for p in build.site.rglob("*"))
