// Monitoring's public door for the other capabilities: the fact tables it keeps. Booking a declaration (iJW) or
// loading demo data tells monitoring what changed through these functions; nobody else writes its tables.
export { ensureFacts, refreshFacts, refreshTrajectories, updateDeclarationFacts, type BookedFactLine, type FactGroup } from './facts.ts';
// Answers kept while the region's declaration facts stand (the iJW ledger's pages use it too).
export { cachedFigures, MAX_AGE_MS, raiseFactsVersionOf, refreshAhead } from './cache.ts';
export { warmMonitoring } from './figures.ts';

// The quarterly provider report (contract management builds its conversation agenda on it). Loaded on first use:
// the report pulls in PDF and placement code that the fact functions above must not drag along (the iJW import).
type Report = typeof import('./report.ts');
export type { ProviderQuarterReport } from './report.ts';
export const latestQuarter = async (...a: Parameters<Report['latestQuarter']>) => (await import('./report.ts')).latestQuarter(...a);
export const providerQuarterReport = async (...a: Parameters<Report['providerQuarterReport']>) => (await import('./report.ts')).providerQuarterReport(...a);
