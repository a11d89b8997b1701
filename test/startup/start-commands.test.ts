// The node flags production runs with (bench/RESULTS.md, "Memory") live in four start commands:
// npm start, start:server, start:worker and the Docker image. They must not drift apart, and the
// benchmarks must measure what those commands run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { productionNodeFlags } from '../../bench/lib/processes.ts';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

function flagsOf(command: string): string[] {
  const match = /\bnode((?:\s+--\S+)*)\s+build\/main\.js/.exec(command);
  assert.ok(match, `"${command}" runs build/main.js with node`);
  return match[1]!.split(/\s+/).filter(Boolean);
}

describe('start commands', () => {
  it('run the build with the same node flags everywhere, as the benchmarks do', () => {
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'));
    assert.ok(entrypoint, 'the Dockerfile has an exec-form ENTRYPOINT');
    const docker = (JSON.parse(entrypoint[1]!) as string[]).join(' ');
    const flags = flagsOf(scripts.start!);
    assert.ok(flags.length > 0, 'npm start sets node flags');
    assert.deepEqual(flagsOf(scripts['start:server']!), flags);
    assert.deepEqual(flagsOf(scripts['start:worker']!), flags);
    assert.deepEqual(flagsOf(docker), flags);
    assert.deepEqual(productionNodeFlags('.'), flags);
  });
});
