/** Builds a safetensors file from a raw header value (test helper: may be hostile on purpose). */
export function craft(
  header: unknown,
  data: Uint8Array | number = 0,
  headerText?: string,
): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.byteLength + body.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(body, 8 + json.byteLength);
  return out;
}

export function setHeaderLength(file: Uint8Array, n: bigint): Uint8Array {
  const copy = file.slice();
  new DataView(copy.buffer).setBigUint64(0, n, true);
  return copy;
}
