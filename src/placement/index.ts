// The coordination point's public door (coördinatiepunt Wonen en Verblijf, brief §5).
export { placementRoutes } from './routes.ts';
export { loadPlacementDemo } from './demo.ts';
export { GROUP_TYPES, EXPERTISE, TARGET_GROUPS, freePlaces, trafficLight, rankProposals } from './rules.ts';
export { providerWaitingTimes } from './stats.ts';
export { registerChanged } from './register.ts';
export { pendingWaits, resolvePendingWaits } from './stats.ts';
