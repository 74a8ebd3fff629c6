// The one hook through which other capabilities learn what a JW323 import booked. The import does not know who keeps
// figures of the ledger; monitoring's declaration facts listen here (wired once in src/wiring.ts), so the iJW
// capability does not write into monitoring's tables. A listener runs inside the import's transaction: what it
// writes commits or rolls back with the lines, and an error it throws refuses the import.
import type { Db } from '../../db/index.ts';

/** The lines one declaration booked: lines 1 … `lines` of message `messageId`, in these municipality × provider × year groups. */
export interface BookedLines {
  messageId: number;
  lines: number;
  groups: { municipalityCode: string; providerId: number; year: number }[];
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
