"""Simple Pirate queue in Python (pyzmq), as the ZeroMQ Guide's spqueue: the load-balancing
broker. ROUTER frontend for REQ clients, ROUTER backend for REQ workers, which say READY
(one frame \\x01) once; each request goes to the worker that has been ready longest. No
reliability of its own: the Lazy Pirate clients retry.
Usage: python3 spqueue.py [frontend] [backend] [replies]
       (tcp://*:5555 and tcp://*:5556; exits after passing `replies` replies back)"""
import sys

import zmq

READY = b"\x01"

frontend_endpoint = sys.argv[1] if len(sys.argv) > 1 else "tcp://*:5555"
backend_endpoint = sys.argv[2] if len(sys.argv) > 2 else "tcp://*:5556"
replies = int(sys.argv[3]) if len(sys.argv) > 3 else 10


def log(text):
    print(f"[py-spqueue] {text}", flush=True)


context = zmq.Context()
frontend = context.socket(zmq.ROUTER)  # for clients
backend = context.socket(zmq.ROUTER)  # for workers
frontend.setsockopt(zmq.LINGER, 1000)  # let the last reply go out before exiting
backend.setsockopt(zmq.LINGER, 0)
frontend.bind(frontend_endpoint)
log(f"frontend bound to {frontend.getsockopt_string(zmq.LAST_ENDPOINT)}")
backend.bind(backend_endpoint)
log(f"backend bound to {backend.getsockopt_string(zmq.LAST_ENDPOINT)}")

workers = []  # ready workers' ids, the one ready longest first
poll_workers = zmq.Poller()
poll_workers.register(backend, zmq.POLLIN)
poll_both = zmq.Poller()
poll_both.register(backend, zmq.POLLIN)
poll_both.register(frontend, zmq.POLLIN)

forwarded = 0
while forwarded < replies:
    # Take requests from clients only while a worker is ready; meanwhile they wait in the ROUTER.
    events = dict((poll_both if workers else poll_workers).poll())
    if events.get(backend) == zmq.POLLIN:
        # From a REQ worker: [worker, "", READY] or [worker, "", client, "", reply...]
        worker, _, *rest = backend.recv_multipart()
        workers.append(worker)
        if rest == [READY]:
            log(f"worker {worker.decode(errors='replace')} ready ({len(workers)} ready)")
        else:
            frontend.send_multipart(rest)
            forwarded += 1
            log(f"reply {forwarded}/{replies} from worker {worker.decode(errors='replace')}")
    if events.get(frontend) == zmq.POLLIN:
        # From a REQ client: [client, "", request...], to the worker ready longest.
        request = frontend.recv_multipart()
        backend.send_multipart([workers.pop(0), b""] + request)

log(f"stopped after {forwarded} replies")
frontend.close()
backend.close()
context.term()
