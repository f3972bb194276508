// 421, the dice game, as HackaGames plays it. Three dice, up to three rolls: after each roll
// the player says, die by die, `keep` or `roll` (e.g. `keep-keep-roll`); `keep-keep-keep`
// stops early. The dice are always shown sorted, highest first, and scored by the table in
// `combinationScore`. Solo: the score is the points. Duo: player 1 plays, then player 2 may
// roll at most as many times as player 1 did; the better combination scores 1, the other -1.
import { type Pod, pod } from "../pod.ts";
import { forfeitDuel, type GameRules, type Random, roll } from "./rules.ts";
import { missingNode, wrongNode } from "./view.ts";

export type Dice = [number, number, number];

/** One player's go at the dice. `horizon` is how many more rolls it may ask for. */
export interface DiceTurn {
  dice: Dice;
  horizon: number;
  /** Rolls made so far, the first one included. */
  rolls: number;
}

export const ROLLS = 3;
export const DIE_ACTIONS = ["keep", "roll"] as const;
/** Every action: keep or roll for each of the three dice, joined by "-". */
export const FOUR21_ACTIONS: string[] = DIE_ACTIONS.flatMap((a) =>
  DIE_ACTIONS.flatMap((b) => DIE_ACTIONS.map((c) => `${a}-${b}-${c}`)),
);

const sorted = (dice: number[]): Dice => [...dice].sort((a, b) => b - a) as Dice;

/** Points of three dice, as HackaGames scores them (dice sorted highest first). */
export function combinationScore(dice: Dice): number {
  const [high, middle, low] = sorted(dice);
  if (high === 4 && middle === 2 && low === 1) return 800; // 4-2-1
  if (high === 1) return 600; // 1-1-1
  if (middle === 1 && low === 1) return 400 + high; // two aces: 6-1-1 is 406
  if (high === middle && middle === low) return 300 + high; // three of a kind
  if (middle === high - 1 && low === high - 2) return 200 + high; // a run: 6-5-4 is 206
  if (high === 2 && middle === 2 && low === 1) return 0; // 2-2-1, the worst ("nenette")
  return 100 + high;
}

const firstRoll = (random: Random, horizon: number): DiceTurn => ({
  dice: sorted([roll(random), roll(random), roll(random)]),
  horizon,
  rolls: 1,
});

/** Why `label` is not a 421 action, or undefined when it is one. */
export function checkDiceAction(label: string): string | undefined {
  if (FOUR21_ACTIONS.includes(label)) return undefined;
  return `${JSON.stringify(label.slice(0, 40))} is not an action: say keep or roll for each die, joined by "-", e.g. keep-keep-roll`;
}

function playDice(turn: DiceTurn, label: string, random: Random): DiceTurn {
  if (label === "keep-keep-keep") return { ...turn, horizon: 0 }; // stop here
  const choices = label.split("-");
  const dice = turn.dice.map((die, i) => (choices[i] === "roll" ? roll(random) : die));
  return { dice: sorted(dice), horizon: turn.horizon - 1, rolls: turn.rolls + 1 };
}

const diceNodes = (horizon: number, mine: Dice | undefined): Pod[] => [
  pod("Horizon", [horizon]),
  pod("Dices", mine ?? [0, 0, 0], [mine ? combinationScore(mine) : 0]),
];

export const four21Solo: GameRules<DiceTurn> = {
  name: "421-solo",
  players: 1,
  configuration: () => pod("421-Solo"),
  start: (random) => firstRoll(random, ROLLS - 1),
  turn: (state) => (state.horizon > 0 ? 1 : undefined),
  view: (state) => pod("421-Solo", [], [], diceNodes(state.horizon, state.dice)),
  check: (state, seat, action) =>
    state.horizon === 0 || seat !== 1 ? "it is not your turn" : checkDiceAction(action.label),
  play: (state, _seat, action, random) => playDice(state, action.label, random),
  pass: (state) => ({ ...state, horizon: 0 }), // the dice stand as they are
  scores: (state) => [combinationScore(state.dice)],
  forfeit: () => [0],
  describe: (action) => action.label,
};

/** 421 for two: player 1's turn, then player 2's with no more rolls than player 1 used. */
export interface DuoState {
  first: DiceTurn;
  /** Player 2's turn, rolled once player 1 has finished. */
  second?: DiceTurn;
}

const turnOf = (state: DuoState, seat: number): DiceTurn | undefined =>
  seat === 1 ? state.first : state.second;

