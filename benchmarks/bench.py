"""Benchmark cpdfolio against what a member would otherwise use, in one run.

    python benchmarks/bench.py [--sizes 1000 2000] [--kinds site plain-home] [--repeat 3]
                               [--out results.json]

Writes seeded synthetic portfolios in the documented format, then measures,
each in a fresh process, the wall time (the best of --repeat runs, nothing else
watching) and, in one more run, the peak memory:

  site          mkdocs build with cpdfolio (pdf: false)
  plain         mkdocs build of the same Markdown with plain mkdocs-material
  plain-home    the same with a nav of the home page only (the engine's floor)
  pdf           cpdfolio's printout alone (period: all), no cache
  pdf-warm      the printout again after one activity's reflection changed, the
                part cache warmed by a printout before (not timed)
  site-warm     `site` again after one activity's reflection changed, a build
                before (not timed)
  weasyprint    WeasyPrint alone on the same records (goals and activities) as
                one plain HTML file
  print-site    the usual MkDocs route to a PDF: mkdocs-material with
                mkdocs-print-site-plugin, then headless Chromium prints its page
  serve-reload  `mkdocs serve` with cpdfolio (the printout left out, as by
                default): seconds from editing one activity's reflection to its
                page being served with the change
  serve-pdf     `cpdfolio serve --pdf`: seconds from editing one activity's
                reflection to the served printout holding the change (the
                slowest of three edits; its page's time is reported beside)

and prints a table of times, ratios and peak memory (the proportional set size
of the process and every process it starts, sampled), also written as JSON;
with two sizes or more, also how time and site size grow with the records.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

CATEGORIES = ["work-based", "professional", "formal", "self-directed", "other"]
TYPES = ["course", "conference", "webinar", "reading", "mentoring", "committee", "on-the-job"]
COMPETENCES = [
    f"{g}{n}"
    for g, count in zip("ABCDE", (2, 3, 4, 3, 5), strict=True)
    for n in range(1, count + 1)
]
WORDS = (
    "linac output constancy dosimetry commissioning audit patient safety trainee supervision "
    "imaging protocol uncertainty calibration chamber phantom tolerance incident review "
    "learning practice service colleague evidence standard guidance measurement planning "
    "treatment quality assurance software validation risk assessment communication team"
).split()
HEADINGS = ["What I did", "What I learned", "How I will apply it", "Benefit to others"]


def paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = rng.choices(WORDS, k=rng.randint(9, 16))
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def write_portfolio(root: Path, activities: int, seed: int = 2026) -> Path:
    """A seeded portfolio: `activities` records over ten years, 12 goals, a SWOT."""
    rng = random.Random(seed)
    docs = root / "portfolio"
    (docs / "goals").mkdir(parents=True)
    goals = [f"goal-{n:02d}" for n in range(12)]
    statuses = ["planned", "in-progress", "achieved", "dropped"]
    for n, goal in enumerate(goals):
        (docs / "goals" / f"{goal}.md").write_text(
            f"---\ntitle: Development goal number {n + 1}\nstatus: {statuses[n % 4]}\n"
            f"created: 2016-01-{n + 1:02d}\n---\n## Why this goal\n\n{paragraph(rng)}\n"
        )
    start = datetime.date(2016, 1, 1)
    for n in range(activities):
        day = start + datetime.timedelta(days=rng.randrange(3650))
        folder = docs / "activities" / str(day.year)
        folder.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join(f"## {h}\n\n{paragraph(rng)}" for h in HEADINGS)
        (folder / f"{day.isoformat()}-activity-{n:05d}.md").write_text(
            f"---\ntitle: Activity {n} on {rng.choice(WORDS)} and {rng.choice(WORDS)}\n"
            f"date: {day.isoformat()}\ncategory: {rng.choice(CATEGORIES)}\n"
            f"type: {rng.choice(TYPES)}\nhours: {rng.randint(1, 16) / 2}\n"
            f"goals: [{', '.join(rng.sample(goals, rng.randint(0, 2)))}]\n"
            f"competences: [{', '.join(rng.sample(COMPETENCES, 2))}]\n---\n{body}\n"
        )
    (docs / "swot.md").write_text(
        "---\nkind: swot\ndate: 2025-01-01\n---\n"
        + "\n\n".join(
            f"## {h}\n\n- {paragraph(rng)}"
            for h in ("Strengths", "Weaknesses", "Opportunities", "Threats")
        )
    )
    (docs / "index.md").write_text(f"---\ntitle: Summary of practice\n---\n{paragraph(rng)}\n")
    return root


def mkdocs_yml(root: Path, variant: str) -> Path:
    config = root / f"mkdocs-{variant}.yml"
    ours = variant in ("site", "serve")
    if ours:
        # The layout `cpdfolio new` makes: the engine reads only the generated pages.
        engine_docs = root / "built-by-cpdfolio"
        engine_docs.mkdir(exist_ok=True)
        (engine_docs / "index.md").write_text("# Built by cpdfolio\n")
    lines = [
        "site_name: Benchmark",
        "docs_dir: built-by-cpdfolio" if ours else "docs_dir: portfolio",
        f"site_dir: site-{variant}",
        "theme:",
        "  name: material",
    ]
    if ours:
        lines += [
            "plugins:",
            "  - search",
            "  - cpdfolio:",
            "      records: portfolio",
            "      owner: Benchmark Member",
            "      period: all",
        ]
        # Under serve the printout is left out by default, as a member has it.
        if variant == "site":
            lines.append("      pdf: false")
    else:
        lines += ["plugins:", "  - search"]
    if variant == "print-site":
        lines[-1:] = ["  - search", "  - print-site"]
    if variant == "plain-home":
        lines += ["nav:", "  - index.md", "validation:", "  nav:", "    omitted_files: ignore"]
    config.write_text("\n".join(lines) + "\n")
    return config


# -- measurements, each run in its own process by `_run` -----------------------------


def run_mkdocs(config: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(config_file=str(config)))


def run_pdf(root: Path, cached: bool = False) -> None:
    from cpdfolio import load
    from cpdfolio.printout import cache as printcache
    from cpdfolio.printout import write_pdf
    from cpdfolio.records.loader import read_statement
    from cpdfolio.settings import Settings

    docs = root / "portfolio"
    result = load(docs)
    write_pdf(
        result.portfolio,
        root / "cpdfolio.pdf",
        Settings(owner="Benchmark Member"),
        docs,
        # The cache of the project in `root`, as `cpdfolio pdf` uses it.
        cache=printcache.for_project(root) if cached else None,
        statement=read_statement(docs),
    )


# The warm measures: what runs first, untimed, to warm them up.
WARMED_BY = {"pdf-warm": "pdf-prime", "site-warm": "site"}


def edit_reflection(root: Path) -> None:
    """One activity's reflection changed, as a member fixing a sentence."""
    records = sorted((root / "portfolio" / "activities").rglob("*.md"))
    record = records[len(records) // 2]
    text = record.read_text("utf-8")
    word = f"revised{time.time_ns()}"
    record.write_text(text.replace("## What I learned\n", f"## What I learned\n\n{word}.\n", 1))


def run_weasyprint(root: Path) -> None:
    import markdown
    import weasyprint

    from cpdfolio import load

    portfolio = load(root / "portfolio").portfolio
    md = markdown.Markdown(extensions=["tables"])
    parts = [
        "<html><head><meta charset='utf-8'><style>@page { size: A4; margin: 2cm }"
        " body { font-family: 'DejaVu Serif'; font-size: 10pt }</style></head><body>"
    ]
    for record in [*portfolio.goals, *portfolio.activities]:
        md.reset()
        parts.append(f"<h1>{record.title}</h1>{md.convert(record.body)}")
    parts.append("</body></html>")
    weasyprint.HTML(string="".join(parts)).write_pdf(root / "plain.pdf")


def run_print_site(root: Path) -> None:
    """mkdocs build with print-site, then Chromium prints the combined page to PDF."""
    run_mkdocs(root / "mkdocs-print-site.yml")
    page = root / "site-print-site" / "print_page" / "index.html"
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("print-site needs Chromium (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={root / 'print-site.pdf'}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=3000,
        )


def _tree_memory_mb(pid: int) -> float:
    """Proportional memory (PSS) of a process and all its descendants, in MB.

    PSS shares each page among the processes mapping it, so workers forked from
    one parent are not counted twice, and a build that spreads over processes is
    measured whole (Linux only; elsewhere the process's own peak is reported).
    """
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):  # gone while we looked
            continue
    return total / 1024


