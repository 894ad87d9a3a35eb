"""The reference Python SDK's client (a2a-sdk 1.x) drives our conformance agent (`mesh conformance`).

Operations go through the SDK over both HTTP bindings (JSON-RPC and HTTP+JSON). Error shapes that the SDK
hides are checked on the wire with raw httpx requests. The agent's behaviour per messageId prefix is the
one in specs/tck-sut/*.feature; any other messageId is echoed into an artifact.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import pytest
from a2a.client import A2ACardResolver
from a2a.types.a2a_pb2 import (
    AuthenticationInfo,
    CancelTaskRequest,
    DeleteTaskPushNotificationConfigRequest,
    GetTaskPushNotificationConfigRequest,
    GetTaskRequest,
    ListTaskPushNotificationConfigsRequest,
    ListTasksRequest,
    Message,
    Part,
    Role,
    SendMessageConfiguration,
    SendMessageRequest,
    StreamResponse,
    SubscribeToTaskRequest,
    Task,
    TaskPushNotificationConfig,
    TaskState,
)
from a2a.utils.errors import (
    TaskNotCancelableError,
    TaskNotFoundError,
    UnsupportedOperationError,
)

from conftest import BINDINGS, Agent, Webhook, sdk_client

ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
TERMINAL = {
    TaskState.TASK_STATE_COMPLETED,
    TaskState.TASK_STATE_FAILED,
    TaskState.TASK_STATE_CANCELED,
    TaskState.TASK_STATE_REJECTED,
}

# Every SDK-driven test runs once per HTTP binding the SDK speaks.
both_bindings = pytest.mark.parametrize("binding", BINDINGS)


# --------------------------------------------------------------------------------------------------
# helpers


def state_name(state: int) -> str:
    return TaskState.Name(state)


def user_message(text: str, prefix: str = "interop", *, task_id: str = "", context_id: str = "") -> Message:
    return Message(
        message_id=f"{prefix}-{uuid.uuid4()}",
        role=Role.ROLE_USER,
        parts=[Part(text=text)],
        task_id=task_id,
        context_id=context_id,
    )


async def send(client: Any, message: Message, **configuration: Any) -> StreamResponse:
    """A blocking SendMessage through the SDK (the client is made with streaming=False)."""
    request = SendMessageRequest(message=message, configuration=SendMessageConfiguration(**configuration))
    events = [e async for e in client.send_message(request)]
    assert len(events) == 1, f"non-streaming send yielded {len(events)} responses"
    return events[0]


async def send_task(client: Any, message: Message, **configuration: Any) -> Task:
    response = await send(client, message, **configuration)
    assert response.HasField("task"), f"expected a Task, got {response.WhichOneof('payload')}: {response}"
    return response.task


async def collect_stream(stream: Any) -> list[StreamResponse]:
    return [event async for event in stream]


def kinds(events: list[StreamResponse]) -> list[str]:
    """Each event as 'task', 'message', 'artifact' or the status state's short name ('working', ...)."""
    out = []
    for e in events:
        kind = e.WhichOneof("payload")
        if kind == "status_update":
            out.append(state_name(e.status_update.status.state).removeprefix("TASK_STATE_").lower())
        elif kind == "artifact_update":
            out.append("artifact")
        else:
            out.append(kind or "empty")
    return out


def texts(parts: Any) -> list[str]:
    return [p.text for p in parts if p.WhichOneof("content") == "text"]


def rpc(agent: Agent, method: str, params: Any, *, headers: dict[str, str] | None = None, rid: Any = 1) -> dict:
    """A raw JSON-RPC call with A2A-Version: 1.0 unless `headers` says otherwise."""
    hdrs = {"A2A-Version": "1.0"} if headers is None else headers
    body = {"jsonrpc": "2.0", "id": rid, "method": method, "params": params}
    r = httpx.post(f"{agent.base_url}/", json=body, headers=hdrs, timeout=10)
    assert r.status_code == 200, f"JSON-RPC errors travel in HTTP 200; got {r.status_code}: {r.text}"
    return r.json()


