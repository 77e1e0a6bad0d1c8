"""Rendered record HTML through an allowlist, so that nothing a member pastes can act.

A reflection is Markdown, and Markdown lets raw HTML and attr_list attributes
through: `<img src=x onerror=...>`, `{: onmouseover=... }` or a `javascript:`
link would run in an assessor's browser, in passphrase mode with the site's key
at hand. nh3 (Rust's ammonia, maintained and fuzzed) keeps what Markdown and our
extensions make (tables, admonitions, images, links to http, https, mailto and
relative addresses, ids and classes) and drops the rest; what it drops is told
to the member, at the line of the record it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3

from . import links
from .model import Problem, Severity

# Markdown's elements and a few a member may write by hand; no script, form, frame
# or object, and no <style> (its url() would be a request to anyone's server).
TAGS = frozenset(nh3.ALLOWED_TAGS | {"section", "video", "audio", "source", "picture", "track"})
# Removed with what they hold: the text of a script or a frame is no reflection.
CONTENT_GONE = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet"}
    | {"noscript", "template", "svg", "math", "form", "select", "textarea", "button"}
)
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    # attr_list's ids and classes, toc's ids, admonitions' classes, tables' alignment.
    "*": {"class", "id", "title", "lang", "dir", "style"},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading", "title", "align"},
    "source": {"src", "srcset", "type", "media", "sizes"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "preload"},
    "audio": {"src", "controls", "loop", "muted", "preload"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "details": {"open"},
    "time": {"datetime"},
    "li": {"value"},
    "ol": {"start", "type", "reversed"},
}
# Python-Markdown aligns table columns with style="text-align: ..."; nothing else.
STYLE_PROPERTIES = frozenset({"text-align"})
SCHEMES = frozenset({"http", "https", "mailto"})


@dataclass(frozen=True)
class Removed:
    """Something the allowlist took out: as the member will read it, and a word to find it by."""

    what: str
    # Words to find its line by, the most telling first.
    needles: tuple[str, ...]


def clean(html: str) -> tuple[str, list[Removed]]:
    """The HTML with only what the allowlist keeps, and what it took out."""
    cleaned = nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CONTENT_GONE),
        attributes=ATTRIBUTES,
        attribute_filter=_keep_address,
        # The site's own markers of where its tables go are comments.
        strip_comments=False,
        link_rel=None,
        url_schemes=set(SCHEMES),
        filter_style_properties=set(STYLE_PROPERTIES),
    )
    # As many elements and attributes after as before: nothing was taken out, and the
    # page need not be read again to say what (most pages; reading is most of the cost).
    if _shape(cleaned) == _shape(html):
        return cleaned, []
    return cleaned, _removed(html)


_OPENING = re.compile(r"<[A-Za-z]")


def _shape(html: str) -> tuple[int, int]:
    return len(_OPENING.findall(html)), html.count("=")


def allowed_address(url: str) -> bool:
    """An http, https or mailto address, or one relative to the page."""
    try:
        scheme = urlsplit(url.strip()).scheme
    except ValueError:
        return False
    return not scheme or scheme.lower() in SCHEMES


def _keep_address(tag: str, attribute: str, value: str) -> str | None:
    """srcset and poster hold addresses that ammonia does not check: no data: or javascript:."""
    if attribute in links.SRCSET_ATTRIBUTES or attribute in links.URL_ATTRIBUTES:
        if not all(allowed_address(url) for url in links.addresses(attribute, value)):
            return None
    return value


def _removed(html: str) -> list[Removed]:
    """What `clean` will take out, read with the same allowlist, to tell the member."""
    found: list[Removed] = []
    for tag, attrs in links.start_tags(html):
        if tag not in TAGS:
            found.append(Removed(f"the <{tag}> element", (f"<{tag}",)))
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name not in allowed:
                found.append(Removed(f"the {name} attribute of <{tag}>", (f"{name}=", name)))
                continue
            for url in links.addresses(name, value):
                if not allowed_address(url):
                    # "jav&#x09;ascript:" is javascript: to a browser, and to the member.
                    scheme = re.sub(r"[\x00-\x20]", "", url.split(":", 1)[0])
                    found.append(
                        Removed(
                            f"the {scheme.lower()}: address of <{tag} {name}>",
                            (url.strip(), f"{scheme}:"),
                        )
                    )
    return found


def problems(path: str, body: str, body_line: int, removed: list[Removed]) -> list[Problem]:
    """A warning for each thing removed, at the line of the body that holds it."""
    return [
        Problem(
            path,
            line,
            None,
            f"{item.what} was removed: a record shows text, tables, images and links "
            f"(http, https, mailto or a file of the portfolio), nothing that runs",
            Severity.WARNING,
        )
        for item, line in locate(body, body_line, removed)
    ]


def locate(body: str, body_line: int, items: list[Removed]) -> list[tuple[Removed, int | None]]:
    """Each item (in the order of the HTML) with the file's line that holds it, once each.

    The same word on several lines is taken line after line, as the HTML met them.
    """
    lines = body.casefold().split("\n")
    after: dict[str, int] = {}
    found: dict[tuple[Removed, int | None], None] = {}
    for item in items:
        number = None
        for needle in (n.casefold() for n in item.needles if n):
            start = after.get(needle, 0)
            hits = [n for n, line in enumerate(lines) if _starts_word(line, needle)]
            hits = hits or [n for n, line in enumerate(lines) if needle in line]
            ordered = sorted(hits, key=lambda n: (n < start, n))
            if ordered:
                number = ordered[0]
                after[needle] = number + 1
                break
        found[(item, None if number is None else body_line + number)] = None
    return list(found)


def _starts_word(line: str, needle: str) -> bool:
    """The needle in the line as a value of its own: not the tail of a longer address."""
    at = line.find(needle)
    while at >= 0:
        if at == 0 or line[at - 1] in " \t\"'(=<":
            return True
        at = line.find(needle, at + 1)
    return False
