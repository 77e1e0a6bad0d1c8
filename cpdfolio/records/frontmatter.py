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
    """Front matter that cannot be read; with every YAML error of it, and what could be read.

    One YAML error stops the parser, but a member wants all of a file's mistakes at
    once: `problems` holds each broken line found by reading the entries one by one,
    `partial` the entries that did read (their values can still be checked), and
    `broken_keys` the keys of the lines that did not.
    """

    def __init__(
        self,
        line: int | None,
        message: str,
        key: str | None = None,
        *,
        problems: tuple[tuple[int | None, str, str | None], ...] = (),
        partial: FrontMatter | None = None,
        broken_keys: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.key = key
        self.problems = problems or ((line, message, key),)
        self.partial = partial
        self.broken_keys = broken_keys


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
    body_line = index + 2
    try:
        return FrontMatter(entries=_entries(source), body=body, body_line=body_line)
    except yaml.YAMLError as error:
        first = _yaml_problem(error, source)
        problems, entries, broken = _entry_by_entry(source)
        if not problems:  # the error spans entries (an unclosed quote): only it is known
            raise FrontMatterError(*first) from None
        partial = FrontMatter(entries=entries, body=body, body_line=body_line)
        raise FrontMatterError(
            *problems[0], problems=tuple(problems), partial=partial, broken_keys=broken
        ) from None


# The line of a `key: value` entry, to name the key of a line YAML cannot read.
_KEY_LINE = re.compile(r"^[ \t]*([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$")


def _yaml_problem(error: yaml.YAMLError, source: str) -> tuple[int | None, str, str | None]:
    """(line, message, key) of a YAML error, with the fix for the mistakes members make."""
    if not isinstance(error, yaml.MarkedYAMLError):
        return None, f"front matter is not valid YAML: {error}", None
    mark = error.problem_mark or error.context_mark
    line = mark.line + _FIRST_YAML_LINE if mark else None
    reason = error.problem or error.context or "unreadable"
    text = source.split("\n")[mark.line] if mark and mark.line < source.count("\n") + 1 else ""
    match = _KEY_LINE.match(text)
    key = match[1] if match else None
    if "\t" in text[: len(text) - len(text.lstrip())] or "'\\t'" in reason or "tab" in reason:
        return (
            line,
            "front matter has a tab at the start of the line; YAML indents with spaces only: "
            "replace the tab with spaces (or delete it, for a key of its own)",
            key,
        )
    if "mapping values are not allowed" in reason and match and match[2]:
        value = match[2].strip()
        fixed = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return (
            line,
            f"front matter is not valid YAML: the value of '{key}' has a colon and a space "
            f"in it, which YAML reads as another key; put the value in quotes: "
            f"{key}: {fixed}",
            key,
        )
    return line, f"front matter is not valid YAML: {reason}; write one 'key: value' per line", key


def _entry_by_entry(
    source: str,
) -> tuple[list[tuple[int | None, str, str | None]], tuple[Entry, ...], frozenset[str]]:
    """Each top-level entry read on its own: the errors of those that fail, the others' entries.

    An entry is a line at the left margin with the indented or '- ' lines below it;
    a line that starts with a tab is an entry of its own, so its tab is reported.
    """
    lines = source.split("\n")
    starts = [
        number
        for number, text in enumerate(lines)
        if text.strip()
        and not text.lstrip().startswith("#")
        and (text[0] == "\t" or (not text[0].isspace() and not text.startswith("- ")))
    ]
    problems: list[tuple[int | None, str, str | None]] = []
    entries: list[Entry] = []
    broken: set[str] = set()
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        # Blank lines first, so each node's mark is its line in the whole front matter.
        block = "\n" * start + "\n".join(lines[start:end])
        try:
            entries.extend(_entries(block))
        except yaml.YAMLError as error:
            line, message, key = _yaml_problem(error, block)
            # An error found at the end of the entry ('hours: [1') is the entry's own.
            first = start + _FIRST_YAML_LINE
            line = first if line is None else min(max(line, first), end - 1 + _FIRST_YAML_LINE)
            key = key or (match[1] if (match := _KEY_LINE.match(lines[start])) else None)
            problems.append((line, message, key))
            if key:
                broken.add(key)
        except FrontMatterError:
            continue  # not a mapping line on its own: the whole document's error says it
    return problems, tuple(entries), frozenset(broken)


def _entries(source: str) -> tuple[Entry, ...]:
    if not source.strip():
        return ()
    root = yaml.compose(source, Loader=_LOADER)
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
