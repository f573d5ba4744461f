import forge from 'node-forge';
import crypto from 'node:crypto';
import fs from 'node:fs';

export interface IssuedCertificate {
  pem: string;
  serialNumber: string;
  thumbprintSha256: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateRequestInput {
  /** A PKCS#10 CSR in PEM (RSA keys only: node-forge cannot parse EC requests). */
  csrPem?: string;
  /** Or a bare public key with a subject (the CLI's convenience path for dev keys). */
  publicKeyPem?: string;
  subject?: { commonName: string; organization?: string };
  /** Put into the certificate as a SAN URI, so the certificate names its connection. */
  connectionUri: string;
  validityDays: number;
}

export class CertificateRequestError extends Error {}

// node-forge's typings call the tag a Class; at run time it is the ASN.1 UTF8String tag.
const UTF8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;

/**
 * The gateway's certificate authority: signs client certificates with node-forge.
 * Holds the CA key in memory; the key file is read once at start-up.
 */
export class CertificateAuthority {
  readonly caCertPem: string;
  private readonly caCert: forge.pki.Certificate;
  private readonly caKey: forge.pki.rsa.PrivateKey;

  constructor(caCertPem: string, caKeyPem: string) {
    this.caCertPem = caCertPem;
    this.caCert = forge.pki.certificateFromPem(caCertPem);
    this.caKey = forge.pki.privateKeyFromPem(caKeyPem) as forge.pki.rsa.PrivateKey;
  }

  static fromFiles(certPath: string, keyPath: string): CertificateAuthority {
    return new CertificateAuthority(fs.readFileSync(certPath, 'utf8'), fs.readFileSync(keyPath, 'utf8'));
  }

  issueClientCertificate(input: CertificateRequestInput): IssuedCertificate {
    const { publicKey, subject } = this.requestedKeyAndSubject(input);
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = randomSerial();
    const notBefore = new Date(Date.now() - 60_000); // tolerate small clock skew at the client
    const notAfter = new Date(notBefore.getTime() + input.validityDays * 86_400_000);
    cert.validity.notBefore = notBefore;
    cert.validity.notAfter = notAfter;
    cert.setSubject(subject);
    cert.setIssuer(this.caCert.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', clientAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 6, value: input.connectionUri }] },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: this.caCert.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(this.caKey, forge.md.sha256.create());
    const pem = forge.pki.certificateToPem(cert);
    return {
      pem,
      serialNumber: cert.serialNumber,
      thumbprintSha256: thumbprintOfPem(pem),
      subject: subject.map((a) => `${a.shortName}=${a.value}`).join(', '),
      notBefore,
      notAfter,
    };
  }

  /** Checks a CSR without issuing anything: throws CertificateRequestError with the reason. */
  checkRequest(csrPem: string): void {
    this.requestedKeyAndSubject({ csrPem, connectionUri: '', validityDays: 1 });
  }

  private requestedKeyAndSubject(input: CertificateRequestInput) {
    if (input.csrPem) {
      let csr: forge.pki.CertificateSigningRequest;
      try {
        csr = forge.pki.certificationRequestFromPem(input.csrPem);
      } catch (e) {
        const reason = String((e as Error).message ?? e);
        throw new CertificateRequestError(
          reason.includes('OID is not RSA')
            ? 'Only RSA certificate requests are supported (RSA 2048 bits or more); EC keys are not'
            : `Not a PEM PKCS#10 certificate request: ${reason}`,
        );
      }
      if (!csr.verify()) throw new CertificateRequestError('The certificate request signature does not verify');
      const key = csr.publicKey as forge.pki.rsa.PublicKey;
      if (key.n.bitLength() < 2048) throw new CertificateRequestError('RSA keys must be at least 2048 bits');
      if (!csr.subject.getField('CN')) throw new CertificateRequestError('The certificate request has no common name (CN)');
      // Build from the CSR's subject and key: editing a parsed CSR would not change its signed bytes.
      return { publicKey: key, subject: csr.subject.attributes.map(({ shortName, value }) => ({ shortName, value, valueTagClass: UTF8 })) };
    }
    if (!input.publicKeyPem || !input.subject) throw new CertificateRequestError('A CSR or a public key with a subject is required');
    const attrs: forge.pki.CertificateField[] = [
      { shortName: 'C', value: 'VN' },
      ...(input.subject.organization ? [{ shortName: 'O', value: input.subject.organization, valueTagClass: UTF8 }] : []),
      { shortName: 'CN', value: input.subject.commonName, valueTagClass: UTF8 },
    ];
    return { publicKey: forge.pki.publicKeyFromPem(input.publicKeyPem), subject: attrs };
  }
}

/**
 * Lower-case hex SHA-256 of the DER SubjectPublicKeyInfo of a CSR's or a certificate's key: equal
 * for the same key pair whatever document carries it. Throws CertificateRequestError for a CSR
 * that does not parse.
 */
export function publicKeyIdOf(pem: string): string {
  let spki: crypto.KeyObject;
  if (pem.includes('CERTIFICATE REQUEST')) {
    let csr: forge.pki.CertificateSigningRequest;
    try {
      csr = forge.pki.certificationRequestFromPem(pem);
    } catch (e) {
      throw new CertificateRequestError(`Not a PEM PKCS#10 certificate request: ${String((e as Error).message ?? e)}`);
    }
    spki = crypto.createPublicKey(forge.pki.publicKeyToPem(csr.publicKey as forge.pki.rsa.PublicKey));
  } else {
    spki = new crypto.X509Certificate(pem).publicKey;
  }
  return crypto.createHash('sha256').update(spki.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Lower-case hex SHA-256 over the DER certificate. */
export function thumbprintOfPem(pem: string): string {
  return crypto.createHash('sha256').update(new crypto.X509Certificate(pem).raw).digest('hex');
}

function randomSerial(): string {
  const bytes = crypto.randomBytes(16);
  bytes[0] &= 0x7f; // positive INTEGER
  return bytes.toString('hex');
}

/** An RSA-2048 key pair in PEM, generated by Node's crypto (fast; forge's pure-JS path blocks). */
export function generateRsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
