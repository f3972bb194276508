#!/usr/bin/env python3
"""A HackaGames 0.5 player written from the protocol alone, with pyzmq and nothing else.

It plays what HackaGames' own first bots play, and reads the views the way they do: Connect 4
(`Connect4`, seven `column-X` children, each column's cells from the bottom; it answers a
column letter), the classic Tic-tac-toe (`Grid`, `Line-A`..`Line-C` read by their names, then
`Targets` last; it answers `B-2`) and 421 (`Horizon`, `Dices`; it answers keep or roll for each
die). Random moves, but only legal ones.

    python3 interop/hackagames_player.py --connect tcp://localhost:1400 [--seed 1]

It prints one line per game ("game over: result 1") and, at the end, "results 1 -1 ...".
"""
import argparse
import random

import zmq


def read_pod(lines):
    """A Pod from its text lines, depth first: '<label length> <ints> <values> <children> : ...'."""
    line = lines.pop(0)
    head, data = line.split(" : ", 1)
    label_length, n_integers, n_values, n_children = (int(word) for word in head.split(" "))
    label = data[:label_length]
    words = data[label_length + 1:].split(" ") if len(data) > label_length else []
    assert len(words) == n_integers + n_values, f"bad node line: {line!r}"
    node = {
        "label": label,
        "integers": [int(word) for word in words[:n_integers]],
        "values": [float(word) for word in words[n_integers:]],
        "children": [],
    }
    for _ in range(n_children):
        node["children"].append(read_pod(lines))
    return node


def action(label):
    """An action is a bare Pod: just a label."""
    return f"{len(label)} 0 0 0 : {label}"


def decide(game, state, rng):
    if game == "Connect4":
        # A column with room has an empty top cell; its letter ends the child's label.
        free = [c["label"][-1] for c in state["children"] if c["integers"][-1] == 0]
        return rng.choice(free)
    if game == "TicTacToe-Classic":
        *lines, targets = state["children"]
        assert targets["label"] == "Targets" and targets["integers"] == [1], targets
        free = [
            f"{line['label'].split('-')[1]}-{cell + 1}"
            for line in lines
            for cell, mark in enumerate(line["integers"])
            if mark == 0
        ]
        return rng.choice(free)
    if game.startswith("421-"):
        return "-".join(rng.choice(["keep", "roll"]) for _ in range(3))
    raise SystemExit(f"this player cannot play {game!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", default="tcp://localhost:1400")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)

    socket = zmq.Context.instance().socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(options.connect)
    socket.send_string("player")
    answer = socket.recv_string()
    if answer != "yes":
        raise SystemExit(f"the game has no seat for us: {answer!r}")
    print("joined the game", flush=True)
    socket.send_string("ready")

    game, results = "", []
    while True:
        command, *lines = socket.recv_string().split("\n")
        if command == "wake-up":
            game = read_pod(lines[1:])["label"]  # lines[0]: "player 1 on 2"
            print(f"woke up: {lines[0]} at {game}", flush=True)
            socket.send_string("ready")
        elif command == "perception":
            label = decide(game, read_pod(lines), rng)
            print(f"plays {label}", flush=True)
            socket.send_string(action(label))
        elif command == "sleep":
            results.append(float(lines[0].split(" ")[1]))  # "result 1"
            read_pod(lines[1:])  # the final view: it must be well formed too
            print(f"game over: result {lines[0].split(' ')[1]}", flush=True)
            socket.send_string("ready")
        elif command == "stop":
            print("results " + " ".join(f"{result:g}" for result in results), flush=True)
            break
        else:
            raise SystemExit(f"unexpected message: {command!r}")
    socket.close()


if __name__ == "__main__":
    main()
