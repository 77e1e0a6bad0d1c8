"""A passphrase on a built site, whatever engine built it: seal, then prove it sealed.

`seal_site` takes the folder an engine wrote (MkDocs, Zensical) and leaves in
clear only the theme's scripts, styles and fonts. Every page becomes a small
lock page carrying the real page as AES-256-GCM ciphertext; the search index,
evidence and any other file of the member's go, encrypted and under neutral
names, into `sealed/`; the sitemap and the 404 page, which name pages, go.
Then the whole output is read back and the build fails closed, with nothing
left readable, if a record's words or an evidence file's bytes are found in it.

The browser side is theme/sealing/unlock.js: it derives the same key with
WebCrypto and keeps it only as a non-extractable CryptoKey in IndexedDB.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import html
import json
import mimetypes
import os
import posixpath
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from jinja2 import Environment, FileSystemLoader

from ..records.model import Activity, Portfolio
from ..records.privacy import referenced_files

# OWASP's figure for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet, 2023 on).
ITERATIONS = 600_000
SALT_BYTES = 16
NONCE_BYTES = 12  # 96 bits, as GCM is specified for
# Where the sealed files, their manifest and the unlock script go, from the site root.
SEALED = "sealed"
UNLOCK_SCRIPT = f"{SEALED}/unlock.js"
MANIFEST = "manifest"
# Search indexes as each engine writes them, with the script copy a page opened from
# disk (file://) loads instead: Material (search plugin, offline plugin), Zensical.
SEARCH_INDEXES = (
    ("search/search_index.json", "search/search_index.js"),
    ("search.json", "search.js"),
)
# Files that name every page, or show the navigation with nothing to seal: removed.
REMOVED = ("sitemap.xml", "sitemap.xml.gz", "404.html")
# The theme's own files, left in clear: scripts, styles, fonts, and what the theme
# keeps under assets/ (icons, its licence). A record's evidence is sealed wherever it is.
_CLEAR_SUFFIXES = {".js", ".mjs", ".css", ".map", ".woff", ".woff2", ".ttf", ".otf", ".eot"}
_CLEAR_FOLDERS = ("assets/",)
_BASE64_RUN = re.compile(rb"[A-Za-z0-9+/=]{64,}")
_TAG = re.compile(r"<[^>]*>")
_JSON_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_WORD = re.compile(r"\w+")
# Runs of a reflection between Markdown or HTML marks and the ends of clauses: each
# reaches the page verbatim.
_MARKS = re.compile(r"[\n*_`\[\]()<>#|&\"'\\{}!=:;,?]+|\.(?=\s|$)|\s-\s|^\s*[-+]\s")
_MIN_RUN_WORDS = 4
_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


class SealingError(Exception):
    """The output held record text or evidence in clear; the site has been emptied."""

    def __init__(self, leaks: list[str]) -> None:
        self.leaks = leaks
        super().__init__(
            "the site with a passphrase still held the member's content in clear, so "
            "nothing was published:\n" + "\n".join(f"  {leak}" for leak in leaks)
        )


@dataclass(frozen=True)
class SealingKey:
    """An AES-256 key derived from the passphrase, with what the browser needs to derive it."""

    key: bytes = field(repr=False)
    salt: bytes
    iterations: int = ITERATIONS


@dataclass(frozen=True)
class SealReport:
    """What `seal_site` did: pages locked, files sealed, files removed, files left in clear."""

    pages: int
    files: int
    removed: tuple[str, ...]
    clear: tuple[str, ...]


def derive_key(passphrase: str, salt: bytes | None = None) -> SealingKey:
    """PBKDF2-HMAC-SHA256 at ITERATIONS with a random salt (one per build)."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=ITERATIONS)
    return SealingKey(kdf.derive(passphrase.encode("utf-8")), salt)


