"""MkDocs (and ProperDocs, its maintained fork): cpdfolio's plugin generates the pages.

- `plugin`: the plugin `mkdocs build` runs (entry point `cpdfolio`);
- `options`: its options in mkdocs.yml, as a typed schema, and the settings they give;
- `search`: Material's search, fed the pages as a reader searches them;
- `dirty`: `cpdfolio serve`'s quick rebuilds, of the pages an edit changes;
- `commands`: what `cpdfolio build --engine mkdocs` and `cpdfolio serve` run.
"""

from __future__ import annotations

import os
from pathlib import Path


def build(
    directory: str | os.PathLike,
    *,
    strict: bool = False,
    site_dir: str | os.PathLike | None = None,
    offline: bool = False,
) -> Path:
    from .commands import build_site

    return build_site(directory, strict=strict, site_dir=site_dir, offline=offline)


def serve(directory: str | os.PathLike, dev_addr: str | None = None) -> None:
    from .commands import serve_site

    serve_site(directory, dev_addr)
