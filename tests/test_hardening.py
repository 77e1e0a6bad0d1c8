"""No bad input breaks a build badly.

A member's folder may hold anything: YAML with wrong types, tags and aliases,
huge or strange text, files in odd places under odd names. Whatever it holds,
`cpdfolio.load()` answers with problems that name a real file, and `mkdocs
build` either builds or fails saying "nothing was built", never with a
traceback. Hypothesis generates the folders, with a fixed seed and a bounded
number of examples so that every run checks the same cases quickly.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

import pytest
from conftest import REFLECTION, Portfolio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cpdfolio

# Where a `!!python/object/apply:os.system` tag would leave its mark, were it ever run.
MARKER = "pwned-by-yaml"
RUN_SYSTEM = f'!!python/object/apply:os.system ["touch {{folder}}/{MARKER}"]'
SAFE_SETTINGS = settings(
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- YAML as a member (or an attacker) might write it ---------------------------------

DAYS = [
    "2025-03-14",
    "2025-02-30",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2025-3-4",
    "14/03/2025",
    "2025-03-14T10:00:00Z",
    "20250314",
    "!!timestamp 2025-01-01",
]
TEXTS = ["IPEM meeting", "<b>bold</b> & *stars*", "é" * 5000, "x" * 100_000, "\u202e\u200b\ufeff"]
LISTS = [
    "[ceng]",
    "ceng",
    "[]",
    "[[a]]",
    "[a, a, '']",
    "{a: b}",
    "[" + ", ".join(["x"] * 2000) + "]",
]
FLAGS = ["true", "no", "off", "maybe", "1", "!!bool yes"]
# For each key a record may have, values that are right, nearly right and wrong.
ODD_VALUES = {
    "title": TEXTS,
    "date": DAYS,
    "end": DAYS,
    "created": DAYS,
    "target": DAYS,
    "achieved": DAYS,
    "category": ["professional", "profesional", "conference", "Professional", ""],
    "type": TEXTS,
    "provider": TEXTS,
    "location": TEXTS,
    "hours": [
        "1.5",
        "1:30",
        "99:99",
        "-2",
        "9" * 400,
        "9" * 5000 + ":30",
        ".nan",
        "-.inf",
        "1e400",
        "0x1F",
        "012",
        "1_000",
        "three",
    ],
    "goals": LISTS,
    "competences": LISTS,
    "tags": LISTS,
    "evidence": [
        "[evidence/cert.pdf, photo.png, ../evidence/photo.png]",
        "[../cert.pdf, /etc/passwd, 'C:\\\\x', ~/x, file:///etc/passwd]",
        "[https://example.org/x, http://example.org/x]",
        "[evidence, ., .., evidence/../../mkdocs.yml, ../../../../../etc/passwd]",
        "['" + "a" * 300 + "', '" + "/".join(["abc"] * 2000) + "']",
        "['a\\0b', 'evidence/cert.pdf#page=2', 'evidence/cert.pdf?x']",
    ],
    "share": FLAGS,
    "kind": ["activity", "goal", "swot", "Activity", "[activity]", "note"],
    "id": ["ceng", "012", "../x", "", "a/b"],
    "status": ["planned", "in-progress", "done", "acheived", "in progress"],
}
KNOWN_KEYS = list(ODD_VALUES)
# Values that are odd under any key.
ODD_SCALARS = [
    *DAYS,
    *FLAGS,
    "~",
    "null",
    "''",
    "{a: [1, {b: c}]}",
    "[[[[[[[[[[]]]]]]]]]]",
    "!!binary aGVsbG8gd29ybGQ=",
    "!custom value",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!str 5",
    "!!int text",
    "!!float 1.5",
    "!!python/name:os.system",
    RUN_SYSTEM,
    f'!!python/object/new:os.system ["touch {{folder}}/{MARKER}"]',
    f'!!python/object/apply:subprocess.call [["touch", "{{folder}}/{MARKER}"]]',
    "*a1",
    "*a2",
    "&a3 [*a1, *a1, *a1]",
    "é" * 5000,
    "x" * 100_000,
]
# Values over several lines: fine as a key's value, not inside [...] or {...}.
BLOCK_SCALARS = [
    "|\n  block text\n  over lines",
    ">-\n  folded\n  text",
    "\n  - first\n  - second",
    "\n  nested: map\n  other: [1, 2]",
    "\n  - *a1\n  - [*a2]",
]
# Values YAML itself refuses: one of them fails the whole front matter, so they are rarer.
BROKEN_SCALARS = [
    "'unterminated",
    '"\\ud800"',
    '"\\x00 nul"',
    "a: b: c",
    "*never-anchored",
    "\t tab",
    "[unclosed",
]
ODD_KEYS = [
    "tittle",
    "<<",
    "? [complex, key]\n",
    "1",
    "~",
    "yes",
    '"quoted key"',
    "key with spaces",
    RUN_SYSTEM,
    "&k title",
    "*k",
    "é" * 300,
]


def flow_list(items: list[str]) -> str:
    """A YAML list written [like, this] holding exactly `items`."""
    return "[" + ", ".join(quoted(item) for item in items) + "]"


def quoted(value: str) -> str:
    """A YAML double-quoted scalar holding exactly `value`."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0xFFFE, 0xFFFF):
            out.append(f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """One of the strategies, each as often as its weight says."""
    return st.sampled_from([s for weight, s in choices for _ in range(weight)]).flatmap(
        lambda strategy: strategy
    )


unicode_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=60)
# YAML refuses control characters unless escaped in double quotes.
printable_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc"], exclude_characters="\ufeff"),
    max_size=40,
)
scalars = weighted(
    (8, st.sampled_from(ODD_SCALARS)),
    (2, unicode_text.map(quoted)),
    (1, st.integers().map(str)),
    (1, st.floats().map(repr)),
    (1, st.dates().map(str)),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(KNOWN_KEYS), children, max_size=3).map(
            lambda mapping: "{" + ", ".join(f"{k}: {v}" for k, v in mapping.items()) + "}"
        ),
    ),
    max_leaves=8,
)
# Plain text and broken scalars spoil a whole front matter, so they come only now and then.
values = weighted(
    (16, values),
    (2, st.sampled_from(BLOCK_SCALARS)),
    (1, printable_text),
    (1, st.sampled_from(BROKEN_SCALARS)),
)
# Mostly the keys a record has, so that the values are read, not just called unknown.
keys = weighted(
    (8, st.sampled_from(KNOWN_KEYS)), (1, st.sampled_from(ODD_KEYS)), (1, unicode_text.map(quoted))
)
entries = keys.flatmap(
    lambda key: st.tuples(
        st.just(key),
        weighted((3, st.sampled_from(ODD_VALUES[key])), (1, values))
        if key in ODD_VALUES
        else values,
    )
)
# Anchors first, so that the aliases among the values usually have something to point at.
ANCHORS = "anchored: &a1 [lol, lol]\nalso: &a2 {title: x}\n"
front_matters = st.tuples(
    st.sampled_from([ANCHORS] * 5 + [""]), st.lists(entries, max_size=10)
).map(lambda pair: pair[0] + "\n".join(f"{key}: {value}" for key, value in pair[1]))
BODY_SNIPPETS = [
    REFLECTION,
    "[a goal](../../goals/nope.md)",
    "[a goal](../goals/ceng.md#why)",
    "[spaced](<../goals/a b.md>)",
    "![photo](../../evidence/photo.png)",
    "![gone](" + "a" * 5000 + ".png)",
    "![nul](a%00b.png)",
    '<img src="../../../../etc/hostname">',
    "<script>alert(1)</script>",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "```\n---\ntitle: not front matter\n---\n```",
    "!!! warning\n\n    admonition",
    "{: #attr }",
    "# A title heading",
    "---\nkey: a second front matter?\n---",
    "word " * 50_000,
]
bodies = st.lists(st.one_of(st.sampled_from(BODY_SNIPPETS), unicode_text), max_size=5).map(
    "\n\n".join
)
# Whole builds print each reflection: long ones are test_big_and_odd.py's, where they cost once.
short_bodies = st.lists(
    st.one_of(st.sampled_from([s for s in BODY_SNIPPETS if len(s) < 10_000]), unicode_text),
    max_size=5,
).map("\n\n".join)