def record_texts(portfolio: Portfolio) -> list[str]:
    """What of every record must never be readable: titles, tags, details, reflections.

    A reflection is taken as its runs of plain words between Markdown marks, which
    reach the page as written; short runs say too little to be worth a false alarm.
    """
    texts: list[str] = []
    for record in portfolio.records:
        texts.append(record.title)
        texts.extend(record.tags)
        if isinstance(record, Activity):
            texts.extend(t for t in (record.provider, record.location, record.type) if t)
            texts.extend(posixpath.basename(e.target) for e in record.evidence if not e.is_link)
        for run in _MARKS.split(record.body):
            if len(_WORD.findall(run)) >= _MIN_RUN_WORDS:
                texts.append(run.strip())
    return [t for t in dict.fromkeys(texts) if _WORD.search(t)]


def seal_site(
    site_dir: str | os.PathLike,
    passphrase: str | SealingKey,
    record_texts: Iterable[str],
    evidence_files: Iterable[str | os.PathLike],
    *,
    keep: Iterable[str] = (),
) -> SealReport:
    """Encrypt every file of the member's content in `site_dir`, then check that none is left.

    `evidence_files` are the source files records refer to (their names and bytes
    must not be readable); `keep` are site paths already encrypted their own way
    (the printout, AES-256 by pikepdf), left as they are but scanned like the rest.
    Raises SealingError, after emptying `site_dir`, when the scan finds a leak.
    """
    site = Path(site_dir)
    key = passphrase if isinstance(passphrase, SealingKey) else derive_key(passphrase)
    texts = list(record_texts)
    evidence = [Path(p) for p in evidence_files if Path(p).is_file()]
    evidence_digests = {hashlib.sha256(p.read_bytes()).digest() for p in evidence}
    evidence_sizes = {p.stat().st_size for p in evidence}
    kept = {posixpath.normpath(k) for k in keep}
    aead = AESGCM(key.key)
    written: dict[str, bytes] = {}  # site path -> the bytes sealing wrote there

    def seal(data: bytes) -> tuple[str, str]:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return _b64(nonce), _b64(aead.encrypt(nonce, data, None))

    def write(path: str, data: bytes) -> None:
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written[path] = data

    def store(ident: str, data: bytes) -> None:
        nonce, ciphertext = seal(data)
        call = f"cpdfolioSealed({json.dumps([ident, nonce, ciphertext])[1:-1]});\n"
        write(f"{SEALED}/{ident}.js", call.encode("ascii"))

    if (site / SEALED).exists():
        raise SealingError([f"{SEALED}/: the site is sealed already, or has a folder of that name"])
    removed = [name for name in REMOVED if (site / name).is_file()]
    for name in removed:
        (site / name).unlink()

    manifest: dict[str, dict] = {"files": {}, "search": {}}
    for index, script in SEARCH_INDEXES:
        if (site / index).is_file():
            ident = secrets.token_hex(8)
            store(ident, (site / index).read_bytes())
            manifest["search"][index] = ident
            (site / index).unlink()
            # The page opened from disk still loads the script copy; it is emptied, and
            # unlock.js sets what it set (__index) from the sealed index.
            if (site / script).is_file():
                write(script, b"/* sealed by cpdfolio: unlock.js sets __index */\n")

    pages, files, clear = 0, 0, []
    payload_base = {"v": 1, "salt": _b64(key.salt), "iterations": key.iterations}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        if name in written or name in kept:
            continue
        data = path.read_bytes()
        is_evidence = (
            len(data) in evidence_sizes and hashlib.sha256(data).digest() in evidence_digests
        )
        if name.endswith(".html") and not is_evidence:
            root = "../" * name.count("/") or "./"
            nonce, ciphertext = seal(_without_instant_navigation(data))
            payload = {**payload_base, "root": root, "nonce": nonce, "data": ciphertext}
            write(name, _lock_page(root, payload).encode("utf-8"))
            pages += 1
        elif is_evidence or not _theme_file(name):
            ident = secrets.token_hex(8)
            store(ident, data)
            path.unlink()
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            manifest["files"][name] = {
                "id": ident,
                "type": kind,
                "name": posixpath.basename(name),
            }
            files += 1
        else:
            clear.append(name)
    _remove_empty_folders(site)
    store(MANIFEST, json.dumps(manifest).encode("utf-8"))
    unlock = (resources.files("cpdfolio.theme") / "sealing" / "unlock.js").read_bytes()
    write(UNLOCK_SCRIPT, unlock)

    leaks = scan_site(site, texts, evidence, written)
    if leaks:
        empty_site(site)
        raise SealingError(leaks)
    return SealReport(pages, files, tuple(removed), tuple(clear))


