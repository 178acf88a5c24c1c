import type { AttemptLimiter, LimitedKey, LimitRule } from './attempt-limiter.service.js';
import { TooManyAttemptsError } from './throttle.errors.js';

export interface GuessBudget {
  limit: number;
  windowMs: number;
}

/** What a client may get wrong before it is refused; only failures spend. */
export interface GuessBudgets {
  /** Failures per identifier from one client address (`security.brute_force.per_identifier`). */
  identifierAddress: GuessBudget;
  /** Failures per identifier from every address together, since its last success (`per_identifier_total`). */
  identifier: GuessBudget;
  /** Failures per client address, whatever the identifier or method (`per_ip`). */
  address: GuessBudget;
}

const MINUTE = 60_000;

export const DEFAULT_GUESS_BUDGETS: GuessBudgets = {
  identifierAddress: { limit: 10, windowMs: 15 * MINUTE },
  identifier: { limit: 100, windowMs: 24 * 60 * MINUTE },
  address: { limit: 100, windowMs: 15 * MINUTE },
};

export type GuessScope = 'identifier_address' | 'identifier' | 'address';

export interface GuessRefusalLog {
  warn(message: string, fields: object): void;
}

export interface Guess {
  /** The credential being guessed: `password`, `totp`, `lookup_secret`, `login_code`, … */
  method: string;
  /** Whose secret: a normalised identifier, an identity id, a flow id. Stored only hashed. */
  identifier: string;
  /** The client address; null counts the identifier alone. */
  ip: string | null;
  /**
   * Asked only once the identifier-wide ceiling is full: true when the address is one the owner
   * signed in from before. Such an address is let past the ceiling (its own identifier + address
   * budget still holds), so a guesser spread over other addresses cannot lock the owner out.
   */
  knownAddress?: () => Promise<boolean>;
}

/**
 * The brute-force policy for every secret that can be guessed. Before the secret is checked, the
 * guess takes a failure slot in three budgets (identifier + address, identifier, address); a full
 * one refuses it with `TooManyAttemptsError`, before any hash. A wrong guess keeps its slots. A
 * right one gives the address slot back and clears the identifier's streaks, so successes never
 * spend anything. Taking the slot first bounds parallel guessing exactly: N concurrent guesses
 * never get more than the budget through to the check.
 */
export class GuessLimiter {
  private readonly refused: Record<GuessScope, number> = { identifier_address: 0, identifier: 0, address: 0 };

  constructor(
    private readonly limiter: AttemptLimiter,
    /** False turns the policy off (`security.brute_force.enabled: false`). */
    private readonly budgets: GuessBudgets | false = DEFAULT_GUESS_BUDGETS,
    private readonly log?: GuessRefusalLog,
  ) {
    if (!budgets) return;
    for (const [name, { limit, windowMs }] of Object.entries(budgets)) {
      if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(windowMs) || windowMs < 1) {
        throw new Error(
          `security.brute_force: the ${name} budget needs a limit of at least 1 and a window of at least 1ms.`,
        );
      }
    }
  }

  /**
   * Runs `verify` (true when the secret is right) within the budgets and returns its answer.
   * A `verify` that throws gives every slot back: no guess was judged.
   */
  async check(guess: Guess, verify: () => Promise<boolean>): Promise<boolean> {
    if (!this.budgets) return verify();
    const keys = this.keys(this.budgets, guess);
    let spent = keys;
    let decision = await this.limiter.consume(keys.map(({ limited }) => limited));
    if (
      !decision.allowed &&
      this.refusedBy(keys, decision.rule) === 'identifier' &&
      (await guess.knownAddress?.())
    ) {
      spent = keys.filter(({ scope }) => scope !== 'identifier');
      decision = await this.limiter.consume(spent.map(({ limited }) => limited));
    }
    if (!decision.allowed) {
      const scope = this.refusedBy(keys, decision.rule);
      this.refused[scope] += 1;
      this.log?.warn('attempt refused', {
        event: 'brute_force_refused',
        scope,
        method: guess.method,
        client_ip: guess.ip,
        retry_after_seconds: decision.retryAfterSeconds,
      });
      throw new TooManyAttemptsError(decision.retryAfterSeconds, scope);
    }
    let valid: boolean;
    try {
      valid = await verify();
    } catch (error) {
      await this.limiter.release(spent.map(({ limited }) => limited));
      throw error;
    }
    if (valid) await this.succeeded(keys);
    return valid;
  }

  /** Guesses refused over a budget since start, by the budget that refused them. */
  refusals(): Readonly<Record<GuessScope, number>> {
    return { ...this.refused };
  }

  private refusedBy(
    keys: { scope: GuessScope; limited: LimitedKey }[],
    rule: string | undefined,
  ): GuessScope {
    return keys.find(({ limited }) => limited.rule.name === rule)?.scope ?? 'address';
  }

  /** Settles the keys in the order they were reserved: the address comes last in both. */
  private async succeeded(keys: { scope: GuessScope; limited: LimitedKey }[]): Promise<void> {
    const ofScope = (address: boolean) =>
      keys.filter(({ scope }) => (scope === 'address') === address).map(({ limited }) => limited);
    await this.limiter.settle(ofScope(false), ofScope(true));
  }

  private keys(budgets: GuessBudgets, { method, identifier, ip }: Guess) {
    const rule = (name: string, budget: GuessBudget): LimitRule => ({ name, ...budget });
    const keys: { scope: GuessScope; limited: LimitedKey }[] = [
      {
        scope: 'identifier_address',
        limited: {
          key: JSON.stringify([identifier, ip ?? '']),
          rule: rule(`guess:${method}:identifier_address`, budgets.identifierAddress),
        },
      },
      {
        scope: 'identifier',
        limited: { key: identifier, rule: rule(`guess:${method}:identifier`, budgets.identifier) },
      },
    ];
    // One budget per address across methods: a sprayer gets no fresh allowance by switching.
    if (ip)
      keys.push({ scope: 'address', limited: { key: ip, rule: rule('guess:address', budgets.address) } });
    return keys;
  }
}
