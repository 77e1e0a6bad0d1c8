"""The front matter of each kind of record, declared as a typed schema.

Each field turns a YAML node into a Python value or raises `FieldError` with a
sentence saying what would be right. The same declarations give the JSON
Schema, so the docs and the validation cannot drift apart.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from ..frameworks import Framework
from .frontmatter import Entry, FrontMatter, line_of
from .model import GOAL_STATUSES

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^\+?(\d+(\.\d*)?|\.\d+)$")
_HOURS_AND_MINUTES = re.compile(r"^(\d+):([0-5]\d)$")
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


class FieldError(ValueError):
    """A value that does not fit its key; the message is shown to the member."""


def _as_written(tag: str) -> str:
    """'tag:yaml.org,2002:python/object' → '!!python/object', as the member typed it."""
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _check_tag(node: yaml.Node) -> None:
    if node.tag not in _STANDARD_TAGS:
        raise FieldError(
            f"the YAML tag '{_as_written(node.tag)}' is not allowed here; write a plain value"
        )


def _foreign_tag(node: yaml.Node) -> yaml.Node | None:
    """The first node in a value with a tag no plain value has, such as `!!python/...`."""
    seen: set[int] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue  # aliases share nodes: each is looked at once, however often it is used
        seen.add(id(current))
        if current.tag not in _STANDARD_TAGS:
            return current
        if isinstance(current, yaml.SequenceNode):
            pending.extend(reversed(current.value))
        elif isinstance(current, yaml.MappingNode):
            pending.extend(n for pair in reversed(current.value) for n in reversed(pair))
    return None


def _is_null(node: yaml.Node) -> bool:
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:null"
        and node.value in _NULLS
    )


def _in_sentence(description: str) -> str:
    """'The day ..., as YYYY-MM-DD' → 'the day ..., as YYYY-MM-DD' (not 'yyyy-mm-dd')."""
    return description[:1].lower() + description[1:]


def _scalar_text(node: yaml.Node, name: str, what: str) -> str:
    """The text exactly as written: `id: 012` stays '012', `title: yes` stays 'yes'."""
    _check_tag(node)
    if not isinstance(node, yaml.ScalarNode):
        shape = "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"
        raise FieldError(f"{name} should be {what}, not {shape}")
    return node.value.strip()


class Field:
    """One front matter key: its meaning, whether required, how to read it."""

    json_type: dict = {"type": "string"}

    def __init__(self, description: str, *, required: bool = False) -> None:
        self.description = description
        self.required = required
        self.name = ""

    def convert(self, node: yaml.Node) -> object:
        raise NotImplementedError

    def json_schema(self) -> dict:
        return {**self.json_type, "description": self.description}


class Text(Field):
    def convert(self, node: yaml.Node) -> str:
        text = _scalar_text(node, self.name, "text")
        if not text:
            raise FieldError(f"{self.name} is empty; write {_in_sentence(self.description)}")
        return text


class Day(Field):
    json_type = {"type": "string", "format": "date"}

    def convert(self, node: yaml.Node) -> datetime.date:
        text = _scalar_text(node, self.name, "a date written YYYY-MM-DD")
        if not _DAY.match(text):
            raise FieldError(
                f"{self.name} '{text}' should be a date written YYYY-MM-DD, like 2025-03-14"
            )
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise FieldError(
                f"{self.name} '{text}' is not a day of the calendar; "
                f"write a real date as YYYY-MM-DD"
            ) from None


class Hours(Field):
    json_type = {
        "anyOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": _HOURS_AND_MINUTES.pattern},
        ]
    }

    def convert(self, node: yaml.Node) -> float:
        text = _scalar_text(node, self.name, "a number")
        # YAML 1.1 reads `1:30` as 90 (base 60); a member writing it means 1.5 hours.
        clock = _HOURS_AND_MINUTES.match(text)
        value = None
        if clock:
            value = float(clock.group(1)) + int(clock.group(2)) / 60
        elif _NUMBER.match(text):
            value = float(text)
        # 400 nines are a number to float() but no count of hours: infinity is refused.
        if value is not None and math.isfinite(value):
            return value
        if text.startswith("-") and _NUMBER.match(text[1:]):
            raise FieldError(f"{self.name} cannot be negative ('{text}'); write 0 or more")
        raise FieldError(
            f"{self.name} '{text}' should be a number of hours of 0 or more, "
            f"like 2 or 1.5 (1:30 also means an hour and a half)"
        )


class Flag(Field):
    json_type = {"type": "boolean"}

    def __init__(self, description: str, *, default: bool) -> None:
        super().__init__(description)
        self.default = default

    def convert(self, node: yaml.Node) -> bool:
        # YAML 1.1 reads yes/no/on/off as booleans; members write them, so accept them.
        text = _scalar_text(node, self.name, "true or false").lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise FieldError(f"{self.name} '{text}' should be true or false")


class Choice(Field):
    def __init__(
        self,
        description: str,
        choices: Iterable[str],
        *,
        required: bool = False,
        synonyms: dict[str, str] | None = None,
    ):
        super().__init__(description, required=required)
        self.choices = tuple(choices)
        # Words members write for a choice that are no typo of it: 'done' for 'achieved'.
        self.synonyms = synonyms or {}

    @property
    def json_type(self) -> dict:  # type: ignore[override]
        return {"type": "string", "enum": list(self.choices)}

    def convert(self, node: yaml.Node) -> str:
        text = _scalar_text(node, self.name, f"one of {', '.join(self.choices)}")
        if text not in self.choices:
            raise FieldError(
                f"{self.name} '{text}' is not one of {', '.join(self.choices)}"
                + (
                    f"; did you mean '{self.synonyms[text.lower()]}'?"
                    if text.lower() in self.synonyms
                    else did_you_mean(text, self.choices)
                )
            )
        return text


class TextList(Field):
    json_type = {"type": "array", "items": {"type": "string"}}

    def convert(self, node: yaml.Node) -> tuple[str, ...]:
        _check_tag(node)
        if isinstance(node, yaml.ScalarNode):
            # `tags: audit` is a list of one; members should not have to know YAML lists.
            text = node.value.strip()
            return (text,) if text and not _is_null(node) else ()
        if not isinstance(node, yaml.SequenceNode):
            raise FieldError(f"{self.name} should be a list, like [first, second]")
        items: list[str] = []
        for position, item in enumerate(node.value, start=1):
            _check_tag(item)
            if not isinstance(item, yaml.ScalarNode) or _is_null(item) or not item.value.strip():
                raise FieldError(
                    f"{self.name}: item {position} (line {line_of(item)}) should be "
                    f"plain text, like [first, second]"
                )
            if item.value.strip() not in items:
                items.append(item.value.strip())
        return tuple(items)


class LevelMap(Field):
    """`levels:` / `targets:`: competence code → whole-number level, each with its line."""

    json_type = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}

    def convert(self, node: yaml.Node) -> tuple[tuple[str, int, int], ...]:
        _check_tag(node)
        if not isinstance(node, yaml.MappingNode):
            raise FieldError(
                f"{self.name} should map each competence code to a level, like {{A1: 3, B2: 2}}"
            )
        entries: list[tuple[str, int, int]] = []
        for key, value in node.value:
            code = key.value.strip() if isinstance(key, yaml.ScalarNode) else ""
            line = line_of(key)
            if not code:
                raise FieldError(f"{self.name}: line {line} should start with a competence code")
            text = value.value.strip() if isinstance(value, yaml.ScalarNode) else ""
            if not text.isdigit():
                raise FieldError(
                    f"{self.name}: {code} (line {line}) should be a whole-number level, "
                    f"like {code}: 3"
                )
            if any(code == seen for seen, _, _ in entries):
                raise FieldError(f"{self.name}: {code} (line {line}) is given twice")
            entries.append((code, int(text), line))
        return tuple(entries)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint for a typo ('tittle') or a shortened name ('ceng' for 'ceng-registration')."""
    choices = list(choices)
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not close and len(word) >= 3:
        close = [c for c in choices if c.startswith(word) or word in c.split("-")][:1]
    return f"; did you mean '{close[0]}'?" if close else ""


