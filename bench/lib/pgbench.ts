import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { perSecond, summarize, type Summary } from './stats.ts';

const run = promisify(execFile);

/** pgbench on PATH, else under /usr/lib/postgresql/<version>/bin (newest first). */
export function findPgbench(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'pgbench'))) return join(dir, 'pgbench');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => join(root, v, 'bin', 'pgbench')).find(existsSync);
}

export async function pgbenchVersion(bin: string) {
  return (await run(bin, ['--version'])).stdout.trim();
}

export interface PgbenchResult {
  ok: number;
  failed: number;
  perSecond: number;
  latency: Summary;
}

/**
 * Runs a pgbench `script` (the order transaction: bench/lib/place-order-script.ts) with `clients`
 * connections for `seconds` (prepared statements, like postgres.js) and reads each transaction's
 * latency from pgbench's per-transaction log.
 */
export async function runPgbench(bin: string, url: string, script: string, opts: { clients: number; seconds: number; customers: number; products: number }): Promise<PgbenchResult> {
  const u = new URL(url);
  const logs = mkdtempSync(join(tmpdir(), 'orderbell-pgbench-'));
  try {
    const scriptFile = join(logs, 'place-order.sql');
    writeFileSync(scriptFile, script);
    const { stdout } = await run(
      bin,
      ['-n', '-M', 'prepared', '-c', String(opts.clients), '-j', '2', '-T', String(opts.seconds), '-f', scriptFile,
        '-D', `customers=${opts.customers}`, '-D', `products=${opts.products}`, '-l', '--log-prefix', join(logs, 'tx'),
        '-h', u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username), u.pathname.slice(1)],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, maxBuffer: 1 << 24 },
    );
    const latencies: number[] = [];
    let failed = 0;
    for (const file of readdirSync(logs).filter((f) => f.startsWith('tx'))) {
      for (const line of readFileSync(join(logs, file), 'utf8').split('\n')) {
        const f = line.split(' ');
        if (f.length < 6) continue;
        if (f[2] === 'failed' || f[2] === 'skipped') failed++;
        else latencies.push(Number(f[2]) / 1000);
      }
    }
    const failedLine = Number(stdout.match(/number of failed transactions: (\d+)/)?.[1] ?? 0);
    const tps = Number(stdout.match(/tps = ([\d.]+)/)?.[1] ?? NaN);
    return { ok: latencies.length, failed: Math.max(failed, failedLine), perSecond: Number.isNaN(tps) ? perSecond(latencies.length, opts.seconds * 1000) : Math.round(tps), latency: summarize(latencies) };
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
}
