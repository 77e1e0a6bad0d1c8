"""The printout's part cache: a part laid out once is not laid out again.

WeasyPrint's layout of a part depends only on the part's HTML, the print
stylesheet and fonts, the files the HTML shows (images) and the versions of
the libraries that lay it out; page numbers, contents numbers, links and
bookmarks are added afterwards by binding.py. So a part's LaidOut is kept
under a hash of all of those, and a rebuild after one edit lays out only the
parts whose hash is new. The bound PDF is byte for byte the one a cold build
makes, since binding gets the same LaidOut either way.

The cache is in `.cpdfolio/cache/printout/` beside mkdocs.yml (readable by the
member alone); a build removes the entries it did not use. Private records are
never in the printout, so never here. With a passphrase, entries are sealed
with AES-256-GCM under a key derived from it (PBKDF2-HMAC-SHA256, a salt kept
beside them) and named by an HMAC, so the folder holds nothing readable and
no hash of known text to compare.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import hmac
import html
import json
import logging
import os
import re
import secrets
import shutil
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..records.model import Problem, Severity
from .binding import LaidOut, Spot

log = logging.getLogger("mkdocs.plugins.cpdfolio")

#: Where the cache lives, under the project's work folder (.cpdfolio/ beside mkdocs.yml).
FOLDER = ("cache", "printout")
# Bump when the entry format or what goes into a key changes.
FORMAT = b"cpdfolio-part-1"
# What lays out a part, by version: a new one may lay the same HTML out otherwise.
LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pillow")
# Where fontconfig finds fonts on the systems we run on; a font added, changed or
# removed there may change a layout, so their files' names, sizes and times are hashed.
FONT_FOLDERS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.fonts",
    "~/.local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "~/Library/Fonts",
)
# The entry holding the records' rendered print HTML.
RENDERS = "records"
# Every src="..." of a part (a data-src too: a wider net hashes a file more, no
# harm). No \b before it: that cost a tenth of a second over a thousand records.
_SOURCES = re.compile(r'src="([^"]+)"')

_enabled = True


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Build with no cache (`--no-cache`): every part laid out, nothing read or written."""
    global _enabled
    before, _enabled = _enabled, False
    try:
        yield
    finally:
        _enabled = before


def folder(project_root: str | os.PathLike) -> Path:
    """The cache folder of the project whose mkdocs.yml is in `project_root`."""
    from ..site.layout import WORK

    return Path(project_root, WORK, *FOLDER)


def for_project(project_root: str | os.PathLike, passphrase: str = "") -> PartCache | None:
    """The project's part cache, or None when this build is asked to use none."""
    if not _enabled:
        return None
    try:
        return PartCache(folder(project_root), passphrase)
    except OSError as error:  # a file in its way, a full disk: printed without it
        log.warning(
            f"cpdfolio: the printout cache in {folder(project_root)} cannot be used "
            f"({error.strerror or error}); every part is laid out afresh"
        )
        return None


def clear(project_root: str | os.PathLike) -> bool:
    """Remove the project's printout cache; whether there was one."""
    found = folder(project_root)
    if not found.exists():
        return False
    shutil.rmtree(found)
    return True


