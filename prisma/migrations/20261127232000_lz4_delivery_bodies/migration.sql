-- Delivery bodies over ~2 KB are compressed by Postgres when stored (TOAST). Its default method,
-- pglz, cost about a fifth of Postgres's CPU per stored delivery, and lz4 compresses the same
-- JSON about as well for a fraction of the CPU (bench/RESULTS.md, "Profile"). Only new rows
-- change: existing bodies stay as they are, and both kinds read back byte for byte.
--
-- lz4 is an optional build feature of PostgreSQL (the official images, the Debian and Ubuntu
-- packages have it, as do most managed services). Without it the bodies simply stay on pglz.
--
-- The block's semicolons are written \073 because the WebAssembly migration engine splits files at
-- every semicolon, even inside comments and dollar quotes.
DO E'BEGIN
  EXECUTE ''ALTER TABLE "webhook_events" ALTER COLUMN "body" SET COMPRESSION lz4''\073
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE ''This PostgreSQL has no lz4: delivery bodies stay compressed with pglz''\073
END';
