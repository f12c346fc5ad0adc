-- Two sessions making the same day's market-snapshot partition at once (two workers deciding at
-- the first instant of a day) both saw it missing and both ran CREATE TABLE: one failed with
-- "relation already exists". Callers now queue on a transaction advisory lock and look again
-- once they hold it; a partition made by a session outside the lock (an operator by hand) is
-- still taken as made, not as an error.
CREATE OR REPLACE FUNCTION ensure_market_snapshot_partitions(from_day date, to_day date) RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  d date;
  made int := 0;
  part text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'market_snapshots'::regclass) THEN
    RETURN 0;
  END IF;
  IF to_day - from_day > 366 THEN
    RAISE EXCEPTION 'refusing to create more than 366 partitions at once';
  END IF;
  d := from_day;
  WHILE d <= to_day LOOP
    part := 'market_snapshots_' || to_char(d, 'YYYYMMDD');
    IF to_regclass(part) IS NULL THEN
      PERFORM pg_advisory_xact_lock(hashtext('ensure_market_snapshot_partitions'));
      IF to_regclass(part) IS NULL THEN
        BEGIN
          EXECUTE format('CREATE TABLE %I PARTITION OF market_snapshots FOR VALUES FROM (%L) TO (%L)', part,
                         (d::timestamp AT TIME ZONE 'Asia/Kolkata'), ((d + 1)::timestamp AT TIME ZONE 'Asia/Kolkata'));
          made := made + 1;
        EXCEPTION WHEN duplicate_table OR unique_violation THEN
          NULL;
        END;
      END IF;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN made;
END $$;
