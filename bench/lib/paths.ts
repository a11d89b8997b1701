// Where the benchmarks run from and write to. bench/output/ is gitignored.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OUTPUT_DIR = fileURLToPath(new URL('../output/', import.meta.url));