def run_serve_reload(root: Path, edits: int = 3, pdf: bool = False) -> dict:
    """`mkdocs serve`, then the slowest of `edits` edits to reach the page, in seconds;
    with `pdf` (`serve --pdf`), to reach the served printout as well."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    record = sorted((root / "portfolio" / "activities").rglob("*.md"))[0]
    relative = record.relative_to(root / "portfolio").with_suffix("")
    url = f"http://127.0.0.1:{port}/{relative.as_posix()}/"
    # `cpdfolio serve DIR` reads DIR/mkdocs.yml.
    shutil.copy(root / "mkdocs-serve.yml", root / "mkdocs.yml")
    printout = f"http://127.0.0.1:{port}/cpd-portfolio.pdf"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cpdfolio.cli",
            "serve",
            str(root),
            "-a",
            f"127.0.0.1:{port}",
            *(["--pdf"] if pdf else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 600
        while _fetch(url) is None or (pdf and not _printout_text(printout)[0]):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        slowest = slowest_pdf = 0.0
        for n in range(edits):
            word = f"reloadcanary{n}x{time.time_ns()}"
            edited = time.monotonic()
            with record.open("a", encoding="utf-8") as file:
                file.write(f"\n{word}\n")
            while word not in (_fetch(url) or ""):
                if time.monotonic() - edited > 120:
                    raise SystemExit(f"the edit did not reach {url} in two minutes")
                time.sleep(0.05)
            slowest = max(slowest, time.monotonic() - edited)
            while pdf:
                text, fetched = _printout_text(printout)
                if word in text:
                    # When the PDF holding the edit was served, not when pdftotext
                    # had read its thousand pages (1.8 s): that is the benchmark's own.
                    slowest_pdf = max(slowest_pdf, fetched - edited)
                    break
                if time.monotonic() - edited > 300:
                    raise SystemExit("the edit did not reach the printout in five minutes")
                time.sleep(0.25)
            time.sleep(1)  # let the watcher settle before the next edit
        return {"seconds": slowest_pdf, "page_seconds": slowest} if pdf else {"seconds": slowest}
    finally:
        server.terminate()
        server.wait(timeout=30)


_read: dict[str, tuple[bytes, str, float]] = {}


def _printout_text(url: str) -> tuple[str, float]:
    """The words of the PDF served at `url` ('' while there is none), and when
    (time.monotonic) these bytes were first fetched.

    Read again only when its bytes change: pdftotext on a thousand pages at each
    look took the core that the preview's printout, of lower priority, needed.
    """
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            data = response.read()
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        return "", time.monotonic()
    fetched = time.monotonic()
    if url in _read and _read[url][0] == data:
        return _read[url][1], _read[url][2]
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True)
    text = result.stdout.decode("utf-8", "replace") if result.returncode == 0 else ""
    _read[url] = (data, text, fetched)
    return text, fetched


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        return None


def measure(kind: str, root: Path, repeat: int = 1) -> dict:
    """Time `kind` (the best of `repeat` runs), then its memory in a run of its own.

    Sampling the memory of a process tree reads /proc twenty times a second,
    which took a core's share from builds that use both: the timed runs go
    unwatched, and a separate run is watched for its peak.
    """
    if kind in WARMED_BY:
        _run(WARMED_BY[kind], root)

    def run(sample: bool = False) -> tuple[float, dict, float]:
        if kind in WARMED_BY:
            edit_reflection(root)
        return _run(kind, root, sample)

    seconds = min(run()[0] for _ in range(repeat))
    _seconds, own, peak_tree = run(sample=True)
    # The tree's sampled peak; the process's own maximum where sampling saw less
    # (or could not look, off Linux).
    peak_mb = max(peak_tree, own["peak_mb"] if not peak_tree else 0)
    site = root / f"site-{kind}"
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) if site.exists() else None
    measured = {
        "seconds": round(seconds, 2),
        "peak_mb": round(peak_mb, 1),
        "output_mb": round(size / 2**20, 1) if size else None,
    }
    if "page_seconds" in own:  # serve-pdf: the edited page's time, beside the printout's
        measured["page_seconds"] = round(own["page_seconds"], 2)
    return measured


def _run(kind: str, root: Path, sample: bool = False) -> tuple[float, dict, float]:
    """One build in a fresh process: its seconds, its own report, its tree's peak MB."""
    # The last build's files on disk first: the kernel writing them back slowed the
    # next build measured (the floor, built after the site, by up to a second).
    if hasattr(os, "sync"):
        os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "_run", kind, str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    peak_tree = 0.0
    sampler_done = threading.Event()

    def sample_memory() -> None:
        nonlocal peak_tree
        while not sampler_done.wait(0.05):
            peak_tree = max(peak_tree, _tree_memory_mb(process.pid))

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler_done.set()
    if sample:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{stderr[-3000:]}")
    own = json.loads(stdout.strip().splitlines()[-1])
    # serve-reload and serve-pdf report their own time: from the edit to what is served.
    return own.get("seconds", seconds), own, peak_tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 2000])
    parser.add_argument(
        "--kinds",
        nargs="+",
        default=[
            "site",
            "site-warm",
            "plain",
            "plain-home",
            "serve-reload",
            "serve-pdf",
            "pdf",
            "pdf-warm",
            "weasyprint",
            "print-site",
        ],
    )
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results.json"))
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each build this many times; keep the best"
    )
    args = parser.parse_args()
    results: dict = {"python": sys.version.split()[0], "cores": os.cpu_count(), "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            root = write_portfolio(Path(tmp) / f"p{size}", size)
            for variant in ("site", "serve", "plain", "plain-home", "print-site"):
                mkdocs_yml(root, variant)
            row = {kind: measure(kind, root, args.repeat) for kind in args.kinds}
            results["runs"][size] = row
            shutil.rmtree(root)
            print_row(size, row)
    print_growth(results["runs"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {args.out}")


def print_growth(runs: dict) -> None:
    """How time and site size grow from each size to the next, against the records' growth."""
    sizes = sorted(runs)
    for small, large in zip(sizes, sizes[1:], strict=False):
        print(f"\n{small} -> {large} activities ({large / small:.2f} x the records)")
        for kind in runs[large]:
            if kind not in runs[small]:
                continue
            before, after = runs[small][kind], runs[large][kind]
            line = f"  {kind:<12} time {after['seconds'] / before['seconds']:.2f} x"
            if before["output_mb"] and after["output_mb"]:
                line += f", site size {after['output_mb'] / before['output_mb']:.2f} x"
            print(line)


def print_row(size: int, row: dict) -> None:
    print(f"\n{size} activities")
    print(f"  {'what':<12}{'seconds':>9}{'peak MB':>9}{'site MB':>9}  ratio")
    baselines = {"site": "plain-home", "pdf": "weasyprint", "pdf-warm": "pdf", "site-warm": "site"}
    if {"site", "pdf", "print-site"} <= row.keys():
        both = row["site"]["seconds"] + row["pdf"]["seconds"]
        print(
            f"  site + pdf {both:.1f} s against print-site {row['print-site']['seconds']} s: "
            f"{both / row['print-site']['seconds']:.2f} x"
        )
    for kind, m in row.items():
        ratio = ""
        base = baselines.get(kind)
        if base in row:
            ratio = (
                f"{m['seconds'] / row[base]['seconds']:.2f} x {base} time, "
                f"{m['peak_mb'] / row[base]['peak_mb']:.2f} x memory"
            )
            if kind == "site" and "plain" in row:
                ratio += f"; {m['seconds'] / row['plain']['seconds']:.2f} x plain"
        if kind == "serve-reload":
            ratio = "from editing one record to its page served with the change"
        if kind == "serve-pdf":
            ratio = (
                f"from editing one record to the served printout holding it "
                f"(its page: {m.get('page_seconds', 0):.2f} s)"
            )
        print(f"  {kind:<12}{m['seconds']:>9}{m['peak_mb']:>9}{m['output_mb'] or '':>9}  {ratio}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "_run":
        kind, root = sys.argv[2], Path(sys.argv[3])
        if kind in ("site", "plain", "plain-home"):
            run_mkdocs(root / f"mkdocs-{kind}.yml")
        elif kind == "site-warm":
            run_mkdocs(root / "mkdocs-site.yml")
        elif kind == "pdf":
            run_pdf(root)
        elif kind in ("pdf-warm", "pdf-prime"):
            run_pdf(root, cached=True)
        elif kind == "print-site":
            run_print_site(root)
        elif kind in ("serve-reload", "serve-pdf"):
            reload_seconds = run_serve_reload(root, pdf=kind == "serve-pdf")
        else:
            run_weasyprint(root)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        report = {"peak_mb": peak, "children_mb": children}
        if kind in ("serve-reload", "serve-pdf"):
            report.update(reload_seconds)
        print(json.dumps(report))
    else:
        main()
