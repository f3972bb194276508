import { exerciseModule, exerciseSubject, roleLog } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { Request } from "zeromq";
import { gameServerDefaults, runGameServer } from "#src/game-server.ts";
import { seededRandom } from "#src/games/rules.ts";
import { freeCells, readTicTacToeView, renderTicTacToe } from "#src/games/tictactoe-view.ts";
import { runPlayer } from "#src/player.ts";
import { encodePod, pod } from "#src/pod.ts";

const { tictactoe }: typeof import("./solution/tictactoe.ts") = await import(
  exerciseModule(import.meta.url, "tictactoe.ts")
);

const noDice = () => 0;

/** The cells as HackaGames names them; cell k (1 to 9) of the tests below is CELLS[k - 1]. */
const CELLS = ["A-1", "A-2", "A-3", "B-1", "B-2", "B-3", "C-1", "C-2", "C-3"];
const label = (cell: number) => CELLS[cell - 1]!;

/** Plays cells (1 is A-1, 9 is C-3) in turn from the start, seat 1 first. */
function playCells(...cellsPlayed: number[]) {
  let state = tictactoe.start(noDice);
  for (const cell of cellsPlayed) {
    const seat = tictactoe.turn(state)!;
    expect(tictactoe.check(state, seat, pod(label(cell)))).toBeUndefined();
    state = tictactoe.play(state, seat, pod(label(cell)), noDice);
  }
  return state;
}

/** HackaGames' eight rows of three: each line, each cell number across, the two diagonals. */
const ROWS_OF_THREE = [
  [1, 2, 3], // A-1 A-2 A-3
  [4, 5, 6],
  [7, 8, 9],
  [1, 4, 7], // A-1 B-1 C-1
  [2, 5, 8],
  [3, 6, 9],
  [1, 5, 9], // A-1 B-2 C-3
  [3, 5, 7], // A-3 B-2 C-1
];
const hasRow = (cells: number[]) =>
  ROWS_OF_THREE.some((row) => row.every((cell) => cells.includes(cell)));

/**
 * A game in which `seat` fills `row` (in that order) and wins with its last mark, while the
 * other seat plays the lowest free cells that make no row of its own.
 */
function gameWon(row: number[], seat: number): number[] {
  const mine: number[] = [];
  const theirs: number[] = [];
  const moves: number[] = [];
  for (let move = 0; mine.length < 3; move++) {
    const seatToPlay = move % 2 === 0 ? 1 : 2;
    if (seatToPlay === seat) {
      mine.push(row[mine.length]!);
      moves.push(mine.at(-1)!);
    } else {
      const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter(
        (cell) => !moves.includes(cell) && !row.includes(cell) && !hasRow([...theirs, cell]),
      );
      theirs.push(free[0]!);
      moves.push(free[0]!);
    }
  }
  return moves;
}

/**
 * A player written from HackaGames' format alone, as their Tic-tac-toe bot plays: a REQ socket
 * that reads the text by hand (the lines by their names, the Targets node last) and answers a
 * random free cell. It throws on anything that is not that format.
 */
