"""The member's choices for a portfolio, as the plugin options give them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .frameworks import Framework, load_framework
from .records.markup import DEFAULT_LOCALE
from .records.model import Period


@dataclass(frozen=True)
class Settings:
    owner: str = ""
    registration: str = ""
    # What the records are read against: with several bodies, their combination
    # (frameworks.combine); `body` is the one the checks and printout answer to.
    framework: Framework = field(default_factory=lambda: load_framework("default"))
    period: Period = field(default_factory=Period)
    period_name: str = "all"
    # Whether the member chose the period (mkdocs.yml or the command line); if not, a
    # printout for a body with a window of its own (HCPC: two years) covers that.
    period_chosen: bool = True
    pdf: str | None = "cpd-portfolio.pdf"
    include_private: bool = False
    # How dates are written on the site and in the printout (a CLDR locale, en-GB form).
    locale: str = DEFAULT_LOCALE
    # The printout as PDF/A-3b, for a long-term archive (never with a passphrase).
    archive: bool = False
    # Locks the site and the printout; kept out of repr so no log or traceback shows it.
    passphrase: str = field(default="", repr=False)
    # The body the checks, the profile and the printout answer to, by name; "" the first.
    body_name: str = ""
    # What the printout shows an auditor beyond the records (see README, "What the
    # printout holds"): cpdfolio's own checks, and a profile it drafted.
    print_checks: bool = False
    print_draft_profile: bool = False
    # The member's declaration for the cover, such as the statement IMechE asks for.
    audit_statement: str = ""

    @property
    def bodies(self) -> tuple[Framework, ...]:
        """Each body the member answers to, in their order, as its checks see the records."""
        return self.framework.bodies or (self.framework,)

    @property
    def body(self) -> Framework:
        if self.body_name:
            return self.framework.for_body(self.body_name)
        return self.bodies[0]

    def for_body(self, name: str) -> Settings:
        """These settings answering to one body (FrameworkError if it is not one of them)."""
        self.framework.for_body(name)
        return replace(self, body_name=name)
