import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Runs a full garbage collection (twice, so objects freed by finalisers of the first go too). */
export function collectGarbage(): void {
  collect();
  collect();
}

/** Heap in use after a full garbage collection, so comparisons measure what is retained. */
export function retainedHeapBytes(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}
