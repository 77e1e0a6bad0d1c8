"""Reading a printout back as an auditor's PDF reader would: its text, where its links lead."""

import subprocess
from pathlib import Path


def pdftotext(path: Path, *args: str) -> str:
    """The PDF's text, from poppler's pdftotext (`-layout`, `-f N -l N` and so on in `args`)."""
    return subprocess.run(
        ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_words(path: Path) -> str:
    """The PDF's words in order, one space between each: what a phrase is looked for in."""
    return " ".join(pdftotext(path).split())


def link_landings(reader) -> set[int]:
    """The pages (numbered from 0) that the PDF's internal links land on, read with pypdf."""
    landed = set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            destination = annotation.get_object().get("/Dest")
            if destination is not None:
                landed.add(reader.get_page_number(destination[0].get_object()))
    return landed
