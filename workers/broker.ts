/** Worker for the shared `broker` task queue (tenants without a queue of their own); see broker-worker.ts. */
import { main } from './bootstrap';
import { brokerWorkerDefinition } from './broker-worker';

main(brokerWorkerDefinition());
