"""An agent built on the reference Python SDK (a2a-sdk 1.x), driven by the Swift `InteropTests`.

It serves JSON-RPC at `/`, HTTP+JSON under `/rest`, and its card at `/.well-known/agent-card.json`,
with streaming, push notifications (the SDK's in-memory config store and its sender) and ListTasks.

What it does depends on the prefix of the incoming messageId:
  msg-    answers with a direct Message: "reply: <text>"
  input-  asks for input (TASK_STATE_INPUT_REQUIRED); the follow-up message on that task completes it
  slow-   works for a long time (an artifact chunk every 0.2 s for 30 s) until it is canceled
  other   echoes: the task completes with an artifact named "echo" that holds the input text

Run: python reference_agent.py --port PORT
"""

from __future__ import annotations

import argparse
import asyncio
import logging

import httpx
import uvicorn
from starlette.applications import Starlette

from a2a.server.agent_execution import AgentExecutor, RequestContext
from a2a.server.events import EventQueue
from a2a.server.request_handlers import DefaultRequestHandler
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes, create_rest_routes
from a2a.server.tasks import (
    BasePushNotificationSender,
    InMemoryPushNotificationConfigStore,
    InMemoryTaskStore,
    TaskUpdater,
)
from a2a.types import (
    AgentCapabilities,
    AgentCard,
    AgentInterface,
    AgentSkill,
    Message,
    Part,
    Role,
    Task,
    TaskState,
    TaskStatus,
)

SLOW_SECONDS = 30.0
SLOW_TICK = 0.2


class ReferenceExecutor(AgentExecutor):
    """Chooses the behaviour from the messageId prefix."""

    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None:
        message = context.message
        text = context.get_user_input()
        if message.message_id.startswith("msg-"):
            await event_queue.enqueue_event(
                Message(
                    message_id=f"reply-{message.message_id}",
                    context_id=context.context_id,
                    role=Role.ROLE_AGENT,
                    parts=[Part(text=f"reply: {text}")],
                )
            )
            return

        task = context.current_task
        if task is None:
            task = Task(
                id=context.task_id,
                context_id=context.context_id,
                status=TaskStatus(state=TaskState.TASK_STATE_SUBMITTED),
                history=[message],
            )
            await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)

        if message.message_id.startswith("input-"):
            await updater.start_work()
            await updater.requires_input(updater.new_agent_message([Part(text="more input, please")]))
            return

        if message.message_id.startswith("slow-"):
            await updater.start_work()
            ticks = int(SLOW_SECONDS / SLOW_TICK)
            for tick in range(ticks):
                await asyncio.sleep(SLOW_TICK)
                await updater.add_artifact(
                    [Part(text=f"tick {tick}\n")],
                    artifact_id="ticks",
                    name="ticks",
                    append=tick > 0,
                    last_chunk=tick == ticks - 1,
                )
            await updater.complete()
            return

        await updater.start_work()
        await updater.add_artifact([Part(text=text)], name="echo", last_chunk=True)
        await updater.complete(updater.new_agent_message([Part(text=text)]))

    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None:
        task = context.current_task
        task_id = task.id if task else context.task_id
        context_id = task.context_id if task else context.context_id
        await TaskUpdater(event_queue, task_id, context_id).cancel()


def build_card(base_url: str) -> AgentCard:
    return AgentCard(
        name="Reference Agent",
        description="a2a-sdk agent for the Swift client interop tests.",
        version="1.0.0",
        supported_interfaces=[
            AgentInterface(url=base_url, protocol_binding="JSONRPC", protocol_version="1.0"),
            AgentInterface(url=f"{base_url}/rest", protocol_binding="HTTP+JSON", protocol_version="1.0"),
        ],
        capabilities=AgentCapabilities(streaming=True, push_notifications=True),
        default_input_modes=["text/plain"],
        default_output_modes=["text/plain"],
        skills=[
            AgentSkill(
                id="echo",
                name="Echo",
                description="Echoes the input text as an artifact.",
                tags=["echo", "test"],
                examples=["hello"],
            )
        ],
    )


def build_app(port: int) -> Starlette:
    card = build_card(f"http://127.0.0.1:{port}")
    push_store = InMemoryPushNotificationConfigStore()
    handler = DefaultRequestHandler(
        agent_executor=ReferenceExecutor(),
        task_store=InMemoryTaskStore(),
        agent_card=card,
        push_config_store=push_store,
        push_sender=BasePushNotificationSender(httpx.AsyncClient(timeout=10), push_store),
    )
    routes = []
    routes += create_agent_card_routes(card)
    routes += create_rest_routes(handler, path_prefix="/rest")
    routes += create_jsonrpc_routes(handler, rpc_url="/")
    return Starlette(routes=routes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    uvicorn.run(build_app(args.port), host="127.0.0.1", port=args.port, log_level="info")


if __name__ == "__main__":
    main()
