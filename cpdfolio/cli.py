"""The `cpdfolio` command: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import datetime
import functools
import json
import logging
import os
import re
import shlex
import sys
from dataclasses import replace

import click

# Our users run MkDocs through us; another project's notice is not for them.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from . import markup  # noqa: E402
from .audit import CheckResult, audit  # noqa: E402
from .frameworks import FrameworkError  # noqa: E402
from .loader import LoadResult, load, read_statement  # noqa: E402
from .model import Problem  # noqa: E402
from .period import PeriodError, parse_period  # noqa: E402
from .settings import Settings  # noqa: E402
from .summary import summarise  # noqa: E402


def _project(directory: str):
    from .plugin import ProjectError, open_project

    try:
        return open_project(directory)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None


def _period_options(command):
    """--period / --from / --to, meaning what `period:` means in mkdocs.yml."""

    @click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period.")
    @click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period.")
    @click.option(
        "--period",
        metavar="NAME",
        help="last-12-months, calendar-year, all, or a year such as 2025 "
        "(default: the period of mkdocs.yml).",
    )
    @functools.wraps(command)
    def wrapper(*args, start=None, end=None, period=None, **kwargs):
        if period and (start or end):
            raise click.UsageError("give either --period or --from/--to, not both")
        kwargs["period_override"] = (
            period if period else {"from": start, "to": end} if (start or end) else None
        )
        return command(*args, **kwargs)

    return wrapper


def _with_period(settings: Settings, override: object) -> Settings:
    if override is None:
        return settings
    try:
        return replace(settings, period=parse_period(override))
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="period") from None


def _audit(result: LoadResult, settings: Settings) -> list[CheckResult]:
    try:
        return audit(result.portfolio, settings.framework, settings.period, locale=settings.locale)
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
def check(directory: str, period_override: object, output_format: str, strict: bool) -> None:
    """Check every record and the audit readiness of the portfolio in DIRECTORY."""
    from .plugin import display_root

    config, settings = _project(directory)
    settings = _with_period(settings, period_override)
    result = load(config.docs_dir, settings.framework)
    root = os.path.normpath(os.path.join(os.path.relpath(directory), display_root(config)))
    checks = _audit(result, settings)
    failed = bool(result.errors) or (strict and bool(result.warnings))
    if output_format == "json":
        click.echo(json.dumps(report(result, checks, settings, root), indent=2))
    else:
        _print_report(result, checks, settings, root)
    if failed:
        sys.exit(1)


def report(result: LoadResult, checks: list[CheckResult], settings: Settings, root: str) -> dict:
    """The check's findings as JSON-ready data (the documented, stable shape)."""

    def problem(p: Problem) -> dict:
        return {"file": f"{root}/{p.path}", "line": p.line, "key": p.key, "message": p.message}

    summary = summarise(result.portfolio.shared(), settings.period)
    period = settings.period
    return {
        "errors": [problem(p) for p in result.errors],
        "warnings": [problem(p) for p in result.warnings],
        "audit": [
            {
                "id": c.id,
                "title": c.title,
                "passed": c.passed,
                "detail": c.detail,
                "records": [f"{root}/{path}" for path in c.records],
            }
            for c in checks
        ],
        "summary": {
            "framework": settings.framework.name,
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
    result: LoadResult, checks: list[CheckResult], settings: Settings, root: str
) -> None:
    for problem in result.problems:
        _echo_problem(problem, root)
    shared = result.portfolio.shared()
    summary = summarise(shared, settings.period)
    framework = settings.framework
    private = sum(1 for r in result.portfolio.records if not r.share)
    click.echo(
        f"{len(result.portfolio.activities)} activities, {len(result.portfolio.goals)} goals, "
        f"{len(result.portfolio.swots)} SWOT ({private} private, left out of what follows)"
    )
    click.echo(
        f"Period {settings.period.describe(settings.locale)}: {summary.activities} activities, "
        f"{markup.hours(summary.hours)} hours"
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
    click.echo(f"Audit readiness ({framework.title}):")
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
    errors, warnings = len(result.errors), len(result.warnings)
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")


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
@click.option(
    "--archive",
    is_flag=True,
    help="Write PDF/A-3b for a long-term archive, the evidence attached as associated files.",
)
def pdf(directory: str, period_override: object, output: str | None, archive: bool) -> None:
    """Print the portfolio in DIRECTORY, or one period of it, as one PDF."""
    from .plugin import display_root, format_problems
    from .printout import ARCHIVE_AND_PASSPHRASE, describe, write_pdf

    config, settings = _project(directory)
    settings = _with_period(settings, period_override)
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
    target = output or os.path.join(config.site_dir, settings.pdf or "cpd-portfolio.pdf")
    printout = write_pdf(
        result.portfolio,
        target,
        settings,
        config.docs_dir,
        statement=read_statement(config.docs_dir),
        extensions=list(config.markdown_extensions),
        extension_configs=dict(config.mdx_configs),
    )
    shown = output or os.path.relpath(printout.path)
    click.echo(f"Printout written to {shown} ({describe(printout)})")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@_period_options
def profile(directory: str, period_override: object) -> None:
    """Print a draft written profile (profile.md) from the audit checks, to edit and keep."""
    from .profile import draft_profile

    config, settings = _project(directory)
    settings = _with_period(settings, period_override)
    result = load(config.docs_dir, settings.framework)
    click.echo(draft_profile(result.portfolio, settings, _audit(result, settings)), nl=False)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def build(directory: str, strict: bool) -> None:
    """Build the site (and printout) of the portfolio in DIRECTORY with MkDocs."""
    from .plugin import ProjectError, build_site

    try:
        site = build_site(directory, strict=strict)
    except ProjectError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Site written to {os.path.relpath(site)}")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("-a", "--dev-addr", metavar="IP:PORT", help="Address to serve on.")
def serve(directory: str, dev_addr: str | None) -> None:
    """Preview the site of the portfolio in DIRECTORY, rebuilding on every edit."""
    from .plugin import ProjectError, serve_site

    try:
        serve_site(directory, dev_addr)
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
    help="default, uk-spec, engtech, hcpc, or the path of a framework file.",
)
def new(directory: str, owner: str, framework: str) -> None:
    """Start a portfolio in DIRECTORY (new or empty) that builds at once."""
    from .authoring import AuthoringError, new_portfolio

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
    category: str | None,
    goals: tuple[str, ...],
    edit: bool,
) -> None:
    """Write a new activity or goal from the framework's template and print its path."""
    from .authoring import AuthoringError, add_activity, add_goal, open_in_editor

    editor = os.environ.get("EDITOR", "")
    if edit and not editor.strip():
        raise click.ClickException(
            "--edit opens $EDITOR, which is not set: set it to your editor, like EDITOR=nano"
        )
    if kind == "goal" and (category or goals):
        raise click.ClickException("--category and --goal are for activities, not goals")
    config, settings = _project(directory)
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
            path = add_goal(config.docs_dir, settings.framework, title, day=_day_option(day))
        click.echo(os.path.relpath(path))
        if edit:
            open_in_editor(path, editor)
    except AuthoringError as error:
        raise click.ClickException(str(error)) from None


