"""One build, whatever the engine: generate the pages, let the engine lay them out, seal.

MkDocs runs the generation from cpdfolio's plugin (so that `mkdocs build`
works on its own); other engines ignore MkDocs plugins, so cpdfolio generates
the pages before calling them and writes the printout after. Both end in
`seal`, the one place where the built site is encrypted when there is a
passphrase, before the generated pages are removed.
"""

from __future__ import annotations

import os
from pathlib import Path

from .generate import Generation

#: The engines `cpdfolio build --engine` knows; the first is the default.
ENGINES = ("mkdocs", "zensical")


class SealingError(Exception):
    """A site with a passphrase that this engine cannot encrypt: nothing is published."""


def refuse_unsealed(passphrase: str, engine: str) -> None:
    """Stop before building a site that would be published in clear."""
    if passphrase and engine != "mkdocs":
        raise SealingError(
            f"this portfolio has a passphrase, and cpdfolio cannot yet encrypt a site built "
            f"by {engine}: nothing was built. Build it with '--engine mkdocs', or remove the "
            f"passphrase to publish it readable by anyone"
        )


def seal(site_dir: Path, generation: Generation, engine: str) -> None:
    """Encrypt the built site in `site_dir` when the portfolio has a passphrase.

    Called once the engine has written the site, while `generation.folder`
    (the pages it was built from) still exists. On MkDocs the pages are
    encrypted as they are built (mkdocs-encryptcontent-plugin); any other
    engine was refused before it ran (`refuse_unsealed`).
    """
    refuse_unsealed(generation.settings.passphrase, engine)


def build(
    directory: str | os.PathLike,
    engine: str = "mkdocs",
    *,
    strict: bool = False,
    site_dir: str | os.PathLike | None = None,
    offline: bool = False,
) -> Path:
    """Build the site (and printout) of the portfolio in DIR with `engine`; the site folder."""
    if engine == "zensical":
        from .engines import zensical

        return zensical.build(directory, strict=strict, site_dir=site_dir, offline=offline)
    from .engines import mkdocs

    return mkdocs.build(directory, strict=strict, site_dir=site_dir, offline=offline)


def serve(directory: str | os.PathLike, engine: str = "mkdocs", dev_addr: str | None = None):
    """Preview the portfolio in DIR with `engine`, rebuilding on edits, until interrupted."""
    if engine == "zensical":
        from .engines import zensical

        return zensical.serve(directory, dev_addr)
    from .engines import mkdocs

    return mkdocs.serve(directory, dev_addr)