export const four21Duo: GameRules<DuoState> = {
  name: "421-duo",
  players: 2,
  configuration: () => pod("421-Duo"),
  start: (random) => ({ first: firstRoll(random, ROLLS - 1) }),
  turn: (state) => {
    if (!state.second) return 1;
    return state.second.horizon > 0 ? 2 : undefined;
  },
  view: (state, seat) => {
    const mine = turnOf(state, seat);
    const theirs = turnOf(state, seat === 1 ? 2 : 1);
    return pod(
      "421-Duo",
      [],
      [],
      [
        ...diceNodes(mine?.horizon ?? 0, mine?.dice),
        pod("Opponent", theirs?.dice ?? [0, 0, 0], [theirs ? combinationScore(theirs.dice) : 0]),
      ],
    );
  },
  check: (state, seat, action) =>
    four21Duo.turn(state) !== seat ? "it is not your turn" : checkDiceAction(action.label),
  play: (state, seat, action, random) => {
    if (seat === 2 && state.second)
      return { ...state, second: playDice(state.second, action.label, random) };
    return finishFirst(state, playDice(state.first, action.label, random), random);
  },
  pass: (state, seat, random) => {
    if (seat === 2 && state.second) return { ...state, second: { ...state.second, horizon: 0 } };
    return finishFirst(state, { ...state.first, horizon: 0 }, random);
  },
  scores: (state) => {
    const first = combinationScore(state.first.dice);
    const second = state.second ? combinationScore(state.second.dice) : 0;
    if (first === second) return [0, 0];
    return first > second ? [1, -1] : [-1, 1];
  },
  forfeit: (_state, seat) => forfeitDuel(seat),
  describe: (action) => action.label,
};

/** Once player 1 stops, player 2 rolls, and may roll as many times in all as player 1 did. */
function finishFirst(state: DuoState, first: DiceTurn, random: Random): DuoState {
  if (first.horizon > 0) return { ...state, first };
  return { first, second: firstRoll(random, first.rolls - 1) };
}

// ---- For players: read a 421 view, show it, read a typed move. ----

export interface Four21View {
  game: string;
  horizon: number;
  dice: Dice;
  score: number;
  opponent?: { dice: Dice; score: number };
}

/** A die from 1 to 6, or 0 for dice not rolled yet (the opponent's, before it plays). */
const isDie = (die: number) => Number.isInteger(die) && die >= 0 && die <= 6;

/** Reads a 421 view (solo or duo); a ViewError names the line that is not HackaGames' format. */
export function read421View(state: Pod): Four21View {
  const game = state.label;
  if (game !== "421-Solo" && game !== "421-Duo") {
    wrongNode("421", state, state, 'the root "421-Solo" or "421-Duo"');
  }
  const [horizonNode, diceNode, opponentNode] = state.children;
  if (!horizonNode) missingNode(game, state, state, '"Horizon" with the rolls left');
  if (horizonNode.label !== "Horizon" || horizonNode.integers.length !== 1)
    wrongNode(game, state, horizonNode, '"Horizon" with the rolls left');
  const diceExpected = '"Dices" with three dice (1 to 6, 0 before a roll) and their points';
  if (!diceNode) missingNode(game, state, horizonNode, diceExpected);
  if (
    diceNode.label !== "Dices" ||
    diceNode.integers.length !== 3 ||
    !diceNode.integers.every(isDie)
  )
    wrongNode(game, state, diceNode, diceExpected);
  // In 421-Duo, the opponent's dice are 0 0 0 until it has played.
  const opponentExpected = '"Opponent" with three dice (0 0 0 before it plays) and their points';
  if (game === "421-Duo" && !opponentNode) missingNode(game, state, diceNode, opponentExpected);
  if (
    opponentNode &&
    (opponentNode.label !== "Opponent" ||
      opponentNode.integers.length !== 3 ||
      !opponentNode.integers.every(isDie))
  )
    wrongNode(game, state, opponentNode, opponentExpected);
  const played = opponentNode !== undefined && opponentNode.integers[0] !== 0;
  return {
    game,
    horizon: horizonNode.integers[0]!,
    dice: diceNode.integers as Dice,
    score: diceNode.values[0] ?? 0,
    ...(played
      ? { opponent: { dice: opponentNode.integers as Dice, score: opponentNode.values[0] ?? 0 } }
      : {}),
  };
}

/** Three dice drawn side by side, three lines high. */
export function renderDice(dice: number[]): string[] {
  return [
    dice.map(() => "┌───┐").join(" "),
    dice.map((die) => `│ ${die} │`).join(" "),
    dice.map(() => "└───┘").join(" "),
  ];
}

/** The dice, their points and the rolls left (and the opponent's, in the duo): 3 or 4 lines. */
export function render421(view: Four21View): string {
  const rolls = `${view.horizon} roll${view.horizon === 1 ? "" : "s"} left`;
  const [top, middle, bottom] = renderDice(view.dice);
  const lines = [` ${top}`, ` ${middle}  ${view.score} points`, ` ${bottom}  ${rolls}`];
  if (view.opponent) {
    const { dice, score } = view.opponent;
    lines.push(` opponent: ${dice.join(" ")} (${score} points)`);
  }
  return lines.join("\n");
}

/** A typed move ("keep roll roll", "k r r", "krr", "keep-roll-roll") as an action Pod. */
export function parse421Move(text: string): Pod | string {
  const words = text.trim().toLowerCase();
  const letters = /^[kr]{3}$/.test(words) ? [...words] : words.split(/[\s,-]+/);
  const choices = letters.map((word) => (word === "k" ? "keep" : word === "r" ? "roll" : word));
  const label = choices.join("-");
  return checkDiceAction(label) === undefined
    ? pod(label)
    : "type keep or roll for each of the three dice, e.g. `keep keep roll` (or `kkr`)";
}
