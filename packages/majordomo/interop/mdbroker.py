"""Majordomo broker in Python (pyzmq), as the ZeroMQ Guide's mdbroker (MDP/0.1, RFC 7, with
MMI, RFC 8): one ROUTER for clients and workers; requests queue per service until a worker is
waiting; idle workers are heartbeated and forgotten after liveness intervals of silence; a
command out of order gets DISCONNECT; mmi.service answers 200/404, other mmi.* 501.
Usage: python3 mdbroker.py [endpoint] [--heartbeat-ms 2500] [--liveness 3]"""
import argparse
import time

import zmq

MDPC01, MDPW01 = b"MDPC01", b"MDPW01"
READY, REQUEST, REPLY, HEARTBEAT, DISCONNECT = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"

parser = argparse.ArgumentParser()
parser.add_argument("endpoint", nargs="?", default="tcp://*:5555")
parser.add_argument("--heartbeat-ms", type=int, default=2500)
parser.add_argument("--liveness", type=int, default=3)
args = parser.parse_args()
expiry_s = args.heartbeat_ms * args.liveness / 1000


def log(text):
    print(f"[py-mdbroker] {text}", flush=True)


context = zmq.Context()
socket = context.socket(zmq.ROUTER)
socket.setsockopt(zmq.LINGER, 0)
socket.bind(args.endpoint)
log(f"MDP broker is active at {args.endpoint}")

services = {}  # name -> {"requests": [[client, body...]], "waiting": [identity]}
workers = {}  # identity -> {"service": name, "expiry": time}


def service(name):
    return services.setdefault(name, {"requests": [], "waiting": []})


def delete_worker(identity, disconnect):
    if disconnect:
        socket.send_multipart([identity, b"", MDPW01, DISCONNECT])
    worker = workers.pop(identity, None)
    if worker and identity in services[worker["service"]]["waiting"]:
        services[worker["service"]]["waiting"].remove(identity)


def dispatch(name):
    s = service(name)
    now = time.time()
    for identity in [i for i in s["waiting"] if workers[i]["expiry"] < now]:
        log(f"deleting expired worker {identity!r}")
        delete_worker(identity, False)
    while s["waiting"] and s["requests"]:
        identity = s["waiting"].pop(0)
        client, *body = s["requests"].pop(0)
        socket.send_multipart([identity, b"", MDPW01, REQUEST, client, b""] + body)


def waiting(identity):
    worker = workers[identity]
    worker["expiry"] = time.time() + expiry_s
    service(worker["service"])["waiting"].append(identity)
    dispatch(worker["service"])


heartbeat_at = time.time() + args.heartbeat_ms / 1000
while True:
    if socket.poll(args.heartbeat_ms, zmq.POLLIN):
        frames = socket.recv_multipart()
        sender, header, rest = frames[0], None, []
        if len(frames) >= 3 and frames[1] == b"":
            header, rest = frames[2], frames[3:]
        if header == MDPC01 and rest:
            name, *body = rest
            if name.startswith(b"mmi."):
                asked = body[-1] if body else b""
                found = asked in services and any(
                    w["service"] == asked for w in workers.values()
                )
                status = (b"200" if found else b"404") if name == b"mmi.service" else b"501"
                socket.send_multipart([sender, b"", MDPC01, name, status])
            else:
                service(name)["requests"].append([sender] + body)
                dispatch(name)
        elif header == MDPW01 and rest:
            command, *args_ = rest
            known = sender in workers
            if command == READY and not known and args_ and not args_[0].startswith(b"mmi."):
                workers[sender] = {"service": args_[0], "expiry": 0}
                log(f"worker ready for {args_[0].decode()}")
                waiting(sender)
            elif command == REPLY and known and len(args_) >= 2:
                client, _, *body = args_
                name = workers[sender]["service"]
                socket.send_multipart([client, b"", MDPC01, name] + body)
                waiting(sender)
            elif command == HEARTBEAT and known:
                workers[sender]["expiry"] = time.time() + expiry_s
            elif command == DISCONNECT:
                delete_worker(sender, False)
            else:
                log(f"E: invalid worker command {command!r}")
                delete_worker(sender, True)
        else:
            log("E: invalid message")
    if time.time() > heartbeat_at:
        for name in services:
            for identity in services[name]["waiting"]:
                socket.send_multipart([identity, b"", MDPW01, HEARTBEAT])
            dispatch(name)  # also forgets the expired
        heartbeat_at = time.time() + args.heartbeat_ms / 1000
