// Preloaded into the capacity scenario's app process (with --expose-gc): SIGUSR2 runs a full
// garbage collection, so that heap figures after closing streams show what is still held,
// not garbage waiting for the collector. The app's own code is unchanged.
process.on('SIGUSR2', () => globalThis.gc?.());
