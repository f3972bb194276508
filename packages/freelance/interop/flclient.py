"""Freelance clients in Python (pyzmq), as the ZeroMQ Guide's flclient1, flclient2 and flclient3:
model 1 sends each request on a new REQ socket to one server at a time (1000 ms time-out), model 2
blasts ["", sequence, body] from one DEALER to every server and takes the first matching reply
(2500 ms deadline), model 3 is a ROUTER that pings each server (its routing id is its endpoint)
until it answers PONG, then sends [endpoint, sequence, body] round the live ones.
Usage: python3 flclient.py MODEL REQUESTS ENDPOINT...   (exit 0: every request answered)"""
import sys
import time

import zmq

model, requests, endpoints = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
name = f"py-flclient{model}"
context = zmq.Context()


def log(text):
    print(f"[{name}] {text}", flush=True)


def model1(number):
    for endpoint in endpoints if len(endpoints) > 1 else endpoints * 3:
        client = context.socket(zmq.REQ)
        client.setsockopt(zmq.LINGER, 0)
        client.connect(endpoint)
        request = f"hello {number}".encode()
        client.send(request)
        ready = client.poll(1000)
        reply = client.recv_multipart() if ready else None
        client.close()
        if reply == [request]:
            return endpoint
        log(f"W: no response from {endpoint}")
    return None


dealer = None
router = None


def model2(number):
    global dealer
    if dealer is None:
        dealer = context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        for endpoint in endpoints:
            dealer.connect(endpoint)
    for _ in endpoints:
        dealer.send_multipart([b"", str(number).encode(), b"random name"])
    deadline = time.time() + 2.5
    while time.time() < deadline:
        if dealer.poll(int((deadline - time.time()) * 1000) + 1):
            empty, sequence, ok = dealer.recv_multipart()
            if int(sequence) == number and ok == b"OK":
                return "OK"
    return None


live = []


def model3(number):
    global router
    if router is None:
        router = context.socket(zmq.ROUTER)
        router.setsockopt(zmq.LINGER, 0)
        router.setsockopt(zmq.ROUTER_MANDATORY, 1)  # EHOSTUNREACH until the connection is up
        for endpoint in endpoints:
            router.connect(endpoint)
        deadline = time.time() + 10
        while len(live) < len(endpoints) and time.time() < deadline:
            for endpoint in endpoints:
                try:
                    router.send_multipart([endpoint.encode(), b"PING"])
                except zmq.ZMQError:
                    pass  # not connected yet
            while router.poll(100):
                server, pong = router.recv_multipart()
                if pong == b"PONG" and server.decode() not in live:
                    live.append(server.decode())
                    log(f"server {server.decode()} is alive")
    if not live:
        return None
    endpoint = live[number % len(live)]
    router.send_multipart([endpoint.encode(), str(number).encode(), b"random name"])
    deadline = time.time() + 3
    while time.time() < deadline:
        if router.poll(int((deadline - time.time()) * 1000) + 1):
            server, sequence, *body = router.recv_multipart()
            if sequence != b"PONG" and int(sequence) == number and body == [b"OK"]:
                return server.decode()
    return None


ask = {1: model1, 2: model2, 3: model3}[model]
for number in range(1, requests + 1):
    answer = ask(number)
    if answer is None:
        log(f"E: request {number}: no server answered")
        sys.exit(1)
    log(f"reply {number} from {answer}")
log(f"done: {requests} requests answered")
