"""The portfolio as site pages: Markdown for each record and each grouping.

Knows nothing of a site engine: it receives the portfolio and the settings and
returns pages keyed by the path each has in the docs tree.

- `page`: a page (`SitePage`) and where each page kind sits;
- `site`: `Site`, what every page shares (links, tables, the navigation);
- one module per page kind: `dashboard`, `goals`, `activities`, `years`,
  `categories`, `competences`, `benchmarks`, `swot`;
- `fragments`: small pieces of HTML many pages use (chips, stat boxes).
"""

from .page import HOME, TITLE_ID, SitePage
from .site import Site

__all__ = ["HOME", "TITLE_ID", "Site", "SitePage"]
