"""Binary Star server in Python (pyzmq), as the ZeroMQ Guide's bstarsrv: a ROUTER frontend that
echoes client requests while ACTIVE, a PUB that sends its state ("1" to "4") every heartbeat, and
a SUB to its peer's state. The same state machine as the Guide's (and as our src/fsm.ts); garbage
on the state socket is ignored. Stops on a fatal event (split brain) with exit code 1.
Usage: python3 bstarsrv.py primary|backup --frontend EP --state-pub EP --state-sub EP
       [--heartbeat-ms 1000] [--peer-expiry-ms 2000]"""
import argparse
import sys
import time

import zmq

PRIMARY, BACKUP, ACTIVE, PASSIVE = 1, 2, 3, 4
PEER_PRIMARY, PEER_BACKUP, PEER_ACTIVE, PEER_PASSIVE, CLIENT_REQUEST = 1, 2, 3, 4, 5
NAMES = {PRIMARY: "PRIMARY", BACKUP: "BACKUP", ACTIVE: "ACTIVE", PASSIVE: "PASSIVE"}

parser = argparse.ArgumentParser()
parser.add_argument("role", choices=["primary", "backup"])
parser.add_argument("--frontend", required=True)
parser.add_argument("--state-pub", required=True)
parser.add_argument("--state-sub", required=True)
parser.add_argument("--heartbeat-ms", type=int, default=1000)
parser.add_argument("--peer-expiry-ms", type=int, default=2000)
args = parser.parse_args()


def log(text):
    print(f"[py-{args.role}] {text}", flush=True)


def now_ms():
    return int(time.monotonic() * 1000)


def fsm(state, event, peer_expired):
    """Returns (new state or None, "serve" | "refuse" | "fatal" | None)."""
    if state == PRIMARY:
        if event == PEER_BACKUP:
            return ACTIVE, None
        if event == PEER_ACTIVE:
            return PASSIVE, None
        if event == CLIENT_REQUEST:
            return (ACTIVE, "serve") if peer_expired else (None, "refuse")
    elif state == BACKUP:
        if event == PEER_ACTIVE:
            return PASSIVE, None
        if event == CLIENT_REQUEST:
            return None, "refuse"
    elif state == ACTIVE:
        if event == PEER_ACTIVE:
            return None, "fatal"
        if event == CLIENT_REQUEST:
            return None, "serve"
    elif state == PASSIVE:
        if event in (PEER_PRIMARY, PEER_BACKUP):
            return ACTIVE, None
        if event == PEER_PASSIVE:
            return None, "fatal"
        if event == CLIENT_REQUEST:
            return (ACTIVE, "serve") if peer_expired else (None, "refuse")
    return None, None


context = zmq.Context()
frontend = context.socket(zmq.ROUTER)
statepub = context.socket(zmq.PUB)
statesub = context.socket(zmq.SUB)
for socket in (frontend, statepub, statesub):
    socket.setsockopt(zmq.LINGER, 0)
statesub.setsockopt(zmq.SUBSCRIBE, b"")
frontend.bind(args.frontend)
statepub.bind(args.state_pub)
statesub.connect(args.state_sub)
log(f"{args.role} bound to {args.frontend}")

state = PRIMARY if args.role == "primary" else BACKUP
peer_expiry = now_ms() + args.peer_expiry_ms
send_state_at = now_ms() + args.heartbeat_ms
poller = zmq.Poller()
poller.register(frontend, zmq.POLLIN)
poller.register(statesub, zmq.POLLIN)


def change(new_state):
    global state
    if new_state is not None and new_state != state:
        log(f"state {NAMES[state]} -> {NAMES[new_state]}")
        state = new_state


code = 0
try:
    while True:
        ready = dict(poller.poll(max(0, send_state_at - now_ms())))
        if ready.get(frontend):
            frames = frontend.recv_multipart()
            if len(frames) != 3 or frames[1] != b"":
                log(f"W: bad request ({len(frames)} frames); dropped")
            else:
                new_state, action = fsm(state, CLIENT_REQUEST, now_ms() >= peer_expiry)
                change(new_state)
                if action == "serve":
                    frontend.send_multipart(frames)
                else:
                    log(f"W: refused a client request in {NAMES[state]}")
        if ready.get(statesub):
            frames = statesub.recv_multipart()
            text = frames[0].decode("latin1") if len(frames) == 1 else ""
            if text not in ("1", "2", "3", "4"):
                log("W: bad state message; ignored")
            else:
                peer_expiry = now_ms() + args.peer_expiry_ms
                new_state, action = fsm(state, int(text), False)
                if action == "fatal":
                    log(f"E: fatal: {NAMES[state]} and the peer is {NAMES[int(text)]}, aborting")
                    code = 1
                    break
                change(new_state)
        if now_ms() >= send_state_at:
            statepub.send_string(str(state))
            send_state_at = now_ms() + args.heartbeat_ms
except KeyboardInterrupt:
    log("interrupted")
context.destroy(linger=0)
sys.exit(code)
