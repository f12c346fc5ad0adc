/** SystemCheck's result: the round trip worker → activity → Postgres, and who served the broker queue. */
export interface SystemCheckResult {
  checkId: string;
  workflowId: string;
  worker: string;
  brokerWorker: string;
  inserted: boolean;
  dbTime: string;
}
