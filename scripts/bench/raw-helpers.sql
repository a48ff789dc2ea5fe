-- The one-statement baseline of the bench (npm run bench), taken over from the shared peer comparison
-- kit (bench/project/raw-helpers.sql) unchanged.
-- Helpers for the raw-SQL baseline, in their own schema `bench` (PostGraphile exposes only public).
-- All are LANGUAGE sql IMMUTABLE one-liners, so the planner inlines them into raw-page.sql.
CREATE SCHEMA IF NOT EXISTS bench;
-- base64url without padding, as Buffer.toString('base64url') (encode() wraps lines at 76 chars)
CREATE OR REPLACE FUNCTION bench.b64url(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN rtrim(translate(replace(encode(convert_to(t, 'UTF8'), 'base64'), E'\n', ''), '+/', '-_'), '=');
-- global node id: base64url("Type:id") (src/common/ids.ts)
CREATE OR REPLACE FUNCTION bench.gid(type text, id bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN bench.b64url(type || ':' || id);
-- timestamps as JS Date.toISOString(): 2024-05-01T16:03:00.000Z
CREATE OR REPLACE FUNCTION bench.iso(t timestamptz) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
-- numeric shown with trailing zeros dropped down to min_scale digits (src/common/money.ts trimDecimal)
CREATE OR REPLACE FUNCTION bench.dec(v numeric, min_scale int) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN round(v, greatest(min_scale, scale(trim_scale(v))))::text;
