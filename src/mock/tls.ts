// A certificate made at start, with nothing but node:crypto (no openssl binary, no dependency): a small CA of its
// own (P-256, self-signed, keyCertSign) and a server certificate it signs for 127.0.0.1, ::1, localhost and the host
// (serverAuth, subjectAltName, key identifiers). This is the shape every TLS client accepts, Python's strict
// verification (3.13+) included; the mock's `ca` is the CA's PEM, the one thing a client has to trust.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { type TlsIdentity, unmappedIPv4 } from './node-http.js';

/** The server certificate and key, and the CA certificate to trust. */
export interface MockTlsIdentity extends TlsIdentity {
  /** PEM of the CA that signed `cert`: what a client trusts. */
  ca: string;
}

// --- DER, only the few types a certificate needs ---
const length = (n: number) => {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
};
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
/**
 * A non-negative INTEGER from its big-endian magnitude, in DER's one minimal form: no leading zero byte unless the
 * next has its high bit set (OpenSSL refuses a certificate whose serial breaks this: "illegal padding").
 */
export function derInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const bytes = Buffer.from(magnitude.subarray(start));
  return tlv(0x02, bytes.length === 0 || bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}
const integer = derInteger;
const octets = (bytes: Buffer) => tlv(0x04, bytes);
const bits = (bytes: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
const explicit = (n: number, content: Buffer) => tlv(0xa0 | n, content);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);
function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) base128.unshift((value & 0x7f) | 0x80);
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}
const utcTime = (date: Date) =>
  tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`, 'ascii'));
const name = (commonName: string) => sequence(set(sequence(oid('2.5.4.3'), tlv(0x0c, Buffer.from(commonName)))));
const extension = (id: string, value: Buffer, critical = false) =>
  sequence(oid(id), ...(critical ? [TRUE] : []), octets(value));

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const DAY_MS = 86_400_000;

interface Issued {
  der: Buffer;
  keyId: Buffer;
}

function certificate(options: {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKeyId: Buffer | undefined;
  extensions: Buffer[];
}): Issued {
  const spki = options.publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(spki).digest();
  const serial = randomBytes(16);
  serial[0]! = (serial[0]! & 0x7f) | 0x01; // positive, and never a leading zero: 16 bytes in every certificate
  const now = Date.now();
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ECDSA_WITH_SHA256,
    name(options.issuer),
    // Valid from an hour ago (clocks differ a little) for 397 days, under the 398 that browsers allow.
    sequence(utcTime(new Date(now - 3_600_000)), utcTime(new Date(now + 397 * DAY_MS))),
    name(options.subject),
    spki,
    explicit(
      3,
      sequence(
        ...options.extensions,
        extension('2.5.29.14', octets(keyId)), // subject key identifier
        ...(options.issuerKeyId ? [extension('2.5.29.35', sequence(tlv(0x80, options.issuerKeyId)))] : []),
      ),
    ),
  );
  const signature = sign('sha256', tbs, options.signingKey);
  return { der: sequence(tbs, ECDSA_WITH_SHA256, bits(signature)), keyId };
}

const DEFAULT_ALT_NAMES = [
  tlv(0x82, Buffer.from('localhost')),
  tlv(0x87, Buffer.from([127, 0, 0, 1])),
  tlv(0x87, Buffer.from([...Array(15).fill(0), 1])),
];

const pem = (der: Buffer) =>
  `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;

/**
 * The subjectAltName entries for the address the mock was asked to listen on, beside 127.0.0.1, ::1 and localhost:
 * an IP address (an IPv4-mapped one as IPv4) or a host name, as the mock's url names it; none for every address.
 */
function altNamesFor(host: string): Buffer[] {
  const address = unmappedIPv4(host);
  if (isIPv4(address)) return address === '0.0.0.0' ? [] : [tlv(0x87, Buffer.from(address.split('.').map(Number)))];
  if (isIPv6(address)) {
    const bytes = ipv6Bytes(address);
    return bytes.every((byte) => byte === 0) ? [] : [tlv(0x87, bytes)];
  }
  return address === '' || address === '0' || address.toLowerCase() === 'localhost'
    ? []
    : [tlv(0x82, Buffer.from(address.toLowerCase()))];
}

/** The 16 bytes of an IPv6 address without a zone (`fd00::2`, `::1`). */
function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.from(all.flatMap((group: string) => [parseInt(group, 16) >> 8, parseInt(group, 16) & 0xff]));
}

/**
 * A fresh CA and a server certificate it signs for 127.0.0.1, ::1, localhost and `host` (the address asked for, when
 * it is another one). Takes a few milliseconds.
 */
export function selfSignedIdentity(host = '127.0.0.1'): MockTlsIdentity {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = 'meetings-online-mock local CA';
  const authority = certificate({
    subject: caName,
    issuer: caName,
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: undefined,
    extensions: [
      extension('2.5.29.19', sequence(TRUE), true), // basicConstraints: CA
      extension('2.5.29.15', bits(Buffer.from([0x06]), 1), true), // keyUsage: keyCertSign, cRLSign
    ],
  });
  const leaf = certificate({
    subject: 'localhost',
    issuer: caName,
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: authority.keyId,
    extensions: [
      extension('2.5.29.19', sequence(), true), // basicConstraints: not a CA
      extension('2.5.29.15', bits(Buffer.from([0x80]), 7), true), // keyUsage: digitalSignature
      extension('2.5.29.37', sequence(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
      extension(
        '2.5.29.17', // subjectAltName
        sequence(
          ...DEFAULT_ALT_NAMES,
          ...altNamesFor(host).filter((name) => !DEFAULT_ALT_NAMES.some((known) => known.equals(name))),
        ),
      ),
    ],
  });
  return {
    cert: pem(leaf.der) + pem(authority.der),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    ca: pem(authority.der),
  };
}
