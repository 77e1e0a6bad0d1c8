"""Where a passphrase comes from, and how long it must be.

What it locks is done elsewhere: the site by sealing.py, after any engine has
built it; the printout by binding.py (AES-256, pikepdf).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

ENV = "CPDFOLIO_PASSPHRASE"
# Below this a passphrase is within reach of an offline guesser: the encrypted site
# can be copied and tried against at leisure, with no lockout.
MIN_LENGTH = 12


def from_option_or_env(option: str, environ: Mapping[str, str] = os.environ) -> str:
    """The passphrase: CPDFOLIO_PASSPHRASE when set (even empty), else the option."""
    return environ[ENV] if ENV in environ else option
