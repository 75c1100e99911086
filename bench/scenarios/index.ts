import type { Scenario } from '../lib/scenario.js';
import { BIG_DOC_JOIN } from './big-doc-join.js';
import { COST_PER_EDIT } from './cost-per-edit.js';
import { FAN_OUT_SCENARIOS } from './fan-out.js';
import { MANY_SESSIONS } from './many-sessions.js';

/** Every scenario, in the order a full run measures them. */
export const SCENARIOS: readonly Scenario[] = [
  ...FAN_OUT_SCENARIOS,
  COST_PER_EDIT,
  MANY_SESSIONS,
  BIG_DOC_JOIN,
];
