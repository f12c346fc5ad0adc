-- A platform table: the runtime counts and clears failed logins; no tenant isolation applies
-- (its keys are digests of the account or client address, never readable PII).
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO qs_app;
