"""Binding the printout's parts, laid out apart, into one PDF with pypdf.

WeasyPrint lays out each part as its own PDF (see printout.py). Binding puts
them in order, lays the running header and "page N of M" over each page,
points the links between parts at their pages, rebuilds one bookmark tree,
attaches the evidence, and encrypts the whole when there is a passphrase.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    Fit,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

# Links between parts are written with this scheme, then pointed at their page.
LINK_SCHEME = "cpdfolio-anchor:"
_STAMP = NameObject("/CpdfolioStamp")


@dataclass
class LaidOut:
    """One part as a PDF, with where its anchors and bookmarks fell (PDF units)."""

    pdf: bytes
    pages: int
    anchors: dict[str, tuple[int, float, float]]
    bookmarks: list[tuple[int, int, str, float, float]]
    # WeasyPrint's warnings (a missing image, bad CSS), for the main process's log.
    warnings: list[tuple[int, str]]


class Binder:
    """Parts bound in order; the body can be bound while the front is laid out."""

    def __init__(self) -> None:
        self.writer = PdfWriter()
        self.parts: list[LaidOut] = []
        self.streams: dict[bytes, object] = {}  # small content streams, added once

    def append(self, part: LaidOut) -> None:
        self.writer.append(PdfReader(io.BytesIO(part.pdf)), import_outline=False)
        self.parts.append(part)

    def prepend(self, part: LaidOut) -> None:
        self.writer.merge(0, PdfReader(io.BytesIO(part.pdf)), import_outline=False)
        self.parts.insert(0, part)

    def write(
        self,
        target: Path,
        overlays: list[LaidOut],
        attachments: list[tuple[Path, str]],
        metadata: dict[str, str],
        passphrase: str = "",
    ) -> None:
        """Stamp, link, outline and attach; then write (encrypted with a passphrase)."""
        writer = self.writer
        stamps = [page for part in overlays for page in PdfReader(io.BytesIO(part.pdf)).pages]
        for page, stamp in zip(writer.pages, stamps, strict=True):
            self._stamp(page, stamp)
        self._link()
        self._outline()
        for path, name in attachments:
            writer.add_attachment(name, path.read_bytes())
        writer.add_metadata(metadata)
        if passphrase:
            # AES-256, which WeasyPrint does not write; encrypted from a fresh reading
            # of the bound PDF, as pypdf misses stamps added to pages of the same writer.
            # Random salts make each locked printout differ from the last.
            bound = io.BytesIO()
            writer.write(bound)
            writer = PdfWriter(clone_from=PdfReader(bound))
            writer.encrypt(user_password=passphrase, algorithm="AES-256")
        with open(target, "wb") as file:
            writer.write(file)

    def _firsts(self) -> list[int]:
        firsts, first = [], 0
        for part in self.parts:
            firsts.append(first)
            first += part.pages
        return firsts

    def _stamp(self, page, stamp) -> None:
        """Draw `stamp` over `page` as a form, without parsing the page's content.

        pypdf's merge_page parses every page's content to rename clashing names,
        which took half the binding time; a form keeps its own resources.
        """
        add = self.writer._add_object  # noqa: SLF001 (pypdf has no public way to add a stream)
        form = StreamObject()
        form.set_data(stamp.get_contents().get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(stamp.mediabox),
                NameObject("/Resources"): stamp["/Resources"].clone(self.writer),
            }
        )
        # WeasyPrint's parts share one resource dictionary over their pages: each page
        # gets its own copy, naming its own stamp.
        resources = DictionaryObject(page["/Resources"])
        forms = DictionaryObject(resources.get("/XObject", DictionaryObject()))
        forms[_STAMP] = add(form)
        resources[NameObject("/XObject")] = forms
        page[NameObject("/Resources")] = resources
        # The page's content may leave its coordinates changed: draw the stamp after
        # restoring the state saved before it.
        contents = page.raw_get("/Contents")
        if isinstance(contents.get_object(), list):
            contents = list(contents.get_object())
        else:
            contents = [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [self._stream(b"q\n"), *contents, self._stream(b"\nQ q /CpdfolioStamp Do Q\n")]
        )

    def _stream(self, data: bytes):
        if data not in self.streams:
            stream = StreamObject()
            stream.set_data(data)
            self.streams[data] = self.writer._add_object(stream)  # noqa: SLF001
        return self.streams[data]

    def _link(self) -> None:
        """Links written as LINK_SCHEME addresses become links to their page."""
        writer = self.writer
        anchors: dict[str, tuple[int, float, float]] = {}
        for part, first in zip(self.parts, self._firsts(), strict=True):
            for name, (page, x, y) in part.anchors.items():
                anchors.setdefault(name, (first + page, x, y))
        for page in writer.pages:
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                action = annotation.get("/A")
                uri = str(action.get("/URI", "")) if action is not None else ""
                if not uri.startswith(LINK_SCHEME):
                    continue
                del annotation[NameObject("/A")]
                number, x, y = anchors.get(uri[len(LINK_SCHEME) :], (None, 0, 0))
                if number is not None:
                    annotation[NameObject("/Dest")] = ArrayObject(
                        [
                            writer.pages[number].indirect_reference,
                            NameObject("/XYZ"),
                            FloatObject(x),
                            FloatObject(y),
                            NumberObject(0),
                        ]
                    )

    def _outline(self) -> None:
        """The parts' bookmarks as one tree: parts, then goals and activities."""
        parents: list = []  # the open bookmark at each level
        for part, first in zip(self.parts, self._firsts(), strict=True):
            for page, level, label, x, y in part.bookmarks:
                del parents[level - 1 :]
                parent = parents[-1] if parents else None
                item = self.writer.add_outline_item(
                    label, first + page, parent=parent, fit=Fit.xyz(x, y, 0)
                )
                parents.extend([item] * (level - len(parents)))
