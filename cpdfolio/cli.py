"""The `cpdfolio` command: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import logging
import os
import re
import shlex
import sys
from dataclasses import replace
from pathlib import Path

import click

# Our users run MkDocs through us; another project's notice is not for them.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from .audit.checks import CheckResult, audit, audit_each  # noqa: E402
from .frameworks import Framework, FrameworkError  # noqa: E402
from .records import markup  # noqa: E402
from .records.loader import LoadResult, load, read_statement  # noqa: E402
from .records.model import Problem  # noqa: E402
from .records.period import PeriodError, parse_period, today  # noqa: E402
from .records.summary import summarise  # noqa: E402
from .settings import Settings  # noqa: E402


def _project(directory: str):
    """The MkDocs config and settings of DIR, with docs_dir set to the records folder."""
    from .project import ProjectError, open_project
    from .site.layout import project_layout, warn_if_unsafe

    try:
        config, settings = open_project(directory)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None
    layout = project_layout(config)
    warn_if_unsafe(layout)
    # The commands below read and write records; in the safe layout docs_dir is not them.
    config.docs_dir = str(layout.records)
    return config, settings


_ENGINE = click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site engine that lays out the pages cpdfolio generates.",
)


_NO_CACHE = click.option(
    "--no-cache",
    is_flag=True,
    help="Lay out every part of the printout afresh; read and write no cache.",
)


def _cache_used(used: bool):
    """The printout's part cache used (the default), or not (--no-cache)."""
    from .printout import cache as printcache

    return contextlib.nullcontext() if used else printcache.disabled()


def _period_options(command):
    """--period / --from / --to, meaning what `period:` means in mkdocs.yml."""

    @click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period.")
    @click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period.")
    @click.option(
        "--period",
        metavar="NAME",
        help="last-12-months, last-24-months, calendar-year, previous-calendar-year, all, "
        "or a year such as 2025 (default: the period of mkdocs.yml).",
    )
    @functools.wraps(command)
    def wrapper(*args, start=None, end=None, period=None, **kwargs):
        if period and (start or end):
            raise click.UsageError("give either --period or --from/--to, not both")
        override = period if period else {"from": start, "to": end} if (start or end) else None
        if override is not None:
            _parse_period(override)  # a mistake is told before anything is built
        kwargs["period_override"] = override
        return command(*args, **kwargs)

    return wrapper


def _parse_period(override: object):
    try:
        return parse_period(override, command_line=True)
    except PeriodError as error:
        hint = "--from/--to" if isinstance(override, dict) else "--period"
        raise click.BadParameter(str(error), param_hint=hint) from None


def _with_period(settings: Settings, override: object) -> Settings:
    if override is None:
        return settings
    return replace(
        settings, period=_parse_period(override), period_name=str(override), period_chosen=True
    )


def _framework_option(default: str):
    """--framework ID: answer for one of the portfolio's bodies."""
    return click.option(
        "--framework",
        "body",
        metavar="ID",
        help=f"Answer for this one of the portfolio's frameworks (default: {default}).",
    )


def _for_body(settings: Settings, body: str | None) -> Settings:
    if body is None:
        return settings
    try:
        return settings.for_body(body)
    except FrameworkError as error:
        raise click.BadParameter(str(error), param_hint="--framework") from None


def _audit(result: LoadResult, settings: Settings) -> list[CheckResult]:
    try:
        return audit(result.portfolio, settings.body, settings.period, locale=settings.locale)
    except FrameworkError as error:
        raise click.ClickException(str(error)) from None


def _audit_each(result: LoadResult, settings: Settings, every: bool):
    """Each body's checks, or only those of `settings.body` unless `every`."""
    bodies = settings.bodies if every else (settings.body,)
    try:
        return audit_each(result.portfolio, bodies, settings.period, locale=settings.locale)
    except FrameworkError as error:
        raise click.ClickException(str(error)) from None


@click.group()
@click.version_option(package_name="cpdfolio")
@click.option("-q", "--quiet", is_flag=True, help="Show warnings and errors only.")
def main(quiet: bool) -> None:
    """Turn a folder of Markdown CPD records into a portfolio site and printout."""
    # MkDocs logs through 'mkdocs'; show it as `mkdocs build` would.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@_period_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text for people, json for scripts and CI.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@_framework_option("every one")
