"""The portfolio as one PDF for an auditor: model → print HTML parts → WeasyPrint → binding.

- `writer`: `write_pdf`, the print HTML of each part, laid out on every core;
- `binding`: the parts bound into one tagged PDF with pikepdf.
"""

from .writer import ARCHIVE_AND_PASSPHRASE, Printout, describe, for_print, write_pdf

__all__ = ["ARCHIVE_AND_PASSPHRASE", "Printout", "describe", "for_print", "write_pdf"]
