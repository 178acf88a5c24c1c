/**
 * The subset of Go's text/template that Kratos' courier templates use: `{{ .Field.path }}`,
 * `{{ . }}`, `{{ if .X }}`/`{{ if not .X }}`/`{{ else if .Y }}`/`{{ else }}`/`{{ end }}`,
 * `{{- … -}}` whitespace trimming and comments. Anything else is refused when the
 * template is compiled — at start — with the line it is on, never at send time.
 */

export class TemplateSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

type Path = string[];
interface Condition {
  path: Path;
  negate: boolean;
}
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'field'; path: Path }
  | { kind: 'if'; branches: { condition: Condition; body: Node[] }[]; otherwise: Node[] };

interface Token {
  kind: 'text' | 'action';
  text: string;
  line: number;
}

const FIELD = /^\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?$/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  let trimNext = false;
  const lineAt = (index: number) => source.slice(0, index).split('\n').length;
  while (position < source.length) {
    const open = source.indexOf('{{', position);
    let text = source.slice(position, open === -1 ? source.length : open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open === -1) {
      if (text) tokens.push({ kind: 'text', text, line: lineAt(position) });
      break;
    }
    const close = source.indexOf('}}', open + 2);
    if (close === -1) throw new TemplateSyntaxError(lineAt(open), 'unclosed action: "{{" without "}}"');
    let inner = source.slice(open + 2, close);
    if (/^-\s/.test(inner)) {
      text = text.replace(/\s+$/, '');
      inner = inner.slice(1);
    }
    if (/\s-$/.test(inner)) {
      trimNext = true;
      inner = inner.slice(0, -1);
    }
    if (text) tokens.push({ kind: 'text', text, line: lineAt(position) });
    tokens.push({ kind: 'action', text: inner.trim(), line: lineAt(open) });
    position = close + 2;
  }
  return tokens;
}

function parsePath(expression: string, line: number): Path {
  if (!FIELD.test(expression)) {
    throw new TemplateSyntaxError(line, `unsupported template action "{{ ${expression} }}"`);
  }
  return expression === '.' ? [] : expression.slice(1).split('.');
}

function parseCondition(expression: string, line: number): Condition {
  const negated = /^not\s+(.+)$/.exec(expression);
  const target = negated ? negated[1]!.trim() : expression;
  if (!FIELD.test(target)) {
    throw new TemplateSyntaxError(
      line,
      `unsupported condition "${expression}" (only a field or "not" a field)`,
    );
  }
  return { path: parsePath(target, line), negate: negated !== null };
}

/** A compiled template: render it with a model as often as needed. */
export class GoTemplate {
  private constructor(private readonly nodes: Node[]) {}

  static compile(source: string): GoTemplate {
    const tokens = tokenize(source);
    let index = 0;
    const parseBlock = (inside: number | null): { nodes: Node[]; stop: string } => {
      const nodes: Node[] = [];
      while (index < tokens.length) {
        const token = tokens[index++]!;
        if (token.kind === 'text') {
          nodes.push({ kind: 'text', text: token.text });
          continue;
        }
        const action = token.text;
        if (/^\/\*[\s\S]*\*\/$/.test(action)) continue;
        if (action === 'end' || action === 'else' || /^else\s+if\s/.test(action)) {
          if (inside === null) throw new TemplateSyntaxError(token.line, `unexpected "{{ ${action} }}"`);
          return { nodes, stop: action };
        }
        const ifMatch = /^if\s+(.+)$/.exec(action);
        if (ifMatch) {
          nodes.push(parseIf(ifMatch[1]!.trim(), token.line));
          continue;
        }
        nodes.push({ kind: 'field', path: parsePath(action, token.line) });
      }
      if (inside !== null) throw new TemplateSyntaxError(inside, '"{{ if }}" without "{{ end }}"');
      return { nodes, stop: '' };
    };
    const parseIf = (first: string, line: number): Node => {
      const branches: { condition: Condition; body: Node[] }[] = [];
      let condition = parseCondition(first, line);
      for (;;) {
        const { nodes, stop } = parseBlock(line);
        branches.push({ condition, body: nodes });
        if (stop === 'end') return { kind: 'if', branches, otherwise: [] };
        if (stop === 'else') {
          const rest = parseBlock(line);
          if (rest.stop !== 'end')
            throw new TemplateSyntaxError(line, `"{{ ${rest.stop} }}" after "{{ else }}"`);
          return { kind: 'if', branches, otherwise: rest.nodes };
        }
        condition = parseCondition(stop.replace(/^else\s+if\s+/, '').trim(), line);
      }
    };
    return new GoTemplate(parseBlock(null).nodes);
  }

  render(model: unknown, escape: (text: string) => string = (text) => text): string {
    const out: string[] = [];
    const walk = (nodes: Node[]) => {
      for (const node of nodes) {
        if (node.kind === 'text') out.push(node.text);
        else if (node.kind === 'field') {
          const text = stringify(lookup(model, node.path));
          out.push(escape(text));
        } else {
          const branch = node.branches.find(
            ({ condition }) => truthy(lookup(model, condition.path)) !== condition.negate,
          );
          walk(branch ? branch.body : node.otherwise);
        }
      }
    };
    walk(this.nodes);
    return out.join('');
  }
}

function lookup(model: unknown, path: Path): unknown {
  let cursor = model;
  for (const key of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<string, unknown>)[key];
  }
  return cursor;
}

/** Go's truth: false, 0, nil and empty strings, slices and maps are false. */
function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/** What Go's html/template writes for text in an HTML body or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;')
    .replace(/\0/g, '\uFFFD');
}
