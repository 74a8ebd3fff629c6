// The XSD check in a worker thread (see validateXsdInWorker in xsd.ts): plain JavaScript, because a worker does not
// inherit the module loader of the thread that starts it. Built (dist/ijw/) it loads the compiled xsd.js beside it;
// from the sources (tests, development) it registers tsx and loads xsd.ts.
import { existsSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

let xsd;
if (existsSync(new URL('./xsd.js', import.meta.url))) {
  xsd = await import('./xsd.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  xsd = await import('./xsd.ts');
}
const { validateXsd } = xsd;
let last = 0;
try {
  const result = await validateXsd(workerData.source, {
    ...workerData.opts,
    // progress at most every 4 MB: a message per chunk would cost more than it tells
    onBytes: workerData.progress ? (b) => { if (b - last >= 4 << 20) { last = b; parentPort.postMessage({ bytes: b }); } } : undefined,
  });
  parentPort.postMessage({ result });
} catch (e) {
  parentPort.postMessage({ error: { name: e?.name, code: e?.code, message: e?.message ?? String(e), line: e?.line, column: e?.column } });
}
