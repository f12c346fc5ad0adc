/**
 * Reads persona files and refuses a bad one before anything runs, naming the file, the line
 * (and column) and the field path: `P05_aggressor.yaml:12:18: trading.max_lots: expected a
 * number`. Checks, in order: YAML syntax (duplicate keys included), the zod schema (types,
 * ranges, unknown keys), every condition and action (the domain's grammar), the file name
 * (it starts with the persona id) and, for a directory, one file per persona id.
 *
 * YAML 1.1 so the seed's `capital: 1_500_000` reads as a number.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { compilePersona, PersonaExpressionError, type CompiledPersona } from '../domain/personas/compile';
import type { PersonaSpec } from '../domain/personas/types';
import { asPersonaSpec, personaSchema } from './schema';

export const PERSONAS_DIR = __dirname;

export class PersonaFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** Dotted field path ('' for the file as a whole). */
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${field ? `${field}: ` : ''}${detail}`);
    this.name = 'PersonaFileError';
  }
}

export interface LoadedPersona {
  readonly file: string;
  readonly spec: PersonaSpec;
  readonly compiled: CompiledPersona;
}

type Path = readonly (string | number | symbol)[];

const dotted = (p: Path) => p.map(String).join('.');

/** The node at a path; for a missing field, the key of its deepest ancestor that exists. */
function nodeAt(doc: Document, p: Path): Node | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as unknown[], true) as Node | undefined;
    if (!node || typeof node !== 'object' || !('range' in node)) continue;
    if (n === p.length || n === 0) return node;
    return keyNode(doc, p.slice(0, n - 1), String(p[n - 1])) ?? node;
  }
  return doc.contents ?? undefined;
}

/** For an unknown key, the key itself rather than its map. */
function keyNode(doc: Document, p: Path, key: string): Node | undefined {
  const map = doc.getIn(p as unknown[], true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((i) => isScalar(i.key) && String(i.key.value) === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

function positionOf(lc: LineCounter, node: Node | undefined): { line: number; col: number } {
  const offset = node?.range?.[0] ?? 0;
  return lc.linePos(offset);
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key "${issue.keys.join('", "')}"`;
  return issue.message.replace(/^Invalid input: /, '');
}

/** Parses and checks one persona file's text. Throws PersonaFileError. */
export function parsePersonaText(text: string, file: string): LoadedPersona {
  const lc = new LineCounter();
  const doc = parseDocument(text, { version: '1.1', lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const name = path.basename(file);
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lc.linePos(syntax.pos[0]);
    throw new PersonaFileError(name, line, col, '', `YAML: ${syntax.message.split('\n')[0]}`);
  }
  const parsed = personaSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    // Report the issue that comes first in the file.
    const located = parsed.error.issues.map((issue) => {
      const node =
        issue.code === 'unrecognized_keys' ? keyNode(doc, issue.path, issue.keys[0]!) : nodeAt(doc, issue.path);
      const field =
        issue.code === 'unrecognized_keys' ? dotted([...issue.path, issue.keys[0]!]) : dotted(issue.path) || '(file)';
      return { issue, field, ...positionOf(lc, node ?? nodeAt(doc, issue.path)) };
    });
    located.sort((a, b) => a.line - b.line || a.col - b.col);
    const first = located[0]!;
    throw new PersonaFileError(name, first.line, first.col, first.field, describe(first.issue));
  }
  const spec = asPersonaSpec(parsed.data);
  let compiled: CompiledPersona;
  try {
    compiled = compilePersona(spec);
  } catch (e) {
    if (!(e instanceof PersonaExpressionError)) throw e;
    const node = nodeAt(doc, e.path);
    const { line, col } = positionOf(lc, node);
    // The column inside the expression, shifted past the opening quote when the scalar has one.
    const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
    const ex = e.expressionError;
    throw new PersonaFileError(
      name,
      line,
      col + quoted + ex.column - 1,
      dotted(e.path),
      `${ex.detail} in "${ex.source}"`,
    );
  }
  if (!name.startsWith(`${spec.persona_id}_`) && name !== `${spec.persona_id}.yaml`) {
    const { line, col } = positionOf(lc, nodeAt(doc, ['persona_id']));
    throw new PersonaFileError(name, line, col, 'persona_id', `${spec.persona_id} does not match the file name`);
  }
  return { file: name, spec, compiled };
}

export function loadPersonaFile(file: string): LoadedPersona {
  return parsePersonaText(fs.readFileSync(file, 'utf8'), file);
}

export interface DirectoryCheck {
  readonly personas: readonly LoadedPersona[];
  readonly errors: readonly PersonaFileError[];
}

/** Every *.yaml / *.yml file of a directory, each checked; persona ids must be unique. */
export function checkPersonaDir(dir: string = PERSONAS_DIR): DirectoryCheck {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const personas: LoadedPersona[] = [];
  const errors: PersonaFileError[] = [];
  const seen = new Map<string, string>();
  for (const f of files) {
    try {
      const p = loadPersonaFile(path.join(dir, f));
      const other = seen.get(p.spec.persona_id);
      if (other)
        errors.push(new PersonaFileError(f, 1, 1, 'persona_id', `${p.spec.persona_id} is also declared in ${other}`));
      else {
        seen.set(p.spec.persona_id, f);
        personas.push(p);
      }
    } catch (e) {
      if (e instanceof PersonaFileError) errors.push(e);
      else throw e;
    }
  }
  if (files.length === 0) errors.push(new PersonaFileError(path.basename(dir), 1, 1, '', 'no persona files (*.yaml)'));
  return { personas, errors };
}

/** All personas of a directory, or an error listing every bad file. */
export function loadPersonas(dir: string = PERSONAS_DIR): LoadedPersona[] {
  const { personas, errors } = checkPersonaDir(dir);
  if (errors.length) throw new PersonaDirectoryError(errors);
  return [...personas];
}

export class PersonaDirectoryError extends Error {
  constructor(readonly errors: readonly PersonaFileError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'PersonaDirectoryError';
  }
}
