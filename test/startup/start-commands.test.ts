// The memory settings production runs with (src/lean-runtime.ts) live
// in four start commands: npm start, start:server, start:worker and the Docker image. They must
// not drift apart, and the benchmarks must measure what those commands run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseStartCommand, productionStart } from '../../bench/lib/processes.ts';

const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The Docker image's start as one command line: its ENV assignments, then its ENTRYPOINT. */
function dockerStart(): string {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const env = [...dockerfile.matchAll(/^ENV (\w+)=(\S+)$/gm)].map(([, name, value]) => `${name}=${value}`);
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile);
  assert.ok(entrypoint, 'the Dockerfile has an exec-form ENTRYPOINT');
  return [...env, ...(JSON.parse(entrypoint[1]!) as string[])].join(' ');
}

describe('start commands', () => {
  it('run the build with the same settings everywhere, as the benchmarks do', () => {
    const start = parseStartCommand(scripts.start!);
    assert.ok(start.nodeFlags.length > 0 && Object.keys(start.env).length > 0, `npm start sets node flags and environment: ${scripts.start}`);
    assert.deepEqual(parseStartCommand(scripts['start:server']!), start);
    assert.deepEqual(parseStartCommand(scripts['start:worker']!), start);
    // The image sets more (NODE_ENV), but at least what npm start does.
    const docker = parseStartCommand(dockerStart());
    assert.deepEqual(docker.nodeFlags, start.nodeFlags);
    for (const [name, value] of Object.entries(start.env)) assert.equal(docker.env[name], value, `the image sets ${name}=${value}`);
    assert.deepEqual(productionStart('.'), start);
  });
});
