const started = Date.now();

/** One line per phase on stderr, with the seconds since the run started. */
export function phase(message: string) {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
