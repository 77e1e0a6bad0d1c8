"""The MkDocs plugin: the only module that knows MkDocs.

It loads the portfolio when the config is ready (so bad records stop the build
before anything is written), removes private records and their files, adds the
generated pages and the navigation, and hands each record page its Markdown.
"""

from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from . import passphrase
from .audit import audit
from .frameworks import FrameworkError, load_framework
from .loader import LoadResult, load, read_statement
from .markup import DEFAULT_LOCALE, parse_locale
from .model import Problem
from .pages import HOME, Site, SitePage
from .period import PeriodError, parse_period
from .printout import describe, write_pdf
from .privacy import drop_links_to, private_files, referenced_files
from .settings import Settings

log = logging.getLogger("mkdocs.plugins.cpdfolio")

# Extensions the generated pages are written for.
MARKDOWN_EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition", "toc")
STYLESHEET = "assets/cpdfolio/cpdfolio.css"


class _PeriodOption(c.BaseConfigOption):
    """`last-12-months`, `calendar-year`, `all`, a year, or {from:, to:}."""

    def __init__(self, default: object) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> object:
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
    owner = c.Type(str, default="")
    registration = c.Type(str, default="")
    framework = c.Type(str, default="default")
    period = _PeriodOption(default="last-12-months")
    pdf = c.Type((str, bool), default="cpd-portfolio.pdf")
    pdf_on_serve = c.Type(bool, default=False)
    include_private = c.Type(bool, default=False)
    locale = _LocaleOption(default=DEFAULT_LOCALE)
    passphrase = c.Type(str, default="")


def theme_dir() -> Path:
    """The folder of templates and CSS shipped inside the package."""
    return Path(str(resources.files("cpdfolio.theme")))


