// Funding's first questions for a region, asked once in the background after the server starts (src/warm.ts), so that
// the region's ledger, the use of availability contracts, the quarterly review's referral counts and the commitments
// are in memory before a user opens Bekostiging, the budget or the P*Q ledger. Asked through the same functions as the
// routes.
import type { DataScope } from '../access/roles.ts';
import type { Db } from '../db/index.ts';
import { yieldToEventLoop } from '../core/work.ts';
import { FIRST_LEDGER_PAGE, ledgerPage } from './ledger.ts';
import { commitments, contractPositions } from './store.ts';

/** `contractsYear`: the year Bekostiging opens on; `latestYear`: the last year with declarations (budget, ledger). */
// A yield before each question (and between the steps of contractPositions): on the embedded database statements that
// follow each other without one never let the server answer in between (src/warm.ts).
export async function warmFunding(db: Db, scope: DataScope, years: { contractsYear: number | null; latestYear: number | null }): Promise<void> {
  if (years.contractsYear !== null) {
    await yieldToEventLoop();
    await contractPositions(db, scope, years.contractsYear);
    // Bekostiging's commitments on the screen's default peildatum (web/src/pages/FundingCommitments.tsx: 30 June)
    await yieldToEventLoop();
    await commitments(db, scope, years.contractsYear, `${years.contractsYear}-06-30`);
  }
  if (years.latestYear !== null && years.latestYear !== years.contractsYear) {
    await yieldToEventLoop();
    await contractPositions(db, scope, years.latestYear);
  }
  if (years.latestYear !== null) {
    await yieldToEventLoop();
    await ledgerPage(db, scope, years.latestYear, undefined, FIRST_LEDGER_PAGE);
  }
}
