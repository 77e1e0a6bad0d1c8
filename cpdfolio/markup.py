"""Writing Markdown and HTML from user text without letting it become markup.

A title like `<script>` or `*not bold*` must render as those characters, so
user text passes through `text()` on its way into any generated Markdown, and
through `html.escape` (here in `html_link` and `html_table`) into HTML.
"""

from __future__ import annotations

import datetime
import html
import posixpath
import re
from urllib.parse import quote

# Characters that are Markdown anywhere in a line (with tables, attr_list and
# md_in_html), and those that are Markdown only at the start of a block.
_SPECIAL = re.compile(r"([\\`*_{}\[\]!|])")
_AT_START = re.compile(r"^([#+\-]|\d+(?=\.))")


def text(value: str) -> str:
    """User text as Markdown that renders exactly as written, on one line."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(value.split()))
    escaped = _AT_START.sub(
        lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), escaped
    )
    return html.escape(escaped, quote=False)


def link(title: str, from_src: str, to_src: str) -> str:
    """A Markdown link between two files of the docs tree; MkDocs turns it into a URL."""
    return f"[{text(title)}]({href(from_src, to_src)})"


def href(from_src: str, to_src: str) -> str:
    relative = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return quote(relative)


def url(address: str) -> str:
    """An external address made safe inside a Markdown link's parentheses."""
    return quote(address, safe=":/?#@!$&'*+,;=%~")


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def short_date(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def count(number: int, one: str, many: str) -> str:
    """'1 activity', '3 activities'."""
    return f"{number} {one if number == 1 else many}"


def hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def table(headings: list[str], rows: list[list[str]], css_class: str = "") -> str:
    """A Markdown table; cells are Markdown already (pass user text through text())."""
    lines = [
        "| " + " | ".join(headings) + " |",
        "|" + "|".join("---" for _ in headings) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    body = "\n".join(lines)
    if css_class:
        return f'<div class="{css_class}" markdown>\n\n{body}\n\n</div>'
    return body


def html_link(words: str, address: str | None) -> str:
    """Escaped words, as a link when there is an address (None: a page not in the site)."""
    if address is None:
        return html.escape(words, quote=False)
    return f'<a href="{html.escape(address)}">{html.escape(words, quote=False)}</a>'


def html_table(headings: list[str] | None, rows: list[list[str]], css_class: str = "") -> str:
    """The HTML Python-Markdown makes of `table()`, without a head if `headings` is None.

    Cells are HTML already. The line breaks are Python-Markdown's too: the search
    index takes its text from the HTML, and they keep the cells' words apart.
    """

    def line(tag: str, cells: list[str]) -> str:
        return "<tr>\n" + "".join(f"<{tag}>{cell}</{tag}>\n" for cell in cells) + "</tr>\n"

    head = "" if headings is None else "<thead>\n" + line("th", headings) + "</thead>\n"
    body = (
        f"<table>\n{head}<tbody>\n"
        + "".join(line("td", row) for row in rows)
        + "</tbody>\n</table>"
    )
    return f'<div class="{css_class}">\n{body}\n</div>' if css_class else body


def heading(level: int, title: str) -> str:
    return f"{'#' * level} {text(title)}"


def split_sections(body: str) -> tuple[str, dict[str, str]]:
    """Markdown split at its level-2 headings: (text before, {heading: text})."""
    before: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] = before
    fence = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else re.match(r"^##\s+(.+?)\s*#*\s*$", line)
        if match:
            current = sections.setdefault(match.group(1).strip(), [])
        else:
            current.append(line)
    return "\n".join(before), {name: "\n".join(lines) for name, lines in sections.items()}
