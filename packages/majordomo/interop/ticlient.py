"""A Titanic client (RFC 9 over MDP/0.1) in Python with pyzmq, for the interop test.

Written for this repository (not the Guide's code): it speaks the same frames as the Guide's
ticlient. It sends one request through titanic.request, asks titanic.reply every --poll-ms
until it gets "200", then titanic.close. Prints what it does; exits 0 on success.
Run: python3 interop/ticlient.py --connect tcp://localhost:5555 [--service echo] [--body "Hello world"]
"""

import argparse
import sys
import time

import zmq

MDPC01 = b"MDPC01"


def call(context, endpoint, service, frames, timeout_ms):
    """One MDP request on a fresh REQ socket; the reply body, or None after the time-out."""
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    try:
        socket.send_multipart([MDPC01, service] + frames)
        if not socket.poll(timeout_ms, zmq.POLLIN):
            return None
        header, reply_service, *body = socket.recv_multipart()
        if header != MDPC01 or reply_service != service:
            print(f"E: not an MDPC01 reply from {service!r}", flush=True)
            return None
        return body
    finally:
        socket.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", default="tcp://localhost:5555")
    parser.add_argument("--service", default="echo")
    parser.add_argument("--body", default="Hello world")
    parser.add_argument("--poll-ms", type=int, default=100)
    parser.add_argument("--timeout-ms", type=int, default=2500)
    args = parser.parse_args()
    context = zmq.Context()

    def ask(service, frames):
        while True:
            reply = call(context, args.connect, service, frames, args.timeout_ms)
            if reply is not None:
                return reply
            print(f"W: no answer from {service.decode()}, asking again", flush=True)

    status, uuid = ask(b"titanic.request", [args.service.encode(), args.body.encode()])[:2]
    if status != b"200":
        print(f"E: titanic.request said {status.decode()}", flush=True)
        return 1
    print(f"I: request UUID {uuid.decode()}", flush=True)
    while True:
        status, *body = ask(b"titanic.reply", [uuid])
        if status == b"200":
            print(f"I: reply: {b' '.join(body).decode()}", flush=True)
            break
        if status != b"300":
            print(f"E: titanic.reply said {status.decode()}", flush=True)
            return 1
        time.sleep(args.poll_ms / 1000)
    (status,) = ask(b"titanic.close", [uuid])
    print(f"I: closed: {status.decode()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