def check(
    directory: str, period_override: object, output_format: str, strict: bool, body: str | None
) -> None:
    """Check every record and the audit readiness of the portfolio in DIRECTORY."""
    from .project import display_root

    config, settings = _project(directory)
    settings = _for_body(_with_period(settings, period_override), body)
    result = load(config.docs_dir, settings.framework)
    # Paths as the member would type them from here, wherever mkdocs.yml was found.
    project = os.path.dirname(os.path.relpath(config.config_file_path))
    root = os.path.normpath(os.path.join(project, display_root(config)))
    readiness = _audit_each(result, settings, every=body is None)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if output_format == "json":
        click.echo(json.dumps(report(result, readiness, settings, root), indent=2))
    else:
        _print_report(result, readiness, settings, root)
    if failed:
        sys.exit(1)


def report(
    result: LoadResult,
    readiness: list[tuple[Framework, list[CheckResult]]],
    settings: Settings,
    root: str,
) -> dict:
    """The check's findings as JSON-ready data (the documented, stable shape)."""

    def problem(p: Problem) -> dict:
        return {"file": f"{root}/{p.path}", "line": p.line, "key": p.key, "message": p.message}

    summary = summarise(result.portfolio.shared(), settings.period)
    period = settings.period
    checks = [c for _, results in readiness for c in results]
    return {
        "errors": [problem(p) for p in result.errors],
        "warnings": [problem(p) for p in result.warnings],
        "audit": [
            {
                "framework": body.name,
                "id": c.id,
                "title": c.title,
                "standard": c.standard,
                "passed": c.passed,
                "detail": c.detail,
                "records": [f"{root}/{path}" for path in c.records],
            }
            for body, results in readiness
            for c in results
        ],
        "summary": {
            "framework": readiness[0][0].name if len(readiness) == 1 else settings.framework.name,
            "frameworks": [body.name for body, _ in readiness],
            "period": {
                "from": period.start.isoformat() if period.start else None,
                "to": period.end.isoformat() if period.end else None,
                "description": period.describe(settings.locale),
            },
            "activities": summary.activities,
            "hours": summary.hours,
            "goals": summary.goals,
            "private_records": sum(1 for r in result.portfolio.records if not r.share),
            "activities_per_year": {str(y): n for y, n in summary.per_year.items()},
            "activities_per_category": summary.per_category,
            "hours_per_category": summary.hours_per_category,
            "goals_per_status": summary.goals_per_status,
            "audit_passed": sum(1 for c in checks if c.passed),
            "audit_failed": sum(1 for c in checks if not c.passed),
        },
    }


def _print_report(
    result: LoadResult,
    readiness: list[tuple[Framework, list[CheckResult]]],
    settings: Settings,
    root: str,
) -> None:
    for problem in result.problems:
        _echo_problem(problem, root)
    shared = result.portfolio.shared()
    summary = summarise(shared, settings.period)
    framework = settings.framework
    private = sum(1 for r in result.portfolio.records if not r.share)
    click.echo(
        f"{markup.count(len(result.portfolio.activities), 'activity', 'activities')}, "
        f"{markup.count(len(result.portfolio.goals), 'goal', 'goals')}, "
        f"{len(result.portfolio.swots)} SWOT ({private} private, left out of what follows)"
    )
    click.echo(
        f"Period {settings.period.describe(settings.locale)}: "
        f"{markup.count(summary.activities, 'activity', 'activities')}, "
        f"{markup.count_hours(summary.hours)}"
    )
    if summary.per_year:
        click.echo("  per year: " + ", ".join(f"{y}: {n}" for y, n in summary.per_year.items()))
    click.echo(
        "  per category: "
        + ", ".join(
            f"{c.name}: {summary.per_category.get(c.id, 0)} "
            f"({markup.hours(summary.hours_per_category.get(c.id, 0))} h)"
            for c in framework.categories
        )
    )
    for body, checks in readiness:
        _print_readiness(body, checks, root)
    errors, warnings = len(result.errors), len(result.warnings)
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")


