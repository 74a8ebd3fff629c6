import cliProgress from 'cli-progress';

/** A progress bar on a terminal, plain lines otherwise (CI logs). */
export function progressReporter() {
  const tty = process.stderr.isTTY;
  let bar: cliProgress.SingleBar | null = null;
  let label = '';
  let lastPrint = 0;
  return {
    update(done: number, total: number, l: string) {
      if (tty) {
        if (!bar || l !== label) {
          bar?.stop();
          bar = new cliProgress.SingleBar({ format: `${l.padEnd(38).slice(0, 38)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
          bar.start(total, done);
          label = l;
        }
        bar.setTotal(total);
        bar.update(done);
      } else if (l !== label || Date.now() - lastPrint > 5000 || done === total) {
        label = l; lastPrint = Date.now();
        process.stderr.write(`${l}: ${done}/${total} (${total ? Math.round((100 * done) / total) : 100}%)\n`);
      }
    },
    stop() { bar?.stop(); bar = null; },
  };
}
