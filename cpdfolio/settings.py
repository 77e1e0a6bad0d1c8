"""The member's choices for a portfolio, as the plugin options give them."""

from __future__ import annotations

from dataclasses import dataclass, field

from .frameworks import Framework, load_framework
from .markup import DEFAULT_LOCALE
from .model import Period


@dataclass(frozen=True)
class Settings:
    owner: str = ""
    registration: str = ""
    framework: Framework = field(default_factory=lambda: load_framework("default"))
    period: Period = field(default_factory=Period)
    period_name: str = "all"
    pdf: str | None = "cpd-portfolio.pdf"
    include_private: bool = False
    # How dates are written on the site and in the printout (a CLDR locale, en-GB form).
    locale: str = DEFAULT_LOCALE
    # The printout as PDF/A-3b, for a long-term archive (never with a passphrase).
    archive: bool = False
    # Locks the site and the printout; kept out of repr so no log or traceback shows it.
    passphrase: str = field(default="", repr=False)
