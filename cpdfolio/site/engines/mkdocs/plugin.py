"""The MkDocs plugin: cpdfolio's pages handed to MkDocs (and ProperDocs) as it builds.

It loads the portfolio when the config is ready (so bad records stop the build
before anything is written), removes private records and their files, adds the
generated pages and the navigation, and hands each record page its Markdown.
"""

from __future__ import annotations

import contextlib
import html
import logging
import os
import posixpath
import shutil
from dataclasses import replace
from importlib import resources
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .... import passphrase
from ....audit.checks import audit, audit_each
from ....frameworks import FrameworkError
from ....printout import cache as printcache
from ....printout import describe, for_print, write_pdf
from ....printout import live as live_printout
from ....printout.live import LivePrintout
from ....project import (
    display_records,
    display_root,
    format_problems,
    private_build_refused,
)
from ....records import links
from ....records.loader import LoadResult, load, read_statement
from ....records.model import Problem
from ....records.privacy import drop_links_to, private_files
from ....settings import Settings
from ....site import sealing
from ....site.generate import MARKDOWN_EXTENSIONS, STYLESHEET, Generation, GenerationError, generate
from ....site.layout import Layout, read_layout, warn_if_unsafe
from ....site.pages import HOME, TITLE_ID, Site, SitePage
from ....site.pipeline import seal
from .dirty import DirtyBuilds
from .options import CpdfolioConfig, settings_from
from .search import merge_index

log = logging.getLogger("mkdocs.plugins.cpdfolio")


def theme_dir() -> Path:
    """The folder of templates and CSS shipped inside the package."""
    return Path(str(resources.files("cpdfolio.theme")))


