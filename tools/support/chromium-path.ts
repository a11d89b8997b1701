// Where the browser tests find Chromium: shared by `npm test` (which resolves it once before the
// test files start) and the tests themselves.
import { existsSync } from 'node:fs';
import packagedChromium from '@sparticuz/chromium';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * The Chromium binary to drive: CHROMIUM_PATH if set, the system's if installed, else the packaged
 * one, which unpacks itself into the temporary folder on first use. `npm test` calls this once
 * before the test files start and hands the path on, so parallel files never unpack it together.
 */
export async function chromiumPath(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH names ${chosen}, and there is no file there.`);
    return chosen;
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return packagedChromium.executablePath();
}
