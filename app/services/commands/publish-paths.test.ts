import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
const publishers =
  /\b(publishBacklogChange|publishSession|publishItemText|publishSprintChange|publishCriteriaChange|publishDefinitionOfDoneChange)\(/g;

/**
 * Where a live publish may be called: the publishers themselves (services' live modules), the one place that
 * turns a command's effects into publishes, and the live channel's own store of typed text.
 */
const allowed = [
  /^app\/services\/[^/]+\/live\.server\.ts$/,
  /^app\/services\/commands\/live-effects\.server\.ts$/,
  /^server\/collab\/item-text-extension\.ts$/,
];

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(relative);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) yield relative;
  }
}

describe('one command pipeline', () => {
  it('publishes only from a command’s effects: no route or API operation publishes by hand', () => {
    const offenders: string[] = [];
    for (const file of [...sources('app'), ...sources('server')]) {
      if (allowed.some((rule) => rule.test(file))) continue;
      const text = readFileSync(path.join(root, file), 'utf8');
      for (const match of text.matchAll(publishers))
        if (!text.slice(0, match.index).endsWith('function ')) offenders.push(`${file}: ${match[1]}`);
    }
    expect(offenders).toEqual([]);
  });
});