def seal_portfolio_site(
    site_dir: str | os.PathLike,
    portfolio: Portfolio,
    docs_dir: str | os.PathLike,
    passphrase: str | SealingKey,
    *,
    keep: Iterable[str] = (),
) -> SealReport:
    """`seal_site` for a portfolio's site: its records' texts and files, private ones too.

    The one call each engine's adapter makes after the engine has built the site.
    """
    docs = Path(docs_dir)
    evidence = {docs / path for record in portfolio.records for path in referenced_files(record)}
    return seal_site(site_dir, passphrase, record_texts(portfolio), sorted(evidence), keep=keep)


def scan_site(
    site_dir: str | os.PathLike,
    record_texts: Iterable[str],
    evidence_files: Iterable[str | os.PathLike],
    written: dict[str, bytes] | None = None,
) -> list[str]:
    """Every file of the site that shows record text or evidence in clear, with why.

    Every byte of every file is read (gzip files opened). In files sealing wrote,
    the ciphertext (long base64 runs, where no text of several words can be) is
    left out first. A single word (a tag, a one-word title) counts only in files
    that sealing neither wrote nor left as the theme's: the lock page and the
    theme's scripts have words of their own.
    """
    site = Path(site_dir)
    written = written or {}
    passages = _Passages(record_texts)
    evidence = [Path(path) for path in evidence_files]
    probes = [probe for path in evidence for probe in _evidence_probes(path)]
    leaks = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if name.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError):
                pass
        if name in written and written[name] != data:
            leaks.append(f"{name}: changed after sealing")
            continue
        ours = name in written or _sealed_form(name, data)
        if ours:
            data = _BASE64_RUN.sub(b" ", data)
        elif name.endswith(".html"):
            leaks.append(f"{name}: a page that was not sealed")
            continue
        problems = []
        if any(probe in data for probe in probes):
            problems.append("bytes of an evidence file")
        content = _plain_words(data)
        # The theme's files, sealing's own and binary ones (the printout, encrypted)
        # have words of their own: a passage counts there only whole. A text file
        # of anything else shows no part of one, not even a tag.
        content_file = not _theme_file(name) and not ours and _is_text(data)
        found = passages.found_in(content, partial=content_file)
        if found:
            problems.append(f"{found} passage{'s' if found > 1 else ''} of record text")
        if problems:
            leaks.append(f"{name}: {' and '.join(problems)} in clear")
    # Pages keep their addresses; a file of the member's (evidence) must not keep its name.
    names = {path.name for path in evidence}
    for path in site.rglob("*"):
        if path.name in names:
            leaks.append(f"{path.relative_to(site).as_posix()}: an evidence file's name")
    return leaks


# -- helpers ---------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.cache
def _environment() -> Environment:
    folder = Path(str(resources.files("cpdfolio.theme") / "sealing"))
    return Environment(loader=FileSystemLoader(str(folder)), autoescape=True)


def _theme_file(name: str) -> bool:
    """A theme's script, style, font or asset: nothing of the member's in it."""
    return name.startswith(_CLEAR_FOLDERS) or posixpath.splitext(name)[1] in _CLEAR_SUFFIXES


def _without_instant_navigation(page: bytes) -> bytes:
    """The page without Material's instant navigation, which would load the next lock page.

    Instant navigation fetches the next page and swaps its content in without
    running it; a sealed page has to run to open.
    """
    text = page.decode("utf-8", "surrogateescape")
    match = _CONFIG.search(text)
    if not match:
        return page
    try:
        config = json.loads(match.group(2))
    except ValueError:
        return page
    features = config.get("features") or []
    config["features"] = [f for f in features if not str(f).startswith("navigation.instant")]
    text = text[: match.start(2)] + json.dumps(config) + text[match.end(2) :]
    return text.encode("utf-8", "surrogateescape")


