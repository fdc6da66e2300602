"""Reads the local IoT hub emulator with Microsoft's Python SDK (azure-eventhub 5.x), as it reads the service.

Usage: /usr/bin/python3 test/python/read_emulator.py < plan.json > result.json

The plan (JSON on stdin) names the connection string, the CA file to trust (`connection_verify`), the
`custom_endpoint_address` (the SDK's only way to dial a port other than 5671: AMQP over wss on that port), the
emulator's control API and what to read. The result (one JSON document on stdout) holds what the SDK saw: hub and
partition properties, events with their annotations, properties and exact body bytes, start positions, batches, owner
level, resume after a disconnect fault and last-enqueued-event properties. A global deadline ends the script with the
partial result and exit code 2; it never hangs.
"""
import json
import logging
import os
import sys
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import azure.eventhub
from azure.eventhub import EventHubConsumerClient

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
PLAN = json.load(sys.stdin)
RESULT = {"sdk": {"azure-eventhub": azure.eventhub.__version__}, "scenario": None}
WAIT_S = PLAN.get("waitSeconds", 15)


def finish(code):
    sys.stdout.write(json.dumps(RESULT) + "\n")
    sys.stdout.flush()
    os._exit(code)  # receiver threads of the SDK never block the exit


threading.Timer(PLAN.get("deadlineSeconds", 30), lambda: (RESULT.update(deadlineExceeded=True), finish(2))).start()


def ms(when):
    return None if when is None else round((when - EPOCH) / timedelta(milliseconds=1))


def value(v):
    """A property or annotation value with the Python type the SDK decoded it to (AMQP strings arrive as bytes)."""
    if isinstance(v, bool):
        return {"type": "bool", "value": v}
    if isinstance(v, (int, float, str)):
        return {"type": type(v).__name__, "value": v}
    if isinstance(v, bytes):
        return {"type": "bytes", "hex": v.hex()}
    if v is None:
        return {"type": "null"}
    return {"type": type(v).__name__, "repr": repr(v)}


def key(k):
    return k.decode("utf-8") if isinstance(k, bytes) else str(k)


def event_json(event):
    props = event.raw_amqp_message.properties
    encoding = getattr(props, "content_encoding", None) if props else None
    return {
        "sequenceNumber": event.sequence_number,
        "offset": event.offset,
        "enqueuedTimeMs": ms(event.enqueued_time),
        "partitionKey": value(event.partition_key),
        "bodyType": event.body_type.name,
        "bodySectionsHex": [section.hex() for section in event.body],
        "contentType": event.content_type,
        "contentEncoding": encoding.decode("utf-8") if isinstance(encoding, bytes) else encoding,
        "messageId": value(event.message_id),
        "correlationId": value(event.correlation_id),
        "properties": {key(k): value(v) for k, v in (event.properties or {}).items()},
        "systemProperties": {key(k): value(v) for k, v in event.system_properties.items()},
    }


def error_json(error):
    inner = getattr(error, "details", None) or getattr(error, "error", None)
    return {"type": type(error).__name__, "condition": key(getattr(inner, "condition", None) or b"") or None,
            "message": str(error)[:500]}


def client(consumer_group="$Default"):
    options = {"connection_verify": PLAN["caFile"], "retry_total": 3, "retry_backoff_factor": 0.2, "auth_timeout": 10}
    if PLAN.get("customEndpointAddress"):
        options["custom_endpoint_address"] = PLAN["customEndpointAddress"]
    return EventHubConsumerClient.from_connection_string(PLAN["connectionString"], consumer_group, **options)


