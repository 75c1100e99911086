import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  kernel: string;
}

export function describeMachine(): MachineInfo {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown';
  const kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  return {
    cpuModel: model,
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    kernel,
  };
}
