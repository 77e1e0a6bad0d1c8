"""`cpdfolio serve` as a member runs it: started on a free port, asked for pages, stopped."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from conftest import Portfolio, clock_is_faked


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    output: str = ""

    def get(self, path: str) -> bytes:
        return urllib.request.urlopen(self.url + path, timeout=10).read()


@contextlib.contextmanager
def serving(portfolio: Portfolio, *options: str) -> Iterator[Server]:
    """The preview server of `portfolio`, once it answers; stopped on the way out."""
    if clock_is_faked():
        pytest.skip("the live-reload server runs on the real clock, not under faketime")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cpdfolio.cli",
            "serve",
            str(portfolio.root),
            "-a",
            f"127.0.0.1:{port}",
            *options,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    server = Server(f"http://127.0.0.1:{port}/", process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.get("")
                break
            except urllib.error.HTTPError:
                break  # it answers: with the page of a portfolio's errors, say
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.stdout else ""
                    raise AssertionError(f"cpdfolio serve did not answer:\n{output}") from None
                time.sleep(0.3)
        yield server
    finally:
        # Ctrl-C, as a member stops it: MkDocs then removes its temporary site folder.
        process.send_signal(signal.SIGINT)
        try:
            server.output = process.communicate(timeout=30)[0]
        except subprocess.TimeoutExpired:
            process.kill()
            server.output = process.communicate()[0]