@st.composite
def markdown_files(draw) -> bytes:
    """A Markdown file: front matter and body, or something that only looks like one."""
    shape = draw(st.sampled_from(["record"] * 6 + ["unclosed", "plain", "bytes"]))
    if shape == "bytes":
        return draw(st.binary(max_size=200))
    front_matter, body = draw(front_matters), draw(bodies)
    if shape == "unclosed":
        text = f"---\n{front_matter}\n{body}"
    elif shape == "plain":
        text = body
    else:
        text = f"---\n{front_matter}\n---\n{body}"
    if draw(st.booleans()):
        text = "\ufeff" + text.replace("\n", "\r\n")
    return text.encode("utf-8", "surrogatepass")


# -- folders ---------------------------------------------------------------------------

name_parts = st.text(
    st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1, max_size=30
).filter(lambda name: name not in (".", "..") and len(name.encode("utf-8")) < 200)
# Mostly where records live, so that most files are read as records.
folders = weighted(
    (
        6,
        st.sampled_from(
            ["activities", "activities/2025", "goals", "goals/done", "activities/a/b/c/d/e"]
        ),
    ),
    (
        2,
        st.sampled_from(
            ["", "notes", "templates", ".hidden", "activities/.drafts", "activities/dossier d'été"]
        ),
    ),
    (1, st.lists(name_parts, min_size=1, max_size=5).map("/".join)),
    (2, st.lists(name_parts, max_size=4).map(lambda parts: "/".join(["activities", *parts]))),
)
file_names = weighted(
    (1, st.sampled_from(["index.md", "README.md", "x.md", "2025-03-14 Journées — été.md", ".md"])),
    (4, name_parts.map(lambda name: name[:190] + ".md")),
    (1, name_parts),
)
layouts = st.dictionaries(
    st.tuples(folders, file_names).map(lambda pair: "/".join(p for p in pair if p)),
    markdown_files(),
    min_size=1,
    max_size=8,
)


