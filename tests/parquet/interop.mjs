// Interop with DuckDB, run by interop.sh (a ctest test):
//   node interop.mjs to-parquet DIR      events/*.csv.gz → events/*.parquet (typed timestamp, v2, zstd)
//   node interop.mjs compare TIER2_DIR   every <table>.parquet mpdstat wrote reads in DuckDB
//                                        as the rows of <table>.csv (typed as the Parquet schema says)
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';

const [mode, dir] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await db.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRows();
const q = (s) => `'${s.replaceAll("'", "''")}'`;

if (mode === 'to-parquet') {
  const events = path.join(dir, 'events');
  for (const f of fs.readdirSync(events).filter((f) => f.endsWith('.csv.gz'))) {
    const src = path.join(events, f);
    const dst = path.join(events, f.replace('.csv.gz', '.parquet'));
    // Text columns stay text (the row parser judges them as in CSV); the timestamp
    // becomes a TIMESTAMP, so mpdstat reads it as an instant; malformed times become null.
    await con.run(`COPY (SELECT * REPLACE (try_strptime(timestamp, '%Y-%m-%d %H:%M:%S') AS timestamp)
                         FROM read_csv(${q(src)}, header = true, all_varchar = true, strict_mode = false,
                                       null_padding = true, ignore_errors = true))
                   TO ${q(dst)} (FORMAT parquet, PARQUET_VERSION v2, COMPRESSION zstd)`);
  }
  process.exit(0);
}

if (mode === 'compare') {
  let failures = 0, tables = 0;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.parquet')).sort()) {
    const pq = path.join(dir, f);
    const csv = pq.replace(/\.parquet$/, '.csv');
    const schema = await rows(`DESCRIBE SELECT * FROM read_parquet(${q(pq)})`);
    const columns = '{' + schema.map(([name, type]) => `${q(name)}: ${q(type)}`).join(', ') + '}';
    const fromCsv = `read_csv(${q(csv)}, header = true, columns = ${columns}, quote = '"', escape = '"')`;
    const [[n]] = await rows(`SELECT count(*) FROM read_parquet(${q(pq)})`);
    const [[m]] = await rows(`SELECT count(*) FROM ${fromCsv}`);
    const [[a]] = await rows(`SELECT count(*) FROM (SELECT * FROM read_parquet(${q(pq)}) EXCEPT ALL SELECT * FROM ${fromCsv})`);
    const [[b]] = await rows(`SELECT count(*) FROM (SELECT * FROM ${fromCsv} EXCEPT ALL SELECT * FROM read_parquet(${q(pq)}))`);
    const [[nulls]] = await rows(`SELECT count(*) FROM read_parquet(${q(pq)}) WHERE status = 'suppressed' AND support IS NULL`);
    const ok = n === m && a === 0n && b === 0n;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${f}: ${n} rows (${nulls} suppressed as nulls), csv ${m}, only in parquet ${a}, only in csv ${b}`);
    failures += !ok;
    ++tables;
  }
  if (tables === 0) { console.log('no Parquet tables found'); process.exit(1); }
  process.exit(failures ? 1 : 0);
}
console.error('usage: node interop.mjs to-parquet DIR | compare TIER2_DIR');
process.exit(2);
