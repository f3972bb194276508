// Exercise 01: teach the broker a second MMI question, `mmi.workers`: how many workers does
// the service named in the body have? The broker calls this for every `mmi.*` request.
import { answerMmi, type MmiAnswer } from "#src/broker.ts";

export const MMI_WORKERS = "mmi.workers";

export const answerMmiWithWorkers: MmiAnswer = (query, body, broker) => {
  // TODO: for `mmi.workers`, answer the number of live workers for the service named in the
  // body's last frame, in decimal ("0" when it has none). Leave every other query to answerMmi.
  return answerMmi(query, body, broker);
};
