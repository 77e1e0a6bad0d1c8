"""Binding the printout's parts, laid out apart, into one PDF with pikepdf.

WeasyPrint lays out each part as its own PDF (see layout.py). Binding puts
them in order, lays the running header and the contents' page numbers over the
pages, writes "page N of M" at their foot, points the links between parts at
their pages, rebuilds one bookmark tree, attaches the evidence, and encrypts the
whole when there is a passphrase. pikepdf (qpdf, written in C++) binds a thousand records in half a
second, where pypdf took two while the workers needed the cores.

The parts are tagged PDFs (PDF/UA-1): binding keeps what a screen reader reads.
Each part's structure tree goes under one Document element, its numbers in the
parent tree moved past the parts before it; the stamps are marked as artifacts;
the catalog gets /MarkInfo, /Lang, the title shown in the window and XMP
metadata that agrees with the document information. An archival printout
(PDF/A-3b) adds an sRGB output intent and attaches the evidence as associated
files.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
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
# The structure tree's many small dictionaries, packed into compressed object
# streams: a tagged printout is then the size the untagged one was (a third),
# and it is written faster.
PACKED = pikepdf.ObjectStreamMode.generate


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
    # Whether its HTML has tables, whose header cells binding must number apart.
    tables: bool = True


# Marked content that a screen reader skips: the running header, the page
# numbers at the foot, the contents' page numbers (the contents' links say where
# they lead). PDF 32000-1, 14.8.2.2.
_HEADER_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Header>> BDC"
_FOOTER_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
_STAMP_ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"
# What the evidence is to the printout, for an archive (PDF/A-3 associated files).
EVIDENCE_RELATIONSHIP = Name("/Supplement")
_XMP_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


@dataclass
class _Tree:
    """A part's structure tree, copied into the book: its parent tree's entries
    (annotations' elements moved into their links) and its header cells' ids."""

    tree: pikepdf.Object | None
    entries: list[tuple[int, pikepdf.Object]]
    ids: dict[str, pikepdf.Object]


class Binder:
    """Parts bound in order; the body can be bound while the front is laid out."""

    def __init__(self) -> None:
        self.pdf = Pdf.new()
        self.parts: list[LaidOut] = []
        self.opened: list[Pdf] = []  # the parts' own PDFs, read until the book is written
        self.sources: list[Pdf] = []  # each bound part's own PDF, in the order of parts
        self.trees: list[_Tree] = []  # and its structure tree, copied in
        self.streams: dict[bytes, pikepdf.Stream] = {}
        # Parts opened ahead of their turn, by id (each kept with its LaidOut).
        self.ahead: dict[int, tuple[LaidOut, Pdf]] = {}

    def append(self, part: LaidOut) -> None:
        source = self._open(part)
        self.pdf.pages.extend(source.pages)
        self.parts.append(part)
        self.sources.append(source)
        self.trees.append(self._adopt(source, part.tables))

    def prepend(self, part: LaidOut) -> None:
        source = self._open(part)
        for number, page in enumerate(source.pages):
            self.pdf.pages.insert(number, page)
        self.parts.insert(0, part)
        self.sources.insert(0, source)
        self.trees.insert(0, self._adopt(source, part.tables))

    def _adopt(self, source: Pdf, tables: bool = True) -> _Tree:
        """A part's structure tree, copied in as the part is bound: while the
        workers still lay out the next parts, not once they are all done.

        Its elements are copied after the pages they point at, so their /Pg and
        /Obj are the bound pages.
        """
        if Name.StructTreeRoot not in source.Root:
            return _Tree(None, [], {})
        tree = self.pdf.copy_foreign(source.Root.StructTreeRoot)
        ids: dict[str, pikepdf.Object] = {}
        if tables:  # walking the tree of a part with none cost a second in a thousand records
            self._tables(tree, f"part{len(self.trees)}-", ids)
        entries = [
            # A page's array of elements is made an object of its own: referred to,
            # it is not copied again each time the parent tree is put together.
            (
                key,
                _in_link(value) if isinstance(value, Dictionary) else self.pdf.make_indirect(value),
            )
            for key, value in _number_tree(tree.get(Name.ParentTree))
        ]
        return _Tree(tree, entries, ids)

    def write(
        self,
        target: Path,
        overlays: list[LaidOut],
        header: LaidOut,
        attachments: list[tuple[Path, str]],
        metadata: dict[str, str],
        passphrase: str = "",
        descriptions: dict[str, str] | None = None,
        archive: bool = False,
    ) -> None:
        """Stamp, link, outline, tag and attach; then write (encrypted with a passphrase).

        `overlays` hold a page for each of the first pages (the front's contents
        numbers); `header`, the running header drawn over every page but the
        first (the cover), and a second page with the sample footer line.
        `descriptions` name, for a screen reader, what each anchor a link points
        at is. `archive` writes PDF/A-3b, which no passphrase may lock.
        """
        if archive and passphrase:
            raise ValueError("an archival printout (PDF/A) cannot be encrypted")
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
            self._link(descriptions or {})
            self._outline()
            self._structure()
            associated = Array()
            for path, name in attachments:
                if archive:
                    # PDF/A-3: each file with its type, date and relation to the printout.
                    spec = pikepdf.AttachedFileSpec(
                        pdf,
                        path.read_bytes(),
                        filename=name,
                        mime_type=_mime_type(name),
                        mod_date=metadata.get("/ModDate", ""),
                        relationship=EVIDENCE_RELATIONSHIP,
                    )
                    associated.append(spec.obj)
                else:
                    spec = pikepdf.AttachedFileSpec(pdf, path.read_bytes(), filename=name)
                pdf.attachments[name] = spec
            for key, value in metadata.items():
                pdf.docinfo[Name(key)] = value
            self._catalog(metadata, archive)
            if archive:
                if len(associated):
                    pdf.Root.AF = pdf.make_indirect(associated)
                self._archive()
            version = max(opened.pdf_version for opened in self.opened)
            if passphrase:
                # AES-256; qpdf picks new salts each time, so locked printouts differ.
                locked = pikepdf.Encryption(owner=passphrase, user=passphrase, R=6)
                pdf.save(target, min_version=version, encryption=locked, object_stream_mode=PACKED)
            else:
                # The same records give the same bytes: the file's id comes from them.
                pdf.save(
                    target, min_version=version, deterministic_id=True, object_stream_mode=PACKED
                )
        finally:
            for opened in self.opened:
                opened.close()

    def read_ahead(self, part: LaidOut) -> None:
        """Open a part that comes later, while the one before it is still laid out."""
        if id(part) not in self.ahead:
            self.ahead[id(part)] = (part, self._open(part))

    def _open(self, part: LaidOut) -> Pdf:
        if id(part) in self.ahead:
            return self.ahead.pop(id(part))[1]
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
        # restoring the state saved before it. Each stamp is an artifact, read by no
        # screen reader: the page's own content carries the words.
        draw = b"".join(
            b" %s q %s Do Q EMC"
            % (_HEADER_ARTIFACT if name == _HEADER else _STAMP_ARTIFACT, str(name).encode())
            for name in sorted(forms, key=str)
        )
        page.contents_add(self._stream(b"q\n"), prepend=True)
        page.contents_add(self._stream(b"\nQ" + draw + b"\n"))
        if text:
            page.contents_add(self.pdf.make_stream(_FOOTER_ARTIFACT + b" " + text + b" EMC"))

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

    def _link(self, descriptions: dict[str, str]) -> None:
        """Links written as LINK_SCHEME addresses become links to their page, each
        described (/Contents) for a screen reader by where it leads."""
        # Each page's object, looked up once: pdf.pages[n] cost 30 µs a link.
        pages = [page.obj for page in self.pdf.pages]
        anchors: dict[str, tuple[int, float, float]] = {}
        for part, first in zip(self.parts, self._firsts(), strict=True):
            height = part.size[1]
            for name, spot in part.anchors.items():
                anchors.setdefault(name, (first + spot.page, spot.left, height - spot.top))
        for page in pages:
            for annotation in page.get(Name.Annots, ()):
                action = annotation.get(Name.A)
                uri = str(action.get(Name.URI, "")) if action is not None else ""
                if not uri.startswith(LINK_SCHEME):
                    if uri:
                        annotation[Name.Contents] = f"Link to {uri}"
                    continue
                del annotation[Name.A]
                name = uri[len(LINK_SCHEME) :]
                number, x, y = anchors.get(name, (None, 0, 0))
                if number is not None:
                    annotation[Name.Dest] = Array([pages[number], Name.XYZ, x, y, 0])
                    where = f"page {number + 1}"
                    annotation[Name.Contents] = (
                        f"{descriptions[name]}, {where}" if name in descriptions else where
                    )
                else:
                    annotation[Name.Contents] = descriptions.get(name, "not in this printout")

    def _structure(self) -> None:
        """The parts' structure trees as one, under one Document element.

        Each part numbers its pages' and links' entries in its parent tree from
        0; here they follow on from the parts before it.
        """
        pdf = self.pdf
        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        document = pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array())
        )
        root.K = Array([document])
        numbers: list = []
        role_map, class_map = Dictionary(), Dictionary()
        ids: dict[str, pikepdf.Object] = {}
        offset = 0
        pages = [page.obj for page in pdf.pages]
        for adopted, first, part in zip(self.trees, self._firsts(), self.parts, strict=True):
            tree = adopted.tree
            if tree is None:
                continue
            for top in _kids(tree.get(Name.K)):
                wrapped = top.get(Name.S) == Name.Document
                for element in _kids(top.get(Name.K)) if wrapped else [top]:
                    if isinstance(element, Dictionary):
                        element.P = document
                    document.K.append(element)
            for key, value in adopted.entries:
                numbers += [key + offset, value]
            for page in pages[first : first + part.pages]:
                if Name.StructParents in page:
                    page.StructParents = int(page.StructParents) + offset
                for annotation in page.get(Name.Annots, ()):
                    if Name.StructParent in annotation:
                        annotation.StructParent = int(annotation.StructParent) + offset
            role_map.update(tree.get(Name.RoleMap, Dictionary()))
            class_map.update(tree.get(Name.ClassMap, Dictionary()))
            ids.update(adopted.ids)
            offset += max((key for key, _ in adopted.entries), default=-1) + 1
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(numbers)))
        root.ParentTreeNextKey = offset
        if ids:
            names = Array()
            for key in sorted(ids):
                names.extend([pikepdf.String(key), ids[key]])
            root.IDTree = pdf.make_indirect(Dictionary(Names=names))
        if role_map:
            root.RoleMap = role_map
        if class_map:
            root.ClassMap = class_map
        pdf.Root.StructTreeRoot = root

    @staticmethod
    def _tables(tree: pikepdf.Object, prefix: str, ids: dict[str, pikepdf.Object]) -> None:
        """Header cells with their scope, and ids unique in the whole printout.

        WeasyPrint ties each data cell to its header cells by the headers' ids,
        numbered within the part: here they get the part's prefix, and go in the
        tree's /IDTree, where a reader looks them up. A header in the table's head
        heads its column; one in a row heads its row.
        """
        stack = [(kid, False) for kid in _kids(tree.get(Name.K))]
        while stack:
            element, in_head = stack.pop()
            if not isinstance(element, Dictionary) or Name.S not in element:
                continue  # a marked-content id, or a reference to an annotation
            role = element.S
            if role in (Name.TH, Name.TD):
                attributes = element.get(Name.A)
                if role == Name.TH:
                    if attributes is None:
                        attributes = element.A = Dictionary(O=Name.Table)
                    attributes.Scope = Name.Column if in_head else Name.Row
                    if Name.ID in element:
                        element.ID = pikepdf.String(prefix + str(element.ID))
                        ids[str(element.ID)] = element
                elif attributes is not None and Name.Headers in attributes:
                    attributes.Headers = Array(
                        [pikepdf.String(prefix + str(h)) for h in attributes.Headers]
                    )
                continue  # a cell's own content holds no cells
            head = in_head or role == Name.THead
            stack.extend((kid, head) for kid in _kids(element.get(Name.K)))

    def _catalog(self, metadata: dict[str, str], archive: bool) -> None:
        """What a reader looks for in the catalog: tagged, in which language, with
        the title shown in the window, and XMP metadata that agrees with the info."""
        pdf = self.pdf
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        lang = next((s.Root.Lang for s in self.sources if Name.Lang in s.Root), None)
        pdf.Root.Lang = pikepdf.String(str(lang) if lang else "en-GB")
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.Metadata = pdf.make_stream(
            _xmp(metadata, str(pdf.Root.Lang), archive),
            Type=Name.Metadata,
            Subtype=Name.XML,
        )

    def _archive(self) -> None:
        """PDF/A-3b: an sRGB output intent, and every annotation printable."""
        pdf = self.pdf
        # WeasyPrint ships the ICC sRGB profile it uses for its own PDF/A output.
        profile = (resources.files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
        intent = Dictionary(
            Type=Name.OutputIntent,
            S=Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
            Info=pikepdf.String("sRGB IEC61966-2.1"),
            DestOutputProfile=pdf.make_stream(profile, N=3),
        )
        pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])
        for page in pdf.pages:
            for annotation in page.obj.get(Name.Annots, ()):
                annotation.F = 4  # Print

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


def _kids(value: pikepdf.Object | None) -> list:
    """A /K entry as a list: one kid, an array of them, or none."""
    if value is None:
        return []
    return list(value) if isinstance(value, Array) else [value]


def _in_link(element: Dictionary) -> Dictionary:
    """The /Link element an annotation belongs in.

    WeasyPrint gives an inline block inside a link (the contents' dates, an
    image in a link) the link's annotation under its own element; a screen
    reader finds a link only in a /Link element, so the annotation's reference
    moves up to the link around it.
    """
    link = element
    while link is not None and link.get(Name.S) not in (Name.Link, None):
        link = link.get(Name.P)
    if link is None or link is element or link.get(Name.S) != Name.Link:
        return element
    references = [k for k in _kids(element.get(Name.K)) if _is_reference(k)]
    element.K = Array([k for k in _kids(element.get(Name.K)) if not _is_reference(k)])
    link.K = Array([*_kids(link.get(Name.K)), *references])
    return link


def _is_reference(kid: pikepdf.Object) -> bool:
    return isinstance(kid, Dictionary) and kid.get(Name.Type) == Name.OBJR


def _number_tree(node: pikepdf.Object | None) -> Iterator[tuple[int, pikepdf.Object]]:
    """A number tree's (key, value) pairs in order, through its /Kids."""
    if node is None:
        return
    entries = list(node.get(Name.Nums, ()))
    for index in range(0, len(entries) - 1, 2):
        yield int(entries[index]), entries[index + 1]
    for kid in node.get(Name.Kids, ()):
        yield from _number_tree(kid)


def _mime_type(name: str) -> str:
    import mimetypes

    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _xmp(metadata: dict[str, str], lang: str, archive: bool) -> bytes:
    """XMP metadata that says what the document information says, and which
    standards the file claims: PDF/UA-1, and PDF/A-3b for an archive."""
    ns = _XMP_NS

    def tag(prefix: str, name: str) -> str:
        return f"{{{ns[prefix]}}}{name}"

    def date(value: str) -> str:  # D:20261125000000Z -> 2026-11-25T00:00:00Z
        v = value[2:]
        return f"{v[0:4]}-{v[4:6]}-{v[6:8]}T{v[8:10]}:{v[10:12]}:{v[12:14]}Z"

    meta = etree.Element(tag("x", "xmpmeta"))
    rdf = etree.SubElement(meta, tag("rdf", "RDF"))
    about = {tag("rdf", "about"): ""}

    def description() -> etree.Element:
        return etree.SubElement(rdf, tag("rdf", "Description"), about)

    def alternative(parent: etree.Element, name: str, text: str) -> None:
        alt = etree.SubElement(etree.SubElement(parent, tag("dc", name)), tag("rdf", "Alt"))
        item = etree.SubElement(
            alt, tag("rdf", "li"), {"{http://www.w3.org/XML/1998/namespace}lang": "x-default"}
        )
        item.text = text

    dc = description()
    if "/Title" in metadata:
        alternative(dc, "title", metadata["/Title"])
    if "/Subject" in metadata:
        alternative(dc, "description", metadata["/Subject"])
    if "/Author" in metadata:
        seq = etree.SubElement(etree.SubElement(dc, tag("dc", "creator")), tag("rdf", "Seq"))
        etree.SubElement(seq, tag("rdf", "li")).text = metadata["/Author"]
    bag = etree.SubElement(etree.SubElement(dc, tag("dc", "language")), tag("rdf", "Bag"))
    etree.SubElement(bag, tag("rdf", "li")).text = lang
    etree.SubElement(dc, tag("dc", "format")).text = "application/pdf"
    tool = description()
    if "/Creator" in metadata:
        etree.SubElement(tool, tag("xmp", "CreatorTool")).text = metadata["/Creator"]
    if "/CreationDate" in metadata:
        etree.SubElement(tool, tag("xmp", "CreateDate")).text = date(metadata["/CreationDate"])
    if "/ModDate" in metadata:
        etree.SubElement(tool, tag("xmp", "ModifyDate")).text = date(metadata["/ModDate"])
        etree.SubElement(tool, tag("xmp", "MetadataDate")).text = date(metadata["/ModDate"])
    if "/Producer" in metadata:
        etree.SubElement(description(), tag("pdf", "Producer")).text = metadata["/Producer"]
    etree.SubElement(description(), tag("pdfuaid", "part")).text = "1"
    if archive:
        claim = description()
        etree.SubElement(claim, tag("pdfaid", "part")).text = "3"
        etree.SubElement(claim, tag("pdfaid", "conformance")).text = "B"
        # PDF/A knows only the schemas it lists: pdfuaid has to be described.
        schemas = etree.SubElement(
            etree.SubElement(description(), tag("pdfaExtension", "schemas")), tag("rdf", "Bag")
        )
        schema = etree.SubElement(schemas, tag("rdf", "li"), {tag("rdf", "parseType"): "Resource"})
        for name, text in (
            ("schema", "PDF/UA Universal Accessibility Schema"),
            ("namespaceURI", ns["pdfuaid"]),
            ("prefix", "pdfuaid"),
        ):
            etree.SubElement(schema, tag("pdfaSchema", name)).text = text
        properties = etree.SubElement(
            etree.SubElement(schema, tag("pdfaSchema", "property")), tag("rdf", "Seq")
        )
        field = etree.SubElement(
            properties, tag("rdf", "li"), {tag("rdf", "parseType"): "Resource"}
        )
        for name, text in (
            ("name", "part"),
            ("valueType", "Integer"),
            ("category", "internal"),
            ("description", "Indicates, which part of ISO 14289 standard is followed"),
        ):
            etree.SubElement(field, tag("pdfaProperty", name)).text = text
    for prefix, uri in ns.items():
        etree.register_namespace(prefix, uri)
    body = etree.tostring(meta, encoding="utf-8", xml_declaration=False)
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        + body
        + b'\n<?xpacket end="w"?>'
    )