def control(path, body=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(PLAN["controlUrl"] + path, data=data, headers={"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        text = response.read()
    return json.loads(text) if text else None


def until(predicate, timeout_s=WAIT_S):
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


class Receiver:
    """One consumer client receiving one partition in a thread (receive or receive_batch), recording what it sees."""

    def __init__(self, partition_id, consumer_group="$Default", batch=False, **receive_options):
        self.events, self.batches, self.errors, self.closes, self.last_enqueued = [], [], [], [], None
        self.client = client(consumer_group)
        target = self.client.receive_batch if batch else self.client.receive
        callback = {"on_event_batch": self._on_batch} if batch else {"on_event": self._on_event}
        where = {} if partition_id is None else {"partition_id": partition_id}
        self.thread = threading.Thread(target=target, daemon=True, kwargs={
            **callback, **where, "on_error": self._on_error,
            "on_partition_close": lambda _, reason: self.closes.append(reason.name), **receive_options})
        self.thread.start()

    def _on_event(self, context, event):
        if event is not None:
            self.events.append({"partitionId": context.partition_id, **event_json(event)})
            info = context.last_enqueued_event_properties
            if info:
                self.last_enqueued = {"sequenceNumber": info["sequence_number"], "offset": info["offset"],
                                      "enqueuedTimeMs": ms(info["enqueued_time"]),
                                      "retrievalTimeMs": ms(info["retrieval_time"])}

    def _on_batch(self, context, events):
        self.batches.append(len(events))
        for event in events:
            self._on_event(context, event)

    def _on_error(self, _, error):
        self.errors.append(error_json(error))

    def wait_events(self, count):
        return until(lambda: len(self.events) >= count)

    def close(self):
        self.client.close()
        self.thread.join(5)
        return {"events": self.events, "batches": self.batches, "errors": self.errors, "closes": self.closes,
                "lastEnqueued": self.last_enqueued}


def first_event(partition_id, position, inclusive, consumer_group):
    receiver = Receiver(partition_id, consumer_group, starting_position=position, starting_position_inclusive=inclusive)
    receiver.wait_events(1)
    return receiver.close()["events"][:1]


class OpenCounter(logging.Handler):
    """Counts the SDK's AMQP connections reaching OPENED (its log line "Connection state changed")."""

    opened = 0

    def emit(self, record):
        if record.msg.startswith("Connection state changed") and "OPENED" in repr(record.args[-1]):
            OpenCounter.opened += 1


RUNNING = set()


def scenario(name, run):
    RUNNING.add(name)
    RESULT["scenario"] = ",".join(sorted(RUNNING))
    started = time.monotonic()
    try:
        RESULT[name] = run()
    except Exception as error:  # recorded, so the test names the scenario and the SDK's error
        RESULT[name] = {"failed": error_json(error)}
    RESULT.setdefault("seconds", {})[name] = round(time.monotonic() - started, 2)
    RUNNING.discard(name)
    RESULT["scenario"] = ",".join(sorted(RUNNING)) or None


def in_parallel(*scenarios):
    """Runs scenarios at once, each with its own clients (the SDK spends about 1 s of each receive in a blocking read)."""
    threads = [threading.Thread(target=scenario, args=pair, daemon=True) for pair in scenarios]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def properties():
    with client() as c:
        hub = c.get_eventhub_properties()
        return {"eventhubName": hub["eventhub_name"], "partitionIds": hub["partition_ids"],
                "createdAtMs": ms(hub["created_at"]), "getPartitionIds": c.get_partition_ids(),
                "partitions": {pid: partition_json(c.get_partition_properties(pid)) for pid in hub["partition_ids"]}}


def partition_json(props):
    return {**props, "last_enqueued_time_utc": ms(props["last_enqueued_time_utc"])}


def earliest():
    """A client per partition, at once (one client on several partitions serves them in turn, about 1 s per turn)."""
    out = {}

    def read(pid, count):
        receiver = Receiver(pid, starting_position="-1")
        receiver.wait_events(count)
        time.sleep(0.3)  # nothing beyond what was sent may arrive
        out[pid] = receiver.close()["events"]

    in_parallel(*[(f"earliest:{pid}", lambda p=pid, n=count: read(p, n)) for pid, count in PLAN["earliest"].items()])
    return out


def start_positions():
    """Each position in its own consumer group (at most 5 readers without owner level per group and partition)."""
    p, pos = PLAN["positions"]["partitionId"], PLAN["positions"]
    at = EPOCH + timedelta(milliseconds=pos["enqueuedTimeMs"])
    cases = {"sequenceInclusive": (pos["sequenceNumber"], True), "sequenceExclusive": (pos["sequenceNumber"], False),
             "offsetInclusive": (pos["offset"], True), "offsetExclusive": (pos["offset"], False),
             "timeInclusive": (at, True), "timeExclusive": (at, False)}
    out = {}
    in_parallel(*[(f"position:{name}", lambda n=name, c=case: out.__setitem__(n, first_event(p, *c, f"py-{n}")))
                  for name, case in cases.items()])
    return out


def latest():
    p, pos = PLAN["positions"]["partitionId"], PLAN["positions"]
    receiver = Receiver(p, consumer_group="py-latest", starting_position="@latest")
    attached = until(lambda: any(r["consumerGroup"] == "py-latest" for r in control("/_emulator/stats")["receivers"]))
    time.sleep(0.3)  # the link is attached; its filter was resolved at attach
    control("/_emulator/events", pos["latestEvent"])
    receiver.wait_events(1)
    return {"attached": attached, **receiver.close()}


def batches():
    b = PLAN["batch"]
    receiver = Receiver(b["partitionId"], "py-batch", batch=True, starting_position="-1",
                        max_batch_size=b["maxBatchSize"], max_wait_time=1)
    receiver.wait_events(b["count"])
    time.sleep(1.5)  # one empty batch after max_wait_time
    return receiver.close()


def owner_level():
    p = PLAN["ownerLevel"]["partitionId"]
    first = Receiver(p, consumer_group="py-owner", starting_position="-1", owner_level=1)
    first.wait_events(1)
    second = Receiver(p, consumer_group="py-owner", starting_position="-1", owner_level=2)
    second.wait_events(1)
    until(lambda: first.errors)
    stats = [r for r in control("/_emulator/stats")["receivers"] if r["consumerGroup"] == "py-owner"]
    return {"first": first.close(), "second": second.close(), "receiversWhileBoth": stats}


def resume():
    r = PLAN["resume"]
    receiver = Receiver(r["partitionId"], starting_position="-1")
    receiver.wait_events(r["before"])
    opened_before = OpenCounter.opened
    control("/_emulator/faults", {"type": "disconnect"})
    for event in r["events"]:
        control("/_emulator/events", event)
    receiver.wait_events(r["before"] + len(r["events"]))
    time.sleep(0.3)  # no duplicate may follow
    return {**receiver.close(), "connectionsOpenedAfterFault": OpenCounter.opened - opened_before}


def last_enqueued():
    receiver = Receiver(PLAN["lastEnqueued"]["partitionId"], "py-last", starting_position="-1",
                        track_last_enqueued_event_properties=True)
    receiver.wait_events(1)
    return receiver.close()


if __name__ == "__main__":
    connection_log = logging.getLogger("azure.eventhub._pyamqp._connection")
    connection_log.setLevel(logging.INFO)
    connection_log.addHandler(OpenCounter())
    connection_log.propagate = False
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    # Reads first, a few clients at a time (each is CPU-bound in pure-Python AMQP and TLS); then what adds an event
    # (latest); last the disconnect fault, which drops every connection.
    in_parallel(("properties", properties), ("earliest", earliest), ("lastEnqueued", last_enqueued))
    in_parallel(("positions", start_positions))
    in_parallel(("batch", batches), ("ownerLevel", owner_level))
    in_parallel(("latest", latest))
    in_parallel(("resume", resume))
    finish(0)
