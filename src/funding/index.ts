// Funding's one door: settlement rules per funding form, contract terms, positions and year-end statements.
export * from './rules.ts';
export { validateContractFunding, ContractFundingInput, TermsSchemas } from './terms.ts';
export { lineVariantJudge, variantContracts, allocationProfile, type LineForVariant, type LineVariantJudge, type LineJudgement } from './store.ts';
export { contractPositions, computeStatement, regionStatements, closeStatement, closedStatements, saveContractFunding, saveQuarterFigures, saveCostLines, saveCostKey, recordPayment, type Statement, type ContractPosition } from './store.ts';
export { statementPdf } from './statement-pdf.ts';
export { parseFiguresCsv, FIGURES_CSV_HEADER } from './csv.ts';
export { loadFundingDemo } from './demo.ts';
export { fundingRoutes } from './routes.ts';
