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
    _refuse_archive_with_passphrase(settings)  # before any worker starts
    root = Path(root if root is not None else portfolio.root or ".")
    if pool is None:
        # A cold build starts the workers at once; one from the cache, when a part misses.
        pool = LayoutPool(fetchable_folders(root), lazy=cache is not None and cache.warm())
    else:
        pool = contextlib.nullcontext(pool)
    with pool as pool:
        job = PrintJob(portfolio, settings, root, pool, cache, options)
        job.bind()
    return job.write(target)


class PrintJob:
    """A printout on its way: its parts written and handed to the layout workers
    when made, bound once they are laid out (`bind`), then written (`write`).

    The preview (live.py) makes one as soon as an edit is read, so that the
    workers lay out the part it changed while the site is rebuilt, and lets it
    go only after the PDF is in the site: giving back a bound printout's memory
    took a third of a second.
    """

    def __init__(
        self,
        portfolio: Portfolio,
        settings: Settings,
        root: Path,
        pool: LayoutPool,
        cache: PartCache | None,
        options: dict,
    ) -> None:
        _refuse_archive_with_passphrase(settings)
        self.started = time.monotonic()
        self.portfolio, self.settings, self.root = portfolio, settings, root
        self.pool, self.cache = pool, cache
        self.made = options.get("made") or today()
        # Relative addresses (the images print_parts let through) are files of the portfolio.
        self.base_url = root.resolve().as_uri() + "/"
        self.lay_out = pool.submit if cache is None else cache.through(pool)
        self.document, self.attachments = print_parts(
            portfolio, settings, root, cache=cache, **options
        )
        log.info(f"cpdfolio: laying out the printout ({settings.period.describe(settings.locale)})")
        style = self.document.stylesheet
        self.front = self.lay_out(self.document.front(), self.base_url, stylesheet=style)
        self.header = self.lay_out(self.document.header(), self.base_url, tagged=False)
        self.body = [
            self.lay_out(html, self.base_url, stylesheet=style) for html in self.document.body()
        ]
        self.binder = Binder()

    def bind(self) -> None:
        """Each part bound as it comes; then the contents' numbers laid out."""
        binder, lay_out = self.binder, self.lay_out
        for index, part in enumerate(self.body):
            # Bound in order, so that the PDF's objects are numbered alike in every
            # build (qpdf orders them by number within a stream). While a part is laid
            # out, the ready ones after it are opened: a fifth of binding, after an edit.
            for later in self.body[index + 1 :]:
                if part.done():
                    break
                if later.done():
                    binder.read_ahead(later.result())
            binder.append(part.result())  # while the workers lay out the next parts
        front = self.front.result()
        binder.prepend(front)
        numbers = _page_numbers(binder.parts)
        overlays = [  # stamps: artifacts, not tagged
            lay_out(self.document.overlay(range(*ranged), front, numbers), self.base_url, False)
            for ranged in overlay_ranges(front.pages, self.pool.workers)
        ]
        self.header = self.header.result()
        self.overlays = [future.result() for future in overlays]
        if self.cache is not None:
            self.cache.prune()  # what this build did not use: an old version of an edited part
            log.info(
                f"cpdfolio: {self.cache.hits} of {self.cache.hits + self.cache.misses} "
                f"parts from the cache"
            )

    def write(self, target: str | Path) -> Printout:
        """The bound printout written to `target`."""
        binder, document, settings = self.binder, self.document, self.settings
        for problem in document.problems:
            log.warning(f"{self.root.name}/{problem}")
        total = sum(part.pages for part in binder.parts)
        log.info(f"cpdfolio: printout laid out, {total} pages; writing PDF")
        for level, message in sorted({w for part in binder.parts for w in part.warnings}):
            log.log(level, f"WeasyPrint: {message}")
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        binder.write(
            target,
            self.overlays,
            self.header,
            self.attachments,
            document.metadata(self.made),
            settings.passphrase,
            descriptions=document.descriptions(),
            archive=settings.archive,
        )
        shown = self.portfolio.activities_in(settings.period)
        return Printout(
            path=target,
            pages=total,
            activities=sum(1 for a in shown if a.share),
            goals=sum(1 for g in self.portfolio.goals if g.share),
            attachments=len(self.attachments),
            seconds=time.monotonic() - self.started,
        )


def _refuse_archive_with_passphrase(settings: Settings) -> None:
    if settings.archive and settings.passphrase:
        raise ValueError(ARCHIVE_AND_PASSPHRASE)


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
