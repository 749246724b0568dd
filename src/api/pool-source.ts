/**
 * Where the library's functions get a Blender pool: one the caller passes, one started lazily on
 * first use and kept (SharedPool — the MCP server keeps its workers warm this way), or, when
 * neither is given, a pool for the one call that is closed after it (what a CLI command wants).
 */
import { BlenderPool, type PoolOptions } from "../blender/pool.ts";

export class SharedPool {
  private pool: Promise<BlenderPool> | null = null;

  constructor(private readonly options: PoolOptions = {}) {}

  /** The pool, started on the first call; a start that failed is retried by the next call. */
  get(): Promise<BlenderPool> {
    if (!this.pool) {
      this.pool = BlenderPool.start(this.options);
      this.pool.catch(() => {
        this.pool = null;
      });
    }
    return this.pool;
  }

  get started(): boolean {
    return this.pool !== null;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await (await pool).close();
  }
}

export type PoolSource = BlenderPool | SharedPool;

export interface PoolChoice {
  /** A pool to use; without one, each call starts its own and closes it. */
  pool?: PoolSource;
  /** Options for the pool a call starts for itself. */
  poolOptions?: PoolOptions;
}

export async function withPool<T>(choice: PoolChoice, use: (pool: BlenderPool) => Promise<T>): Promise<T> {
  if (choice.pool instanceof SharedPool) return use(await choice.pool.get());
  if (choice.pool) return use(choice.pool);
  const pool = await BlenderPool.start(choice.poolOptions);
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}
