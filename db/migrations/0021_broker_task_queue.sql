-- A tenant's own broker task queue (NULL: the shared `broker` queue): its broker calls run only on
-- the worker at the static IP it registered with its broker. Named like contracts/task-queues.ts says.
ALTER TABLE "broker_accounts" ADD COLUMN "task_queue" text;--> statement-breakpoint
ALTER TABLE "broker_accounts" ADD CONSTRAINT "broker_accounts_task_queue"
  CHECK ("broker_accounts"."task_queue" IS NULL
    OR "broker_accounts"."task_queue" ~ '^broker\.[a-z0-9][a-z0-9._-]{0,78}[a-z0-9]$');--> statement-breakpoint
-- Two tenants never share a dedicated queue (one client per registered IP).
CREATE UNIQUE INDEX "broker_accounts_task_queue_unique" ON "broker_accounts" ("task_queue")
  WHERE "task_queue" IS NOT NULL;
