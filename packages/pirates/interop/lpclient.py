"""Lazy Pirate client in Python (pyzmq), as the ZeroMQ Guide's lpclient: a REQ socket that sends
the sequence numbers 1, 2, 3... and checks that each reply is the number it sent. When no reply
comes in time it closes the socket, opens a new one and sends the request again; after `retries`
tries in all (the Guide's REQUEST_RETRIES, counting the first send) it abandons the server.
Usage: python3 lpclient.py [endpoint] [requests] [--timeout-ms 2500] [--retries 3]
       (endpoint tcp://localhost:5555; exits 0 when every request was answered, 1 if it gave up)"""
import argparse
import sys

import zmq

parser = argparse.ArgumentParser()
parser.add_argument("endpoint", nargs="?", default="tcp://localhost:5555")
parser.add_argument("requests", nargs="?", type=int, default=10)
parser.add_argument("--timeout-ms", type=int, default=2500)
parser.add_argument("--retries", type=int, default=3)
args = parser.parse_args()


def log(text):
    print(f"[py-lpclient] {text}", flush=True)


context = zmq.Context()


def connect():
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)  # closing drops the unanswered request
    socket.connect(args.endpoint)
    return socket


log(f"connecting to {args.endpoint}")
client = connect()
for sequence in range(1, args.requests + 1):
    request = str(sequence).encode()
    log(f"sending {sequence} ({sequence}/{args.requests})")
    client.send(request)
    retries_left = args.retries
    while True:
        if client.poll(args.timeout_ms, zmq.POLLIN):
            reply = client.recv()
            if reply == request:
                log(f"server replied OK ({reply.decode()})")
                break
            # A REQ takes one reply per request: after a wrong one it can only time out.
            log(f"E: malformed reply from server: {reply!r}")
            continue
        retries_left -= 1
        # The socket is confused: close it, open a new one, and send the request again.
        client.close()
        if retries_left == 0:
            log("E: server seems to be offline, abandoning")
            context.term()
            sys.exit(1)
        log("W: no response from server, retrying...")
        client = connect()
        log(f"reconnected; resending {sequence}")
        client.send(request)

log(f"done: {args.requests} of {args.requests} requests answered")
client.close()
context.term()
