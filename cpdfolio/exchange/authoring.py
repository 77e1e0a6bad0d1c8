"""Starting a portfolio and adding records to it: `cpdfolio new` and `cpdfolio add`.

Records are written from the framework (its categories and reflection headings)
and never over a file that exists: a clash gets a new name. The starter
portfolio's files are templates in `cpdfolio/templates/`.
"""

from __future__ import annotations

import datetime
import itertools
import os
import re
import shlex
import subprocess
import tempfile
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path, PurePosixPath

import jinja2
import yaml

from ..frameworks import Framework, FrameworkError, load_framework
from ..records.loader import LoadResult, load, markdown_files
from ..records.period import today as reproducible_today
from ..records.schema import did_you_mean

# The folder each kind of record is written to, under the portfolio root.
FOLDERS = {"activity": "activities", "goal": "goals"}
# A goal's body, as the format describes it: why, what success is, the plan, the review.
GOAL_HEADINGS = ("Why this goal", "What success looks like", "Plan", "Review")
# File names stay short enough for any file system and readable in a listing.
_SLUG_LENGTH = 60
_NO_WRAP = 2**31 - 1


class AuthoringError(Exception):
    """A record or portfolio that cannot be written as asked; the message says why."""


# -- writing a record ------------------------------------------------------------------


def slug(title: str, fallback: str = "record") -> str:
    """'IPEM Radiotherapy: what's new?' → 'ipem-radiotherapy-whats-new'."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower().replace("'", "")).split()
    result = ""
    for word in words:
        longer = f"{result}-{word}" if result else word
        if len(longer) > _SLUG_LENGTH:
            break
        result = longer
    return result or (words[0][:_SLUG_LENGTH] if words else fallback)


def yaml_value(value: object) -> str:
    """A value as YAML on one line, quoted where YAML would misread it ('yes', 'a: b')."""
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # A one-item flow list quotes a scalar as strictly as YAML needs, on one line.
    written = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=_NO_WRAP)
    if written.strip().count("\n"):  # a line break in the text: escape it, double-quoted
        written = yaml.safe_dump(
            [value], default_flow_style=True, default_style='"', width=_NO_WRAP
        )
    return written.strip()[1:-1]


def record_text(front_matter: dict[str, object], body: str) -> str:
    """A record file: front matter in the given key order, then the body.

    A key whose value is None is written empty (`type:`), for the member to fill in.
    """
    lines = [
        f"{key}:" if value is None else f"{key}: {yaml_value(value)}"
        for key, value in front_matter.items()
    ]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def reflection_template(framework: Framework) -> str:
    """The framework's reflection headings, each followed by an empty line to write on."""
    return "".join(f"## {heading}\n\n" for heading in framework.headings)


def taken_ids(result: LoadResult, kind: str) -> set[str]:
    """Ids a new record of this kind may not have: those of every file of that kind."""
    folder = FOLDERS[kind] + "/"
    root = Path(result.portfolio.root or ".")
    records = result.portfolio.activities if kind == "activity" else result.portfolio.goals
    taken = {record.id for record in records}
    # Files that did not load keep their names: a new record must not clash with them.
    taken |= {PurePosixPath(path).stem for path in result.record_paths if path.startswith(folder)}
    if root.is_dir():
        taken |= {PurePosixPath(p).stem for p in markdown_files(root) if p.startswith(folder)}
    return taken


def _names(stem: str) -> Iterator[str]:
    """stem, stem-2, stem-3 ...: the names a record may take, in turn."""
    yield stem
    for number in itertools.count(2):
        yield f"{stem}-{number}"


def free_name(folder: Path, stem: str, taken: Collection[str]) -> str:
    """The first of stem, stem-2, stem-3 ... that is neither a taken id nor a file."""
    return next(
        name
        for name in _names(stem)
        if name not in taken and not os.path.lexists(folder / f"{name}.md")
    )


def write_new(folder: Path, stem: str, text: str, taken: Collection[str] = ()) -> Path:
    """Write text to folder/stem.md, or stem-2.md, stem-3.md ...: never over any file.

    The text goes to a temporary file in the same folder first, so a record is
    never seen half-written; it then takes its name only if no file has it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    # A dot name: MkDocs and the loader skip it should it ever be left behind.
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".cpdfolio-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private to its owner; a record is an ordinary file.
        os.chmod(temporary, 0o666 & ~_umask())
        return next(
            folder / f"{name}.md"
            for name in _names(stem)
            if name not in taken and _place(temporary, folder / f"{name}.md")
        )
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)


def _place(temporary: str, target: Path) -> bool:
    """Give the temporary file the target's name unless a file has it already."""
    try:
        # A hard link fails when the name exists: atomic, and it never replaces a file.
        os.link(temporary, target)
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: look, then rename
        if os.path.lexists(target):
            return False
        os.replace(temporary, target)
        return True


def _umask() -> int:
    # The only way to read the umask is to set it; it is put back at once.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# -- cpdfolio add -----------------------------------------------------------------------


