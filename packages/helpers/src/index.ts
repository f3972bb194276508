// @zmq-patterns/helpers: the catalog's zhelpers. Small on purpose: read it in one sitting.
export { exerciseModule, exerciseSubject } from "./exercise.ts";
export type { FlagDefaults, FlagValue } from "./flags.ts";
export { parseFlags, readFlags, UsageError, usage } from "./flags.ts";
export { describeFrame, formatFrames } from "./frames.ts";
export type { FaultStep, RoleProcess, Scenario } from "./launcher.ts";
export { runScenario, spawnTypeScript, startScenario } from "./launcher.ts";
export type { Endpoints, RoleControl } from "./lifecycle.ts";
export {
  attach,
  closeAndDrain,
  closeOnAbort,
  isMain,
  STOP_GRACE_MS,
  stopOnSignals,
} from "./lifecycle.ts";
export type { Logger } from "./log.ts";
export { roleLog } from "./log.ts";
export type { NetworkHost, TestNetwork } from "./network.ts";
export { createTestNetwork, networkNamespacesUnavailable } from "./network.ts";
export { type PollEvent, Poller } from "./poller.ts";
export { FREE_PORT_RANGE, freePorts, guidePorts } from "./ports.ts";
export { messagesOf } from "./receive.ts";
export { reconnectWhenDropped } from "./reconnect.ts";
export {
  atProcessEnd,
  type ProcessResult,
  type RoleChild,
  type RoleProcessOptions,
  runRoleProcess,
} from "./role-process.ts";
export { type JsonLinesStore, openJsonLinesStore } from "./store.ts";
export * from "./threads.ts";