def _print_readiness(body: Framework, checks: list[CheckResult], root: str) -> None:
    click.echo(f"Audit readiness ({body.title}):")
    for c in checks:
        mark = click.style("pass", fg="green") if c.passed else click.style("FAIL", fg="red")
        click.echo(f"  {mark}  {c.title}: {c.detail}")
        for path in c.records[:10]:
            click.echo(f"          {root}/{path}")
        if len(c.records) > 10:
            click.echo(f"          and {len(c.records) - 10} more")
    failed = [c for c in checks if not c.passed]
    if checks and not failed:
        click.echo(f"Ready for an audit of this period: all {len(checks)} checks pass.")
    elif failed:
        click.echo(
            f"Before an audit of this period, see to {len(failed)} of {len(checks)} checks: "
            + "; ".join(c.title for c in failed)
            + "."
        )


def _echo_problem(problem: Problem, root: str) -> None:
    label = (
        click.style("error", fg="red") if problem.is_error else click.style("warning", fg="yellow")
    )
    click.echo(
        f"{root}/{problem.path}"
        + (f":{problem.line}" if problem.line else "")
        + f": {label}: {problem.message}"
    )


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@_period_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Where to write the PDF.")
@_framework_option("the first")
@click.option(
    "--checks/--no-checks",
    default=None,
    help="Print cpdfolio's audit checks (default: print_checks of mkdocs.yml, off).",
)
@click.option(
    "--draft-profile/--no-draft-profile",
    default=None,
    help="Print a drafted profile when there is no profile.md "
    "(default: print_draft_profile of mkdocs.yml, off).",
)
@click.option(
    "--archive",
    is_flag=True,
    help="Write PDF/A-3b for a long-term archive, the evidence attached as associated files.",
)
@_NO_CACHE
def pdf(
    directory: str,
    period_override: object,
    output: str | None,
    body: str | None,
    checks: bool | None,
    draft_profile: bool | None,
    archive: bool,
    no_cache: bool,
) -> None:
    """Print the portfolio in DIRECTORY, or one period of it, as one PDF."""
    from .printout import ARCHIVE_AND_PASSPHRASE, describe, for_print, write_pdf
    from .printout import cache as printcache
    from .project import display_root, format_problems

    config, settings = _project(directory)
    settings = _for_body(_with_period(settings, period_override), body)
    if body is not None and period_override is None:
        settings = replace(settings, period_chosen=False)  # the body's window, if it has one
    settings = for_print(settings)
    if checks is not None:
        settings = replace(settings, print_checks=checks)
    if draft_profile is not None:
        settings = replace(settings, print_draft_profile=draft_profile)
    if archive and settings.passphrase:
        raise click.ClickException(ARCHIVE_AND_PASSPHRASE)
    if archive:
        settings = replace(settings, archive=True)
    result = load(config.docs_dir, settings.framework)
    if result.errors:
        raise click.ClickException(
            "the portfolio has errors; no printout was made:\n"
            + format_problems(result.errors, display_root(config))
        )
    if settings.passphrase:
        from .passphrase import weakness

        weak = weakness(settings.passphrase)
        if weak:
            raise click.ClickException(f"{weak}; no printout was made")
    target = output or os.path.join(config.site_dir, settings.pdf or "cpd-portfolio.pdf")
    project = Path(config.config_file_path).parent
    printout = write_pdf(
        result.portfolio,
        target,
        settings,
        config.docs_dir,
        cache=None if no_cache else printcache.for_project(project, settings.passphrase),
        statement=read_statement(config.docs_dir),
        extensions=list(config.markdown_extensions),
        extension_configs=dict(config.mdx_configs),
    )
    shown = output or os.path.relpath(printout.path)
    click.echo(f"Printout written to {shown} ({describe(printout)})")
    if settings.passphrase:
        click.echo("It is encrypted: it opens with the portfolio's passphrase (AES-256).")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@_period_options
