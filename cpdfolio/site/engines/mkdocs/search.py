"""Material's search, fed the pages as a reader searches them, and whole after a dirty build.

Material's search parses every tag of a page: a year page's table of a hundred
activities cost it 7 ms, a record's details table three times its reflection.
The plugin hands it each page in its search form (`SitePage.for_search`: lists
left out, details as words) and puts the page back once it is read.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


def material_search(config: MkDocsConfig):
    """Material's search plugin, whose index a dirty build has to complete."""
    from material.plugins.search.plugin import SearchPlugin

    return next((p for p in config.plugins.values() if isinstance(p, SearchPlugin)), None)


def other_search(config: MkDocsConfig) -> bool:
    """Whether a search plugin other than Material's runs: it would index rebuilt pages only."""
    return material_search(config) is None and any(
        name == "search" or name.endswith("/search") for name in config.plugins
    )


def merge_index(config: MkDocsConfig, files: Files) -> None:
    """After a dirty build, the search index of the pages built now and of those kept.

    Material's search keeps the entries of one rebuilt page only; a cpdfolio
    edit rebuilds the dashboard and the lists too.
    """
    search = material_search(config)
    previous = getattr(search, "search_index_prev", None)
    if search is None or previous is None:
        return
    pages = [f.page for f in files.documentation_pages() if f.page is not None]
    rebuilt = {page.url for page in pages if page.content is not None}
    kept = {page.url for page in pages} - rebuilt
    search.search_index.entries = [
        entry for entry in previous.entries if entry["location"].split("#")[0] in kept
    ] + search.search_index.entries
    search.search_index_prev = None
