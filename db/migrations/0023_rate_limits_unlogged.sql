-- Request counters are written on every API request (client, tenant and decide windows): as an
-- UNLOGGED table they write no WAL, so a request does not wait for a WAL flush per counter. A crash
-- empties the table, which only restarts the current windows.
ALTER TABLE "api_rate_limits" SET UNLOGGED;
