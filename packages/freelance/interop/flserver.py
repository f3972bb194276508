"""Freelance servers in Python (pyzmq), as the ZeroMQ Guide's flserver1, flserver2 and flserver3:
model 1 is a REP echo, model 2 a REP answering [sequence, "OK"], model 3 a ROUTER whose routing
id is its endpoint, answering PING with PONG and a request [control, ...] with [control, "OK"].
Usage: python3 flserver.py MODEL ENDPOINT [--requests N]  (exits after N requests; 0: never)"""
import argparse

import zmq

parser = argparse.ArgumentParser()
parser.add_argument("model", type=int, choices=[1, 2, 3])
parser.add_argument("endpoint")
parser.add_argument("--requests", type=int, default=0)
args = parser.parse_args()
name = f"py-flserver{args.model}"


def log(text):
    print(f"[{name}] {text}", flush=True)


context = zmq.Context()
server = context.socket(zmq.ROUTER if args.model == 3 else zmq.REP)
server.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
if args.model == 3:
    server.setsockopt(zmq.ROUTING_ID, args.endpoint.encode())  # the endpoint clients use
server.bind(args.endpoint)
log(f"service is ready at {args.endpoint}")

answered = 0
while args.requests == 0 or answered < args.requests:
    frames = server.recv_multipart()
    if args.model == 1:
        server.send_multipart(frames)  # echo, every frame
    elif args.model == 2:
        server.send_multipart([frames[0], b"OK"])  # [sequence, "OK"]
    else:
        client, control = frames[0], frames[1]
        if control == b"PING" and len(frames) == 2:
            server.send_multipart([client, b"PONG"])
            continue
        server.send_multipart([client, control, b"OK"])
    answered += 1
    log(f"request {answered} ({frames[-2 if args.model == 3 else 0].decode(errors='replace')})")

log(f"stopped after {answered} requests")
server.close()
context.term()