async function hackagamesStyleBot(endpoint: string, seed: number) {
  const random = seededRandom(seed);
  const socket = new Request({ linger: 0 });
  socket.connect(endpoint);
  const say = async (text: string) => {
    await socket.send(text);
    return String((await socket.receive())[0]);
  };
  const sent: string[] = [];
  const results: number[] = [];
  /** The lines by letter, from a view's text: Grid, Line-A..C, then Targets (all 1: classic). */
  const readGrid = (body: string[]) => {
    expect(body[0]).toBe("4 0 0 4 : Grid");
    const grid = new Map<string, number[]>();
    for (const line of body.slice(1, -1)) {
      const match = /^6 3 0 0 : Line-([ABC]) ([012]) ([012]) ([012])$/.exec(line);
      if (!match) throw new Error(`not a Tic-tac-toe line: ${line}`);
      grid.set(match[1]!, match.slice(2).map(Number));
    }
    expect([...grid.keys()]).toEqual(["A", "B", "C"]);
    expect(body.at(-1)).toBe("7 1 0 0 : Targets 1");
    return grid;
  };
  try {
    expect(await say("player")).toBe("yes");
    let reply = await say("ready");
    while (reply !== "stop") {
      const [command, ...rest] = reply.split("\n");
      if (command === "wake-up") {
        expect(rest[1]).toBe("17 0 0 0 : TicTacToe-Classic");
        reply = await say("ready");
      } else if (command === "perception") {
        const grid = readGrid(rest);
        const free = [...grid].flatMap(([letter, cells]) =>
          cells.flatMap((mark, i) => (mark === 0 ? [`${letter}-${i + 1}`] : [])),
        );
        const cell = free[Math.floor(random() * free.length)]!;
        sent.push(cell);
        reply = await say(`${cell.length} 0 0 0 : ${cell}`);
      } else if (command === "sleep") {
        results.push(Number(rest[0]!.replace("result ", "")));
        readGrid(rest.slice(1));
        reply = await say("ready");
      } else {
        throw new Error(`unexpected message: ${reply}`);
      }
    }
    return { sent, results };
  } finally {
    socket.close();
  }
}

