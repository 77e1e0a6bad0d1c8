"""Zensical: reads mkdocs.yml but runs no MkDocs plugin, so cpdfolio does the plugin's work.

cpdfolio generates the pages, writes a copy of the member's mkdocs.yml that
points Zensical at them (beside the pages, in `.cpdfolio/`, as Zensical wants
docs and site folders inside the folder of its config), runs `zensical build`
and moves the site to where it belongs, then writes the printout.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from ...records.loader import load
from .. import sealing
from ..generate import (
    MARKDOWN_EXTENSIONS,
    STYLESHEET,
    Generation,
    GenerationError,
    generate,
    without_printout,
)
from ..layout import Layout, project_layout, warn_if_unsafe
from ..pipeline import SealingError, refuse_unsealed, seal

log = logging.getLogger("mkdocs.plugins.cpdfolio")

# Plugins that only MkDocs runs; Zensical would warn about them.
_MKDOCS_ONLY = ("cpdfolio", "encryptcontent")
# The member's mkdocs.yml as Zensical is to read it, beside the generated pages.
CONFIG = "zensical-mkdocs.yml"


def build(
    directory: str | os.PathLike,
    *,
    strict: bool = False,
    site_dir: str | os.PathLike | None = None,
    offline: bool = False,
) -> Path:
    """`zensical build` of the pages cpdfolio generates for the portfolio in DIR."""
    from ...printout import cache as printcache
    from ...printout import describe, for_print, write_pdf
    from ...project import ProjectError, format_problems, open_project, private_build_refused

    _require_zensical()
    config, settings = open_project(directory)
    layout = project_layout(config)
    warn_if_unsafe(layout)
    if settings.include_private:
        raise ProjectError(private_build_refused(site_dir or config.site_dir))
    result = load(layout.records, settings.framework)
    _raise_for_problems(result.problems, layout, ProjectError, format_problems)
    target = Path(site_dir) if site_dir is not None else Path(config.site_dir)
    directory_urls = config.use_directory_urls and not offline
    folder = layout.pages_folder()
    built = Path(tempfile.mkdtemp(prefix="site-", dir=layout.work()))
    unsealed = False
    try:
        try:
            generation = generate(
                layout.records,
                folder,
                settings if settings.pdf else without_printout(settings),
                result,
                directory_urls=directory_urls,
                stylesheet=True,
                source_links=True,
                render=_renderer(config),
            )
        except GenerationError as error:
            raise ProjectError(f"cpdfolio: {error}") from None
        for path in generation.gone:
            log.warning(
                f"{layout.records.name}/{path}: is a link to a file that does not exist; "
                f"left out of the site"
            )
        config_file = _write_config(layout, generation, built, directory_urls, config.nav)
        _run(["build", "-f", str(config_file), *(["--strict"] if strict else [])], layout)
        _replace(target, built)
        unsealed = bool(settings.passphrase)  # in clear in target until sealed
        if settings.pdf:
            printout = write_pdf(
                result.portfolio,
                target / settings.pdf,
                for_print(settings),
                layout.records,
                cache=printcache.for_project(layout.root, settings.passphrase),
                statement=generation.statement,
                extensions=list(MARKDOWN_EXTENSIONS),
                checks=generation.checks,
                # The pages have warned of what the allowlist took out of each record.
                told=True,
            )
            log.info(f"cpdfolio: printout written to {settings.pdf} ({describe(printout)})")
        keep = [settings.pdf] if settings.pdf else []
        try:
            report = seal(target, generation, engine="zensical", keep=keep)
        except sealing.SealingError as error:
            raise ProjectError(f"cpdfolio: {error}") from None
        unsealed = False
        if report is not None:
            log.info(
                f"cpdfolio: sealed with the passphrase: {report.pages} pages and "
                f"{report.files} other files (AES-256-GCM)"
            )
    except BaseException:
        # A build that stopped between writing the site and sealing it leaves nothing.
        if unsealed and target.is_dir():
            sealing.empty_site(target)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(built, ignore_errors=True)
        (layout.work() / CONFIG).unlink(missing_ok=True)
        layout.tidy()
    return target


def _require_zensical() -> None:
    from importlib.util import find_spec

    from ...project import ProjectError

    if find_spec("zensical") is None:
        raise ProjectError(
            "cpdfolio: --engine zensical needs Zensical: 'pip install zensical' "
            "(or 'pip install cpdfolio[zensical]')"
        )


def serve(directory: str | os.PathLike, dev_addr: str | None = None) -> None:
    """`zensical serve` of the generated pages, generated again whenever a record changes."""
    from ...project import ProjectError, format_problems, open_project

    _require_zensical()
    config, settings = open_project(directory)
    layout = project_layout(config)
    warn_if_unsafe(layout)
    try:
        refuse_unsealed(settings.passphrase, "zensical")
    except SealingError as error:
        raise ProjectError(f"cpdfolio: {error}") from None
    # Serving makes no printout: no link to one.
    settings = without_printout(settings)
    folder = layout.pages_folder()
    served = layout.work() / "served-site"

    render = _renderer(config)

    def again() -> Generation:
        result = load(layout.records, settings.framework)
        _raise_for_problems(result.problems, layout, ProjectError, format_problems)
        try:
            return generate(
                layout.records,
                folder,
                settings,
                result,
                stylesheet=True,
                source_links=True,
                render=render,
            )
        except GenerationError as error:
            raise ProjectError(f"cpdfolio: {error}") from None

    process = None

    def stop(signum, frame):
        raise KeyboardInterrupt

    # Stopped by a service manager as by Ctrl+C: the generated pages go either way.
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        generation = again()
        config_file = _write_config(layout, generation, served, True, config.nav)
        arguments = ["serve", "-f", str(config_file), *(["-a", dev_addr] if dev_addr else [])]
        process = subprocess.Popen(
            [sys.executable, "-m", "zensical", *arguments], cwd=layout.work()
        )
        seen = _state(layout.records)
        while process.poll() is None:
            time.sleep(1)
            now = _state(layout.records)
            if now != seen:
                seen = now
                try:
                    generation = again()
                    _write_config(layout, generation, served, True, config.nav)
                except ProjectError as error:
                    log.error(str(error))
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process is not None and process.poll() is None:
            process.terminate()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(served, ignore_errors=True)
        (layout.work() / CONFIG).unlink(missing_ok=True)


def _state(records: Path) -> list[tuple[str, float, int]]:
    return sorted(
        (str(p), p.stat().st_mtime, p.stat().st_size) for p in records.rglob("*") if p.is_file()
    )


def _raise_for_problems(problems, layout: Layout, error, format_problems) -> None:
    for problem in problems:
        if not problem.is_error:
            log.warning(f"{layout.records.name}/{problem}")
    errors = [p for p in problems if p.is_error]
    if errors:
        count = f"{len(errors)} error" + ("s" if len(errors) > 1 else "")
        raise error(
            f"cpdfolio: the portfolio has {count}; nothing was built:\n"
            + format_problems(errors, layout.records.name)
        )


def _renderer(config) -> Callable[[str], str]:
    """Markdown to HTML as the member's mkdocs.yml asks, for pages Zensical passes on as
    they are: Zensical runs no code of cpdfolio's on what it renders, so the allowlist
    (sanitizer.py) could not clean a record's HTML after it."""
    import markdown

    extensions = list(config.markdown_extensions)
    extensions += [e for e in MARKDOWN_EXTENSIONS if e not in extensions]
    converter = markdown.Markdown(extensions=extensions, extension_configs=dict(config.mdx_configs))

    def render(text: str) -> str:
        converter.reset()
        return converter.convert(text)

    return render


