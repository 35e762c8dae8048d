/**
 * `npx ts-node --swc scripts/wrap-long-lines.ts [files…]` (default: every TypeScript file git tracks; part of
 * `npm run format`): breaks what a formatter cannot so that no
 * line of TypeScript is longer than MAX_LINE (the limit `npm run lint` enforces): a long string or
 * template literal becomes a concatenation of pieces cut at spaces (the same value), a long `//` or
 * `*` comment line is wrapped. Run Prettier after it. Lines it cannot break (a long regular
 * expression, a URL) are listed, for a person to decide.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import ts from 'typescript';

export const MAX_LINE = 160;
const PIECE = 90;

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Offsets (within `raw`, the literal's text between its delimiters) after a space where it may be cut; never inside `${…}`. */
function cutPoints(raw: string, template: boolean): number[] {
  const points: number[] = [];
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (template && depth === 0 && raw.startsWith('${', i)) {
      depth = 1;
      i++;
      continue;
    }
    if (depth > 0) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
      continue;
    }
    if (c === ' ' && i + 1 < raw.length) points.push(i + 1);
  }
  return points;
}

/** The literal as a concatenation of pieces of about PIECE characters, or undefined when it has no place to cut. */
function split(raw: string, quote: string): string | undefined {
  const pieces: string[] = [];
  let start = 0;
  for (const point of cutPoints(raw, quote === '`')) {
    if (point - start >= PIECE) {
      pieces.push(raw.slice(start, point));
      start = point;
    }
  }
  pieces.push(raw.slice(start));
  const kept = pieces.filter((piece) => piece !== '');
  return kept.length < 2 ? undefined : kept.map((piece) => `${quote}${piece}${quote}`).join(' +\n');
}

function wrapComment(line: string): string | undefined {
  const match = /^(\s*)(\/\/ ?|\* ?)(.*)$/.exec(line);
  if (!match) return undefined;
  const [, indent, marker, text] = match;
  const prefix = `${indent}${marker}`;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && prefix.length + current.length + 1 + word.length > MAX_LINE - 2) {
      lines.push(prefix + current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  lines.push(prefix + current);
  return lines.length > 1 ? lines.join('\n') : undefined;
}

function wrapFile(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('.mjs') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const lines = text.split('\n');
  const long = new Set(lines.flatMap((line, index) => (line.length > MAX_LINE ? [index] : [])));
  const edits: Edit[] = [];
  const templateLines = new Set<number>();
  const visit = (node: ts.Node) => {
    const isLiteral = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
    if (isLiteral) {
      const start = node.getStart(source);
      const first = lineOf(start);
      const last = lineOf(node.getEnd());
      if (ts.isTemplateExpression(node) || ts.isNoSubstitutionTemplateLiteral(node)) for (let line = first + 1; line <= last; line++) templateLines.add(line);
      const parent = node.parent;
      const inImportOrType =
        ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isLiteralTypeNode(parent) || ts.isExternalModuleReference(parent);
      if (first === last && long.has(first) && !inImportOrType && node.getEnd() - start > 40) {
        const quote = text[start];
        const replacement = split(text.slice(start + 1, node.getEnd() - 1), quote);
        if (replacement) {
          edits.push({
            start,
            end: node.getEnd(),
            text: ts.isPropertyAssignment(parent) || ts.isCallExpression(parent) || ts.isArrayLiteralExpression(parent) ? replacement : `(${replacement})`,
          });
          return;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const edited = new Set(edits.map((edit) => lineOf(edit.start)));
  let offset = 0;
  lines.forEach((line, index) => {
    if (long.has(index) && !edited.has(index) && !templateLines.has(index) && /^\s*(\/\/|\*)/.test(line)) {
      const wrapped = wrapComment(line);
      if (wrapped) edits.push({ start: offset, end: offset + line.length, text: wrapped });
    }
    offset += line.length + 1;
  });
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  if (result !== text) writeFileSync(path, result);
  return result.split('\n').flatMap((line, index) => (line.length > MAX_LINE ? [`${path}:${index + 1}`] : []));
}

if (require.main === module) {
  const named = process.argv.slice(2);
  const files =
    named.length > 0
      ? named
      : execFileSync('git', ['ls-files', '*.ts', '*.mjs'], { encoding: 'utf8' })
          .split('\n')
          .filter((file) => file !== '' && existsSync(file));
  const left = files.flatMap(wrapFile);
  for (const line of left) process.stdout.write(`longer than ${MAX_LINE} characters: ${line}\n`);
}