describe(`exercise 02, Tic-tac-toe in HackaGames' format (${exerciseSubject()})`, () => {
  it("ends on each of the eight rows, for either seat, and not a move before", () => {
    for (const row of ROWS_OF_THREE) {
      for (const seat of [1, 2]) {
        const moves = gameWon(row, seat);
        const before = playCells(...moves.slice(0, -1));
        const named = row.map(label).join(" ");
        expect(tictactoe.turn(before), `before ${seat} completes ${named}`).toBe(seat);
        expect(tictactoe.scores(before), `nobody has won before ${moves}`).toEqual([0, 0]);
        const after = playCells(...moves);
        expect(tictactoe.turn(after), `seat ${seat} completed ${named}`).toBeUndefined();
        expect(tictactoe.scores(after), `seat ${seat} won with ${named}`).toEqual(
          seat === 1 ? [1, -1] : [-1, 1],
        );
      }
    }
  });

  it("scores a win on the ninth mark as a win, not a draw", () => {
    const full = playCells(1, 2, 3, 5, 4, 6, 8, 9, 7); // seat 1 ends with A-1 B-1 C-1
    expect(tictactoe.turn(full)).toBeUndefined();
    expect(tictactoe.scores(full)).toEqual([1, -1]);
  });

  it("refuses every action that is not exactly one of the cells A-1 to C-3", () => {
    const state = tictactoe.start(noDice);
    const notCells = ["b-2", "B2", "B-02", " B-2", "B-2 ", "D-1", "A-0", "A-4", "B--2", "", "5"];
    for (const text of [...notCells, "x", "Line-B", "2-B", "B-2-1"]) {
      expect(tictactoe.check(state, 1, pod(text)), JSON.stringify(text)).toBe(
        `${JSON.stringify(text)} is not a cell: send a line and a cell, A-1 to C-3`,
      );
    }
    for (let cell = 1; cell <= 9; cell++) {
      expect(tictactoe.check(state, 1, pod(label(cell)))).toBeUndefined();
      expect(tictactoe.check(playCells(cell), 2, pod(label(cell)))).toBe(`${label(cell)} is taken`);
    }
  });

  it("speaks HackaGames' format: TicTacToe-Classic, a Grid of Line-A to Line-C, then Targets", () => {
    expect(encodePod(tictactoe.configuration())).toBe("17 0 0 0 : TicTacToe-Classic");
    const state = playCells(1, 9, 6); // seat 1: A-1 and B-3; seat 2: C-3
    expect(tictactoe.turn(state)).toBe(2);
    for (const seat of [1, 2]) {
      expect(encodePod(tictactoe.view(state, seat)).split("\n")).toEqual([
        "4 0 0 4 : Grid",
        "6 3 0 0 : Line-A 1 0 0",
        "6 3 0 0 : Line-B 0 0 1",
        "6 3 0 0 : Line-C 0 0 2",
        "7 1 0 0 : Targets 1",
      ]);
    }
    // Our players read and draw it (A, B, C across, the cell numbers down, as HackaGames does).
    expect(renderTicTacToe(readTicTacToeView(tictactoe.view(state, 1))).split("\n")).toEqual([
      "    A   B   C",
      " 1  x │   │  ",
      "   ───┼───┼───",
      " 2    │   │  ",
      "   ───┼───┼───",
      " 3    │ x │ o",
    ]);
  });

  it("says why a move is refused", () => {
    const state = playCells(5);
    expect(tictactoe.check(state, 2, pod("B-2"))).toBe("B-2 is taken");
    expect(tictactoe.check(state, 2, pod("x"))).toBe(
      '"x" is not a cell: send a line and a cell, A-1 to C-3',
    );
    expect(tictactoe.check(state, 1, pod("A-1"))).toBe("it is not your turn");
  });

  it("calls a full grid with no row a draw; forfeits and passes", () => {
    const full = playCells(1, 2, 3, 5, 4, 6, 8, 7, 9);
    expect(tictactoe.turn(full)).toBeUndefined();
    expect(tictactoe.scores(full)).toEqual([0, 0]);
    const start = tictactoe.start(noDice);
    expect(tictactoe.forfeit(start, 1)).toEqual([-1, 1]);
    expect(tictactoe.forfeit(start, 2)).toEqual([1, -1]);
    expect(tictactoe.turn(tictactoe.pass(start, 1, noDice))).toBe(2);
  });

  it("runs on the real game server: players reading our Pods, and HackaGames-style bots", async () => {
    const server = startRole(
      (options: typeof gameServerDefaults) => runGameServer(options, tictactoe),
      { ...gameServerDefaults, bind: [EPHEMERAL], publish: [], games: 2, sessions: 2 },
    );
    // If the rules throw, the server stops: fail at once rather than wait for the players.
    const unlessServerFails = <T>(players: Promise<T>) =>
      Promise.race([players, server.done.then(() => new Promise<T>(() => {}))]);
    try {
      const [endpoint] = await server.ready;
      // Session 1: the first free cell, read through our Pod reader.
      const firstFree = runPlayer(
        { connect: [endpoint!], bind: [] },
        roleLog("first-free"),
        (turn) => pod(freeCells(readTicTacToeView(turn.state))[0]!),
      );
      const players = [
        firstFree,
        runPlayer({ connect: [endpoint!], bind: [] }, roleLog("other"), (turn) =>
          pod(freeCells(readTicTacToeView(turn.state))[0]!),
        ),
      ];
      const summaries = await unlessServerFails(Promise.all(players));
      for (const summary of summaries) expect(summary.results.sort()).toEqual([-1, 1]);

      // Session 2: two bots that know only HackaGames' text format.
      const bots = await unlessServerFails(
        Promise.all([hackagamesStyleBot(endpoint!, 3), hackagamesStyleBot(endpoint!, 4)]),
      );
      const [first, second] = await server.done;
      // First free cell against itself: seat 1 wins on A-3 B-2 C-1 at its fourth mark.
      for (const game of first!.games) {
        expect(game.scores).toEqual([1, -1]);
        expect(game.moves.map((move) => move.action)).toEqual(CELLS.slice(0, 7));
      }
      expect(second!.games).toHaveLength(2);
      expect(bots).toHaveLength(2);
      const sent = bots.flatMap((bot) => bot.sent).sort();
      const played = second!.games.flatMap((game) => game.moves.map((move) => move.action)).sort();
      expect(played).toEqual(sent); // every action they sent was accepted, none refused
      for (const game of second!.games) expect(game.forfeit).toBeUndefined();
      expect(bots.flatMap((bot) => bot.results).sort()).toEqual(
        second!.games.flatMap((game) => game.scores).sort(),
      );
    } finally {
      await server.stop();
    }
  });
});
