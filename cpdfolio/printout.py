"""The portfolio as one PDF for an auditor: model → print HTML → WeasyPrint.

The print HTML is a Jinja template under theme/print with its own stylesheet
(the screen theme's CSS is slow and wrong on paper). Records' Markdown is
rendered with the site's extensions; links between records become links
inside the PDF, and evidence files are attached to it.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import posixpath
import re
import time
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from . import charts, markup
from .audit import CheckResult, audit
from .model import GOAL_STATUSES, Activity, Goal, Portfolio, Record
from .pages import STATUS_NAMES, SWOT_HEADINGS
from .period import today
from .profile import profile_for_print
from .settings import Settings

log = logging.getLogger("mkdocs.plugins.cpdfolio")

DEFAULT_EXTENSIONS = ("tables", "attr_list", "md_in_html", "admonition", "toc")


@dataclass(frozen=True)
class Printout:
    """What went into a PDF: counts a caller may report."""

    path: Path
    pages: int
    activities: int
    goals: int
    attachments: int
    seconds: float


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


class _PrintLinks(Treeprocessor):
    """Turn a record's relative links into links inside the PDF, images into files."""

    def __init__(self, md: markdown.Markdown, printer: _Printer) -> None:
        super().__init__(md)
        self.printer = printer
        self.record_path = ""

    def run(self, root: etree.Element) -> None:
        folder = posixpath.dirname(self.record_path)
        prefix = self.printer.anchors.by_path.get(self.record_path) or "page-" + re.sub(
            r"[^A-Za-z0-9]+", "-", self.record_path
        )
        for element in root.iter():
            if element.get("id"):
                # Every record has its own "what-i-did"; ids must be unique in one document.
                element.set("id", f"{prefix}--{element.get('id')}")
            if element.tag in ("h1", "h2", "h3", "h4", "h5"):
                # The record's title is h2; its reflection headings sit below it.
                element.tag = f"h{min(int(element.tag[1]) + 1, 6)}"
            if element.tag == "a" and element.get("href", "").startswith("#"):
                element.set("href", f"#{prefix}--{element.get('href')[1:]}")
            elif element.tag == "a" and element.get("href"):
                element.set("href", self.printer.link_target(folder, element.get("href")))
                if not element.get("href"):
                    del element.attrib["href"]
            elif element.tag == "img" and element.get("src"):
                element.set("src", self.printer.image_source(folder, element.get("src")))


class _PrintLinksExtension(Extension):
    def __init__(self, printer: _Printer) -> None:
        super().__init__()
        self.printer = printer
        self.processor: _PrintLinks | None = None

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's name)
        self.processor = _PrintLinks(md, self.printer)
        # After the toc extension (5) has given headings their ids.
        md.treeprocessors.register(self.processor, "cpdfolio_print_links", 4)


def print_html(
    portfolio: Portfolio,
    settings: Settings,
    root: str | Path,
    *,
    statement: str | None = None,
    extensions: list | tuple = DEFAULT_EXTENSIONS,
    extension_configs: dict | None = None,
    made: datetime.date | None = None,
) -> tuple[str, list[Path]]:
    """The print document as HTML, and the evidence files to attach."""
    printer = _Printer(portfolio, settings, Path(root), extensions, extension_configs or {})
    checks = audit(portfolio, settings.framework, settings.period, made)
    profile, is_draft = profile_for_print(str(root), portfolio, settings, checks)
    return printer.html(
        statement, made or today(), checks, profile, is_draft
    ), printer.attachments()


def write_pdf(
    portfolio: Portfolio,
    target: str | Path,
    settings: Settings | None = None,
    root: str | Path | None = None,
    **options,
) -> Printout:
    """Render the portfolio's printout for `settings.period` to `target`."""
    import weasyprint

    settings = settings or Settings()
    root = Path(root if root is not None else portfolio.root or ".")
    started = time.monotonic()
    html, attachments = print_html(portfolio, settings, root, **options)
    log.info(f"cpdfolio: laying out the printout ({settings.period.describe()})")
    _forward_weasyprint_log()
    document = weasyprint.HTML(string=html, base_url=str(root)).render()
    log.info(f"cpdfolio: printout laid out, {len(document.pages)} pages; writing PDF")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    # File times would make every checkout's PDF differ; date them like the PDF.
    stamp = datetime.datetime.combine(options.get("made") or today(), datetime.time())
    pdf = document.write_pdf(
        attachments=[
            weasyprint.Attachment(
                filename=str(path), description=path.name, created=stamp, modified=stamp
            )
            for path in attachments
        ],
        pdf_identifier=digest,
    )
    if settings.passphrase:
        pdf = _locked(pdf, settings.passphrase)
    target.write_bytes(pdf)
    shown = portfolio.activities_in(settings.period)
    return Printout(
        path=target,
        pages=len(document.pages),
        activities=sum(1 for a in shown if a.share),
        goals=sum(1 for g in portfolio.goals if g.share),
        attachments=len(attachments),
        seconds=time.monotonic() - started,
    )


