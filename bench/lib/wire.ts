/**
 * The two wire dialects the load generator speaks. Both carry the same y-protocols messages (sync and
 * awareness); Hocuspocus prefixes every frame with the document name, wants an authentication message
 * before anything else, answers sync step 1 with a "sync reply" type and acknowledges each update with a
 * sync-status frame.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TYPES } from '../../shared/protocol.js';

export interface IncomingMessage {
  /** A y-websocket message type (`MESSAGE_TYPES`). */
  type: number;
  /** Positioned after the type. */
  decoder: decoding.Decoder;
}

export interface Dialect {
  readonly name: 'y-websocket' | 'hocuspocus';
  /** The WebSocket URL of a room, given the server's base URL (`ws://host:port`) and the room path. */
  url(base: string, roomPath: string, room: string): string;
  /** An encoder with the frame prefix already written; the caller writes the message type next. */
  startFrame(room: string): encoding.Encoder;
  /** Frames the client sends right after the socket opens, before its sync step 1. */
  openingFrames(room: string): Uint8Array[];
  /** The y-websocket message in a frame, or null for frames that only the dialect cares about. */
  read(frame: Uint8Array): IncomingMessage | null;
}

export const Y_WEBSOCKET: Dialect = {
  name: 'y-websocket',
  url: (base, roomPath) => `${base}${roomPath}`,
  startFrame: () => encoding.createEncoder(),
  openingFrames: () => [],
  read(frame) {
    const decoder = decoding.createDecoder(frame);
    return { type: decoding.readVarUint(decoder), decoder };
  },
};

/** Hocuspocus message types beyond the y-websocket ones (`@hocuspocus/server` MessageType). */
const HOCUSPOCUS_TYPES = {
  SYNC_REPLY: 4,
  STATELESS: 5,
  CLOSE: 7,
  SYNC_STATUS: 8,
} as const;

/** Sub-types of a Hocuspocus AUTH message (`@hocuspocus/common` AuthMessageType). */
const HOCUSPOCUS_AUTH = { TOKEN: 0, PERMISSION_DENIED: 1, AUTHENTICATED: 2 } as const;

export const HOCUSPOCUS: Dialect = {
  name: 'hocuspocus',
  url: (base) => base,
  startFrame(room) {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, room);
    return encoder;
  },
  openingFrames(room) {
    const encoder = this.startFrame(room);
    encoding.writeVarUint(encoder, MESSAGE_TYPES.AUTH);
    encoding.writeVarUint(encoder, HOCUSPOCUS_AUTH.TOKEN);
    encoding.writeVarString(encoder, '');
    return [encoding.toUint8Array(encoder)];
  },
  read(frame) {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_TYPES.SYNC || type === HOCUSPOCUS_TYPES.SYNC_REPLY) {
      return { type: MESSAGE_TYPES.SYNC, decoder };
    }
    if (type === MESSAGE_TYPES.AWARENESS) return { type, decoder };
    if (type === MESSAGE_TYPES.AUTH) {
      const authType = decoding.readVarUint(decoder);
      if (authType === HOCUSPOCUS_AUTH.PERMISSION_DENIED) {
        throw new Error(`hocuspocus refused the connection: ${decoding.readVarString(decoder)}`);
      }
      return null;
    }
    if (type === HOCUSPOCUS_TYPES.SYNC_STATUS || type === HOCUSPOCUS_TYPES.STATELESS) return null;
    if (type === HOCUSPOCUS_TYPES.CLOSE) throw new Error('hocuspocus closed the document');
    throw new Error(`unexpected hocuspocus message type ${type}`);
  },
};
