"""The site's sources: what an engine may publish, written to a folder of its own.

An engine reads a docs folder and publishes all of it. So the engine never
reads the member's records: cpdfolio writes, for each build, a folder holding
only the shared records (as finished pages), the files they use, the member's
other pages and the generated pages (dashboard, goals, years, categories,
competences). Whatever engine lays it out cannot publish what was never there.
"""

from __future__ import annotations

import html
import logging
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import yaml

from ..audit.checks import CheckResult, audit, audit_each
from ..frameworks import FrameworkError
from ..printout import for_print
from ..records.loader import LoadResult, read_statement
from ..records.model import Problem
from ..records.privacy import drop_links_to, private_files, referenced_files
from ..settings import Settings
from .pages import HOME, Site, SitePage
from .urls import site_urls, source_urls

log = logging.getLogger("mkdocs.plugins.cpdfolio")

#: The stylesheet of the generated pages, as a path of the docs tree.
STYLESHEET = "assets/cpdfolio/cpdfolio.css"
#: The Markdown extensions the generated pages are written for, on every engine.
MARKDOWN_EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition", "toc")


class GenerationError(Exception):
    """The site cannot be generated (a file in the way, a framework that will not load)."""


@dataclass
class Generation:
    """What `generate` wrote: the folder an engine is to read, and the pages in it."""

    records: Path
    folder: Path
    result: LoadResult
    settings: Settings
    # Every page cpdfolio wrote, by its path in the folder; an engine that can take
    # a page from memory (MkDocs) uses these instead of reading the file back.
    pages: dict[str, SitePage]
    nav: list
    checks: list[CheckResult]
    # Private records' paths: a link to one from a member's page keeps only its words.
    hidden: set[str]
    statement: str | None
    # Files records refer to (evidence, images), which a passphrase seals with the pages.
    record_files: set[str] = field(default_factory=set)
    # Links to files that do not exist (git-annex content not fetched): left out.
    gone: list[str] = field(default_factory=list)

    def remove(self) -> None:
        """Delete the folder: the engine has built the site from it."""
        shutil.rmtree(self.folder, ignore_errors=True)


def generate(
    records: str | os.PathLike,
    folder: str | os.PathLike,
    settings: Settings,
    result: LoadResult,
    *,
    directory_urls: bool = True,
    stylesheet: bool = False,
    source_links: bool = False,
    render: Callable[[str], str] | None = None,
) -> Generation:
    """Write the site's sources for the portfolio in `records` into `folder`.

    `result` is the portfolio loaded from `records`. Files already in `folder`
    with the same content are left as they are, so that an engine rebuilding
    on an edit (serve) sees as changed only what changed; files no longer in
    the site are deleted. `stylesheet=True` also writes cpdfolio's CSS, for an
    engine that does not take it from cpdfolio's theme. `source_links=True`
    writes links between pages as paths between their files, for an engine
    that makes URLs of them (Zensical); otherwise they are the site's URLs.
    `render` (Markdown to HTML) is for an engine that runs none of cpdfolio's
    code on what it renders (Zensical): each page is rendered and passed through
    the allowlist here, and the engine gets HTML it passes on as it is.
    """
    records, folder = Path(records), Path(folder)
    portfolio = result.portfolio
    hidden = (
        set() if settings.include_private else {r.path for r in portfolio.records if not r.share}
    )
    left_out = set() if settings.include_private else private_files(portfolio)
    gone: list[str] = []
    files = [path for path in _source_files(records, gone) if path not in left_out]
    record_paths = result.record_paths
    others = [f for f in files if f.endswith(".md") and f not in record_paths and f != HOME]
    try:
        readiness = audit_each(portfolio, settings.bodies, settings.period, locale=settings.locale)
        # The printout answers to the first body, over its own window if it has one.
        printing = for_print(settings)
        checks = audit(portfolio, printing.body, printing.period, locale=printing.locale)
    except FrameworkError as error:
        raise GenerationError(str(error)) from None
    statement = read_statement(records)
    # Generated pages have no file of their own; a member's file at one of their paths
    # would be replaced without a word.
    probe = Site(portfolio, settings, urls=site_urls(()))
    for src in probe.generated_paths():
        if src in files:
            raise GenerationError(
                f"{records.name}/{src}: cpdfolio generates a page at this path; "
                f"rename or move your file"
            )
    shared = portfolio if settings.include_private else portfolio.shared()
    sources = {*files, *probe.generated_paths(), HOME, *(r.path for r in shared.records)}
    site = Site(
        portfolio,
        settings,
        statement=statement,
        other_pages=others,
        readiness=readiness,
        urls=source_urls(sources) if source_links else site_urls(sources, directory_urls),
    )
    pages = {
        page.src: page for page in [*site.generated_pages(), site.home_page(), *site.record_pages()]
    }
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # the member's records, even shared, are theirs until published
    written: set[str] = set()
    for src, page in pages.items():
        text, problems = source_markdown(page, hidden, render)
        for problem in problems:
            log.warning(f"{records.name}/{problem}")
        _write(folder / src, text.encode("utf-8"))
        written.add(src)
    for src in files:
        if src in written:
            continue
        if src.endswith(".md"):
            text = (records / src).read_text("utf-8", errors="replace")
            _write(folder / src, drop_links_to(text, src, hidden).encode("utf-8"))
        else:
            _copy(records / src, folder / src)
        written.add(src)
    if stylesheet:
        _copy(Path(str(resources.files("cpdfolio.theme"))) / STYLESHEET, folder / STYLESHEET)
        written.add(STYLESHEET)
    _remove_others(folder, written)
    return Generation(
        records=records,
        folder=folder,
        result=result,
        settings=settings,
        pages=pages,
        nav=site.nav(),
        checks=checks,
        hidden=hidden,
        statement=statement,
        record_files={path for r in shared.records for path in referenced_files(r)},
        gone=gone,
    )


