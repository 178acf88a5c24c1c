export {
  createTesseraClient,
  type ClientOptions,
  type RequestOf,
  type ResultOf,
  type TesseraClient,
} from './client.js';
export { OPERATIONS, type OperationId } from './operations.js';
export type { components, operations, paths } from './schema.js';
