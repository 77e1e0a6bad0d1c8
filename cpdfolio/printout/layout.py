"""The printout's parts laid out by WeasyPrint, one worker process per core.

Each part's layout depends only on its own HTML and the shared styles, so parts
go to the workers as they are written; a worker reads only files inside the
portfolio and the theme (the fetcher), never the network.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from .binding import LaidOut, Spot

log = logging.getLogger("mkdocs.plugins.cpdfolio")


def fetchable_folders(root: Path) -> tuple[str, ...]:
    """The folders the printout may read files from: the portfolio and cpdfolio's theme."""
    return (str(root.resolve()), str(Path(str(resources.files("cpdfolio.theme"))).resolve()))


def _fetcher(roots: tuple[str, ...]):
    """WeasyPrint's fetcher, for data: URLs and files inside `roots` only.

    Made in the worker, where WeasyPrint is imported. A record's addresses are
    checked before they reach the print HTML; this refuses whatever else asks
    (a stylesheet's url(), a path that a link in the portfolio leads out of).
    """
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    folders = [Path(folder) for folder in roots]

    class PortfolioFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_file() and any(path.is_relative_to(f) for f in folders):
                    return super().fetch(url, headers)
            raise ValueError("cpdfolio's printout reads no file outside the portfolio, no network")

    return PortfolioFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def _lay_out(
    html: str, base_url: str, roots: tuple[str, ...], tagged: bool = True, stylesheet: str = ""
) -> LaidOut:
    """WeasyPrint on one part, with `stylesheet` besides its own; runs in a worker process.

    A part of the printout is written tagged, as PDF/UA-1 (WeasyPrint's
    structure tree, /Lang, alternative text); binding.py keeps its tags. The
    stamps drawn over the pages are not tagged: they are marked as artifacts.
    """
    import weasyprint

    _settle()
    styles, fonts = _styles(stylesheet) if stylesheet else ([], None)
    warnings: list[tuple[int, str]] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: warnings.append((record.levelno, record.getMessage()))
    weasy = logging.getLogger("weasyprint")
    weasy.addHandler(handler)
    try:
        document = weasyprint.HTML(
            string=html, base_url=base_url, url_fetcher=_fetcher(roots)
        ).render(stylesheets=styles, font_config=fonts)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1" if tagged else None)
    finally:
        weasy.removeHandler(handler)
    anchors: dict[str, Spot] = {}
    bookmarks: list[tuple[int, int, str, float, float]] = []
    for number, page in enumerate(document.pages):
        # CSS pixels to points; bookmarks from the bottom left, as PDF counts.
        height = page.height * 0.75
        for name, (left, top, right, _bottom) in page.anchors.items():
            anchors.setdefault(name, Spot(number, left * 0.75, top * 0.75, right * 0.75))
        for level, label, (x, y), _state in page.bookmarks:
            bookmarks.append((number, level, label, x * 0.75, height - y * 0.75))
    first = document.pages[0]
    size = (first.width * 0.75, first.height * 0.75)
    laid_out = LaidOut(
        pdf, len(document.pages), size, anchors, bookmarks, warnings, tables="<table" in html
    )
    del document
    _give_back_memory()
    return laid_out


_in_worker = False


@functools.lru_cache(maxsize=2)
def _styles(stylesheet: str) -> tuple[list, object]:
    """The parts' stylesheet, read once a worker, and the fonts it finds, kept with it:
    the same bytes as the stylesheet inline in each part, in two thirds of the time."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return [weasyprint.CSS(string=stylesheet, font_config=fonts)], fonts


def _start_worker() -> None:
    """A worker ends when the process that started it is gone (killed, not shut down):
    a preview stopped with a signal left its spawned workers running otherwise."""
    import threading

    global _in_worker
    _in_worker = True
    _settle()

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _warm_up() -> None:
    """Import WeasyPrint in a worker while the main process writes the parts' HTML."""
    import weasyprint  # noqa: F401


def _settle() -> None:
    """In a worker, what lives now (modules, WeasyPrint's tables, what a fork copied)
    is kept out of the garbage collector's full passes: the one after each part
    (`_give_back_memory`) took 45 to 65 ms over them, a fifth of a small part's
    layout. Not in the main process, whose builds' objects must stay collectable."""
    import gc

    if _in_worker:
        gc.freeze()


def _give_back_memory() -> None:
    """Return a part's freed layout to the system before the worker takes the next.

    Python's allocator keeps freed memory for reuse, so a worker's size grew with
    every part it laid out; glibc's malloc_trim hands the free pages back.
    """
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, not returned
        pass


class LayoutPool:
    """Parts laid out in worker processes, one per core; in this process if one."""

    def __init__(self, roots: tuple[str, ...], lazy: bool = False) -> None:
        """`lazy`: one worker made ready, not all (a rebuild from the cache needs one
        part laid out or none: readying both took a core from the main process, while
        readying none left the part that missed to wait for WeasyPrint's import)."""
        self.roots = roots
        self.workers = _cores()
        self.executor = None
        if self.workers > 1:
            self._start(warm=1 if lazy else self.workers)

    def _start(self, warm: int) -> None:
        import concurrent.futures
        import multiprocessing
        import threading

        # Forking copies a process with threads unsafely (mkdocs serve has some).
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        self.executor = concurrent.futures.ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context(method), initializer=_start_worker
        )
        for _worker in range(warm):
            self.executor.submit(_warm_up)

    def submit(self, html: str, base_url: str, tagged: bool = True, stylesheet: str = ""):
        import concurrent.futures

        if self.executor is None and self.workers > 1:
            self._start(warm=0)
        if self.executor is not None:
            return self.executor.submit(_lay_out, html, base_url, self.roots, tagged, stylesheet)
        future: concurrent.futures.Future = concurrent.futures.Future()
        future.set_result(_lay_out(html, base_url, self.roots, tagged, stylesheet))
        return future

    def __enter__(self) -> LayoutPool:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# Pages of the contents' numbers laid out at once: enough to share among the
# workers, few enough that a worker never holds many pages' layout.
OVERLAY_PAGES = 150


def overlay_ranges(total: int, workers: int) -> list[tuple[int, int]]:
    """Page ranges for the overlay: one per worker, of at most OVERLAY_PAGES."""
    size = min(-(-total // max(workers, 1)), OVERLAY_PAGES)
    return [(first, min(first + size, total)) for first in range(0, total, size)]
