"""Small SVG charts that read without JavaScript, on the site and in the printout."""

from __future__ import annotations

from html import escape

from ..records.markup import hours as format_number

# One colour per category and goal status, for the charts, the site's chips and the
# printout alike. Each stands at least 3:1 against white (a mark beside its name: the
# name, in the text colour, carries the meaning). Each mark also carries its colour as
# --cpd-colour, so the site's dark scheme can lighten every one of them alike.
CATEGORY_COLOURS = {
    "work-based": "#1565c0",
    "professional": "#6a1b9a",
    "formal": "#2e7d32",
    "self-directed": "#ef6c00",
    "other": "#546e7a",
}
_MORE_COLOURS = ("#00838f", "#ad1457", "#5d4037", "#827717", "#283593")
STATUS_COLOURS = {
    "planned": "#546e7a",
    "in-progress": "#1565c0",
    "achieved": "#2e7d32",
    "dropped": "#757575",
}
_ROW = 22
_LABEL_WIDTH = 170
_BAR_WIDTH = 300
_VALUE_WIDTH = 60


def bar_chart(rows: list[tuple[str, float]], title: str, colours: list[str] | None = None) -> str:
    """Horizontal bars, one per (label, value), with the value written after each bar."""
    most = max((value for _, value in rows), default=0) or 1
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    height = _ROW * len(rows) + 8
    parts = [
        f'<svg class="cpd-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, Roboto, Helvetica, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = 4 + index * _ROW
        bar = round(_BAR_WIDTH * value / most, 1)
        colour = (colours or ["#3949ab"])[index % len(colours or ["#3949ab"])]
        parts.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
            f'<rect x="{_LABEL_WIDTH}" y="{y + 3}" width="{bar}" height="15" rx="2" '
            f"{_fill(colour)}/>"
            f'<text x="{_LABEL_WIDTH + bar + 6}" y="{y + 15}" font-size="12">'
            f"{escape(format_number(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _fill(colour: str) -> str:
    """A mark's colour, also as --cpd-colour for the site's stylesheet."""
    return f'fill="{escape(colour)}" style="--cpd-colour: {escape(colour)}"'


def category_colour(category_id: str, position: int) -> str:
    """The colour of a category, the same on every chart and chip."""
    return CATEGORY_COLOURS.get(category_id, _MORE_COLOURS[position % len(_MORE_COLOURS)])


def category_colours(category_ids: list[str]) -> dict[str, str]:
    """Each category of a framework, in its order, with its colour."""
    return {c: category_colour(c, n) for n, c in enumerate(category_ids)}


def stacked_chart(
    rows: list[tuple[str, list[float]]], series: list[tuple[str, str]], title: str
) -> str:
    """Horizontal stacked bars: one row per label, one segment per series (name, colour)."""
    totals = [sum(values) for _, values in rows]
    most = max(totals, default=0) or 1
    width = _LABEL_WIDTH + _BAR_WIDTH + _VALUE_WIDTH
    # The legend wraps onto as many lines as the names need.
    legend, x, line = [], 0.0, 0
    for name, colour in series:
        needed = 22 + 6.2 * len(name)
        if x and x + needed > width:
            x, line = 0.0, line + 1
        legend.append((x, line, name, colour))
        x += needed
    height = _ROW * len(rows) + 16 * (line + 1) + 12
    parts = [
        f'<svg class="cpd-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, Roboto, Helvetica, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for index, ((label, values), total) in enumerate(zip(rows, totals, strict=True)):
        y = 4 + index * _ROW
        parts.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
        )
        x = float(_LABEL_WIDTH)
        for value, (name, colour) in zip(values, series, strict=True):
            if value <= 0:
                continue
            bar = round(_BAR_WIDTH * value / most, 1)
            # A gap in the page's colour between neighbours: each segment stands at
            # least 3:1 against it, where two colours side by side may not.
            parts.append(
                f'<rect class="cpd-segment" x="{x:.1f}" y="{y + 3}" width="{bar}" height="15" '
                f'stroke="#fff" stroke-width="1.5" '
                f"{_fill(colour)}><title>{escape(name)}: "
                f"{escape(format_number(value))}</title></rect>"
            )
            x += bar
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}" font-size="12">'
            f"{escape(format_number(total))}</text>"
        )
    top = 4 + len(rows) * _ROW + 8
    for x, line, name, colour in legend:
        y = top + 16 * line
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="10" height="10" {_fill(colour)}/>'
            f'<text x="{x + 14:.1f}" y="{y + 9}" font-size="10">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def values_table(rows: list[tuple[str, list[float]]], series: list[str], title: str) -> str:
    """A chart's values as a table, one row per label, a column per series and the
    total: what a screen reader reads, and anyone may open, instead of the bars."""
    head = "".join(f'<th scope="col">{escape(name)}</th>' for name in series)
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f"<td>{escape(format_number(value))}</td>" for value in values)
        + f"<td>{escape(format_number(sum(values)))}</td></tr>"
        for label, values in rows
    )
    return (
        f'<details class="cpd-chart-values"><summary>{escape(title)}, as a table</summary>'
        f'<table><thead><tr><td></td>{head}<th scope="col">Total</th></tr></thead>'
        f"<tbody>{body}</tbody></table></details>"
    )


