export { HealthModule } from './health.module.js';
export { HealthStatus } from './health.response.dto.js';
export { ShutdownState } from './shutdown-state.js';
