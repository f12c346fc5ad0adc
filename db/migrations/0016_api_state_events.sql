-- Positions and kill switches announce their changes like orders do (outbox + NOTIFY in the
-- writing transaction): the `positions` and `trading-state` channels of the API.
CREATE OR REPLACE FUNCTION positions_api_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r positions;
BEGIN
  r := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  PERFORM qs_publish_api_event(r.tenant_id, 'positions', jsonb_build_object(
    'op', lower(TG_OP), 'tradingsymbol', r.tradingsymbol, 'instrument', r.instrument,
    'quantity', CASE WHEN TG_OP = 'DELETE' THEN 0 ELSE r.quantity END,
    'averagePrice', r.average_price::text, 'realizedPnl', r.realized_pnl::text, 'updatedAt', r.updated_at));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER positions_api_event AFTER INSERT OR DELETE ON positions FOR EACH ROW EXECUTE FUNCTION positions_api_event();
--> statement-breakpoint
CREATE TRIGGER positions_api_event_update AFTER UPDATE ON positions FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION positions_api_event();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kill_switches_api_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM qs_publish_api_event(NEW.tenant_id, 'trading-state', jsonb_build_object(
    'kind', 'kill_switch', 'scope', NEW.scope, 'target', NEW.target, 'active', NEW.active,
    'reason', NEW.reason, 'setBy', NEW.set_by, 'updatedAt', NEW.updated_at));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER kill_switches_api_event AFTER INSERT OR UPDATE ON kill_switches FOR EACH ROW
  EXECUTE FUNCTION kill_switches_api_event();