@_framework_option("the first")
def profile(directory: str, period_override: object, body: str | None) -> None:
    """Print a draft written profile (profile.md) from the audit checks, to edit and keep."""
    from .audit.profile import draft_profile

    config, settings = _project(directory)
    settings = _for_body(_with_period(settings, period_override), body)
    result = load(config.docs_dir, settings.framework)
    click.echo(draft_profile(result.portfolio, settings, _audit(result, settings)), nl=False)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@_ENGINE
@_period_options
@_NO_CACHE
def build(
    directory: str, strict: bool, engine: str, period_override: object, no_cache: bool
) -> None:
    """Build the site (and printout) of the portfolio in DIRECTORY."""
    from .project import ProjectError
    from .site import pipeline
    from .site.engines.mkdocs.options import period_override as overriding

    try:
        with overriding(period_override), _cache_used(not no_cache):
            site = pipeline.build(directory, engine, strict=strict)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Site written to {os.path.relpath(site)}")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("-a", "--dev-addr", metavar="IP:PORT", help="Address to serve on.")
@_ENGINE
@_period_options
@click.option(
    "--pdf",
    "live_pdf",
    is_flag=True,
    help="Make the printout too, again in the background after each edit (mkdocs engine).",
)
@_NO_CACHE
def serve(
    directory: str,
    dev_addr: str | None,
    engine: str,
    period_override: object,
    live_pdf: bool,
    no_cache: bool,
) -> None:
    """Preview the site of the portfolio in DIRECTORY, rebuilding on every edit."""
    from .printout import live as live_printout
    from .project import ProjectError
    from .site import pipeline
    from .site.engines.mkdocs.options import period_override as overriding

    if live_pdf and engine != "mkdocs":
        raise click.ClickException(
            f"serve --pdf makes the printout with the mkdocs engine only; run "
            f"'cpdfolio pdf' beside 'cpdfolio serve --engine {engine}'"
        )
    printing = live_printout.printing() if live_pdf else contextlib.nullcontext()
    try:
        with overriding(period_override), printing, _cache_used(not no_cache):
            pipeline.serve(directory, engine, dev_addr)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None


# -- authoring and moving records in and out ----------------------------------------


@main.command()
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--owner", default="", help="Your name, for the site and the printout's cover.")
@click.option(
    "--framework",
    default="default",
    show_default=True,
    help="default, uk-spec, ieng, engtech, hcpc, csci, rsci, rscitech, "
    "or the path of a framework file.",
)
def new(directory: str, owner: str, framework: str) -> None:
    """Start a portfolio in DIRECTORY (new or empty) that builds at once."""
    from .exchange.authoring import AuthoringError, new_portfolio

    try:
        written = new_portfolio(directory, owner=owner, framework=framework)
    except AuthoringError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Started a CPD portfolio in {directory}:")
    for path in written:
        click.echo(f"  {os.path.relpath(path)}")
    click.echo(
        f"Next: cd {shlex.quote(directory)}, preview it with 'cpdfolio serve', and record an "
        f"activity with 'cpdfolio add activity \"Title\" --category formal'."
    )


