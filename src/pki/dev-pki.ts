import forge from 'node-forge';
import fs from 'node:fs';
import path from 'node:path';
import { generateRsaKeyPair } from './certificate-authority.js';

/**
 * Creates a self-signed CA and a server certificate for 127.0.0.1/localhost, signed by it.
 * FOR DEVELOPMENT AND TESTS ONLY: this is what `certs-dev/` holds, and what tests use to make a
 * foreign CA that the gateway must refuse.
 */
export function createDevCa(commonName: string, validityDays = 3650) {
  const { privateKeyPem, publicKeyPem } = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(15));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + validityDays * 86_400_000);
  const subject = [
    { shortName: 'C', value: 'VN' },
    { shortName: 'O', value: 'DEV ONLY - data-sharing gateway' },
    { shortName: 'CN', value: commonName },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

export function createServerCertificate(ca: { certPem: string; keyPem: string }, validityDays = 3650) {
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const { privateKeyPem, publicKeyPem } = generateRsaKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = '02' + forge.util.bytesToHex(forge.random.getBytesSync(15));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + validityDays * 86_400_000);
  cert.setSubject([{ shortName: 'CN', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKeyPem };
}

/** Writes certs-dev/: ca/ca.{crt,key}.pem and server/server.{crt,key}.pem. */
export function writeDevPki(dir: string): void {
  const ca = createDevCa('DEV ONLY - Gateway Dev CA');
  const server = createServerCertificate(ca);
  fs.mkdirSync(path.join(dir, 'ca'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'server'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'ca/ca.crt.pem'), ca.certPem);
  fs.writeFileSync(path.join(dir, 'ca/ca.key.pem'), ca.keyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'server/server.crt.pem'), server.certPem);
  fs.writeFileSync(path.join(dir, 'server/server.key.pem'), server.keyPem, { mode: 0o600 });
}
