// Who used the cores during a load run: tessera, PostgreSQL, this load generator, or anything
// else. On a small shared machine that decides how far the numbers can be trusted.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// /proc reports times in USER_HZ, fixed at 100 on Linux for every mainstream architecture.
const TICKS_PER_SECOND = 100;

function readStat(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // the process ended between listing and reading
  }
}

// utime + stime of all the process's threads (the argon2 thread pool included).
function processTicks(stat) {
  // The command name may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function machineBusyTicks() {
  // user nice system idle iowait irq softirq steal; idle and iowait are not busy time.
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** CPU ticks a process has used so far, for processes that end before the next snapshot. */
export function processCpuTicks(pid) {
  const stat = readStat(pid);
  return stat === null ? 0 : processTicks(stat);
}

/** CPU ticks one thread of a process has used so far (the main thread: `tid` = `pid`). */
export function threadCpuTicks(pid, tid = pid) {
  const stat = readStat(`${pid}/task/${tid}`);
  return stat === null ? 0 : processTicks(stat);
}

/** CPU counters now; pass two of them to cpuUsed. */
export function cpuSnapshot(tesseraPid) {
  const processes = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(name);
    if (stat === null) continue;
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const pid = Number(name);
    const group = pid === tesseraPid ? 'tessera' : comm === 'postgres' ? 'postgres' : null;
    if (group) processes.set(pid, { group, ticks: processTicks(stat) });
  }
  return { at: performance.now(), processes, machine: machineBusyTicks(), self: process.cpuUsage() };
}

const round = (value) => Math.round(value * 100) / 100;

/**
 * Average cores busy between two snapshots, per consumer; `other` is the rest of the machine.
 * `endedTesseraTicks` adds tessera processes that started and ended in between.
 */
export function cpuUsed(before, after, endedTesseraTicks = 0) {
  const seconds = (after.at - before.at) / 1000;
  const ticks = { tessera: endedTesseraTicks, postgres: 0 };
  for (const [pid, { group, ticks: now }] of after.processes) {
    ticks[group] += now - (before.processes.get(pid)?.ticks ?? 0);
  }
  const tessera = ticks.tessera / TICKS_PER_SECOND / seconds;
  const postgres = ticks.postgres / TICKS_PER_SECOND / seconds;
  const selfMicros = after.self.user + after.self.system - before.self.user - before.self.system;
  const bench = selfMicros / 1e6 / seconds;
  const machine = (after.machine - before.machine) / TICKS_PER_SECOND / seconds;
  return {
    tessera: round(tessera),
    postgres: round(postgres),
    bench: round(bench),
    other: round(Math.max(0, machine - tessera - postgres - bench)),
    machine: round(machine),
  };
}
