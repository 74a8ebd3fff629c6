// Runs the rules over a message as the reader yields it: head, one Client at a time, end. Memory stays flat in
// the number of lines except where a rule needs the whole message (TR101 BSNs, TR315/TR316 references: one
// small entry per line). History rules get their data per batch of clients, in one look-up per batch.
import type { ClientMap, MessageMap, MessageType } from '../schema.ts';
import type { ReadEvent } from '../reader.ts';
import { nationalLists, type NationalLists } from '../lists.ts';
import { todayIso } from './dates.ts';
import type { History, HistorySnapshot } from './history-types.ts';
import { historyRequest } from './historie.ts';
import { RULES } from './registry.ts';
import { pauses } from '../../core/work.ts';
import type { Checker, ClientAt, Finding, Layer, RuleDef } from './types.ts';

type ClientEvent = Extract<ReadEvent, { kind: 'client' }>;

export interface CheckOptions {
  /** Which layers to run. Default: bericht and extern; historie when a history is given. */
  layers?: Partial<Record<Exclude<Layer, 'xsd'>, boolean>>;
  /** Earlier messages (allocations, declarations, tariffs) for the historie layer. */
  history?: History;
  lists?: NationalLists;
  /** Today's date for TR135 (default: the system date). */
  today?: string;
  /** The rules to run (default: all implemented rules). */
  rules?: readonly RuleDef<any>[];
  /** Clients per history look-up. Default 500. */
  historyBatch?: number;
  /**
   * Ask the history about the next batch of clients while this one is judged: the clients of a batch are read first,
   * its look-up started, and only then the batch before it judged (every rule on it, in the order they run without
   * this). For a history whose look-ups run elsewhere (a PostgreSQL server, in its own process), the server answers
   * while this thread judges. Holds two batches of clients instead of one. Default false.
   */
  prefetchHistory?: boolean;
  /** Every finding as it is made (an importer can build its JW325 from these without collecting them). */
  onFinding?: (f: Finding) => void;
  /** Stop collecting findings after this many (the count goes on). Default 10,000. */
  maxFindings?: number;
  /** Called after every client (progress): clients and declaration lines so far. */
  onProgress?: (clients: number, lines: number) => void;
}

export interface CheckResult {
  type: MessageType;
  findings: Finding[];
  /** All findings, also those beyond maxFindings. */
  findingCount: number;
  clients: number;
  /** Declaration lines (Prestaties) in a JW323/JW325; 0 for other messages. */
  lines: number;
}

interface Active {
  rule: RuleDef<any>;
  checker: Checker<any>;
}

