// Monitoring's public door for the other capabilities: the fact tables it keeps. Booking a declaration (iJW) or
// loading demo data tells monitoring what changed through these functions; nobody else writes its tables.
export { ensureFacts, refreshFacts, refreshTrajectories, updateDeclarationFacts, type FactGroup } from './facts.ts';
