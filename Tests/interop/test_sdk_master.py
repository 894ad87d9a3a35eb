"""The reference SDK's client against the master of a whole mesh started with `mesh up` (six agent processes,
a local Redis with TLS and ACL, the registry): SendMessage runs the default pipeline and streams its progress."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from a2a.types.a2a_pb2 import Message, Part, Role, SendMessageRequest, TaskState

from conftest import BINDINGS, MeshUp, mesh_up, sdk_client

AGENTS = ["master", "llm-gateway", "worker-a", "worker-b", "worker-c", "worker-d"]


@pytest.fixture(scope="module")
def mesh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeshUp]:
    settings = """pipelines:
  default:
    steps: [plan, retrieve, evaluate, finalize]
    improve: { from: evaluate, to: plan, threshold: 0.7, maxRounds: 1 }
"""
    with mesh_up(tmp_path_factory.mktemp("mesh-up"), "sdk", AGENTS, settings) as running:
        yield running


@pytest.mark.parametrize("binding", BINDINGS)
async def test_send_message_to_the_master_runs_the_pipeline_with_progress(mesh: MeshUp, binding: str) -> None:
    async with sdk_client(mesh, binding, streaming=True) as client:
        message = Message(
            message_id=f"sdk-{uuid.uuid4()}", role=Role.ROLE_USER, parts=[Part(text="Explain the A2A protocol")]
        )
        events = [event async for event in client.send_message(SendMessageRequest(message=message))]
    progress = [
        " ".join(p.text for p in e.status_update.status.message.parts)
        for e in events
        if e.HasField("status_update") and e.status_update.status.state == TaskState.TASK_STATE_WORKING
    ]
    final = [e for e in events if e.HasField("status_update") and e.status_update.status.state != TaskState.TASK_STATE_WORKING]
    artifacts = [e.artifact_update.artifact for e in events if e.HasField("artifact_update")]
    assert final and final[-1].status_update.status.state == TaskState.TASK_STATE_COMPLETED, events[-3:]
    assert any("plan started on worker-a" in line for line in progress), progress
    assert any("finalize done on worker-d" in line for line in progress), progress
    markdown = "".join(p.text for a in artifacts for p in a.parts)
    assert markdown.startswith("# Explain the A2A protocol"), markdown[:300]
    assert "## Sources" in markdown


async def test_the_master_card_lists_orchestrate(mesh: MeshUp) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        card = (await http.get(mesh.base_url + "/.well-known/agent-card.json")).json()
    assert [s["id"] for s in card["skills"]] == ["orchestrate"]
    assert {i["protocolBinding"] for i in card["supportedInterfaces"]} >= {"JSONRPC", "HTTP+JSON"}
