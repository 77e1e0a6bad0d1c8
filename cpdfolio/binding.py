"""Binding the printout's parts, laid out apart, into one PDF with pikepdf.

WeasyPrint lays out each part as its own PDF (see printout.py). Binding puts
them in order, lays the running header and the contents' page numbers over the
pages, writes "page N of M" at their foot, points the links between parts at
their pages, rebuilds one bookmark tree, attaches the evidence, and encrypts the
whole when there is a passphrase. pikepdf (qpdf, written in C++) binds a thousand records in half a
second, where pypdf took two while the workers needed the cores.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

# Links between parts are written with this scheme, then pointed at their page.
LINK_SCHEME = "cpdfolio-anchor:"
_HEADER = Name("/CpdfolioHeader")
_STAMP = Name("/CpdfolioStamp")
_FOOTER = Name("/CpdfolioFooter")
# The id, in the header's part, of the sample line that "page N of M" copies,
# and the line's type: its size in points and its grey (#666, as the header).
FOOTER_SAMPLE = "footer-sample"
FOOTER_SIZE, FOOTER_GREY = 8.0, 0.4


class Spot(NamedTuple):
    """Where an element with an id fell: its page in the part, and its box's left,
    top and right edges in points from the page's top left corner."""

    page: int
    left: float
    top: float
    right: float


@dataclass
class LaidOut:
    """One part as a PDF, with where its anchors and bookmarks fell."""

    pdf: bytes
    pages: int
    size: tuple[float, float]  # of its pages, width and height in points
    anchors: dict[str, Spot]
    # (page, level, label, x, y): PDF units, from the page's bottom left
    bookmarks: list[tuple[int, int, str, float, float]]
    # WeasyPrint's warnings (a missing image, bad CSS), for the main process's log.
    warnings: list[tuple[int, str]]


class Binder:
    """Parts bound in order; the body can be bound while the front is laid out."""

    def __init__(self) -> None:
        self.pdf = Pdf.new()
        self.parts: list[LaidOut] = []
        self.opened: list[Pdf] = []  # the parts' own PDFs, read until the book is written
        self.streams: dict[bytes, pikepdf.Stream] = {}

    def append(self, part: LaidOut) -> None:
        self.pdf.pages.extend(self._open(part).pages)
        self.parts.append(part)

    def prepend(self, part: LaidOut) -> None:
        for number, page in enumerate(self._open(part).pages):
            self.pdf.pages.insert(number, page)
        self.parts.insert(0, part)

    def write(
        self,
        target: Path,
        overlays: list[LaidOut],
        header: LaidOut,
        attachments: list[tuple[Path, str]],
        metadata: dict[str, str],
        passphrase: str = "",
    ) -> None:
        """Stamp, link, outline and attach; then write (encrypted with a passphrase).

        `overlays` hold a page for each of the first pages (the front's contents
        numbers); `header`, the running header drawn over every page but the
        first (the cover), and a second page with the sample footer line.
        """
        pdf = self.pdf
        try:
            stamps = [page for part in overlays for page in self._open(part).pages]
            header_pages = self._open(header).pages
            running = self._form(header_pages[0])
            footer = _Footer(pdf, header_pages[1], header.anchors[FOOTER_SAMPLE])
            total = len(pdf.pages)
            for number, page in enumerate(pdf.pages):
                forms = {_STAMP: self._form(stamps[number])} if number < len(stamps) else {}
                if number:  # not on the cover
                    forms[_HEADER] = running
                    self._stamp(page, forms, {_FOOTER: footer.font}, footer.line(number + 1, total))
                else:
                    self._stamp(page, forms)
            self._link()
            self._outline()
            for path, name in attachments:
                pdf.attachments[name] = pikepdf.AttachedFileSpec(
                    pdf, path.read_bytes(), filename=name
                )
            for key, value in metadata.items():
                pdf.docinfo[Name(key)] = value
            version = max(opened.pdf_version for opened in self.opened)
            if passphrase:
                # AES-256; qpdf picks new salts each time, so locked printouts differ.
                locked = pikepdf.Encryption(owner=passphrase, user=passphrase, R=6)
                pdf.save(target, min_version=version, encryption=locked)
            else:
                # The same records give the same bytes: the file's id comes from them.
                pdf.save(target, min_version=version, deterministic_id=True)
        finally:
            for opened in self.opened:
                opened.close()

    def _open(self, part: LaidOut) -> Pdf:
        opened = Pdf.open(io.BytesIO(part.pdf))
        self.opened.append(opened)
        return opened

    def _form(self, stamp: pikepdf.Page) -> pikepdf.Object:
        """A page of an overlay as a form, to draw over a page of the printout."""
        return self.pdf.copy_foreign(stamp.as_form_xobject())

    def _stamp(
        self,
        page: pikepdf.Page,
        forms: dict[Name, pikepdf.Object],
        fonts: dict[Name, pikepdf.Object] | None = None,
        text: bytes = b"",
    ) -> None:
        """Draw these forms over `page`, under names of our own; then `text`, content
        written in these fonts.

        (pikepdf's add_overlay names each form at random, which would make every
        printout's bytes differ, and adds it to the resources WeasyPrint shares
        among all pages of a part.) Each page gets its own copy naming its stamps.
        """
        resources = Dictionary(page.obj.Resources)
        objects = Dictionary(resources.get(Name.XObject, Dictionary()))
        objects.update(forms)
        resources[Name.XObject] = objects
        if fonts:
            named = Dictionary(resources.get(Name.Font, Dictionary()))
            named.update(fonts)
            resources[Name.Font] = named
        page.obj.Resources = resources
        # The page's content may leave its coordinates changed: draw the forms after
        # restoring the state saved before it.
        draw = b"".join(b" q %s Do Q" % str(name).encode() for name in sorted(forms, key=str))
        page.contents_add(self._stream(b"q\n"), prepend=True)
        page.contents_add(self._stream(b"\nQ" + draw + b"\n"))
        if text:
            page.contents_add(self.pdf.make_stream(text))

    def _stream(self, data: bytes) -> pikepdf.Stream:
        """A small content stream, made once and shared by every page that draws it."""
        if data not in self.streams:
            self.streams[data] = self.pdf.make_stream(data)
        return self.streams[data]

    def _firsts(self) -> list[int]:
        firsts, first = [], 0
        for part in self.parts:
            firsts.append(first)
            first += part.pages
        return firsts

    def _link(self) -> None:
        """Links written as LINK_SCHEME addresses become links to their page."""
        pages = self.pdf.pages
        anchors: dict[str, tuple[int, float, float]] = {}
        for part, first in zip(self.parts, self._firsts(), strict=True):
            height = part.size[1]
            for name, spot in part.anchors.items():
                anchors.setdefault(name, (first + spot.page, spot.left, height - spot.top))
        for page in pages:
            for annotation in page.obj.get(Name.Annots, ()):
                action = annotation.get(Name.A)
                uri = str(action.get(Name.URI, "")) if action is not None else ""
                if not uri.startswith(LINK_SCHEME):
                    continue
                del annotation[Name.A]
                number, x, y = anchors.get(uri[len(LINK_SCHEME) :], (None, 0, 0))
                if number is not None:
                    annotation[Name.Dest] = Array([pages[number].obj, Name.XYZ, x, y, 0])

    def _outline(self) -> None:
        """The parts' bookmarks as one tree: parts, then goals and activities."""
        with self.pdf.open_outline() as outline:
            parents: list[pikepdf.OutlineItem] = []  # the open bookmark at each level
            for part, first in zip(self.parts, self._firsts(), strict=True):
                for page, level, label, x, y in part.bookmarks:
                    del parents[level - 1 :]
                    item = pikepdf.OutlineItem(label, first + page, "XYZ", left=x, top=y)
                    (parents[-1].children if parents else outline.root).append(item)
                    parents.extend([item] * (level - len(parents)))


