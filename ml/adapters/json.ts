/** JSON adapter: state-dict learners stored as {typeId, format, state} UTF-8 JSON. */
export interface JsonArtifact<S> {
  readonly typeId: string;
  readonly format: 1;
  readonly state: S;
}

export function parseJsonArtifact<S>(bytes: Uint8Array, typeId: string): S {
  let doc: JsonArtifact<S>;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw new Error(`${typeId}: artifact is not valid JSON (${(e as Error).message})`);
  }
  if (doc?.typeId !== typeId) throw new Error(`artifact is a ${String(doc?.typeId)} model, expected ${typeId}`);
  if (doc.format !== 1 || typeof doc.state !== 'object' || doc.state === null)
    throw new Error(`${typeId}: unsupported artifact format ${String(doc.format)}`);
  return doc.state;
}
