"""The printout as HTML: the records rendered for paper, in parts WeasyPrint lays out apart.

The print HTML is a Jinja template under theme/print; its own stylesheet (the
screen theme's CSS is slow and wrong on paper) goes to the layout workers
beside each part. Records' Markdown is rendered with the site's extensions,
cleaned by the allowlist, its links and images pointed inside the PDF and its
headings put under the record's title.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import os
import posixpath
import re
import xml.etree.ElementTree as etree
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from ..audit.benchmarking import benchmarking, competence_keys
from ..audit.checks import CheckResult
from ..records import links, markup, sanitizer
from ..records.model import (
    GOAL_STATUSES,
    STATUS_NAMES,
    SWOT_HEADINGS,
    Activity,
    Goal,
    Portfolio,
    Problem,
    Record,
    Severity,
)
from ..settings import Settings
from ..site import charts
from .binding import FOOTER_GREY, FOOTER_SAMPLE, FOOTER_SIZE, LINK_SCHEME, LaidOut
from .cache import PartCache

log = logging.getLogger("mkdocs.plugins.cpdfolio")


DEFAULT_EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition", "toc")


@dataclass
class _Anchors:
    """Each record's id inside the print document, unique and safe for HTML."""

    by_path: dict[str, str] = field(default_factory=dict)

    def add(self, record: Record, prefix: str) -> str:
        base = f"{prefix}-" + (re.sub(r"[^A-Za-z0-9_-]+", "-", record.id).strip("-") or "x")
        anchor, n = base, 1
        while anchor in self.by_path.values():
            n += 1
            anchor = f"{base}-{n}"
        self.by_path[record.path] = anchor
        return anchor


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _PrintLinks(Treeprocessor):
    """Ids made unique in the one document, headings a level down under the record's title.

    Links and images are pointed inside the PDF once the HTML is rendered and
    cleaned (`Printer.render`), where raw HTML's addresses are found as well.
    """

    def __init__(self, md: markdown.Markdown, printer: Printer) -> None:
        super().__init__(md)
        self.printer = printer
        self.record_path = ""
        self.top = 3  # the level of the text's first headings

    def run(self, root: etree.Element) -> None:
        prefix = self.printer.prefix(self.record_path)
        # The text's headings go below the heading it sits under (a record's title is
        # h2, so its reflection's start at h3), in order with no level skipped: a
        # screen reader's list of headings, and a tagged PDF's, has no gaps.
        levels = sorted({int(e.tag[1]) for e in root.iter() if e.tag in HEADINGS})
        level = {old: min(self.top + n, 6) for n, old in enumerate(levels)}
        for element in root.iter():
            if element.get("id"):
                # Every record has its own "what-i-did"; ids must be unique in one document.
                element.set("id", f"{prefix}--{element.get('id')}")
            if element.tag in HEADINGS:
                element.tag = f"h{level[int(element.tag[1])]}"


class _PrintLinksExtension(Extension):
    def __init__(self, printer: Printer) -> None:
        super().__init__()
        self.printer = printer
        self.processor: _PrintLinks | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        self.processor = _PrintLinks(md, self.printer)
        # After the toc extension (5) has given headings their ids.
        md.treeprocessors.register(self.processor, "cpdfolio_print_links", 4)


# The ids of the contents' lines, "part:goals" or "record:activity-2025-...": the
# overlay draws the page number of the anchor after the colon at the line's right.
CONTENTS_KINDS = ("part", "record")


# How the activities are cut into parts laid out on their own: (at least, one cut
# in, at most) activities a part. A part ends after an activity whose path's hash
# falls in one of `one cut in`, so its parts stay the same when an activity is
# added, removed or edited elsewhere: a part of forty by count shifted every
# later part, laid out again. Small enough to spread over the cores and for one
# edit's part to be laid out again in about a second, large enough that each
# part's own cost (its fonts, its own PDF: 50 to 100 ms) stays small.
CUTS = (6, 10, 16)
# The last activities go in smaller parts, so that no core waits long for the
# other to finish the body before the overlays can start.
LAST_ACTIVITIES, LAST_CUTS = 80, (3, 7, 15)


