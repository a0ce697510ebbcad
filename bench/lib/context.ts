import type { AppProcess } from './app.ts';
import type { BenchDatabase } from './pg.ts';
import type { World } from './seed.ts';
import type { Settings } from './settings.ts';

/** What every scenario gets: the database, the app under test, the seeded users and the settings. */
export interface Bench {
  db: BenchDatabase;
  app: AppProcess;
  world: World;
  settings: Settings;
  /** Starts another app process on the same database (stopped by the caller). */
  startApp(extraArgs?: string[]): Promise<AppProcess>;
}
