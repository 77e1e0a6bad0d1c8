"""A SWOT analysis as a 2 × 2 grid."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import markup
from ...records.markup import text
from ...records.model import (
    SWOT_HEADINGS,
    Swot,
)

if TYPE_CHECKING:
    from .site import Site


def swot(site: Site, swot: Swot) -> str:
    """The four headings as a 2 × 2 grid; text before them stays above it."""
    before, sections = markup.split_sections(swot.body)
    parts = [site.title_heading(swot.title), *site.private_banner(swot)]
    if swot.date:
        parts.append(f'<p class="cpd-period">{site.long_date(swot.date)}</p>')
    if before.strip():
        parts.append(before.strip())
    grid = ['<div class="cpd-swot" markdown>']
    for name in SWOT_HEADINGS:
        grid.append(
            f'<section class="cpd-swot-{name.lower()}" markdown>\n\n## {name}\n\n'
            f"{sections.pop(name, '').strip() or '*Nothing written yet.*'}\n\n</section>"
        )
    grid.append("</div>")
    parts.append("\n\n".join(grid))
    for name, content in sections.items():  # headings other than the four
        parts.append(f"## {text(name)}\n\n{content.strip()}")
    return "\n\n".join(parts) + "\n"
