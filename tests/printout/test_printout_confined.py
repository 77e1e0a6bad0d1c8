"""The printout reads the portfolio and nothing else: no file outside it, no network.

A member pastes links and images into a reflection from anywhere: a CV on
their disk, /etc/hostname, a picture on the web, a path up and out of the
folder. Each is refused with a warning at its line; a web server on 127.0.0.1
counts every request the printout would make, and the PDF is read back for
attachments, link addresses and local paths.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pikepdf
import pytest
from conftest import Portfolio

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


class Counter:
    """A web server that answers every request with an image, and counts them."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        counter = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                counter.paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PNG)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def web() -> Iterator[Counter]:
    counter = Counter()
    thread = threading.Thread(target=counter.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield counter
    finally:
        counter.server.shutdown()
        counter.server.server_close()


def hostile_reflection(outside: Path, web: str) -> str:
    secret = outside / "secret.txt"
    picture = outside / "picture.png"
    return f"""
## What I did

Line five: [my CV](file://{secret}){{: rel="attachment" }}

<a rel="attachment" href="/etc/hostname">the host</a>

<a href="{secret}">an absolute path</a>

[up and out](../../../outside/secret.txt)

<a href="2025-05-01-private.md">the private one</a>

![from the web]({web}/markdown-image.png)

<img src="{web}/raw-image.png" alt="raw">

<img src=file://{picture} alt="a file URL">

<img src="{picture}" alt="an absolute image">

![up and out](../../../outside/picture.png)

<div style="background: url({web}/style-attribute.png)">styled</div>

<style>@import url({web}/import.css); body {{ background: url({web}/css.png) }}</style>

<link rel="stylesheet" href="{web}/link.css">

<object data="{web}/object.pdf"></object>

![own chart](../../evidence/chart.png)

[own certificate](../../evidence/cert.pdf)
"""


@pytest.fixture
def hostile(portfolio: Portfolio, web: Counter, tmp_path: Path) -> Portfolio:
    outside = portfolio.root.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("OUTSIDESECRET\n")
    (outside / "picture.png").write_bytes(PNG)
    portfolio.write("evidence/chart.png", PNG)
    portfolio.write("evidence/cert.pdf", b"%PDF-1.4 certificate\n")
    portfolio.activity(
        "2025/2025-05-01-private",
        "title: Private one\ndate: 2025-05-01\ncategory: formal\nshare: false",
    )
    portfolio.activity(
        "2025/2025-06-01-course",
        "title: Course with pasted links\ndate: 2025-06-01\ncategory: formal\n"
        "evidence: [evidence/cert.pdf]",
        hostile_reflection(outside, web.url),
    )
    return portfolio


def every_string(pdf: pikepdf.Pdf) -> str:
    """Every string, name and (decoded) stream of the PDF, as text."""
    found = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            try:
                found.append(obj.read_bytes().decode("latin-1"))
            except pikepdf.PdfError:
                found.append(obj.read_raw_bytes().decode("latin-1"))
        found.append(repr(obj))
    return "\n".join(found)


def test_printout_of_hostile_links_makes_no_request_and_reads_nothing_outside(
    hostile: Portfolio, web: Counter, tmp_path: Path
):
    target = tmp_path / "out.pdf"
    done = hostile.cpdfolio("pdf", "-o", str(target))
    assert done.returncode == 0, done.stderr

    assert web.paths == [], "the printout asked the network for " + ", ".join(web.paths)
    with pikepdf.open(target) as pdf:
        assert sorted(pdf.attachments) == ["cert.pdf"]
        strings = every_string(pdf)
        uris = [
            str(annotation.A.URI)
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if "/A" in annotation and "/URI" in annotation.A
        ]
    assert "file:" not in strings
    assert str(hostile.root.parent) not in strings
    assert "OUTSIDESECRET" not in strings
    assert not [u for u in uris if not u.startswith(("http", "mailto:"))], uris


def test_each_refused_link_and_image_is_a_warning_at_its_line(hostile: Portfolio, tmp_path: Path):
    done = hostile.cpdfolio("pdf", "-o", str(tmp_path / "out.pdf"))
    record = "activities/2025/2025-06-01-course.md"
    warnings = [line for line in done.stderr.splitlines() if record in line]
    lines = "\n".join(warnings)
    # Front matter: 5 lines between the --- marks, then a blank line and the heading.
    assert f"{record}:10: the file: address of <a href> was removed" in lines
    assert f"{record}:12: the printout links to no file outside the portfolio: '/etc/host" in lines
    assert f"{record}:16: the printout links to no file outside the portfolio: '../../../" in lines
    assert f"{record}:20: the printout fetches no image from the network" in lines
    assert f"{record}:22: the printout fetches no image from the network" in lines
    assert f"{record}:24: the file: address of <img src> was removed" in lines
    assert f"{record}:26: the printout shows no image from outside the portfolio" in lines
    assert f"{record}:32: the <style> element was removed" in lines
    assert f"{record}:34: the <link> element was removed" in lines
    assert f"{record}:36: the <object> element was removed" in lines
    assert "chart.png" not in lines and "cert.pdf" not in lines


def test_own_evidence_still_prints_and_links(hostile: Portfolio, tmp_path: Path):
    target = tmp_path / "out.pdf"
    assert hostile.cpdfolio("pdf", "-o", str(target)).returncode == 0
    with pikepdf.open(target) as pdf:
        images = [
            name for page in pdf.pages for name in page.get_images()
        ]  # the chart, drawn from the portfolio's own file
        internal = [
            annotation
            for page in pdf.pages
            for annotation in page.get("/Annots", [])
            if "/Dest" in annotation or ("/A" in annotation and "/D" in annotation.A)
        ]
    assert images, "the portfolio's own image is missing from the printout"
    assert internal, "the link to the record's certificate does not lead inside the PDF"