class _Footer:
    """ "page N of M", written straight into each page in the header's font.

    WeasyPrint spends 1.6 ms laying out any page, even one with a single line:
    a second of a thousand-record printout, at its end. Its layout of one sample
    line ("page 0123456789 of") gives everything the footers need: the font
    (DejaVu Sans, embedded, with the codes of those characters and their widths)
    and where the line stands. Each page then gets the line, centred as the
    sample is.
    """

    def __init__(self, pdf: Pdf, sample: pikepdf.Page, spot: Spot) -> None:
        font = next(iter(sample.Resources.Font.values()))  # the sample's only font
        self.font = pdf.copy_foreign(font)
        codes = re.findall(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]{4})>", font.ToUnicode.read_bytes())
        self.codes = {chr(int(char, 16)): int(code, 16) for code, char in codes}
        cid_font = font.DescendantFonts[0]
        self.widths: dict[int, float] = {}
        widths = list(cid_font.get(Name.W, []))
        while widths:  # "first [w w ...]", or "first last w" for a run of one width
            first, run = int(widths.pop(0)), widths.pop(0)
            if isinstance(run, Array):
                self.widths.update({first + n: float(w) for n, w in enumerate(run)})
            else:
                width = float(widths.pop(0))
                self.widths.update({code: width for code in range(first, int(run) + 1)})
        self.default = float(cid_font.get(Name.DW, 1000))
        ascent = float(cid_font.FontDescriptor.Ascent)
        height = float(sample.mediabox[3] - sample.mediabox[1])
        self.centre = (spot.left + spot.right) / 2
        self.baseline = height - (spot.top + ascent / 1000 * FOOTER_SIZE)

    def line(self, number: int, total: int) -> bytes:
        """The content that writes "page `number` of `total`" at the foot of a page."""
        text = f"page {number} of {total}"
        codes = [self.codes[char] for char in text]
        width = sum(self.widths.get(code, self.default) for code in codes) / 1000 * FOOTER_SIZE
        glyphs = "".join(f"{code:04x}" for code in codes)
        return (
            f"q {FOOTER_GREY:g} g BT {_FOOTER} {FOOTER_SIZE:g} Tf "
            f"{self.centre - width / 2:.3f} {self.baseline:.3f} Td <{glyphs}> Tj ET Q"
        ).encode()
