"""Nothing a member pastes or imports runs in an assessor's browser, or calls a third party.

A corpus of script-injection forms (after OWASP's XSS filter-evasion cheat
sheet) goes into a reflection, a title, an imported CSV and an imported XLSX.
Each payload, if it ran, would set its own flag on `window`. The built pages
are read for event attributes, `javascript:` addresses, scripts, frames and
objects; then a real headless Chromium opens every page, fires the events a
visitor would (hover, click, focus), and finds no flag set.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pytest
from browsing import http_server
from bs4 import BeautifulSoup
from conftest import Build, Portfolio, require_zensical

# Each sets window.xssN when it runs; N tells which form got through.
PAYLOADS = [
    "<script>window.xss1=1</script>",
    '<img src=x onerror="window.xss2=1">',
    '<IMG SRC="javascript:window.xss3=1;">',
    "<IMG SRC=JaVaScRiPt:window.xss4=1>",
    '<a href="javascript:window.xss5=1">a link</a>',
    '<a href="&#106;avascript:window.xss6=1">entities</a>',
    '<a href="jav&#x09;ascript:window.xss7=1">a tab inside</a>',
    '<svg onload="window.xss8=1"><circle r="4"/></svg>',
    "<body onload=window.xss9=1>",
    '<iframe src="javascript:parent.xss10=1"></iframe>',
    '<iframe srcdoc="<script>parent.xss11=1</script>"></iframe>',
    '<object data="data:text/html,<script>parent.xss12=1</script>"></object>',
    '<embed src="data:text/html,<script>parent.xss13=1</script>">',
    '<details open ontoggle="window.xss14=1"><summary>s</summary>d</details>',
    '<input autofocus onfocus="window.xss15=1">',
    '<video><source onerror="window.xss16=1"></video>',
    "<style>@import 'javascript:window.xss17=1';</style>",
    '<div style="background-image: url(javascript:window.xss18=1)">styled</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.xss19=1>",
    '<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQueHNzMjA9MTwvc2NyaXB0Pg==">data</a>',
    '<form action="javascript:window.xss21=1"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.xss22=1">',
    '<base href="javascript:window.xss23=1//">',
    "<<SCRIPT>window.xss24=1//<</SCRIPT>",
    '<IMG """><SCRIPT>window.xss25=1</SCRIPT>">',
    "<svg><script>window.xss26=1</script></svg>",
    '<noscript><p title="</noscript><img src=x onerror=window.xss27=1>"></noscript>',
    '<a href=" javascript:window.xss28=1">a space first</a>',
    '<img src="x" onerror  =  "window.xss29=1" alt="spaced">',
    '<a href="#" onclick="window.xss30=1" onmouseover="window.xss31=1">hover</a>',
    '<p onmouseover="window.xss32=1">a paragraph to hover</p>',
    '<marquee onstart="window.xss33=1">m</marquee>',
    "<isindex type=image src=1 onerror=window.xss34=1>",
    '<img srcset="javascript:window.xss35=1 1x" src="x" onerror="window.xss36=1">',
    '<link rel="import" href="data:text/html,<script>parent.xss37=1</script>">',
]
# attr_list and Markdown's own link forms, one a line.
MARKDOWN_PAYLOADS = [
    'A paragraph with a handler.\n{: onmouseover="window.xss40=1" }',
    '[a link with a handler](#){: onclick="window.xss41=1" }',
    '![an image with a handler](missing.png){: onerror="window.xss42=1" }',
    "[a javascript link](javascript:window.xss43=1)",
    "[shouting](JAVASCRIPT:window.xss44=1)",
    "[encoded](javascript&#58;window.xss45=1)",
    "<javascript:window.xss46=1>",
    "[ref][r]\n\n[r]: javascript:window.xss47=1",
]
TITLE = '"><img src=x onerror=window.xss50=1><script>window.xss51=1</script>'


