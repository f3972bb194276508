"""Hello World client in Python, as in the ZeroMQ Guide: proves our TypeScript server speaks
plain ZeroMQ. Usage: python3 hwclient.py [endpoint] [requests]"""
import sys

import zmq

endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://localhost:5555"
requests = int(sys.argv[2]) if len(sys.argv) > 2 else 10

context = zmq.Context()
socket = context.socket(zmq.REQ)
socket.setsockopt(zmq.LINGER, 0)
socket.setsockopt(zmq.RCVTIMEO, 10000)  # fail the test instead of hanging
socket.connect(endpoint)

for number in range(1, requests + 1):
    socket.send(b"Hello")
    reply = socket.recv()
    print(f"[py-client] received {reply.decode()} ({number}/{requests})", flush=True)

socket.close()
context.term()
