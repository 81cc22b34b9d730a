/** One request's body and which items (by position in the input) it carries. */
export interface PackedRequest {
  body: string;
  first: number;
  count: number;
}

/**
 * Splits items into `{ "<field>": [...] }` bodies of at most `maxItems` items and,
 * where possible, `maxBytes` bytes (the services' JSON body limit). Each item is
 * serialised once. An item too big on its own still goes alone, so that the
 * service's own 413 names the problem.
 */
export function packRequests(field: string, items: readonly unknown[], maxItems: number, maxBytes: number): PackedRequest[] {
  const prefix = `{${JSON.stringify(field)}:[`;
  const suffix = ']}';
  const requests: PackedRequest[] = [];
  let parts: string[] = [];
  let bytes = 0;
  let first = 0;
  const flush = () => {
    if (parts.length === 0) return;
    requests.push({ body: prefix + parts.join(',') + suffix, first, count: parts.length });
    first += parts.length;
    parts = [];
  };
  for (const item of items) {
    const json = JSON.stringify(item);
    const size = Buffer.byteLength(json) + 1;
    if (parts.length > 0 && (parts.length >= maxItems || prefix.length + bytes + size + suffix.length > maxBytes)) flush();
    if (parts.length === 0) bytes = 0;
    parts.push(json);
    bytes += size;
  }
  flush();
  return requests;
}