def _cut_after(path: str, one_in: int) -> bool:
    """Whether a part may end after the activity at `path`: the same in every build."""
    digest = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % one_in == 0


def _parts(activities: list[dict]) -> list[list[dict]]:
    """The activities, in order, in parts cut where their paths say; one part if none."""
    parts: list[list[dict]] = []
    part: list[dict] = []
    late = len(activities) - LAST_ACTIVITIES
    for index, activity in enumerate(activities):
        part.append(activity)
        least, one_in, most = LAST_CUTS if index >= late else CUTS
        ends = len(part) >= least and _cut_after(activity["record"].path, one_in)
        if ends or len(part) >= most:
            parts.append(part)
            part = []
    return [*parts, part] if part or not parts else parts


class Printer:
    def __init__(
        self,
        portfolio: Portfolio,
        settings: Settings,
        root: Path,
        extensions: list | tuple,
        extension_configs: dict,
        told: bool = False,
    ) -> None:
        # Private records never reach the printout, whatever include_private says.
        self.portfolio = portfolio.shared()
        self.settings = settings
        self.framework = settings.framework
        self.colours = charts.category_colours([c.id for c in self.framework.categories])
        self.root = root
        self.period = settings.period
        self.activities = self.portfolio.activities_in(self.period)
        self.anchors = _Anchors()
        for goal in self.portfolio.goals:
            self.anchors.add(goal, "goal")
        for activity in self.activities:
            self.anchors.add(activity, "activity")
        for swot in self.portfolio.swots:
            self.anchors.add(swot, "swot")
        for benchmark in self.portfolio.benchmarks:
            self.anchors.add(benchmark, "benchmark")
        self.evidence_anchors: dict[str, str] = {}
        for activity in self.activities:
            for evidence in activity.evidence:
                if not evidence.is_link and evidence.target not in self.evidence_anchors:
                    self.evidence_anchors[evidence.target] = (
                        f"evidence-{len(self.evidence_anchors) + 1}"
                    )
        self.by_path = {record.path: record for record in self.portfolio.records}
        # Warnings about what a record's reflection may not bring into the printout.
        self.problems: list[Problem] = []
        self.told = told
        configs = {**extension_configs}
        configs["toc"] = {**configs.get("toc", {}), "permalink": False}
        self.links = _PrintLinksExtension(self)
        self.md = markdown.Markdown(extensions=[*extensions, self.links], extension_configs=configs)
        self.cache: PartCache | None = None
        self.markdown_settings = (list(extensions), configs)
        self.context_key: str | None = None

    # -- Markdown -------------------------------------------------------------------

    def prefix(self, record_path: str) -> str:
        """What the ids of a record's reflection start with, unique in the printout."""
        return self.anchors.by_path.get(record_path) or "page-" + re.sub(
            r"[^A-Za-z0-9]+", "-", record_path
        )

    def render(self, record_path: str, text: str, top: int = 3) -> Markup:
        """A record's Markdown as print HTML: cleaned, its links and images inside the PDF,
        its headings from level `top` down."""
        if self.cache is None:
            return self._render(record_path, text, top)
        if self.context_key is None:
            self.context_key = self._context_key()
        record = self.by_path.get(record_path)
        # A warning's line is counted in the record's whole body (a SWOT's sections).
        whole = (record.body, record.body_line) if record is not None else None
        key = self.cache.render_key(self.context_key, record_path, text, top, whole, self.told)
        found = self.cache.render(key)
        if found is not None:
            self.problems += found[1]
            return Markup(found[0])
        before = len(self.problems)
        html = self._render(record_path, text, top)
        self.cache.keep_render(key, str(html), self.problems[before:])
        return html

    def _context_key(self) -> str:
        """What a record's print HTML depends on besides its own text: where its links
        can lead (the records, evidence and other files of the portfolio, which a link
        or an image may name) and Markdown's settings."""
        assert self.cache is not None
        return self.cache.render_key(
            self.anchors.by_path,
            self.evidence_anchors,
            sorted(self.by_path),
            _portfolio_files(self.root),
            str(self.root.resolve()),
            self.markdown_settings,
        )

    def _render(self, record_path: str, text: str, top: int = 3) -> Markup:
        assert self.links.processor is not None
        self.links.processor.record_path = record_path
        self.links.processor.top = top
        self.md.reset()
        html, removed = sanitizer.clean(self.md.convert(text))
        record = self.by_path.get(record_path)
        body, first = (record.body, record.body_line) if record is not None else (text, 1)
        if not self.told:
            self.problems += sanitizer.problems(record_path, body, first, removed)
        folder = posixpath.dirname(record_path)
        prefix = self.prefix(record_path)
        refused: list[sanitizer.Removed] = []

        def change(tag: str, attribute: str, url: str) -> str | None:
            if tag == "a" and attribute == "href":
                if url.startswith("#"):
                    return f"#{prefix}--{url[1:]}"
                target, refusal = self.link_target(folder, url)
            elif tag == "img" and attribute == "src":
                target, refusal = self.image_source(folder, url)
            else:  # srcset, poster, sources of a video: nothing a page of paper shows
                target, refusal = None, None
            if refusal:
                refused.append(sanitizer.Removed(f"{refusal}: '{url}'", (url,)))
            return target or None

        html = links.rewrite(html, change)
        self.problems += _refusals(record_path, body, first, refused)
        return Markup(html)

    def link_target(self, folder: str, href: str) -> tuple[str, str | None]:
        """Where a link in a record goes in the PDF ('' for nowhere), and why not if refused."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            # Kept as a link to click (the sanitizer let only http, https and mailto by).
            return href, None
        path = links.local_path(folder, href)
        if path is None:
            return "", "the printout links to no file outside the portfolio"
        if path in self.anchors.by_path:
            return f"#{self.anchors.by_path[path]}", None
        if path in self.evidence_anchors:
            return f"#{self.evidence_anchors[path]}", None
        return "", None  # a record outside the period or private: keep the words, drop the link

    def image_source(self, folder: str, src: str) -> tuple[str, str | None]:
        """A file of the portfolio as an address from its root, or why the image is refused."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc:
            return "", "the printout fetches no image from the network"
        path = links.local_path(folder, src)
        if path is None:
            return "", "the printout shows no image from outside the portfolio"
        root = self.root.resolve()
        try:
            found = (root / path).resolve()
            if found.is_file() and found.is_relative_to(root):
                return quote(found.relative_to(root).as_posix()), None
        except (OSError, ValueError):  # a name too long, or with a NUL byte: no file
            pass
        return "", "the printout shows no image from outside the portfolio or that is missing"

    def attachments(self) -> list[tuple[Path, str]]:
        """Each evidence file and its name in the PDF: the file name, or its path
        in the portfolio where two files share a name."""
        counts = Counter(posixpath.basename(target) for target in self.evidence_anchors)
        root = self.root.resolve()
        return [
            (
                self.root / target,
                posixpath.basename(target) if counts[posixpath.basename(target)] == 1 else target,
            )
            for target in self.evidence_anchors
            # The loader refuses evidence outside the portfolio; a link made since is not read.
            if (root / target).resolve().is_relative_to(root)
        ]

    # -- the document ---------------------------------------------------------------

    def document(
        self,
        statement: str | None,
        made: datetime.date,
        checks: list[CheckResult],
        profile: str | None,
        profile_is_draft: bool,
    ) -> PrintDocument:
        environment = _templates(self.settings.locale)
        locale = self.settings.locale
        stylesheet = (resources.files("cpdfolio.theme") / "print" / "print.css").read_text("utf-8")
        context = {
            "settings": self.settings,
            "framework": self.framework,
            "period": self.period,
            "period_text": self.period.describe(locale),
            "made": made,
            "created": _created(made),
            "statement": self.render("index.md", statement, top=2) if statement else None,
            "checks": checks,
            "profile": self.render("profile.md", profile, top=2) if profile else None,
            "body": self.settings.body,
            "profile_is_draft": profile_is_draft,
            "summary": self.summary(),
            "goals": self.goals(),
            "activities": [self.activity(a) for a in self.activities],
            "swots": [self.swot(s) for s in self.portfolio.swots],
            "benchmarking": self.benchmarking(),
            "evidence": self.evidence_rows(),
            "anchors": self.anchors.by_path,
            "status_names": STATUS_NAMES,
        }
        return PrintDocument(environment, context, self.problems, stylesheet)

    def summary(self) -> dict:
        activities = self.activities
        by_category = Counter(a.category for a in activities)
        hours_by_category: Counter[str] = Counter()
        by_year: Counter[int] = Counter()
        hours_by_year: Counter[int] = Counter()
        types: Counter[str] = Counter()
        for activity in activities:
            hours_by_category[activity.category] += activity.hours or 0
            by_year[activity.date.year] += 1
            hours_by_year[activity.date.year] += activity.hours or 0
            types[activity.type or "not given"] += 1
        colours = self.colours
        categories = [
            {
                "name": c.name,
                "id": c.id,
                "colour": colours[c.id],
                "count": by_category[c.id],
                "hours": hours_by_category[c.id],
                "share": round(100 * by_category[c.id] / len(activities)) if activities else 0,
            }
            for c in self.framework.categories
        ]
        return {
            "count": len(activities),
            "hours": sum(a.hours or 0 for a in activities),
            "categories": categories,
            "categories_used": sum(1 for c in categories if c["count"]),
            "years": [
                {"year": y, "count": by_year[y], "hours": hours_by_year[y]} for y in sorted(by_year)
            ],
            "types": types.most_common(),
            "statuses": [
                {
                    "status": s,
                    "name": STATUS_NAMES[s],
                    "colour": charts.STATUS_COLOURS[s],
                    "count": sum(1 for g in self.portfolio.goals if g.status == s),
                }
                for s in GOAL_STATUSES
            ],
            "chart": Markup(
                charts.bar_chart(
                    [(c["name"], c["count"]) for c in categories],
                    "Activities by category in the period",
                    list(colours.values()),
                )
            ),
            "hours_chart": Markup(
                charts.bar_chart(
                    [(c["name"], c["hours"]) for c in categories],
                    "Hours by category in the period",
                    list(colours.values()),
                )
            ),
        }

    def goals(self) -> list[dict]:
        order = {status: n for n, status in enumerate(GOAL_STATUSES)}
        goals = sorted(self.portfolio.goals, key=lambda g: (order[g.status], g.title.lower()))
        return [self.goal(g) for g in goals]

    def goal(self, goal: Goal) -> dict:
        serving = [a for a in self.activities if goal.id in a.goals]
        return {
            "record": goal,
            "anchor": self.anchors.by_path[goal.path],
            "status": STATUS_NAMES[goal.status],
            "status_colour": charts.STATUS_COLOURS[goal.status],
            "body": self.render(goal.path, goal.body),
            "activities": serving,
            "hours": sum(a.hours or 0 for a in serving),
        }

    def activity(self, activity: Activity) -> dict:
        goals = [g for g in (self.portfolio.goal(i) for i in activity.goals) if g is not None]
        return {
            "record": activity,
            "anchor": self.anchors.by_path[activity.path],
            "category": self.framework.category(activity.category).name,
            "colour": self.colours.get(activity.category, ""),
            "goals": goals,
            # Rendered when its part is written: the front and goals, which do not
            # show it, are laid out meanwhile.
            "body": _Later(lambda: self.render(activity.path, activity.body)),
            "evidence": [
                {
                    "name": e.name,
                    "target": e.target,
                    "is_link": e.is_link,
                    "anchor": self.evidence_anchors.get(e.target),
                }
                for e in activity.evidence
            ],
        }

    def swot(self, swot) -> dict:
        before, sections = markup.split_sections(swot.body)
        return {
            "record": swot,
            "anchor": self.anchors.by_path[swot.path],
            "before": self.render(swot.path, before) if before.strip() else None,
            "sections": [
                (name, self.render(swot.path, sections.get(name, ""), top=4))
                for name in SWOT_HEADINGS
            ],
        }

    def benchmarking(self) -> dict | None:
        """Every benchmark, as the site's Benchmarking page has them: a chart and a table."""
        if not self.portfolio.benchmarks:
            return None
        found = benchmarking(
            self.portfolio, self.framework, lambda code: competence_keys(self.settings.bodies, code)
        )
        locale = self.settings.locale
        dates = [markup.short_date(day, locale) for day in found.dates]
        chart = charts.level_chart(
            [(row.key, list(row.levels), row.target) for row in found.rows],
            dates,
            [(level.level, level.name) for level in found.scale],
            "Competence levels at each benchmark, and targets",
        )
        return {
            "found": found,
            "dates": dates,
            "chart": Markup(chart),
            "benchmarks": [
                {
                    "record": b,
                    "anchor": self.anchors.by_path[b.path],
                    "body": self.render(b.path, b.body) if b.body.strip() else None,
                }
                for b in reversed(found.benchmarks)
            ],
        }

    def evidence_rows(self) -> list[dict]:
        rows = []
        for activity in self.activities:
            for evidence in activity.evidence:
                rows.append(
                    {
                        "name": evidence.name,
                        "target": evidence.target,
                        "is_link": evidence.is_link,
                        "anchor": None
                        if evidence.is_link
                        else self.evidence_anchors[evidence.target],
                        "activity": activity,
                        "activity_anchor": self.anchors.by_path[activity.path],
                    }
                )
        # One anchor per file: the first row that names it.
        seen: set[str] = set()
        for row in rows:
            if row["anchor"] in seen:
                row["anchor"] = None
            elif row["anchor"]:
                seen.add(row["anchor"])
        return rows


