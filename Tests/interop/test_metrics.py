"""`/metrics` of a real mesh (`mesh up`: master, llm-gateway, worker-b, a local Redis) read with the reference
Prometheus parser: after N tasks and one that is dead-lettered, the counters equal exactly the tasks run."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import REPO_ROOT, _free_port, _mesh_binary

AGENTS = ["master", "llm-gateway", "worker-b"]
RUNS = 4


@dataclass
class Mesh:
    ports: dict[str, int]
    log_path: Path
    state_dir: Path

    def url(self, agent: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[agent]}{path}"

    def peer_headers(self) -> dict[str, str]:
        """What an agent of this mesh sends: a mesh token, when `mesh up` made a mesh key (agents other than the
        master accept nothing else then). Nothing on a mesh without one."""
        key_file = self.state_dir / "mesh.key"
        if not key_file.is_file():
            return {}
        return {"Authorization": "Bearer " + mesh_token(key_file.read_text().strip(), "metrics", "pytest")}


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


@pytest.fixture(scope="module")
def mesh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mesh]:
    root = tmp_path_factory.mktemp("mesh-metrics")
    (root / "agents").mkdir()
    ports = {}
    for name in AGENTS:
        ports[name] = _free_port()
        text = (REPO_ROOT / "agents" / f"{name}.yaml").read_text()
        (root / "agents" / f"{name}.yaml").write_text(re.sub(r"^port: \d+", f"port: {ports[name]}", text, flags=re.M))
    shutil.copytree(REPO_ROOT / "knowledge", root / "knowledge")
    listed = "\n".join(f"  - {{ name: {name} }}" for name in AGENTS)
    (root / "mesh.yaml").write_text(
        f"""mesh: {{ name: metrics, keyPrefix: "metrics:" }}
discovery:
  modes: [registry]
  registry: {{ url: "http://127.0.0.1:{_free_port()}" }}
agents:
{listed}
pipelines:
  default: {{ steps: [retrieve] }}
  quick: {{ steps: [retrieve] }}
dispatch: {{ maxAttempts: 2 }}
"""
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
        yield Mesh(ports=ports, log_path=log_path, state_dir=root / "state")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


class Samples:
    """Every sample of one scrape, parsed by prometheus_client."""

    def __init__(self, text: str) -> None:
        self.families = {family.name: family for family in text_string_to_metric_families(text)}
        self.samples = [sample for family in self.families.values() for sample in family.samples]

    def sum(self, name: str, **labels: str) -> float:
        """The sum of the samples named `name` whose labels include `labels`."""
        return sum(
            s.value for s in self.samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
        )

    def series(self, name: str, **labels: str) -> list[float]:
        return [
            s.value for s in self.samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
        ]


def scrape(http: httpx.Client, url: str, headers: dict[str, str] | None = None) -> Samples:
    response = http.get(url, headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4"), response.headers
    return Samples(response.text)


def submit(http: httpx.Client, mesh: Mesh, body: dict) -> str:
    response = http.post(mesh.url("master", "/task"), json=body)
    assert response.status_code == 202, response.text
    return response.json()["id"]


def result(http: httpx.Client, mesh: Mesh, task_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = http.get(mesh.url("master", f"/result/{task_id}"), params={"wait": 20})
        if response.status_code == 200:
            return response.json()
        assert response.status_code == 202, response.text
    pytest.fail(f"task {task_id} did not finish:\n{mesh.log_path.read_text(errors='replace')[-3000:]}")


def test_task_counters_equal_the_tasks_run(mesh: Mesh) -> None:
    with httpx.Client(timeout=60) as http:
        ids = [submit(http, mesh, {"input": f"What is an agent card? ({i})", "pipeline": "quick"}) for i in range(RUNS)]
        lost = submit(http, mesh, {"input": "Say hello in French", "skill": "translate"})
        for task_id in ids:
            assert result(http, mesh, task_id)["state"] == "completed"
        assert result(http, mesh, lost)["state"] == "failed"

        master = scrape(http, mesh.url("master", "/metrics"))
        assert master.families["mesh_tasks"].type == "counter"
        assert master.sum("mesh_tasks_submitted_total") == RUNS + 1
        assert master.sum("mesh_tasks_total", pipeline="quick", state="completed") == RUNS
        assert master.sum("mesh_tasks_total", pipeline="none", state="dead_lettered") == 1
        assert master.sum("mesh_tasks_total", state="failed") == 0
        assert master.sum("mesh_tasks_total", state="canceled") == 0
        assert master.sum("mesh_tasks_total") == RUNS + 1, "each task is counted once"

        assert master.families["mesh_dispatch_duration_seconds"].type == "histogram"
        assert master.sum("mesh_dispatch_duration_seconds_count", pipeline="quick", state="completed") == RUNS
        assert master.sum("mesh_dispatch_duration_seconds_bucket", pipeline="quick", state="completed", le="+Inf") == RUNS
        assert master.sum("mesh_dispatch_duration_seconds_sum", pipeline="quick", state="completed") > 0
        assert master.sum("mesh_step_duration_seconds_count", skill="retrieve", outcome="completed") == RUNS
        assert master.sum("mesh_step_duration_seconds_count", outcome="failed") == 0
        assert master.sum("mesh_step_retries_total") == 0

        assert master.series("mesh_dlq_size") == [1]
        assert master.series("mesh_dispatch_queue_length") == [0]
        assert master.series("mesh_dispatch_pending") == [0]
        assert master.series("mesh_agent_inflight", agent="worker-b") == [0]

        requests = "mesh_http_requests_total"
        assert master.sum(requests, route="/task", method="POST", status="202") == RUNS + 1
        assert master.sum(requests, route="/result/{id}", method="GET", status="200") == RUNS + 1
        assert all(lost not in s.labels.get("route", "") for s in master.samples), "routes are templates, not paths"
        assert master.sum("mesh_http_request_duration_seconds_count", route="/task", method="POST") == RUNS + 1

        # The worker counts the A2A tasks it ran, by skill; only the master counts mesh tasks.
        worker = scrape(http, mesh.url("worker-b", "/metrics"), mesh.peer_headers())
        assert worker.sum("mesh_a2a_tasks_total", skill="retrieve", state="completed") == RUNS
        assert worker.sum("mesh_a2a_tasks_total") == RUNS
        assert worker.series("mesh_inflight_tasks", agent="worker-b") == [0]
        assert worker.sum("mesh_tasks_total") == 0
        assert worker.sum(requests, status="200") >= RUNS


def test_the_gateway_serves_token_counters_beside_its_request_metrics(mesh: Mesh) -> None:
    with httpx.Client(timeout=60) as http:
        body = {"messages": [{"role": "user", "content": "Say hi."}]}
        headers = {"X-Mesh-Agent": "pytest", **mesh.peer_headers()}
        response = http.post(mesh.url("llm-gateway", "/v1/chat/completions"), json=body, headers=headers)
        assert response.status_code == 200, response.text
        gateway = scrape(http, mesh.url("llm-gateway", "/metrics"), mesh.peer_headers())
    assert gateway.sum("llm_requests_total", agent="pytest") == 1
    assert gateway.sum("mesh_http_requests_total", route="/v1/chat/completions", method="POST", status="200") == 1
