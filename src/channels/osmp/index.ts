export { osmpRoutes } from './osmp.routes.ts';
export { listAgents, type PaymentAgent, saveAgent, setAgentActive } from './osmp-agent.repository.ts';
