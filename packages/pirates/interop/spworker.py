"""Simple Pirate worker in Python (pyzmq), as the ZeroMQ Guide's spworker: a REQ socket with a
readable random routing id ("%04X-%04X") that says READY (one frame \\x01), then sends each
request back unchanged, envelope and all, after some "heavy work". It can be told to crash while
holding a request (the Guide's does so at random), so the client's retry shows.
Usage: python3 spworker.py [endpoint] [requests] [--work-ms 1000] [--crash-after N]
       (endpoint tcp://localhost:5556; exits after answering `requests` requests)"""
import argparse
import random
import time

import zmq

READY = b"\x01"

parser = argparse.ArgumentParser()
parser.add_argument("endpoint", nargs="?", default="tcp://localhost:5556")
parser.add_argument("requests", nargs="?", type=int, default=10)
parser.add_argument("--work-ms", type=int, default=1000)
parser.add_argument("--crash-after", type=int, default=0, help="exit on the next request (0: never)")
args = parser.parse_args()

identity = "%04X-%04X" % (random.randrange(0x10000), random.randrange(0x10000))


def log(text):
    print(f"[py-spworker] ({identity}) {text}", flush=True)


context = zmq.Context()
worker = context.socket(zmq.REQ)
worker.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
worker.setsockopt_string(zmq.IDENTITY, identity)
worker.connect(args.endpoint)
worker.send(READY)  # a REQ speaks first: tell the queue there is one more worker
log("worker ready")

answered = 0
while answered < args.requests:
    frames = worker.recv_multipart()  # [client, "", request...]: the REQ took the rest off
    if args.crash_after and answered >= args.crash_after:
        log(f"W: simulating a crash while holding request {frames[-1].decode(errors='replace')}")
        break
    log(f"normal reply ({frames[-1].decode(errors='replace')})")
    time.sleep(args.work_ms / 1000)  # do some heavy work
    worker.send_multipart(frames)  # the envelope goes back unchanged
    answered += 1

log(f"stopped after answering {answered} requests")
worker.close()
context.term()
