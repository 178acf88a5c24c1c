// One time- and count-bounded autocannon run, with exact latency percentiles and CPU shares.
import { clearTimeout, setTimeout } from 'node:timers';
import autocannon from 'autocannon';
import { cpuSnapshot, cpuUsed } from './cpu.js';
import { percentile, round1 } from './stats.js';

// Slack past the run's own duration before a stuck run is stopped from outside.
const WATCHDOG_SLACK_S = 30;
const REQUEST_TIMEOUT_S = 10;

/**
 * Runs `requests` (autocannon request objects) against `url` for `duration` seconds or
 * `maxRequests` requests, whichever comes first. Latencies are of 2xx responses only, as
 * autocannon's; they are kept raw because autocannon's histogram rounds to whole milliseconds.
 */
export async function load({ url, requests, connections, duration, maxRequests, tesseraPid, overallRate }) {
  const latencies = [];
  const before = cpuSnapshot(tesseraPid);
  const instance = autocannon({
    url,
    requests,
    connections,
    duration,
    maxOverallRequests: maxRequests,
    timeout: REQUEST_TIMEOUT_S,
    ...(overallRate ? { overallRate } : {}),
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const watchdog = setTimeout(() => instance.stop(), (duration + WATCHDOG_SLACK_S) * 1000);
  const raw = await instance;
  clearTimeout(watchdog);
  const cpu = cpuUsed(before, cpuSnapshot(tesseraPid));

  return {
    summary: {
      connections,
      seconds: raw.duration,
      ok: raw['2xx'],
      non2xx: raw.non2xx,
      errors: raw.errors,
      timeouts: raw.timeouts,
      statusCodes: raw.statusCodeStats,
      rps: round1(raw['2xx'] / raw.duration),
      p50Ms: round1(percentile(latencies, 50)),
      p99Ms: round1(percentile(latencies, 99)),
      maxMs: round1(percentile(latencies, 100)),
      cpu,
    },
    raw,
  };
}
