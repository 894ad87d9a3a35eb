"""`/metrics` of a real mesh (`mesh up`: master, llm-gateway, worker-b, a local Redis) read with the reference
Prometheus parser: after N tasks and one that is dead-lettered, the counters equal exactly the tasks run."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import MeshUp, mesh_up

AGENTS = ["master", "llm-gateway", "worker-b"]
RUNS = 4


@pytest.fixture(scope="module")
def mesh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeshUp]:
    settings = """pipelines:
  default: { steps: [retrieve] }
  quick: { steps: [retrieve] }
dispatch: { maxAttempts: 2 }
"""
    with mesh_up(tmp_path_factory.mktemp("mesh-metrics"), "metrics", AGENTS, settings) as running:
        yield running


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


def submit(http: httpx.Client, mesh: MeshUp, body: dict) -> str:
    response = http.post(mesh.url("master", "/task"), json=body)
    assert response.status_code == 202, response.text
    return response.json()["id"]


def result(http: httpx.Client, mesh: MeshUp, task_id: str) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = http.get(mesh.url("master", f"/result/{task_id}"), params={"wait": 20})
        if response.status_code == 200:
            return response.json()
        assert response.status_code == 202, response.text
    pytest.fail(f"task {task_id} did not finish:\n{mesh.log_path.read_text(errors='replace')[-3000:]}")


def test_task_counters_equal_the_tasks_run(mesh: MeshUp) -> None:
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


def test_the_gateway_serves_token_counters_beside_its_request_metrics(mesh: MeshUp) -> None:
    with httpx.Client(timeout=60) as http:
        body = {"messages": [{"role": "user", "content": "Say hi."}]}
        headers = {"X-Mesh-Agent": "pytest", **mesh.peer_headers()}
        response = http.post(mesh.url("llm-gateway", "/v1/chat/completions"), json=body, headers=headers)
        assert response.status_code == 200, response.text
        gateway = scrape(http, mesh.url("llm-gateway", "/metrics"), mesh.peer_headers())
    assert gateway.sum("llm_requests_total", agent="pytest") == 1
    assert gateway.sum("mesh_http_requests_total", route="/v1/chat/completions", method="POST", status="200") == 1
