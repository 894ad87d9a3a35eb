"""Fixtures for the interop suite: our conformance agent as a separate process, a loopback webhook
receiver, and clients of the reference Python SDK (a2a-sdk 1.x) bound to one transport each."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from a2a.client import Client, ClientConfig, ClientFactory

REPO_ROOT = Path(__file__).resolve().parents[2]

# The SDK names the two HTTP bindings this way in cards and in ClientConfig.
BINDINGS = ["JSONRPC", "HTTP+JSON"]

# The conformance agent keeps `test-resubscribe-message-id*` tasks running 2 x this many seconds.
STREAMING_TIMEOUT_S = 1.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Agent:
    """A running `mesh conformance` process."""

    proc: subprocess.Popen
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as e:
            return f"(no log: {e})"
        return "\n".join(text.splitlines()[-lines:])


# The running agent, so that the report hook can attach its log to failed tests.
_agent: Agent | None = None


def _mesh_binary() -> Path:
    path = Path(os.environ.get("MESH_BINARY", REPO_ROOT / ".build" / "debug" / "mesh"))
    if not path.is_file():
        pytest.fail(f"mesh binary not found at {path}: run `swift build` first or set MESH_BINARY", pytrace=False)
    return path


@dataclass
class MeshUp:
    """A whole mesh started by `mesh up`: its agents' ports, its output and its state directory."""

    name: str
    ports: dict[str, int]
    log_path: Path
    state_dir: Path

    def url(self, agent: str, path: str = "") -> str:
        return f"http://127.0.0.1:{self.ports[agent]}{path}"

    @property
    def base_url(self) -> str:
        """The master's URL, where a client of the mesh goes."""
        return self.url("master")

    def peer_headers(self) -> dict[str, str]:
        """What an agent of this mesh sends: a mesh token, when `mesh up` made a mesh key (agents other than the
        master accept nothing else then). Nothing on a mesh without one."""
        key_file = self.state_dir / "mesh.key"
        if not key_file.is_file():
            return {}
        return {"Authorization": "Bearer " + mesh_token(key_file.read_text().strip(), self.name, "pytest")}


def mesh_token(key: str, mesh_name: str, agent: str, lifetime: int = 300) -> str:
    """An HS256 mesh token as agents mint them: iss and aud `mesh:<name>`, sub the calling agent."""

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    audience = f"mesh:{mesh_name}"
    claims = {"aud": audience, "exp": now + lifetime, "iat": now, "iss": audience, "sub": agent}
    signing_input = b64(b'{"alg":"HS256","typ":"JWT"}') + "." + b64(json.dumps(claims).encode())
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


