/**
 * The automerge-paper editing trace: 259,778 single-character edits that wrote a LaTeX paper. Replayed
 * into a Y.Doc it becomes a document with a long history, the worst case for a fresh join.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import * as Y from 'yjs';
import { DOC_ROOTS } from '../../shared/document-schema.js';

export const TRACE_PATH = new URL('../../../shared/traces/automerge-paper.json.gz', import.meta.url);

type Patch = [position: number, deleteCount: number, insert: string];

interface EditingTrace {
  startContent: string;
  endContent: string;
  txns: { patches: Patch[] }[];
}

export interface ReplayedTrace {
  /** The whole document as one Yjs update. */
  update: Uint8Array;
  text: string;
  edits: number;
}

let cached: ReplayedTrace | undefined;

export function replayTrace(): ReplayedTrace {
  if (cached) return cached;
  const trace = JSON.parse(gunzipSync(readFileSync(TRACE_PATH)).toString('utf8')) as EditingTrace;
  const doc = new Y.Doc();
  const text = doc.getText(DOC_ROOTS.CODE);
  let edits = 0;
  text.insert(0, trace.startContent);
  for (const txn of trace.txns) {
    doc.transact(() => {
      for (const [position, deleteCount, insert] of txn.patches) {
        if (deleteCount > 0) text.delete(position, deleteCount);
        if (insert.length > 0) text.insert(position, insert);
        edits++;
      }
    });
  }
  const result = text.toString();
  if (result !== trace.endContent) throw new Error('replaying the trace did not produce its endContent');
  cached = { update: Y.encodeStateAsUpdate(doc), text: result, edits };
  doc.destroy();
  return cached;
}
