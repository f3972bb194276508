// What travels to the mail bin: one frame per post, a JSON object of text fields, and on the
// stats socket one text frame each way. The port of the PULL socket is the seed's (and the
// Guide's pipeline sink's) :5558; the stats port is ours, the first one after the Guide's range.

export const MAILBIN_PORT = 5558;
export const STATS_PORT = 5564;

/** The fields of a sign-up form post, as the seed's faker fills them in. */
export const FORM_FIELDS = [
  "first_name",
  "last_name",
  "email",
  "created_at", // the day of the sign-up, YYYYMMDD
  "ip",
  "user_agent",
  "service_uri",
] as const;

/**
 * A post as the bin stores it: the form's fields plus `id`, the name the post is known by
 * (a faker sends `<faker name>-<sequence>`). A post whose id is already stored is skipped, so a
 * post sent twice is stored once.
 */
export type Post = { id: string } & Record<(typeof FORM_FIELDS)[number], string>;
export const POST_FIELDS = ["id", ...FORM_FIELDS] as const;

/** Longest post the bin reads; a longer one is rejected with a warning, unparsed. */
export const MAX_POST_BYTES = 4096;
/**
 * libzmq itself drops the connection of a peer that sends a larger frame (ZMQ_MAXMSGSIZE),
 * before our code sees it. The limit is per frame, not per message: a post of many frames of
 * this size still reaches the bin (and is rejected); libzmq 4.3 has no limit on a whole message.
 * Against hostile senders: authenticate them, keep the bin off untrusted networks.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/** Stats socket commands: `stats` answers the counts as JSON, `has <id>` answers yes or no. */
export const STATS_COMMAND = "stats";
export const HAS_COMMAND = "has";
export const MAX_COMMAND_BYTES = 256;

/** What `stats` answers: this run's counts, and how many posts the store holds in all. */
export interface BinStats {
  /** Posts fully handled in this run: always stored + duplicates + rejected. */
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  in_store: number;
}