def rpc_error(response: dict, code: int) -> dict:
    assert "error" in response, f"expected error {code}, got {response}"
    assert "result" not in response, f"an error response must not carry a result: {response}"
    error = response["error"]
    assert error.get("code") == code, f"expected code {code}, got {error}"
    assert isinstance(error.get("message"), str) and error["message"].strip(), f"empty message: {error}"
    return error


def error_reason(details: Any) -> str | None:
    for d in details or []:
        if isinstance(d, dict) and d.get("@type") == ERROR_INFO:
            assert d.get("domain") == "a2a-protocol.org", f"ErrorInfo domain: {d}"
            return d.get("reason")
    return None


def raw_send_params(text: str, prefix: str = "interop") -> dict:
    return {"message": {"messageId": f"{prefix}-{uuid.uuid4()}", "role": "ROLE_USER", "parts": [{"text": text}]}}


def completed_task_id(agent: Agent) -> str:
    response = rpc(agent, "SendMessage", raw_send_params("finish me"))
    task = response["result"]["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED", task
    return task["id"]


# --------------------------------------------------------------------------------------------------
# agent card


@both_bindings
async def test_card_fetched_by_sdk_has_both_bindings(agent: Agent, binding: str) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        card = await A2ACardResolver(http, agent.base_url).get_agent_card()
    assert card.name, "card has no name"
    assert card.description, "card has no description"
    assert card.version, "card has no version"
    assert card.capabilities.streaming is True, "card must declare streaming"
    assert card.capabilities.push_notifications is True, "card must declare pushNotifications"
    assert len(card.skills) >= 1, "card lists no skills"
    assert all(s.id and s.name for s in card.skills), f"skills need id and name: {card.skills}"
    assert "text/plain" in card.default_input_modes, card.default_input_modes
    ifaces = {i.protocol_binding: i for i in card.supported_interfaces}
    assert binding in ifaces, f"card lacks a {binding} interface: {list(card.supported_interfaces)}"
    iface = ifaces[binding]
    assert iface.protocol_version == "1.0", f"{binding} interface version: {iface.protocol_version!r}"
    assert iface.url.rstrip("/") == agent.base_url, f"{binding} URL {iface.url!r} is not {agent.base_url}"


def test_card_http_caching_headers(agent: Agent) -> None:
    url = f"{agent.base_url}/.well-known/agent-card.json"
    r = httpx.get(url, timeout=10)
    assert r.status_code == 200
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers.get("content-type")
    etag = r.headers.get("etag")
    assert etag, f"card response has no ETag: {dict(r.headers)}"
    assert r.headers.get("cache-control"), f"card response has no Cache-Control: {dict(r.headers)}"
    again = httpx.get(url, headers={"If-None-Match": etag}, timeout=10)
    assert again.status_code == 304, f"If-None-Match with the current ETag gave {again.status_code}"
    body = r.json()
    urls = [i["url"] for i in body["supportedInterfaces"]]
    assert not any("0.0.0.0" in u for u in urls), f"interface URLs must be reachable: {urls}"


# --------------------------------------------------------------------------------------------------
# SendMessage


@both_bindings
async def test_send_message_echo_returns_completed_task(agent: Agent, binding: str) -> None:
    text = f"echo me {uuid.uuid4()}"
    async with sdk_client(agent, binding) as client:
        message = user_message(text)
        task = await send_task(client, message)
    assert task.id and task.context_id, f"task needs id and contextId: {task}"
    assert task.status.state == TaskState.TASK_STATE_COMPLETED, state_name(task.status.state)
    assert len(task.artifacts) == 1, f"expected one artifact, got {list(task.artifacts)}"
    assert task.artifacts[0].artifact_id, "artifact has no artifactId"
    assert texts(task.artifacts[0].parts) == [text], f"artifact does not echo the input: {task.artifacts[0]}"
    user_turns = [m for m in task.history if m.role == Role.ROLE_USER]
    assert [m.message_id for m in user_turns] == [message.message_id], f"history: {list(task.history)}"
    assert user_turns[0].task_id == task.id and user_turns[0].context_id == task.context_id


@both_bindings
async def test_send_message_returns_direct_message(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        response = await send(client, user_message("hello", "tck-message-response"))
    assert response.HasField("message"), f"expected a Message, got {response.WhichOneof('payload')}"
    reply = response.message
    assert reply.role == Role.ROLE_AGENT, Role.Name(reply.role)
    assert reply.message_id, "reply has no messageId"
    assert texts(reply.parts) == ["Direct message response"], list(reply.parts)


@both_bindings
async def test_send_message_with_prefix_artifacts(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        text_task = await send_task(client, user_message("x", "tck-artifact-text"))
        data_task = await send_task(client, user_message("x", "tck-artifact-data"))
    assert text_task.status.state == TaskState.TASK_STATE_COMPLETED
    assert [t for a in text_task.artifacts for t in texts(a.parts)] == ["Generated text content"]
    data_parts = [p for a in data_task.artifacts for p in a.parts if p.WhichOneof("content") == "data"]
    assert len(data_parts) == 1, list(data_task.artifacts)
    value = data_parts[0].data.struct_value
    assert value["key"] == "value" and value["count"] == 42, value


@both_bindings
async def test_send_message_input_required_then_follow_up_completes(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        first = await send_task(client, user_message("start", "tck-input-required"))
        assert first.status.state == TaskState.TASK_STATE_INPUT_REQUIRED, state_name(first.status.state)
        follow_up = user_message("more", "tck-complete-task", task_id=first.id, context_id=first.context_id)
        done = await send_task(client, follow_up)
    assert done.id == first.id, "a follow-up to an interrupted task must continue that task"
    assert done.status.state == TaskState.TASK_STATE_COMPLETED, state_name(done.status.state)
    assert texts(done.status.message.parts) == ["Hello from TCK"], done.status


# --------------------------------------------------------------------------------------------------
# SendStreamingMessage


@both_bindings
async def test_stream_lifecycle_in_order(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding, streaming=True) as client:
        message = user_message("stream", "tck-stream-001")
        events = await collect_stream(client.send_message(SendMessageRequest(message=message)))
    assert kinds(events) == ["task", "working", "artifact", "completed"], kinds(events)
    task = events[0].task
    assert task.id and task.status.state not in TERMINAL, f"first event must be the live task: {task}"
    for e in events[1:]:
        update = e.status_update if e.HasField("status_update") else e.artifact_update
        assert update.task_id == task.id and update.context_id == task.context_id, f"ids differ: {e}"
    assert texts(events[2].artifact_update.artifact.parts) == ["Stream hello from TCK"]


@both_bindings
async def test_stream_echo(agent: Agent, binding: str) -> None:
    text = f"stream echo {uuid.uuid4()}"
    async with sdk_client(agent, binding, streaming=True) as client:
        events = await collect_stream(client.send_message(SendMessageRequest(message=user_message(text))))
    assert kinds(events)[0] == "task" and kinds(events)[-1] == "completed", kinds(events)
    artifacts = [e.artifact_update.artifact for e in events if e.HasField("artifact_update")]
    assert [t for a in artifacts for t in texts(a.parts)] == [text], artifacts


@both_bindings
async def test_stream_chunked_artifact(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding, streaming=True) as client:
        message = user_message("chunks", "tck-stream-artifact-chunked")
        events = await collect_stream(client.send_message(SendMessageRequest(message=message)))
    assert kinds(events) == ["task", "working", "artifact", "artifact", "completed"], kinds(events)
    first, last = events[2].artifact_update, events[3].artifact_update
    assert texts(first.artifact.parts) == ["chunk-1 "] and not first.last_chunk, first
    assert texts(last.artifact.parts) == ["chunk-2"] and last.append and last.last_chunk, last
    assert first.artifact.artifact_id == last.artifact.artifact_id, "chunks of one artifact share its id"
    async with sdk_client(agent, binding) as client:
        task = await client.get_task(GetTaskRequest(id=events[0].task.id))
    assert len(task.artifacts) == 1, f"appended chunks must form one artifact: {list(task.artifacts)}"
    assert "".join(texts(task.artifacts[0].parts)) == "chunk-1 chunk-2", task.artifacts[0]


# --------------------------------------------------------------------------------------------------
# GetTask


@both_bindings
async def test_get_task_with_history_length(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        first = await send_task(client, user_message("one", "tck-input-required"))
        follow_up = user_message("two", "tck-complete-task", task_id=first.id, context_id=first.context_id)
        await send_task(client, follow_up)

        full = await client.get_task(GetTaskRequest(id=first.id))
        assert full.id == first.id and full.status.state == TaskState.TASK_STATE_COMPLETED
        user_ids = [m.message_id for m in full.history if m.role == Role.ROLE_USER]
        assert follow_up.message_id in user_ids and len(user_ids) >= 2, f"history: {list(full.history)}"
        assert full.history[-1].message_id != "", "history messages need ids"

        one = await client.get_task(GetTaskRequest(id=first.id, history_length=1))
        assert len(one.history) == 1, f"historyLength=1 returned {len(one.history)} messages"
        assert one.history[0].message_id == full.history[-1].message_id, "historyLength keeps the most recent"

        none = await client.get_task(GetTaskRequest(id=first.id, history_length=0))
        assert len(none.history) == 0, f"historyLength=0 returned {len(none.history)} messages"


@both_bindings
async def test_get_unknown_task_raises_task_not_found(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        with pytest.raises(TaskNotFoundError):
            await client.get_task(GetTaskRequest(id=f"no-such-task-{uuid.uuid4()}"))


# --------------------------------------------------------------------------------------------------
# ListTasks


@both_bindings
async def test_list_tasks_filters_and_pages(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        first = await send_task(client, user_message("a"))
        ctx = first.context_id
        completed = [first.id]
        for text in ("b", "c"):
            t = await send_task(client, user_message(text, context_id=ctx))
            assert t.context_id == ctx, "a message with a contextId must stay in that context"
            completed.append(t.id)
        waiting = await send_task(client, user_message("d", "tck-input-required", context_id=ctx))
        everything = set(completed) | {waiting.id}
        assert len(everything) == 4, "each message without a taskId must start a new task"

        listed = await client.list_tasks(ListTasksRequest(context_id=ctx))
        assert {t.id for t in listed.tasks} == everything, [t.id for t in listed.tasks]
        assert listed.total_size == 4, f"totalSize {listed.total_size}"
        assert listed.next_page_token == "", "a complete page has an empty nextPageToken"
        assert all(len(t.artifacts) == 0 for t in listed.tasks), "artifacts are omitted unless includeArtifacts"
        stamps = [t.status.timestamp.ToNanoseconds() for t in listed.tasks]
        assert stamps == sorted(stamps, reverse=True), f"tasks must be newest first: {stamps}"
        assert listed.tasks[0].id == waiting.id, "the most recently updated task comes first"

        done = await client.list_tasks(ListTasksRequest(context_id=ctx, status=TaskState.TASK_STATE_COMPLETED))
        assert {t.id for t in done.tasks} == set(completed), [t.id for t in done.tasks]
        assert done.total_size == 3

        with_artifacts = await client.list_tasks(
            ListTasksRequest(context_id=ctx, status=TaskState.TASK_STATE_COMPLETED, include_artifacts=True)
        )
        assert all(len(t.artifacts) == 1 for t in with_artifacts.tasks), "includeArtifacts=true returns them"

        page1 = await client.list_tasks(ListTasksRequest(context_id=ctx, page_size=3))
        assert len(page1.tasks) == 3 and page1.page_size == 3, (len(page1.tasks), page1.page_size)
        assert page1.total_size == 4 and page1.next_page_token, "a partial page needs a nextPageToken"
        page2 = await client.list_tasks(
            ListTasksRequest(context_id=ctx, page_size=3, page_token=page1.next_page_token)
        )
        assert len(page2.tasks) == 1 and page2.next_page_token == "", (len(page2.tasks), page2.next_page_token)
        paged = [t.id for t in page1.tasks] + [t.id for t in page2.tasks]
        assert paged == [t.id for t in listed.tasks], "pages must continue one ordering without gaps or repeats"

        other = await client.list_tasks(ListTasksRequest(context_id=f"ctx-{uuid.uuid4()}"))
        assert len(other.tasks) == 0 and other.total_size == 0, "an unused context has no tasks"


# --------------------------------------------------------------------------------------------------
# CancelTask


@both_bindings
async def test_cancel_input_required_task(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        task = await send_task(client, user_message("wait", "tck-input-required"))
        assert task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED, state_name(task.status.state)
        canceled = await client.cancel_task(CancelTaskRequest(id=task.id))
        assert canceled.id == task.id
        assert canceled.status.state == TaskState.TASK_STATE_CANCELED, state_name(canceled.status.state)
        again = await client.get_task(GetTaskRequest(id=task.id))
        assert again.status.state == TaskState.TASK_STATE_CANCELED, state_name(again.status.state)


@both_bindings
async def test_cancel_completed_task_is_not_cancelable(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as client:
        task = await send_task(client, user_message("done"))
        assert task.status.state == TaskState.TASK_STATE_COMPLETED
        with pytest.raises(TaskNotCancelableError):
            await client.cancel_task(CancelTaskRequest(id=task.id))
        still = await client.get_task(GetTaskRequest(id=task.id))
        assert still.status.state == TaskState.TASK_STATE_COMPLETED, "a terminal task is immutable"


# --------------------------------------------------------------------------------------------------
# SubscribeToTask


@both_bindings
async def test_subscribe_to_running_task(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding, streaming=True) as client:
        message = user_message("long", "test-resubscribe-message-id")
        original = client.send_message(SendMessageRequest(message=message))
        first = await anext(original)
        assert first.HasField("task"), f"first streamed event must be the task: {first}"
        task_id = first.task.id
        rest_of_original = asyncio.ensure_future(collect_stream(original))

        subscribed = await collect_stream(client.subscribe(SubscribeToTaskRequest(id=task_id)))
        assert subscribed, "subscription yielded nothing"
        assert subscribed[0].HasField("task"), f"first event of SubscribeToTask must be the Task: {subscribed[0]}"
        assert subscribed[0].task.id == task_id
        assert subscribed[0].task.status.state not in TERMINAL, state_name(subscribed[0].task.status.state)
        assert kinds(subscribed)[-1] == "completed", f"subscription must run until completion: {kinds(subscribed)}"
        for e in subscribed[1:]:
            assert e.WhichOneof("payload") in ("status_update", "artifact_update"), e
        original_events = [first] + await asyncio.wait_for(rest_of_original, timeout=30)
        assert kinds(original_events)[-1] == "completed", kinds(original_events)


@both_bindings
async def test_subscribe_to_interrupted_task_follows_it_to_completion(agent: Agent, binding: str) -> None:
    # An input-required task is not terminal: its subscription stays open until a follow-up completes it.
    async with sdk_client(agent, binding) as plain:
        task = await send_task(plain, user_message("wait", "tck-input-required"))
        assert task.status.state == TaskState.TASK_STATE_INPUT_REQUIRED
        async with sdk_client(agent, binding, streaming=True) as client:
            subscription = client.subscribe(SubscribeToTaskRequest(id=task.id))
            first = await anext(subscription)
            assert first.HasField("task") and first.task.id == task.id, first
            rest = asyncio.ensure_future(collect_stream(subscription))
            await asyncio.sleep(0.3)
            assert not rest.done(), "the subscription closed while the task was still waiting for input"
            follow_up = user_message("go on", "tck-complete-task", task_id=task.id, context_id=task.context_id)
            done = await send_task(plain, follow_up)
            assert done.status.state == TaskState.TASK_STATE_COMPLETED
            events = [first] + await asyncio.wait_for(rest, timeout=15)
    assert kinds(events)[-1] == "completed", f"subscription must end at the terminal state: {kinds(events)}"


@both_bindings
async def test_subscribe_to_terminal_task_is_rejected(agent: Agent, binding: str) -> None:
    async with sdk_client(agent, binding) as plain:
        task = await send_task(plain, user_message("over"))
    async with sdk_client(agent, binding, streaming=True) as client:
        with pytest.raises(UnsupportedOperationError):
            await collect_stream(client.subscribe(SubscribeToTaskRequest(id=task.id)))


# --------------------------------------------------------------------------------------------------
# push notification configs and delivery


def delivered_state(call: Any) -> str | None:
    """The task state a webhook payload reports, or None. Payloads are StreamResponse objects."""
    body = call.json()
    if "statusUpdate" in body:
        return body["statusUpdate"]["status"]["state"]
    if "task" in body:
        return body["task"]["status"]["state"]
    return None


def assert_stream_response_shape(call: Any, task_id: str) -> None:
    body = call.json()
    keys = set(body) & {"task", "message", "statusUpdate", "artifactUpdate"}
    assert len(keys) == 1 and set(body) == keys, f"payload must be exactly one StreamResponse member: {body}"
    inner = body[keys.pop()]
    assert inner.get("taskId", inner.get("id")) == task_id, f"payload for another task: {body}"


@both_bindings
async def test_push_config_crud_and_delivery(agent: Agent, binding: str, webhook: Webhook) -> None:
    kept_url, dropped_url = webhook.url(), webhook.url()
    token, secret = f"tok-{uuid.uuid4()}", f"secret-{uuid.uuid4()}"
    async with sdk_client(agent, binding) as client:
        task = await send_task(client, user_message("push", "tck-input-required"))
        kept = await client.create_task_push_notification_config(
            TaskPushNotificationConfig(
                task_id=task.id,
                url=kept_url,
                token=token,
                authentication=AuthenticationInfo(scheme="Bearer", credentials=secret),
            )
        )
        assert kept.id, "a created config gets an id"
        assert kept.task_id == task.id and kept.url == kept_url and kept.token == token, kept
        # The second config names its own id: a client may choose it, and the agent must keep it.
        dropped_id = f"dropped-{uuid.uuid4()}"
        dropped = await client.create_task_push_notification_config(
            TaskPushNotificationConfig(task_id=task.id, id=dropped_id, url=dropped_url, token="other")
        )
        assert dropped.id == dropped_id != kept.id, (kept.id, dropped.id)

        got = await client.get_task_push_notification_config(
            GetTaskPushNotificationConfigRequest(task_id=task.id, id=kept.id)
        )
        assert (got.id, got.url, got.token) == (kept.id, kept_url, token), got
        listed = await client.list_task_push_notification_configs(
            ListTaskPushNotificationConfigsRequest(task_id=task.id)
        )
        assert {c.id for c in listed.configs} == {kept.id, dropped.id}, list(listed.configs)

        await client.delete_task_push_notification_config(
            DeleteTaskPushNotificationConfigRequest(task_id=task.id, id=dropped.id)
        )
        listed = await client.list_task_push_notification_configs(
            ListTaskPushNotificationConfigsRequest(task_id=task.id)
        )
        assert [c.id for c in listed.configs] == [kept.id], "delete must remove exactly that config"
        with pytest.raises(TaskNotFoundError):
            await client.get_task_push_notification_config(
                GetTaskPushNotificationConfigRequest(task_id=task.id, id=dropped.id)
            )

        follow_up = user_message("finish", "tck-complete-task", task_id=task.id, context_id=task.context_id)
        done = await send_task(client, follow_up)
        assert done.status.state == TaskState.TASK_STATE_COMPLETED

    call = webhook.wait_for(kept_url, lambda c: delivered_state(c) == "TASK_STATE_COMPLETED")
    assert call.headers.get("x-a2a-notification-token") == token, f"token header: {call.headers}"
    assert call.headers.get("authorization") == f"Bearer {secret}", f"authorization header: {call.headers}"
    assert call.headers.get("content-type", "").split(";")[0] in ("application/json", "application/a2a+json")
    for c in webhook.calls_to(kept_url):
        assert_stream_response_shape(c, task.id)
    assert webhook.calls_to(dropped_url) == [], "a deleted config must not receive deliveries"


@both_bindings
async def test_push_config_inline_with_send(agent: Agent, binding: str, webhook: Webhook) -> None:
    url, token = webhook.url(), f"inline-{uuid.uuid4()}"
    async with sdk_client(agent, binding) as client:
        config = TaskPushNotificationConfig(url=url, token=token)
        task = await send_task(client, user_message("inline push"), task_push_notification_config=config)
    assert task.status.state == TaskState.TASK_STATE_COMPLETED
    call = webhook.wait_for(url, lambda c: delivered_state(c) == "TASK_STATE_COMPLETED")
    assert call.headers.get("x-a2a-notification-token") == token, call.headers
    assert "authorization" not in call.headers, "no credentials were configured"
    assert_stream_response_shape(call, task.id)


@both_bindings
async def test_push_config_for_unknown_task(agent: Agent, binding: str, webhook: Webhook) -> None:
    async with sdk_client(agent, binding) as client:
        with pytest.raises(TaskNotFoundError):
            await client.create_task_push_notification_config(
                TaskPushNotificationConfig(task_id=f"missing-{uuid.uuid4()}", url=webhook.url())
            )


# --------------------------------------------------------------------------------------------------
# JSON-RPC errors on the wire


def test_jsonrpc_task_not_found(agent: Agent) -> None:
    missing = f"missing-{uuid.uuid4()}"
    response = rpc(agent, "GetTask", {"id": missing}, rid="req-7")
    assert response.get("id") == "req-7", "the error echoes the request id"
    error = rpc_error(response, -32001)
    assert "not found" in error["message"].lower(), error
    assert error_reason(error.get("data")) == "TASK_NOT_FOUND", error


def test_jsonrpc_task_not_cancelable(agent: Agent) -> None:
    error = rpc_error(rpc(agent, "CancelTask", {"id": completed_task_id(agent)}), -32002)
    assert "cancel" in error["message"].lower(), error
    assert error_reason(error.get("data")) == "TASK_NOT_CANCELABLE", error


def test_jsonrpc_method_not_found(agent: Agent) -> None:
    error = rpc_error(rpc(agent, "FrobnicateTask", {}), -32601)
    message = error["message"].lower()
    assert "frobnicatetask" in message or "method not found" in message, error


def test_jsonrpc_invalid_params_part_without_content(agent: Agent) -> None:
    params = {"message": {"messageId": f"bad-{uuid.uuid4()}", "role": "ROLE_USER", "parts": [{}]}}
    error = rpc_error(rpc(agent, "SendMessage", params), -32602)
    assert "part" in error["message"].lower() or "part" in json.dumps(error.get("data")).lower(), error


def test_jsonrpc_invalid_params_missing_message(agent: Agent) -> None:
    error = rpc_error(rpc(agent, "SendMessage", {}), -32602)
    assert "message" in (error["message"] + json.dumps(error.get("data"))).lower(), error


def test_jsonrpc_params_accept_proto_field_names(agent: Agent) -> None:
    # ProtoJSON parsers accept the proto field name as well as the lowerCamelCase one; the official TCK
    # sends snake_case (task_id, history_length, context_id).
    first = rpc(agent, "SendMessage", raw_send_params("one", "tck-input-required"))["result"]["task"]
    follow_up = raw_send_params("two", "tck-complete-task")
    follow_up["message"]["task_id"] = first["id"]
    done = rpc(agent, "SendMessage", follow_up)
    assert done.get("result", {}).get("task", {}).get("id") == first["id"], f"task_id was ignored: {done}"
    got = rpc(agent, "GetTask", {"id": first["id"], "history_length": 1})
    assert len(got["result"].get("history", [])) == 1, f"history_length was ignored: {got['result'].get('history')}"
    listed = rpc(agent, "ListTasks", {"context_id": first["contextId"]})
    assert [t["id"] for t in listed["result"]["tasks"]] == [first["id"]], f"context_id was ignored: {listed}"
    created = rpc(agent, "CreateTaskPushNotificationConfig", {"task_id": first["id"], "url": "http://127.0.0.1:9/x"})
    assert created.get("result", {}).get("taskId") == first["id"], f"task_id was ignored: {created}"


def test_jsonrpc_parse_error(agent: Agent) -> None:
    r = httpx.post(
        f"{agent.base_url}/",
        content=b'{"jsonrpc": "2.0", "id": 1, "method": ',
        headers={"A2A-Version": "1.0", "Content-Type": "application/json"},
        timeout=10,
    )
    response = r.json()
    error = rpc_error(response, -32700)
    assert response.get("id") is None, "a parse error has a null id"
    message = error["message"].lower()
    assert "json" in message or "parse" in message, error


def test_jsonrpc_missing_version_header(agent: Agent) -> None:
    response = rpc(agent, "GetTask", {"id": "x"}, headers={}, rid=3)
    error = rpc_error(response, -32009)
    assert "1.0" in error["message"], f"the message must name the supported version: {error}"
    assert error_reason(error.get("data")) == "VERSION_NOT_SUPPORTED", error


def test_jsonrpc_unsupported_version_header(agent: Agent) -> None:
    response = rpc(agent, "GetTask", {"id": "x"}, headers={"A2A-Version": "9.9"}, rid=3)
    assert response.get("id") == 3
    error = rpc_error(response, -32009)
    assert "9.9" in error["message"] and "1.0" in error["message"], error
    assert error_reason(error.get("data")) == "VERSION_NOT_SUPPORTED", error


# --------------------------------------------------------------------------------------------------
# HTTP+JSON errors on the wire


def rest_error(r: httpx.Response, status: int, reason: str | None) -> dict:
    assert r.status_code == status, f"expected HTTP {status}, got {r.status_code}: {r.text}"
    body = r.json()
    error = body.get("error")
    assert isinstance(error, dict), f"error body must be a google.rpc.Status under 'error': {body}"
    assert error.get("code") == status, error
    assert isinstance(error.get("message"), str) and error["message"].strip(), error
    if reason is not None:
        assert error_reason(error.get("details")) == reason, error
    return error


def test_rest_task_not_found(agent: Agent) -> None:
    r = httpx.get(f"{agent.base_url}/tasks/missing-{uuid.uuid4()}", headers={"A2A-Version": "1.0"}, timeout=10)
    error = rest_error(r, 404, "TASK_NOT_FOUND")
    assert error.get("status") == "NOT_FOUND", error
    assert "not found" in error["message"].lower(), error


def test_rest_task_not_cancelable(agent: Agent) -> None:
    task_id = completed_task_id(agent)
    r = httpx.post(f"{agent.base_url}/tasks/{task_id}:cancel", json={}, headers={"A2A-Version": "1.0"}, timeout=10)
    rest_error(r, 400, "TASK_NOT_CANCELABLE")


def test_rest_version_not_supported(agent: Agent) -> None:
    r = httpx.get(f"{agent.base_url}/tasks/anything", headers={"A2A-Version": "9.9"}, timeout=10)
    error = rest_error(r, 400, "VERSION_NOT_SUPPORTED")
    assert "9.9" in error["message"] and "1.0" in error["message"], error


def test_rest_invalid_json_body(agent: Agent) -> None:
    r = httpx.post(
        f"{agent.base_url}/message:send",
        content=b"{not json",
        headers={"A2A-Version": "1.0", "Content-Type": "application/json"},
        timeout=10,
    )
    error = rest_error(r, 400, None)
    assert "json" in error["message"].lower() or "parse" in error["message"].lower(), error


def test_rest_message_send_wire_shape(agent: Agent) -> None:
    text = f"rest wire {uuid.uuid4()}"
    r = httpx.post(
        f"{agent.base_url}/message:send",
        json={"message": {"messageId": f"r-{uuid.uuid4()}", "role": "ROLE_USER", "parts": [{"text": text}]}},
        headers={"A2A-Version": "1.0"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"task"}, f"SendMessageResponse is {{'task': ...}} on the wire: {list(body)}"
    task = body["task"]
    assert task["status"]["state"] == "TASK_STATE_COMPLETED", task["status"]
    assert task["artifacts"][0]["parts"] == [{"text": text}], task["artifacts"]
