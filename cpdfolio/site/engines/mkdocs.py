"""MkDocs (and ProperDocs, its maintained fork): cpdfolio's plugin generates the pages.

The plugin (cpdfolio/plugin.py) is what `mkdocs build` runs; this module is
what `cpdfolio build --engine mkdocs` runs.
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
    from ...plugin import build_site

    return build_site(directory, strict=strict, site_dir=site_dir, offline=offline)


def serve(directory: str | os.PathLike, dev_addr: str | None = None) -> None:
    from ...plugin import serve_site

    serve_site(directory, dev_addr)
