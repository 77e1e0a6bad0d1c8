"""The portfolio as one PDF for an auditor: model → print HTML parts → WeasyPrint → binding.

- `document`: the records as print HTML, in parts laid out apart;
- `layout`: WeasyPrint on each part, one worker process per core;
- `cache`: parts laid out before, kept for the next printout;
- `binding`: the parts bound into one tagged PDF with pikepdf;
- `writer`: `write_pdf`, which runs the steps above in turn;
- `live`: `cpdfolio serve --pdf`, the printout made again after each edit.
"""

from .writer import ARCHIVE_AND_PASSPHRASE, Printout, describe, for_print, write_pdf

__all__ = ["ARCHIVE_AND_PASSPHRASE", "Printout", "describe", "for_print", "write_pdf"]
