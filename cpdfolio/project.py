"""A portfolio project: its mkdocs.yml found and opened, with cpdfolio's settings.

Every command starts here, whatever engine lays out the site: mkdocs.yml is
where a member keeps their choices.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from .records.model import Problem
from .settings import Settings
from .site.layout import Layout


class ProjectError(Exception):
    """A portfolio folder that MkDocs cannot open; the message says why."""


def find_config(directory: str | os.PathLike) -> Path:
    """DIR/mkdocs.yml, or the nearest one above DIR: `check` run inside portfolio/ works."""
    start = Path(directory)
    for folder in (start, *start.resolve().parents):
        config_file = folder / "mkdocs.yml"
        if config_file.is_file():
            return config_file if folder == start else Path(os.path.relpath(config_file))
    raise ProjectError(
        f"no mkdocs.yml in {start} or any folder above it: give the folder that holds the "
        f"portfolio's mkdocs.yml (or create one with a 'plugins: [search, cpdfolio]' list)"
    )


def private_build_refused(site_dir: str | os.PathLike) -> str:
    """Why a build with include_private is refused: a built site/ is what gh-deploy
    publishes and what gets copied about."""
    return (
        "cpdfolio: include_private: true is for your own preview with "
        "'cpdfolio serve' only; a build would write your private records into "
        f"{os.path.basename(os.fspath(site_dir)) or 'site'}/, from where they get "
        "published. Preview with 'cpdfolio serve', or set include_private: false"
    )


def open_project(directory: str | os.PathLike) -> tuple[MkDocsConfig, Settings]:
    """The MkDocs config of DIR/mkdocs.yml (or the nearest above) and its cpdfolio settings."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file = find_config(directory)
    try:
        config = load_config(config_file=str(config_file))
    except ConfigurationError as error:
        raise ProjectError(f"{config_file}: {error}") from None
    from .site.engines.mkdocs.options import settings_from
    from .site.engines.mkdocs.plugin import CpdfolioPlugin

    plugin = config.plugins.get("cpdfolio")
    if not isinstance(plugin, CpdfolioPlugin):
        raise ProjectError(f"{config_file} does not use cpdfolio: add it to 'plugins:'")
    try:
        return config, settings_from(plugin.config, config)
    except PluginError as error:
        raise ProjectError(str(error)) from None


def display_records(layout: Layout) -> str:
    """The records folder as the member would type it: relative to mkdocs.yml's folder."""
    try:
        return layout.records.relative_to(layout.root).as_posix()
    except ValueError:
        return os.path.relpath(layout.records)


def display_root(config: MkDocsConfig) -> str:
    """The docs folder as the member would type it: relative to mkdocs.yml's folder."""
    docs = Path(config.docs_dir)
    if config.config_file_path:
        try:
            return docs.relative_to(Path(config.config_file_path).parent.resolve()).as_posix()
        except ValueError:
            pass
    return os.path.relpath(docs)


def format_problems(problems: list[Problem], root: str) -> str:
    return "\n".join(f"  {root}/{problem}" for problem in problems)
