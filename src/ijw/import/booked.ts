// The hooks through which other capabilities learn what an import stored: the lines a JW323 booked, and the allocations,
// starts and stops of care a JW301/JW305/JW307 recorded. The import does not know who keeps figures of them; monitoring listens here
// (wired once in src/wiring.ts), so the iJW capability does not write into monitoring's tables. A listener runs inside
// the import's transaction: what it writes commits or rolls back with the message, and an error it throws refuses the
// import.
import type { Db } from '../../db/index.ts';

/** One booked ledger row as a listener sees it (accepted; a credit, debitCredit 'C', counts negative). */
export interface BookedLine {
  municipalityCode: string;
  providerId: number;
  productId: number;
  youthId: number;
  periodStart: string;
  amountCents: number | null;
  debitCredit: string | null;
}

/**
 * The lines one declaration booked: of message `messageId` (lines 1 … `lines` of it), in these municipality × provider
 * × year groups. `rows()` walks the booked rows again, in file order, from what the import holds (nothing is read back
 * from the database); a listener may call it more than once.
 */
export interface BookedLines {
  messageId: number;
  lines: number;
  groups: { municipalityCode: string; providerId: number; year: number }[];
  rows: () => Iterable<BookedLine>;
}
export type BookedListener = (tx: Db, booked: BookedLines) => Promise<void>;

const listeners = new Set<BookedListener>();

/** Adds a listener (once per function); returns the function that removes it. */
export function onDeclarationBooked(listener: BookedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Tells every listener, in the import's transaction. Without any listener the import refuses: figures that silently
 * stop following the ledger are worse than an import that does not run (call wireCapabilities() from src/wiring.ts
 * in every program that imports messages).
 */
export async function announceBooked(tx: Db, booked: BookedLines): Promise<void> {
  if (!listeners.size)
    throw new Error(
      'Niemand houdt de cijfers van geboekte declaratieregels bij: roep wireCapabilities() (src/wiring.ts) aan voordat berichten worden ingelezen',
    );
  for (const listener of listeners) await listener(tx, booked);
}

/** A JW301, JW305 or JW307 of this municipality stored allocations, starts or stops of care (the dates a trajectory is counted by). */
export type CareDatesListener = (tx: Db, municipalityCode: string) => Promise<void>;

const careListeners = new Set<CareDatesListener>();

/** Adds a listener for stored starts and stops of care (once per function); returns the function that removes it. */
export function onCareDatesStored(listener: CareDatesListener): () => void {
  careListeners.add(listener);
  return () => careListeners.delete(listener);
}

/** Tells every listener, in the import's transaction; refuses without one, as announceBooked does. */
export async function announceCareDates(tx: Db, municipalityCode: string): Promise<void> {
  if (!careListeners.size)
    throw new Error(
      'Niemand houdt de cijfers bij die start en einde van zorg lezen: roep wireCapabilities() (src/wiring.ts) aan voordat berichten worden ingelezen',
    );
  for (const listener of careListeners) await listener(tx, municipalityCode);
}
