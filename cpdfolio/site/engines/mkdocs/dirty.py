"""`cpdfolio serve`'s quick rebuilds: only the pages an edit changed are made again.

MkDocs' dirty builds redo the pages whose Markdown is newer than their HTML;
a cpdfolio page also shows other records and the navigation, so `DirtyBuilds`
removes the HTML of every page whose content changed since the last build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.utils import clean_directory

from ...pages import SitePage
from .search import other_search


class DirtyBuilds:
    """What the last build made each page from, kept across the preview's rebuilds."""

    def __init__(self) -> None:
        self.frame = self.next_frame = ""
        self.built: dict[str, str] = {}
        self.outputs: set[str] = set()

    def prepare(
        self,
        files: Files,
        config: MkDocsConfig,
        nav: Navigation,
        pages: Mapping[str, SitePage],
        hidden: Iterable[str],
        sealed: bool,
    ) -> None:
        """Remove what a dirty build must make again; MkDocs skips a page whose output is there.

        MkDocs rebuilds only the pages whose Markdown file is newer than their
        HTML. A cpdfolio page also shows other records (titles, goals, lists) and
        the navigation, so its HTML is removed whenever what it is made from has
        changed, and the whole site when the navigation, the files or mkdocs.yml
        have. Pages of records that left the site go too, and the pages of the
        navigation are always made again: MkDocs reads a page's title only when
        it builds it, and the navigation of every rebuilt page names them.
        """
        config_file = Path(config.config_file_path) if config.config_file_path else None
        # Another search plugin than Material's would index only the rebuilt pages;
        # with a passphrase, every page kept is a lock page that MkDocs would take
        # for built and sealing would seal again: build all.
        whole = sealed or other_search(config)
        frame = digest(
            [
                config.nav,
                sorted((src, page.title) for src, page in pages.items()),
                sorted((f.src_uri, f.url) for f in files),
                sorted(hidden),
                config_file.read_text("utf-8") if config_file and config_file.is_file() else "",
            ]
        )
        built = {src: digest([page.fill(page.markdown)]) for src, page in pages.items()}
        outputs = {f.abs_dest_path for f in files}
        if frame != self.frame or whole:
            # Nothing to keep: as a clean build. Also the first build of a plugin instance.
            clean_directory(config.site_dir)
        else:
            changed = [src for src, digest in built.items() if self.built.get(src) != digest]
            for path in [
                *(files.src_uris[src].abs_dest_path for src in changed if src in files.src_uris),
                *(page.file.abs_dest_path for page in nav.pages),
                *(self.outputs - outputs),
            ]:
                if os.path.isfile(path):
                    os.remove(path)
        # The frame is kept once the build has succeeded; a failed one leaves it empty.
        self.frame, self.next_frame, self.built, self.outputs = "", frame, built, outputs

    def succeeded(self) -> None:
        """The build went through: its frame is what the next one is compared with."""
        self.frame = self.next_frame


def digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, default=str).encode()).hexdigest()


class DirtyBuildNote(logging.Filter):
    """MkDocs' warning that a dirty build leaves links stale: cpdfolio's do not."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build is being performed" not in record.getMessage()