def _day_option(day: str | None) -> datetime.date | None:
    if day is None:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise click.ClickException(
            f"--date '{day}' should be a day written YYYY-MM-DD, like 2025-03-14"
        )
    try:
        return datetime.date.fromisoformat(day)
    except ValueError:
        raise click.ClickException(f"--date '{day}' is not a day of the calendar") from None


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
    """Export every activity (private ones too) and goal of DIRECTORY, as a backup."""
    from .exchange import ExchangeError
    from .exchange import export as export_records
    from .plugin import display_root, format_problems

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
    if text is not None:
        click.echo(text, nl=False)
    else:
        portfolio = result.portfolio
        click.echo(
            f"Exported {len(portfolio.activities)} activities and {len(portfolio.goals)} goals "
            f"to {output}"
        )


@main.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--dry-run", is_flag=True, help="Say what would be written, and write nothing.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="COLUMN=key",
    help="Read a column as a key (title, date, category, reflection, ...) or 'ignore' it.",
)
def import_(file: str, directory: str, dry_run: bool, mappings: tuple[str, ...]) -> None:
    """Write each row of a CSV or XLSX FILE as a new activity of DIRECTORY."""
    from .exchange import ExchangeError, import_activities

    columns = {}
    for mapping in mappings:
        column, equals, key = mapping.rpartition("=")
        if not equals or not column.strip():
            raise click.ClickException(
                f"--map '{mapping}' should be COLUMN=key, like Notes=reflection"
            )
        columns[column.strip()] = key.strip()
    config, settings = _project(directory)
    try:
        report = import_activities(
            file, config.docs_dir, settings.framework, dry_run=dry_run, columns=columns
        )
    except (ExchangeError, OSError) as error:
        raise click.ClickException(str(error)) from None
    if report.heading_row != 1:
        click.echo(f"Headings found on row {report.heading_row}")
    if report.ignored_columns:
        click.echo(
            "Columns left out: "
            + ", ".join(report.ignored_columns)
            + " (read one with --map 'COLUMN=key')"
        )
    for row in report.rows:
        click.echo(str(row))
    click.echo(report.summary())
    if report.count("skipped"):
        sys.exit(1)


@main.command()
@click.option(
    "--framework",
    metavar="NAME",
    help="List this framework's category ids (a built-in name or a framework file).",
)
def schema(framework: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of activity and goal front matter."""
    from .frameworks import load_framework
    from .schema import front_matter_json_schema

    try:
        loaded = load_framework(framework) if framework else None
    except FrameworkError as error:
        raise click.ClickException(str(error)) from None
    click.echo(json.dumps(front_matter_json_schema(loaded), indent=2, ensure_ascii=False))


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
def bundle(directory: str, output: str) -> None:
    """Write the site and printout of DIRECTORY as one zip that opens from disk."""
    from .bundle import write_bundle
    from .plugin import ProjectError

    try:
        written = write_bundle(directory, output)
    except (ProjectError, OSError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Bundle written to {output} ({written.files} files): unzip it and open "
        f"{written.folder}/index.html in a browser"
    )


if __name__ == "__main__":
    main()