@dataclass
class PartCache:
    """Laid-out parts by key; one instance per build, or kept by a preview between builds."""

    root: Path
    passphrase: str = ""
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0

    def __post_init__(self) -> None:
        _private_folder(self.root)
        # Entries in clear and sealed ones never sit side by side: setting a
        # passphrase removes what was kept readable before.
        sealed, clear = self.root / "sealed", self.root / "parts"
        self.entries = sealed if self.passphrase else clear
        shutil.rmtree(clear if self.passphrase else sealed, ignore_errors=True)
        _private_folder(self.entries)
        self.environment = _environment()
        self.sealing: tuple[bytes, bytes] | None = None
        if self.passphrase:
            self.sealing = _keys(self.passphrase, _salt(self.entries / "salt"))
        self.files: dict[str, bytes] = {}  # a shown file's hash, once per build
        # Each record's print HTML and the warnings its rendering gave, by key: after
        # an edit, rendering a thousand reflections' Markdown again was most of the time.
        self.renders: dict[str, list] | None = None
        self.rendered: dict[str, list] = {}

    def warm(self) -> bool:
        """Whether an earlier build left parts here."""
        try:
            return any(entry.name not in ("salt", RENDERS) for entry in self.entries.iterdir())
        except OSError:
            return False

    def begin(self) -> None:
        """Start another build with this cache (a preview keeps one between edits)."""
        if self.rendered:
            self.renders = self.rendered
        self.rendered, self.used, self.files = {}, set(), {}
        self.hits = self.misses = 0

    def key(
        self, part: str, base_url: str, roots: tuple[str, ...], tagged: bool, stylesheet: str = ""
    ) -> str:
        """The name a part is kept under: a hash of everything its layout depends on."""
        digest = hashlib.sha256(FORMAT)
        tag = "tagged" if tagged else ""
        for value in (self.environment, base_url, "\0".join(roots), tag, stylesheet):
            digest.update(value.encode("utf-8") + b"\0")
        digest.update(part.encode("utf-8"))
        for source in sorted(set(_SOURCES.findall(part))):
            digest.update(b"\0" + self._file(base_url, source))
        if self.sealing is None:
            return digest.hexdigest()
        # A plain hash of a part would let anyone holding the cache test a guess of its text.
        return hmac.new(self.sealing[1], digest.digest(), hashlib.sha256).hexdigest()

    def _file(self, base_url: str, source: str) -> bytes:
        """The hash of a file a part shows (an image of the portfolio), as it is now."""
        if source not in self.files:
            address = urlsplit(html.unescape(source))  # as written in the attribute
            digest = hashlib.sha256(source.encode("utf-8"))
            if not address.scheme and not source.startswith("#"):
                base = Path(unquote(urlsplit(base_url).path))
                try:
                    digest.update((base / unquote(address.path)).read_bytes())
                except OSError:  # missing: WeasyPrint warns, and the key still differs
                    digest.update(b"missing")
            self.files[source] = digest.digest()
        return self.files[source]

    def load(self, key: str) -> LaidOut | None:
        self.used.add(key)
        try:
            data = (self.entries / key).read_bytes()
            found = _decode(self._open(key, data))
        except (OSError, ValueError, KeyError, TypeError):
            # Missing, cut short, sealed with another passphrase: laid out again.
            self.misses += 1
            return None
        self.hits += 1
        return found

    def store(self, key: str, part: LaidOut) -> None:
        self.store_bytes(key, _encode(part))

    def prune(self) -> int:
        """Keep this build's rendered records; remove the entries it did not use (how many)."""
        if self.rendered or self.renders:
            self.used.add(RENDERS)
            self.store_bytes(RENDERS, json.dumps(self.rendered).encode("utf-8"))
        removed = 0
        with contextlib.suppress(OSError):  # another build's pruning got there first
            for entry in self.entries.iterdir():
                if entry.name != "salt" and entry.name not in self.used:
                    entry.unlink(missing_ok=True)
                    removed += 1
        return removed

    def render_key(self, *parts: object) -> str:
        """The key of one record's print HTML: its text and all its rendering depends on."""
        digest = hashlib.sha256(FORMAT + self.environment.encode("ascii"))
        for part in parts:
            digest.update(b"\0" + json.dumps(part, sort_keys=True, default=_named).encode("utf-8"))
        return digest.hexdigest()

    def render(self, key: str) -> tuple[str, list[Problem]] | None:
        """A record's print HTML and the warnings rendering it gave, if rendered before."""
        if self.renders is None:
            self.renders = {}
            try:
                data = self._open(RENDERS, (self.entries / RENDERS).read_bytes())
                self.renders = json.loads(data)
            except (OSError, ValueError):
                pass
        found = self.renders.get(key)
        if found is None:
            return None
        try:
            html, problems = found
            found_problems = [
                Problem(path, line, key_, message, Severity(severity))
                for path, line, key_, message, severity in problems
            ]
        except (TypeError, ValueError):
            return None
        self.rendered[key] = found
        return html, found_problems

    def keep_render(self, key: str, html: str, problems: list[Problem]) -> None:
        self.rendered[key] = [
            html,
            [[p.path, p.line, p.key, p.message, p.severity.value] for p in problems],
        ]

    def store_bytes(self, name: str, data: bytes) -> None:
        data = self._seal(name, data)
        temporary = self.entries / f".{name}.{secrets.token_hex(4)}"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.replace(temporary, self.entries / name)
        except OSError as error:  # a full disk costs the next build time, not this one
            log.debug(f"cpdfolio: printout cache not written: {error}")
            temporary.unlink(missing_ok=True)

    def through(self, pool) -> Callable[..., _Part]:
        """A layout pool's `submit(html, base_url, tagged=..., stylesheet=...)`, answered
        from the cache where it can be; what the pool lays out is kept once its result
        is asked for."""

        def lay_out(html: str, base_url: str, tagged: bool = True, stylesheet: str = "") -> _Part:
            key = self.key(html, base_url, pool.roots, tagged, stylesheet)
            found = self.load(key)
            if found is not None:
                return _Part(None, found, self, key)
            laying = pool.submit(html, base_url, tagged=tagged, stylesheet=stylesheet)
            return _Part(laying, None, self, key)

        return lay_out

    def _seal(self, key: str, data: bytes) -> bytes:
        if self.sealing is None:
            return data
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = secrets.token_bytes(12)
        return nonce + AESGCM(self.sealing[0]).encrypt(nonce, data, key.encode("ascii"))

    def _open(self, key: str, data: bytes) -> bytes:
        if self.sealing is None:
            return data
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            return AESGCM(self.sealing[0]).decrypt(data[:12], data[12:], key.encode("ascii"))
        except InvalidTag:
            raise ValueError("sealed with another passphrase") from None


