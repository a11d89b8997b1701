// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by package, so
// a profile can be read in a terminal and its top lines pasted into bench/RESULTS.md.
// Usage: node --import tsx bench/lib/profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Where the CPU went, by area: each sample is charged to the nearest frame on its stack that
 * belongs to a known area, so a socket write made by pg counts as Postgres, one made by the HTTP
 * reply as HTTP.
 */
export function areas(file: string): Record<string, number> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const areaOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = areaOf.get(id);
    if (known) return known;
    const node = byId.get(id)!;
    const own = areaOfFrame(node.callFrame.url, node.callFrame.functionName);
    const area = own ?? (parent.has(id) ? resolve(parent.get(id)!) : 'other');
    areaOf.set(id, area);
    return area;
  };
  const totals: Record<string, number> = {};
  let sum = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const area = resolve(id);
    totals[area] = (totals[area] ?? 0) + micros;
    sum += micros;
  });
  return Object.fromEntries(
    Object.entries(totals)
      .sort((a, b) => b[1] - a[1])
      .map(([area, micros]) => [area, Math.round((1000 * micros) / sum) / 10]),
  );
}

const AREAS: Array<[string, RegExp]> = [
  ['logging (pino)', /node_modules\/(pino|@pinojs|sonic-boom|pino-std-serializers)\/|fastify\/lib\/(log-controller|logger-factory)/],
  ['Postgres (Prisma, pg)', /node_modules\/(@prisma|pg|pg-pool|pg-protocol|postgres-array|postgres-bytea)\/|^wasm:/],
  ['queue (BullMQ, ioredis)', /node_modules\/(bullmq|ioredis|msgpackr|@ioredis|cluster-key-slot|redis-parser|denque)\/|(src|build)\/jobs\//],
  ['validation (zod)', /node_modules\/zod\//],
  // src/ when run through tsx, build/ when compiled (npm start).
  ['receiver (src/woocommerce, src/http, src/db)', /(src|build)\/(woocommerce|http|db|metrics)/],
  ['module loading (tsx, startup)', /node_modules\/tsx\/|node:internal\/modules\//],
  ['HTTP (node, Fastify)', /node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify)\/|node:_http|node:net|node:internal\/(streams|stream_base)/],
];

function areaOfFrame(url: string, functionName: string): string | undefined {
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(program)') return 'V8 (program)';
  for (const [area, pattern] of AREAS) if (pattern.test(url)) return area;
  return undefined;
}

export function summarise(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)!.callFrame;
    const where = frame.url.replace(/^file:\/\//, '').replace(/^.*\/work\/main\//, '');
    const name = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byPackage.set(packageOf(where, frame.functionName), (byPackage.get(packageOf(where, frame.functionName)) ?? 0) + micros);
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `${file}: ${(total / 1e6).toFixed(1)} s sampled`,
    '-- by area (samples charged to the nearest known frame on the stack) --',
    ...Object.entries(areas(file)).map(([area, percent]) => `${percent.toFixed(1).padStart(5)}%  ${area}`),
    '-- self time by package --',
    ...lines(byPackage),
    '-- self time by function --',
    ...lines(byFunction),
  ].join('\n');
}

function packageOf(where: string, functionName: string): string {
  if (where === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (modules) return modules[1]!;
  if (where.startsWith('node:')) return where.split('/')[0]!;
  return where.split('/').slice(0, 2).join('/');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(summarise(process.argv[2]!, Number(process.argv[3] ?? 25)));
}
