"""An Ironhouse server in Python (pyzmq), authenticating with pyzmq's own ZAP handler, the
ThreadAuthenticator: CURVE, and only the client keys of the certificates (`*.key`) in a
directory. Answers "World" to each request; exits after `requests` replies.
Usage: python3 ironhouse_server.py <endpoint> <server.key_secret> <allowed dir> [requests]"""
import logging
import sys

import zmq
import zmq.auth
from zmq.auth.thread import ThreadAuthenticator

endpoint, server_cert, allowed_dir = sys.argv[1:4]
requests = int(sys.argv[4]) if len(sys.argv) > 4 else 1


def log(text):
    print(f"[py-ironhouse-server] {text}", flush=True)


# The authenticator logs each decision ("DENIED (CURVE) ...") through logging, to stderr.
logging.basicConfig(level=logging.DEBUG, format="[py-zap] %(message)s")
context = zmq.Context.instance()
auth = ThreadAuthenticator(context)
auth.start()
auth.configure_curve(domain="*", location=allowed_dir)

server = context.socket(zmq.REP)
server.linger = 0
server.curve_publickey, server.curve_secretkey = zmq.auth.load_certificate(server_cert)
server.curve_server = True  # before the bind
server.bind(endpoint)
log(f"bound to {server.getsockopt_string(zmq.LAST_ENDPOINT)}")
for _ in range(requests):
    log(f"received {server.recv_string()}")
    server.send_string("World")
auth.stop()
server.close()
context.term()
log("done")
