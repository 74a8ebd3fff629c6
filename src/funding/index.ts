// Funding's one door: settlement rules per funding form, contract terms, positions and year-end statements.
export * from './rules.ts';
export { validateContractFunding, ContractFundingInput, TermsSchemas } from './terms.ts';
export { lineVariantJudge, variantContracts, allocationProfile, type LineForVariant, type LineVariantJudge, type LineJudgement } from './store.ts';
export {
  contractPositions,
  computeStatement,
  regionStatements,
  closeStatement,
  closedStatements,
  saveContractFunding,
  saveQuarterFigures,
  saveCostLines,
  saveCostKey,
  recordPayment,
  type Statement,
  type ContractPosition,
} from './store.ts';
export { statementPdf } from './statement-pdf.ts';
export { parseFiguresCsv, FIGURES_CSV_HEADER } from './csv.ts';
export { loadFundingDemo } from './demo.ts';
export { fundingRoutes } from './routes.ts';
// Money moved here from ijw and monitoring (issue 15 §8): the ledger (booking and reading) and the budgets.
export { bookLines, bookedTariff, type LineToBook, FIRST_LEDGER_PAGE, ledger, ledgerPage, latestYear } from './ledger.ts';
export { budgetReport, importBudgets, type BudgetCell, type BudgetLine } from './budgets.ts';
export { ledgerRoutes } from './ledger-routes.ts';
export { warmFunding } from './warm.ts';
export { budgetRoutes } from './budget-routes.ts';
// The year's costs per funding form and the rows behind them (monitoring's dashboard, issue 15 §6).
export { costsByFundingForm, fundingFormRows, FUNDING_FORMS, FUNDING_FORM_LABEL, type FormCost, type FormContractRows } from './costs.ts';
