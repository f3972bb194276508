"""Majordomo worker in Python (pyzmq), as the ZeroMQ Guide's mdworker with mdwrkapi (MDP/0.1,
RFC 7): a DEALER that says READY with its service name, echoes every REQUEST as a REPLY, and
heartbeats the broker. After liveness intervals without a word from the broker, or on
DISCONNECT, it starts over on a new socket with a new READY.
Usage: python3 mdworker.py [endpoint] [service] [--requests 10] [--heartbeat-ms 2500]
       [--liveness 3] [--reconnect-ms 2500]   (exits after answering `requests` requests)"""
import argparse
import time

import zmq

MDPW01 = b"MDPW01"
READY, REQUEST, REPLY, HEARTBEAT, DISCONNECT = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"

parser = argparse.ArgumentParser()
parser.add_argument("endpoint", nargs="?", default="tcp://localhost:5555")
parser.add_argument("service", nargs="?", default="echo")
parser.add_argument("--requests", type=int, default=10)
parser.add_argument("--heartbeat-ms", type=int, default=2500)
parser.add_argument("--liveness", type=int, default=3)
parser.add_argument("--reconnect-ms", type=int, default=2500)
parser.add_argument("--quiet", action="store_true")  # no line per request
args = parser.parse_args()


def log(text):
    print(f"[py-mdworker] {text}", flush=True)


context = zmq.Context()
poller = zmq.Poller()


def connect():
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
    socket.connect(args.endpoint)
    poller.register(socket, zmq.POLLIN)
    socket.send_multipart([b"", MDPW01, READY, args.service.encode()])
    log(f"ready for {args.service}")
    return socket


def reconnect(old):
    poller.unregister(old)
    old.setsockopt(zmq.LINGER, 0)
    old.close()
    return connect()


worker = connect()
liveness = args.liveness
heartbeat_at = time.time() + args.heartbeat_ms / 1000
answered = 0
while answered < args.requests:
    if dict(poller.poll(args.heartbeat_ms)).get(worker) == zmq.POLLIN:
        frames = worker.recv_multipart()
        liveness = args.liveness  # any command shows the broker is alive
        if len(frames) < 3 or frames[0] != b"" or frames[1] != MDPW01:
            log(f"E: invalid message: {frames!r}")
        elif frames[2] == REQUEST and len(frames) >= 5 and frames[4] == b"":
            client, body = frames[3], frames[5:]
            if not args.quiet:
                log(f"request: {b' '.join(body).decode(errors='replace')}")
            worker.send_multipart([b"", MDPW01, REPLY, client, b""] + body)
            answered += 1
        elif frames[2] == HEARTBEAT:
            pass
        elif frames[2] == DISCONNECT:
            log("W: broker said DISCONNECT; reconnecting")
            worker = reconnect(worker)
        else:
            log(f"E: invalid command: {frames!r}")
    else:
        liveness -= 1
        if liveness == 0:
            log("W: disconnected from broker - retrying...")
            time.sleep(args.reconnect_ms / 1000)
            worker = reconnect(worker)
            liveness = args.liveness
    if time.time() > heartbeat_at:
        worker.send_multipart([b"", MDPW01, HEARTBEAT])
        heartbeat_at = time.time() + args.heartbeat_ms / 1000

log(f"stopped after answering {answered} requests")
worker.close()
context.term()
