"""Reading a printout back as text, as an auditor's PDF reader would."""

import subprocess
from pathlib import Path


def pdftotext(path: Path, *args: str) -> str:
    """The PDF's text, from poppler's pdftotext (`-layout`, `-f N -l N` and so on in `args`)."""
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
