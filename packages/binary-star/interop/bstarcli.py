"""Binary Star client in Python (pyzmq), as the ZeroMQ Guide's bstarcli: a REQ client that sends
the sequence numbers 1, 2, 3... and checks each reply is the number it sent. With no reply in
time it closes the socket, waits for the pair to settle, and resends to the other server.
Usage: python3 bstarcli.py PRIMARY_EP BACKUP_EP [requests] [--timeout-ms 1000] [--settle-ms 2000]
       [--interval-ms 1000]
       (exits 0 once every request was answered)"""
import argparse
import time

import zmq

parser = argparse.ArgumentParser()
parser.add_argument("primary")
parser.add_argument("backup")
parser.add_argument("requests", nargs="?", type=int, default=10)
parser.add_argument("--timeout-ms", type=int, default=1000)
parser.add_argument("--settle-ms", type=int, default=2000)
parser.add_argument("--interval-ms", type=int, default=1000, help="pause between requests")
args = parser.parse_args()
servers = [args.primary, args.backup]


def log(text):
    print(f"[py-client] {text}", flush=True)


context = zmq.Context()


def connect(index):
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(servers[index])
    log(f"connecting to server at {servers[index]}")
    return socket


server = 0
client = connect(server)
for sequence in range(1, args.requests + 1):
    request = str(sequence).encode()
    client.send(request)
    while True:
        if client.poll(args.timeout_ms, zmq.POLLIN):
            reply = client.recv()
            if reply == request:
                log(f"server replied OK ({sequence})")
                time.sleep(args.interval_ms / 1000)
                break
            log(f"E: bad reply from server: {reply!r}")
            continue
        log("W: no response from server, failing over")
        client.close()
        time.sleep(args.settle_ms / 1000)
        server = (server + 1) % 2
        client = connect(server)
        client.send(request)
context.destroy(linger=0)
