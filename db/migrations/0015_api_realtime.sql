-- Socket.IO's Postgres adapter keeps payloads too large for a NOTIFY here (a platform table; rows
-- live 30 s). Its schema is the one the adapter documents.
CREATE TABLE IF NOT EXISTS "socket_io_attachments" (
	"id" bigserial UNIQUE,
	"created_at" timestamp with time zone DEFAULT now(),
	"payload" bytea
);
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON socket_io_attachments TO qs_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE socket_io_attachments_id_seq TO qs_app;
--> statement-breakpoint
-- Every write to a tenant's orders, whichever code path makes it, leaves an `orders` event in
-- the outbox and a NOTIFY in the same transaction: a rolled-back change announces nothing.
CREATE OR REPLACE FUNCTION qs_publish_api_event(p_tenant int, p_channel text, p_payload jsonb) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  event_id bigint;
BEGIN
  INSERT INTO api_events (tenant_id, channel, payload) VALUES (p_tenant, p_channel, p_payload) RETURNING id INTO event_id;
  PERFORM pg_notify('qs_api_events', json_build_object('id', event_id, 'tenantId', p_tenant, 'channel', p_channel)::text);
  RETURN event_id;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION orders_api_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM qs_publish_api_event(NEW.tenant_id, 'orders', jsonb_build_object(
    'op', lower(TG_OP), 'tag', NEW.tag, 'decisionId', NEW.decision_id, 'leg', NEW.leg_index,
    'purpose', NEW.purpose, 'side', NEW.side, 'tradingsymbol', NEW.tradingsymbol, 'quantity', NEW.quantity,
    'filledQuantity', NEW.filled_quantity, 'averagePrice', NEW.average_price::text, 'status', NEW.status,
    'broker', NEW.broker, 'workflowId', NEW.workflow_id, 'updatedAt', NEW.updated_at));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER orders_api_event_insert AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_api_event();
--> statement-breakpoint
CREATE TRIGGER orders_api_event_update AFTER UPDATE ON orders FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION orders_api_event();
