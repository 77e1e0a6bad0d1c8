"""Every way a reflection can name a file, in a private and in a shared record.

Markdown and raw HTML name files in many forms: inline and reference-style
links and images, unquoted `src=`, `srcset`, `<object data>`, `<video
poster>`, `<source src>`, names with spaces or `%20`. The files of a private
record never reach the site; those of a shared record are published beside
its page, or, with a passphrase, travel inside the encrypted page and never
beside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import Assessor, http_server
from conftest import Build, Portfolio

PASSPHRASE = "tulip harbour lantern 1987"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
# Each form, with {who} for the record's kind: its files are named after it.
FORMS = {
    "inline": "![inline](../../evidence/{who}-inline.png)",
    "reference image": "![reference][{who}-image]\n\n[{who}-image]: ../../evidence/{who}-ref.png",
    "reference link": "[the reference link][{who}-cv]\n\n[{who}-cv]: ../../evidence/{who}-cv.pdf",
    "unquoted src": "<img src=../../evidence/{who}-unquoted.png alt=unquoted>",
    "srcset": '<img src="../../evidence/{who}-1x.png" srcset="../../evidence/{who}-2x.png 2x"'
    ' alt="srcset">',
    "object data": '<object data="../../evidence/{who}-object.pdf"></object>',
    "video poster and source": '<video controls poster="../../evidence/{who}-poster.png">'
    '<source src="../../evidence/{who}-clip.mp4" type="video/mp4"></video>',
    "angle brackets and a space": "![spaced](<../../evidence/{who} spaced.png>)",
    "percent-encoded space": "![percent](../../evidence/{who}%20percent.png)",
    "raw HTML with a space": '<img src="../../evidence/{who} raw space.png" alt="raw">',
}
FILES = (
    "inline.png ref.png cv.pdf unquoted.png 1x.png 2x.png object.pdf poster.png clip.mp4".split()
)
SPACED = ("spaced.png", "percent.png", "raw space.png")


def file_names(who: str) -> list[str]:
    return [f"{who}-{name}" for name in FILES] + [f"{who} {name}" for name in SPACED]


def write(portfolio: Portfolio) -> None:
    for who in ("private", "shared"):
        for name in file_names(who):
            portfolio.write(f"evidence/{name}", PNG + who.upper().encode() + b"FORMCANARY")
        body = "\n\n".join(["## What I did", *(f.format(who=who) for f in FORMS.values())])
        if who == "shared":  # links to the private record, in forms Markdown's regex missed
            body += (
                '\n\nAs in [the other record][other] and <a href="2025-05-01-private.md">here</a>.'
                "\n\n[other]: 2025-05-01-private.md"
            )
        portfolio.activity(
            f"2025/2025-05-0{1 if who == 'private' else 2}-{who}",
            f"title: The {who} record\ndate: 2025-05-0{1 if who == 'private' else 2}\n"
            f"category: formal" + ("\nshare: false" if who == "private" else ""),
            body + "\n",
        )


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory):
    """The portfolio built open or with a passphrase, each once for the module."""
    made: dict[str, Build] = {}

    def build(mode: str) -> Build:
        if mode not in made:
            portfolio = Portfolio(tmp_path_factory.mktemp(mode) / "my-cpd")
            write(portfolio)
            with pytest.MonkeyPatch.context() as env:
                if mode == "passphrase":
                    env.setenv("CPDFOLIO_PASSPHRASE", PASSPHRASE)
                else:
                    env.delenv("CPDFOLIO_PASSPHRASE", raising=False)
                made[mode] = portfolio.build()
            assert made[mode].returncode == 0, made[mode].output
            made[mode].mode = mode  # type: ignore[attr-defined]
        return made[mode]

    return build


@pytest.fixture(params=["open", "passphrase"])
def built(request, builds) -> Build:
    return builds(request.param)


def site_files(build: Build) -> dict[str, bytes]:
    return {
        p.relative_to(build.site).as_posix(): p.read_bytes()
        for p in build.site.rglob("*")
        if p.is_file()
    }


def test_no_file_of_the_private_record_reaches_the_site_in_any_form(built: Build):
    for name, data in site_files(built).items():
        assert "private" not in Path(name).name, name
        assert b"PRIVATEFORMCANARY" not in data, name
        # Not even its name, in a link of the shared record that leads to it.
        assert b"2025-05-01-private" not in data, name


def test_shared_files_are_beside_the_page_only_without_a_passphrase(built: Build):
    names = {Path(name).name for name in site_files(built)}
    shown = set(file_names("shared"))
    if built.mode == "open":  # type: ignore[attr-defined]
        assert shown <= names, shown - names
        page = built.content("activities/2025/2025-05-02-shared")
        folder = built.site / "activities/2025/2025-05-02-shared"
        addresses = [img["src"] for img in page.select("img")]
        addresses += [img["srcset"].split()[0] for img in page.select("img[srcset]")]
        addresses += [v["poster"] for v in page.select("video")]
        addresses += [s["src"] for s in page.select("source")]
        addresses += [a["href"] for a in page.select("a[href]") if "cv" in a["href"]]
        assert len(addresses) == 11
        from urllib.parse import unquote

        for address in addresses:
            assert (folder / unquote(address)).resolve().is_file(), address
    else:
        assert not shown & names, shown & names
        for name, data in site_files(built).items():
            assert b"SHAREDFORMCANARY" not in data, name


@pytest.fixture
def unlocked_page(builds, assessor: Assessor) -> Iterator[Assessor]:
    """The shared record's page, unlocked in Chromium as an assessor does."""
    built = builds("passphrase")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    with http_server(built.site) as base:
        assessor.open(base + "activities/2025/2025-05-02-shared/")
        field = assessor.driver.find_element(By.ID, "cpdfolio-passphrase")
        field.send_keys(PASSPHRASE)
        assessor.driver.find_element(By.ID, "cpdfolio-open").click()
        WebDriverWait(assessor.driver, 15).until(
            lambda d: "The shared record" in d.find_element(By.CSS_SELECTOR, "article").text
        )
        yield assessor


