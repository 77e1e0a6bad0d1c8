"""What a passphrase changes, apart from MkDocs: where it comes from, and the files.

The pages themselves are encrypted by mkdocs-encryptcontent-plugin (see plugin.py);
here are the parts it leaves to us: evidence files carried inside the encrypted
pages rather than beside them, and the encrypted search entries made loadable
from disk as well as from a server.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import posixpath
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import links

ENV = "CPDFOLIO_PASSPHRASE"
# zxcvbn's scale of 0 to 4; 3 is "safely unguessable" to a slow offline guesser. Below
# it the encrypted site (or PDF), copied, falls to guesses tried at leisure, no lockout.
MIN_SCORE = 3
# zxcvbn's time grows with the length; its verdict does not change past this.
_SCORED_CHARACTERS = 100
# Where the encrypted search entries are, and the script that carries them to pages
# opened from disk (file://), where a page may not fetch a JSON file.
ENCRYPTED_INDEX = "search/encrypted_search_index.json"
ENCRYPTED_INDEX_SCRIPT = "search/encrypted_search_index.js"


def from_option_or_env(option: str, environ: Mapping[str, str] = os.environ) -> str:
    """The passphrase: CPDFOLIO_PASSPHRASE when set (even empty), else the option."""
    return environ[ENV] if ENV in environ else option


def weakness(secret: str) -> str | None:
    """Why the passphrase is too weak, with how soon it would be guessed; None if strong."""
    from zxcvbn import zxcvbn

    result = zxcvbn(secret[:_SCORED_CHARACTERS])
    if result["score"] >= MIN_SCORE:
        return None
    # Guesses at 10,000 a second: a copied site, tried offline against its slow key.
    guessed = result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]
    hint = result["feedback"]["warning"]
    return (
        f"the passphrase is too easy to guess: anyone with a copy of the site or the PDF "
        f"could find it in {guessed}"
        + (f" ({hint.rstrip('.')})" if hint else "")
        + ". Four or more random words make a strong one"
    )


def embed_files(content: str, page_url: str, files: Mapping[str, Path]) -> str:
    """The page's HTML with links and images to `files` (by site URL) as data: URLs.

    Inside the page they are encrypted with it; beside it they would be readable
    by anyone who guesses a file name. A link gets a `download` name, because
    browsers open no data: URL as a page of its own.
    """
    folder = unquote(posixpath.dirname(page_url.split("#", 1)[0]))
    # MkDocs' URLs are quoted ("a%20b.png"); an address is compared unquoted.
    files = {unquote(url): path for url, path in files.items()}

    def replace(tag: str, attribute: str, value: str) -> str | tuple[str, dict[str, str]]:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or parts.path.startswith("/") or not parts.path:
            return value
        url = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        path = files.get(url)
        if path is None:
            return value
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        embedded = f"data:{kind};base64,{data}"
        if tag == "a" and attribute == "href":
            return embedded, {"download": path.name}
        return embedded

    # Every address the HTML parser finds: srcset, poster, unquoted and spaced names too.
    return links.rewrite(content, replace)


def write_search_script(site: Path) -> bool:
    """The encrypted search entries as a script too; False when there are none."""
    index = site / ENCRYPTED_INDEX
    if not index.is_file():
        return False
    entries = json.loads(index.read_text("utf-8"))
    (site / ENCRYPTED_INDEX_SCRIPT).write_text(
        f"window.__cpdfolioSearch = {json.dumps(entries)};\n", "utf-8"
    )
    return True


def refresh_offline_index(site: Path) -> None:
    """Material's script copy of the search index, made again from the encrypted one.

    Material's offline plugin copies search_index.json into search_index.js before
    encryptcontent has taken the records out of it; a copy made then would hold
    every reflection in clear.
    """
    script = site / "search" / "search_index.js"
    if script.is_file():
        index = (site / "search" / "search_index.json").read_text("utf-8")
        script.write_text(f"var __index = {index}", "utf-8")