@main.command()
@click.argument("kind", type=click.Choice(["activity", "goal"]))
@click.argument("title")
@click.option(
    "-C",
    "directory",
    default=".",
    type=click.Path(file_okay=False),
    help="The folder of the portfolio's mkdocs.yml (default: this one).",
)
@click.option(
    "--date",
    "day",
    metavar="YYYY-MM-DD",
    help="The activity's date, or the day a goal was set (default: today).",
)
@click.option(
    "--created",
    metavar="YYYY-MM-DD",
    help="The day a goal was set; asked for when not given in a terminal (default: today).",
)
@click.option("--category", metavar="ID", help="The activity's category id of the framework.")
@click.option(
    "--goal", "goals", multiple=True, metavar="ID", help="A goal the activity serves (repeatable)."
)
@click.option("--edit", is_flag=True, help="Open the new record in $EDITOR.")
def add(
    kind: str,
    title: str,
    directory: str,
    day: str | None,
    created: str | None,
    category: str | None,
    goals: tuple[str, ...],
    edit: bool,
) -> None:
    """Write a new activity or goal from the framework's template and print its path."""
    from .exchange.authoring import AuthoringError, add_activity, add_goal, open_in_editor

    editor = os.environ.get("EDITOR", "")
    if edit and not editor.strip():
        raise click.ClickException(
            "--edit opens $EDITOR, which is not set: set it to your editor, like EDITOR=nano"
        )
    if kind == "goal" and (category or goals):
        raise click.ClickException("--category and --goal are for activities, not goals")
    if kind == "activity" and created:
        raise click.ClickException("--created is for goals; an activity's day is --date")
    if day and created:
        raise click.ClickException("give the day a goal was set once: --created or --date")
    config, settings = _project(directory)
    if kind == "goal" and not (day or created) and sys.stdin.isatty():
        # A goal added late must not claim today: planning after the fact reads badly.
        created = click.prompt(
            "The day you set this goal (YYYY-MM-DD)", default=today().isoformat()
        )
    try:
        if kind == "activity":
            path = add_activity(
                config.docs_dir,
                settings.framework,
                title,
                day=_day_option(day),
                category=category,
                goals=goals,
            )
        else:
            path = add_goal(
                config.docs_dir,
                settings.framework,
                title,
                day=_day_option(created or day, "--created" if created else "--date"),
            )
        click.echo(os.path.relpath(path))
        if edit:
            open_in_editor(path, editor)
    except AuthoringError as error:
        raise click.ClickException(str(error)) from None


def _day_option(day: str | None, option: str = "--date") -> datetime.date | None:
    if day is None:
        return None
    day = day.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise click.ClickException(
            f"{option} '{day}' should be a day written YYYY-MM-DD, like 2025-03-14"
        )
    try:
        return datetime.date.fromisoformat(day)
    except ValueError:
        raise click.ClickException(f"{option} '{day}' is not a day of the calendar") from None


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "xlsx", "json"]),
    required=True,
    help="csv and json print to the terminal unless given -o; xlsx needs -o.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="The file to write.")
def export(directory: str, output_format: str, output: str | None) -> None:
    """Export every record of DIRECTORY, private ones too, as a backup (CSV: activities)."""
    from .exchange import ExchangeError, counted, listed
    from .exchange import export as export_records
    from .project import display_root, format_problems

    config, settings = _project(directory)
    result = load(config.docs_dir, settings.framework)
    if result.errors:
        raise click.ClickException(
            "the portfolio has errors, and the records with one would be missing from the "
            "export; fix them first:\n" + format_problems(result.errors, display_root(config))
        )
    try:
        text = export_records(result.portfolio, settings.framework, output_format, output)
    except (ExchangeError, OSError) as error:
        raise click.ClickException(str(error)) from None
    held, left_out = counted(result.portfolio, output_format)
    if text is not None:
        click.echo(text, nl=False)
    else:
        click.echo(f"Exported {listed(held)} to {output}")
    if left_out:
        # On stderr, so that a CSV piped to a file stays one clean table.
        click.echo(
            f"The CSV holds activities only, so it leaves out {listed(left_out)}; "
            f"--format json or xlsx backs up every record.",
            err=True,
        )


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would be written, and write nothing.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="COLUMN=TARGET",
    help="Read a column as a key (title, date, category, ...), put it under a heading of "
    "the reflection by name ('What I learned', Notes), or 'ignore' it. Repeatable.",
)
@click.option(
    "--category",
    metavar="ID",
    help="The category of rows that give none (a category id of the framework).",
)
@click.option(
    "--hours-per-day",
    type=float,
    default=7.5,
    show_default=True,
    help="Hours in a day, for durations written in days ('2 days', 'half day').",
)
def import_(
    file: str,
    directory: str,
    dry_run: bool,
    mappings: tuple[str, ...],
    category: str | None,
    hours_per_day: float,
) -> None:
    """Write each row of a CSV or XLSX FILE as a new activity of DIRECTORY."""
    from .exchange import ExchangeError, import_activities, printable

    columns = {}
    for mapping in mappings:
        column, equals, target = mapping.rpartition("=")
        if not equals or not column.strip():
            raise click.ClickException(
                f"--map '{mapping}' should be COLUMN=TARGET, like 'Key learning=What I learned'"
            )
        columns[column.strip()] = target.strip()
    config, settings = _project(directory)
    try:
        report = import_activities(
            file,
            config.docs_dir,
            settings.framework,
            dry_run=dry_run,
            columns=columns,
            category=category,
            hours_per_day=hours_per_day,
        )
    except (ExchangeError, OSError) as error:
        raise click.ClickException(printable(str(error))) from None
    # Cells are repeated in what import says: a terminal must not act on them.
    for line in report.lines():
        click.echo(printable(line))
    if report.count("skipped"):
        sys.exit(1)