def _locked(pdf: bytes, passphrase: str) -> bytes:
    """The PDF encrypted with AES-256 (pypdf): it opens only with the passphrase.

    WeasyPrint writes no encrypted PDF; pypdf copies the whole document (outline,
    links, attachments, metadata) and encrypts every string and stream of it.
    Salts are random, so a locked printout differs from one build to the next.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=passphrase, algorithm="AES-256")
    locked = io.BytesIO()
    writer.write(locked)
    return locked.getvalue()


def _forward_weasyprint_log() -> None:
    """WeasyPrint's warnings (a missing image, bad CSS) belong in our log."""
    weasy = logging.getLogger("weasyprint")
    if not any(getattr(h, "cpdfolio", False) for h in weasy.handlers):
        handler = logging.Handler()
        handler.emit = lambda record: log.log(record.levelno, f"WeasyPrint: {record.getMessage()}")
        handler.cpdfolio = True  # type: ignore[attr-defined]
        handler.setLevel(logging.WARNING)
        weasy.addHandler(handler)


class _Printer:
    def __init__(
        self,
        portfolio: Portfolio,
        settings: Settings,
        root: Path,
        extensions: list | tuple,
        extension_configs: dict,
    ) -> None:
        # Private records never reach the printout, whatever include_private says.
        self.portfolio = portfolio.shared()
        self.settings = settings
        self.framework = settings.framework
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
        self.evidence_anchors: dict[str, str] = {}
        for activity in self.activities:
            for evidence in activity.evidence:
                if not evidence.is_link and evidence.target not in self.evidence_anchors:
                    self.evidence_anchors[evidence.target] = (
                        f"evidence-{len(self.evidence_anchors) + 1}"
                    )
        configs = {**extension_configs}
        configs["toc"] = {**configs.get("toc", {}), "permalink": False}
        self.links = _PrintLinksExtension(self)
        self.md = markdown.Markdown(extensions=[*extensions, self.links], extension_configs=configs)

    # -- Markdown -------------------------------------------------------------------

    def render(self, record_path: str, text: str) -> Markup:
        assert self.links.processor is not None
        self.links.processor.record_path = record_path
        self.md.reset()
        return Markup(self.md.convert(text))

    def link_target(self, folder: str, href: str) -> str:
        """Where a link in a record's Markdown goes in the PDF ('' for nowhere)."""
        parts = urlsplit(href)
        if parts.scheme or href.startswith(("#", "//")):
            return href
        path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        if path in self.anchors.by_path:
            return f"#{self.anchors.by_path[path]}"
        if path in self.evidence_anchors:
            return f"#{self.evidence_anchors[path]}"
        return ""  # a record outside the period or private: keep the words, drop the link

    def image_source(self, folder: str, src: str) -> str:
        if urlsplit(src).scheme:
            return src
        try:
            path = (self.root / posixpath.normpath(posixpath.join(folder, unquote(src)))).resolve()
            if path.is_file() and path.is_relative_to(self.root.resolve()):
                return path.as_uri()
        except (OSError, ValueError):  # a name too long, or with a NUL byte: no file
            pass
        return ""

    def attachments(self) -> list[Path]:
        return [self.root / target for target in self.evidence_anchors]

    # -- the document ---------------------------------------------------------------

    def html(
        self,
        statement: str | None,
        made: datetime.date,
        checks: list[CheckResult],
        profile: str,
        profile_is_draft: bool,
    ) -> str:
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(resources.files("cpdfolio.theme") / "print")),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        environment.filters["long_date"] = markup.long_date
        environment.filters["short_date"] = markup.short_date
        environment.filters["hours"] = markup.hours
        template = environment.get_template("printout.html")
        stylesheet = (resources.files("cpdfolio.theme") / "print" / "print.css").read_text("utf-8")
        goals = self.goals()
        return template.render(
            settings=self.settings,
            framework=self.framework,
            period=self.period,
            made=made,
            created=_created(made),
            stylesheet=Markup(stylesheet),
            statement=self.render("index.md", statement) if statement else None,
            checks=checks,
            profile=self.render("profile.md", profile),
            profile_is_draft=profile_is_draft,
            summary=self.summary(),
            goals=goals,
            activities=[self.activity(a) for a in self.activities],
            swots=[self.swot(s) for s in self.portfolio.swots],
            evidence=self.evidence_rows(),
            anchors=self.anchors.by_path,
            status_names=STATUS_NAMES,
        )

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
        categories = [
            {
                "name": c.name,
                "id": c.id,
                "count": by_category[c.id],
                "hours": hours_by_category[c.id],
                "share": round(100 * by_category[c.id] / len(activities)) if activities else 0,
            }
            for c in self.framework.categories
        ]
        colours = [charts.category_colour(c.id, n) for n, c in enumerate(self.framework.categories)]
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
                    "count": sum(1 for g in self.portfolio.goals if g.status == s),
                }
                for s in GOAL_STATUSES
            ],
            "chart": Markup(
                charts.bar_chart(
                    [(c["name"], c["count"]) for c in categories],
                    "Activities by category in the period",
                    colours,
                )
            ),
            "hours_chart": Markup(
                charts.bar_chart(
                    [(c["name"], c["hours"]) for c in categories],
                    "Hours by category in the period",
                    colours,
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
            "goals": goals,
            "body": self.render(activity.path, activity.body),
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
                (name, self.render(swot.path, sections.get(name, ""))) for name in SWOT_HEADINGS
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


def _created(made: datetime.date) -> str:
    return f"{made.isoformat()}T00:00:00Z"


def describe(printout: Printout) -> str:
    """A one-line account of a printout for the log."""
    return (
        f"{printout.pages} pages, {printout.activities} activities, {printout.goals} goals, "
        f"{printout.attachments} attachments, {printout.seconds:.1f} s"
    )
