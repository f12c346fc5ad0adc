-- A linked user's notification preferences: the event types they chose not to hear about.
ALTER TABLE "telegram_links" ADD COLUMN "muted_events" text[] NOT NULL DEFAULT '{}';
