import { type TesseraProcess } from './tessera-process.js';

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * How long the server took for each request (by `X-Request-ID`), from its access log: the time a
 * client on another machine would see, without this machine's client-side noise.
 */
export async function serverDurations(
  tessera: TesseraProcess,
  path: string,
  requestIds: string[],
): Promise<number[]> {
  for (let tries = 0; ; tries++) {
    const byId = new Map(
      tessera
        .logs()
        .filter((line) => line['msg'] === 'request completed' && line['path'] === path)
        .map((line) => [line['request_id'], Number(line['duration_ms'])]),
    );
    const durations = requestIds.map((id) => byId.get(id));
    if (durations.every((d) => d !== undefined)) return durations as number[];
    if (tries > 20) throw new Error(`no access log line for ${requestIds.find((id) => !byId.has(id))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