@functools.lru_cache(maxsize=4)
def _templates(locale: str) -> jinja2.Environment:
    """The print templates, compiled once a process (a tenth of a second each
    printout of the preview's), with dates in the member's locale."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.files("cpdfolio.theme") / "print")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["long_date"] = lambda day: markup.long_date(day, locale)
    environment.filters["short_date"] = lambda day: markup.short_date(day, locale)
    environment.filters["hours"] = markup.hours
    return environment


def _portfolio_files(root: Path) -> list[tuple[str, str]]:
    """Every file and link in the portfolio, by path, and where each link leads."""
    found = []
    for folder, folders, names in os.walk(root):
        folders.sort()
        for name in sorted([*names, *(f for f in folders if os.path.islink(f"{folder}/{f}"))]):
            path = os.path.join(folder, name)
            found.append(
                (os.path.relpath(path, root), os.readlink(path) if os.path.islink(path) else "")
            )
    return found


class PrintDocument:
    """The printout as HTML parts that WeasyPrint can lay out one by one."""

    def __init__(
        self,
        environment: jinja2.Environment,
        context: dict,
        problems: list[Problem],
        stylesheet: str,
    ) -> None:
        # Filled as the records are rendered, part by part.
        self.problems = problems
        # The parts' stylesheet, given to each worker beside the HTML and read there
        # once (print.css, inline in every part, cost each part a tenth of a second).
        self.stylesheet = stylesheet
        self.template = environment.get_template("printout.html")
        self.overlay_template = environment.get_template("overlay.html")
        self.context = context

    def body(self) -> Iterator[str]:
        """The body's parts in order, each written when asked for, to be laid out at once."""
        yield self.part("goals")
        for number, activities in enumerate(_parts(self.context["activities"])):
            yield self.part("activities", activities=activities, first=number == 0)
        yield self.part("back")

    def part(self, name: str, **context) -> str:
        html = self.template.render({**self.context, "part": name, **context})
        # Every link inside the printout may lead to another part: written as an
        # address WeasyPrint keeps, it is pointed at its page when the parts are joined.
        return html.replace('href="#', f'href="{LINK_SCHEME}')

    def front(self) -> str:
        """Cover, contents and summaries, laid out once, beside the body.

        The contents leave room at the right of each line for its page number,
        drawn later by the overlay: the numbers are known only when every part
        is laid out, and the front's own length is one of them.
        """
        # Room for the widest number a printout this long may reach.
        pages = 40 + 2 * len(self.context["goals"]) + 2 * len(self.context["activities"])
        return self.part("front", number_room=f"{0.7 * len(str(pages)) + 0.8:.1f}em")

    def header(self) -> str:
        """The running header, the same over every page but the cover; then a page with
        the sample line whose font and place "page N of M" takes (binding.py)."""
        grey = f"{round(FOOTER_GREY * 255):02x}" * 3
        return self.overlay_template.render(
            header=True,
            owner=self.context["settings"].owner,
            sample=FOOTER_SAMPLE,
            footer=f'{FOOTER_SIZE:g}pt "DejaVu Sans", sans-serif; color: #{grey}',
        )

    def overlay(self, pages: range, front: LaidOut, numbers: dict[str, int]) -> str:
        """The contents' page numbers on some of the front's pages."""
        entries: dict[int, list[dict]] = {}
        for name, spot in front.anchors.items():
            kind, _, anchor = name.partition(":")
            if kind in CONTENTS_KINDS and anchor in numbers:
                entries.setdefault(spot.page, []).append(
                    {
                        "kind": kind,
                        "number": numbers[anchor],
                        "top": round(spot.top, 2),
                        "right": round(front.size[0] - spot.right, 2),
                    }
                )
        return self.overlay_template.render(sheets=[entries.get(n, []) for n in pages])

    def descriptions(self) -> dict[str, str]:
        """What each anchor a link may lead to is, as a screen reader says a link."""
        context = self.context
        named = {
            "statement": "Summary of practice",
            "summary": "Summary of the period",
            "profile": "How the standards are met",
            "goals": "Goals",
            "activities": "Activities",
            "swot": "SWOT analysis",
            "evidence": "Evidence",
        }
        for goal in context["goals"]:
            named[goal["anchor"]] = f"Goal: {goal['record'].title}"
        for activity in context["activities"]:
            named[activity["anchor"]] = f"Activity: {activity['record'].title}"
        for swot in context["swots"]:
            named[swot["anchor"]] = f"SWOT analysis: {swot['record'].title}"
        for row in context["evidence"]:
            if row["anchor"]:
                named[row["anchor"]] = f"Evidence: {row['name']}"
        return named

    def metadata(self, made: datetime.date) -> dict[str, str]:
        settings = self.context["settings"]
        stamp = f"D:{made:%Y%m%d}000000Z"
        metadata = {
            "/Title": "CPD portfolio" + (f" of {settings.owner}" if settings.owner else ""),
            "/Subject": f"Continuing professional development records, "
            f"{self.context['period_text']}",
            "/Creator": "cpdfolio",
            "/Producer": "cpdfolio with WeasyPrint and pikepdf",
            "/CreationDate": stamp,
            "/ModDate": stamp,
        }
        if settings.owner:
            metadata["/Author"] = settings.owner
        return metadata


class _Later:
    """HTML made when a template first shows it (Jinja asks for `__html__`)."""

    def __init__(self, make: Callable[[], Markup]) -> None:
        self.make = make

    def __html__(self) -> str:
        return self.make()


def _refusals(path: str, body: str, first: int, refused: list[sanitizer.Removed]) -> list[Problem]:
    """A warning for each link or image left out of the printout, at its line."""
    return [
        Problem(path, line, None, f"{item.what}; left out", Severity.WARNING)
        for item, line in sanitizer.locate(body, first, refused)
    ]


def _created(made: datetime.date) -> str:
    return f"{made.isoformat()}T00:00:00Z"