class _Part:
    """A part being laid out, or found laid out; `result()` as a Future's."""

    def __init__(
        self,
        future: concurrent.futures.Future | None,
        found: LaidOut | None,
        cache: PartCache,
        key: str,
    ) -> None:
        self.future, self.found, self.cache, self.key = future, found, cache, key

    def done(self) -> bool:
        return self.found is not None or (self.future is not None and self.future.done())

    def result(self) -> LaidOut:
        if self.found is None:
            assert self.future is not None
            self.found = self.future.result()
            self.cache.store(self.key, self.found)
        return self.found


def _encode(part: LaidOut) -> bytes:
    """A LaidOut as bytes: its numbers as JSON, then the PDF (no pickle: nothing to run)."""
    head = json.dumps(
        {
            "pages": part.pages,
            "size": list(part.size),
            "anchors": {name: list(spot) for name, spot in part.anchors.items()},
            "bookmarks": [list(mark) for mark in part.bookmarks],
            "warnings": [list(warning) for warning in part.warnings],
            "tables": part.tables,
        },
        separators=(",", ":"),
    ).encode("utf-8")
    return FORMAT + struct.pack(">I", len(head)) + head + part.pdf


def _decode(data: bytes) -> LaidOut:
    if not data.startswith(FORMAT):
        raise ValueError("not a cpdfolio part")
    start = len(FORMAT) + 4
    (length,) = struct.unpack(">I", data[len(FORMAT) : start])
    head = json.loads(data[start : start + length])
    pdf = data[start + length :]
    if not pdf.startswith(b"%PDF"):
        raise ValueError("cut short")
    return LaidOut(
        pdf=pdf,
        pages=int(head["pages"]),
        size=tuple(head["size"]),
        anchors={name: Spot(*spot) for name, spot in head["anchors"].items()},
        bookmarks=[tuple(mark) for mark in head["bookmarks"]],
        warnings=[tuple(warning) for warning in head["warnings"]],
        tables=bool(head["tables"]),
    )


def _named(value: object) -> str:
    """A function or extension in Markdown's settings, by its name (not its address)."""
    kind = value if callable(value) and hasattr(value, "__qualname__") else type(value)
    name = f"{kind.__module__}.{kind.__qualname__}"
    configs = getattr(value, "getConfigs", None)
    return [name, configs()] if callable(configs) else name


def _private_folder(path: Path) -> None:
    """The folder, made if need be, readable by the member alone."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):
        path.chmod(0o700)


def _salt(path: Path) -> bytes:
    """The cache's own random salt, made with it and kept beside its entries."""
    try:
        salt = path.read_bytes()
        if len(salt) == 16:
            return salt
    except OSError:
        pass
    salt = secrets.token_bytes(16)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(salt)
    return salt


def _keys(passphrase: str, salt: bytes) -> tuple[bytes, bytes]:
    """The key entries are sealed with and the key their names are made with."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    from ..site.sealing import ITERATIONS

    master = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS
    ).derive(passphrase.encode("utf-8"))
    # Two keys from one slow derivation, each for its own use (HKDF-Expand's idea).
    return (
        hmac.new(master, b"cpdfolio printout cache: entries", hashlib.sha256).digest(),
        hmac.new(master, b"cpdfolio printout cache: names", hashlib.sha256).digest(),
    )


def _environment() -> str:
    """What lays a part out, besides its HTML: cpdfolio's code and print theme, the
    layout libraries' versions, the fonts installed."""
    digest = hashlib.sha256()
    for library in ("cpdfolio", *LIBRARIES):
        try:
            digest.update(f"{library} {metadata.version(library)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library} none\0".encode())
    from . import binding, document, layout

    # A record's print HTML is document.py's; anchors and bookmarks are read from
    # WeasyPrint's pages by layout.py; a LaidOut is binding.py's: a change to any of
    # them (between releases too) starts afresh.
    for module in (document, layout, binding):
        digest.update(Path(module.__file__ or "").read_bytes())
    theme = Path(str(resources.files("cpdfolio.theme") / "print"))
    for path in sorted(theme.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(theme).as_posix().encode() + b"\0" + path.read_bytes())
    for name in FONT_FOLDERS:
        fonts = Path(name).expanduser()
        if fonts.is_dir():
            for path in sorted(fonts.rglob("*")):
                with contextlib.suppress(OSError):
                    stat = path.stat()
                    digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return digest.hexdigest()