@contextmanager
def mesh_up(root: Path, name: str, agents: list[str], settings: str) -> Iterator[MeshUp]:
    """Runs `mesh up` in `root` until the block ends: `agents` from agents/ on free ports, the sample knowledge,
    registry discovery on a free port, a local Redis, and `settings` (more of mesh.yaml: pipelines, auth, ...)."""
    (root / "agents").mkdir()
    ports = {}
    for agent in agents:
        ports[agent] = _free_port()
        text = (REPO_ROOT / "agents" / f"{agent}.yaml").read_text()
        (root / "agents" / f"{agent}.yaml").write_text(re.sub(r"^port: \d+", f"port: {ports[agent]}", text, flags=re.M))
    shutil.copytree(REPO_ROOT / "knowledge", root / "knowledge")
    listed = "\n".join(f"  - {{ name: {agent} }}" for agent in agents)
    (root / "mesh.yaml").write_text(
        f"""mesh: {{ name: {name}, keyPrefix: "{name}:" }}
discovery:
  modes: [registry]
  registry: {{ url: "http://127.0.0.1:{_free_port()}" }}
agents:
{listed}
{settings}"""
    )
    log_path = root / "up.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(_mesh_binary()), "up", "--config", str(root / "mesh.yaml"), "--state-dir", str(root / "state"),
             "--redis-port", str(_free_port()), "--no-color"],
            stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while "mesh is up" not in log_path.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"mesh up did not come up:\n{log_path.read_text(errors='replace')[-3000:]}", pytrace=False)
            time.sleep(0.2)
        yield MeshUp(name=name, ports=ports, log_path=log_path, state_dir=root / "state")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Agent:
    """Starts `mesh conformance --port P` on a free loopback port and stops it (by pid) at the end."""
    global _agent
    binary = _mesh_binary()
    port = _free_port()
    log_path = tmp_path_factory.mktemp("agent") / "mesh-conformance.log"
    # The push tests' webhook listens on 127.0.0.1, which agents refuse by default (SSRF guard): allowed on purpose.
    env = dict(os.environ, TCK_STREAMING_TIMEOUT=str(STREAMING_TIMEOUT_S), MESH_WEBHOOK_ALLOW_PRIVATE="1")
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [str(binary), "conformance", "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    instance = Agent(proc=proc, port=port, log_path=log_path)
    try:
        _wait_until_ready(instance)
        _agent = instance
        yield instance
    finally:
        _agent = None
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def _wait_until_ready(agent: Agent, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    last_error = "no attempt"
    while time.monotonic() < deadline:
        if agent.proc.poll() is not None:
            pytest.fail(
                f"mesh conformance exited with status {agent.proc.returncode} before serving its card:\n"
                + agent.log_tail(),
                pytrace=False,
            )
        try:
            r = httpx.get(f"{agent.base_url}/.well-known/agent-card.json", timeout=2)
            if r.status_code == 200:
                return
            last_error = f"HTTP {r.status_code}"
        except httpx.HTTPError as e:
            last_error = repr(e)
        time.sleep(0.1)
    pytest.fail(
        f"mesh conformance did not serve its card within {timeout_s:.0f}s ({last_error}):\n" + agent.log_tail(),
        pytrace=False,
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    if report.failed and _agent is not None:
        report.sections.append(("mesh conformance log (last 80 lines)", _agent.log_tail()))


@asynccontextmanager
async def sdk_client(agent: Agent, binding: str, *, streaming: bool = False) -> AsyncIterator[Client]:
    """An a2a-sdk client made from our agent's card, restricted to one transport binding."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0)) as http:
        config = ClientConfig(streaming=streaming, httpx_client=http, supported_protocol_bindings=[binding])
        client = await ClientFactory(config).create_from_url(agent.base_url)
        # Guard against the factory silently falling back to another binding.
        transport = type(getattr(client, "_transport", None)).__name__
        expected = {"JSONRPC": "JsonRpcTransport", "HTTP+JSON": "RestTransport"}[binding]
        assert transport == expected, f"SDK chose {transport} for {binding}: check the card's supportedInterfaces"
        try:
            yield client
        finally:
            await client.close()


@dataclass
class WebhookCall:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Webhook:
    """A webhook receiver on 127.0.0.1 that records every POST and answers 200."""

    port: int = 0
    calls: list[WebhookCall] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def url(self, name: str | None = None) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/{name or uuid.uuid4()}"

    def calls_to(self, url: str) -> list[WebhookCall]:
        path = httpx.URL(url).path
        with self.cond:
            return [c for c in self.calls if c.path == path]

    def wait_for(self, url: str, predicate: Callable[[WebhookCall], bool], timeout_s: float = 15.0) -> WebhookCall:
        """Waits for a call to `url` that satisfies `predicate`; fails with what did arrive."""
        path = httpx.URL(url).path
        deadline = time.monotonic() + timeout_s
        with self.cond:
            while True:
                for c in self.calls:
                    if c.path == path and predicate(c):
                        return c
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [c.body.decode(errors="replace")[:300] for c in self.calls if c.path == path]
                    pytest.fail(f"no matching webhook call to {path} within {timeout_s}s; received: {seen}")
                self.cond.wait(left)


@pytest.fixture(scope="session")
def webhook() -> Webhook:
    hook = Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            call = WebhookCall(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            with hook.cond:
                hook.calls.append(call)
                hook.cond.notify_all()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield hook
    server.shutdown()
    server.server_close()
