"""Records in and out of spreadsheets, and new records from the framework.

- `columns`: the columns of an export, both ways, and the formula guard;
- `export`: every record as CSV, XLSX or JSON (`cpdfolio export`);
- `readers`: a member's CSV or XLSX as rows, within limits;
- `cells`: what a cell says: dates, hours or days, yes or no;
- `importer`: the rows as new activity files, every word kept (`cpdfolio import`);
- `authoring`: new records written from the framework (`cpdfolio new`, `cpdfolio add`).
"""

from .columns import ACTIVITY_COLUMNS, FORMATS, GOAL_COLUMNS, ExchangeError
from .export import counted, export, listed
from .importer import ImportReport, import_activities, match_category
from .readers import MAX_CELL_CHARS, MAX_ROWS, printable

__all__ = [
    "ACTIVITY_COLUMNS",
    "FORMATS",
    "GOAL_COLUMNS",
    "MAX_CELL_CHARS",
    "MAX_ROWS",
    "ExchangeError",
    "ImportReport",
    "counted",
    "export",
    "import_activities",
    "listed",
    "match_category",
    "printable",
]
