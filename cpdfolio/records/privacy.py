"""Which files of the portfolio must never reach an output."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from . import links
from .model import Activity, Portfolio, Record


def private_files(portfolio: Portfolio) -> set[str]:
    """Private records' files and the files only they refer to (paths from the root)."""
    if all(record.share for record in portfolio.records):
        return set()  # reading every reflection's links would find nothing to keep out
    private: set[str] = set()
    shared_refs: set[str] = set()
    for record in portfolio.records:
        refs = referenced_files(record)
        if record.share:
            shared_refs |= refs
        else:
            private.add(record.path)
            private |= refs
    return private - shared_refs


def referenced_files(record: Record) -> set[str]:
    """Local files a record names: its evidence and what its reflection links or embeds."""
    refs: set[str] = set()
    if isinstance(record, Activity):
        refs |= {e.target for e in record.evidence if not e.is_link}
    # Found in the rendered HTML: every link form Markdown and raw HTML have.
    return refs | links.files_linked(record.path, record.body)


# A Markdown link (not an image) whose target is a .md file: [words](path.md#part "title").
_PAGE_LINK = re.compile(
    r"(?<!!)\[(?P<words>[^\]]*)\]\(\s*<?(?P<target>[^)\s>]+?\.md)(?:#[^)\s>]*)?>?"
    r"(?:\s+\"[^\"]*\")?\s*\)"
)


def drop_links_to(markdown: str, from_path: str, hidden: set[str]) -> str:
    """The Markdown with links to hidden (private) pages reduced to their words.

    Otherwise a shared page would publish the private record's file name in a
    link that leads nowhere.
    """
    if not hidden:
        return markdown
    folder = posixpath.dirname(from_path)

    def replace(match: re.Match) -> str:
        target = unquote(match.group("target"))
        if "://" in target or target.startswith("/"):
            return match.group(0)
        path = posixpath.normpath(posixpath.join(folder, target))
        return match.group("words") if path in hidden else match.group(0)

    return _PAGE_LINK.sub(replace, markdown)