class CpdfolioPlugin(BasePlugin[CpdfolioConfig]):
    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.result: LoadResult | None = None
        self.pages: dict[str, SitePage] = {}
        self.serving = False
        # Whether the preview's server has started: its first build may show errors.
        self.served = False
        # The records folder as the member types it, to name files in messages.
        self.shown_root = ""
        # Private record pages left out of this build, which no link may name.
        self.hidden: set[str] = set()
        # The audit of this build's period, for the dashboard and the printout alike.
        self.checks: list | None = None
        # With a passphrase: the key the site is sealed with, derived once per plugin
        # instance so that the preview's rebuilds open with the key the browser kept.
        self.sealing_key: tuple[str, sealing.SealingKey] | None = None
        # The site folder, and whether pages may be in it in clear (passphrase, not sealed yet).
        self.site_dir = ""
        self.unsealed = False
        # The navigation's HTML for pages outside it, by folder; see nav_once.
        self.navs: dict[tuple[str, bool], str] = {}
        self.nav_urls: list[str] = []
        # Dirty builds (`cpdfolio serve`): what the last build made each page from.
        self.dirty = False
        self.dirty_builds = DirtyBuilds()
        self.files: Files | None = None
        # The safe layout: the pages generated for this build, which MkDocs reads.
        self.layout: Layout | None = None
        self.generation: Generation | None = None
        self.urls: dict[str, str] = {}
        # `cpdfolio serve --pdf`: the printout made again in the background after each build.
        self.live: LivePrintout | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup also keeps this instance across `mkdocs serve` rebuilds.
        self.serving = command == "serve"
        self.dirty = dirty

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """Rebuild on edits to the records, not on cpdfolio writing the generated pages;
        a save that does not build shows its errors in the browser (see preview.py)."""
        from ...preview import ErrorsInBrowser

        if self.generation is not None and self.layout is not None:
            server.unwatch(str(self.generation.folder))
            server.watch(str(self.layout.records))

        def build() -> None:
            self.result = None  # errors before on_config are the engine's, not the records'
            builder()

        def build_errors() -> tuple[list[Problem], str]:
            return (list(self.result.errors) if self.result else []), self.shown_root

        errors = ErrorsInBrowser(build_errors)
        if self.result is not None and self.result.errors:  # the first build's, shown at once
            errors.fail(errors_found(self.result.errors, self.shown_root))
        self.served = True
        server.builder = errors.rebuild(build)
        server.set_app(errors.app(server.get_app()))
        return server

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.site_dir = config.site_dir
        self.settings = settings_from(self.config, config)
        if self.settings.include_private and not self.serving:
            raise PluginError(private_build_refused(config.site_dir))
        assert config.config_file_path  # MkDocs has read mkdocs.yml
        # On `serve` rebuilds docs_dir is already the generated folder: keep the first.
        if self.layout is None or self.generation is None:
            self.layout = read_layout(config.config_file_path, config.docs_dir, self.config.records)
        layout = self.layout
        warn_if_unsafe(layout)
        self.result = load(layout.records, self.settings.framework)
        self.shown_root = display_records(layout)
        if self.serving and not self.served and layout.safe and self.result.errors:
            # The preview starts all the same, from the records that load: the browser
            # shows the errors (on_serve) until a save mends them. None of the records
            # with an error is in the generated pages, so none is published.
            raise_for_problems(self.result.warnings, self.shown_root)
            log.error(
                f"cpdfolio: {errors_found(self.result.errors, self.shown_root)}\n"
                "The preview shows these errors until they are fixed."
            )
        else:
            raise_for_problems(self.result.problems, self.shown_root)
        if layout.safe:
            self._generate(config, layout)
        if config.theme.name != "material":
            log.warning("cpdfolio is made for 'theme: material'; other themes may look wrong")
        elif config.theme.get("font") is not False:
            # Material asks Google Fonts for its font on every page: an assessor's
            # address sent to a third party. The system's fonts read as well.
            config.theme["font"] = False
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(theme_dir()))
        config.extra_css.append(STYLESHEET)
        for extension in MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if self.settings.passphrase:
            _check_passphrase(config, self.settings.passphrase)
            # Material's 404 page would show the navigation with nothing to seal.
            config.theme.static_templates.discard("404.html")
        elif self.config.passphrase:
            log.warning(
                f"cpdfolio: {passphrase.ENV} is set but empty: the site and the printout are "
                f"built without the passphrase of mkdocs.yml, readable by anyone"
            )
        return config

    def _generate(self, config: MkDocsConfig, layout: Layout) -> None:
        """Write the pages MkDocs may publish, and point MkDocs at them instead of the records."""
        assert self.settings is not None and self.result is not None
        settings = self.settings if self.printing() else replace(self.settings, pdf=None)
        folder = self.generation.folder if self.generation else layout.pages_folder()
        try:
            self.generation = generate(
                layout.records,
                folder,
                settings,
                self.result,
                directory_urls=config.use_directory_urls,
            )
        except GenerationError as error:
            shutil.rmtree(folder, ignore_errors=True)
            layout.tidy()
            self.generation = None
            raise PluginError(f"cpdfolio: {error}") from None
        for path in self.generation.gone:
            log.warning(
                f"{display_records(layout)}/{path}: is a link to a file that does not exist; "
                f"left out of the site"
            )
        config.docs_dir = str(folder)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        files = self._files(files, config)
        if self.serving and self.printing():
            # serve --pdf: the printout's parts an edit changed are laid out while the
            # pages are made; bound once the site is built (`_write_printout`).
            if self.live is None:
                self.live = LivePrintout(self._project(config), self._records(config))
            target = Path(config.site_dir) / self.settings.pdf
            options = self._printout_options(config)
            self.live.request(self.result.portfolio, target, for_print(self.settings), options)
        return files

    def _files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None and self.result is not None  # set in on_config
        portfolio = self.result.portfolio
        # The lock page and its script are sealing's to write, not the theme's to copy.
        sealing_files = str(theme_dir() / "sealing")
        for file in list(files):
            if file.abs_src_path and file.abs_src_path.startswith(sealing_files):
                files.remove(file)
        if self.generation is not None:
            return self._generated_files(files, config, self.generation)
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
            readiness = audit_each(
                portfolio, settings.bodies, settings.period, locale=settings.locale
            )
            # The printout answers to the first body, over its own window if it has one.
            printing = for_print(self.settings)
            self.checks = audit(portfolio, printing.body, printing.period, locale=printing.locale)
        except FrameworkError as error:
            raise PluginError(f"cpdfolio: {error}") from None
        site = Site(
            portfolio,
            settings,
            statement=read_statement(config.docs_dir),
            other_pages=others,
            readiness=readiness,
            urls=_urls(files),
        )
        # The generated pages' files first, so that every page can link to any of them.
        generated: dict[str, File] = {}
        for src in site.generated_paths():
            if files.get_file_from_path(src) is not None:
                raise PluginError(
                    f"{display_root(config)}/{src}: cpdfolio generates a page at this "
                    f"path; rename or move your file"
                )
            generated[src] = File.generated(config, src, content="")
        if files.get_file_from_path(HOME) is None:
            generated[HOME] = File.generated(config, HOME, content="")
        for file in generated.values():
            files.append(file)
        self.pages = {}
        for page in [*site.generated_pages(), site.home_page(), *site.record_pages()]:
            if page.src in generated:
                generated[page.src].content_string = page.markdown
            self.pages[page.src] = page
        for activity in portfolio.activities:
            file = files.get_file_from_path(activity.path)
            if file is not None:
                # Activities are reached from the dashboard, goals, years and categories.
                file.inclusion = InclusionLevel.NOT_IN_NAV
        if config.nav is None:
            config.nav = site.nav()
        # Every file's URL, for the addresses of raw HTML in records (links.from_source).
        self.urls = {f.src_uri: f.url for f in files if not f.inclusion.is_excluded()}
        return files

    def _generated_files(self, files: Files, config: MkDocsConfig, generation: Generation) -> Files:
        """The files of the generated folder: pages in memory, activities out of the nav."""
        self.hidden = generation.hidden
        self.checks = generation.checks
        self.pages = dict(generation.pages)
        for activity in generation.result.portfolio.activities:
            file = files.get_file_from_path(activity.path)
            if file is not None:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        if config.nav is None:
            config.nav = generation.nav
        # Every file's URL, for the addresses of raw HTML in records (links.from_source).
        self.urls = {f.src_uri: f.url for f in files if not f.inclusion.is_excluded()}
        return files

    def on_build_error(self, *, error: Exception) -> None:
        """No page in clear, and no generated folder, left behind by a build that stopped.

        With a passphrase, pages are written in clear and sealed at the end; a
        failure in between (the printout, another plugin) would otherwise leave
        them for the next upload of the site folder.
        """
        if self.unsealed and Path(self.site_dir).is_dir():
            sealing.empty_site(Path(self.site_dir))
            log.error("cpdfolio: the site folder was emptied: the build stopped before sealing it")
        self.unsealed = False
        if not self.serving:
            self._remove_generation()

    def on_shutdown(self) -> None:
        if self.live is not None:
            self.live.stop()
        self._remove_generation()

    def _remove_generation(self) -> None:
        if self.generation is not None:
            self.generation.remove()
            self.generation = None
        if self.layout is not None:
            self.layout.tidy()

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav_urls = [page.url for page in nav.pages]
        if self.dirty:
            sealed = bool(self.settings and self.settings.passphrase)
            self.dirty_builds.prepare(files, config, nav, self.pages, self.hidden, sealed)
        return nav

    def on_env(self, env: Environment, config: MkDocsConfig, files: Files) -> Environment:
        # theme/partials/nav.html includes the theme's own under this prefix.
        ours = str(theme_dir())
        others = [folder for folder in config.theme.dirs if folder != ours]
        env.loader = ChoiceLoader(
            [env.loader, PrefixLoader({"cpdfolio-theme": FileSystemLoader(others)})]
        )
        env.globals["cpdfolio_nav_once"] = self.nav_once
        # Pages are written from here on, in clear until _seal has run.
        self.unsealed = bool(self.settings and self.settings.passphrase)
        self.navs = {}
        self.files = files
        return env

    def nav_once(self, page: Page | None, caller) -> str:
        """The navigation of a page outside it, rendered once for every page in its folder.

        With a thousand activities, rendering Material's navigation for each was
        a fifth of the build. A page that is not in the navigation makes no item
        of it active, so its navigation differs from its neighbour's only in the
        relative links, which are the same from every page of one folder, unless
        a page of the navigation lies below the page's own URL.
        """
        # A page in the navigation starts with its own URL, as does one below it.
        if page is None or any(url.startswith(page.url) for url in self.nav_urls):
            return caller()
        # With directory URLs a page's links start from its own folder, one level down.
        key = (posixpath.dirname(page.url.rstrip("/")), page.url.endswith("/"))
        if key not in self.navs:
            self.navs[key] = caller()
        return self.navs[key]

    def printing(self) -> bool:
        """Whether this build makes the printout; serve skips it unless asked."""
        assert self.settings is not None
        return bool(self.settings.pdf) and (
            not self.serving or self.config.pdf_on_serve or live_printout.asked()
        )

    @event_priority(10)  # before the search plugin (0) reads the page
    def _search_form(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):
        """The page's HTML as search is to read it: lists left out, details as words.

        Material's search parses every tag of a page; a year page's table of a
        hundred activities cost it 7 ms, a record's details table three times
        its reflection. Put back by `_page_form` once search has read the page.
        """
        site_page = self.pages.get(page.file.src_uri)
        if site_page is not None and page.content is not None:
            page.content = site_page.for_search(page.content)
        return context

    @event_priority(-10)  # after search
    def _page_form(self, context, *, page: Page, config: MkDocsConfig, nav: Navigation):
        site_page = self.pages.get(page.file.src_uri)
        if site_page is not None and page.content is not None:
            page.content = site_page.from_search(page.content)
        return context

    on_page_context = CombinedEvent(_search_form, _page_form)

    @event_priority(50)  # before the search plugin writes its index
    def _merge_search_index(self, *, config: MkDocsConfig) -> None:
        """After a dirty build, the search index of the pages built now and of those kept.

        Material's search keeps the entries of one rebuilt page only; a cpdfolio
        edit rebuilds the dashboard and the lists too.
        """
        if not self.dirty or self.files is None:
            return
        self.dirty_builds.succeeded()
        merge_index(config, self.files)

    # After the search and offline plugins (-100) have written the index.
    @event_priority(-300)
    def _write_printout(self, *, config: MkDocsConfig) -> None:
        """The printout, once the site is written: a failed site never gets one."""
        assert self.settings is not None and self.result is not None
        if not self.printing():
            if self.settings.pdf:
                log.info("cpdfolio: no printout while serving ('cpdfolio serve --pdf' for one)")
            return
        if self.serving:  # bound in the background: the page reloads meanwhile
            if self.live is not None:
                self.live.site_built()
            return
        target = Path(config.site_dir) / self.settings.pdf
        cache = printcache.for_project(self._project(config), self.settings.passphrase)
        printout = write_pdf(
            self.result.portfolio,
            target,
            for_print(self.settings),
            self._records(config),
            cache=cache,
            **self._printout_options(config),
        )
        log.info(f"cpdfolio: printout written to {self.settings.pdf} ({describe(printout)})")

    def _records(self, config: MkDocsConfig) -> Path:
        return self.layout.records if self.layout else Path(config.docs_dir)

    def _project(self, config: MkDocsConfig) -> Path:
        return self.layout.root if self.layout else Path(config.config_file_path).parent

    def _printout_options(self, config: MkDocsConfig) -> dict:
        return dict(
            statement=read_statement(self._records(config)),
            extensions=list(config.markdown_extensions),
            extension_configs=dict(config.mdx_configs),
            checks=self.checks,
            # The pages have warned of what the allowlist took out of each record.
            told=True,
        )

    @event_priority(-400)  # last: the site and its printout are written
    def _finish(self, *, config: MkDocsConfig) -> None:
        """Seal the site if need be, then remove the generated pages (kept while serving)."""
        self._seal(config)
        if self.generation is not None and not self.serving:
            self._remove_generation()

    on_post_build = CombinedEvent(_merge_search_index, _write_printout, _finish)

    def _seal(self, config: MkDocsConfig) -> None:
        """With a passphrase, the built site sealed (sealing.py); a leak fails the build."""
        assert self.settings is not None and self.result is not None
        if not self.settings.passphrase:
            return
        # The live printout (serve --pdf) puts no PDF in the site while it is sealed.
        with self.live.publishing if self.live is not None else contextlib.nullcontext():
            self._seal_site(config)

    def _seal_site(self, config: MkDocsConfig) -> None:
        assert self.settings is not None and self.result is not None
        secret = self.settings.passphrase
        if self.sealing_key is None or self.sealing_key[0] != secret:
            self.sealing_key = (secret, sealing.derive_key(secret))
        site = Path(config.site_dir)
        printout = [self.settings.pdf] if self.printing() and self.settings.pdf else []
        keep = [p for p in printout if (site / p).is_file()]
        try:
            if self.generation is not None:
                report = seal(
                    site, self.generation, engine="mkdocs", key=self.sealing_key[1], keep=keep
                )
            else:  # a portfolio in the old layout: MkDocs reads the records themselves
                report = sealing.seal_portfolio_site(
                    site, self.result.portfolio, config.docs_dir, self.sealing_key[1], keep=keep
                )
        except sealing.SealingError as error:
            raise PluginError(f"cpdfolio: {error}") from None
        self.unsealed = False
        if report is not None:
            log.info(
                f"cpdfolio: sealed with the passphrase: {report.pages} pages and {report.files} "
                f"other files (AES-256-GCM); the theme's {len(report.clear)} files left in clear"
            )

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        """A page cpdfolio writes: its Markdown, without MkDocs reading the record again."""
        site_page = self.pages.get(page.file.src_uri)
        return None if site_page is None else site_page.markdown

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

    def on_page_content(
        self, content: str, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        site_page = self.pages.get(page.file.src_uri)
        if site_page is not None:
            content, problems = site_page.publish(content)
            for problem in problems:
                log.warning(f"{self.shown_root}/{problem}")
            page.toc = _toc_under_title(page.toc, site_page.title)
            record = site_page.record
            # Only raw HTML and reference-style links can hold addresses MkDocs left as written.
            if record is not None and ("<" in record.body or "]:" in record.body):
                content = links.from_source(
                    content, page.file.src_uri, page.url, self.urls, self.hidden
                )
        return content


def _toc_under_title(toc: TableOfContents, title: str) -> TableOfContents:
    """The page's contents under its h1, which our pages write as raw HTML.

    Material's "Skip to content" leads to the first entry of the contents: the
    first h2 until now, past the title, the Download link and the details. With
    the h1 (pages.TITLE_ID) first, it leads there; Material's contents sidebar
    leaves out a first h1 entry, so it still lists the h2s as before.
    """
    items = list(toc)
    if items and items[0].level == 1:
        return toc
    heading = AnchorLink(html.escape(title), TITLE_ID, 1)
    heading.children = items
    return TableOfContents([heading])


def _urls(files: Files):
    """URLs between pages as MkDocs writes them, for pages and files in the site only."""

    def url(from_src: str, to_src: str) -> str | None:
        # Paths in the docs tree are POSIX already: no need of get_file_from_path's PurePath.
        source = files.src_uris.get(from_src)
        target = files.src_uris.get(to_src)
        if source is None or target is None or target.inclusion.is_excluded():
            return None
        return target.url_relative_to(source)

    return url


def _check_passphrase(config: MkDocsConfig, secret: str) -> None:
    """Refuse a passphrase within reach of a guesser; warn of one written where others read it."""
    weak = passphrase.weakness(secret)
    if weak:
        raise PluginError(f"cpdfolio: {weak}; nothing was built")
    exposed = passphrase.written_in(config.config_file_path, secret)
    if exposed:
        log.warning(f"cpdfolio: {exposed}")


def raise_for_problems(problems: list[Problem], root: str) -> None:
    """Warnings to the log; errors all at once, as one PluginError."""
    for problem in problems:
        if not problem.is_error:
            log.warning(f"{root}/{problem}")
    errors = [p for p in problems if p.is_error]
    if errors:
        raise PluginError(f"cpdfolio: {errors_found(errors, root)}")


def errors_found(errors: list[Problem], root: str) -> str:
    """The portfolio's errors, counted and listed with file and line."""
    count = f"{len(errors)} error" + ("s" if len(errors) > 1 else "")
    return f"the portfolio has {count}; nothing was built:\n" + format_problems(errors, root)
