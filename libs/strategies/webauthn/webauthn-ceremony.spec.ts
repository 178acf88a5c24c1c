import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type SelfServiceFlow } from '../../flow/index.js';
import { type RelyingParty } from './relying-party.js';
import {
  assertedUserHandle,
  creationOptions,
  rememberCeremony,
  requestOptions,
  takeCeremony,
  verifyAssertion,
} from './webauthn-ceremony.js';
import { keyIdHex, type StoredKey } from './webauthn-credentials.js';

const RP: RelyingParty = { id: 'localhost', name: 'Tessera', origins: ['http://localhost:4455'] };

/** CBOR for the COSE EC2 key: a map of small ints to ints and byte strings is all it needs. */
function cbor(value: Map<number, number | Buffer>): Buffer {
  const head = (major: number, n: number) =>
    n < 24 ? Buffer.from([(major << 5) | n]) : Buffer.from([(major << 5) | 24, n]);
  const int = (n: number) => (n >= 0 ? head(0, n) : head(1, -1 - n));
  const parts = [head(5, value.size)];
  for (const [k, v] of value)
    parts.push(int(k), typeof v === 'number' ? int(v) : Buffer.concat([head(2, v.length), v]));
  return Buffer.concat(parts);
}

/** A software authenticator with one ES256 key, as a stored key and a signer of assertions. */
function softwareKey(): { stored: StoredKey; privateKey: KeyObject; id: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = cbor(
    new Map<number, number | Buffer>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  );
  const id = randomBytes(16);
  return {
    id,
    privateKey,
    stored: {
      id: id.toString('base64'),
      public_key: cose.toString('base64'),
      attestation_type: 'none',
      authenticator: { aaguid: Buffer.alloc(16).toString('base64'), sign_count: 0, clone_warning: false },
      display_name: 'test',
      added_at: new Date(0).toISOString(),
      is_passwordless: true,
    },
  };
}

function assertion(
  key: ReturnType<typeof softwareKey>,
  challenge: string,
  opts: { counter: number; origin?: string; rpId?: string; userHandle?: Buffer },
): string {
  const clientData = Buffer.from(
    JSON.stringify({ type: 'webauthn.get', challenge, origin: opts.origin ?? RP.origins[0] }),
  );
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(opts.counter);
  const authData = Buffer.concat([
    createHash('sha256')
      .update(opts.rpId ?? RP.id)
      .digest(),
    Buffer.from([0x05]),
    counter,
  ]);
  const signed = Buffer.concat([authData, createHash('sha256').update(clientData).digest()]);
  const signature = sign('sha256', signed, key.privateKey);
  return JSON.stringify({
    id: key.id.toString('base64url'),
    rawId: key.id.toString('base64url'),
    type: 'public-key',
    response: {
      authenticatorData: authData.toString('base64url'),
      clientDataJSON: clientData.toString('base64url'),
      signature: signature.toString('base64url'),
      ...(opts.userHandle ? { userHandle: opts.userHandle.toString('base64url') } : {}),
    },
  });
}

const flow = () => ({ internalContext: null }) as unknown as SelfServiceFlow;

describe('ceremonies on a flow', () => {
  it('hands a challenge out once', () => {
    const f = flow();
    rememberCeremony(f, 'passkey_login', { challenge: 'abc' });
    rememberCeremony(f, 'other', { challenge: 'keep' });
    expect(takeCeremony(f, 'passkey_login')).toEqual({ challenge: 'abc' });
    expect(takeCeremony(f, 'passkey_login')).toBeNull();
    expect(takeCeremony(f, 'other')).toEqual({ challenge: 'keep' });
  });

  it('ignores a stored ceremony without a challenge', () => {
    const f = flow();
    f.internalContext = { passkey_login: { challenge: 42 } };
    expect(takeCeremony(f, 'passkey_login')).toBeNull();
  });
});

describe('options', () => {
  it('encodes ids as base64url and lists keys to exclude or allow', () => {
    const key = softwareKey();
    const handle = randomBytes(64).toString('base64');
    const created = creationOptions({
      rp: RP,
      challenge: 'c',
      userHandle: handle,
      userName: 'ada@example.org',
      exclude: [key.stored],
      residentKey: 'required',
      userVerification: 'preferred',
    }).publicKey as {
      user: { id: string };
      excludeCredentials: { id: string }[];
      authenticatorSelection: { requireResidentKey: boolean };
    };
    expect(Buffer.from(created.user.id, 'base64url').equals(Buffer.from(handle, 'base64'))).toBe(true);
    expect(created.excludeCredentials).toEqual([{ type: 'public-key', id: key.id.toString('base64url') }]);
    expect(created.authenticatorSelection.requireResidentKey).toBe(true);
    const requested = requestOptions(RP, 'c', [], 'preferred').publicKey;
    expect(requested).toMatchObject({ rpId: 'localhost', allowCredentials: [] });
  });

  it('names a key in remove buttons by its id in hex', () => {
    const key = softwareKey();
    expect(keyIdHex(key.stored)).toBe(key.id.toString('hex'));
  });
});

describe('verifyAssertion', () => {
  it('accepts a signature over the challenge from the expected origin and reports the counter', async () => {
    const key = softwareKey();
    const outcome = await verifyAssertion(
      assertion(key, 'ch1', { counter: 5 }),
      { challenge: 'ch1' },
      RP,
      [key.stored],
      true,
    );
    expect(outcome).toMatchObject({ ok: true, signCount: 5 });
  });

  it('refuses another challenge, another origin, another RP id and an unknown key', async () => {
    const key = softwareKey();
    const other = softwareKey();
    const cases: [string, string][] = [
      [assertion(key, 'old', { counter: 1 }), 'invalid'],
      [assertion(key, 'ch', { counter: 1, origin: 'http://evil.example' }), 'invalid'],
      [assertion(key, 'ch', { counter: 1, rpId: 'evil.example' }), 'invalid'],
      [assertion(other, 'ch', { counter: 1 }), 'unknown_key'],
      ['not json', 'malformed'],
      [JSON.stringify({ id: 'a/b', response: {} }), 'malformed'],
    ];
    for (const [raw, reason] of cases) {
      expect(await verifyAssertion(raw, { challenge: 'ch' }, RP, [key.stored], false)).toMatchObject({
        ok: false,
        reason,
      });
    }
  });

  it('flags a counter that does not grow as a possible clone', async () => {
    const key = softwareKey();
    key.stored.authenticator.sign_count = 7;
    const same = await verifyAssertion(
      assertion(key, 'ch', { counter: 7 }),
      { challenge: 'ch' },
      RP,
      [key.stored],
      false,
    );
    expect(same).toMatchObject({ ok: false, reason: 'cloned' });
    const higher = await verifyAssertion(
      assertion(key, 'ch', { counter: 8 }),
      { challenge: 'ch' },
      RP,
      [key.stored],
      false,
    );
    expect(higher).toMatchObject({ ok: true, signCount: 8 });
  });

  it('reads the claimed user handle as standard base64', () => {
    const key = softwareKey();
    const handle = randomBytes(64);
    expect(assertedUserHandle(assertion(key, 'ch', { counter: 1, userHandle: handle }))).toBe(
      handle.toString('base64'),
    );
    expect(assertedUserHandle(assertion(key, 'ch', { counter: 1 }))).toBeNull();
    expect(assertedUserHandle('{')).toBeNull();
  });
});
