import { createRequire } from 'node:module';
import type cliProgressType from 'cli-progress';

// loaded when a bar is first drawn: evaluating cli-progress took about 15 ms of every command's start
let cliProgress: typeof cliProgressType | undefined;
const load = () => (cliProgress ??= createRequire(import.meta.url)('cli-progress') as typeof cliProgressType);

/** A progress bar on a terminal, plain lines otherwise (CI logs). */
export function progressReporter() {
  const tty = process.stderr.isTTY;
  let bar: cliProgressType.SingleBar | null = null;
  let label = '';
  let lastPrint = 0;
  return {
    update(done: number, total: number, l: string) {
      if (tty) {
        if (!bar || l !== label) {
          bar?.stop();
          const cp = load();
          bar = new cp.SingleBar(
            { format: `${l.padEnd(38).slice(0, 38)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, stream: process.stderr },
            cp.Presets.shades_classic,
          );
          bar.start(total, done);
          label = l;
        }
        bar.setTotal(total);
        bar.update(done);
      } else if (l !== label || Date.now() - lastPrint > 5000 || done === total) {
        label = l;
        lastPrint = Date.now();
        process.stderr.write(`${l}: ${done}/${total} (${total ? Math.round((100 * done) / total) : 100}%)\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
