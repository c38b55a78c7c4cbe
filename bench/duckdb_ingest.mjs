// DuckDB baseline for the ingest benchmark: read the same CSV files, count the
// rows and distinct users, and group events by day and cell (what a QA pass needs).
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
const threads = process.argv[3] ?? '2';
const instance = await DuckDBInstance.create(':memory:', { threads });
const con = await instance.connect();
const t0 = performance.now();
const totals = await con.runAndReadAll(`
  CREATE TABLE ev AS SELECT * FROM read_csv('${dir}/events/*.csv', header = true,
    columns = {'user_id':'VARCHAR','timestamp':'TIMESTAMP','cell_id':'VARCHAR','event_type':'VARCHAR',
               'mcc':'VARCHAR','mnc':'VARCHAR','plmn':'VARCHAR','duration':'INTEGER'});
  SELECT count(*) AS rows, count(DISTINCT user_id) AS devices FROM ev;`);
const grouped = await con.runAndReadAll(`
  SELECT count(*) AS groups FROM (SELECT CAST(timestamp AS DATE) AS day, cell_id, count(*) AS n,
         count(DISTINCT user_id) AS d FROM ev GROUP BY ALL)`);
const t1 = performance.now();
const [rows, devices] = totals.getRows()[0];
console.log(JSON.stringify({ rows: Number(rows), devices: Number(devices),
                             day_cell_groups: Number(grouped.getRows()[0][0]), seconds: (t1 - t0) / 1000 }));