def add_activity(
    root: str | os.PathLike,
    framework: Framework,
    title: str,
    *,
    day: datetime.date | None = None,
    category: str | None = None,
    goals: Sequence[str] = (),
) -> Path:
    """Write a new activity, its reflection headings ready; returns its path."""
    root = Path(root)
    title = _title(title)
    day = day or reproducible_today()
    if category is None:
        raise AuthoringError(
            f"an activity needs a category: give --category, one of "
            f"{', '.join(framework.category_ids)}"
        )
    if category not in framework.category_ids:
        raise AuthoringError(
            f"category '{category}' is not one of {', '.join(framework.category_ids)}"
            + did_you_mean(category, framework.category_ids)
        )
    result = load(root, framework)
    known_goals = [goal.id for goal in result.portfolio.goals]
    for goal_id in goals:
        if goal_id not in known_goals:
            known = ", ".join(known_goals) or "none yet: add one with 'cpdfolio add goal TITLE'"
            raise AuthoringError(
                f"goal '{goal_id}' does not exist"
                + (did_you_mean(goal_id, known_goals) or f"; known goals: {known}")
            )
    front_matter: dict[str, object] = {
        "title": title,
        "date": day,
        "category": category,
        "type": None,
        "hours": None,
        "goals": list(dict.fromkeys(goals)) or None,
        "evidence": None,
        "tags": None,
    }
    return write_new(
        root / FOLDERS["activity"] / str(day.year),
        f"{day.isoformat()}-{slug(title, 'activity')}",
        record_text(front_matter, "\n" + reflection_template(framework)),
        taken_ids(result, "activity"),
    )


def add_goal(
    root: str | os.PathLike, framework: Framework, title: str, *, day: datetime.date | None = None
) -> Path:
    """Write a new goal, planned from `day` (today); returns its path."""
    root = Path(root)
    title = _title(title)
    front_matter: dict[str, object] = {
        "title": title,
        "status": "planned",
        "created": day or reproducible_today(),
        "target": None,
        "competences": None,
        "tags": None,
    }
    body = "\n" + "".join(f"## {heading}\n\n" for heading in GOAL_HEADINGS)
    return write_new(
        root / FOLDERS["goal"],
        slug(title, "goal"),
        record_text(front_matter, body),
        taken_ids(load(root, framework), "goal"),
    )


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise AuthoringError("the title is empty; give the record a title, like 'IPEM meeting'")
    return title


def open_in_editor(path: str | os.PathLike, editor: str) -> None:
    """Run the member's editor (`$EDITOR`, which may hold arguments) on the file."""
    try:
        command = shlex.split(editor)
    except ValueError as error:  # an unclosed quote
        raise AuthoringError(f"$EDITOR cannot be read as a command ({error}): {editor}") from None
    if not command:
        raise AuthoringError("$EDITOR is empty: set it to your editor's command, like 'nano'")
    try:
        finished = subprocess.run([*command, os.fspath(path)])
    except OSError as error:
        raise AuthoringError(
            f"cannot run the editor '{command[0]}' ({error.strerror or error}); "
            f"the record is kept at {path}"
        ) from None
    if finished.returncode != 0:
        raise AuthoringError(
            f"the editor '{command[0]}' stopped with exit code {finished.returncode}; "
            f"the record is kept at {path}"
        )


# -- cpdfolio new -----------------------------------------------------------------------

# The starter portfolio: template file → where it goes (formatted with the names below).
_STARTER = (
    ("mkdocs.yml", "mkdocs.yml"),
    ("editorconfig", ".editorconfig"),
    ("gitignore", ".gitignore"),
    ("engine-index.md", "built-by-cpdfolio/index.md"),
    ("index.md", "portfolio/index.md"),
    ("goal.md", "portfolio/goals/{goal_id}.md"),
    ("activity.md", "portfolio/activities/{year}/{today}-setting-up-my-cpd-portfolio.md"),
)
_STARTER_FOLDERS = ("portfolio/evidence",)
_STARTER_GOAL = "keep-a-reflective-cpd-record"


def new_portfolio(
    directory: str | os.PathLike,
    owner: str = "",
    framework: str = "default",
    today: datetime.date | None = None,
) -> list[Path]:
    """Create a portfolio that builds at once, with a sample goal and activity.

    Returns the files written. The folder must be new or empty.
    """
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise AuthoringError(f"{directory} is a file; give a new or empty folder")
    if directory.is_dir():
        present = sorted(p.name for p in directory.iterdir())
        if present:
            shown = ", ".join(present[:5]) + (" ..." if len(present) > 5 else "")
            raise AuthoringError(
                f"{directory} is not empty (it holds {shown}); give a new or empty folder, "
                f"so that nothing of yours is overwritten"
            )
    try:
        loaded = load_framework(framework, directory)
    except FrameworkError as error:
        raise AuthoringError(str(error)) from None
    today = today or reproducible_today()
    owner = " ".join(owner.split())
    category_ids = list(loaded.category_ids)
    names = {
        "today": today.isoformat(),
        "year": str(today.year),
        "goal_id": _STARTER_GOAL,
        "target": _a_year_after(today).isoformat(),
        "owner": owner,
        "site_name": f"CPD portfolio of {owner}" if owner else "My CPD portfolio",
        "framework": framework,
        "category": "self-directed" if "self-directed" in category_ids else category_ids[0],
        "category_ids": category_ids,
        "category_names": [c.name for c in loaded.categories],
        "headings": list(loaded.headings),
    }
    environment = _templates()
    written = []
    for template, target in _STARTER:
        path = directory / target.format(**names)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(environment.get_template(template).render(names), "utf-8")
        written.append(path)
    for folder in _STARTER_FOLDERS:
        (directory / folder).mkdir(parents=True, exist_ok=True)
    return written


def _a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _templates() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("cpdfolio", "templates"),
        # YAML and Markdown, not HTML: user text reaches YAML through the yaml filter.
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["yaml"] = yaml_value
    return environment