def source_markdown(
    page: SitePage, hidden: set[str] = frozenset(), render: Callable[[str], str] | None = None
) -> tuple[str, list[Problem]]:
    """A page as a Markdown file any engine renders: its title, then its finished Markdown.

    The HTML fragments that MkDocs puts in after rendering go into the Markdown
    as blocks of raw HTML, which Python-Markdown passes through as they are.
    With `render`, the whole page is such a block, rendered and cleaned here;
    the problems are what the allowlist removed.
    """
    body = drop_links_to(page.markdown, page.src, set(hidden))
    problems: list[Problem] = []
    if render is not None:
        content, problems = page.publish(render(body))
        body = f'<div class="cpd-rendered">\n{content.strip()}\n</div>'
    else:
        for marker, fragment in page.fragments.items():
            body = body.replace(marker, f"\n\n{fragment.strip()}\n\n", 1)
        if page.header:
            body = f"{page.header.strip()}\n\n{body}"
    # Themes write the front matter's title into the page's HTML unescaped.
    front = yaml.safe_dump({"title": html.escape(page.title)}, allow_unicode=True)
    return f"---\n{front}---\n\n{body}", problems


def _source_files(records: Path, gone: list[str]) -> list[str]:
    """Every file an engine would read in `records`, as POSIX paths; hidden ones left out.

    Links to nothing go to `gone` instead.
    """
    found: list[str] = []
    seen: set[str] = set()
    for folder, folders, names in os.walk(records, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back up the tree: the loader reports it
            folders[:] = []
            continue
        seen.add(real)
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        base = Path(folder).relative_to(records)
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(folder, name)
            if os.path.isfile(path):
                found.append((base / name).as_posix())
            elif not os.path.exists(path):
                gone.append((base / name).as_posix())
    return found


def _write(target: Path, content: bytes) -> None:
    """Write a file unless it holds `content` already (its date then says 'unchanged')."""
    try:
        if target.read_bytes() == content:
            return
    except OSError:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)


def _copy(source: Path, target: Path) -> None:
    """The file at `target` too: a hard link where the disk allows (evidence can be large)."""
    try:
        there, here = target.stat(), source.stat()
        if there.st_ino == here.st_ino or (
            there.st_size == here.st_size and there.st_mtime >= here.st_mtime
        ):
            return
        target.unlink()
    except OSError:
        target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _remove_others(folder: Path, keep: set[str]) -> None:
    """Delete what an earlier generation wrote that is no longer in the site."""
    for path in sorted(folder.rglob("*"), reverse=True):
        relative = path.relative_to(folder).as_posix()
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif relative not in keep:
            path.unlink()


def without_printout(settings: Settings) -> Settings:
    """The settings of a build that makes no printout: no link to one either."""
    return replace(settings, pdf=None)
