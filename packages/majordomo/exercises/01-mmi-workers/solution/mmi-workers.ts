// Exercise 01: teach the broker a second MMI question, `mmi.workers`: how many workers does
// the service named in the body have? The broker calls this for every `mmi.*` request.
import { answerMmi, type MmiAnswer } from "#src/broker.ts";

export const MMI_WORKERS = "mmi.workers";

export const answerMmiWithWorkers: MmiAnswer = (query, body, broker) => {
  if (query !== MMI_WORKERS) return answerMmi(query, body, broker); // mmi.service, 501 for the rest
  const service = body.at(-1)?.toString() ?? "";
  return String(broker.workersFor(service));
};
