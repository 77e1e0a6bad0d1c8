"""CPD frameworks: categories, competences, reflection headings and audit checks, as YAML.

Built-in frameworks are data files beside this module. A member's own file may
`extends:` one: categories and competences are merged by id or code (an entry
with a known id renames or redescribes it, a new one is added), checks are
merged by id (`enabled: false` turns one off), other keys replace.

A member who answers to several bodies lists several frameworks; `combine`
makes the one the records are read against (the first body's categories and
headings, every body's competences), and `for_body` the one each body's checks
run with. A competence code two bodies share is told apart as `body:code`
(`ieng:A1`); written bare, it names the first body's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

import yaml

BUILT_IN = ("default", "uk-spec", "ieng", "engtech", "hcpc", "csci", "rsci", "rscitech")
# The separator of a competence code written for one body: `hcpc:1.1`, `ieng:A1`.
BODY_SEPARATOR = ":"
# A benchmark's scale when the framework names none: 1 to 5, each level named.
DEFAULT_LEVELS = (
    (1, "Aware", "Knows of it; has not yet practised it."),
    (2, "Developing", "Practises it with guidance."),
    (3, "Practising", "Practises it without guidance in familiar situations."),
    (4, "Competent", "Meets the registration standard in it, in new situations too."),
    (5, "Leading", "Sets the standard for others and develops them in it."),
)


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
    # The framework (body) it belongs to, by name; set when frameworks are combined.
    body: str = ""


@dataclass(frozen=True)
class Level:
    """One step of a benchmark's scale: 3, 'Practising'."""

    level: int
    name: str
    description: str = ""


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
    levels: tuple[Level, ...] = tuple(Level(*entry) for entry in DEFAULT_LEVELS)
    # The period a printout for this body covers unless one is asked for (HCPC: two years).
    print_period: str | None = None
    # The frameworks combined into this one, in the member's order; () for one framework.
    bodies: tuple[Framework, ...] = ()

    @property
    def category_ids(self) -> tuple[str, ...]:
        return tuple(category.id for category in self.categories)

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        return Category(category_id, category_id)

    def competence(self, code: str) -> Competence | None:
        """The competence a record's code names: `A1`, or `uk-spec:A1` for one body's."""
        body, separator, bare = code.rpartition(BODY_SEPARATOR)
        for competence in self.competences:
            if separator and competence.code == bare and body in (competence.body, self.name):
                return competence
            if competence.code == code:
                return competence
        return None

    def level(self, value: int) -> Level | None:
        return next((level for level in self.levels if level.level == value), None)

    @property
    def names(self) -> tuple[str, ...]:
        """The name of each body this framework answers for."""
        return tuple(body.name for body in self.bodies) or (self.name,)

    def for_body(self, name: str) -> Framework:
        """One body's framework, reading the records as this one does."""
        for body in self.bodies or (self,):
            if body.name == name:
                return body
        raise FrameworkError(
            f"framework '{name}' is not one of this portfolio's ({', '.join(self.names)})"
        )

    @property
    def competence_groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.group for c in self.competences if c.group))


def combine(frameworks: list[Framework]) -> Framework:
    """The framework the records of a member of several bodies are read against.

    The first gives the categories and reflection headings; every one adds its
    competences (codes checked when any body checks them). Each body keeps its
    own checks, run with the first's categories (see `Framework.for_body`).
    """
    if len(frameworks) == 1:
        return frameworks[0]
    names = [f.name for f in frameworks]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise FrameworkError(f"frameworks: {', '.join(twice)} is listed twice")
    first = frameworks[0]
    bodies = tuple(
        replace(
            body,
            categories=first.categories,
            headings=first.headings,
            competences=tuple(replace(c, body=body.name) for c in body.competences),
        )
        for body in frameworks
    )
    return replace(
        first,
        name="+".join(names),
        title=" and ".join(body.title for body in bodies),
        competences=tuple(c for body in bodies for c in body.competences),
        check_competences=any(body.check_competences for body in bodies),
        checks=(),
        standards=(),
        bodies=bodies,
    )


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
        levels = tuple(
            Level(int(entry["level"]), str(entry["name"]), str(entry.get("description", "")))
            for entry in data.get("levels") or ()
        ) or tuple(Level(*entry) for entry in DEFAULT_LEVELS)
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise FrameworkError(
            f"{source}: each category needs an 'id' (and may have name, description, "
            f"examples), each competence a 'code', each check an 'id', each level a "
            f"whole-number 'level' and a 'name' "
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
        levels=levels,
        print_period=str(data["print_period"]) if data.get("print_period") else None,
    )
