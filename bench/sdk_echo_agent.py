"""Reference echo agent on the a2a-sdk 1.x (Python) for `scripts/bench.sh`.

It answers SendMessage like the conformance agent's default echo: a completed task whose artifact
("echo") and status message hold the input text. JSON-RPC at /, served by uvicorn with logging off.
Usage: python bench/sdk_echo_agent.py [PORT]
"""

import sys

import uvicorn
from starlette.applications import Starlette

from a2a.helpers.proto_helpers import new_task_from_user_message, new_text_part
from a2a.server.agent_execution.agent_executor import AgentExecutor
from a2a.server.request_handlers import DefaultRequestHandlerV2
from a2a.server.routes import create_agent_card_routes, create_jsonrpc_routes
from a2a.server.tasks.inmemory_task_store import InMemoryTaskStore
from a2a.server.tasks.task_updater import TaskUpdater
from a2a.types.a2a_pb2 import AgentCapabilities, AgentCard, AgentInterface, AgentSkill


class EchoExecutor(AgentExecutor):
    async def execute(self, context, event_queue):
        task = context.current_task or new_task_from_user_message(context.message)
        await event_queue.enqueue_event(task)
        updater = TaskUpdater(event_queue, task.id, task.context_id)
        parts = [new_text_part(context.get_user_input())]
        await updater.add_artifact(parts, name="echo")
        await updater.complete(updater.new_agent_message(parts))

    async def cancel(self, context, event_queue):
        raise NotImplementedError


port = int(sys.argv[1]) if len(sys.argv) > 1 else 9999
card = AgentCard(
    name="sdk-echo", description="a2a-sdk echo agent for benchmarks", version="1.0.0",
    supported_interfaces=[AgentInterface(
        url=f"http://127.0.0.1:{port}/", protocol_binding="JSONRPC", protocol_version="1.0")],
    capabilities=AgentCapabilities(streaming=False), default_input_modes=["text/plain"],
    default_output_modes=["text/plain"],
    skills=[AgentSkill(id="echo", name="echo", description="Echoes the input text", tags=["echo"])])
handler = DefaultRequestHandlerV2(
    agent_executor=EchoExecutor(), task_store=InMemoryTaskStore(), agent_card=card)
app = Starlette(routes=create_agent_card_routes(card) + create_jsonrpc_routes(handler, "/"))

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="critical", access_log=False)