class CpdfolioPlugin(BasePlugin[CpdfolioConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.result: LoadResult | None = None
        self.pages: dict[str, SitePage] = {}
        self.serving = False
        # Private record pages left out of this build, which no link may name.
        self.hidden: set[str] = set()
        # With a passphrase: the files records refer to, by site URL, carried inside
        # the (encrypted) pages that link them instead of beside them.
        self.sealed: dict[str, File] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = settings_from(self.config, config)
        self.result = load(config.docs_dir, self.settings.framework)
        raise_for_problems(self.result.problems, display_root(config))
        if config.theme.name != "material":
            log.warning("cpdfolio is made for 'theme: material'; other themes may look wrong")
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(theme_dir()))
        config.extra_css.append(STYLESHEET)
        for extension in MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if self.settings.passphrase:
            _protect(config, self.settings.passphrase)
        elif self.config.passphrase:
            log.warning(
                f"cpdfolio: {passphrase.ENV} is set but empty: the site and the printout are "
                f"built without the passphrase of mkdocs.yml, readable by anyone"
            )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None and self.result is not None  # set in on_config
        portfolio = self.result.portfolio
        for file in list(files):
            # A link to a file that is gone (evidence not fetched yet, say) would stop
            # MkDocs with a traceback when it copies the file.
            if file.abs_src_path and not os.path.exists(file.abs_src_path):
                log.warning(
                    f"{display_root(config)}/{file.src_uri}: is a link to a file that does "
                    f"not exist; left out of the site"
                )
                files.remove(file)
        self.hidden = set()
        if not self.settings.include_private:
            self.hidden = {r.path for r in portfolio.records if not r.share}
            for path in private_files(portfolio):
                file = files.get_file_from_path(path)
                if file is not None:
                    files.remove(file)
        record_paths = self.result.record_paths
        others = [
            f.src_uri
            for f in files.documentation_pages()
            if f.src_uri not in record_paths and f.src_uri != HOME
        ]
        settings = self.settings
        if not self.printing():
            settings = replace(settings, pdf=None)  # no link to a printout that is not made
        try:
            checks = audit(portfolio, settings.framework, settings.period, locale=settings.locale)
        except FrameworkError as error:
            raise PluginError(f"cpdfolio: {error}") from None
        site = Site(
            portfolio,
            settings,
            statement=read_statement(config.docs_dir),
            other_pages=others,
            checks=checks,
        )
        self.pages = {}
        for page in site.generated_pages():
            if files.get_file_from_path(page.src) is not None:
                raise PluginError(
                    f"{display_root(config)}/{page.src}: cpdfolio generates a page at this "
                    f"path; rename or move your file"
                )
            files.append(File.generated(config, page.src, content=page.markdown))
            self.pages[page.src] = page
        home = site.home_page()
        if files.get_file_from_path(HOME) is None:
            files.append(File.generated(config, HOME, content=home.markdown))
        self.pages[HOME] = home
        for page in site.record_pages():
            self.pages[page.src] = page
        for activity in portfolio.activities:
            file = files.get_file_from_path(activity.path)
            if file is not None:
                # Activities are reached from the dashboard, goals, years and categories.
                file.inclusion = InclusionLevel.NOT_IN_NAV
        if config.nav is None:
            config.nav = site.nav()
        self.sealed = {}
        if self.settings.passphrase:
            for record in portfolio.records:
                for path in referenced_files(record):
                    file = files.get_file_from_path(path)
                    if file is not None and not file.is_documentation_page():
                        self.sealed[file.url] = file
        return files

    def printing(self) -> bool:
        """Whether this build makes the printout; serve skips it unless asked."""
        assert self.settings is not None
        return bool(self.settings.pdf) and (not self.serving or self.config.pdf_on_serve)

    def on_page_content(
        self, content: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.sealed:
            return None
        # Before encryptcontent takes the HTML to encrypt: the files go in with it.
        paths = {url: Path(f.abs_src_path) for url, f in self.sealed.items() if f.abs_src_path}
        return passphrase.embed_files(content, page.url, paths)

    def on_env(self, env, config: MkDocsConfig, files: Files):
        """The sealed files are inside their pages now; they are not copied beside them."""
        for file in self.sealed.values():
            if file.src_uri in files:
                files.remove(file)
        return env

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str | None:
        if not self.settings or not self.settings.passphrase:
            return None
        # Material puts the page's title in <title>; before the passphrase is given,
        # a tab or a search engine should see the site's name and nothing of a record.
        return _TITLE.sub(f"<title>{html.escape(config.site_name)}</title>", output, count=1)

    # After encryptcontent (-200) has taken the records out of the search index.
    @event_priority(-300)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The printout, once the site is written: a failed site never gets one."""
        assert self.settings is not None and self.result is not None
        if self.settings.passphrase:
            site = Path(config.site_dir)
            passphrase.refresh_offline_index(site)
            passphrase.write_search_script(site)
        if not self.printing():
            if self.settings.pdf:
                log.info("cpdfolio: no printout while serving (set pdf_on_serve: true for one)")
            return
        target = Path(config.site_dir) / self.settings.pdf
        printout = write_pdf(
            self.result.portfolio,
            target,
            self.settings,
            config.docs_dir,
            statement=read_statement(config.docs_dir),
            extensions=list(config.markdown_extensions),
            extension_configs=dict(config.mdx_configs),
        )
        log.info(f"cpdfolio: printout written to {self.settings.pdf} ({describe(printout)})")

    def on_page_markdown(
        self, markdown: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is None:
            return drop_links_to(markdown, page.file.src_uri, self.hidden)
        # Material writes page.meta.title into the HTML unescaped; front matter
        # keys like `status` also mean something to Material. Replace them all.
        page.meta = {"title": html.escape(site_page.title)}
        return drop_links_to(site_page.markdown, page.file.src_uri, self.hidden)


_TITLE = re.compile(r"<title>.*?</title>", re.S)
ENCRYPTCONTENT = "encryptcontent"
UNLOCK_FORM = "encryptcontent/unlock-form.html"
UNLOCK_SEARCH = "assets/cpdfolio/unlock-search.js"
# Parts of every page, outside its content, that name pages and headings: the
# navigation, the table of contents, tabs, breadcrumbs, the header's page title and
# the footer's previous/next. Encrypted with the page; the primary navigation
# first, as the table of contents sits inside it too.
ENCRYPTED_PARTS = {
    "md-nav--primary": ["nav", "class"],
    "md-nav--secondary": ["nav", "class"],
    "md-tabs": ["nav", "class"],
    "md-path": ["nav", "class"],
    "md-header__topic": ["div", "class"],
    "md-footer__inner": ["nav", "class"],
}


class _EncryptcontentNotes(logging.Filter):
    """encryptcontent's notes that are not the member's business.

    cpdfolio decrypts the search index for Material itself, and judges the
    passphrase by its own rule; the plugin's chatter about its features stays out.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return record.levelno >= logging.WARNING and not (
            "needs to be customized (patched)" in message or "brute-force" in message
        )


def _protect(config: MkDocsConfig, secret: str) -> None:
    """Add mkdocs-encryptcontent-plugin, after search, to encrypt every page with `secret`."""
    from encryptcontent.plugin import encryptContentPlugin

    if ENCRYPTCONTENT in config.plugins:
        raise PluginError(
            "cpdfolio: with a passphrase, cpdfolio sets up encryptcontent itself; "
            "remove 'encryptcontent' from the plugins of mkdocs.yml"
        )
    if len(secret) < passphrase.MIN_LENGTH:
        log.warning(
            f"cpdfolio: the passphrase has fewer than {passphrase.MIN_LENGTH} characters; "
            f"anyone with a copy of the site can try guesses offline, without limit. "
            f"Four or more random words make a strong one"
        )
    config_file = Path(config.config_file_path) if config.config_file_path else None
    if config_file and config_file.is_file() and secret in config_file.read_text("utf-8"):
        log.warning(
            f"cpdfolio: {config_file.name} holds the passphrase in clear, for anyone who "
            f"sees the file or its repository; set {passphrase.ENV} instead"
        )
    notes = logging.getLogger("mkdocs.plugins.encryptcontent")
    if not any(isinstance(f, _EncryptcontentNotes) for f in notes.filters):
        notes.addFilter(_EncryptcontentNotes())
    plugin = encryptContentPlugin()
    # Its state is a dict on the class; one per instance keeps builds apart.
    plugin.setup = {}
    errors, _ = plugin.load_config(
        {
            "global_password": secret,
            # The records' search entries are encrypted with the pages, and
            # unlock-search.js hands them to Material's search once unlocked.
            "search_index": "dynamically",
            "encrypted_something": ENCRYPTED_PARTS,
            "html_template_path": str(theme_dir() / UNLOCK_FORM),
            "summary": "This portfolio is protected",
            "encryption_info_message": "Enter the passphrase you were given to read it.",
            "placeholder": "Passphrase",
            "password_button": True,
            "password_button_text": "Unlock",
            "decryption_failure_message": "That passphrase does not open this portfolio.",
            "title_prefix": "",
            # Every page is locked: a lock beside each entry of the navigation says nothing.
            "tag_encrypted_page": False,
            # Keeps the key for this browser tab only, so that one unlock opens every
            # page; the passphrase itself is never stored.
            "remember_keys": True,
            "remember_password": False,
            # A module script (the default) does not load from disk; the browser's own
            # WebCrypto needs no library from the internet.
            "esm": False,
            "webcrypto": True,
            # Its cache beside mkdocs.yml would hold the derived key in clear.
            "cache_file": "",
            "threshold_warning_min_entropy": 0,
        },
        config.config_file_path,
    )
    if errors:  # pragma: no cover - the options above are all of its schema
        raise PluginError(f"cpdfolio: encryptcontent: {errors}")
    # Last, so that search has indexed a page before encryptcontent replaces it.
    # MkDocs is running the config event: a plugin added now gets it too.
    config.plugins[ENCRYPTCONTENT] = plugin
    config.extra["polyfills"] = [*config.extra.get("polyfills", []), UNLOCK_SEARCH]
    # Material's 404 page has the navigation in clear and no content to encrypt.
    config.theme.static_templates.discard("404.html")


def settings_from(options: CpdfolioConfig, config: MkDocsConfig) -> Settings:
    base_dir = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
    try:
        framework = load_framework(options.framework, base_dir)
    except FrameworkError as error:
        raise PluginError(f"cpdfolio: {error}") from None
    pdf = options.pdf
    return Settings(
        owner=options.owner,
        registration=options.registration,
        framework=framework,
        period=parse_period(options.period),
        period_name=str(options.period),
        pdf=None if pdf is False else ("cpd-portfolio.pdf" if pdf is True else pdf),
        include_private=options.include_private,
        locale=options.locale,
        passphrase=passphrase.from_option_or_env(options.passphrase),
    )


def display_root(config: MkDocsConfig) -> str:
    """The docs folder as the member would type it: relative to mkdocs.yml's folder."""
    docs = Path(config.docs_dir)
    if config.config_file_path:
        try:
            return docs.relative_to(Path(config.config_file_path).parent.resolve()).as_posix()
        except ValueError:
            pass
    return os.path.relpath(docs)


def format_problems(problems: list[Problem], root: str) -> str:
    return "\n".join(f"  {root}/{problem}" for problem in problems)


def raise_for_problems(problems: list[Problem], root: str) -> None:
    """Warnings to the log; errors all at once, as one PluginError."""
    for problem in problems:
        if not problem.is_error:
            log.warning(f"{root}/{problem}")
    errors = [p for p in problems if p.is_error]
    if errors:
        count = f"{len(errors)} error" + ("s" if len(errors) > 1 else "")
        raise PluginError(
            f"cpdfolio: the portfolio has {count}; nothing was built:\n"
            + format_problems(errors, root)
        )


# -- running MkDocs for the command line -------------------------------------------


class ProjectError(Exception):
    """A portfolio folder that MkDocs cannot open; the message says why."""


def open_project(directory: str | os.PathLike) -> tuple[MkDocsConfig, Settings]:
    """The MkDocs config of DIR/mkdocs.yml and the cpdfolio settings in it."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    config_file = Path(directory) / "mkdocs.yml"
    if not config_file.is_file():
        raise ProjectError(
            f"{config_file} not found: give the folder that holds the portfolio's mkdocs.yml "
            f"(or create one with a 'plugins: [search, cpdfolio]' list)"
        )
    try:
        config = load_config(config_file=str(config_file))
    except ConfigurationError as error:
        raise ProjectError(f"{config_file}: {error}") from None
    plugin = config.plugins.get("cpdfolio")
    if not isinstance(plugin, CpdfolioPlugin):
        raise ProjectError(f"{config_file} does not use cpdfolio: add it to 'plugins:'")
    try:
        return config, settings_from(plugin.config, config)
    except PluginError as error:
        raise ProjectError(str(error)) from None


# Material's search runs in a Web Worker, which Chromium and Firefox refuse to start
# from file://; this shim (shipped in theme/, so nothing is fetched) runs it in an iframe.
# The offline plugin adds unpkg's copy unless a polyfill named iframe-worker is there.
IFRAME_WORKER = "assets/cpdfolio/vendor/iframe-worker.js"


def build_site(
    directory: str | os.PathLike,
    strict: bool = False,
    *,
    site_dir: str | os.PathLike | None = None,
    offline: bool = False,
) -> Path:
    """`mkdocs build` for the portfolio in DIR; returns the site folder.

    `offline=True` builds the site to be opened from disk (file://, no server): plain
    `.html` links and Material's offline plugin for search, added here so that the
    member's mkdocs.yml stays as it is. It is the site that is sent to someone, so
    private records stay out even when mkdocs.yml has `include_private: true`.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort

    config, _ = open_project(directory)
    config.strict = strict or config.strict
    if site_dir is not None:
        config.site_dir = os.fspath(site_dir)
    if offline:
        _prepare_offline(config)
    try:
        build(config)
    except (Abort, PluginError) as error:
        raise ProjectError(str(error)) from None
    return Path(config.site_dir)


def _prepare_offline(config: MkDocsConfig) -> None:
    """Turn a loaded config into one for a site read from disk."""
    from material.plugins.offline.plugin import OfflinePlugin

    plugin = config.plugins["cpdfolio"]
    assert isinstance(plugin, CpdfolioPlugin)  # open_project checked it
    plugin.config.include_private = False
    config.use_directory_urls = False
    # Instant navigation fetches pages with XHR, which file:// does not allow.
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if not f.startswith("navigation.instant")]
    config.extra["polyfills"] = [*config.extra.get("polyfills", []), IFRAME_WORKER]
    if not any(isinstance(p, OfflinePlugin) for p in config.plugins.values()):
        offline = OfflinePlugin()
        errors, _ = offline.load_config({}, config.config_file_path)
        if errors:  # pragma: no cover - the plugin has one boolean option with a default
            raise ProjectError(f"material/offline: {errors}")
        config.plugins["material/offline"] = offline


def serve_site(directory: str | os.PathLike, dev_addr: str | None = None) -> None:
    """`mkdocs serve` for the portfolio in DIR, until interrupted."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort

    open_project(directory)  # fail early, with our message, before the server starts
    options = {"dev_addr": dev_addr} if dev_addr else {}
    try:
        serve(config_file=str(Path(directory) / "mkdocs.yml"), **options)
    except Abort as error:
        raise ProjectError(str(error)) from None
