"""Writing Markdown and HTML from user text without letting it become markup.

A title like `<script>` or `*not bold*` must render as those characters, so
user text passes through `text()` on its way into any generated Markdown, and
through `html.escape` (here in `html_link` and `html_table`) into HTML.
"""

from __future__ import annotations

import datetime
import functools
import html
import posixpath
import re
from urllib.parse import quote

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimePattern, get_date_format, match_skeleton, parse_pattern

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


DEFAULT_LOCALE = "en-GB"
# The month in words in short dates too: "5 Mar 2025" reads the same to an assessor in any
# country, where en-US's 3/5/2025 and en-GB's 05/03/2025 do not.
_SHORT_SKELETON = "yMMMd"
# CLDR (since version 38) shortens September to "Sept" in British English; cpdfolio has
# always written "Sep", like the other three-letter months, and British dates stay so.
_SHORT_MONTHS = {"en": {"Sept": "Sep"}}


# A date is written on its record's page and on each list that names the record.
@functools.lru_cache(maxsize=8192)
def long_date(day: datetime.date, locale: str = DEFAULT_LOCALE) -> str:
    """'5 March 2025' in en-GB, 'March 5, 2025' in en-US, '5. März 2025' in de-DE."""
    parsed, long, _ = _date_patterns(locale)
    return long.apply(day, parsed)


@functools.lru_cache(maxsize=8192)
def short_date(day: datetime.date, locale: str = DEFAULT_LOCALE) -> str:
    """'5 Mar 2025' in en-GB, 'Mar 5, 2025' in en-US, for tables and lists."""
    parsed, _, short = _date_patterns(locale)
    return short[day.month - 1].apply(day, parsed)


def parse_locale(identifier: object) -> str:
    """A locale written en-GB or en_GB, in any case, as en-GB; ValueError when unknown."""
    try:
        parsed = Locale.parse(str(identifier).strip().replace("_", "-"), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValueError(
            f"'{identifier}' is not a locale; write a language and a country, "
            f"such as en-GB, en-US or de-DE"
        ) from None
    return str(parsed).replace("_", "-")


@functools.lru_cache(maxsize=16)
def _date_patterns(
    locale: str,
) -> tuple[Locale, DateTimePattern, tuple[DateTimePattern, ...]]:
    """The locale's CLDR long date, and its short date for each month, parsed once."""
    parsed = Locale.parse(locale.replace("_", "-"), sep="-")
    skeletons = parsed.datetime_skeletons
    short = skeletons.get(_SHORT_SKELETON) or skeletons[match_skeleton(_SHORT_SKELETON, skeletons)]
    renamed = _SHORT_MONTHS.get(parsed.language, {})
    abbreviated = parsed.months["format"]["abbreviated"]
    per_month = tuple(
        # The month as quoted literal text in the pattern, where its CLDR name is replaced.
        parse_pattern(re.sub(r"(?<!M)MMM(?!M)", f"'{renamed[abbreviated[month]]}'", short.pattern))
        if abbreviated[month] in renamed
        else parse_pattern(short)
        for month in range(1, 13)
    )
    return parsed, parse_pattern(get_date_format("long", parsed)), per_month


def count(number: int, one: str, many: str) -> str:
    """'1 activity', '3 activities'."""
    return f"{number} {one if number == 1 else many}"


def hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def count_hours(value: float) -> str:
    """'1 hour', '2.5 hours'."""
    return f"{hours(value)} hour{'' if hours(value) == '1' else 's'}"


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


_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>")


def cell_text(rows: list[list[str]]) -> str:
    """The words of a table's cells, still escaped HTML, one space apart.

    The cells are HTML made here, whose user text is escaped: no `<` or `>` of a
    member's is left to take for a tag.
    """
    return _TAG.sub("", _BREAK.sub(" ", " ".join(cell for row in rows for cell in row)))


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
