"""Paranoid Pirate queue in Python (pyzmq), as the ZeroMQ Guide's ppqueue (RFC 6, PPP): Simple
Pirate's load balancer with heartbeats. Workers are DEALERs that say READY (\\x01) and HEARTBEAT
(\\x02), one frame each; any word from a worker puts it at the back of the ready list with a new
expiry. Every interval it heartbeats the ready workers, and forgets a worker silent for liveness
intervals.
Usage: python3 ppqueue.py [frontend] [backend] [replies] [--heartbeat-ms 1000] [--liveness 3]
       (tcp://*:5555 and tcp://*:5556; exits after passing `replies` replies back)"""
import argparse
from collections import OrderedDict
import time

import zmq

READY = b"\x01"
HEARTBEAT = b"\x02"

parser = argparse.ArgumentParser()
parser.add_argument("frontend", nargs="?", default="tcp://*:5555")
parser.add_argument("backend", nargs="?", default="tcp://*:5556")
parser.add_argument("replies", nargs="?", type=int, default=10)
parser.add_argument("--heartbeat-ms", type=int, default=1000)
parser.add_argument("--liveness", type=int, default=3)
args = parser.parse_args()
interval = args.heartbeat_ms / 1000


def log(text):
    print(f"[py-ppqueue] {text}", flush=True)


context = zmq.Context()
frontend = context.socket(zmq.ROUTER)  # for clients
backend = context.socket(zmq.ROUTER)  # for workers
frontend.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
backend.setsockopt(zmq.LINGER, 0)
frontend.bind(args.frontend)
log(f"frontend bound to {frontend.getsockopt_string(zmq.LAST_ENDPOINT)}")
backend.bind(args.backend)
log(f"backend bound to {backend.getsockopt_string(zmq.LAST_ENDPOINT)}")

ready = OrderedDict()  # worker id -> when it expires, the one ready longest first
poll_workers = zmq.Poller()
poll_workers.register(backend, zmq.POLLIN)
poll_both = zmq.Poller()
poll_both.register(backend, zmq.POLLIN)
poll_both.register(frontend, zmq.POLLIN)


def name(worker):
    """A worker's id as text when it is printable, else in hex (libzmq's own ids are binary)."""
    text = worker.decode(errors="replace")
    return text if text.isprintable() else "0x" + worker.hex()


forwarded = 0
heartbeat_at = time.time() + interval
while forwarded < args.replies:
    events = dict((poll_both if ready else poll_workers).poll(args.heartbeat_ms))
    if events.get(backend) == zmq.POLLIN:
        worker, *message = backend.recv_multipart()
        # Any sign of life from a worker means it is ready (again).
        ready.pop(worker, None)
        ready[worker] = time.time() + interval * args.liveness
        if message == [READY]:
            log(f"worker {name(worker)} ready ({len(ready)} ready)")
        elif message == [HEARTBEAT]:
            log(f"heartbeat from {name(worker)}")
        elif len(message) == 1:
            log(f"E: invalid message from worker {name(worker)}: {message!r}")
        else:  # a reply: [client, "", reply...]
            frontend.send_multipart(message)
            forwarded += 1
            log(f"reply {forwarded}/{args.replies} from worker {name(worker)}")
    if events.get(frontend) == zmq.POLLIN:
        # From a REQ client: [client, "", request...], to the worker ready longest.
        request = frontend.recv_multipart()
        worker, _ = ready.popitem(last=False)
        backend.send_multipart([worker] + request)

    # After any activity, or none: heartbeat the ready workers when it is time, forget the silent.
    if time.time() >= heartbeat_at:
        for worker in ready:
            backend.send_multipart([worker, HEARTBEAT])
        heartbeat_at = time.time() + interval
    now = time.time()
    for worker in [worker for worker, expiry in ready.items() if now > expiry]:
        log(f"W: idle worker expired: {name(worker)}")
        del ready[worker]

log(f"stopped after {forwarded} replies")
frontend.close()
backend.close()
context.term()
