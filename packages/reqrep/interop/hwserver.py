"""Hello World server in Python, as in the ZeroMQ Guide: proves our TypeScript client speaks
plain ZeroMQ. Binds, prints the endpoint, answers "World" to `requests` requests, exits.
Usage: python3 hwserver.py [endpoint] [requests]"""
import sys

import zmq

endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://*:5555"
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 10

context = zmq.Context()
socket = context.socket(zmq.REP)
socket.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
socket.bind(endpoint)
print(f"[py-server] bound to {socket.getsockopt(zmq.LAST_ENDPOINT).decode()}", flush=True)

for number in range(1, requests + 1):
    request = socket.recv()
    print(f"[py-server] received {request.decode()} ({number})", flush=True)
    socket.send(b"World")

socket.close()
context.term()
