"""cpdfolio's options in mkdocs.yml, as a typed schema, and the settings they give."""

from __future__ import annotations

import contextlib
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from .... import passphrase
from ....frameworks import FrameworkError, combine, load_framework
from ....printout import ARCHIVE_AND_PASSPHRASE
from ....records.markup import DEFAULT_LOCALE, parse_locale
from ....records.period import PeriodError, parse_period
from ....settings import Settings


class _PeriodOption(c.BaseConfigOption):
    """A period name (`last-12-months`, ...), a year, or {from:, to:}; unset: the default."""

    def __init__(self, default: object) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> object:
        if value is None:
            return None
        try:
            parse_period(value)
        except PeriodError as error:
            raise c.ValidationError(str(error)) from None
        return value


class _LocaleOption(c.BaseConfigOption):
    """A locale such as en-GB, en-US or de-DE, normalised to that form."""

    def __init__(self, default: str) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> str:
        try:
            return parse_locale(value)
        except ValueError as error:
            raise c.ValidationError(str(error)) from None


class CpdfolioConfig(base.Config):
    # The records folder; docs_dir then names what an engine alone may read (see site/).
    records = c.Type(str, default="")
    owner = c.Type(str, default="")
    registration = c.Type(str, default="")
    # Unset means "default"; set together with `frameworks:` it is an error.
    framework = c.Optional(c.Type(str))
    frameworks = c.Optional(c.ListOfItems(c.Type(str)))
    # Unset means DEFAULT_PERIOD, except in a printout for a body with its own window.
    period = _PeriodOption(default=None)
    pdf = c.Type((str, bool), default="cpd-portfolio.pdf")
    pdf_on_serve = c.Type(bool, default=False)
    pdf_archive = c.Type(bool, default=False)
    include_private = c.Type(bool, default=False)
    locale = _LocaleOption(default=DEFAULT_LOCALE)
    passphrase = c.Type(str, default="")
    print_checks = c.Type(bool, default=False)
    print_draft_profile = c.Type(bool, default=False)
    audit_statement = c.Type(str, default="")


DEFAULT_PERIOD = "last-12-months"

# A period the command line gives `build`, `bundle` or `serve`, in place of mkdocs.yml's.
# `mkdocs serve` reads mkdocs.yml again for every rebuild, so the override cannot
# travel inside a config object; it lives here while the command runs.
_period_override: object = None


@contextlib.contextmanager
def period_override(value: object):
    """Build with this period (as `--period` gives it) instead of mkdocs.yml's."""
    global _period_override
    before, _period_override = _period_override, value
    try:
        yield
    finally:
        _period_override = before


def settings_from(options: CpdfolioConfig, config: MkDocsConfig) -> Settings:
    base_dir = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    names = options.frameworks
    if names is not None and options.framework is not None:
        raise PluginError(
            "cpdfolio: give either 'framework:' (one body) or 'frameworks:' (a list, the "
            "first giving categories and headings), not both"
        )
    if names is not None and not names:
        raise PluginError(
            "cpdfolio: 'frameworks:' is empty; list one or more, like [uk-spec, hcpc]"
        )
    try:
        framework = combine(
            [load_framework(n, base_dir) for n in names or [options.framework or "default"]]
        )
    except FrameworkError as error:
        raise PluginError(f"cpdfolio: {error}") from None
    pdf = options.pdf
    secret = passphrase.from_option_or_env(options.passphrase)
    if options.pdf_archive and secret:
        raise PluginError(f"cpdfolio: {ARCHIVE_AND_PASSPHRASE}")
    period = _period_override if _period_override is not None else options.period
    return Settings(
        owner=options.owner,
        registration=options.registration,
        framework=framework,
        period=parse_period(DEFAULT_PERIOD if period is None else period),
        period_name=str(DEFAULT_PERIOD if period is None else period),
        period_chosen=period is not None,
        print_checks=options.print_checks,
        print_draft_profile=options.print_draft_profile,
        audit_statement=options.audit_statement,
        pdf=None if pdf is False else ("cpd-portfolio.pdf" if pdf is True else pdf),
        include_private=options.include_private,
        locale=options.locale,
        passphrase=secret,
        archive=options.pdf_archive,
    )
