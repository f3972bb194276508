import { exerciseModule, exerciseSubject } from "@zmq-patterns/helpers";
import { describe, expect, it } from "vitest";

const { runLongRelay }: typeof import("./solution/relay.ts") = await import(
  exerciseModule(import.meta.url, "relay.ts")
);

const route = (steps: number) => Array.from({ length: steps }, (_, index) => `step${index + 1}`);

describe(`exercise 01, a relay of any length (${exerciseSubject()})`, () => {
  it("relays through three threads, like the Guide's, and the route says so", async () => {
    expect(await runLongRelay({ steps: 3, name: "ex01-three" })).toEqual(route(3));
  });

  it("works with a single step, which signals the main thread directly", async () => {
    expect(await runLongRelay({ steps: 1, name: "ex01-one" })).toEqual(["step1"]);
  });

  it("relays through four threads, twice in a row on the same endpoints", async () => {
    expect(await runLongRelay({ steps: 4, name: "ex01-four" })).toEqual(route(4));
    expect(await runLongRelay({ steps: 4, name: "ex01-four" })).toEqual(route(4));
  });
});
