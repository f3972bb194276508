import { exerciseModule, exerciseSubject, roleLog } from "@zmq-patterns/helpers";
import { EPHEMERAL, startRole } from "@zmq-patterns/helpers/testing";
import { describe, expect, it } from "vitest";
import { botDefaults, runBot } from "#src/bot.ts";
import { playInArena } from "#src/bots/arena.ts";
import { randomConnect4 } from "#src/bots/connect4.ts";
import { gameServerDefaults, runGameServer } from "#src/game-server.ts";
import {
  COLUMNS,
  columnNumber,
  connect4,
  drop,
  emptyGrid,
  type Grid,
  LINES,
  legalColumns,
  winnerOf,
} from "#src/games/connect4.ts";
import { seededRandom } from "#src/games/rules.ts";
import { runPlayer } from "#src/player.ts";

const { smarterConnect4 }: typeof import("./solution/bot.ts") = await import(
  exerciseModule(import.meta.url, "bot.ts")
);

/** The perception a player gets for `grid`, as the game server sends it. */
const viewOf = (grid: Grid) => connect4.view({ grid, next: 1, winner: 0 }, 1);

/** Every line of four cells on the board, as [line, column] pairs. */
function everyLineOfFour(): [number, number][][] {
  const lines: [number, number][][] = [];
  for (const [up, across] of [
    [0, 1],
    [1, 0],
    [1, 1],
    [1, -1],
  ] as const) {
    for (let line = 0; line < LINES; line++) {
      for (let column = 0; column < COLUMNS; column++) {
        const cells = [0, 1, 2, 3].map((k): [number, number] => [
          line + up * k,
          column + across * k,
        ]);
        if (cells.every(([l, c]) => l >= 0 && l < LINES && c >= 0 && c < COLUMNS))
          lines.push(cells);
      }
    }
  }
  return lines;
}

/**
 * For every line of four and every cell of it left open: `seat` holds the other three, the open
 * cell can be played (the cells under it are filled), nobody has four yet. The discs under the
 * line alternate between the seats by column pair, so they make no line of their own.
 */
function threeInALine(seat: number): { grid: Grid; open: number; line: string }[] {
  const positions: { grid: Grid; open: number; line: string }[] = [];
  for (const cells of everyLineOfFour()) {
    for (const [gap, [gapLine, gapColumn]] of cells.entries()) {
      const grid = emptyGrid();
      const top = new Map<number, number>(); // column -> highest line that must be filled
      for (const [index, [line, column]] of cells.entries()) {
        if (index !== gap) grid[line]![column] = seat;
        top.set(column, Math.max(top.get(column) ?? -1, index === gap ? line - 1 : line));
      }
      for (const [column, highest] of top) {
        for (let line = 0; line <= highest; line++) {
          if (grid[line]![column] === 0)
            grid[line]![column] = (Math.floor(column / 2) + line) % 2 === 0 ? 3 - seat : seat;
        }
      }
      if (winnerOf(grid) !== 0 || grid[gapLine]![gapColumn] !== 0) continue;
      const below = gapLine === 0 || grid[gapLine - 1]![gapColumn] !== 0;
      if (!below) continue;
      positions.push({ grid, open: gapColumn + 1, line: JSON.stringify(cells) });
    }
  }
  return positions;
}

const winsWith = (grid: Grid, column: number, seat: number) =>
  winnerOf(drop(grid, column, seat)) === seat;

describe(`exercise 01, the rules a bot must never miss (${exerciseSubject()})`, () => {
  const random = seededRandom(21);

  it("wins at once whenever it can: every line of four, every open cell, either seat", () => {
    let checked = 0;
    for (const seat of [1, 2]) {
      for (const { grid, line } of threeInALine(seat)) {
        const move = columnNumber(smarterConnect4(viewOf(grid), seat, random).label)!;
        expect(legalColumns(grid), `seat ${seat}, line ${line}`).toContain(move);
        expect(winsWith(grid, move, seat), `seat ${seat} can win at once (line ${line})`).toBe(
          true,
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("blocks the opponent's four when it cannot win itself: every line, every open cell", () => {
    let checked = 0;
    for (const seat of [1, 2]) {
      const opponent = 3 - seat;
      for (const { grid, line } of threeInALine(opponent)) {
        if (legalColumns(grid).some((column) => winsWith(grid, column, seat))) continue;
        const threats = legalColumns(grid).filter((column) => winsWith(grid, column, opponent));
        if (threats.length !== 1) continue; // two threats cannot both be blocked
        const move = columnNumber(smarterConnect4(viewOf(grid), seat, random).label);
        expect(move, `seat ${seat} must block (line ${line})`).toBe(threats[0]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it("prefers its own win to a block", () => {
    // Seat 1 has three across the bottom (columns A-C), seat 2 three up column G.
    let grid = emptyGrid();
    for (const column of [1, 2, 3]) grid = drop(grid, column, 1);
    for (let k = 0; k < 3; k++) grid = drop(grid, 7, 2);
    expect(smarterConnect4(viewOf(grid), 1, random).label).toBe("D");
    expect(smarterConnect4(viewOf(grid), 2, random).label).toBe("G");
  });
});

describe(`exercise 01, a Connect 4 bot that beats random (${exerciseSubject()})`, () => {
  it("wins clearly over 40 games against the random bot (no sockets)", () => {
    const [mine, theirs] = playInArena(connect4, [smarterConnect4, randomConnect4], 40, 11);
    expect(mine).toBeGreaterThanOrEqual(30);
    expect(mine! + theirs!).toBe(0);
  });

  it("wins a real session over ZeroMQ against the random bot", async () => {
    const server = startRole(runGameServer, {
      ...gameServerDefaults,
      bind: [EPHEMERAL],
      publish: [],
      game: "connect4",
      games: 4,
      sessions: 1,
      seed: 3,
    });
    try {
      const [endpoint] = await server.ready;
      const random = seededRandom(5);
      const [mine] = await Promise.all([
        runPlayer({ connect: [endpoint!], bind: [] }, roleLog("smarter"), (turn) =>
          smarterConnect4(turn.state, turn.seat, random),
        ),
        runBot({ ...botDefaults, connect: [endpoint!], strategy: "random", seed: 9 }),
      ]);
      expect(mine.ended).toBe("stop");
      expect(mine.results.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await server.stop();
    }
  });
});