def write_layout(folder: Path, layout: dict[str, bytes]) -> Path:
    """The docs folder of a generated portfolio, with a little evidence to refer to."""
    docs = folder / "portfolio"
    for relative, content in [
        ("evidence/cert.pdf", b"%PDF-1.4 certificate"),
        ("evidence/photo.png", b"not really a png"),
        ("goals/ceng.md", b"---\ntitle: Become a Chartered Engineer\n---\nWhy.\n"),
    ]:
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_bytes(content)
    (folder / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    for relative, content in layout.items():
        # Generated files go inside the portfolio, never anywhere else on the machine.
        assert relative and not relative.startswith("/") and ".." not in relative.split("/")
        target = docs / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.replace(b"{folder}", str(folder).encode()))
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            continue  # a file where another needs a folder: that layout cannot exist
    return docs


def assert_problems_name_real_files(docs: Path, problems: list[cpdfolio.Problem]) -> None:
    for problem in problems:
        path = PurePosixPath(problem.path)
        assert not path.is_absolute() and ".." not in path.parts, problem
        assert (docs / problem.path).is_file(), problem
        assert problem.message.strip(), problem
        if problem.line is not None:
            lines = (docs / problem.path).read_bytes().count(b"\n") + 1
            assert 1 <= problem.line <= lines, problem


