"""Small pieces of HTML that many pages share: chips, stat boxes, details tables."""

from __future__ import annotations

import html
import re

from ...records import markup
from ...records.model import (
    STATUS_NAMES,
    Record,
)
from .. import charts


def escape(value: str) -> str:
    return html.escape(value, quote=True)


def one_line(value: str) -> str:
    """User text on one line, as Markdown's `text()` renders it."""
    return html.escape(" ".join(value.split()), quote=False)


def audit_list(items: list[str]) -> str:
    return '<div class="cpd-audit">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>"


def stat(value: object, label: str) -> str:
    return (
        f'<div class="cpd-stat"><span class="cpd-stat-value">{escape(str(value))}</span>'
        f'<span class="cpd-stat-label">{escape(label)}</span></div>\n'
    )


def category_chip(category_id: str, inner: str, colour: str = "") -> str:
    slug = re.sub(r"[^a-z0-9-]", "-", category_id.lower())
    # The colour is data (a framework may add categories), so it travels with the chip.
    style = f' style="--cpd-colour: {escape(colour)}"' if colour else ""
    return f'<span class="cpd-chip cpd-category-{slug}"{style}>{inner}</span>'


def status_chip(status: str) -> str:
    return (
        f'<span class="cpd-chip cpd-status-{status}" '
        f'style="--cpd-colour: {charts.STATUS_COLOURS[status]}">{STATUS_NAMES[status]}</span>'
    )


def private_mark(record: Record) -> str:
    return "" if record.share else ' <span class="cpd-private">private</span>'


def details_table(rows: list[list[str]]) -> str:
    # No head: a Markdown table needed one, and the stylesheet hid it.
    return markup.html_table(None, rows, "cpd-details")


def level_cell(level: int | None, found) -> str:
    if level is None:
        return '<span class="cpd-gap">&ndash;</span>'
    return f'{level} <span class="cpd-level-name">{escape(found.level_name(level))}</span>'


def competence_anchor(code: str) -> str:
    return "competence-" + (re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-") or "x")


def natural_order(code: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def visually_hidden(words: str) -> str:
    """Words for a screen reader only (cpdfolio.css hides them from the eye)."""
    return f'<span class="cpd-visually-hidden">{escape(words)}</span>'
