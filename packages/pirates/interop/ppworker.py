"""Paranoid Pirate worker in Python (pyzmq), as the ZeroMQ Guide's ppworker (RFC 6, PPP): a
DEALER with a random routing id that says READY (\\x01), sends requests back unchanged and
heartbeats (\\x02) its queue every interval. After liveness intervals without a word from the
queue it closes the socket, waits (1 s, doubling up to 32 s) and starts over on a new socket
with a new id and a new READY. Like the Guide's, it replies, then does its "heavy work".
Usage: python3 ppworker.py [endpoint] [requests] [--heartbeat-ms 1000] [--liveness 3]
       [--reconnect-ms 1000] [--reconnect-max-ms 32000] [--work-ms 1000]
       (endpoint tcp://localhost:5556; exits after answering `requests` requests)"""
import argparse
import random
import time

import zmq

READY = b"\x01"
HEARTBEAT = b"\x02"

parser = argparse.ArgumentParser()
parser.add_argument("endpoint", nargs="?", default="tcp://localhost:5556")
parser.add_argument("requests", nargs="?", type=int, default=10)
parser.add_argument("--heartbeat-ms", type=int, default=1000)
parser.add_argument("--liveness", type=int, default=3)
parser.add_argument("--reconnect-ms", type=int, default=1000)
parser.add_argument("--reconnect-max-ms", type=int, default=32000)
parser.add_argument("--work-ms", type=int, default=1000)
args = parser.parse_args()


def log(text):
    print(f"[py-ppworker] {text}", flush=True)


context = zmq.Context()
poller = zmq.Poller()


def connect():
    """A new DEALER with a new id, connected to the queue, that has said READY."""
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
    identity = "%04X-%04X" % (random.randrange(0x10000), random.randrange(0x10000))
    socket.setsockopt_string(zmq.IDENTITY, identity)
    socket.connect(args.endpoint)
    poller.register(socket, zmq.POLLIN)
    socket.send(READY)
    log(f"worker {identity} ready")
    return socket


worker = connect()
liveness = args.liveness
reconnect_ms = args.reconnect_ms
heartbeat_at = time.time() + args.heartbeat_ms / 1000
answered = 0
while answered < args.requests:
    if dict(poller.poll(args.heartbeat_ms)).get(worker) == zmq.POLLIN:
        frames = worker.recv_multipart()
        if len(frames) == 3:  # a request: [client, "", request]
            log(f"normal reply ({frames[2].decode(errors='replace')})")
            worker.send_multipart(frames)
            answered += 1
            time.sleep(args.work_ms / 1000)  # do some heavy work
        elif frames == [HEARTBEAT]:
            log("queue heartbeat")
        else:
            log(f"E: invalid message: {frames!r}")
        liveness = args.liveness  # any message shows the queue is alive
        reconnect_ms = args.reconnect_ms
    else:
        liveness -= 1
        if liveness == 0:
            log("W: heartbeat failure, can't reach queue")
            log(f"W: reconnecting in {reconnect_ms} ms...")
            time.sleep(reconnect_ms / 1000)
            reconnect_ms = min(reconnect_ms * 2, args.reconnect_max_ms)
            poller.unregister(worker)
            worker.setsockopt(zmq.LINGER, 0)
            worker.close()
            worker = connect()
            liveness = args.liveness
    if time.time() > heartbeat_at:
        heartbeat_at = time.time() + args.heartbeat_ms / 1000
        worker.send(HEARTBEAT)

log(f"stopped after answering {answered} requests")
worker.close()
context.term()
