/** Delimiters Sluice recognises, in tie-break order. */
export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof CANDIDATE_DELIMITERS)[number];

/**
 * Picks the delimiter from the start of the decoded text: for each candidate, count occurrences
 * outside quotes on each of the first records; the winner appears in the header and most
 * consistently (same count as the header) across records, then more often. A file with a single
 * column has no delimiter in its header: ',' is returned.
 */
export function detectDelimiter(text: string, maxRecords = 20): Delimiter {
  const records = splitRecords(text, maxRecords);
  let best: { delimiter: Delimiter; consistency: number; count: number } | undefined;
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const counts = records.map((record) => countOutsideQuotes(record, delimiter));
    const headerCount = counts[0] ?? 0;
    if (headerCount === 0) continue;
    const consistency = counts.filter((count) => count === headerCount).length / counts.length;
    if (
      !best ||
      consistency > best.consistency ||
      (consistency === best.consistency && headerCount > best.count)
    ) {
      best = { delimiter, consistency, count: headerCount };
    }
  }
  return best?.delimiter ?? ',';
}

/** Detects the line ending the file uses: the first one found outside quotes. */
export function detectNewline(text: string): '\r\n' | '\n' | '\r' {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '\r') return text[index + 1] === '\n' ? '\r\n' : '\r';
    else if (!quoted && char === '\n') return '\n';
  }
  return '\n';
}

/** Splits text into records on newlines outside quotes; drops blank records and a cut-off last one. */
function splitRecords(text: string, maxRecords: number): string[] {
  const records: string[] = [];
  let quoted = false;
  let start = 0;
  for (let index = 0; index < text.length && records.length < maxRecords; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) {
      const record = text.slice(start, index);
      if (record.trim() !== '') records.push(record);
      start = index + 1;
    }
  }
  if (records.length === 0 && text.trim() !== '') records.push(text.slice(start));
  return records;
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let quoted = false;
  let count = 0;
  for (const char of record) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === delimiter) count += 1;
  }
  return count;
}
