"""asyncsrv's client in Python (pyzmq), written for the routing package's interop test.

A DEALER with a printable identity that sends `requests` requests without waiting, then listens
until each has had a reply, and then for `wait_ms` more (a request may get several); prints each
reply as `received <text>` and finally `sent N received M`. It gives up after 60 s.
Usage: python3 async_client.py <endpoint> <identity> <requests> <wait_ms>
"""
import sys
import time

import zmq

endpoint, identity, requests, wait_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
context = zmq.Context.instance()
client = context.socket(zmq.DEALER)
client.setsockopt(zmq.LINGER, 0)
client.setsockopt(zmq.IDENTITY, identity.encode())  # before connecting, as the Guide says
client.connect(endpoint)
for n in range(1, requests + 1):
    client.send_string("request #%d from %s" % (n, identity))
received = 0
unanswered = set("request #%d from %s" % (n, identity) for n in range(1, requests + 1))
# No fixed window from the start: the server's worker threads may still be starting. The
# wait_ms window for extra replies opens once every request has had its first one.
deadline = time.time() + 60
poller = zmq.Poller()
poller.register(client, zmq.POLLIN)
while time.time() < deadline:
    if poller.poll(max(1, int((deadline - time.time()) * 1000))):
        frames = client.recv_multipart()
        received += 1
        text = frames[-1].decode()
        print("received %s (%d frame(s))" % (text, len(frames)), flush=True)
        if text in unanswered:
            unanswered.discard(text)
            if not unanswered:
                deadline = time.time() + wait_ms / 1000.0
print("sent %d received %d" % (requests, received), flush=True)
client.close()
context.term()
