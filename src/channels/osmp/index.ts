export { osmpRoutes } from './osmp.routes.ts';
export { listAgents, type PaymentAgent, saveAgent } from './osmp-agent.repository.ts';