def test_with_a_passphrase_every_form_opens_from_the_sealed_files_once_unlocked(
    unlocked_page: Assessor,
):
    """Sealed beside the page, each file the page names shows from memory (blob:)."""
    from selenium.webdriver.support.ui import WebDriverWait

    script = """
        const article = document.querySelector('article');
        const all = (selector, attribute) =>
            [...article.querySelectorAll(selector)].map(e => e.getAttribute(attribute) || '');
        return {
            // A 1x1 image drawn at 2x is 0.5 pixels wide: loaded, yet naturalWidth 0.
            images: [...article.querySelectorAll('img')].map(i => [i.currentSrc.slice(0, 5),
                                                                    i.naturalWidth || i.srcset]),
            srcset: all('img[srcset]', 'srcset'),
            poster: all('video', 'poster'),
            source: all('source', 'src'),
            cv: [...article.querySelectorAll('a[href*="cv"]')].map(a => a.getAttribute('href')),
        };
        """

    def revealed(driver) -> dict | None:
        found = driver.execute_script(script)
        opened = [s for s, width in found["images"] if s == "blob:" and width]
        return found if len(opened) == 7 else None

    found = WebDriverWait(unlocked_page.driver, 15).until(revealed)
    assert found["srcset"] and all(s.startswith("blob:") for s in found["srcset"])
    assert found["poster"] and found["poster"][0].startswith("blob:")
    assert found["source"] and found["source"][0].startswith("blob:")
    # The CV keeps its address; a click opens it from the sealed copy (tests/test_sealing.py).
    assert [href.rsplit("/", 1)[-1] for href in found["cv"]] == ["shared-cv.pdf"]
