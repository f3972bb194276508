"""An Ironhouse client in Python (pyzmq): a REQ socket with CURVE, its key pair from a secret
certificate and the server's public key from the server's certificate, both read with pyzmq's
zmq.auth.load_certificate. Sends one request and waits for the reply.
Usage: python3 ironhouse_client.py <endpoint> <client.key_secret> <server.key> [request] [timeout-ms]
Exit code 0 with a reply, 1 without."""
import sys

import zmq
import zmq.auth

endpoint, client_cert, server_cert = sys.argv[1:4]
request = sys.argv[4] if len(sys.argv) > 4 else "Hello"
timeout_ms = int(sys.argv[5]) if len(sys.argv) > 5 else 5000


def log(text):
    print(f"[py-ironhouse-client] {text}", flush=True)


context = zmq.Context()
client = context.socket(zmq.REQ)
client.linger = 0
client.curve_publickey, client.curve_secretkey = zmq.auth.load_certificate(client_cert)
client.curve_serverkey, _ = zmq.auth.load_certificate(server_cert)
client.connect(endpoint)
client.send_string(request)
log(f"sent {request}")
if client.poll(timeout_ms):
    log(f"reply {client.recv_string()}")
    code = 0
else:
    log(f"no reply in {timeout_ms} ms")
    code = 1
client.close()
context.term()
sys.exit(code)
