import { Injectable } from '@nestjs/common';
import { IdentityPresenter } from '../identity/index.js';
import { Clock, Database } from '../persistence/index.js';
import { SessionPresenter } from './session.presenter.js';
import { SessionService } from './session.service.js';
import { hashToken } from './session-tokens.js';
import { WhoamiView } from './whoami-view.js';

/** A whoami answer: the session's identity, and the session as a value or as its JSON text. */
export interface WhoamiAnswer {
  identityId: string;
  body: object | string;
}

/**
 * whoami's successful answer, the cheapest way the configuration allows. With the session cache
 * on, a session comes from the cache or is read into it, and is presented; with it off
 * (`session.whoami.cache_ttl: 0`, or a replica that may have missed a revocation), nothing is
 * kept, so the answer is written straight from the row (WhoamiView). Null when the token names no
 * usable session or one whose AAL `session.whoami.required_aal` refuses: the controller says why.
 */
@Injectable()
export class WhoamiAnswers {
  private view?: WhoamiView;

  constructor(
    private readonly sessions: SessionService,
    private readonly presenter: SessionPresenter,
    private readonly identities: IdentityPresenter,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async answer(token: string | undefined): Promise<WhoamiAnswer | null> {
    if (!token) return null;
    if (this.sessions.cachesSessions) {
      const session = await this.sessions.findActive(token);
      if (!session || !(await this.sessions.satisfiesWhoamiAal(session))) return null;
      return { identityId: session.identityId, body: this.presenter.present(session, { admin: false }) };
    }
    this.view ??= new WhoamiView(this.db, (schemaId) => this.identities.schemaUrl(schemaId));
    const row = await this.view.byTokenHash(hashToken(token), this.clock.now());
    if (!row?.usable || !(await this.sessions.aalSatisfiesWhoami(row.aal, row.identityId, row.factors)))
      return null;
    return { identityId: row.identityId, body: row.json };
  }
}