def _write_config(
    layout: Layout, generation: Generation, site: Path, directory_urls: bool, nav
) -> Path:
    """The member's mkdocs.yml, pointed at the generated pages; in `.cpdfolio/`."""
    member = _read_yaml(layout.root / "mkdocs.yml")
    member["docs_dir"] = generation.folder.name
    member["site_dir"] = site.name
    member["use_directory_urls"] = directory_urls
    member["nav"] = nav if nav is not None else generation.nav
    member["extra_css"] = [STYLESHEET, *(member.get("extra_css") or [])]
    extensions = list(member.get("markdown_extensions") or [])
    named = {e if isinstance(e, str) else next(iter(e)) for e in extensions}
    member["markdown_extensions"] = extensions + [e for e in MARKDOWN_EXTENSIONS if e not in named]
    plugins = member.get("plugins") or []
    member["plugins"] = [
        p for p in plugins if (p if isinstance(p, str) else next(iter(p))) not in _MKDOCS_ONLY
    ]
    theme = member.get("theme")
    if isinstance(theme, str):
        theme = member["theme"] = {"name": theme}
    if isinstance(theme, dict) and theme.get("name", "material") == "material":
        # mkdocs.yml was written for Material: Zensical's look of it, palette included.
        theme.setdefault("variant", "classic")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((layout.root / theme["custom_dir"]).resolve())
    config_file = layout.work() / CONFIG
    config_file.write_text(yaml.safe_dump(member, allow_unicode=True, sort_keys=False), "utf-8")
    return config_file


def _read_yaml(path: Path) -> dict:
    """mkdocs.yml as data; MkDocs' own tags (!ENV, !relative) resolved as MkDocs does."""
    from mkdocs.utils.yaml import get_yaml_loader

    with open(path, encoding="utf-8") as stream:
        loaded = yaml.load(stream, Loader=get_yaml_loader())  # noqa: S506 - MkDocs' safe loader
    return loaded if isinstance(loaded, dict) else {}


def _run(arguments: list[str], layout: Layout) -> None:
    from ...project import ProjectError

    completed = subprocess.run(
        [sys.executable, "-m", "zensical", *arguments],
        cwd=layout.work(),
        capture_output=True,
        text=True,
    )
    output = (completed.stdout + completed.stderr).strip()
    if completed.returncode != 0:
        raise ProjectError(f"zensical build failed:\n{output}")
    for line in output.splitlines():
        if "warning" in line.lower() or "error" in line.lower():
            log.warning(f"zensical: {line.strip()}")


def _replace(target: Path, built: Path) -> None:
    """The site Zensical built, in place of what `target` held."""
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(target))
