"""`write_pdf`: the portfolio as one PDF for an auditor, from print HTML to bound parts.

The document (document.py) is written as HTML parts; the workers (layout.py)
lay them out on every core as they come, or the part cache (cache.py) gives a
part laid out before; binding.py joins them into one PDF, where links between
records become links inside the PDF and evidence files are attached.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path

from ..audit.checks import CheckResult, audit
from ..audit.profile import profile_for_print
from ..records import markup
from ..records.model import (
    Portfolio,
)
from ..records.period import parse_period, today
from ..settings import Settings
from .binding import Binder, LaidOut
from .cache import PartCache
from .document import DEFAULT_EXTENSIONS, PrintDocument, Printer
from .layout import LayoutPool, fetchable_folders, overlay_ranges

log = logging.getLogger("mkdocs.plugins.cpdfolio")


ARCHIVE_AND_PASSPHRASE = (
    "an archival printout (PDF/A) cannot be locked with a passphrase: PDF/A forbids "
    "encryption. Print the archive without the passphrase (unset CPDFOLIO_PASSPHRASE), "
    "or leave out --archive / pdf_archive"
)


@dataclass(frozen=True)
class Printout:
    """What went into a PDF: counts a caller may report."""

    path: Path
    pages: int
    activities: int
    goals: int
    attachments: int
    seconds: float


def for_print(settings: Settings) -> Settings:
    """The settings a printout uses: the body's own window when no period was chosen."""
    body = settings.body
    if settings.period_chosen or not body.print_period:
        return settings
    return replace(settings, period=parse_period(body.print_period), period_name=body.print_period)


def print_parts(
    portfolio: Portfolio,
    settings: Settings,
    root: str | Path,
    *,
    statement: str | None = None,
    extensions: list | tuple = DEFAULT_EXTENSIONS,
    extension_configs: dict | None = None,
    made: datetime.date | None = None,
    checks: list[CheckResult] | None = None,
    told: bool = False,
    cache: PartCache | None = None,
) -> tuple[PrintDocument, list[tuple[Path, str]]]:
    """The print document, ready to be laid out in parts, and the files to attach.

    `told`: the site's build has warned already of what the allowlist removes
    from the records; the printout then warns only of what it refuses itself.
    `cache`: records rendered by an earlier build are taken from it.
    """
    printer = Printer(
        portfolio, settings, Path(root), extensions, extension_configs or {}, told=told
    )
    printer.cache = cache
    if checks is None:  # the site's build passes the checks it made already
        checks = audit(portfolio, settings.body, settings.period, made, settings.locale)
    profile, is_draft = profile_for_print(str(root), portfolio, settings, checks)
    document = printer.document(statement, made or today(), checks, profile, is_draft)
    return document, printer.attachments()


def write_pdf(
    portfolio: Portfolio,
    target: str | Path,
    settings: Settings | None = None,
    root: str | Path | None = None,
    *,
    cache: PartCache | None = None,
    pool: LayoutPool | None = None,
    **options,
) -> Printout:
    """Render the portfolio's printout for `settings.period` to `target`.

    The front (cover, contents, summaries) and the body (goals, activities in
    groups, SWOT and evidence) are laid out as independent parts, on every core
    at once. Once all are counted, pikepdf joins the parts, lays the contents'
    page numbers and the running header over the pages, writes "page N of M" at
    their foot, points the links and bookmarks at their pages, and attaches the
    evidence.

    `cache` (cache.py): parts laid out by an earlier build are taken from
    it, not laid out again. `pool`: workers kept warm by a caller that prints
    often (the preview's live printout), left running.
    """
    settings = settings or Settings()
    if settings.archive and settings.passphrase:
        raise ValueError(ARCHIVE_AND_PASSPHRASE)
    root = Path(root if root is not None else portfolio.root or ".")
    started = time.monotonic()
    made = options.get("made") or today()
    # Relative addresses (the images print_parts let through) are files of the portfolio.
    base_url = root.resolve().as_uri() + "/"
    binder = Binder()
    # The workers start while the HTML is written.
    if pool is None:
        # A cold build starts the workers at once; one from the cache, when a part misses.
        pool = LayoutPool(fetchable_folders(root), lazy=cache is not None and cache.warm())
    else:
        pool = contextlib.nullcontext(pool)
    with pool as pool:
        lay_out = pool.submit if cache is None else cache.through(pool)
        document, attachments = print_parts(portfolio, settings, root, cache=cache, **options)
        log.info(f"cpdfolio: laying out the printout ({settings.period.describe(settings.locale)})")
        front = lay_out(document.front(), base_url)
        header = lay_out(document.header(), base_url, tagged=False)
        body = [lay_out(html, base_url) for html in document.body()]
        for part in body:
            binder.append(part.result())  # while the workers lay out the next parts
        front = front.result()
        binder.prepend(front)
        total = sum(part.pages for part in binder.parts)
        numbers = _page_numbers(binder.parts)
        overlays = [  # stamps: artifacts, not tagged
            lay_out(document.overlay(range(*pages), front, numbers), base_url, tagged=False)
            for pages in overlay_ranges(front.pages, pool.workers)
        ]
        header, overlays = header.result(), [future.result() for future in overlays]
    if cache is not None:
        cache.prune()  # what this build did not use: an old version of an edited part
        log.info(f"cpdfolio: {cache.hits} of {cache.hits + cache.misses} parts from the cache")
    for problem in document.problems:
        log.warning(f"{root.name}/{problem}")
    log.info(f"cpdfolio: printout laid out, {total} pages; writing PDF")
    for level, message in sorted({w for part in binder.parts for w in part.warnings}):
        log.log(level, f"WeasyPrint: {message}")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    binder.write(
        target,
        overlays,
        header,
        attachments,
        document.metadata(made),
        settings.passphrase,
        descriptions=document.descriptions(),
        archive=settings.archive,
    )
    shown = portfolio.activities_in(settings.period)
    return Printout(
        path=target,
        pages=total,
        activities=sum(1 for a in shown if a.share),
        goals=sum(1 for g in portfolio.goals if g.share),
        attachments=len(attachments),
        seconds=time.monotonic() - started,
    )


def _page_numbers(parts: list[LaidOut]) -> dict[str, int]:
    """Each anchor's page number in the whole printout, counting from 1."""
    numbers: dict[str, int] = {}
    offset = 0
    for part in parts:
        for name, spot in part.anchors.items():
            numbers.setdefault(name, offset + spot.page + 1)
        offset += part.pages
    return numbers


def describe(printout: Printout) -> str:
    """A one-line account of a printout for the log."""
    return (
        f"{markup.count(printout.pages, 'page', 'pages')}, "
        f"{markup.count(printout.activities, 'activity', 'activities')}, "
        f"{markup.count(printout.goals, 'goal', 'goals')}, "
        f"{markup.count(printout.attachments, 'attachment', 'attachments')}, "
        f"{printout.seconds:.1f} s"
    )
