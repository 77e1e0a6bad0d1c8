"""`cpdfolio serve --pdf`: the printout made again in the background after each edit.

As soon as a rebuild of the site has read the records, a thread of lower
priority writes the printout's parts and hands the ones an edit changed to the
layout workers, kept warm between edits with the part cache (printout/cache.py),
so that they are laid out while the site's pages are made. The parts are bound
once the site is built: a build that fails publishes no printout. Edits saved
while a printout is being made are not queued one by one: the thread prints
once more, the latest. The PDF is written outside the site and then renamed
into it, so the Download link serves the last whole printout, never half of one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..records.model import Portfolio
from ..settings import Settings

log = logging.getLogger("mkdocs.plugins.cpdfolio")

_asked = False


@contextlib.contextmanager
def printing() -> Iterator[None]:
    """Serve with the live printout (`cpdfolio serve --pdf`) while this runs."""
    global _asked
    before, _asked = _asked, True
    try:
        yield
    finally:
        _asked = before


def asked() -> bool:
    """Whether the preview was asked for the live printout."""
    return _asked


class LivePrintout:
    """One background thread that prints the latest build's portfolio, again and again."""

    def __init__(self, project: Path, records: Path) -> None:
        self.project, self.records = project, records
        self.wake = threading.Condition()
        # Held while the PDF is put in the site, and by the site's sealing (with a
        # passphrase): the sealer finds the printout there or not, never arriving.
        self.publishing = threading.Lock()
        self.pending: tuple | None = None
        # Builds counted as they ask for a printout and as they finish: a printout
        # is bound once the build that asked for it has written the site.
        self.asked = self.built = 0
        self.stopped = False
        self.cache = None
        self.pool = None
        self.printed = 0  # how many printouts were written, for the log
        self.thread = threading.Thread(target=self._run, name="cpdfolio-printout", daemon=True)
        self.thread.start()

    def request(
        self, portfolio: Portfolio, target: Path, settings: Settings, options: dict
    ) -> None:
        """Start printing this build's portfolio once the printout being made, if any,
        is done; it is bound when `site_built` says the build has finished."""
        with self.wake:
            self.asked += 1
            self.pending = (self.asked, portfolio, target, settings, options)
            self.wake.notify()

    def site_built(self) -> None:
        """The build that asked last has written the site: its printout may be bound."""
        with self.wake:
            self.built = self.asked
            self.wake.notify()

    def stop(self) -> None:
        """End with the preview: a printout half made is given up, its workers stopped."""
        with self.wake:
            self.stopped = True
            self.wake.notify()
        if self.pool is not None and self.pool.executor is not None:
            self.pool.executor.shutdown(wait=False, cancel_futures=True)
        self.thread.join(timeout=10)
        if self.pool is not None:
            self.pool.__exit__(None, None, None)
            self.pool = None

    def _run(self) -> None:
        # The site's rebuild and the page's reload come first: this thread, and the
        # layout workers it starts (they inherit it), yield the cores to them.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        while True:
            with self.wake:
                while self.pending is None and not self.stopped:
                    self.wake.wait()
                if self.stopped:
                    return
                (build, *job), self.pending = self.pending, None
            try:
                self._print(build, *job)
            except Exception as error:  # the preview goes on; the last printout stays
                if self.stopped:
                    continue
                log.error(f"cpdfolio: the printout could not be made again: {error}")
                # A worker killed (out of memory, say): fresh workers at the next edit.
                if isinstance(error, BrokenProcessPool) and self.pool is not None:
                    self.pool, broken = None, self.pool
                    broken.__exit__(None, None, None)

    def _wait_for_site(self, build: int) -> bool:
        """Whether the build that asked for this printout finished, before a newer
        one asked (a failed build's printout waits until then, and is given up)."""
        with self.wake:
            while self.built < build and self.pending is None and not self.stopped:
                self.wake.wait()
            return self.built >= build and not self.stopped

    def _print(
        self, build: int, portfolio: Portfolio, target: Path, settings: Settings, options: dict
    ) -> None:
        from . import cache as printcache
        from .layout import LayoutPool, fetchable_folders
        from .writer import PrintJob, describe

        if self.cache is None or self.cache.passphrase != settings.passphrase:
            self.cache = printcache.for_project(self.project, settings.passphrase)
        elif self.cache is not None:
            self.cache.begin()
        if self.pool is None:
            self.pool = LayoutPool(fetchable_folders(self.records))
        # The parts an edit changed are laid out while the site is rebuilt.
        job = PrintJob(portfolio, settings, self.records, self.pool, self.cache, options)
        if not self._wait_for_site(build):
            return
        job.bind()
        # Made outside the site, where a build or its sealing would find half of it.
        with tempfile.TemporaryDirectory(prefix="cpdfolio-printout-") as folder:
            partial = Path(folder, target.name)
            printout = job.write(partial)
            with self.publishing:
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.replace(partial, target)
                except OSError:  # another file system: copied beside it, then renamed
                    beside = target.with_name(f".{target.name}.partial")
                    shutil.copyfile(partial, beside)
                    os.replace(beside, target)
        self.printed += 1
        # The job's memory is given back as this returns: once the PDF is in the site.
        log.info(f"cpdfolio: printout made again in the background ({describe(printout)})")
