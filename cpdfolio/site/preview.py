"""`cpdfolio serve` after a save that does not build: the errors in the browser, not a hang.

MkDocs' preview server holds every request until a rebuild succeeds, so a member
who saves a record with a mistake sees a browser that waits, and the reason only
in a terminal they are not looking at. Here a failed rebuild is caught: the server
goes on, and every page it is asked for is the list of errors (file, line,
message), which reloads itself when the next save builds.

Nothing here knows MkDocs: the engine's adapter hands over the server's rebuild
function and its WSGI application, and says which problems failed the build.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources

import jinja2

from ..records.markup import count
from ..records.model import Problem

log = logging.getLogger("mkdocs.plugins.cpdfolio")

# A WSGI application, as the preview server runs it.
App = Callable[[dict, Callable], Iterable[bytes]]


@dataclass(frozen=True)
class Failure:
    """Why the last rebuild failed: the portfolio's errors, or the engine's own message."""

    problems: tuple[Problem, ...]
    message: str
    root: str
    stamp: str


def error_page(failure: Failure) -> str:
    """The page shown in place of every page while the build fails."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("cpdfolio.theme") / "serve")),
        autoescape=True,
    )
    problems = [
        {
            "where": f"{failure.root}/{p.path}" + (f":{p.line}" if p.line else ""),
            "message": p.message,
        }
        for p in failure.problems
    ]
    headline = (
        f"The portfolio has {count(len(problems), 'error', 'errors')}"
        if problems
        else "The site could not be built"
    )
    return environment.get_template("build-errors.html").render(
        headline=headline, problems=problems, message=failure.message, stamp=failure.stamp
    )


class ErrorsInBrowser:
    """A preview server's rebuild and its pages, so that a failed build shows in the browser.

    `problems()` gives the errors that failed the last build (none when the engine
    failed for its own reason) and the folder they are in, as the member types it.
    """

    def __init__(self, problems: Callable[[], tuple[list[Problem], str]]) -> None:
        self.problems = problems
        self.failure: Failure | None = None

    def fail(self, message: str) -> None:
        """The build has failed already (the preview's first): show its errors from the start."""
        problems, root = self.problems()
        self.failure = Failure(tuple(problems), message, root, str(time.time_ns()))

    def rebuild(self, build: Callable[[], None]) -> Callable[[], None]:
        """The rebuild, which records a failure instead of raising it to the server."""

        def guarded() -> None:
            try:
                build()
            except Exception as error:  # noqa: BLE001 - any failed build is shown, not raised
                self.fail(str(error))
                log.error(f"{error}\nThe preview shows these errors until they are fixed.")
            else:
                self.failure = None

        return guarded

    def app(self, served: App) -> App:
        """The server's pages, each answered with the error page while the build fails."""

        def answer(environ: dict, start_response: Callable) -> Iterable[bytes]:
            failure = self.failure
            path = environ.get("PATH_INFO", "")
            if failure is None or not _is_page(path):
                return served(environ, start_response)
            body = error_page(failure).encode("utf-8")
            start_response(
                "500 Build failed",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [body]

        return answer


def _is_page(path: str) -> bool:
    """Whether a request is for a page (not the live-reload poll, a stylesheet, an image)."""
    if path.startswith("/livereload/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return not last or last.endswith((".html", ".htm")) or "." not in last
