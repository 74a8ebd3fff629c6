// The official verdict on iJW 3.2 messages, for the differential test and `npm run fuzz:ijw`: Zorginstituut's
// validation stylesheet (standards/ijw-3.2/xslt/alle_regels_JW_3.2.xsl) run by the JDK's XSLT processor, after the
// JDK's own XSD validator (the stylesheet does not judge messages the XSD refuses). All files go through ONE JVM
// (scripts/ijw-official/Official.java): starting a JVM and compiling the stylesheet take seconds.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XSD_DIR } from './schema.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const STYLESHEET = path.join(ROOT, 'standards/ijw-3.2/xslt/alle_regels_JW_3.2.xsl');
const RUNNER = path.join(ROOT, 'scripts/ijw-official/Official.java');

/** One `Fout` of the stylesheet's report. */
export interface OfficialFinding {
  code: string;
  /** Retourcode when the stylesheet gives one (TR342: 0001). */
  retourcode?: string;
  /** One XPath per element involved, as the stylesheet prints them (no prefixes, [n] only where an element repeats). */
  locations: string[];
}

export interface OfficialVerdict {
  file: string;
  /** The JDK's XSD verdict. */
  xsd: boolean;
  xsdError?: string;
  /** The stylesheet's findings; empty when the XSD refused the message (the stylesheet is then not run). */
  findings: OfficialFinding[];
  /** The runner could not judge the file at all. */
  error?: string;
}

/** Whether a JDK that runs a .java source file is installed (java 11+ with its compiler). */
export function jdkAvailable(): boolean {
  const r = spawnSync('javac', ['-version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Parses the stylesheet's report (namespace http://www.istandaarden.nl/validatie/1_1/rapport/schema). */
export function parseReport(xml: string): OfficialFinding[] {
  const out: OfficialFinding[] = [];
  const unescapeXml = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  for (const m of xml.matchAll(/<(\w+:)?Fout>([\s\S]*?)<\/\1?Fout>/g)) {
    const body = m[2];
    const code = /<(?:\w+:)?Code>([^<]*)</.exec(body)?.[1]?.trim() ?? '';
    const rc = /<(?:\w+:)?Retourcode>([^<]*)</.exec(body)?.[1]?.trim();
    const locations = [...body.matchAll(/<(?:\w+:)?Locatie>([^<]*)</g)].map((l) => unescapeXml(l[1].trim()));
    out.push({ code, ...(rc ? { retourcode: rc } : {}), locations });
  }
  return out;
}

/** Judges the files with the JDK's XSD validator and the official stylesheet, in one JVM. */
export async function officialVerdicts(files: readonly string[], opts: { java?: string } = {}): Promise<Map<string, OfficialVerdict>> {
  const java = opts.java ?? 'java';
  const args = ['-Djdk.xml.xpathExprOpLimit=0', '-Djdk.xml.xpathTotalOpLimit=0', '-Djdk.xml.xpathExprGrpLimit=0', '-Xss16m', RUNNER, STYLESHEET, XSD_DIR];
  const child = spawn(java, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '',
    stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  child.stdin.end(files.map((f) => path.resolve(f)).join('\n') + '\n');
  const code: number = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`De officiële validator stopte met code ${code}: ${stderr.slice(0, 2000)}`);
  const byAbs = new Map(files.map((f) => [path.resolve(f), f]));
  const out = new Map<string, OfficialVerdict>();
  for (const line of stdout.split('\n')) {
    if (!line.trim()) continue;
    const j = JSON.parse(line) as { file: string; xsd?: boolean; xsdError?: string; report?: string; error?: string };
    const file = byAbs.get(j.file) ?? j.file;
    out.set(file, {
      file,
      xsd: !!j.xsd,
      ...(j.xsdError ? { xsdError: j.xsdError } : {}),
      findings: j.report ? parseReport(j.report) : [],
      ...(j.error ? { error: j.error } : {}),
    });
  }
  for (const f of files) if (!out.has(f)) out.set(f, { file: f, xsd: false, findings: [], error: 'geen antwoord van de officiële validator' });
  return out;
}
