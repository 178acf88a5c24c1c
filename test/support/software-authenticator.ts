import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/** The part of a WebAuthn options object (as the flow nodes carry it) an authenticator reads. */
interface PublicKeyOptions {
  publicKey: { challenge: string; rpId?: string; rp?: { id: string }; user?: { id: string } };
}

type Cbor = number | string | Buffer | Map<number | string, Cbor>;

/** Just enough CBOR for attestation objects and COSE keys: ints, text, bytes, maps. */
function cbor(value: Cbor): Buffer {
  const head = (major: number, n: number) => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    const long = Buffer.alloc(3);
    long[0] = (major << 5) | 25;
    long.writeUInt16BE(n, 1);
    return long;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, text.length), text]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (data: Buffer) => data.toString('base64url');

/**
 * A platform authenticator in software: one ES256 passkey, user present and verified, `none`
 * attestation. It answers the options Tessera puts in a flow's nodes with the JSON a browser's
 * `navigator.credentials` result serialises to, signed for `origin`.
 */
export class SoftwareAuthenticator {
  private readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKeyCose: Buffer;
  private userHandle: Buffer | undefined;
  private counter = 0;

  constructor(private readonly origin: string) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.publicKeyCose = cbor(
      new Map<number, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  private authenticatorData(rpId: string, attested: boolean): Buffer {
    this.counter += 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter);
    const flags = Buffer.from([0x01 | 0x04 | (attested ? 0x40 : 0)]); // UP, UV, AT
    if (!attested) return Buffer.concat([sha256(rpId), flags, counter]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    return Buffer.concat([
      sha256(rpId),
      flags,
      counter,
      Buffer.alloc(16), // AAGUID
      idLength,
      this.credentialId,
      this.publicKeyCose,
    ]);
  }

  private clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: this.origin, crossOrigin: false }));
  }

  /** `navigator.credentials.create(options)`, serialised. */
  create(options: PublicKeyOptions): string {
    const { publicKey } = options;
    const rpId = publicKey.rp?.id ?? publicKey.rpId!;
    this.userHandle = Buffer.from(publicKey.user!.id, 'base64url');
    const attestationObject = cbor(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', this.authenticatorData(rpId, true)],
      ]),
    );
    return JSON.stringify({
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', publicKey.challenge)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    });
  }

  /** `navigator.credentials.get(options)`, serialised, with the user handle of a passkey. */
  get(options: PublicKeyOptions): string {
    const { publicKey } = options;
    const authenticatorData = this.authenticatorData(publicKey.rpId!, false);
    const clientDataJSON = this.clientData('webauthn.get', publicKey.challenge);
    const signature = sign(
      'sha256',
      Buffer.concat([authenticatorData, sha256(clientDataJSON)]),
      this.privateKey,
    );
    return JSON.stringify({
      id: b64url(this.credentialId),
      rawId: b64url(this.credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: b64url(this.userHandle) } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    });
  }
}