@dataclass(frozen=True)
class Finding:
    """A problem found in front matter, before it knows its file."""

    line: int
    key: str | None
    message: str
    is_error: bool = True


class Schema:
    """The keys one kind of record may have."""

    def __init__(self, kind: str, fields: dict[str, Field]) -> None:
        self.kind = kind
        self.fields = fields
        for name, field in fields.items():
            field.name = name

    def read(self, front_matter: FrontMatter) -> tuple[dict[str, object], list[Finding]]:
        """Every key converted, and every problem found; one pass, nothing raised."""
        values: dict[str, object] = {}
        findings: list[Finding] = []
        for entry in front_matter.entries:
            # Tags are never constructed, but one like !!python/... has no place in a
            # record, under any key.
            foreign = _foreign_tag(entry.node)
            if foreign is not None:
                message = (
                    f"{entry.key}: the YAML tag '{_as_written(foreign.tag)}' is not allowed; "
                    f"write a plain value"
                )
                findings.append(Finding(max(entry.line, line_of(foreign)), entry.key, message))
                continue
            field = self.fields.get(entry.key)
            if field is None:
                findings.append(self._unknown(entry))
                continue
            if _is_null(entry.node):
                if field.required:
                    message = f"{entry.key} is empty; write {_in_sentence(field.description)}"
                    findings.append(Finding(entry.line, entry.key, message))
                continue
            try:
                values[entry.key] = field.convert(entry.node)
            except FieldError as error:
                # A block value starts below its key; an alias (`tags: *x`) points above it.
                line = max(entry.line, line_of(entry.node))
                findings.append(Finding(line, entry.key, str(error)))
        for name, field in self.fields.items():
            if field.required and name not in values and not any(f.key == name for f in findings):
                findings.append(
                    Finding(
                        front_matter.get(name).line if front_matter.get(name) else 1,
                        name,
                        f"missing required key '{name}' ({_in_sentence(field.description)})",
                    )
                )
            if isinstance(field, Flag) and name not in values:
                values[name] = field.default
        return values, findings

    def _unknown(self, entry: Entry) -> Finding:
        hint = did_you_mean(entry.key, self.fields)
        if not hint:
            hint = f"; {self.kind} keys are: {', '.join(self.fields)}"
        return Finding(entry.line, entry.key, f"unknown key '{entry.key}'{hint}", is_error=False)

    def json_schema(self) -> dict:
        return {
            "type": "object",
            "title": f"cpdfolio {self.kind}",
            "properties": {name: field.json_schema() for name, field in self.fields.items()},
            "required": [name for name, field in self.fields.items() if field.required],
            "additionalProperties": False,
        }


