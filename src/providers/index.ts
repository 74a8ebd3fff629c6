// The providers' register: the one door other capabilities use (issue 16; brief §7).
export { providerRoutes } from './routes.ts';
export { ProviderMatcher, normaliseName, similarity, suggestion, eightDigits, type MatchProvider, type MatchResult, type Candidate } from './match.ts';
export { providerMatcher, matchableProviders } from './store.ts';
