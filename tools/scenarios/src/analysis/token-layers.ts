/**
 * Searching messages for secrets the way an eavesdropper would: a JWS hides
 * nothing (its header and payload are base64url), so every base64url segment
 * that decodes to text is searched too, recursively (a JWS inside a JWS
 * payload). A JWE's payload stays out of reach unless an opener is given.
 */

export interface SecretForm {
  /** The exact text to look for. */
  form: string;
  /** What it is, for the evidence: "the citizen's My Number". */
  label: string;
}

export type JweOpener = (jwe: string) => Promise<string | undefined>;

const JWE = /[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g;
const SEGMENT = /[A-Za-z0-9_-]{16,}/g;
const MAX_DEPTH = 6;

/** The text and every layer a reader without keys can decode from it (with `open`, JWEs it can open too). */
export async function decodedLayers(text: string, open?: JweOpener, depth = 0): Promise<string[]> {
  const layers = [text];
  if (depth >= MAX_DEPTH) return layers;
  if (open) {
    for (const jwe of text.match(JWE) ?? []) {
      const opened = await open(jwe);
      if (opened) layers.push(...(await decodedLayers(opened, open, depth + 1)));
    }
  }
  for (const segment of text.match(SEGMENT) ?? []) {
    const decoded = Buffer.from(segment, 'base64url').toString('utf8');
    if (/^[\x20-\x7e\s\u00a0-\uffff]+$/.test(decoded) && !decoded.includes('\ufffd') && /[{"]/.test(decoded)) {
      layers.push(...(await decodedLayers(decoded, open, depth + 1)));
    }
  }
  return layers;
}

/**
 * Which of the secrets occur in the text or any layer of it; each label once.
 * Scans every window of each secret's length, so thousands of secrets cost no
 * more than a few.
 */
export async function findSecrets(text: string, secrets: readonly SecretForm[], open?: JweOpener): Promise<string[]> {
  const byLength = new Map<number, Map<string, string>>();
  for (const secret of secrets) {
    if (secret.form.length === 0) continue;
    const forms = byLength.get(secret.form.length) ?? new Map<string, string>();
    forms.set(secret.form, secret.label);
    byLength.set(secret.form.length, forms);
  }
  const found = new Set<string>();
  for (const layer of await decodedLayers(text, open)) {
    for (const [length, forms] of byLength) {
      for (let start = 0; start + length <= layer.length; start++) {
        const label = forms.get(layer.slice(start, start + length));
        if (label !== undefined) found.add(label);
      }
    }
  }
  return [...found];
}

/** Every text form an agency code (`ac1.` + base64url of 32 bytes) could travel in: as is, its bare body, base64 and hex. */
export function codeForms(code: string, label: string): SecretForm[] {
  const body = code.startsWith('ac1.') ? code.slice(4) : code;
  const bytes = Buffer.from(body, 'base64url');
  return [
    { form: body, label },
    { form: bytes.toString('base64').replace(/=+$/, ''), label },
    { form: bytes.toString('hex'), label },
  ];
}

/** The JSON claim names of a compact JWS, and its header: what an eavesdropper reads of it. */
export function readableParts(token: string): { header?: Record<string, unknown>; claims?: string[]; kind: 'JWS' | 'JWE' | 'other' } {
  const parts = token.split('.');
  const decode = (part: string): Record<string, unknown> | undefined => {
    try {
      return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
  if (parts.length === 5) return { kind: 'JWE', header: decode(parts[0]) };
  if (parts.length === 3) {
    const claims = decode(parts[1]);
    return { kind: 'JWS', header: decode(parts[0]), claims: claims ? Object.keys(claims) : undefined };
  }
  return { kind: 'other' };
}