/** Runs the rules on the events of one message. Read errors (IjwReadError) pass through. */
export async function checkMessage(events: AsyncIterable<ReadEvent | readonly ReadEvent[]>, opts: CheckOptions = {}): Promise<CheckResult> {
  const lists = opts.lists ?? nationalLists();
  const today = opts.today ?? todayIso();
  const layers = { bericht: true, extern: true, historie: !!opts.history, ...opts.layers };
  if (layers.historie && !opts.history) throw new Error('De historie-laag heeft een History nodig');
  const max = opts.maxFindings ?? 10_000;
  const batchSize = opts.historyBatch ?? 500;
  const findings: Finding[] = [];
  let count = 0;
  let type: MessageType | undefined;
  const plain: Active[] = [];
  const hist: Active[] = [];
  let head: MessageMap[MessageType] | undefined;
  let clients = 0,
    lines = 0;
  let batch: { client: ClientMap[MessageType]; at: ClientAt }[] = [];

  const start = (t: MessageType) => {
    type = t;
    for (const rule of opts.rules ?? RULES) {
      if (!rule.messages.includes(t) || !layers[rule.layer]) continue;
      const ctx = {
        type: t,
        lists,
        today,
        report(where: string | readonly string[], detail?: string, retourcode?: string) {
          const many = typeof where !== 'string';
          const f: Finding = {
            code: rule.code,
            retourcode: retourcode ?? rule.retourcode,
            location: many ? (where[0] ?? '') : where,
            text: detail ?? rule.text,
            layer: rule.layer,
          };
          if (many && where.length > 1) f.locations = [...where];
          count++;
          if (findings.length < max) findings.push(f);
          opts.onFinding?.(f);
        },
      };
      (rule.layer === 'historie' ? hist : plain).push({ rule, checker: rule.start(ctx) });
    }
  };

  let pause: (() => Promise<void>) | undefined; // made when the history is asked (its clock loads perf_hooks)
  const flushHistory = async () => {
    if (!batch.length || !hist.length) {
      batch = [];
      return;
    }
    const snapshot = memoized(
      await opts.history!.lookup(
        historyRequest(
          type!,
          head!,
          batch.map((b) => b.client),
        ),
      ),
    );
    for (const { client, at } of batch) {
      await (pause ??= pauses())(); // a batch of 10,000 clients is seconds of work: other requests are served every 20 ms of it
      for (const a of hist) a.checker.client?.(client, at, snapshot);
    }
    batch = [];
  };

  /** A Client read: counted, and the progress told. */
  const counted = (e: ClientEvent) => {
    clients++;
    const n = (e.client as { Prestaties?: { Prestatie?: unknown[] } }).Prestaties?.Prestatie?.length;
    if (n) lines += n;
    opts.onProgress?.(clients, lines);
  };
  /** One Client through the rules without history; its place, for the history rules. */
  const client = (e: ClientEvent): ClientAt => {
    const at: ClientAt = { index: e.index, path: e.path };
    for (let i = 0; i < plain.length; i++) plain[i].checker.client?.(e.client, at); // indexed: no iterator per client
    counted(e);
    return at;
  };
  /**
   * The clients of a batch from x[k] on, up to the first event of another kind (returns its index), when no history
   * rule runs: in a small function of its own, which V8 optimises alone, instead of in the loop of this async function,
   * whose resumable state machine was the largest of TurboFan's compilations in a validate (a tenth of its work there;
   * BENCHMARKS.md, ninth session).
   */
  const clientsFrom = (x: readonly ReadEvent[], k: number): number => {
    let i = k;
    while (i < x.length && x[i].kind === 'client') client(x[i++] as ClientEvent);
    return i;
  };

  // with prefetchHistory: the batch being judged (its look-up started) and the clients read after it
  type Batch = { clients: { client: ClientMap[MessageType]; at: ClientAt }[]; snapshot: Promise<HistorySnapshot> };
  let judging: Batch | undefined;
  let ahead: { client: ClientMap[MessageType]; at: ClientAt }[] = [];
  let prefetch = false;
  const judge = async ({ clients: batch, snapshot }: Batch) => {
    pause ??= pauses();
    for (const { client, at } of batch) {
      await pause(); // 2,000 clients are a tenth of a second and more of work: other requests are served every 20 ms of it
      for (let i = 0; i < plain.length; i++) plain[i].checker.client?.(client, at);
    }
    const s = memoized(await snapshot);
    for (const { client, at } of batch) {
      await pause();
      for (const a of hist) a.checker.client?.(client, at, s);
    }
  };
  /** Starts the look-up of the clients read ahead, then judges the batch before them. */
  const advance = async () => {
    const next: Batch | undefined = ahead.length
      ? {
          clients: ahead,
          snapshot: opts.history!.lookup(
            historyRequest(
              type!,
              head!,
              ahead.map((b) => b.client),
            ),
          ),
        }
      : undefined;
    next?.snapshot.catch(() => undefined); // awaited (and thrown) when its batch is judged
    ahead = [];
    const before = judging;
    judging = next;
    if (before) await judge(before);
  };

  for await (const x of events) {
    // one event (readMessage) or a batch of them (readMessageBatches)
    const many = Array.isArray(x);
    const n = many ? x.length : 1;
    for (let k = 0; k < n; k++) {
      const e = many ? (x as readonly ReadEvent[])[k] : (x as ReadEvent);
      if (e.kind === 'head') {
        start(e.type);
        head = e.message;
        for (const a of [...plain, ...hist]) a.checker.head?.(e.message);
        prefetch = !!opts.prefetchHistory && hist.length > 0;
      } else if (e.kind === 'client') {
        if (prefetch) {
          ahead.push({ client: e.client, at: { index: e.index, path: e.path } }); // judged when the next batch's look-up runs
          counted(e);
          if (ahead.length >= batchSize) await advance();
          continue;
        }
        if (many && !hist.length) {
          k = clientsFrom(x as readonly ReadEvent[], k) - 1;
          continue;
        }
        const at = client(e);
        if (hist.length) {
          batch.push({ client: e.client, at });
          if (batch.length >= batchSize) await flushHistory();
        }
      } else {
        await flushHistory();
        if (prefetch) {
          await advance(); // the last clients' look-up, and the batch before them judged
          await advance(); // the last clients judged
        }
        // a message without clients (JW319) asks the history once, with the whole message
        const endSnapshot = hist.length && clients === 0 ? memoized(await opts.history!.lookup(historyRequest(type!, e.message, []))) : undefined;
        for (const a of plain) a.checker.end?.(e.message);
        for (const a of hist) a.checker.end?.(e.message, endSnapshot);
      }
    }
  }
  if (!type) throw new Error('Geen bericht gelezen');
  return { type, findings, findingCount: count, clients, lines };
}

/** Every history rule asks for the allocation of every line: answer each question once per batch. */
function memoized(h: HistorySnapshot): HistorySnapshot {
  // keyed by number (an allocation belongs to one youth, so the BSN asked with it is nearly always the same)
  const allocations = new Map<number, { bsn: string; a: ReturnType<HistorySnapshot['allocation']> }>();
  const tariffs = new Map<string, ReturnType<HistorySnapshot['contractTariff']>>();
  return {
    ...h,
    allocation(n, bsn) {
      const hit = allocations.get(n);
      if (hit && hit.bsn === bsn) return hit.a;
      const a = h.allocation(n, bsn);
      if (!hit) allocations.set(n, { bsn, a });
      return a;
    },
    contractTariff(code, date) {
      const key = `${code}|${date}`;
      if (tariffs.has(key)) return tariffs.get(key);
      const t = h.contractTariff(code, date);
      tariffs.set(key, t);
      return t;
    },
  };
}