@main.command()
@click.option(
    "--framework",
    metavar="NAME",
    help="List this framework's category ids (a built-in name or a framework file).",
)
@click.option(
    "--kind",
    type=click.Choice(["activity", "goal", "swot", "benchmark"]),
    help="Print the schema of this kind of record alone (default: activity or goal, "
    "with every kind under $defs).",
)
def schema(framework: str | None, kind: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of record front matter."""
    from .frameworks import load_framework
    from .records.schema import front_matter_json_schema, kind_json_schema

    try:
        loaded = load_framework(framework) if framework else None
    except FrameworkError as error:
        raise click.ClickException(str(error)) from None
    document = kind_json_schema(kind, loaded) if kind else front_matter_json_schema(loaded)
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default="cpd-portfolio.zip",
    show_default=True,
    help="The zip to write.",
)
@_ENGINE
@_period_options
@_NO_CACHE
def bundle(
    directory: str, output: str, engine: str, period_override: object, no_cache: bool
) -> None:
    """Write the site and printout of DIRECTORY as one zip that opens from disk."""
    from .project import ProjectError
    from .site.bundle import write_bundle
    from .site.engines.mkdocs.options import period_override as overriding

    try:
        with overriding(period_override), _cache_used(not no_cache):
            written = write_bundle(directory, output, engine=engine)
    except (ProjectError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Bundle written to {output} ({written.files} files): unzip it and open "
        f"{written.folder}/index.html in a browser"
    )


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def clean(directory: str) -> None:
    """Remove the printout cache of DIRECTORY (.cpdfolio/cache/); nothing else."""
    from .printout import cache as printcache
    from .project import ProjectError, find_config

    try:
        project = find_config(directory).parent
    except ProjectError as error:
        raise click.ClickException(str(error)) from None
    where = os.path.relpath(printcache.folder(project))
    if printcache.clear(project):
        click.echo(f"Removed the printout cache {where}/; the next printout is laid out afresh")
    else:
        click.echo(f"No printout cache in {where}/; nothing to remove")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
def upgrade(directory: str) -> None:
    """Move DIRECTORY's mkdocs.yml to the safe layout: no engine reads the records."""
    from .project import ProjectError, open_project
    from .site.layout import ENGINE_DOCS, LayoutError, project_layout, upgrade

    try:
        config, _ = open_project(directory)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None
    layout = project_layout(config)
    if layout.safe:
        click.echo(f"{directory}: already in the safe layout; nothing to do")
        return
    config_file = Path(directory) / "mkdocs.yml"
    before = config_file.read_bytes()
    try:
        done = upgrade(directory, os.path.relpath(layout.records, layout.root))
        config, _ = open_project(directory)
        after = project_layout(config)
    except (LayoutError, ProjectError, OSError) as error:
        config_file.write_bytes(before)
        raise click.ClickException(f"{error}; mkdocs.yml is as it was") from None
    if not after.safe or after.records != layout.records:
        config_file.write_bytes(before)
        raise click.ClickException(
            f"{config_file}: could not be rewritten safely; it is as it was. Set "
            f"'docs_dir: {ENGINE_DOCS}' and, under cpdfolio, 'records: {done.records}' by hand"
        )
    click.echo(
        f"Upgraded {config_file}: the records stay in {done.records}/; the old file is "
        f"kept as {os.path.relpath(done.backup)}"
    )
    for path in done.written[1:]:
        click.echo(f"  wrote {os.path.relpath(path)}")


if __name__ == "__main__":
    main()
