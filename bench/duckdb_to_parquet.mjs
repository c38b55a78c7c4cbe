// Converts the ingest benchmark's CSV events to Parquet with DuckDB, as an
// operator's export would be: the timestamp a TIMESTAMP, duration an INTEGER,
// ids as strings; ZSTD, Parquet v2 (DELTA encodings), DuckDB's default row groups.
//   node bench/duckdb_to_parquet.mjs DIR      events/*.csv → parquet/*.parquet
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await instance.connect();
fs.mkdirSync(path.join(dir, 'parquet'), { recursive: true });
for (const f of fs.readdirSync(path.join(dir, 'events')).filter((f) => f.endsWith('.csv')).sort()) {
  await con.run(`COPY (SELECT * FROM read_csv('${dir}/events/${f}', header = true,
      columns = {'user_id':'VARCHAR','timestamp':'TIMESTAMP','cell_id':'VARCHAR','event_type':'VARCHAR',
                 'mcc':'VARCHAR','mnc':'VARCHAR','plmn':'VARCHAR','duration':'INTEGER'}))
    TO '${dir}/parquet/${f.replace('.csv', '.parquet')}' (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v2)`);
}
