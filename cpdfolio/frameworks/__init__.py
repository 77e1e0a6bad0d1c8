"""CPD frameworks: categories, competences, reflection headings and audit checks, as YAML.

Built-in frameworks are data files beside this module. A member's own file may
`extends:` one: categories and competences are merged by id or code (an entry
with a known id renames or redescribes it, a new one is added), checks are
merged by id (`enabled: false` turns one off), other keys replace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

BUILT_IN = ("default", "uk-spec", "engtech", "hcpc")


class FrameworkError(Exception):
    """A framework file that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str = ""
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Competence:
    code: str
    title: str
    group: str = ""


@dataclass(frozen=True)
class CheckSpec:
    """An audit check the framework turns on, with its parameters."""

    id: str
    title: str = ""
    standard: str = ""
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Framework:
    name: str
    title: str
    categories: tuple[Category, ...]
    competences: tuple[Competence, ...] = ()
    check_competences: bool = False
    headings: tuple[str, ...] = ()
    required_headings: tuple[str, ...] = ()
    checks: tuple[CheckSpec, ...] = ()
    standards: tuple[str, ...] = ()
    source: str = ""

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(category.id for category in self.categories)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        return Category(category_id, category_id)

    def competence(self, code: str) -> Competence | None:
        for competence in self.competences:
            if competence.code == code:
                return competence
        return None

    @property
    def competence_groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.group for c in self.competences if c.group))


def load_framework(name_or_path: str, base_dir: Path | None = None) -> Framework:
    """A built-in framework by name, or a framework YAML file (relative to base_dir)."""
    return _from_mapping(_read(name_or_path, base_dir, ()), source=name_or_path)


def _read(name_or_path: str, base_dir: Path | None, seen: tuple[str, ...]) -> dict:
    if name_or_path in BUILT_IN:
        text = resources.files(__name__).joinpath(f"{name_or_path}.yml").read_text("utf-8")
        where = f"built-in framework '{name_or_path}'"
    else:
        path = Path(name_or_path)
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        if not path.is_file():
            raise FrameworkError(
                f"framework '{name_or_path}' is neither a built-in framework "
                f"({', '.join(BUILT_IN)}) nor a file"
            )
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise FrameworkError(f"{path}: cannot read framework file: {error}") from None
        where = str(path)
        base_dir = path.parent
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FrameworkError(f"{where}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise FrameworkError(f"{where}: a framework file is a mapping with 'categories:'")
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str) or parent in seen or parent == name_or_path:
        raise FrameworkError(f"{where}: 'extends: {parent}' would extend itself")
    return _merge(_read(parent, base_dir, (*seen, name_or_path)), data)


def _merge(parent: dict, child: dict) -> dict:
    # The name is not inherited: messages must name the member's file, not 'default'.
    merged = {k: v for k, v in parent.items() if k != "name"}
    merged.update((k, v) for k, v in child.items() if k != "extends")
    for key, ident in (("categories", "id"), ("competences", "code"), ("checks", "id")):
        if key in child and key in parent:
            merged[key] = _merge_by(parent[key] or [], child[key] or [], ident)
    return merged


def _merge_by(parents: list, children: list, ident: str) -> list:
    """Entries of both lists, a child entry updating the parent entry of the same id."""
    result = {entry.get(ident): dict(entry) for entry in parents if isinstance(entry, dict)}
    for entry in children:
        if not isinstance(entry, dict) or ident not in entry:
            raise FrameworkError(f"each entry needs an '{ident}': {entry!r}")
        key = entry[ident]
        result[key] = {**result.get(key, {}), **entry}
    return [entry for entry in result.values() if entry.get("enabled", True) is not False]


def _from_mapping(data: dict, source: str) -> Framework:
    try:
        categories = tuple(
            Category(
                id=str(entry["id"]),
                name=str(entry.get("name", entry["id"])),
                description=str(entry.get("description", "")),
                examples=tuple(str(x) for x in entry.get("examples", ())),
            )
            for entry in data["categories"]
        )
        competences = tuple(
            Competence(str(entry["code"]), str(entry.get("title", "")), str(entry.get("group", "")))
            for entry in data.get("competences") or ()
        )
        checks = tuple(
            CheckSpec(
                id=str(entry["id"]),
                title=str(entry.get("title", "")),
                standard=str(entry.get("standard", "")),
                params={
                    k: v
                    for k, v in entry.items()
                    if k not in ("id", "title", "standard", "enabled")
                },
            )
            for entry in data.get("checks") or ()
        )
        standards = tuple(
            str(entry["text"]) if isinstance(entry, dict) else str(entry)
            for entry in data.get("standards") or ()
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise FrameworkError(
            f"{source}: each category needs an 'id' (and may have name, description, "
            f"examples), each competence a 'code', each check an 'id' "
            f"({error!r} is missing or malformed)"
        ) from None
    if not categories:
        raise FrameworkError(f"{source}: a framework needs at least one category")
    return Framework(
        name=str(data.get("name", source)),
        title=str(data.get("title", data.get("name", source))),
        categories=categories,
        competences=competences,
        check_competences=bool(data.get("check_competences", False)),
        headings=tuple(str(h) for h in data.get("headings") or ()),
        required_headings=tuple(str(h) for h in data.get("required_headings") or ()),
        checks=checks,
        standards=standards,
        source=str(data.get("source", "")),
    )
