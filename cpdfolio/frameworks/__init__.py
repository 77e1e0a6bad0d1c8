"""CPD frameworks: categories, competences and reflection headings, as YAML data."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

BUILT_IN = ("default",)


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
class Framework:
    name: str
    title: str
    categories: tuple[Category, ...]
    competences: tuple[Competence, ...] = ()
    check_competences: bool = False
    headings: tuple[str, ...] = ()
    required_headings: tuple[str, ...] = ()

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(category.id for category in self.categories)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        return Category(category_id, category_id)


def load_framework(name_or_path: str, base_dir: Path | None = None) -> Framework:
    """A built-in framework by name, or a framework YAML file (relative to base_dir)."""
    return _from_mapping(_read(name_or_path, base_dir), source=name_or_path)


def _read(name_or_path: str, base_dir: Path | None) -> dict:
    if name_or_path in BUILT_IN:
        text = resources.files(__name__).joinpath(f"{name_or_path}.yml").read_text("utf-8")
        source = f"built-in framework '{name_or_path}'"
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
        source = str(path)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise FrameworkError(f"{source}: not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise FrameworkError(f"{source}: a framework file is a mapping with 'categories:'")
    parent = data.get("extends")
    if parent is not None:
        if parent not in BUILT_IN:
            raise FrameworkError(
                f"{source}: extends '{parent}', which is not a built-in framework "
                f"({', '.join(BUILT_IN)})"
            )
        merged = _read(parent, None)
        merged.update({key: value for key, value in data.items() if key != "extends"})
        return merged
    return data


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
    except (KeyError, TypeError, AttributeError) as error:
        raise FrameworkError(
            f"{source}: each category needs an 'id' (and may have name, description, "
            f"examples), each competence a 'code' ({error!r} is missing or malformed)"
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
    )
