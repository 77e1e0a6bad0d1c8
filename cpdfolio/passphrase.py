"""Where a passphrase comes from, and how hard to guess it must be.

What it locks is done elsewhere: the site by sealing.py, after any engine has
built it; the printout by binding.py (AES-256, pikepdf).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV = "CPDFOLIO_PASSPHRASE"
# zxcvbn's scale of 0 to 4; 3 is "safely unguessable" to a slow offline guesser. Below
# it the encrypted site (or PDF), copied, falls to guesses tried at leisure, no lockout.
MIN_SCORE = 3
# zxcvbn's time grows with the length; its verdict does not change past this.
_SCORED_CHARACTERS = 100


def from_option_or_env(option: str, environ: Mapping[str, str] = os.environ) -> str:
    """The passphrase: CPDFOLIO_PASSPHRASE when set (even empty), else the option."""
    return environ[ENV] if ENV in environ else option


def weakness(secret: str) -> str | None:
    """Why the passphrase is too weak, with how soon it would be guessed; None if strong."""
    from zxcvbn import zxcvbn

    result = zxcvbn(secret[:_SCORED_CHARACTERS])
    if result["score"] >= MIN_SCORE:
        return None
    # Guesses at 10,000 a second: a copied site, tried offline against its slow key.
    guessed = result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]
    hint = result["feedback"]["warning"]
    return (
        f"the passphrase is too easy to guess: anyone with a copy of the site or the PDF "
        f"could find it in {guessed}"
        + (f" ({hint.rstrip('.')})" if hint else "")
        + ". Four or more random words make a strong one"
    )


def written_in(config_file: str | os.PathLike | None, secret: str) -> str | None:
    """A warning when the passphrase is written in mkdocs.yml, where others read it."""
    path = Path(config_file) if config_file else None
    if path is None or not path.is_file() or secret not in path.read_text("utf-8"):
        return None
    return (
        f"{path.name} holds the passphrase in clear, for anyone who sees the file or its "
        f"repository; set {ENV} instead"
    )
