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

  it('makes certificates Node (OpenSSL) reads, every time', () => {
    for (let i = 0; i < 20; i++) {
      const identity = selfSignedIdentity();
      expect(new X509Certificate(identity.ca).ca).toBe(true);
    }
  });
});
