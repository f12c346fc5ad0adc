-- A decision's row changes after it is made: its placement records the outcome (trade → filled,
-- unwound, rejected…; an exit's or a flatten's placing → filled). Each change of status announces itself
-- on the `decisions` channel in the transaction that writes it, with the decision's orders as they stand
-- then. Only a real change announces: an outcome recorded again by a retried activity is no event.
CREATE OR REPLACE FUNCTION decisions_status_api_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM qs_publish_api_event(NEW.tenant_id, 'decisions', jsonb_build_object(
    'kind', 'status', 'decisionId', NEW.id, 'tradingDate', NEW.trading_date::text, 'status', NEW.status,
    'previousStatus', OLD.status, 'structure', NEW.structure, 'instrument', NEW.instrument, 'lots', NEW.lots,
    'netEv', NEW.net_ev::text, 'workflowId', NEW.workflow_id, 'createdAt', NEW.created_at,
    'orders', coalesce((
      SELECT jsonb_agg(jsonb_build_object('tag', o.tag, 'leg', o.leg_index, 'status', o.status,
                                          'quantity', o.quantity, 'filledQuantity', o.filled_quantity)
                       ORDER BY o.leg_index, o.tag)
        FROM orders o WHERE o.tenant_id = NEW.tenant_id AND o.decision_id = NEW.id), '[]'::jsonb)));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER decisions_status_api_event AFTER UPDATE OF status ON decisions FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION decisions_status_api_event();
