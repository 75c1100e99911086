/**
 * The y-websocket wire protocol, as spoken by `y-websocket`'s WebsocketProvider: every binary frame starts
 * with a varuint message type. Sync frames carry a y-protocols sync message (step 1, step 2 or update);
 * awareness frames carry an awareness update; a query-awareness frame asks for everyone's state.
 * Any other type (including y-websocket's `auth`, which we do not use) is refused.
 */
export const MESSAGE_TYPES = {
  SYNC: 0,
  AWARENESS: 1,
  AUTH: 2,
  QUERY_AWARENESS: 3,
} as const;

export type MessageType = (typeof MESSAGE_TYPES)[keyof typeof MESSAGE_TYPES];

/** The y-protocols sync sub-types inside a SYNC frame. */
export const SYNC_MESSAGE_TYPES = {
  STEP1: 0,
  STEP2: 1,
  UPDATE: 2,
} as const;
