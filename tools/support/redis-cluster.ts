// A private Redis Cluster of three masters on free loopback ports (each also needs its port +
// 10000 for the cluster bus), built with redis-cli --cluster create, for the cluster test and the
// bench. Nothing is persisted; close() stops the three servers and removes their folder. The
// shared Redis on :6379 is never touched.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canListen, freePort } from './ports.ts';

const run = promisify(execFile);

export interface LocalRedisCluster {
  /** host:port of each master, for REDIS_CLUSTER_NODES. */
  readonly nodes: string[];
  close(): Promise<void>;
}

async function clusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && !ports.includes(port) && (await canListen(port + 10_000))) ports.push(port);
  }
  return ports;
}

export async function startRedisCluster(masters = 3): Promise<LocalRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'wzb-redis-cluster-'));
  const ports = await clusterPorts(masters);
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  const close = async () => {
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise((resolve) => {
              child.once('exit', resolve);
              child.kill('SIGKILL');
            }),
      ),
    );
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--protected-mode',
          'no',
          '--save',
          '',
          '--appendonly',
          'no',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--dir',
          dir,
          '--loglevel',
          'warning',
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    for (const port of ports) await until(`redis-server on ${port}`, async () => (await cli(port, 'PING')) === 'PONG');
    await run('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) await until(`the cluster seen from ${port}`, async () => (await cli(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'));
  } catch (error) {
    await close();
    throw error;
  }
  return { nodes: ports.map((port) => `127.0.0.1:${port}`), close };
}

async function cli(port: number, ...command: string[]): Promise<string> {
  try {
    return (await run('redis-cli', ['-p', String(port), ...command])).stdout.trim();
  } catch {
    return '';
  }
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
