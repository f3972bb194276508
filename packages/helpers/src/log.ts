// Labelled log lines, so a learner can follow several roles in one terminal:
//   [server] listening on tcp://0.0.0.0:5555
//   [client] W: no reply in 2500 ms, retrying (2 left)
// Warnings and errors carry the Guide's W: and E: prefixes; plain progress has none.

export interface Logger {
  readonly label: string;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function roleLog(label: string): Logger {
  return {
    label,
    info: (message) => console.log(`[${label}] ${message}`),
    warn: (message) => console.log(`[${label}] W: ${message}`),
    error: (message) => console.error(`[${label}] E: ${message}`),
  };
}
