// Timers started by the WebAssembly schema engine.
//
// The engine races its database calls against timeouts made with setTimeout, and its build
// imports no clearTimeout: each timer stays pending until it fires, even after the engine is
// freed. A command-line run that has finished would then wait up to ten seconds before its
// process can exit. Timers are therefore tracked, and cleared once no engine is running.

type TimerCallback = () => void;

const pending = new Set<NodeJS.Timeout>();
let runningEngines = 0;

/** Stands in for setTimeout in the engine's imports. */
export function engineSetTimeout(callback: TimerCallback, delayMs: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    pending.delete(timer);
    callback();
  }, delayMs >>> 0);
  pending.add(timer);
  return timer;
}

/** Marks an engine as running until the returned function is called. */
export function engineStarted(): () => void {
  runningEngines += 1;
  return () => {
    runningEngines -= 1;
    // A timeout only matters to the engine that started it; none is left to care.
    if (runningEngines === 0) {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    }
  };
}
