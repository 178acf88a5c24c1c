import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { poolStats } from '../persistence/index.js';

/** The database pool's connections, where the driver keeps a pool (PostgreSQL; not SQLite). */
@Injectable()
export class PoolCollector {
  constructor(@Inject(Registry) registry: Registry, @Inject(DataSource) dataSource: DataSource) {
    if (!poolStats(dataSource)) return;
    const registers = [registry];
    new Gauge({
      name: 'tessera_db_pool_connections',
      help: 'Database connections in the pool, by state (in_use, idle).',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = poolStats(dataSource);
        this.reset();
        if (!stats) return;
        this.set({ state: 'in_use' }, stats.total - stats.idle);
        this.set({ state: 'idle' }, stats.idle);
      },
    });
    new Gauge({
      name: 'tessera_db_pool_waiting',
      help: 'Queries waiting for a pooled database connection.',
      registers,
      collect() {
        this.set(poolStats(dataSource)?.waiting ?? 0);
      },
    });
  }
}
