'use strict';
/**
 * A self-signed X.509 certificate (RSA 2048, SHA-256) and a stored (uncompressed) zip, written with
 * Node's standard library only, so the certificate function has no dependency to install or bundle.
 * EMR in-transit encryption reads the zip's privateKey.pem, certificateChain.pem and trustedCertificates.pem.
 */
const crypto = require('node:crypto');

function length(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One DER element: tag, length, content. */
function der(tag, content) {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items) => der(0x30, Buffer.concat(items));
const set = (...items) => der(0x31, Buffer.concat(items));
const octetString = (content) => der(0x04, content);
const bitString = (content) => der(0x03, Buffer.concat([Buffer.from([0]), content]));
const utf8String = (text) => der(0x0c, Buffer.from(text, 'utf8'));
const explicit = (number, content) => der(0xa0 + number, content);
const NULL = Buffer.from([0x05, 0x00]);

function integer(bytes) {
  const content = bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  return der(0x02, content);
}

function objectId(dotted) {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const base128 = [arc & 0x7f];
    for (let value = arc >> 7; value > 0; value >>= 7) base128.unshift(0x80 | (value & 0x7f));
    bytes.push(...base128);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime (YYMMDDHHMMSSZ) until 2049, GeneralizedTime after, as RFC 5280 asks. */
function time(date) {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2), 'ascii')) : der(0x18, Buffer.from(iso, 'ascii'));
}

const SHA256_WITH_RSA = sequence(objectId('1.2.840.113549.1.1.11'), NULL);

function name(commonName, organization) {
  return sequence(set(sequence(objectId('2.5.4.10'), utf8String(organization))), set(sequence(objectId('2.5.4.3'), utf8String(commonName))));
}

function toPem(label, derBytes) {
  const lines = derBytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * A new key pair and a self-signed certificate for `dnsNames` (the first is the common name), valid
 * from an hour before `now` (clock skew) for `validityDays`, for TLS servers and clients.
 */
function selfSignedCertificate({ dnsNames, organization, validityDays, now = new Date() }) {
  if (!Array.isArray(dnsNames) || dnsNames.length === 0) throw new Error('dnsNames must list at least one DNS name');
  const days = Number(validityDays);
  if (!Number.isInteger(days) || days < 1 || days > 3650) throw new Error(`validityDays (${validityDays}) must be a whole number from 1 to 3650`);
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  const subject = name(dnsNames[0], organization);
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
  const subjectAltName = sequence(objectId('2.5.29.17'), octetString(sequence(...dnsNames.map((dns) => der(0x82, Buffer.from(dns, 'ascii'))))));
  const extendedKeyUsage = sequence(objectId('2.5.29.37'), octetString(sequence(objectId('1.3.6.1.5.5.7.3.1'), objectId('1.3.6.1.5.5.7.3.2'))));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    subject,
    sequence(time(notBefore), time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(subjectAltName, extendedKeyUsage)),
  );
  const signature = crypto.sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, SHA256_WITH_RSA, bitString(signature));
  return { certificatePem: toPem('CERTIFICATE', certificate), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive of `files` ({ name: text }) without compression (method 0, "stored"). */
function storedZip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [fileName, text] of Object.entries(files)) {
    const nameBytes = Buffer.from(fileName, 'utf8');
    const data = Buffer.from(text, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The zip EMR expects for PEM in-transit encryption: the key, the certificate as its own chain and as the trusted root. */
function emrCertificateZip(options) {
  const { certificatePem, privateKeyPem } = selfSignedCertificate(options);
  return storedZip({ 'privateKey.pem': privateKeyPem, 'certificateChain.pem': certificatePem, 'trustedCertificates.pem': certificatePem });
}

module.exports = { selfSignedCertificate, storedZip, emrCertificateZip, crc32 };
