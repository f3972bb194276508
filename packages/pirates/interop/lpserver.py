"""Lazy Pirate server in Python (pyzmq), as the ZeroMQ Guide's lpserver: a REP socket that echoes
each request unchanged after some "heavy work", and can be told to stall (a CPU overload) or to
crash (exit without answering), so that a Lazy Pirate client's retries show. The Guide's server
picks its faults at random; here they are arguments, so a test knows what happens when.
Usage: python3 lpserver.py [endpoint] [requests] [--work-ms 1000] [--overload-after N]
       [--overload-ms 2000] [--crash-after N]   (endpoint tcp://*:5555; answers `requests`, exits)"""
import argparse
import time

import zmq

parser = argparse.ArgumentParser()
parser.add_argument("endpoint", nargs="?", default="tcp://*:5555")
parser.add_argument("requests", nargs="?", type=int, default=10)
parser.add_argument("--work-ms", type=int, default=1000)
parser.add_argument("--overload-after", type=int, default=0, help="stall on the next request (0: never)")
parser.add_argument("--overload-ms", type=int, default=2000)
parser.add_argument("--crash-after", type=int, default=0, help="exit on the next request (0: never)")
args = parser.parse_args()


def log(text):
    print(f"[py-lpserver] {text}", flush=True)


context = zmq.Context()
server = context.socket(zmq.REP)
server.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
server.bind(args.endpoint)
log(f"bound to {server.getsockopt_string(zmq.LAST_ENDPOINT)}")

cycles = 0
while cycles < args.requests:
    request = server.recv()
    cycles += 1
    if args.crash_after and cycles > args.crash_after:
        log(f"W: simulating a crash: request ({request.decode(errors='replace')}) is never answered")
        break
    if args.overload_after and cycles == args.overload_after + 1:
        log("W: simulating CPU overload")
        time.sleep(args.overload_ms / 1000)
    log(f"normal request ({request.decode(errors='replace')})")
    time.sleep(args.work_ms / 1000)  # do some heavy work
    server.send(request)  # echoed as is: the client checks it is the number it sent

log(f"stopped after {cycles} requests")
server.close()
context.term()
