"""The reference SDK's client against a secured mesh started with `mesh up` (API keys at the master, a mesh key
inside): the SDK reads the cards' securitySchemes, is refused without a key, and runs a task with one."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import httpx
import pytest
from a2a.client import A2ACardResolver, Client, ClientConfig, ClientFactory
from a2a.types.a2a_pb2 import Message, Part, Role, SendMessageRequest, TaskState

from conftest import BINDINGS, MeshUp, mesh_up

AGENTS = ["master", "worker-b"]
API_KEY = "mk_sdk-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def mesh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MeshUp]:
    settings = f"""auth:
  apiKeys:
    - {{ id: sdk, sha256: "{hashlib.sha256(API_KEY.encode()).hexdigest()}", scopes: [task, result] }}
pipelines:
  default:
    steps: [retrieve]
"""
    with mesh_up(tmp_path_factory.mktemp("secured-mesh"), "sdk-secured", AGENTS, settings) as running:
        yield running


@asynccontextmanager
async def sdk_client(url: str, binding: str, headers: dict[str, str]) -> AsyncIterator[Client]:
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0), headers=headers) as http:
        config = ClientConfig(streaming=True, httpx_client=http, supported_protocol_bindings=[binding])
        client = await ClientFactory(config).create_from_url(url)
        try:
            yield client
        finally:
            await client.close()


def message(text: str) -> SendMessageRequest:
    return SendMessageRequest(
        message=Message(message_id=f"sdk-{uuid.uuid4()}", role=Role.ROLE_USER, parts=[Part(text=text)])
    )


async def test_the_sdk_reads_the_security_schemes_of_both_cards(mesh: MeshUp) -> None:
    # The cards are public; the SDK's resolver parses them into its protobuf types, schemes included.
    async with httpx.AsyncClient(timeout=10) as http:
        for name in AGENTS:
            card = await A2ACardResolver(http, mesh.url(name)).get_agent_card()
            schemes = dict(card.security_schemes)
            assert "meshToken" in schemes, (name, schemes)
            assert schemes["meshToken"].HasField("http_auth_security_scheme")
            assert card.security_requirements, name
        master = (await http.get(mesh.url("master") + "/.well-known/agent-card.json")).json()
    api_key = master["securitySchemes"]["apiKey"]["apiKeySecurityScheme"]
    assert api_key["location"] == "header" and api_key["name"] == "X-API-Key", api_key


@pytest.mark.parametrize("binding", BINDINGS)
async def test_without_a_key_the_sdk_is_refused_and_with_one_the_task_completes(mesh: MeshUp, binding: str) -> None:
    async with sdk_client(mesh.url("master"), binding, {}) as client:
        with pytest.raises(Exception) as refused:
            _ = [event async for event in client.send_message(message("What is an agent card?"))]
    assert "401" in str(refused.value) or "Unauthenticated" in str(refused.value), repr(refused.value)

    async with sdk_client(mesh.url("master"), binding, {"X-API-Key": API_KEY}) as client:
        events = [event async for event in client.send_message(message("What is an agent card?"))]
    final = [e for e in events if e.HasField("status_update") and e.status_update.status.state != TaskState.TASK_STATE_WORKING]
    assert final and final[-1].status_update.status.state == TaskState.TASK_STATE_COMPLETED, events[-3:]


async def test_the_worker_takes_only_mesh_tokens_even_from_the_sdk_with_a_key(mesh: MeshUp) -> None:
    async with sdk_client(mesh.url("worker-b"), "JSONRPC", {"X-API-Key": API_KEY}) as client:
        with pytest.raises(Exception) as refused:
            _ = [event async for event in client.send_message(message("What is an agent card?"))]
    assert "403" in str(refused.value) or "mesh token" in str(refused.value), repr(refused.value)
