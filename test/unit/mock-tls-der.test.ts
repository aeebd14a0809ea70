// The mock's certificates are written by hand in DER (no openssl binary, no dependency): its INTEGERs must take DER's
// one minimal form, or OpenSSL refuses the certificate ("illegal padding"), as it did for 1 serial in 256.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { derInteger, selfSignedIdentity } from '../../src/mock/tls.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe("the mock's DER integers", () => {
  it.for([
    [[0x05], '020105'],
    [[0x00, 0x05], '020105'],
    [[0x00, 0x00, 0x7f], '02017f'],
    [[0x80], '02020080'],
    [[0x00, 0x80], '02020080'],
    [[0x00], '020100'],
    [[0x00, 0x00], '020100'],
    [[0x01, 0x00], '02020100'],
  ] as const)('encodes %j as %s', ([magnitude, expected]) => {
    expect(hex(derInteger(Uint8Array.from(magnitude)))).toBe(expected);
  });

  it.for([
    ['127.0.0.1', { ip: ['127.0.0.1', '::1'], host: ['localhost'] }],
    ['127.0.0.2', { ip: ['127.0.0.2'], host: [] }],
    ['::ffff:127.0.0.2', { ip: ['127.0.0.2'], host: [] }],
    ['fd00::2', { ip: ['fd00::2'], host: [] }],
    ['2001:db8::a:b', { ip: ['2001:db8::a:b'], host: [] }],
    ['vm', { ip: [], host: ['vm'] }],
  ] as const)('certifies the host asked for, %s, beside 127.0.0.1, ::1 and localhost', ([host, names]) => {
    const leaf = new X509Certificate(selfSignedIdentity(host).cert);
    for (const ip of ['127.0.0.1', '::1', ...names.ip]) expect(leaf.checkIP(ip), ip).toBe(ip);
    for (const name of ['localhost', ...names.host]) expect(leaf.checkHost(name), name).toBe(name);
    expect(leaf.checkIP('127.0.0.3')).toBeUndefined();
  });

  it('adds nothing for every address (0.0.0.0, ::), whose url names the loopback address', () => {
    const plain = new X509Certificate(selfSignedIdentity().cert).subjectAltName;
    for (const host of ['0.0.0.0', '::', '0', '::ffff:0.0.0.0'])
      expect(new X509Certificate(selfSignedIdentity(host).cert).subjectAltName, host).toBe(plain);
  });

  it('makes certificates Node (OpenSSL) reads, every time', () => {
    for (let i = 0; i < 20; i++) {
      const identity = selfSignedIdentity();
      expect(new X509Certificate(identity.ca).ca).toBe(true);
    }
  });
});
