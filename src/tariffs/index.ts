// The tariff calculator's public door (rekentool, brief §2): cost-price build-up, verblijfsintensiteiten,
// gezinshuis per home, indexation, budget impact and publishing tariff sets into the product book.
export { tariffRoutes } from './routes.ts';
export { loadTariffDemo, loadTariffHistory } from './demo.ts';
export * from './model.ts';
export { budgetImpact, type Impact, type Scenario } from './impact.ts';
