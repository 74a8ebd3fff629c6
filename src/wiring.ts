// How the capabilities hear of each other's events, in one place: a capability announces through its own hook and
// never writes into another's tables. Called by every program that opens the application (app.ts, the server, the
// CLI's iJW import, the benches and the tests' databases); calling it twice changes nothing.
import { onCareDatesStored, onDeclarationBooked } from './ijw/index.ts';
import { raiseFactsVersionOf, updateDeclarationFacts } from './monitoring/index.ts';

let wired = false;

export function wireCapabilities(): void {
  if (wired) return;
  wired = true;
  // a JW323 booked lines: monitoring's declaration facts add them, in the import's transaction
  onDeclarationBooked((tx, booked) => updateDeclarationFacts(tx, booked.groups, { rows: booked.rows }));
  // a JW301/JW305/JW307 stored allocations, starts or stops of care: the figures kept while the region's facts stand (monitoring's cache,
  // funding's quarterly review counts referrals by these dates) are computed again
  onCareDatesStored((tx, municipalityCode) => raiseFactsVersionOf(tx, [municipalityCode]));
}
