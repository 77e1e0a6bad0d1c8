"""The site: the portfolio's pages generated as Markdown, laid out by a site engine.

`generate` writes only what may be published (shared records, their files and
the generated pages) into a folder of its own; an engine (`engines/`) lays out
that folder and nothing else, so a private record is never where it can read it.
"""

from .generate import Generation, GenerationError, generate
from .layout import Layout, LayoutError, read_layout

__all__ = ["Generation", "GenerationError", "Layout", "LayoutError", "generate", "read_layout"]
