"""Majordomo client in Python (pyzmq), as the ZeroMQ Guide's mdclient with mdcliapi (MDP/0.1,
RFC 7): a REQ that sends ["MDPC01", service, body] and checks that the reply starts with
"MDPC01" and the same service; with no reply in `timeout` it closes the socket, opens a new
one and sends again, `retries` times in all. With --mmi it asks mmi.service about the service
instead, as the Guide's mmiecho, and prints the status.
Usage: python3 mdclient.py [endpoint] [service] [--requests 10] [--timeout-ms 2500]
       [--retries 3] [--mmi]"""
import argparse
import time

import zmq

MDPC01 = b"MDPC01"

parser = argparse.ArgumentParser()
parser.add_argument("endpoint", nargs="?", default="tcp://localhost:5555")
parser.add_argument("service", nargs="?", default="echo")
parser.add_argument("--requests", type=int, default=10)
parser.add_argument("--timeout-ms", type=int, default=2500)
parser.add_argument("--retries", type=int, default=3)
parser.add_argument("--mmi", action="store_true")
parser.add_argument("--quiet", action="store_true")  # no line per reply; print the rate
args = parser.parse_args()


def log(text):
    print(f"[py-mdclient] {text}", flush=True)


context = zmq.Context()


def connect():
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(args.endpoint)
    return socket


client = connect()


def request(service, body):
    """The reply body, or None after `retries` tries."""
    global client
    for attempt in range(args.retries):
        client.send_multipart([MDPC01, service] + body)
        if client.poll(args.timeout_ms, zmq.POLLIN):
            frames = client.recv_multipart()
            if len(frames) >= 2 and frames[0] == MDPC01 and frames[1] == service:
                return frames[2:]
            log(f"E: malformed reply: {frames!r}")
        else:
            log("W: no reply, reconnecting...")
        client.close()
        client = connect()
    log("W: permanent error, abandoning")
    return None


if args.mmi:
    reply = request(b"mmi.service", [args.service.encode()])
    log(f"lookup {args.service} service: {reply[0].decode() if reply else 'no answer'}")
else:
    answered = 0
    started = time.time()
    for n in range(1, args.requests + 1):
        reply = request(args.service.encode(), [f"hello {n}".encode()])
        if reply is None:
            break
        if not args.quiet:
            log(f"reply {n}: {b' '.join(reply).decode(errors='replace')}")
        answered += 1
    log(f"{answered} requests/replies processed")
    if args.quiet:
        log(f"{answered / (time.time() - started):.0f} round trips/s")
client.close()
context.term()