def _shared_fields() -> dict[str, Field]:
    return {
        "tags": TextList("Words to find the record by"),
        "share": Flag("Whether the record appears in the site and printout", default=True),
    }


def activity_schema(framework: Framework) -> Schema:
    return Schema(
        "activity",
        {
            "kind": Choice("The kind of record", ("activity",)),
            "title": Text("The activity's title", required=True),
            "date": Day("The day it happened or started, as YYYY-MM-DD", required=True),
            "end": Day("The last day, as YYYY-MM-DD, not before date"),
            "category": Choice("The learning category", framework.category_ids, required=True),
            "type": Text("What kind of activity, such as course or conference"),
            "hours": Hours("Hours of learning, a number of 0 or more"),
            "goals": TextList("Ids of the goals this activity serves"),
            "competences": TextList("Competence codes of the framework"),
            "evidence": TextList("Evidence files or https links"),
            "provider": Text("Who provided it"),
            "location": Text("Where it took place"),
            **_shared_fields(),
        },
    )


_STATUS_SYNONYMS = {
    **dict.fromkeys(("done", "complete", "completed", "finished", "met"), "achieved"),
    **dict.fromkeys(("started", "ongoing", "active", "in progress"), "in-progress"),
    **dict.fromkeys(("todo", "to do", "planning", "future"), "planned"),
    **dict.fromkeys(("abandoned", "cancelled", "canceled", "stopped"), "dropped"),
}


