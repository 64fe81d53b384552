import { readFileSync } from 'node:fs';

/** RLIMIT_NOFILE: how many files and sockets the process may hold open (`ulimit -n`). */
export interface OpenFileLimit {
  soft: number;
  hard: number;
}

/**
 * The process's open-file limit, from /proc/self/limits; undefined where there is none (not Linux).
 * `unlimited` reads as Infinity. Node raises the soft limit to the hard one as it starts, so the soft
 * limit read here is the hard limit the process was given (`ulimit -Hn`, LimitNOFILE).
 * @example openFileLimit() // { soft: 1024, hard: 524288 }
 */
export function openFileLimit(): OpenFileLimit | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const line = text.split('\n').find((entry) => entry.startsWith('Max open files'));
  const [soft, hard] = (line?.slice('Max open files'.length).trim().split(/\s+/) ?? []).map((value) =>
    value === 'unlimited' ? Number.POSITIVE_INFINITY : Number(value),
  );
  if (soft === undefined || hard === undefined || Number.isNaN(soft) || Number.isNaN(hard)) return undefined;
  return { soft, hard };
}
