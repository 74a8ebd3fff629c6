// The shape of a rule and of what it finds. Every rule lives in one place (a `defineRule` call) with its code,
// return code (WJ001), layer, the messages it applies to and its text; the engine (engine.ts) runs them.
import type { ClientMap, MessageMap, MessageType } from '../schema.ts';
import type { NationalLists } from '../lists.ts';
import type { HistorySnapshot } from './history-types.ts';

/**
 * The standard's control levels (controleniveau), in the order a message is judged:
 * - xsd:      the XSD (structure, types, code lists in the XSD)
 * - bericht:  conditions and constraints (CD/CS), technical rules within one message (TR, "xslt") and the
 *             business rules (OP) that one message shows
 * - extern:   rules against the national lists the product ships (TR378 municipalities, TR381 product codes)
 *             and TR346 (amount = volume × tariff), which the standard files under "externe bron"
 * - historie: rules across messages (TR "berichtoverstijgend", OP368): allocations, earlier declarations, contract tariffs
 */
export type Layer = 'xsd' | 'bericht' | 'extern' | 'historie';

export interface Finding {
  /** Rule code: XSD, CS003, TR101, OP367 … */
  code: string;
  /** Return code from WJ001 (e.g. 0001, 9346, S300). */
  retourcode: string;
  /** XPath of the element the finding is about: /Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie[1]/… */
  location: string;
  /**
   * Every element the finding is about, as the official stylesheet names them (its `Locatie`s: e.g. both dates of a
   * period that ends before it starts); the first is `location`. Absent when the finding is about one element.
   */
  locations?: string[];
  /** Plain Dutch: what is wrong. */
  text: string;
  layer: Layer;
  /** Line in the file, when known (XSD findings). */
  line?: number;
}

export interface RuleContext<T extends MessageType = MessageType> {
  readonly type: T;
  /**
   * Report a finding of this rule at `location`; `detail` says what exactly, in Dutch (without it the rule's text is
   * used). `retourcode` replaces the rule's own where one rule maps to two codes (OP368: 9307 or 9308). A list of
   * locations names every element involved, as the official stylesheet does (the first is the finding's location).
   */
  report(location: string | readonly string[], detail?: string, retourcode?: string): void;
  readonly lists: NationalLists;
  /** Today's date (YYYY-MM-DD), for rules about dates in the future. */
  readonly today: string;
}

export interface ClientAt {
  /** 0-based position of the Client in the message. */
  index: number;
  /** XPath of the Client element. */
  path: string;
}

/** The checks of one rule on one message; state (keys seen, running sums) lives in the closure of `start`. */
export interface Checker<T extends MessageType = MessageType> {
  /** The message up to its first Client (header, declaration period …). */
  head?(message: MessageMap[T]): void;
  /** One Client. History rules get the snapshot of what the history knows about this batch of clients. */
  client?(client: ClientMap[T], at: ClientAt, history?: HistorySnapshot): void;
  /**
   * The complete message (without its clients); for message-wide checks. History rules of a message without clients
   * (JW319) get the snapshot here.
   */
  end?(message: MessageMap[T], history?: HistorySnapshot): void;
}

export interface RuleDef<T extends MessageType = MessageType> {
  code: string;
  /** WJ001 return code. CS/CD and the "xslt" TR rules reject the whole file: 0001. */
  retourcode: string;
  layer: Exclude<Layer, 'xsd'>;
  messages: readonly T[];
  /** The rule as the standard states it (Dutch). */
  text: string;
  /** Why and how we check it, when that is not obvious (Dutch or English; shown in docs). */
  note?: string;
  start(ctx: RuleContext<T>): Checker<T>;
}

/** Type helper: keeps each rule's message types precise. */
export function defineRule<T extends MessageType>(def: RuleDef<T>): RuleDef<T> {
  return def;
}
