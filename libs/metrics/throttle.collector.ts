import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { GuessLimiter, type GuessScope, HashGate } from '../throttle/index.js';

/** The hash gate and the brute-force policy, read from their own counters when scraped. */
@Injectable()
export class ThrottleCollector {
  constructor(@Inject(Registry) registry: Registry, gate: HashGate, guesses: GuessLimiter) {
    const registers = [registry];
    new Gauge({
      name: 'tessera_hash_gate_queue_length',
      help: 'Password hashes waiting for a slot.',
      registers,
      collect() {
        this.set(gate.queued);
      },
    });
    new Gauge({
      name: 'tessera_hash_gate_running',
      help: 'Password hashes computing now.',
      registers,
      collect() {
        this.set(gate.running);
      },
    });
    new Counter({
      name: 'tessera_hash_gate_shed_total',
      help: 'Requests answered 503 because every hash slot was busy and the queue full.',
      registers,
      collect() {
        this.reset();
        this.inc(gate.shed);
      },
    });
    new Counter({
      name: 'tessera_brute_force_refusals_total',
      help: 'Guesses refused over a brute-force budget, by the budget that refused them.',
      labelNames: ['scope'],
      registers,
      collect() {
        this.reset();
        for (const [scope, count] of Object.entries(guesses.refusals())) {
          this.inc({ scope: scope as GuessScope }, count);
        }
      },
    });
  }
}
