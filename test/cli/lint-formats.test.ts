// Escaping of the CI formats on hostile text.
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, githubAnnotation } from '../../src/report/github.js';
import { xmlEscape } from '../../src/report/junit.js';
import { toUri } from '../../src/report/sarif.js';

describe('github annotations', () => {
  it('escape %, CR and LF in messages, and also : and , in properties', () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeProperty('C:\\logs\\a,b%.log\n')).toBe('C%3A\\logs\\a%2Cb%25.log%0A');
    expect(
      githubAnnotation(
        { ruleId: 'x/y', severity: 'info', message: 'm\nn', source: 'a:b.log', line: 3, exchange: null },
        false,
      ),
    ).toBe('::notice file=a%3Ab.log,line=3,title=x/y::m%0An');
  });
  it('mask secrets unless asked', () => {
    const f = {
      ruleId: 'x/y',
      severity: 'error' as const,
      message: 'bad --os-password hunter22',
      source: null,
      line: null,
      exchange: null,
    };
    expect(githubAnnotation(f, false)).toBe('::error title=x/y::bad --os-password ***');
    expect(githubAnnotation(f, true)).toContain('hunter22');
  });
});

describe('junit and sarif helpers', () => {
  it('escape XML and drop characters XML cannot hold', () => {
    expect(xmlEscape('a<b>&"c\'\u0001\n')).toBe('a&lt;b&gt;&amp;&quot;c&apos;&#10;');
  });
  it('make relative URIs of file names', () => {
    expect(toUri('<stdin>')).toBe('%3Cstdin%3E');
    expect(toUri('logs\\my log.txt')).toBe('logs/my%20log.txt');
  });
});
