"""`cpdfolio build` and `cpdfolio serve` on MkDocs: the engine run for the command line."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from ....project import ProjectError, find_config, open_project
from .dirty import DirtyBuildNote
from .plugin import CpdfolioPlugin

# Material's search runs in a Web Worker, which Chromium and Firefox refuse to start
# from file://; this shim (shipped in theme/, so nothing is fetched) runs it in an iframe.
# The offline plugin adds unpkg's copy unless a polyfill named iframe-worker is there.
IFRAME_WORKER = "assets/cpdfolio/vendor/iframe-worker.js"


def build(
    directory: str | os.PathLike,
    strict: bool = False,
    *,
    site_dir: str | os.PathLike | None = None,
    offline: bool = False,
) -> Path:
    """`mkdocs build` for the portfolio in DIR; returns the site folder.

    `offline=True` builds the site to be opened from disk (file://, no server): plain
    `.html` links and Material's offline plugin for search, added here so that the
    member's mkdocs.yml stays as it is. It is the site that is sent to someone, so
    private records stay out even when mkdocs.yml has `include_private: true`.
    """
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import Abort

    config, _ = open_project(directory)
    config.strict = strict or config.strict
    if site_dir is not None:
        config.site_dir = os.fspath(site_dir)
    if offline:
        _prepare_offline(config)
    try:
        mkdocs_build(config)
    except (Abort, PluginError) as error:
        raise ProjectError(str(error)) from None
    return Path(config.site_dir)


def _prepare_offline(config: MkDocsConfig) -> None:
    """Turn a loaded config into one for a site read from disk."""
    from material.plugins.offline.plugin import OfflinePlugin

    plugin = config.plugins["cpdfolio"]
    assert isinstance(plugin, CpdfolioPlugin)  # open_project checked it
    plugin.config.include_private = False
    config.use_directory_urls = False
    # Instant navigation fetches pages with XHR, which file:// does not allow.
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
    config.extra["polyfills"] = [*config.extra.get("polyfills", []), IFRAME_WORKER]
    if not any(isinstance(p, OfflinePlugin) for p in config.plugins.values()):
        offline = OfflinePlugin()
        errors, _ = offline.load_config({}, config.config_file_path)
        if errors:  # pragma: no cover - the plugin has one boolean option with a default
            raise ProjectError(f"material/offline: {errors}")
        config.plugins["material/offline"] = offline


def serve(directory: str | os.PathLike, dev_addr: str | None = None) -> None:
    """`mkdocs serve --dirty` for the portfolio in DIR, until interrupted.

    A full rebuild of a thousand records takes longer than a member should wait
    for an edit to show; the plugin's dirty builds redo only the pages an edit
    changes (see CpdfolioPlugin.prepare_dirty_build).
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import Abort

    config_file = find_config(directory)
    open_project(directory)  # fail early, with our message, before the server starts
    options = {"dev_addr": dev_addr} if dev_addr else {}
    notes = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, DirtyBuildNote) for f in notes.filters):
        notes.addFilter(DirtyBuildNote())
    try:
        mkdocs_serve(config_file=str(config_file), build_type="dirty", **options)
    except Abort as error:
        raise ProjectError(str(error)) from None
