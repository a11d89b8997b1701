// Where operator commands write: answers on stdout, warnings and progress on stderr (so
// `… > report.txt` keeps only the answer). Progress is a live bar on a terminal and one line per
// step otherwise (logs, CI). Tests pass a capturing output instead.
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, detail: string): void;
  stop(): void;
}

export interface CliOutput {
  line(text?: string): void;
  warn(text: string): void;
  progress(label: string): ProgressReporter;
  /** Sets the exit status without stopping (commander's action ends normally). */
  fail(code?: number): void;
}

export const consoleOutput: CliOutput = {
  line: (text = '') => process.stdout.write(`${text}\n`),
  warn: (text) => process.stderr.write(`${text}\n`),
  progress(label) {
    if (!process.stderr.isTTY) {
      return {
        update: (done, total, detail) => process.stderr.write(`${label}: ${done}/${total} ${detail}\n`),
        stop: () => undefined,
      };
    }
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {percentage}% | {value}/{total} | {detail}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail) {
        if (!started) bar.start(total, done, { detail });
        started = true;
        bar.setTotal(total);
        bar.update(done, { detail });
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  },
  fail(code = 1) {
    process.exitCode = code;
  },
};

/** An output that keeps everything, for tests. */
export function capturingOutput(): CliOutput & {
  lines: string[];
  warnings: string[];
  progressUpdates: string[];
  exitCode: number | undefined;
  text(): string;
} {
  const captured = {
    lines: [] as string[],
    warnings: [] as string[],
    progressUpdates: [] as string[],
    exitCode: undefined as number | undefined,
    line: (text = '') => void captured.lines.push(text),
    warn: (text: string) => void captured.warnings.push(text),
    progress: (label: string) => ({
      update: (done: number, total: number, detail: string) => void captured.progressUpdates.push(`${label}: ${done}/${total} ${detail}`),
      stop: () => undefined,
    }),
    fail: (code = 1) => {
      captured.exitCode = code;
    },
    text: () => [...captured.lines, ...captured.warnings].join('\n'),
  };
  return captured;
}
