"""One build, whatever the engine: generate the pages, let the engine lay them out, seal.

MkDocs runs the generation from cpdfolio's plugin (so that `mkdocs build`
works on its own); other engines ignore MkDocs plugins, so cpdfolio generates
the pages before calling them and writes the printout after. Both end in
`seal`, the one place where the built site is encrypted (sealing.py) when
there is a passphrase, before the generated pages are removed.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .generate import Generation
from .sealing import SealingKey, SealReport, seal_portfolio_site

#: The engines `cpdfolio build --engine` knows; the first is the default.
ENGINES = ("mkdocs", "zensical")


class SealingError(Exception):
    """A site with a passphrase that cannot be sealed here: nothing is published."""


def refuse_unsealed(passphrase: str, engine: str) -> None:
    """Stop before a preview that would serve the site in clear.

    `zensical serve` rebuilds and serves the site by itself, with no step after
    its build where cpdfolio could seal it; `cpdfolio build --engine zensical` seals.
    """
    if passphrase and engine != "mkdocs":
        raise SealingError(
            f"this portfolio has a passphrase, and the preview of {engine} would serve it "
            f"unsealed: nothing was served. Preview it with '--engine mkdocs', or build it "
            f"with '--engine {engine}', which seals the site"
        )


def seal(
    site_dir: Path,
    generation: Generation,
    engine: str,
    *,
    key: SealingKey | None = None,
    keep: Iterable[str] = (),
) -> SealReport | None:
    """Seal the built site in `site_dir` when the portfolio has a passphrase (sealing.py).

    Called once the engine has written the site and cpdfolio its printout (`keep`:
    already encrypted, left as it is); `key` is a key derived before, which a
    preview keeps between rebuilds. Raises sealing.SealingError, with the site
    emptied, when the output still shows record text or evidence in clear.
    """
    passphrase = generation.settings.passphrase
    if not passphrase:
        return None
    portfolio = generation.result.portfolio
    return seal_portfolio_site(
        site_dir, portfolio, generation.records, key or passphrase, keep=keep
    )


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
    from .engines.mkdocs import commands as mkdocs

    return mkdocs.build(directory, strict=strict, site_dir=site_dir, offline=offline)


def serve(directory: str | os.PathLike, engine: str = "mkdocs", dev_addr: str | None = None):
    """Preview the portfolio in DIR with `engine`, rebuilding on edits, until interrupted."""
    if engine == "zensical":
        from .engines import zensical

        return zensical.serve(directory, dev_addr)
    from .engines.mkdocs import commands as mkdocs

    return mkdocs.serve(directory, dev_addr)