def goal_schema() -> Schema:
    return Schema(
        "goal",
        {
            "kind": Choice("The kind of record", ("goal",)),
            "title": Text("The goal's title", required=True),
            "id": Text("An id that replaces the file name's"),
            "status": Choice("Where the goal stands", GOAL_STATUSES, synonyms=_STATUS_SYNONYMS),
            "created": Day("When the goal was set, as YYYY-MM-DD"),
            "target": Day("When it should be reached, as YYYY-MM-DD"),
            "achieved": Day("When it was reached, as YYYY-MM-DD"),
            "competences": TextList("Competence codes of the framework"),
            **_shared_fields(),
        },
    )


def swot_schema() -> Schema:
    return Schema(
        "swot",
        {
            # Required: outside activities/ and goals/, `kind` is what makes a file a swot.
            "kind": Choice("The kind of record", ("swot",), required=True),
            "title": Text("The analysis' title"),
            "date": Day("When it was written, as YYYY-MM-DD", required=True),
            "share": Flag("Whether it appears in the site and printout", default=True),
        },
    )


def benchmark_schema() -> Schema:
    return Schema(
        "benchmark",
        {
            # Required: outside activities/ and goals/, `kind` is what makes a file a benchmark.
            "kind": Choice("The kind of record", ("benchmark",), required=True),
            "title": Text("The benchmark's title"),
            "date": Day("When the competences were assessed, as YYYY-MM-DD", required=True),
            "levels": LevelMap("Each competence code assessed, and its level", required=True),
            "targets": LevelMap("The level aimed at for a competence code"),
            "share": Flag("Whether it appears in the site and printout", default=True),
        },
    )


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_KINDS = ("activity", "goal", "swot", "benchmark")


def _kind_schemas(framework: Framework | None) -> dict[str, dict]:
    """The JSON Schema of each kind, narrowed to a framework's ids, codes and scale if given.

    Without a framework, `category` is any category id and competences are free
    text; with one, its category ids (and its codes, where it checks them) are listed.
    """
    from ..frameworks import load_framework

    schemas = {
        "activity": activity_schema(framework or load_framework("default")).json_schema(),
        "goal": goal_schema().json_schema(),
        "swot": swot_schema().json_schema(),
        "benchmark": benchmark_schema().json_schema(),
    }
    schemas = copy.deepcopy(schemas)
    activity, benchmark = schemas["activity"], schemas["benchmark"]
    if framework is None:
        category = activity["properties"]["category"]
        del category["enum"]
        category["description"] += ": an id of the portfolio's framework"
        return schemas
    codes = list(dict.fromkeys(competence.code for competence in framework.competences))
    for key in ("levels", "targets"):
        levels = benchmark["properties"][key]
        # The loader refuses a level off the framework's scale, so the schema does too.
        levels["additionalProperties"] = {
            "type": "integer",
            "enum": sorted(level.level for level in framework.levels),
        }
        if framework.check_competences:
            levels["propertyNames"] = {"enum": codes}
    if framework.check_competences:
        for kind in ("activity", "goal"):
            schemas[kind]["properties"]["competences"]["items"]["enum"] = codes
    return schemas


def _named(framework: Framework | None) -> str:
    return f" ({framework.name} framework)" if framework is not None else ""


def front_matter_json_schema(framework: Framework | None = None) -> dict:
    """The JSON Schema of activity and goal front matter; SWOT and benchmark in `$defs`.

    The root takes an activity or a goal, as it always has, so that a schema mapped
    to every record file keeps working; a SWOT or a benchmark is `$defs/swot` or
    `$defs/benchmark` (or `kind_json_schema`), since a SWOT's keys would let an
    activity without its category through.
    """
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "title": "cpdfolio front matter" + _named(framework),
        "description": "The front matter of an activity or a goal of a cpdfolio portfolio.",
        "anyOf": [{"$ref": "#/$defs/activity"}, {"$ref": "#/$defs/goal"}],
        "$defs": _kind_schemas(framework),
    }


def kind_json_schema(kind: str, framework: Framework | None = None) -> dict:
    """The JSON Schema of one kind of record's front matter, on its own."""
    schema = _kind_schemas(framework)[kind]
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        **schema,
        "title": f"cpdfolio {kind} front matter" + _named(framework),
    }
