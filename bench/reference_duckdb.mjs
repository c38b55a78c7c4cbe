// DuckDB baseline (bench/run.sh): load the event CSV files, compute the
// reference indicators of bench/sql/reference.sql and write them as CSV.
// Usage: node reference_duckdb.mjs EVENTS_GLOB CELL_ZONE_CSV OUT_DIR [THREADS]
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync, mkdirSync } from 'node:fs';

const [glob, cellZone, out, threads = '2'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const instance = await DuckDBInstance.create(':memory:', { threads, preserve_insertion_order: 'true' });
const con = await instance.connect();
const t0 = performance.now();
// rowid follows file order (files sorted by name, insertion order preserved).
await con.run(`
  CREATE TABLE raw0 AS SELECT user_id, "timestamp" AS ts, cell_id, mcc, plmn FROM read_csv('${glob}', header = true,
    columns = {'user_id':'VARCHAR','timestamp':'TIMESTAMP','cell_id':'VARCHAR','event_type':'VARCHAR',
               'mcc':'VARCHAR','mnc':'VARCHAR','plmn':'VARCHAR','duration':'VARCHAR'});
  CREATE TABLE raw AS SELECT rowid AS id, user_id, ts, cell_id, mcc, plmn FROM raw0;
  DROP TABLE raw0;
  CREATE TABLE cell_zone AS SELECT * FROM read_csv('${cellZone}', header = true,
    columns = {'cell':'VARCHAR','zone':'VARCHAR'});`);
const t1 = performance.now();
await con.run(readFileSync(new URL('./sql/reference.sql', import.meta.url), 'utf8'));
for (const t of ['events', 'present', 'home', 'od'])
  await con.run(`COPY r_${t} TO '${out}/${t}.csv' (HEADER, DELIMITER ',')`);
const t2 = performance.now();
console.log(JSON.stringify({ load_seconds: (t1 - t0) / 1000, query_seconds: (t2 - t1) / 1000 }));
