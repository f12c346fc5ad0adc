-- Decisions, risk-wall firings and trading-day changes announce themselves like orders do (outbox +
-- NOTIFY in the writing transaction): the `decisions`, `gates`, `trading-state` and `pnl` channels.
CREATE OR REPLACE FUNCTION decisions_api_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  fired jsonb;
BEGIN
  PERFORM qs_publish_api_event(NEW.tenant_id, 'decisions', jsonb_build_object(
    'decisionId', NEW.id, 'tradingDate', NEW.trading_date::text, 'status', NEW.status, 'structure', NEW.structure,
    'instrument', NEW.instrument, 'lots', NEW.lots, 'netEv', NEW.net_ev::text, 'workflowId', NEW.workflow_id,
    'createdAt', NEW.created_at));
  SELECT jsonb_agg(jsonb_build_object('wall', g->>'wall', 'reasonCode', g->>'reasonCode')) INTO fired
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.gate_outcomes) = 'array' THEN NEW.gate_outcomes
                                   ELSE '[]'::jsonb END) g
   WHERE (g->>'pass')::boolean IS FALSE;
  IF fired IS NOT NULL THEN
    PERFORM qs_publish_api_event(NEW.tenant_id, 'gates', jsonb_build_object(
      'decisionId', NEW.id, 'tradingDate', NEW.trading_date::text, 'fired', fired, 'at', NEW.created_at));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER decisions_api_event AFTER INSERT ON decisions FOR EACH ROW EXECUTE FUNCTION decisions_api_event();
--> statement-breakpoint
-- The TradingDay audits every operator change and its summary; the audit row is the event's source.
CREATE OR REPLACE FUNCTION trading_day_api_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM qs_publish_api_event(NEW.tenant_id, 'trading-state', jsonb_build_object(
    'kind', CASE WHEN NEW.event_type = 'trading_day.change' THEN 'day_change' ELSE 'day_summary' END,
    'day', NEW.payload, 'at', NEW.created_at));
  IF NEW.event_type = 'trading_day.summary' THEN
    PERFORM qs_publish_api_event(NEW.tenant_id, 'pnl', jsonb_build_object(
      'date', NEW.payload->>'date', 'pnl', NEW.payload->>'pnl', 'maxDrawdown', NEW.payload->>'maxDrawdown',
      'final', true, 'at', NEW.created_at));
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER trading_day_api_event AFTER INSERT ON audit_log FOR EACH ROW
  WHEN (NEW.event_type IN ('trading_day.change', 'trading_day.summary')) EXECUTE FUNCTION trading_day_api_event();
