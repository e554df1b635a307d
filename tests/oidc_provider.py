"""A real OpenID Connect provider for the tests: panva's oidc-provider, run by node.

    with OIDCProvider(clients=[...], accounts={...}) as op:
        op.issuer          # http://127.0.0.1:<port>
        op.discovery_url   # <issuer>/.well-known/openid-configuration
        op.log()           # the lines the provider has written to stderr so far

`tests/oidc/provider.mjs` is the provider; it needs node and the npm devDependency
oidc-provider (`scripts/setup` installs it). Without them the provider cannot start, and
that is an error, not a reason to skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"

DEFAULT_METHODS = {
    "password": {"acr": "http://id.elegnamnden.se/loa/1.0/loa2", "amr": ["pwd"]},
    "siths": {"acr": "http://id.sambi.se/loa/loa3", "amr": ["hwk", "pin"]},
}

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OIDCProvider:
    """Starts `node tests/oidc/provider.mjs` on a free port of 127.0.0.1 and stops it."""

    def __init__(self, clients=(), accounts=None, methods=None):
        self.clients = [dict(client) for client in clients]
        self.accounts = dict(accounts or {})
        self.methods = dict(DEFAULT_METHODS if methods is None else methods)
        self.port: int | None = None
        self.issuer: str | None = None
        self.discovery_url: str | None = None
        self._process: subprocess.Popen | None = None
        self._config_path: Path | None = None
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    # -- the provider's output

    def log(self) -> str:
        """Everything the provider has written to stderr so far."""
        with self._lock:
            return "\n".join(self._lines)

    def wait_for_log(self, *words: str, seconds: float = 60) -> str:
        """The first line holding every one of ``words``, once the provider has written it:
        its answer over HTTP can arrive before the line it logs reaches this process."""
        deadline = time.monotonic() + seconds
        while True:
            with self._lock:
                for line in self._lines:
                    if all(word in line for word in words):
                        return line
            if time.monotonic() > deadline:
                raise AssertionError(f"no log line with {words}:\n{self.log()}")
            time.sleep(0.05)

    def _read_stderr(self, stream):
        for line in stream:
            with self._lock:
                self._lines.append(line.rstrip("\n"))

    # -- start and stop

    def config(self) -> dict:
        return {
            "port": self.port,
            "clients": self.clients,
            "accounts": self.accounts,
            "methods": self.methods,
        }

    def start(self) -> OIDCProvider:
        if self._process is not None:
            raise RuntimeError("the OIDC test provider is already running")
        node = shutil.which("node")
        if node is None:
            raise RuntimeError(
                "node is not installed or not on PATH: the OIDC test provider "
                "(tests/oidc/provider.mjs) needs Node.js; install it, then run scripts/setup"
            )
        if not (ROOT / "node_modules" / "oidc-provider").is_dir():
            raise RuntimeError(
                "node_modules/oidc-provider is missing: the OIDC test provider needs the npm "
                "devDependency oidc-provider; run scripts/setup (or `npm ci`) in " + str(ROOT)
            )

        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"
        fd, name = tempfile.mkstemp(prefix="oidc-provider-", suffix=".json")
        self._config_path = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(self.config(), file)

        self._lines = []
        self._process = subprocess.Popen(
            [node, str(SCRIPT), str(self._config_path)],
            cwd=ROOT,
            # Kept open: the provider exits when it closes, so it cannot outlive this process.
            stdin=subprocess.PIPE,
            env={**os.environ, "OIDC_PROVIDER_EXIT_WITH_STDIN": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )
        ready = threading.Event()  # the READY line came
        gone = threading.Event()  # stdout closed: the process has ended

        def read_stdout(stream):
            for line in stream:
                line = line.rstrip("\n")
                if line.startswith("READY "):
                    ready.set()
                else:
                    with self._lock:
                        self._lines.append(f"[stdout] {line}")
            gone.set()

        self._threads = [
            threading.Thread(target=self._read_stderr, args=(self._process.stderr,), daemon=True),
            threading.Thread(target=read_stdout, args=(self._process.stdout,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

        deadline = time.monotonic() + START_TIMEOUT
        process = self._process
        while not ready.wait(0.1):
            exited = gone.is_set() or process.poll() is not None
            if not exited and time.monotonic() < deadline:
                continue
            self.stop()  # waits for the process and for the rest of its stderr
            if exited:
                reason = f"exited with code {process.returncode} before it was ready"
            else:
                reason = f"did not print READY within {START_TIMEOUT:.0f} s"
            raise RuntimeError(f"the OIDC test provider {reason}; its stderr:\n{self.log()}")
        return self

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=STOP_TIMEOUT)
            for thread in self._threads:
                thread.join(timeout=STOP_TIMEOUT)
            self._threads = []
            for stream in (process.stdin, process.stdout, process.stderr):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        if self._config_path is not None:
            self._config_path.unlink(missing_ok=True)
            self._config_path = None

    def __enter__(self) -> OIDCProvider:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
