import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Text encodings Sluice reads; names are iconv-lite names. */
export type TextEncoding = string;

/** What the first bytes of a file say about how to read it. */
export type EncodingDetection =
  | { kind: 'text'; encoding: TextEncoding; hasBom: boolean }
  | { kind: 'empty' }
  | { kind: 'binary'; detail: string };

/**
 * Decides how to decode a file from its first bytes (a sample of up to ~64 KB): a BOM wins
 * (UTF-8, UTF-16 LE/BE); then bytes that are valid UTF-8 are UTF-8; otherwise chardet picks a
 * single-byte code page, falling back to Windows-1252 (a superset of Latin-1's printable
 * characters, what Excel writes on Western Windows). NUL bytes or many control characters mean
 * the file is not text. `complete` says the sample is the whole file (so a cut-off UTF-8
 * sequence at its end is a real error, not a sampling artefact).
 */
export function detectEncoding(sample: Buffer, complete: boolean): EncodingDetection {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return isBlank(sample.subarray(3))
      ? { kind: 'empty' }
      : { kind: 'text', encoding: 'utf-8', hasBom: true };
  }
  if (sample[0] === 0xff && sample[1] === 0xfe) return utf16(sample, 'utf-16le');
  if (sample[0] === 0xfe && sample[1] === 0xff) return utf16(sample, 'utf-16be');
  if (isBlank(sample)) return { kind: 'empty' };
  const binary = binaryReason(sample);
  if (binary) return { kind: 'binary', detail: binary };
  if (isUtf8(sample, complete)) return { kind: 'text', encoding: 'utf-8', hasBom: false };
  return { kind: 'text', encoding: singleByteEncoding(sample), hasBom: false };
}

function utf16(sample: Buffer, encoding: 'utf-16le' | 'utf-16be'): EncodingDetection {
  const text = iconv.decode(sample.subarray(2, sample.length - (sample.length % 2)), encoding);
  if (text.trim() === '') return { kind: 'empty' };
  return { kind: 'text', encoding, hasBom: true };
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}

/** Returns why the bytes look binary, or undefined when they look like text. */
function binaryReason(sample: Buffer): string | undefined {
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0)
      return 'it contains NUL bytes (is it a spreadsheet or an archive rather than a CSV export?)';
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c)
      controls += 1;
  }
  if (controls > sample.length * 0.05)
    return 'it contains many control characters (it is not a text file)';
  return undefined;
}

function isUtf8(sample: Buffer, complete: boolean): boolean {
  let end = sample.length;
  if (!complete) {
    // Drop a multi-byte sequence cut by the sample boundary (at most 3 continuation bytes back).
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && (sample[end - back - 1]! & 0xc0) === 0x80) back += 1;
    const lead = sample[end - back - 1];
    if (lead !== undefined && lead >= 0xc0) end = end - back - 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

const WESTERN = new Set(['iso-8859-1', 'windows-1252', 'ascii', 'utf-8', 'utf-16le', 'utf-16be']);

function singleByteEncoding(sample: Buffer): TextEncoding {
  // Bytes that are not UTF-8 are, in the field, mostly Excel's Windows-1252 (a superset of
  // Latin-1's printable characters plus € and curly quotes). Trust chardet only when it is
  // confident about another code page (Cyrillic, Central European, Japanese, ...).
  const best = chardet.analyse(sample)[0];
  const name = best?.name.toLowerCase();
  if (!best || !name || WESTERN.has(name) || best.confidence < 50) return 'windows-1252';
  return iconv.encodingExists(name) ? name : 'windows-1252';
}

/** A streaming decoder for the encoding (strips a BOM). */
export function createDecoder(encoding: TextEncoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding, { stripBOM: true });
}

/** Decodes a whole buffer (a sample), stripping a BOM. */
export function decodeSample(bytes: Buffer, encoding: TextEncoding): string {
  return iconv.decode(bytes, encoding, { stripBOM: true });
}
