"""Nothing lost: no command writes into the portfolio, and a failed build breaks nothing.

The portfolio folder (mkdocs.yml and everything beside it but the `site/`
output) is hashed before and after each command; the hashes must be equal.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Portfolio
from serving import serving


def everything(portfolio: Portfolio) -> tuple[dict[str, str], list[str]]:
    """The hash of every file, and every folder (an empty one counts too), but the site
    and the printout's cache (.cpdfolio/cache/, which the README names)."""
    folders = sorted(
        str(p.relative_to(portfolio.root))
        for p in portfolio.root.rglob("*")
        if p.is_dir()
        and "site" not in p.relative_to(portfolio.root).parts
        and not p.relative_to(portfolio.root).as_posix().startswith(".cpdfolio")
    )
    return portfolio.fingerprint(), folders


def site_snapshot(site: Path) -> dict[str, tuple[str, int]]:
    """Each file of a built site: its hash and its modification time."""
    return {
        str(p.relative_to(site)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def mkdocs_build(portfolio: Portfolio) -> None:
    build = portfolio.build()
    assert build.returncode == 0, build.output


def cpdfolio(*args: str) -> Callable[[Portfolio], None]:
    def run(portfolio: Portfolio) -> None:
        result = portfolio.cpdfolio(*args)
        assert result.returncode == 0, result.stdout + result.stderr
        if args[0] == "check" and "json" in args:
            assert json.loads(result.stdout)["summary"]["private_records"] == 1

    return run


def serve(portfolio: Portfolio) -> None:
    with serving(portfolio) as server:
        assert b"Dr Test Member" in server.get("")
        assert b"IPEM nuclear medicine meeting" in server.get("years/2024/")


def bundle(portfolio: Portfolio) -> None:
    target = portfolio.root.parent / "for-the-assessor.zip"
    cpdfolio("bundle", "-o", str(target))(portfolio)
    assert target.stat().st_size > 0


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(mkdocs_build, id="mkdocs-build"),
        pytest.param(cpdfolio("build"), id="cpdfolio-build"),
        pytest.param(cpdfolio("check"), id="cpdfolio-check"),
        pytest.param(cpdfolio("check", "--format", "json"), id="cpdfolio-check-json"),
        pytest.param(cpdfolio("pdf"), id="cpdfolio-pdf"),
        pytest.param(cpdfolio("profile"), id="cpdfolio-profile"),
        pytest.param(serve, id="cpdfolio-serve"),
        pytest.param(cpdfolio("export", "--format", "csv"), id="cpdfolio-export-csv"),
        pytest.param(cpdfolio("export", "--format", "json"), id="cpdfolio-export-json"),
        pytest.param(bundle, id="cpdfolio-bundle"),
    ],
)
def test_command_leaves_the_portfolio_as_it_was(
    small_portfolio: Portfolio, command: Callable[[Portfolio], None]
):
    before = everything(small_portfolio)
    command(small_portfolio)
    assert everything(small_portfolio) == before


@pytest.mark.parametrize("how", ["mkdocs build", "cpdfolio build"])
def test_failed_build_changes_nothing_and_keeps_the_last_good_site(
    small_portfolio: Portfolio, how: str
):
    good = small_portfolio.build()
    assert good.returncode == 0, good.output
    published = site_snapshot(good.site)
    assert "index.html" in published and "cpd-portfolio.pdf" in published
    small_portfolio.activity(
        "2025/2025-11-01-bad", "title: Half-written\ndate: 2025-13-01\ncategory: formal"
    )
    before = everything(small_portfolio)
    if how == "mkdocs build":
        failed = small_portfolio.build()
        returncode, output = failed.returncode, failed.output
    else:
        result = small_portfolio.cpdfolio("build")
        returncode, output = result.returncode, result.stdout + result.stderr
    assert returncode == 1, output
    assert "nothing was built" in output and "Traceback" not in output
    assert "activities/2025/2025-11-01-bad.md:3: date '2025-13-01'" in output
    assert everything(small_portfolio) == before
    # MkDocs cleans the site only once cpdfolio has passed the records: not this time.
    assert site_snapshot(good.site) == published
