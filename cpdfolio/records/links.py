"""Where a record points: every link and embed of its rendered HTML, found by a parser.

A pattern over the Markdown missed reference-style links (`![x][r]`), unquoted
`src=`, `srcset`, `<object data>`, `<video poster>` and names with spaces; once
Python-Markdown has rendered a reflection, every one of them is an attribute of
an element, and the standard library's HTML parser reads them as a browser does.
"""

from __future__ import annotations

import functools
import html
import posixpath
from collections.abc import Callable, Mapping, Set
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

import markdown

# The extensions every record is rendered with (the site and the printout add
# the member's own); reference links, raw HTML and attr_list are Markdown's core.
EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition")
# Attributes whose value is one address, on any element.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "poster", "data", "xlink:href", "background", "longdesc", "action", "cite"}
    | {"formaction", "manifest", "codebase", "archive", "usemap", "ping", "dynsrc", "lowsrc"}
)
# Attributes whose value is a list of addresses each followed by a size: "a.png 2x, b.png 3x".
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})


@dataclass(frozen=True)
class Reference:
    """One address in the HTML: on which element and attribute, and on which line."""

    tag: str
    attribute: str
    url: str
    line: int


def addresses(attribute: str, value: str | None) -> list[str]:
    """The addresses an attribute's (unescaped) value holds; none for other attributes."""
    if not value:
        return []
    if attribute in SRCSET_ATTRIBUTES:
        return [c.split()[0] for c in value.split(",") if c.strip()]
    if attribute in URL_ATTRIBUTES:
        return [value.strip()]
    return []


class _Tags(HTMLParser):
    """Every start tag: its place in the text, its raw text, its element and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[int, int, str, str, list[tuple[str, str | None]]]] = []

    def set_cdata_mode(self, elem: str, **options) -> None:
        """Read inside <script> and <style> too: an unclosed <style> would hide the rest."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.getpos()
        self.tags.append((line, column, self.get_starttag_text() or "", tag, attrs))

    handle_startendtag = handle_starttag


def _tags(text: str) -> list[tuple[int, int, str, str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def start_tags(text: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag's element and attributes (values unescaped), in order."""
    return [(tag, attrs) for _, _, _, tag, attrs in _tags(text)]


def references(text: str) -> list[Reference]:
    """Every address of every element in an HTML text, in order."""
    return [
        Reference(tag, name, url, line)
        for line, _, _, tag, attrs in _tags(text)
        for name, value in attrs
        for url in addresses(name, value)
    ]


# What becomes of an address: the same, another, or None to drop the attribute; or
# (another, {attribute: value}) to set attributes of the element too.
Change = Callable[[str, str, str], "str | None | tuple[str, dict[str, str]]"]


def rewrite(text: str, change: Change) -> str:
    """The HTML with each address passed through `change(tag, attribute, url)`.

    Only the start tags whose addresses change are written again (attributes
    quoted and escaped); every other character of the text stays as it was.
    """
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    pieces: list[str] = []
    done = 0
    for line, column, raw, tag, attrs in _tags(text):
        written = _changed(tag, attrs, change)
        offset = starts[line - 1] + column
        if written is None or text[offset : offset + len(raw)] != raw:
            continue
        closing = "/>" if raw.endswith("/>") else ">"
        attributes = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value, quote=True)}"'
            for name, value in written
        )
        pieces += [text[done:offset], f"<{tag}{attributes}{closing}"]
        done = offset + len(raw)
    pieces.append(text[done:])
    return "".join(pieces)


def _changed(
    tag: str, attrs: list[tuple[str, str | None]], change: Change
) -> list[tuple[str, str | None]] | None:
    """A start tag's attributes once `change` has seen its addresses; None if all stay."""
    changed = False
    written: list[tuple[str, str | None]] = []
    extra: dict[str, str] = {}

    def changed_to(name: str, url: str) -> str | None:
        new = change(tag, name, url)
        if isinstance(new, tuple):
            new, more = new
            extra.update(more)
        return new

    for name, value in attrs:
        if name in SRCSET_ATTRIBUTES and value:
            candidates = []
            for candidate in value.split(","):
                if not candidate.strip():
                    continue
                url, *size = candidate.split()
                new = changed_to(name, url)
                changed |= new != url
                if new:
                    candidates.append(" ".join([new, *size]))
            if not candidates:
                continue
            value = ", ".join(candidates)
        elif name in URL_ATTRIBUTES and value:
            new = changed_to(name, value.strip())
            changed |= new != value.strip()
            if new is None:
                continue
            value = new
        written.append((name, value))
    if not changed and not extra:
        return None
    return [(n, v) for n, v in written if n not in extra] + list(extra.items())


def from_source(
    text: str,
    src: str,
    page_url: str,
    urls: Mapping[str, str],
    hidden: Set[str] = frozenset(),
) -> str:
    """A page's raw-HTML addresses, written from its Markdown file, made addresses from the page.

    MkDocs rewrites the links Markdown makes, not those of raw HTML: an
    `<img src="../../evidence/x.png">` written from `activities/2025/x.md`
    would lead nowhere from the page `activities/2025/x/`. `urls` maps each
    file of the site (its path in the docs tree) to its URL, quoted as MkDocs does.
    A link to a `hidden` page (a private record's) loses its address, keeping its words.
    """
    folder = posixpath.dirname(src)
    here = unquote(posixpath.dirname(page_url))
    known = {unquote(url) for url in urls.values()}

    def change(tag: str, attribute: str, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return url
        if posixpath.normpath(posixpath.join(here, unquote(parts.path))) in known:
            return url  # an address from the page already (MkDocs made it)
        path = local_path(folder, url)
        if path in hidden:
            return None
        if path is None or path not in urls:
            return url
        target = quote(posixpath.relpath(unquote(urls[path]), here or "."))
        if urls[path].endswith("/"):
            target += "/"
        return target + (f"#{parts.fragment}" if parts.fragment else "")

    return rewrite(text, change)


def local_path(folder: str, url: str) -> str | None:
    """The portfolio path (from its root) an address of a file in `folder` leads to.

    None for an address elsewhere: another site, a mail address, a part of the
    page, or a path from the root of a disk or leaving the portfolio.
    """
    parts = urlsplit(url.strip())
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith(("/", "\\")):
        return None
    path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    if path == ".." or path.startswith("../"):
        return None
    return path


@functools.lru_cache(maxsize=4096)
def rendered(body: str) -> str:
    """A reflection's Markdown as HTML, to read its links from (not to show)."""
    return markdown.markdown(body, extensions=list(EXTENSIONS))


def files_linked(path: str, body: str) -> set[str]:
    """The portfolio files (not pages) that the reflection of the record at `path` names."""
    # No address without one of these: most reflections need no rendering here.
    if not any(mark in body for mark in ("](", "]:", "=")):
        return set()
    folder = posixpath.dirname(path)
    found = set()
    for reference in references(rendered(body)):
        target = local_path(folder, reference.url)
        if target is not None and not target.endswith(".md"):
            found.add(target)
    return found
