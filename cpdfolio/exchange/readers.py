"""Reading a member's spreadsheet, CSV or XLSX, as rows: with limits, never trusting it.

A spreadsheet may be made to exhaust the machine (a zip bomb, a million rows) or
to reach other files (an XML entity); each limit is a clear error, never a long
wait, and its text is printed with control characters escaped.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .columns import ACTIVITY_COLUMNS, ExchangeError, unguarded

# What import reads at most: far more than a lifetime of CPD, far less than a file
# made to exhaust the machine. Each is a clear error, never a long wait.
MAX_FILE_BYTES = 20_000_000
MAX_ROWS = 10_000
MAX_COLUMNS = 100
# The csv module's own limit for one field; an XLSX cell holds at most 32,767.
MAX_CELL_CHARS = 131_072
# All the XML inside an XLSX, unpacked: a zip of repeated rows may unpack 100-fold.
MAX_XLSX_UNPACKED = 100_000_000

Table = list[tuple[int, list[object]]]


def read_table(path: Path) -> Table:
    """The rows of a CSV or XLSX file, each with its row number as a spreadsheet shows it."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ExchangeError(f"{path} is not a file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ExchangeError(
            f"{path.name} is {size / 1e6:.1f} MB; import reads files of up to "
            f"{MAX_FILE_BYTES // 1_000_000} MB: split it, or leave out what is not records"
        )
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path)
    if suffix == ".xls":
        raise ExchangeError(
            f"{path.name} is in the old Excel format: save it as .xlsx or .csv and import that"
        )
    raise ExchangeError(f"{path.name}: import reads .csv and .xlsx files")


def _read_csv(path: Path) -> Table:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves 'CSV' in its own code page, not UTF-8.
        text = raw.decode("cp1252", errors="replace")
    delimiter = ","
    for line in text.splitlines():
        counts = {mark: line.count(mark) for mark in (",", ";", "\t")}
        if any(counts.values()):
            delimiter = max(counts, key=lambda mark: counts[mark])
            break
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Table = []
    try:
        for cells in reader:
            _check_row(path, reader.line_num, len(rows) + 1, cells)
            rows.append((len(rows) + 1, list(cells)))
    except csv.Error as error:
        raise ExchangeError(
            f"{path.name}:{reader.line_num}: cannot be read as CSV ({error}); a cell may hold "
            f"at most {MAX_CELL_CHARS:,} characters"
        ) from None
    # Its own export guards cells a spreadsheet would run as formulas: undone exactly.
    if rows and [normal_heading(cell) for cell in rows[0][1]] == list(ACTIVITY_COLUMNS):
        rows = [(number, [unguarded(cell) for cell in cells]) for number, cells in rows]
    return rows


def _check_row(path: Path, line: int, row: int, cells: list) -> None:
    """A row within the limits, or the error that says which limit and where."""
    if row > MAX_ROWS:
        raise ExchangeError(
            f"{path.name} has more than {MAX_ROWS:,} rows; import reads at most that many: "
            f"split the file"
        )
    for column, cell in enumerate(cells[: MAX_COLUMNS + 1], start=1):
        if column > MAX_COLUMNS and cell not in (None, ""):
            raise ExchangeError(
                f"{path.name}:{line}: has more than {MAX_COLUMNS} columns; import reads "
                f"at most that many"
            )
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise ExchangeError(
                f"{path.name}:{line}: a cell of {len(cell):,} characters; a cell may hold "
                f"at most {MAX_CELL_CHARS:,}"
            )


def _read_xlsx(path: Path) -> Table:
    """The first sheet's rows (its own export's 'activities'), read as a stream.

    openpyxl's read-only mode parses a row at a time, with defusedxml, so no XML
    bomb or external entity is expanded; the unpacked size is checked first.
    """
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not openpyxl.DEFUSEDXML:  # OPENPYXL_DEFUSEDXML=False in the environment
        raise ExchangeError(
            "import reads XLSX only with defusedxml in use; unset OPENPYXL_DEFUSEDXML"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            _inspect_xlsx(path, archive)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise ExchangeError(f"{path.name} cannot be read as an XLSX workbook ({error})") from None
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            # Its own export's sheet of activities; a member's workbook, its first sheet.
            names = workbook.sheetnames
            sheet = workbook["activities"] if "activities" in names else workbook.worksheets[0]
            rows: Table = []
            for number, values in enumerate(
                sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1, values_only=True),
                start=1,
            ):
                if number > MAX_ROWS and all(is_blank(value) for value in values):
                    break  # a size the sheet claims, not rows it has
                _check_row(path, number, number, list(values))
                rows.append((number, list(values)))
            return rows
        finally:
            workbook.close()
    except ExchangeError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a broken workbook
        refused = _defused(error)
        if refused is not None:
            raise ExchangeError(
                f"{path.name}: refused: its XML declares entities ({type(refused).__name__}), "
                f"as an XML bomb or an attempt to read other files does; no workbook needs them"
            ) from None
        known = (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError)
        shown = str(error) if isinstance(error, known) else f"{type(error).__name__}: {error}"
        raise ExchangeError(f"{path.name} cannot be read as an XLSX workbook ({shown})") from None


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


def _inspect_xlsx(path: Path, archive) -> None:
    """Refuse a workbook before openpyxl reads it: too big unpacked, too many rows, a DTD.

    openpyxl's read-only mode reads a whole sheet to find its size when the sheet
    does not state it, and lxml (when installed) parses some parts in place of
    defusedxml; a streamed look at the raw XML settles both at once.
    """
    members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED:
        raise ExchangeError(
            f"{path.name} unpacks to {unpacked / 1e6:.0f} MB of XML; import reads workbooks "
            f"of up to {MAX_XLSX_UNPACKED // 1_000_000} MB unpacked ({MAX_ROWS:,} rows)"
        )
    for member in members:
        if member.is_dir():
            continue
        rows, tail, first = 0, b"", True
        with archive.open(member) as stream:
            while chunk := stream.read(1 << 20):
                if first:
                    # A DTD comes before the first element; UTF-16 XML as well, zeros apart.
                    head = chunk[:65536]
                    if any(
                        mark in head or mark in head.replace(b"\0", b"") for mark in _DECLARATIONS
                    ):
                        raise ExchangeError(
                            f"{path.name}: refused: its XML declares entities ({member.filename}), "
                            f"as an XML bomb or an attempt to read other files does; "
                            f"no workbook needs them"
                        )
                    first = False
                if member.filename.startswith("xl/worksheets/"):
                    rows += len(_ROW_TAG.findall(tail + chunk)) - len(_ROW_TAG.findall(tail))
                    tail = chunk[-64:]
                    if rows > MAX_ROWS:
                        raise ExchangeError(
                            f"{path.name} has more than {MAX_ROWS:,} rows; import reads at most "
                            f"that many: split the file"
                        )


def _defused(error: BaseException | None) -> BaseException | None:
    """defusedxml's refusal, if that is what openpyxl's error (or its cause) is."""
    from defusedxml import DefusedXmlException

    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DefusedXmlException):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


# Characters a terminal acts on (escape sequences, carriage returns, bidirectional
# overrides): shown as escapes when import repeats a cell's text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text from a spreadsheet as it may be printed: control characters as escapes."""
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


def normal_heading(heading: object) -> str:
    """'CPD Hours (total)' → 'cpd hours total': headings compared without case or marks."""
    return " ".join(re.sub(r"[^\w]+", " ", str(heading).casefold()).split())


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
