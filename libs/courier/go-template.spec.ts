import { describe, expect, it } from 'vitest';
import { escapeHtml, GoTemplate, TemplateSyntaxError } from './go-template.js';

const render = (source: string, model: unknown, escape?: (s: string) => string) =>
  GoTemplate.compile(source).render(model, escape);

describe('GoTemplate', () => {
  it('prints fields and nested map keys', () => {
    expect(render('Hi {{ .To }}, code {{.RecoveryCode}}', { To: 'a@b.c', RecoveryCode: '123' })).toBe(
      'Hi a@b.c, code 123',
    );
    expect(render('{{ .Identity.traits.email }}', { Identity: { traits: { email: 'x@y.z' } } })).toBe(
      'x@y.z',
    );
    expect(render('[{{ .Missing.deeper }}]', {})).toBe('[]');
  });

  it('trims whitespace around {{- and -}}', () => {
    expect(render('a  \n {{- .X -}} \n  b', { X: 1 })).toBe('a1b');
    expect(render('a {{- /* note */ -}} b', {})).toBe('ab');
    expect(render('a {{/* note */}} b', {})).toBe('a  b');
  });

  it('branches on if, else if, else and not', () => {
    const source = '{{ if .A }}A{{ else if .B }}B{{ else }}none{{ end }}';
    expect(render(source, { A: 'x' })).toBe('A');
    expect(render(source, { B: 1 })).toBe('B');
    expect(render(source, { A: '', B: 0 })).toBe('none');
    expect(render('{{ if not .A }}no A{{ end }}', { A: [] })).toBe('no A');
    expect(render('{{ if .A }}{{ if .B }}AB{{ end }}{{ end }}', { A: 1, B: 1 })).toBe('AB');
  });

  it('escapes values, not the template, for HTML bodies', () => {
    expect(
      render('<a href="{{ .U }}">{{ .T }}</a>', { U: 'https://x/?a=1&b="2"', T: '<b>' }, escapeHtml),
    ).toBe('<a href="https://x/?a=1&amp;b=&#34;2&#34;">&lt;b&gt;</a>');
  });

  it('refuses what it does not implement, naming the line', () => {
    const failures: [string, RegExp][] = [
      [
        'line one\n{{ range .Items }}x{{ end }}',
        /^line 2: unsupported template action "\{\{ range \.Items \}\}"/,
      ],
      ['{{ template "en" . }}', /^line 1: unsupported/],
      ['{{ .X | upper }}', /^line 1: unsupported/],
      ['{{ if eq .lang "de" }}x{{ end }}', /^line 1: unsupported condition/],
      ['a\nb\n{{ if .X }}open', /^line 3: "\{\{ if \}\}" without "\{\{ end \}\}"/],
      ['{{ end }}', /^line 1: unexpected "\{\{ end \}\}"/],
      ['{{ .X', /^line 1: unclosed action/],
    ];
    for (const [source, message] of failures) {
      expect(() => GoTemplate.compile(source), source).toThrow(TemplateSyntaxError);
      expect(() => GoTemplate.compile(source), source).toThrow(message);
    }
  });
});