@settings(SAFE_SETTINGS, max_examples=200)
@given(layout=layouts)
def test_loader_never_raises_and_every_problem_names_a_real_file(layout: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as folder:
        docs = write_layout(Path(folder), layout)
        result = cpdfolio.load(docs)
        assert_problems_name_real_files(docs, result.problems)
        assert not (Path(folder) / MARKER).exists()


# -- whole builds ----------------------------------------------------------------------

odd_titles = st.one_of(
    unicode_text.filter(str.strip),
    st.sampled_from(["<b>bold</b> & *stars* [x](y)", "é" * 3000, "`code` | pipe", "# hash"]),
)


@st.composite
def odd_portfolios(draw) -> dict[str, bytes]:
    """Mostly valid records with odd names, titles and reflections; now and then a bad file."""
    layout: dict[str, bytes] = {}
    goal_ids = ["ceng"]
    for _ in range(draw(st.integers(0, 2))):
        # An id is read stripped: ' ceng.md' cannot be named in `goals:` (a did-you-mean says so).
        goal_id = draw(name_parts.filter(lambda n: n == n.strip() and not n.startswith(".")))
        goal_ids.append(goal_id)
        status = draw(st.sampled_from(["planned", "in-progress", "achieved", "dropped"]))
        layout[f"goals/{goal_id}.md"] = (
            f"---\ntitle: {quoted(draw(odd_titles))}\nstatus: {status}\n"
            f"share: {draw(st.booleans())}\n---\n{draw(short_bodies)}\n"
        ).encode()
    for _ in range(draw(st.integers(1, 5))):
        folder = draw(st.sampled_from(["2025", "a/b/c/d", "dossier d'été", ""]))
        name = draw(name_parts.filter(lambda n: not n.startswith(".")))
        day = draw(st.dates(min_value=datetime.date(1990, 1, 1)))
        evidence = draw(
            st.lists(st.sampled_from(["evidence/cert.pdf", "evidence/photo.png"]), max_size=2)
        )
        front_matter = {
            "title": quoted(draw(odd_titles)),
            "date": str(day),
            "category": draw(st.sampled_from(["work-based", "professional", "formal", "other"])),
            "type": quoted(draw(odd_titles)),
            "hours": draw(st.sampled_from(["0", "1.5", "1:30", "12"])),
            "goals": flow_list(draw(st.lists(st.sampled_from(goal_ids), max_size=2))),
            "evidence": flow_list(evidence),
            "tags": flow_list(draw(st.lists(unicode_text.filter(str.strip), max_size=3))),
            "share": draw(st.sampled_from(["true", "false", "yes"])),
            "provider": quoted(draw(odd_titles)),
        }
        text = "\n".join(f"{key}: {value}" for key, value in front_matter.items())
        path = "/".join(p for p in ("activities", folder, f"{name[:150]}.md") if p)
        layout[path] = f"---\n{text}\n---\n{draw(short_bodies)}\n".encode()
    if draw(st.integers(0, 4)) == 0:
        folder, name = draw(folders), draw(file_names)
        layout[f"{folder}/{name}" if folder else name] = draw(markdown_files())
    return layout


@settings(SAFE_SETTINGS, max_examples=15)
@given(layout=odd_portfolios())
def test_mkdocs_build_builds_or_fails_cleanly(layout: dict[str, bytes]):
    with tempfile.TemporaryDirectory() as folder:
        portfolio = Portfolio(Path(folder))
        docs = write_layout(Path(folder), layout)
        portfolio.config()
        result = cpdfolio.load(docs)
        build = portfolio.build()
        assert "Traceback" not in build.output, build.output
        assert not (Path(folder) / MARKER).exists()
        if result.errors:
            assert build.returncode != 0
            assert "nothing was built" in build.output, build.output
            for problem in result.errors:
                assert f"  portfolio/{problem}" in build.output, build.output
        else:
            assert build.returncode == 0, build.output
            assert (build.site / "index.html").is_file()


# -- YAML that must never run or blow up --------------------------------------------


@pytest.mark.parametrize(
    "front_matter",
    [
        pytest.param(f"title: {RUN_SYSTEM}", id="as-a-value"),
        pytest.param(f"{RUN_SYSTEM}: x", id="as-a-key"),
        pytest.param(RUN_SYSTEM, id="as-the-whole-front-matter"),
        pytest.param(f"notes: [{{a: {RUN_SYSTEM}}}]", id="deep-inside-a-value"),
        pytest.param(f"anchor: &x {RUN_SYSTEM}\ntitle: *x", id="behind-an-alias"),
    ],
)
def test_python_apply_tag_never_runs_anywhere(portfolio: Portfolio, front_matter: str):
    portfolio.config(extra="      pdf: false\n")
    folder = portfolio.root
    text = f"---\n{front_matter.replace('{folder}', str(folder))}\n---\nBody.\n"
    portfolio.write("activities/x.md", text)
    portfolio.write("notes.md", text)  # an ordinary page: MkDocs reads its front matter too
    result = cpdfolio.load(portfolio.docs)
    assert result.errors
    build = portfolio.build()
    assert build.returncode != 0 and "nothing was built" in build.output
    assert "Traceback" not in build.output
    # An ordinary page alone: MkDocs parses its front matter safely, or drops it.
    portfolio.write("activities/x.md", "---\ntitle: x\ndate: 2025-01-01\ncategory: other\n---\n")
    assert portfolio.build().returncode == 0
    assert not (folder / MARKER).exists()


BILLION_LAUGHS = "\n".join(
    ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]" for n in range(1, 10)]
)


