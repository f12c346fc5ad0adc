-- First start of the Docker stack's Postgres (runs as the superuser): roles, database, TimescaleDB.
-- Same shape as db/provision.ts does for the embedded server. Passwords come from the compose env.
\set admin_pw `echo "$QS_ADMIN_DB_PASSWORD"`
\set app_pw `echo "$QS_APP_DB_PASSWORD"`
CREATE ROLE qs_admin LOGIN NOSUPERUSER NOBYPASSRLS CREATEROLE PASSWORD :'admin_pw';
CREATE ROLE qs_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD :'app_pw';
CREATE DATABASE quantsentinel OWNER qs_admin;
\connect quantsentinel
CREATE EXTENSION IF NOT EXISTS timescaledb;
ALTER SCHEMA public OWNER TO qs_admin;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO qs_app;
