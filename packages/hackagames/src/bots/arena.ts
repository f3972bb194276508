// Plays brains against each other with no sockets at all: the same loop as the game server
// (whose turn, view, check, play, scores; seats swapped between games), for tests and for
// trying a bot quickly.
import type { AnyGame } from "../games/rules.ts";
import { seededRandom } from "../games/rules.ts";
import type { Brain } from "./index.ts";

/** Plays `games` games; returns each brain's total score (in the order given). */
export function playInArena(game: AnyGame, brains: Brain[], games: number, seed = 1): number[] {
  const random = seededRandom(seed);
  const totals = brains.map(() => 0);
  for (let round = 0; round < games; round++) {
    // Seat s is held by brain (s - 1 + round) mod N: the seats rotate between games.
    const brainAt = (seat: number) => (seat - 1 + round) % brains.length;
    let state = game.start(random);
    for (let seat = game.turn(state); seat !== undefined; seat = game.turn(state)) {
      const action = brains[brainAt(seat)]!(game.view(state, seat), seat, random);
      const problem = game.check(state, seat, action);
      if (problem) throw new Error(`brain ${brainAt(seat) + 1} made an illegal move: ${problem}`);
      state = game.play(state, seat, action, random);
    }
    game.scores(state).forEach((score, i) => {
      totals[brainAt(i + 1)]! += score;
    });
  }
  return totals;
}
