"""Certificates with pyzmq's own tools (zmq.auth), to check that ours and theirs are the same
format. Usage:
    python3 certs.py create <dir> <name>   # zmq.auth.create_certificates; prints both paths
    python3 certs.py load <file>           # zmq.auth.load_certificate; prints public and secret key"""
import sys

import zmq.auth

command, *args = sys.argv[1:]
if command == "create":
    public_file, secret_file = zmq.auth.create_certificates(args[0], args[1])
    print(f"[py-certs] created {public_file} {secret_file}", flush=True)
elif command == "load":
    public_key, secret_key = zmq.auth.load_certificate(args[0])
    print(f"[py-certs] public {public_key.decode()}", flush=True)
    print(f"[py-certs] secret {secret_key.decode() if secret_key else '(none)'}", flush=True)
else:
    sys.exit(f"unknown command {command}")
