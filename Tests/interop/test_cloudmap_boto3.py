"""boto3 (and the aws CLI) as independent Cloud Map clients of the embedded registry, `mesh registry`.

The registry runs as a separate process: `$MESH_BINARY registry --port N --heartbeat-ttl 2`. Set
CLOUDMAP_REGISTRY_URL to drive a registry that is already running instead (with CLOUDMAP_REGISTRY_TTL,
its heartbeat TTL in seconds, to include the TTL test). boto3 gets dummy credentials and host-prefix
injection turned off, since it would otherwise send DiscoverInstances to `data-127.0.0.1`.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

boto3 = pytest.importorskip(
    "boto3", reason="boto3 is not installed in this Python: add boto3 to requirements-dev.txt"
)
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
HEARTBEAT_TTL_S = 2.0
DUMMY_CREDENTIALS = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "dummy-secret"}


@dataclass
class Registry:
    url: str
    ttl: float | None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mesh_binary() -> Path:
    return Path(os.environ.get("MESH_BINARY", REPO_ROOT / ".build" / "debug" / "mesh"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    if url := os.environ.get("CLOUDMAP_REGISTRY_URL"):
        ttl = os.environ.get("CLOUDMAP_REGISTRY_TTL")
        yield Registry(url.rstrip("/"), float(ttl) if ttl else None)
        return
    binary = _mesh_binary()
    try:
        probe = subprocess.run([str(binary), "registry", "--help"], capture_output=True, text=True, timeout=30)
        # ArgumentParser answers an unknown subcommand's --help with the root help and status 0.
        wired = probe.returncode == 0 and "mesh registry" in probe.stdout
    except OSError:
        wired = False
    if not wired:
        pytest.skip(f"`{binary} registry --help` failed: `mesh registry` is not wired into the mesh CLI yet")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("cloudmap") / "registry.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [str(binary), "registry", "--host", "127.0.0.1", "--port", str(port), "--heartbeat-ttl", str(HEARTBEAT_TTL_S)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"mesh registry did not start:\n{log_path.read_text(errors='replace')}")
                time.sleep(0.05)
        yield Registry(f"http://127.0.0.1:{port}", HEARTBEAT_TTL_S)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def sd(registry: Registry):
    return boto3.client(
        "servicediscovery",
        endpoint_url=registry.url,
        region_name="us-east-1",
        config=Config(inject_host_prefix=False, retries={"max_attempts": 1}),
        **DUMMY_CREDENTIALS,
    )


def _code(error: ClientError) -> str:
    return error.response["Error"]["Code"]


def _namespace(sd, name: str | None = None) -> tuple[str, str]:
    """Creates an HTTP namespace with a unique name; returns (id, name)."""
    name = name or f"ns-{uuid.uuid4().hex[:10]}.local"
    operation_id = sd.create_http_namespace(Name=name)["OperationId"]
    operation = sd.get_operation(OperationId=operation_id)["Operation"]
    assert operation["Status"] == "SUCCESS"
    assert operation["Type"] == "CREATE_NAMESPACE"
    return operation["Targets"]["NAMESPACE"], name


def _service(sd, custom_health: bool = True) -> tuple[str, str, str]:
    """A namespace with a service `agents`; returns (namespace id, namespace name, service id)."""
    namespace_id, name = _namespace(sd)
    kwargs = {"HealthCheckCustomConfig": {}} if custom_health else {}
    service = sd.create_service(Name="agents", NamespaceId=namespace_id, **kwargs)["Service"]
    return namespace_id, name, service["Id"]


def _agent(name: str, port: int, skills: list[str]) -> dict[str, str]:
    attributes = {
        "AWS_INSTANCE_IPV4": "127.0.0.1",
        "AWS_INSTANCE_PORT": str(port),
        "agent": name,
        "a2a_card_url": f"http://127.0.0.1:{port}/.well-known/agent-card.json",
    }
    attributes.update({f"skill.{skill}": "1" for skill in skills})
    return attributes


def _discover(sd, namespace: str, **kwargs) -> set[str]:
    response = sd.discover_instances(NamespaceName=namespace, ServiceName="agents", **kwargs)
    return {instance["InstanceId"] for instance in response["Instances"]}


def test_namespace_and_service_lifecycle(sd) -> None:
    namespace_id, name = _namespace(sd)
    namespace = sd.get_namespace(Id=namespace_id)["Namespace"]
    assert namespace["Name"] == name
    assert namespace["Type"] == "HTTP"
    assert namespace["Properties"]["HttpProperties"]["HttpName"] == name
    assert namespace["Arn"].endswith(f":namespace/{namespace_id}")
    assert hasattr(namespace["CreateDate"], "year")  # botocore parsed the epoch-seconds timestamp

    listed = [
        ns["Id"]
        for page in sd.get_paginator("list_namespaces").paginate(PaginationConfig={"PageSize": 1})
        for ns in page["Namespaces"]
    ]
    assert namespace_id in listed

    service = sd.create_service(Name="agents", NamespaceId=namespace_id, HealthCheckCustomConfig={})["Service"]
    assert service["Name"] == "agents"
    assert service["NamespaceId"] == namespace_id
    assert sd.get_service(Id=service["Id"])["Service"]["HealthCheckCustomConfig"] is not None
    services = sd.list_services(Filters=[{"Name": "NAMESPACE_ID", "Values": [namespace_id], "Condition": "EQ"}])
    assert [s["Id"] for s in services["Services"]] == [service["Id"]]
    assert sd.get_namespace(Id=namespace_id)["Namespace"]["ServiceCount"] == 1

    with pytest.raises(sd.exceptions.ResourceInUse):
        sd.delete_namespace(Id=namespace_id)
    sd.delete_service(Id=service["Id"])
    operation_id = sd.delete_namespace(Id=namespace_id)["OperationId"]
    assert sd.get_operation(OperationId=operation_id)["Operation"]["Status"] == "SUCCESS"
    with pytest.raises(sd.exceptions.NamespaceNotFound):
        sd.get_namespace(Id=namespace_id)


def test_register_and_discover_by_skill(sd) -> None:
    _, namespace, service_id = _service(sd)
    for name, port, skills in [
        ("planner", 9101, ["plan"]),
        ("retriever", 9102, ["retrieve", "evaluate"]),
        ("retriever-2", 9103, ["retrieve"]),
    ]:
        operation_id = sd.register_instance(ServiceId=service_id, InstanceId=name, Attributes=_agent(name, port, skills))[
            "OperationId"
        ]
        assert sd.get_operation(OperationId=operation_id)["Operation"]["Type"] == "REGISTER_INSTANCE"

    assert _discover(sd, namespace, QueryParameters={"skill.retrieve": "1"}) == {"retriever", "retriever-2"}
    assert _discover(sd, namespace, QueryParameters={"skill.retrieve": "1", "skill.evaluate": "1"}) == {"retriever"}
    assert _discover(sd, namespace, QueryParameters={"skill": "retrieve"}) == set()
    assert _discover(sd, namespace, QueryParameters={"skill.retrieve": "1"}, OptionalParameters={"agent": "retriever-2"}) == {
        "retriever-2"
    }
    assert _discover(sd, namespace, QueryParameters={"skill.retrieve": "1"}, OptionalParameters={"agent": "nobody"}) == {
        "retriever",
        "retriever-2",
    }
    assert len(_discover(sd, namespace, MaxResults=1)) == 1

    found = sd.discover_instances(NamespaceName=namespace, ServiceName="agents", QueryParameters={"agent": "planner"})
    [planner] = found["Instances"]
    assert planner["NamespaceName"] == namespace
    assert planner["ServiceName"] == "agents"
    assert planner["Attributes"]["a2a_card_url"] == "http://127.0.0.1:9101/.well-known/agent-card.json"
    assert isinstance(found["InstancesRevision"], int)

    pages = list(sd.get_paginator("list_instances").paginate(ServiceId=service_id, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 2
    assert sorted(i["Id"] for page in pages for i in page["Instances"]) == ["planner", "retriever", "retriever-2"]
    assert sd.get_instance(ServiceId=service_id, InstanceId="planner")["Instance"]["Attributes"]["skill.plan"] == "1"

    # RegisterInstance is an upsert: the attributes are replaced, not merged, and the id is not duplicated.
    sd.register_instance(ServiceId=service_id, InstanceId="planner", Attributes=_agent("planner", 9104, ["retrieve"]))
    assert _discover(sd, namespace, QueryParameters={"skill.plan": "1"}) == set()
    assert _discover(sd, namespace, QueryParameters={"skill.retrieve": "1"}) == {"planner", "retriever", "retriever-2"}
    assert len(sd.list_instances(ServiceId=service_id)["Instances"]) == 3


def test_health_filters_and_custom_health(sd) -> None:
    _, namespace, service_id = _service(sd)
    sd.register_instance(ServiceId=service_id, InstanceId="up", Attributes={"skill.retrieve": "1"})
    sd.register_instance(
        ServiceId=service_id, InstanceId="down", Attributes={"skill.retrieve": "1", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY"}
    )
    assert _discover(sd, namespace, HealthStatus="HEALTHY") == {"up"}
    assert _discover(sd, namespace, HealthStatus="UNHEALTHY") == {"down"}
    assert _discover(sd, namespace, HealthStatus="ALL") == {"up", "down"}
    assert _discover(sd, namespace, HealthStatus="HEALTHY_OR_ELSE_ALL") == {"up"}
    assert sd.get_instances_health_status(ServiceId=service_id)["Status"] == {"up": "HEALTHY", "down": "UNHEALTHY"}

    sd.update_instance_custom_health_status(ServiceId=service_id, InstanceId="up", Status="UNHEALTHY")
    assert _discover(sd, namespace, HealthStatus="HEALTHY") == set()
    assert _discover(sd, namespace, HealthStatus="HEALTHY_OR_ELSE_ALL") == {"up", "down"}
    sd.update_instance_custom_health_status(ServiceId=service_id, InstanceId="down", Status="HEALTHY")
    status = sd.get_instances_health_status(ServiceId=service_id, Instances=["down"])["Status"]
    assert status == {"down": "HEALTHY"}


def test_revision_only_grows_and_deregister(sd) -> None:
    _, namespace, service_id = _service(sd)

    def revision() -> int:
        return sd.discover_instances_revision(NamespaceName=namespace, ServiceName="agents")["InstancesRevision"]

    seen = [revision()]
    sd.register_instance(ServiceId=service_id, InstanceId="a", Attributes={"v": "1"})
    seen.append(revision())
    sd.register_instance(ServiceId=service_id, InstanceId="b", Attributes={"v": "1"})
    seen.append(revision())
    health_before = revision()
    sd.update_instance_custom_health_status(ServiceId=service_id, InstanceId="a", Status="UNHEALTHY")
    assert revision() == health_before  # health changes leave the revision alone
    operation_id = sd.deregister_instance(ServiceId=service_id, InstanceId="a")["OperationId"]
    assert sd.get_operation(OperationId=operation_id)["Operation"]["Type"] == "DEREGISTER_INSTANCE"
    seen.append(revision())
    assert all(a < b for a, b in zip(seen, seen[1:])), seen
    assert _discover(sd, namespace) == {"b"}
    with pytest.raises(sd.exceptions.InstanceNotFound):
        sd.get_instance(ServiceId=service_id, InstanceId="a")


def test_error_types(sd) -> None:
    namespace_id, namespace, service_id = _service(sd)
    plain_namespace_id, _, plain_service_id = _service(sd, custom_health=False)
    sd.register_instance(ServiceId=plain_service_id, InstanceId="x", Attributes={})
    cases = [
        ("NamespaceNotFound", lambda: sd.get_namespace(Id="ns-doesnotexist0000")),
        ("NamespaceNotFound", lambda: sd.discover_instances(NamespaceName="nowhere.local", ServiceName="agents")),
        ("ServiceNotFound", lambda: sd.get_service(Id="srv-doesnotexist000")),
        ("ServiceNotFound", lambda: sd.discover_instances_revision(NamespaceName=namespace, ServiceName="other")),
        ("InstanceNotFound", lambda: sd.deregister_instance(ServiceId=service_id, InstanceId="ghost")),
        ("OperationNotFound", lambda: sd.get_operation(OperationId="no-such-operation")),
        ("NamespaceAlreadyExists", lambda: sd.create_http_namespace(Name=namespace)),
        ("ServiceAlreadyExists", lambda: sd.create_service(Name="agents", NamespaceId=namespace_id)),
        (
            "CustomHealthNotFound",
            lambda: sd.update_instance_custom_health_status(ServiceId=plain_service_id, InstanceId="x", Status="HEALTHY"),
        ),
        ("ResourceInUse", lambda: sd.delete_service(Id=plain_service_id)),
        ("InvalidInput", lambda: sd.register_instance(ServiceId=service_id, InstanceId="bad id", Attributes={})),
        ("InvalidInput", lambda: sd.register_instance(ServiceId=service_id, InstanceId="a", Attributes={"k": "v" * 1025})),
        (
            "InvalidInput",
            lambda: sd.register_instance(ServiceId=service_id, InstanceId="a", Attributes={"AWS_INIT_HEALTH_STATUS": "MAYBE"}),
        ),
        ("InvalidInput", lambda: sd.discover_instances(NamespaceName=namespace, ServiceName="agents", MaxResults=1001)),
        ("InvalidInput", lambda: sd.create_http_namespace(Name="arn:aws:nope")),
    ]
    for expected, call in cases:
        with pytest.raises(ClientError) as info:
            call()
        assert _code(info.value) == expected, (expected, info.value.response)
        assert info.value.response["Error"]["Message"], info.value.response
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert info.value.response["ResponseMetadata"]["RequestId"]

    # Modelled exceptions map to boto3's exception classes, with their extra members.
    with pytest.raises(sd.exceptions.NamespaceAlreadyExists) as exists:
        sd.create_http_namespace(Name=namespace)
    assert exists.value.response["NamespaceId"] == namespace_id
    creator = f"req-{uuid.uuid4().hex}"
    first = sd.create_http_namespace(Name=f"a-{creator}", CreatorRequestId=creator)["OperationId"]
    with pytest.raises(sd.exceptions.DuplicateRequest) as duplicate:
        sd.create_http_namespace(Name=f"b-{creator}", CreatorRequestId=creator)
    assert duplicate.value.response["DuplicateOperationId"] == first
    with pytest.raises(sd.exceptions.InvalidInput) as invalid:
        sd.register_instance(ServiceId=service_id, InstanceId="a", Attributes={f"k{i}": "v" for i in range(31)})
    assert "30" in invalid.value.response["Error"]["Message"]


def test_missed_heartbeat_turns_unhealthy(sd, registry: Registry) -> None:
    if registry.ttl is None:
        pytest.skip("the external registry's heartbeat TTL is unknown: set CLOUDMAP_REGISTRY_TTL")
    _, namespace, service_id = _service(sd)
    sd.register_instance(ServiceId=service_id, InstanceId="agent", Attributes={"skill.retrieve": "1"})
    assert sd.get_instances_health_status(ServiceId=service_id)["Status"] == {"agent": "HEALTHY"}
    time.sleep(registry.ttl + 1.0)
    assert sd.get_instances_health_status(ServiceId=service_id)["Status"] == {"agent": "UNHEALTHY"}
    assert _discover(sd, namespace, HealthStatus="HEALTHY") == set()
    sd.update_instance_custom_health_status(ServiceId=service_id, InstanceId="agent", Status="HEALTHY")
    assert _discover(sd, namespace, HealthStatus="HEALTHY") == {"agent"}


def test_host_prefix_switch_from_environment(registry: Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DISABLE_HOST_PREFIX_INJECTION", "true")
    plain = boto3.client("servicediscovery", endpoint_url=registry.url, region_name="us-east-1", **DUMMY_CREDENTIALS)
    _, namespace, service_id = _service(plain)
    plain.register_instance(ServiceId=service_id, InstanceId="a", Attributes={"skill.retrieve": "1"})
    assert _discover(plain, namespace, QueryParameters={"skill.retrieve": "1"}) == {"a"}


def test_aws_cli(sd, registry: Registry) -> None:
    aws = shutil.which("aws")
    if aws is None:
        pytest.skip("the aws CLI is not installed")
    _, namespace, service_id = _service(sd)
    sd.register_instance(ServiceId=service_id, InstanceId="cli", Attributes={"skill.retrieve": "1"})
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": DUMMY_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": DUMMY_CREDENTIALS["aws_secret_access_key"],
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_DISABLE_HOST_PREFIX_INJECTION": "true",
        "AWS_PAGER": "",
    }

    def cli(*args: str) -> dict:
        done = subprocess.run(
            [aws, "--endpoint-url", registry.url, "--output", "json", "servicediscovery", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else {}

    found = cli(
        "discover-instances", "--namespace-name", namespace, "--service-name", "agents",
        "--query-parameters", "skill.retrieve=1",
    )
    assert [i["InstanceId"] for i in found["Instances"]] == ["cli"]
    # The CLI starts slower than the test registry's TTL, so only the instance's presence is checked.
    assert set(cli("get-instances-health-status", "--service-id", service_id)["Status"]) == {"cli"}
    failed = subprocess.run(
        [aws, "--endpoint-url", registry.url, "servicediscovery", "get-service", "--id", "srv-missing"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert failed.returncode != 0
    assert "ServiceNotFound" in failed.stderr
