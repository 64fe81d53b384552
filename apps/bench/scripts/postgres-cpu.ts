import { readdir, readFile } from 'node:fs/promises';

const tick = 100; // USER_HZ: /proc/<pid>/stat counts CPU in hundredths of a second

/** CPU seconds of every process whose command line names the cluster's data dir, or descends from one. */
export async function postgresCpu(dataDir: string): Promise<number> {
  const stats = new Map<number, { ppid: number; cpu: number; ours: boolean }>();
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      stats.set(pid, {
        ppid: Number(fields[1]),
        cpu: (Number(fields[11]) + Number(fields[12])) / tick,
        ours: cmdline.includes(dataDir),
      });
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const [, s] of stats) if (s.ours || stats.get(s.ppid)?.ours) total += s.cpu;
  return total;
}
