"""Where a portfolio keeps its records, and the folder a site engine is pointed at.

The safe layout: mkdocs.yml's `docs_dir` names a folder holding one page that
says how the portfolio is built, and cpdfolio's `records` option names the
records. An engine run on its own (Zensical, MkDocs without cpdfolio) finds
that page and nothing else; cpdfolio points the engine at the pages it
generates for each build, in `.cpdfolio/`. The old layout, `docs_dir` being the
records, still builds with cpdfolio's MkDocs plugin, and `upgrade` rewrites it.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.cpdfolio")

#: The docs_dir of the safe layout: what an engine finds that does not run cpdfolio.
ENGINE_DOCS = "built-by-cpdfolio"
#: Beside mkdocs.yml: the pages generated for a build (gone after it), engines' caches.
WORK = ".cpdfolio"


class LayoutError(Exception):
    """mkdocs.yml cannot be read or rewritten; the message says why."""


@dataclass(frozen=True)
class Layout:
    """A portfolio's folders: mkdocs.yml's, the records', and the engine's docs_dir."""

    root: Path
    records: Path
    docs_dir: Path

    @property
    def safe(self) -> bool:
        """Whether an engine pointed at docs_dir sees none of the records."""
        docs, records = self.docs_dir.resolve(), self.records.resolve()
        return docs != records and records not in docs.parents and docs not in records.parents

    def work(self) -> Path:
        return self.root / WORK

    def tidy(self) -> None:
        """Remove `.cpdfolio/` once nothing is left in it (an engine may keep a cache there)."""
        try:
            self.work().rmdir()
        except OSError:
            pass

    def pages_folder(self) -> Path:
        """A new folder, readable by the member alone, for one build's pages."""
        self.work().mkdir(exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="pages-", dir=self.work()))


def read_layout(config_file: str | os.PathLike, docs_dir: str, records: str) -> Layout:
    """The layout named by mkdocs.yml's docs_dir and the cpdfolio `records` option."""
    root = Path(config_file).resolve().parent
    docs = root / docs_dir
    return Layout(root=root, records=(root / records) if records else docs, docs_dir=docs)


def project_layout(config) -> Layout:
    """The layout of a loaded project: its mkdocs.yml, docs_dir and cpdfolio's `records`."""
    records = config.plugins["cpdfolio"].config.records
    return read_layout(config.config_file_path, config.docs_dir, records)


_warned: set[Path] = set()


def warn_if_unsafe(layout: Layout) -> None:
    """Once per portfolio and process: the old layout publishes private records elsewhere."""
    if layout.safe or layout.root in _warned:
        return
    _warned.add(layout.root)
    where = os.path.relpath(layout.root)
    log.warning(
        f"cpdfolio: mkdocs.yml's docs_dir is the records folder "
        f"({layout.records.name}/): a site engine that does not run cpdfolio (zensical build, "
        f"or mkdocs without cpdfolio installed) would publish the private records. "
        f"Run 'cpdfolio upgrade {where}' to keep them out of its reach"
    )


# -- cpdfolio upgrade -----------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    """What `upgrade` did: the backup of mkdocs.yml and the records folder it names."""

    backup: Path | None
    records: str
    written: list[Path]


_DOCS_DIR = re.compile(r"^docs_dir\s*:\s*(?P<value>.*?)\s*(?:#.*)?$", re.M)
_PLUGIN = re.compile(r"^(?P<indent>[ \t]*)-[ \t]+cpdfolio[ \t]*(?P<colon>:)?[ \t]*(?:#.*)?$", re.M)


def upgrade(directory: str | os.PathLike, docs_dir: str) -> Upgrade:
    """Rewrite DIR/mkdocs.yml to the safe layout; no record moves, nothing is lost.

    `docs_dir` is the records folder as mkdocs.yml names it today (MkDocs'
    default `docs` when it names none). The old mkdocs.yml is kept beside the
    new one; the engine's docs folder and `.cpdfolio/` in .gitignore are added.
    """
    root = Path(directory)
    config_file = root / "mkdocs.yml"
    text = config_file.read_text("utf-8")
    records = docs_dir.strip().strip("'\"") or "docs"
    if _yaml_text(records) != records:
        raise LayoutError(
            f"{config_file}: docs_dir {records!r} needs quoting in YAML; "
            f"set docs_dir: {ENGINE_DOCS} and records: {records!r} by hand"
        )
    match = _DOCS_DIR.search(text)
    line = f"docs_dir: {ENGINE_DOCS}"
    if match:
        new = text[: match.start()] + line + text[match.end() :]
    else:
        new = f"{line}\n{text}" if text.endswith("\n") or not text else f"{line}\n{text}\n"
    plugin = _PLUGIN.search(new)
    if plugin is None:
        raise LayoutError(f"{config_file}: no '- cpdfolio' entry found under plugins:")
    indent = plugin.group("indent") + "    "
    following = re.match(r"\n*([ \t]*)\S", new[plugin.end() :])
    if (
        plugin.group("colon")
        and following
        and len(following.group(1)) > len(plugin.group("indent"))
    ):
        indent = following.group(1)  # as the options already there are indented
    option = f"{indent}# The records; the site engine reads only the pages cpdfolio makes.\n"
    option += f"{indent}records: {records}\n"
    if plugin.group("colon"):
        head = new[: plugin.end()]
    else:
        head = new[: plugin.start()] + plugin.group("indent") + "- cpdfolio:"
    new = head + "\n" + option + new[plugin.end() + 1 :]
    backup = _free(root / "mkdocs.yml.before-upgrade")
    shutil.copy2(config_file, backup)
    config_file.write_text(new, "utf-8")
    return Upgrade(backup=backup, records=records, written=[config_file, *write_engine_docs(root)])


def write_engine_docs(root: Path) -> list[Path]:
    """The engine's docs folder and .gitignore's line for `.cpdfolio/`; what was written."""
    written = []
    page = root / ENGINE_DOCS / "index.md"
    if not page.exists():
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(engine_page(), "utf-8")
        written.append(page)
    ignore = root / ".gitignore"
    lines = ignore.read_text("utf-8").splitlines() if ignore.exists() else []
    if not any(line.strip().strip("/") == WORK for line in lines):
        lines.append(f"# Pages generated for a build, removed after it; engines' caches.\n{WORK}/")
        ignore.write_text("\n".join(lines) + "\n", "utf-8")
        written.append(ignore)
    return written


def engine_page() -> str:
    return (resources.files("cpdfolio") / "templates" / "engine-index.md").read_text("utf-8")


def _yaml_text(value: str) -> str:
    import yaml

    loaded = yaml.safe_load(f"key: {value}")
    return loaded.get("key") if isinstance(loaded, dict) else None


def _free(path: Path) -> Path:
    if not path.exists():
        return path
    number = 2
    while path.with_name(f"{path.name}-{number}").exists():
        number += 1
    return path.with_name(f"{path.name}-{number}")
