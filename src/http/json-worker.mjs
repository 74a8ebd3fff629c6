// Parses one large JSON request body off the event loop (see boundedJsonBodies in upload.ts): reads the temporary file
// the upload was streamed to, parses it with Fastify's own parser (secure-json-parse: __proto__ and constructor.prototype refused),
// and looks for the first text holding a control character (schemas.ts, CONTROL_IN_BODY), so that neither the parse
// nor that walk holds the server. Plain JavaScript with no imports from src/, so it runs from src/ and from dist/ alike.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import sjson from 'secure-json-parse'; // Fastify's own JSON parser

// as CONTROL_IN_BODY in schemas.ts: tab, CR and LF allowed
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function controlField(value, where, depth) {
  if (typeof value === 'string') return CONTROL.test(value) ? where : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    if (CONTROL.test(k)) return `${where}.${k.replace(CONTROL, '?')}`;
    const hit = controlField(v, Array.isArray(value) ? `${where}[${k}]` : `${where}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

try {
  const body = sjson.parse(readFileSync(workerData.file, 'utf8'), null, { protoAction: 'error', constructorAction: 'error' });
  parentPort.postMessage({ body, controlField: controlField(body, 'body', 0) });
} catch (e) {
  parentPort.postMessage({ error: String(e?.message ?? e).slice(0, 200) });
}
