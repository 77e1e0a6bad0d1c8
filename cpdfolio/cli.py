"""The `cpdfolio` command: parses arguments and calls the library, nothing more."""

from __future__ import annotations

import logging
import os
import sys

import click

# Our users run MkDocs through us; another project's notice is not for them.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from . import markup  # noqa: E402
from .loader import load  # noqa: E402
from .model import Problem  # noqa: E402
from .summary import summarise  # noqa: E402


def _project(directory: str):
    from .plugin import ProjectError, open_project

    try:
        return open_project(directory)
    except ProjectError as error:
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
def check(directory: str) -> None:
    """Check every record of the portfolio in DIRECTORY (the folder of mkdocs.yml)."""
    from .plugin import display_root

    config, settings = _project(directory)
    result = load(config.docs_dir, settings.framework)
    root = os.path.join(os.path.relpath(directory), display_root(config))
    root = os.path.normpath(root)
    for problem in result.problems:
        _echo_problem(problem, root)
    summary = summarise(result.portfolio)
    framework = settings.framework
    click.echo(
        f"{summary.activities} activities, {summary.goals} goals, {summary.swots} SWOT "
        f"({summary.private} private), {markup.hours(summary.hours)} hours"
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
    errors, warnings = len(result.errors), len(result.warnings)
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")
    if errors:
        sys.exit(1)


def _echo_problem(problem: Problem, root: str) -> None:
    label = (
        click.style("error", fg="red") if problem.is_error else click.style("warning", fg="yellow")
    )
    click.echo(
        f"{root}/{problem.path}"
        + (f":{problem.line}" if problem.line else "")
        + f": {label}: {problem.message}",
        err=False,
    )


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period.")
@click.option(
    "--period",
    metavar="NAME",
    help="last-12-months, calendar-year, all, or a year such as 2025 "
    "(default: the period of mkdocs.yml).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Where to write the PDF.")
def pdf(
    directory: str, start: str | None, end: str | None, period: str | None, output: str | None
) -> None:
    """Print the portfolio in DIRECTORY, or one period of it, as one PDF."""
    from dataclasses import replace

    from .loader import read_statement
    from .period import PeriodError, parse_period
    from .plugin import display_root, format_problems
    from .printout import describe, write_pdf

    config, settings = _project(directory)
    if period and (start or end):
        raise click.UsageError("give either --period or --from/--to, not both")
    try:
        if period:
            settings = replace(settings, period=parse_period(period))
        elif start or end:
            settings = replace(settings, period=parse_period({"from": start, "to": end}))
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="period") from None
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
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def build(directory: str, strict: bool) -> None:
    """Build the site of the portfolio in DIRECTORY with MkDocs."""
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


if __name__ == "__main__":
    main()