def test_billion_laughs_is_refused_or_ignored_quickly(portfolio: Portfolio):
    portfolio.config(extra="      pdf: false\n")
    portfolio.goal("ceng", "title: Become a Chartered Engineer")
    record = "title: Laughs\ndate: 2025-01-01\ncategory: other"
    # 9 ** 10 strings, were the aliases expanded: as unknown keys, in a list key, on a page.
    portfolio.activity("as-unknown-keys", f"{record}\n{BILLION_LAUGHS}")
    portfolio.activity("in-tags", f"{record}\n{BILLION_LAUGHS}\ntags: *lol9")
    portfolio.write("notes.md", f"---\n{BILLION_LAUGHS}\n---\n# Notes\n")
    started = time.monotonic()
    result = cpdfolio.load(portfolio.docs)
    assert time.monotonic() - started < 2
    assert [str(p) for p in result.errors] == [
        "activities/in-tags.md:15: tags: item 1 (line 13) should be plain text, "
        "like [first, second]"
    ]
    assert {p.key for p in result.warnings} == {f"lol{n}" for n in range(10)}
    (portfolio.docs / "activities" / "in-tags.md").unlink()
    started = time.monotonic()
    build = portfolio.build()
    assert build.returncode == 0, build.output
    assert time.monotonic() - started < 30  # a build of two pages, not an expansion


# -- regressions these tests found ------------------------------------------------------

RECORD = "title: IPEM meeting\ndate: 2025-03-14\ncategory: professional"


