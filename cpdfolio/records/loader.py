"""Folder of Markdown records → `Portfolio`, with every problem found in one pass.

The loader never writes: it reads the portfolio folder and reports. Whether a
problem stops a build is the caller's decision.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..frameworks import Framework, load_framework
from . import links
from .frontmatter import FrontMatter, FrontMatterError, has_front_matter, parse
from .model import Activity, Benchmark, Evidence, Goal, Portfolio, Problem, Severity, Swot
from .period import today
from .review import review, starter_text
from .schema import (
    Finding,
    Schema,
    activity_schema,
    benchmark_schema,
    did_you_mean,
    goal_schema,
    swot_schema,
)

KINDS = ("activity", "goal", "swot", "benchmark")
# A Markdown link or image to a .md file: [words](../goals/x.md#part "title").
# A record's kind when its front matter does not say: its top-level folder.
_FOLDER_KINDS = {"activities": "activity", "goals": "goal"}
_A_KIND = {
    "activity": "an activity",
    "goal": "a goal",
    "swot": "a SWOT",
    "benchmark": "a benchmark",
}


@dataclass
class LoadResult:
    """The portfolio as read, and everything wrong with it."""

    portfolio: Portfolio
    problems: list[Problem] = field(default_factory=list)
    # Markdown files that are records, by path relative to the portfolio root.
    record_paths: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def load(root: str | os.PathLike, framework: Framework | str = "default") -> LoadResult:
    """Read every record under `root` (the MkDocs docs_dir)."""
    if isinstance(framework, str):
        framework = load_framework(framework)
    return _Reader(Path(root), framework).read()


def markdown_files(root: Path, loops: list[str] | None = None) -> list[str]:
    """Markdown files MkDocs would build, as sorted POSIX paths relative to root.

    Folders that link back to a folder above them are not entered, and their
    paths are added to `loops` for the caller to report: MkDocs would publish
    their contents again and again, out of cpdfolio's sight.
    """
    found = []
    # MkDocs follows links to folders and publishes what is in them; read the same files.
    for folder, subfolders, files in os.walk(root, followlinks=True):
        relative_folder = PurePosixPath(Path(folder).relative_to(root).as_posix())
        # MkDocs skips dot files and folders and /templates/ by default; so do we.
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and not (str(relative_folder) == "." and name == "templates")
        )
        above = {Path(folder).resolve(), *Path(folder).resolve().parents}
        for name in list(subfolders):
            if (Path(folder) / name).is_symlink() and (Path(folder) / name).resolve() in above:
                subfolders.remove(name)
                if loops is not None:
                    loops.append(str(relative_folder / name).removeprefix("./"))
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                found.append(str(relative_folder / name) if str(relative_folder) != "." else name)
    return sorted(found)


class _Reader:
    def __init__(self, root: Path, framework: Framework) -> None:
        self.root = root
        self.real_root = root.resolve()
        self.framework = framework
        self.schemas: dict[str, Schema] = {
            "activity": activity_schema(framework),
            "goal": goal_schema(),
            "swot": swot_schema(),
            "benchmark": benchmark_schema(),
        }
        self.problems: list[Problem] = []
        self.record_paths: set[str] = set()
        self.activities: list[Activity] = []
        self.goals: list[Goal] = []
        self.swots: list[Swot] = []
        self.benchmarks: list[Benchmark] = []
        # Each activity's goal ids and the line of its `goals:` key, checked once all are read.
        self.goal_links: list[tuple[str, int, tuple[str, ...]]] = []
        # Ids set by a goal's `id:` key that did not load, and the line of each `id:`.
        self.failed_goal_ids: set[str] = set()
        self.id_lines: dict[str, int] = {}
        # The line of each key of each record that loaded, for warnings about its values.
        self.key_lines: dict[str, dict[str, int]] = {}

    def problem(
        self,
        path: str,
        line: int | None,
        key: str | None,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(Problem(path, line, key, message, severity))

    def read(self) -> LoadResult:
        if not self.root.is_dir():
            self.problem(str(self.root), None, None, "the portfolio folder does not exist")
            return LoadResult(Portfolio(), self.problems)
        loops: list[str] = []
        pages = markdown_files(self.root, loops)
        for loop in loops:
            self.problem(
                loop,
                None,
                None,
                "is a link to a folder that contains it; MkDocs would publish its pages "
                "over and over: remove the link",
            )
        for path in pages:
            self.read_file(path)
        self.check_unique_ids()
        portfolio = Portfolio(
            tuple(self.activities),
            tuple(self.goals),
            tuple(self.swots),
            tuple(self.benchmarks),
            root=str(self.root),
            summary=_body_of(self.root, "index.md"),
            profile=_body_of(self.root, "profile.md"),
        )
        self.check_goal_links(portfolio)
        self.check_body_links(portfolio, set(pages))
        self.problems.extend(review(portfolio, self.key_lines, today()))
        self.review_pages(set(pages) - self.record_paths)
        return LoadResult(portfolio, self.problems, self.record_paths)

    def review_pages(self, pages: set[str]) -> None:
        """The summary of practice and profile, which go into the printout, left as started."""
        for name in ("index.md", "profile.md"):
            if name not in pages:
                continue
            try:
                text = (self.root / name).read_text("utf-8-sig").replace("\r\n", "\n")
                front_matter = parse(text)
            except (OSError, UnicodeDecodeError, FrontMatterError):
                continue  # reported by read_file
            self.problems.extend(starter_text(name, front_matter.body, front_matter.body_line))

    def read_file(self, path: str) -> None:
        folder_kind = _FOLDER_KINDS.get(path.split("/", 1)[0]) if "/" in path else None
        try:
            raw = (self.root / path).read_bytes()
        except OSError as error:  # a link to a file that is gone, a file not ours to read
            self.problem(path, None, None, f"cannot be read ({error.strerror or error})")
            if folder_kind:
                self.record_paths.add(path)
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            self.problem(
                path,
                line,
                None,
                f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); "
                f"save the file with UTF-8 encoding",
            )
            if folder_kind:
                self.record_paths.add(path)
            return
        text = text.replace("\r\n", "\n")
        if folder_kind is None and not has_front_matter(text):
            return  # an ordinary page, left to MkDocs
        try:
            front_matter = parse(text)
        except FrontMatterError as error:
            if folder_kind is None:
                self.problem(
                    path,
                    error.line,
                    None,
                    f"{error.message} (MkDocs would ignore this page's front matter)",
                    Severity.WARNING,
                )
            else:
                for line, message, key in error.problems:
                    self.problem(path, line, key, message)
                self.record_paths.add(path)
                self.check_partial(path, folder_kind, error)
            return
        kind = self.kind_of(path, front_matter, folder_kind)
        if kind is None:
            return
        self.record_paths.add(path)
        if not text.strip():
            self.problem(
                path,
                1,
                None,
                f"is empty; {_A_KIND[kind]} starts with front matter "
                f"between '---' lines ({self.required_keys(kind)})",
            )
            return
        if not front_matter.entries:
            self.problem(
                path,
                1,
                None,
                f"has no front matter; {_A_KIND[kind]} starts with '---', "
                f"then 'key: value' lines ({self.required_keys(kind)}), then '---'",
            )
            return
        values, findings = self.schemas[kind].read(front_matter)
        self.report(path, findings)
        # Checked even when another key is wrong, so that one run reports everything.
        evidence = self.check_activity(path, values, front_matter) if kind == "activity" else ()
        if kind == "benchmark":
            self.check_levels(path, values)
        if "id" in values:
            self.id_lines[path] = front_matter.get("id").line
        if any(f.is_error for f in findings):
            if kind == "goal" and "id" in values:
                self.failed_goal_ids.add(values["id"])
            return
        record_id = PurePosixPath(path).stem
        self.key_lines[path] = {entry.key: entry.line for entry in front_matter.entries}
        common = dict(
            path=path,
            body=front_matter.body,
            body_line=front_matter.body_line,
            title=values["title"] if "title" in values else _untitled(kind, values["date"]),
            share=values["share"],
        )
        if kind == "activity":
            self.activities.append(self.activity(record_id, common, values, evidence))
        elif kind == "goal":
            self.goals.append(self.goal(record_id, common, values, front_matter))
        elif kind == "benchmark":
            self.benchmarks.append(
                Benchmark(
                    id=record_id,
                    date=values["date"],
                    levels=tuple((code, level) for code, level, _ in values["levels"]),
                    targets=tuple((code, level) for code, level, _ in values.get("targets", ())),
                    **common,
                )
            )
        else:
            self.swots.append(Swot(id=record_id, date=values["date"], **common))

    def check_partial(self, path: str, folder_kind: str, error: FrontMatterError) -> None:
        """The keys that could be read around a YAML error, checked: one error hides no other."""
        if error.partial is None or not error.partial.entries:
            return
        kind = self.kind_of(path, error.partial, folder_kind)
        if kind is None:
            return
        _, findings = self.schemas[kind].read(error.partial)
        # A key on a broken line is there, only unreadable: 'missing' would mislead.
        self.report(path, [f for f in findings if f.key not in error.broken_keys])

    def required_keys(self, kind: str) -> str:
        required = [name for name, f in self.schemas[kind].fields.items() if f.required]
        return "required: " + ", ".join(required)

    def kind_of(self, path: str, front_matter: FrontMatter, folder_kind: str | None) -> str | None:
        entry = front_matter.get("kind")
        if entry is None:
            return folder_kind
        value = entry.node.value if hasattr(entry.node, "value") else None
        if isinstance(value, str) and value.strip() in KINDS:
            return value.strip()
        shown = value if isinstance(value, str) else "a list or mapping"
        self.problem(
            path,
            entry.line,
            "kind",
            f"kind '{shown}' is not one of {', '.join(KINDS)}"
            + (did_you_mean(shown, KINDS) if isinstance(value, str) else ""),
        )
        self.record_paths.add(path)
        return None

    def report(self, path: str, findings: list[Finding]) -> None:
        for finding in findings:
            self.problem(
                path,
                finding.line,
                finding.key,
                finding.message,
                Severity.ERROR if finding.is_error else Severity.WARNING,
            )

    def check_activity(
        self, path: str, values: dict, front_matter: FrontMatter
    ) -> tuple[Evidence, ...]:
        """The checks beyond one key's value; returns the evidence found."""
        end, date = values.get("end"), values.get("date")
        if end is not None and date is not None and end < date:
            self.problem(
                path,
                front_matter.get("end").line,
                "end",
                f"end {end} is before date {date}; end is the last day, on or after date",
            )
        if "goals" in values:
            self.goal_links.append((path, front_matter.get("goals").line, values["goals"]))
        self.check_competences(path, values, front_matter)
        return self.evidence(path, values.get("evidence", ()), front_matter)

    def check_competences(self, path: str, values: dict, front_matter: FrontMatter) -> None:
        """Codes must be the framework's when it lists them (uk-spec: A1 .. E5)."""
        if not self.framework.check_competences or "competences" not in values:
            return
        codes = list(dict.fromkeys(c.code for c in self.framework.competences))
        for code in values["competences"]:
            if self.framework.competence(code) is None:
                self.problem(
                    path,
                    front_matter.get("competences").line,
                    "competences",
                    f"competence '{code}' is not one of {self.framework.name}'s codes "
                    f"({', '.join(codes)})" + did_you_mean(code.upper(), codes),
                )

    def check_levels(self, path: str, values: dict) -> None:
        """Each benchmarked code a competence of the framework, each level on its scale."""
        framework = self.framework
        scale = [level.level for level in framework.levels]
        low, high = min(scale), max(scale)
        codes = list(dict.fromkeys(c.code for c in framework.competences))
        for key in ("levels", "targets"):
            for code, level, line in values.get(key, ()):
                if framework.check_competences and framework.competence(code) is None:
                    self.problem(
                        path,
                        line,
                        key,
                        f"competence '{code}' is not one of {framework.name}'s codes "
                        f"({', '.join(codes)})" + did_you_mean(code.upper(), codes),
                    )
                if level not in scale:
                    named = ", ".join(f"{lv.level} {lv.name}" for lv in framework.levels)
                    self.problem(
                        path,
                        line,
                        key,
                        f"{code}: level {level} is off the scale, which runs from {low} to "
                        f"{high} ({named})",
                    )

    def activity(
        self, record_id: str, common: dict, values: dict, evidence: tuple[Evidence, ...]
    ) -> Activity:
        return Activity(
            id=record_id,
            **common,
            tags=values.get("tags", ()),
            date=values["date"],
            end=values.get("end"),
            category=values["category"],
            type=values.get("type"),
            hours=values.get("hours"),
            goals=values.get("goals", ()),
            competences=values.get("competences", ()),
            evidence=evidence,
            provider=values.get("provider"),
            location=values.get("location"),
        )

    def goal(self, record_id: str, common: dict, values: dict, front_matter: FrontMatter) -> Goal:
        self.check_competences(common["path"], values, front_matter)
        status = values.get("status", "planned")
        if "achieved" in values and status != "achieved":
            self.problem(
                common["path"],
                front_matter.get("achieved").line,
                "achieved",
                f"achieved is set but status is '{status}'; "
                f"set 'status: achieved' or remove achieved",
                Severity.WARNING,
            )
        return Goal(
            id=values.get("id", record_id),
            **common,
            tags=values.get("tags", ()),
            status=status,
            created=values.get("created"),
            target=values.get("target"),
            achieved=values.get("achieved"),
            competences=values.get("competences", ()),
        )

    def evidence(
        self, path: str, targets: tuple[str, ...], front_matter: FrontMatter
    ) -> tuple[Evidence, ...]:
        found = []
        line = front_matter.get("evidence").line if targets else None
        for target in targets:
            if target.startswith("https://"):
                found.append(Evidence(target, is_link=True))
                continue
            if target.startswith("http://"):
                self.problem(
                    path,
                    line,
                    "evidence",
                    f"evidence link '{target}' is not secure; use https://",
                    Severity.WARNING,
                )
                found.append(Evidence(target, is_link=True))
                continue
            resolved = self.evidence_file(path, target, line)
            if resolved:
                found.append(Evidence(resolved))
        return tuple(found)

    def evidence_file(self, path: str, target: str, line: int | None) -> str | None:
        """The evidence's path relative to the root, or None after reporting why not."""
        if "://" in target or target.startswith("/") or Path(target).is_absolute():
            self.problem(
                path,
                line,
                "evidence",
                f"evidence '{target}' must be a path inside the portfolio folder "
                f"(relative to this file or to the portfolio root) or an https:// link",
            )
            return None
        record_folder = posixpath.dirname(path)
        for candidate in (posixpath.join(record_folder, target), target):
            normal = posixpath.normpath(candidate)
            if normal.startswith("../") or normal == "..":
                continue
            on_disk = self.root / normal
            try:
                exists = on_disk.exists()
            except OSError:  # a name too long for the file system is no file of ours
                exists = False
            if exists:
                if not on_disk.resolve().is_relative_to(self.real_root):
                    self.evidence_outside(path, line, target)
                    return None
                if not on_disk.is_file():
                    self.problem(
                        path,
                        line,
                        "evidence",
                        f"evidence '{target}' is a folder; list the files in it",
                    )
                    return None
                return normal
        leaves = posixpath.normpath(posixpath.join(record_folder, target)).startswith("..")
        if leaves and posixpath.normpath(target).startswith(".."):
            self.evidence_outside(path, line, target)
        else:
            self.problem(
                path,
                line,
                "evidence",
                f"evidence file '{target}' not found (looked beside this file and "
                f"in the portfolio root)",
            )
        return None

    def evidence_outside(self, path: str, line: int | None, target: str) -> None:
        self.problem(
            path,
            line,
            "evidence",
            f"evidence '{target}' leads outside the portfolio folder; "
            f"copy the file into the portfolio (e.g. evidence/)",
        )

    def check_unique_ids(self) -> None:
        for kind, records in (("activity", self.activities), ("goal", self.goals)):
            first: dict[str, str] = {}
            for record in sorted(records, key=lambda r: r.path):
                if record.id in first:
                    self.problem(
                        record.path,
                        self.id_lines.get(record.path),
                        "id",
                        f"duplicate {kind} id '{record.id}': "
                        f"{first[record.id]} has it too; rename one of the files"
                        + (" or change its 'id:'" if kind == "goal" else ""),
                    )
                else:
                    first[record.id] = record.path

    def check_body_links(self, portfolio: Portfolio, pages: set[str]) -> None:
        """Links in a shared reflection to a page that is missing, or private.

        Found in the rendered reflection, as the site will show it: reference-style
        links and raw HTML's `<a href>` too.
        """
        private = {record.path for record in portfolio.records if not record.share}
        for record in portfolio.records:
            # No page link without ".md": most reflections need no rendering here.
            if not record.share or ".md" not in record.body:
                continue
            folder = posixpath.dirname(record.path)
            lines = record.body.split("\n")
            after: dict[str, int] = {}
            for reference in links.references(links.rendered(record.body)):
                target = reference.url.split("#", 1)[0]
                path = links.local_path(folder, target) if reference.tag == "a" else None
                if path is None or not path.endswith(".md"):
                    continue
                start = after.get(target, 0)
                found = [n for n, line in enumerate(lines) if target in line]
                found.sort(key=lambda n: (n < start, n))
                number = record.body_line + found[0] if found else None
                if found:
                    after[target] = found[0] + 1
                if path not in pages:
                    self.problem(
                        record.path,
                        number,
                        None,
                        f"the link to '{target}' leads to no page of the portfolio; "
                        f"check the file name (paths go from this file's folder)",
                        Severity.WARNING,
                    )
                elif path in private:
                    self.problem(
                        record.path,
                        number,
                        None,
                        f"the link to '{target}' leads to a private record "
                        f"(share: false), which an assessor will not see",
                        Severity.WARNING,
                    )

    def check_goal_links(self, portfolio: Portfolio) -> None:
        goal_ids = [goal.id for goal in portfolio.goals]
        # A record that did not load has its own error; an activity naming it (by file
        # name or `id:`) is not also told that the goal does not exist.
        loaded = {
            record.path for record in (*self.activities, *self.goals, *self.swots, *self.benchmarks)
        }
        failed = {PurePosixPath(path).stem for path in self.record_paths - loaded}
        failed |= self.failed_goal_ids
        for path, line, linked_ids in self.goal_links:
            for goal_id in linked_ids:
                if portfolio.goal(goal_id) is None and goal_id not in failed:
                    known = ", ".join(goal_ids) if goal_ids else "none yet: add one under goals/"
                    self.problem(
                        path,
                        line,
                        "goals",
                        f"goal '{goal_id}' does not exist"
                        + (did_you_mean(goal_id, goal_ids) or f"; known goals: {known}"),
                    )