def reflection() -> str:
    """Every payload, each its own block."""
    # Markdown's forms first: an unclosed raw tag would make the rest raw HTML, unread.
    blocks = ["## What I did", *MARKDOWN_PAYLOADS, *PAYLOADS, "## What I learned", "Plenty."]
    return "\n\n".join(blocks) + "\n"


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def attacked(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A portfolio with the corpus in a reflection, a title, a CSV and an XLSX it imported,
    built on each engine: Zensical runs none of cpdfolio's code on what it renders."""
    if request.param == "zensical":
        require_zensical()
    portfolio = Portfolio(tmp_path_factory.mktemp("attacked") / "my-cpd")
    portfolio.activity(
        "2025/2025-04-01-pasted",
        f"title: {TITLE!r}\ndate: 2025-04-01\ncategory: formal\ntype: {TITLE!r}",
        reflection(),
    )
    portfolio.goal("g", f"title: {TITLE!r}", reflection())
    spreadsheet = portfolio.root.parent / "from-a-colleague.csv"
    with spreadsheet.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Date", "Activity", "Category", "Reflection", "Provider"])
        writer.writerow(["2025-05-01", TITLE + " csv", "formal", reflection(), TITLE])
    workbook = openpyxl.Workbook()
    workbook.active.append(["Date", "Activity", "Category", "Reflection", "Location"])
    workbook.active.append(["2025-06-01", TITLE + " xlsx", "formal", reflection(), TITLE])
    workbook.save(portfolio.root.parent / "from-a-course.xlsx")
    for name in ("from-a-colleague.csv", "from-a-course.xlsx"):
        imported = portfolio.cpdfolio("import", str(portfolio.root.parent / name))
        assert imported.returncode == 0, imported.stdout + imported.stderr
    assert len(list((portfolio.docs / "activities").rglob("*.md"))) == 3
    if request.param == "mkdocs":
        build = portfolio.build()
    else:
        built = portfolio.cpdfolio("build", "--engine", request.param)
        build = Build(built.returncode, built.stdout + built.stderr, portfolio.root / "site")
    assert build.returncode == 0, build.output
    return build


def pages(build: Build) -> list[Path]:
    return sorted(build.site.rglob("*.html"))


_JAVASCRIPT = re.compile(r"^\s*j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.I)


def test_no_built_page_holds_a_handler_script_frame_or_javascript_address(attacked: Build):
    assert len(pages(attacked)) > 10
    for page in pages(attacked):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        name = page.relative_to(attacked.site)
        for element in soup.find_all(True):
            events = [a for a in element.attrs if a.lower().startswith("on")]
            assert not events, f"{name}: <{element.name} {events}>"
            for attribute in ("href", "src", "action", "formaction", "data", "srcset", "poster"):
                value = element.get(attribute)
                if isinstance(value, str):
                    assert not _JAVASCRIPT.match(value), f"{name}: {element}"
                    assert not value.startswith("data:text/html"), f"{name}: {element}"
        assert not soup.find_all(["iframe", "object", "embed", "frame", "base"]), name
        assert not soup.select("meta[http-equiv]"), name
        for script in soup.find_all("script"):
            assert "xss" not in (script.string or "") + str(script.get("src", "")), name
        article = soup.select_one("article")
        if article is not None:
            # Material's own search form is outside the article.
            assert not article.find_all(["script", "style", "link", "form", "input"]), name


def test_the_member_is_told_what_was_removed_and_where(attacked: Build):
    record = "portfolio/activities/2025/2025-04-01-pasted.md"
    said = [line.split(" was removed")[0] for line in attacked.output.splitlines()]
    # The front matter is 6 lines, the heading 7; attr_list's braces on the line after.
    for where in (
        "10: the onmouseover attribute of <p>",
        "12: the onclick attribute of <a>",
        "14: the onerror attribute of <img>",
        "16: the javascript: address of <a href>",
        "28: the <script> element",
        "30: the onerror attribute of <img>",
        "46: the <iframe> element",
        "50: the <object> element",
    ):
        assert f"WARNING -  {record}:{where}" in said
    # Once, though the printout renders the record too.
    assert said.count(f"WARNING -  {record}:28: the <script> element") == 1


def test_titles_and_imported_cells_are_text_not_markup(attacked: Build):
    page = BeautifulSoup(
        (attacked.site / "activities/2025/2025-04-01-pasted/index.html").read_text("utf-8"),
        "html.parser",
    )
    assert page.select_one("article h1").get_text() == TITLE
    imported = attacked.page("years/2025").get_text()
    assert TITLE + " csv" in imported and TITLE + " xlsx" in imported


def test_no_payload_runs_in_a_browser_even_when_hovered_clicked_and_focused(
    attacked: Build, assessor
):
    driver = assessor.driver
    fire = """
        for (const element of document.querySelectorAll('article *')) {
            for (const kind of ['mouseover', 'mouseenter', 'click', 'focus', 'toggle',
                                'load', 'error', 'start']) {
                element.dispatchEvent(new Event(kind));
            }
        }
        return Object.keys(window).filter(key => /^xss\\d+$/.test(key));
    """
    with http_server(attacked.site) as base:
        for page in pages(attacked):
            url = base + page.relative_to(attacked.site).as_posix()
            assessor.open(url)
            assert driver.execute_script(fire) == [], url
            # Every frame the page may hold, in case one got through after all.
            assert driver.execute_script("return window.frames.length") == 0, url
        assessor.open(base + "activities/2025/2025-04-01-pasted/")
        assessor.screenshot("pasted-record")


# -- no third party -------------------------------------------------------------------

_FETCHED = {
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
_CSS_ADDRESS = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])(?!data:)([^'")\s]+)""", re.I)


def external(address: str) -> bool:
    return address.strip().lower().startswith(("http:", "https:", "//"))


def test_the_site_asks_no_third_party_for_anything(example_build: Build):
    """Only the member's own links lead out; nothing is fetched from anyone else."""
    asked: list[str] = []
    for path in example_build.site.rglob("*"):
        name = path.relative_to(example_build.site).as_posix()
        if path.suffix == ".html":
            soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
            for tag, attributes in _FETCHED.items():
                for element in soup.find_all(tag):
                    for attribute in attributes:
                        for address in str(element.get(attribute, "")).split(","):
                            if external(address):
                                asked.append(f"{name}: <{tag} {attribute}={address.strip()}>")
            css = [e.get("style", "") for e in soup.find_all(style=True)]
            css += [e.get_text() for e in soup.find_all("style")]
        elif path.suffix == ".css":
            css = [path.read_text("utf-8")]
        else:
            continue
        for sheet in css:
            asked += [f"{name}: {a}" for a in _CSS_ADDRESS.findall(sheet) if external(a)]
    assert asked == []
    home = (example_build.site / "index.html").read_text("utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home
    # The member's own links in records are still links.
    links = [
        a["href"]
        for page in example_build.site.rglob("*.html")
        for a in BeautifulSoup(page.read_text("utf-8"), "html.parser").select(
            "article a[href^='https://']"
        )
    ]
    assert any("ipem.ac.uk" in href for href in links), links
