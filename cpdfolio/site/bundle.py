"""One zip of the site and the printout, to email or upload, that opens from disk."""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import pipeline


@dataclass(frozen=True)
class Bundle:
    """What `write_bundle` wrote: the zip, its top folder, and how many files it holds."""

    path: Path
    folder: str
    files: int


def write_bundle(
    directory: str | os.PathLike, target: str | os.PathLike, engine: str = "mkdocs"
) -> Bundle:
    """Build the portfolio in DIR for file:// and write it, with its PDF, as one zip.

    Everything sits in one top folder named after the zip, so unzipping makes one
    folder with `index.html` in it. The zip is written beside `target` under a
    temporary name and then renamed: a failed build leaves no zip, nor half of one.
    Raises `ProjectError` when the portfolio does not build.
    """
    target = Path(target)
    folder = target.stem if target.suffix.lower() == ".zip" else target.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cpdfolio-bundle-") as temporary:
        site = pipeline.build(directory, engine, site_dir=Path(temporary) / "site", offline=True)
        files = sorted(p for p in site.rglob("*") if p.is_file())
        handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(handle)
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                for file in files:
                    archive.write(file, f"{folder}/{file.relative_to(site).as_posix()}")
            os.replace(partial, target)
        except BaseException:
            os.unlink(partial)
            raise
    return Bundle(target, folder, len(files))