# Benchmarks from oldest to newest: the newest darkest, each at least 3:1 against white.
BENCHMARK_COLOURS = ("#ef6c00", "#6a1b9a", "#00838f", "#1565c0", "#2e7d32")
_CODE_WIDTH = 80
_STEP = 84


def level_chart(
    rows: list[tuple[str, list[int | None], int | None]],
    dates: list[str],
    scale: list[tuple[int, str]],
    title: str,
) -> str:
    """Each competence on a row of the scale: a dot per benchmark, joined, and its target.

    `rows` are (label, level at each benchmark or None, target or None); the
    scale's levels are columns, named along the top. Every mark carries its
    value in a <title>, and the caller shows the same values in a table.
    """
    # The newest benchmarks take the last colours of the list: with two, teal and blue.
    count = len(BENCHMARK_COLOURS)
    colours = [BENCHMARK_COLOURS[(n - len(dates)) % count] for n in range(len(dates))]
    low = min(level for level, _ in scale)
    width = _CODE_WIDTH + _STEP * len(scale) + 10
    top = 30
    legend_y = top + _ROW * len(rows) + 14
    height = legend_y + 18

    def x(level: float) -> float:
        return _CODE_WIDTH + _STEP * (level - low) + _STEP / 2

    parts = [
        f'<svg class="cpd-chart cpd-levels" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'font-family="DejaVu Sans, Roboto, Helvetica, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for level, name in scale:
        parts.append(
            f'<text x="{x(level):.1f}" y="12" text-anchor="middle" font-size="11" '
            f'font-weight="bold">{level}</text>'
            f'<text x="{x(level):.1f}" y="24" text-anchor="middle" font-size="10" '
            f'fill-opacity="0.75">{escape(name)}</text>'
            f'<line x1="{x(level):.1f}" y1="{top}" x2="{x(level):.1f}" '
            f'y2="{top + _ROW * len(rows)}" stroke="#bdbdbd" stroke-width="1"/>'
        )
    for index, (label, levels, target) in enumerate(rows):
        y = top + index * _ROW + _ROW / 2
        parts.append(
            f'<text x="{_CODE_WIDTH - 10}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
        )
        rated = [(n, level) for n, level in enumerate(levels) if level is not None]
        if len(rated) > 1:
            points = " ".join(f"{x(level):.1f},{y:.1f}" for _, level in rated)
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="#757575" stroke-width="2"/>'
            )
        if target is not None:
            t = x(target)
            parts.append(
                f'<path d="M{t:.1f},{y - 8:.1f} L{t + 8:.1f},{y:.1f} L{t:.1f},{y + 8:.1f} '
                f'L{t - 8:.1f},{y:.1f} Z" fill="none" stroke="currentColor" stroke-width="1.5">'
                f"<title>{escape(label)}: target {target}</title></path>"
            )
        for position, (n, level) in enumerate(rated):
            mark = f"<title>{escape(label)}, {escape(dates[n])}: level {level}</title>"
            if any(other == level for _, other in rated[position + 1 :]):
                # A later benchmark at the same level covers the dot: this one rings it.
                parts.append(
                    f'<circle cx="{x(level):.1f}" cy="{y:.1f}" r="8.5" fill="none" '
                    f'stroke="{escape(colours[n])}" stroke-width="2.5">{mark}</circle>'
                )
            else:
                parts.append(
                    f'<circle class="cpd-dot" cx="{x(level):.1f}" cy="{y:.1f}" r="5.5" '
                    f"{_fill(colours[n])}>{mark}</circle>"
                )
    x_at = 0.0
    for date, colour in zip(dates, colours, strict=True):
        parts.append(
            f'<circle class="cpd-dot" cx="{x_at + 6:.1f}" cy="{legend_y + 5}" r="5" '
            f"{_fill(colour)}/>"
            f'<text x="{x_at + 15:.1f}" y="{legend_y + 9}" font-size="10">{escape(date)}</text>'
        )
        x_at += 24 + 6.2 * len(date)
    parts.append(
        f'<path d="M{x_at + 6:.1f},{legend_y - 1} L{x_at + 12:.1f},{legend_y + 5} '
        f'L{x_at + 6:.1f},{legend_y + 11} L{x_at:.1f},{legend_y + 5} Z" fill="none" '
        f'stroke="currentColor" stroke-width="1.5"/>'
        f'<text x="{x_at + 17:.1f}" y="{legend_y + 9}" font-size="10">target</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
