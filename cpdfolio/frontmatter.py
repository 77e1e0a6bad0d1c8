"""Front matter read with line numbers, so every problem can point at its line.

MkDocs drops front matter it cannot parse without a word; a CPD record with a
silently lost date is worse than a failed build, so records are parsed here.
The YAML is only *composed* into nodes: nothing is constructed from tags, and
aliases are never expanded, so neither `!!python/object` nor a "billion laughs"
document can do harm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

# Line 1 is the opening '---', so the YAML's own first line is line 2 of the file.
_FIRST_YAML_LINE = 2
# libyaml's safe loader composes the same nodes about 15 times faster; 3,000 records notice.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CLOSING = re.compile(r"^(---|\.\.\.)[ \t]*$")


class FrontMatterError(Exception):
    def __init__(self, line: int | None, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.key = key


@dataclass(frozen=True)
class Entry:
    """One `key: value` of the front matter."""

    key: str
    line: int
    node: yaml.Node


@dataclass(frozen=True)
class FrontMatter:
    entries: tuple[Entry, ...]
    body: str
    body_line: int

    def keys(self) -> set[str]:
        return {entry.key for entry in self.entries}

    def get(self, key: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None


def has_front_matter(text: str) -> bool:
    return text.startswith("---") and text.split("\n", 1)[0].rstrip() == "---"


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + _FIRST_YAML_LINE


def parse(text: str) -> FrontMatter:
    """Split a Markdown file into its front matter entries and its body."""
    if not has_front_matter(text):
        return FrontMatter(entries=(), body=text, body_line=1)
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if _CLOSING.match(lines[index]):
            break
    else:
        raise FrontMatterError(
            1, "front matter opened with '---' on line 1 is never closed; add a line '---' after it"
        )
    source = "\n".join(lines[1:index])
    body = "\n".join(lines[index + 1 :])
    return FrontMatter(entries=_entries(source), body=body, body_line=index + 2)


def _entries(source: str) -> tuple[Entry, ...]:
    if not source.strip():
        return ()
    try:
        root = yaml.compose(source, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + _FIRST_YAML_LINE if mark else None
        reason = error.problem or error.context or "unreadable"
        raise FrontMatterError(
            line, f"front matter is not valid YAML: {reason}; write one 'key: value' per line"
        ) from None
    except yaml.YAMLError as error:
        raise FrontMatterError(None, f"front matter is not valid YAML: {error}") from None
    if root is None:
        return ()
    if not isinstance(root, yaml.MappingNode):
        raise FrontMatterError(
            line_of(root),
            "front matter must be a mapping of keys to values, like 'title: My course'",
        )
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for key_node, value_node in root.value:
        line = line_of(key_node)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            raise FrontMatterError(line, "front matter keys must be plain words, like 'title'")
        key = key_node.value
        if key in seen:
            raise FrontMatterError(
                line, f"key '{key}' appears twice (lines {seen[key]} and {line}); keep one", key
            )
        seen[key] = line
        entries.append(Entry(key, line, value_node))
    return tuple(entries)