def _untitled(kind: str, day) -> str:
    return "SWOT analysis" if kind == "swot" else f"Benchmark, {day:%B %Y}"


def _body_of(root: Path, name: str) -> str | None:
    page = read_page(root, name)
    return page[1] if page is not None and page[1] else None


def read_page(root: str | os.PathLike, name: str) -> tuple[str | None, str] | None:
    """An ordinary page of the portfolio (index.md, profile.md): its title and body."""
    path = Path(root) / name
    if not path.is_file():
        return None
    try:
        front_matter = parse(path.read_text("utf-8-sig").replace("\r\n", "\n"))
    except (FrontMatterError, UnicodeDecodeError):
        return None  # reported by load()
    entry = front_matter.get("title")
    title = entry.node.value if entry is not None and hasattr(entry.node, "value") else None
    return (title.strip() or None) if isinstance(title, str) else None, front_matter.body.strip()


def read_statement(root: str | os.PathLike) -> str | None:
    """The member's index.md (summary of practice) as Markdown, titled by its front matter."""
    page = read_page(root, "index.md")
    if page is None:
        return None
    title, body = page
    if title and not body.startswith("#"):
        # The title is user text going into Markdown: keep it literal.
        from .markup import text

        body = f"## {text(title)}\n\n{body}"
    return body or None
