import { CLOSE_CODES } from '../../../shared/close-codes.js';

const NAMES = new Map<number, string>(Object.entries(CLOSE_CODES).map(([name, code]) => [code, name]));

/** `CLOSE_CODES` name of a code, for logs and metric labels. */
export function closeCodeName(code: number): string {
  return NAMES.get(code) ?? 'OTHER';
}
