"""Where each source file ends up in a built site, as MkDocs and Zensical both place it."""

from __future__ import annotations

import posixpath
from collections.abc import Collection
from urllib.parse import quote


def page_url(src: str, directory_urls: bool = True) -> str:
    """The URL of a file of the docs tree: `a/b.md` is `a/b/` (or `a/b.html`)."""
    if not src.endswith(".md"):
        return quote(src)
    stem = src[: -len(".md")]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        url = (folder or ".") + "/" if directory_urls else posixpath.join(folder, "index.html")
    else:
        url = f"{stem}/" if directory_urls else f"{stem}.html"
    return quote(url)


def relative_url(url: str, other: str) -> str:
    """`url` as a link written on the page at `other` (both from the site's root)."""
    if other != ".":
        folder, name = posixpath.split(other)
        other = folder if "." in name else other
    relative = posixpath.relpath("/" + url, "/" + other)
    return relative + "/" if url.endswith("/") else relative


def site_urls(sources: Collection[str], directory_urls: bool = True):
    """The `Urls` of pages.Site for a site made of exactly `sources`."""
    known = set(sources)

    def urls(from_src: str, to_src: str) -> str | None:
        if from_src not in known or to_src not in known:
            return None
        return relative_url(page_url(to_src, directory_urls), page_url(from_src, directory_urls))

    return urls


def source_urls(sources: Collection[str]):
    """The `Urls` of pages.Site as links between source files, for an engine that resolves them.

    Zensical reads every relative link of a page's HTML, raw HTML included, as
    a path from the page's source file, and turns it into a URL itself.
    """
    known = set(sources)

    def urls(from_src: str, to_src: str) -> str | None:
        if from_src not in known or to_src not in known:
            return None
        return quote(posixpath.relpath(to_src, posixpath.dirname(from_src) or "."))

    return urls