def check(portfolio: Portfolio, *args: str) -> subprocess.CompletedProcess:
    """`cpdfolio check` run from the portfolio's folder, as a member would run it."""
    return subprocess.run(
        [sys.executable, "-m", "cpdfolio.cli", "check", *args, "."],
        capture_output=True,
        text=True,
        cwd=portfolio.root,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_link_to_a_record_that_is_gone_fails_the_build_cleanly(portfolio: Portfolio):
    portfolio.activity("x", RECORD)
    os.symlink(portfolio.root / "moved-away.md", portfolio.docs / "activities" / "gone.md")
    result = check(portfolio)
    assert result.returncode == 1
    assert (
        "portfolio/activities/gone.md: error: cannot be read (No such file or directory)"
        in result.stdout
    )
    build = portfolio.build()
    assert build.returncode == 1 and "nothing was built" in build.output
    assert "Traceback" not in build.output


def test_link_to_an_evidence_file_that_is_gone_is_left_out_with_a_warning(portfolio: Portfolio):
    # git-annex leaves such links for files whose content was not fetched.
    portfolio.config(extra="      pdf: false\n")
    portfolio.activity("x", RECORD)
    (portfolio.docs / "evidence").mkdir()
    os.symlink(portfolio.root / "annex" / "cert.pdf", portfolio.docs / "evidence" / "cert.pdf")
    build = portfolio.build()
    assert build.returncode == 0, build.output
    assert (
        "WARNING -  portfolio/evidence/cert.pdf: is a link to a file that does not exist; "
        "left out of the site" in build.output
    )
    assert not (build.site / "evidence" / "cert.pdf").exists()
    portfolio.activity("x", f"{RECORD}\nevidence: [evidence/cert.pdf]")
    result = check(portfolio)
    assert result.returncode == 1
    assert (
        "portfolio/activities/x.md:5: error: evidence file 'evidence/cert.pdf' not found "
        "(looked beside this file and in the portfolio root)" in result.stdout
    )


@pytest.mark.parametrize(
    "line, says",
    [
        pytest.param(
            "hours: " + "9" * 400,
            "hours '" + "9" * 400 + "' should be a number of hours of 0 or more",
            id="hours-too-big-for-a-number",
        ),
        pytest.param(
            "hours: " + "9" * 5000 + ":30",
            "hours '" + "9" * 5000 + ":30' should be a number of hours of 0 or more",
            id="hours-and-minutes-too-big",
        ),
        pytest.param(
            f"evidence: [{'a' * 300}.pdf]",
            f"evidence file '{'a' * 300}.pdf' not found",
            id="evidence-name-too-long-for-the-file-system",
        ),
    ],
)
def test_values_too_big_for_the_machine_are_errors_not_crashes(
    portfolio: Portfolio, line: str, says: str
):
    portfolio.activity("x", f"{RECORD}\n{line}")
    errors = cpdfolio.load(portfolio.docs).errors
    assert len(errors) == 1 and str(errors[0]).startswith(f"activities/x.md:5: {says}")


def test_image_with_a_name_too_long_for_the_file_system_does_not_stop_the_printout(
    portfolio: Portfolio,
):
    portfolio.activity("x", RECORD, f"![photo]({'a' * 5000}.png) ![nul](a%00b.png)\n")
    build = portfolio.build()
    assert build.returncode == 0, build.output
    assert "Traceback" not in build.output
    assert (build.site / "cpd-portfolio.pdf").read_bytes().startswith(b"%PDF")


# -- evidence and links, as `cpdfolio check` reports them -------------------------------


def test_broken_link_between_records_is_a_warning_with_file_and_line(portfolio: Portfolio):
    portfolio.goal("ceng", "title: Become a Chartered Engineer")
    body = "## What I did\n\nMet the panel, see [my goal](../../goals/nope.md).\n"
    portfolio.activity("2025/2025-03-14-meeting", RECORD, body)
    result = check(portfolio)
    assert result.returncode == 0, result.stdout
    # Lines 1-5 are the front matter; the link is on the body's third line.
    assert (
        "portfolio/activities/2025/2025-03-14-meeting.md:8: warning: the link to "
        "'../../goals/nope.md' leads to no page of the portfolio; check the file name "
        "(paths go from this file's folder)"
    ) in result.stdout
    assert "0 errors, 1 warning" in result.stdout


def test_link_from_a_shared_record_to_a_private_one_is_a_warning(small_portfolio: Portfolio):
    small_portfolio.activity(
        "2025/2025-10-01-debrief",
        RECORD.replace("2025-03-14", "2025-10-01"),
        "## What I did\n\nFollowed up [the incident](2025-09-01-privatecanary-incident.md).\n",
    )
    result = check(small_portfolio, "--format", "json")
    assert result.returncode == 0, result.stdout
    warnings = json.loads(result.stdout)["warnings"]
    assert {
        "file": "portfolio/activities/2025/2025-10-01-debrief.md",
        "line": 8,
        "key": None,
        "message": "the link to '2025-09-01-privatecanary-incident.md' leads to a private "
        "record (share: false), which an assessor will not see",
    } in warnings


def test_missing_evidence_is_an_error_with_file_line_and_key(portfolio: Portfolio):
    portfolio.activity("2025/x", f"{RECORD}\nevidence: [evidence/lost-certificate.pdf]")
    result = check(portfolio, "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"] == [
        {
            "file": "portfolio/activities/2025/x.md",
            "line": 5,
            "key": "evidence",
            "message": "evidence file 'evidence/lost-certificate.pdf' not found "
            "(looked beside this file and in the portfolio root)",
        }
    ]


def test_two_goals_with_the_same_file_name_in_two_folders_name_both_files(
    portfolio: Portfolio,
):
    portfolio.goal("2024/ceng", "title: Become a Chartered Engineer")
    portfolio.goal("2025/ceng", "title: Become a Chartered Engineer, again")
    result = check(portfolio, "--format", "json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"] == [
        {
            "file": "portfolio/goals/2025/ceng.md",
            "line": None,
            "key": "id",
            "message": "duplicate goal id 'ceng': goals/2024/ceng.md has it too; "
            "rename one of the files or change its 'id:'",
        }
    ]


# -- --strict, for CI ---------------------------------------------------------------


def test_check_strict_exits_1_on_a_warning_and_0_without(portfolio: Portfolio):
    portfolio.activity("x", f"{RECORD}\ntittle: typo")
    assert check(portfolio).returncode == 0
    strict = check(portfolio, "--strict")
    assert strict.returncode == 1
    assert (
        "portfolio/activities/x.md:5: warning: unknown key 'tittle'; did you mean 'title'?"
        in strict.stdout
    )
    assert check(portfolio, "--strict", "--format", "json").returncode == 1
    portfolio.activity("x", RECORD)
    assert check(portfolio, "--strict").returncode == 0
    assert check(portfolio, "--strict", "--format", "json").returncode == 0