_STORED = re.compile(
    rb'cpdfolioSealed\("(manifest|[0-9a-f]{16})", "[A-Za-z0-9+/=]+", "[A-Za-z0-9+/=]+"\);\n'
)


def _sealed_form(name: str, data: bytes) -> bool:
    """Whether a file is exactly as sealing writes one: a lock page or a sealed file."""
    if name.endswith(".js"):
        return _STORED.fullmatch(data) is not None
    if not name.endswith(".html"):
        return False
    try:
        text = data.decode("utf-8")
        payload = json.loads(text.split('id="cpdfolio-sealed">', 1)[1].split("</script>", 1)[0])
        root = payload["root"]
    except (UnicodeDecodeError, IndexError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(root, str) or not re.fullmatch(r"(\.\./)+|\./", root):
        return False
    return text == _lock_page(root, payload)


def _lock_page(root: str, payload: dict) -> str:
    template = _environment().get_template("lock.html")
    return template.render(root=root, payload=json.dumps(payload), unlock=UNLOCK_SCRIPT)


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plain_words(data: bytes) -> list[str]:
    """The words of a file as a reader would see them: tags, entities and escapes undone."""
    text = data.decode("utf-8", "replace")
    text = _JSON_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(_TAG.sub(" ", html.unescape(text)))
    return _WORD.findall(text)


class _Passages:
    """Record texts as word sequences, to find in a file's words in one pass.

    A text of two words or more is found whole. Where asked (`partial`), a text
    of SHINGLE words or more is also found by any SHINGLE consecutive words of
    it, so half a sentence copied is found too, and a single word (a tag) counts.
    """

    SHINGLE = 5

    def __init__(self, texts: Iterable[str]) -> None:
        self.whole: dict[tuple[str, str], list[tuple[tuple[str, ...], int]]] = {}
        self.shingles: dict[tuple[str, ...], int] = {}
        self.words: dict[str, int] = {}
        for number, text in enumerate(texts):
            sequence = tuple(_WORD.findall(text))
            if len(sequence) >= 2:
                self.whole.setdefault(sequence[:2], []).append((sequence, number))
            elif sequence and len(sequence[0]) >= 3:
                self.words.setdefault(sequence[0], number)
            for i in range(len(sequence) - self.SHINGLE + 1):
                self.shingles.setdefault(sequence[i : i + self.SHINGLE], number)

    def found_in(self, content: list[str], partial: bool) -> int:
        """How many different record texts the content shows."""
        found: set[int] = set()
        for i in range(len(content)):
            for sequence, number in self.whole.get(tuple(content[i : i + 2]), ()):
                if tuple(content[i : i + len(sequence)]) == sequence:
                    found.add(number)
            if partial:
                number = self.shingles.get(tuple(content[i : i + self.SHINGLE]))
                if number is not None:
                    found.add(number)
        if partial:
            found |= {self.words[w] for w in set(content) if w in self.words}
        return len(found)


def _evidence_probes(path: Path) -> list[bytes]:
    """Pieces of an evidence file that would show it copied: raw, and as base64 (data: URLs)."""
    if not path.is_file():
        return []
    data = path.read_bytes()
    if len(data) < 16:
        return []  # too short to tell from anything else
    probes = []
    for start in {0, (len(data) // 2) // 3 * 3, max(0, len(data) - 48) // 3 * 3}:
        piece = data[start : start + 48]
        probes.append(piece)
        if len(piece) == 48:
            probes.append(base64.b64encode(piece))
    return probes


def _remove_empty_folders(site: Path) -> None:
    for folder in sorted((p for p in site.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def empty_site(site: Path) -> None:
    """Fail closed: nothing of a site that leaked stays to be published."""
    for child in site.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
