// Regenerates the DuckDB-written Parquet fixtures under tests/data/parquet/
// (committed, so the unit tests need no node):   cd tests/parquet && npm install && node make_fixtures.mjs
//
//  types_<variant>.parquet + types.expected.json   every supported type, with nulls, in 4 row groups,
//      written with each codec and PARQUET_VERSION (v2: DELTA encodings, BYTE_STREAM_SPLIT, data page v2);
//      the expected rows are what DuckDB reads back.
//  bronze/year=…/month=…/day=…/*.parquet + bronze_events.csv + bronze_cells.csv
//      the ESS (MultiMNO) bronze network event schema, Hive-partitioned, and the same rows as CSV.
//  ingest/events_typed.parquet, ingest/events_text.parquet, ingest/cells.parquet
//      tests/data/ingest/basic as Parquet: typed columns (v1, snappy) and all text (v2, zstd).
import { DuckDBInstance } from '@duckdb/node-api';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const data = path.resolve(here, '../data');
const out = path.join(data, 'parquet');
fs.mkdirSync(out, { recursive: true });

const db = await DuckDBInstance.create(':memory:', { threads: '1' });
const con = await db.connect();
const run = (sql) => con.run(sql);
const rows = async (sql) => (await con.runAndReadAll(sql)).getRows();

// ---- every type -------------------------------------------------------------
// 120 rows: repeated strings (dictionary), unique strings (no dictionary: DELTA in v2),
// negative and growing integers (delta with negative deltas), nulls in every nullable column.
await run(`
  CREATE TABLE types AS
  SELECT i AS id,
         CASE WHEN i % 7 = 3 THEN NULL ELSE i % 3 = 0 END AS flag,
         CASE WHEN i % 11 = 5 THEN NULL ELSE (i * 37 % 101 - 50)::INTEGER END AS small_int,
         (i * i * 1000003 - 5000000000)::BIGINT AS big_int,
         CASE WHEN i % 13 = 1 THEN NULL ELSE (14.5 + i / 64.0)::FLOAT END AS lat32,
         CASE WHEN i % 17 = 2 THEN NULL ELSE -17.25 - i / 1024.0 END AS lon64,
         CASE WHEN i % 9 = 4 THEN NULL ELSE ['call', 'sms', 'data', 'émis'][i % 4 + 1] END AS kind,
         'cell-' || lpad((i * 7919 % 100003)::VARCHAR, 6, '0') AS unique_id,
         CASE WHEN i % 10 = 0 THEN NULL ELSE ('u' || i)::BLOB END AS raw_id,
         TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i * 3601123) MICROSECOND AS ts_us,
         (TIMESTAMP '2023-12-31 23:00:00' + INTERVAL (i * 61) SECOND)::TIMESTAMP_MS AS ts_ms,
         (TIMESTAMP '2024-03-31 00:59:00' + INTERVAL (i * 1001) MICROSECOND)::TIMESTAMP_NS AS ts_ns,
         TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i * 900) SECOND AS ts_utc,
         DATE '1969-12-25' + i::INTEGER AS day,
         CASE WHEN i % 5 = 1 THEN NULL ELSE ((i - 60) * 12.34)::DECIMAL(9, 2) END AS dec9,
         ((i - 60) * 1234567.891)::DECIMAL(18, 3) AS dec18,
         ((i - 60) * 98765432109876.5432)::DECIMAL(30, 4) AS dec30,
         (i * 4000000)::UINTEGER AS unsigned32
  FROM range(120) t(i)`);

const expectedColumns = [];
const described = await rows(`DESCRIBE types`);
for (const [name, type] of described) {
  let check = 'text';
  if (type === 'FLOAT' || type === 'DOUBLE') check = 'number';
  else if (type.startsWith('TIMESTAMP')) check = 'epoch';
  expectedColumns.push({ name, type, check });
}
const selectExpected = expectedColumns.map(({ name, type, check }) => {
  if (check === 'number') return `${name}::DOUBLE`;
  if (type === 'TIMESTAMP_MS') return `epoch_ms(${name})::VARCHAR`;
  if (type === 'TIMESTAMP_NS') return `epoch_ns(${name})::VARCHAR`;
  if (check === 'epoch') return `epoch_us(${name})::VARCHAR`;
  if (type === 'BLOB') return `lower(hex(${name}))`;
  return `${name}::VARCHAR`;
}).join(', ');

const variants = [
  ['v1_uncompressed', 'uncompressed', 'v1'], ['v1_snappy', 'snappy', 'v1'], ['v1_gzip', 'gzip', 'v1'],
  ['v1_zstd', 'zstd', 'v1'], ['v2_uncompressed', 'uncompressed', 'v2'], ['v2_snappy', 'snappy', 'v2'],
  ['v2_zstd', 'zstd', 'v2'], ['v2_gzip', 'gzip', 'v2'],
];
let expected = null;
for (const [variant, codec, version] of variants) {
  const file = path.join(out, `types_${variant}.parquet`);
  await run(`COPY (SELECT * FROM types ORDER BY id) TO '${file}'
             (FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version})`);
  // What DuckDB reads back from the file is the truth the reader must match.
  const back = await rows(`SELECT ${selectExpected} FROM read_parquet('${file}') ORDER BY id`);
  const text = JSON.stringify(back, (k, v) => (typeof v === 'bigint' ? v.toString() : v));
  if (expected && text !== expected) throw new Error(`${variant} reads back differently`);
  expected = text;
  const enc = await rows(`SELECT DISTINCT path_in_schema, encodings FROM parquet_metadata('${file}') ORDER BY 1`);
  console.log(variant, enc.map(([p, e]) => `${p}:${e}`).join(' '));
}
fs.writeFileSync(path.join(out, 'types.expected.json'),
  JSON.stringify({ columns: expectedColumns, rows: JSON.parse(expected) }) + '\n');

// ---- many row groups ---------------------------------------------------------
// DuckDB's smallest row group is 2,048 rows: 5,000 rows of two columns that compress
// well give three row groups in a few KB. id = row number, kind = ['a','b','c'][id % 3],
// null every 100th row.
for (const [variant, codec, version] of [['v1_snappy', 'snappy', 'v1'], ['v2_zstd', 'zstd', 'v2']]) {
  const file = path.join(out, `row_groups_${variant}.parquet`);
  await run(`COPY (SELECT i AS id, CASE WHEN i % 100 = 99 THEN NULL ELSE ['a', 'b', 'c'][i % 3 + 1] END AS kind
                   FROM range(5000) t(i))
             TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 2048)`);
  const groups = await rows(`SELECT DISTINCT row_group_id FROM parquet_metadata('${file}')`);
  if (groups.length !== 3) throw new Error(`${file}: ${groups.length} row groups, 3 expected`);
}

// ---- ESS bronze network events, Hive-partitioned ---------------------------------
// MultiMNO's bronze schema: user_id binary, timestamp string, mcc int, mnc string, plmn int,
// cell_id string, latitude / longitude / loc_error float; partitioned by year / month / day.
const bronze = path.join(out, 'bronze');
fs.rmSync(bronze, { recursive: true, force: true });
await run(`
  CREATE TABLE bronze AS
  SELECT ('device-' || (i % 23))::BLOB AS user_id,
         strftime(TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i * 1187) SECOND, '%Y-%m-%dT%H:%M:%S') AS timestamp,
         CASE WHEN i % 31 = 7 THEN 208 ELSE 608 END::INTEGER AS mcc,
         CASE WHEN i % 31 = 7 THEN '10' ELSE '01' END AS mnc,
         CASE WHEN i % 29 = 3 THEN 20801 ELSE 60801 END::INTEGER AS plmn,
         CASE WHEN i % 29 = 3 THEN NULL ELSE 'C' || (i % 4 + 1) END AS cell_id,
         CASE WHEN i % 3 = 0 THEN NULL ELSE (14.70 + (i % 4) * 0.01)::FLOAT END AS latitude,
         CASE WHEN i % 3 = 0 THEN NULL ELSE (-17.45 + (i % 4) * 0.01)::FLOAT END AS longitude,
         (i % 50)::FLOAT AS loc_error,
         2024::SMALLINT AS year,
         1::TINYINT AS month,
         (1 + (i * 1187) // 86400)::TINYINT AS day
  FROM range(200) t(i)`);
await run(`COPY bronze TO '${bronze}' (FORMAT parquet, PARTITION_BY (year, month, day), COMPRESSION zstd,
           PARQUET_VERSION v2, ROW_GROUP_SIZE 50)`);
// The same rows as CSV: the binary id as lowercase hex, floats as DuckDB prints them.
await run(`COPY (SELECT lower(hex(user_id)) AS user_id, timestamp, mcc, mnc, plmn, cell_id, latitude, longitude,
                        loc_error, year, month, day FROM bronze)
           TO '${path.join(out, 'bronze_events.csv')}' (HEADER, DELIMITER ',')`);
fs.copyFileSync(path.join(data, 'ingest/basic/cells.csv'), path.join(out, 'bronze_cells.csv'));

// ---- the ingest fixture as Parquet -------------------------------------------------
// Rows DuckDB cannot hold (a short row, invalid UTF-8) are left out: the parse
// stage rejects them anyway, so the store is the same.
const ingestDir = path.join(out, 'ingest');
fs.mkdirSync(ingestDir, { recursive: true });
const csvLines = fs.readFileSync(path.join(data, 'ingest/basic/events.csv'));
const kept = [];
let start = 0;
for (let i = 0; i <= csvLines.length; ++i) {
  if (i === csvLines.length || csvLines[i] === 10) {
    const line = csvLines.subarray(start, i);
    start = i + 1;
    if (line.length === 0) continue;
    const text = line.toString('utf8');
    if (Buffer.from(text, 'utf8').compare(line) !== 0) continue;  // not valid UTF-8
    if (text.split(',').length !== 8 && !text.includes('"')) continue;
    kept.push(text);
  }
}
const cleanCsv = path.join(ingestDir, 'events_clean.tmp.csv');
fs.writeFileSync(cleanCsv, kept.join('\n') + '\n');
await run(`CREATE TABLE ev_text AS SELECT * FROM read_csv('${cleanCsv}', header = true, all_varchar = true)`);
await run(`COPY ev_text TO '${path.join(ingestDir, 'events_text.parquet')}'
           (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION v2, ROW_GROUP_SIZE 8)`);
await run(`COPY (SELECT user_id, try_strptime(timestamp, '%Y-%m-%d %H:%M:%S') AS timestamp, cell_id, event_type,
                        try_cast(mcc AS INTEGER) AS mcc, mnc, try_cast(plmn AS INTEGER) AS plmn,
                        try_cast(duration AS INTEGER) AS duration FROM ev_text)
           TO '${path.join(ingestDir, 'events_typed.parquet')}'
           (FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION v1, ROW_GROUP_SIZE 10)`);
fs.rmSync(cleanCsv);
await run(`COPY (SELECT cell_id, site_id, try_cast(lat AS DOUBLE) AS lat, try_cast(lon AS DOUBLE) AS lon, try_cast(azimuth AS DOUBLE) AS azimuth,
                        try_cast(beam_width AS INTEGER) AS beam_width, try_cast(range_m AS INTEGER) AS range_m, technology,
                        try_cast(valid_from AS DATE) AS valid_from, try_cast(valid_to AS DATE) AS valid_to
                 FROM read_csv('${path.join(data, 'ingest/basic/cells.csv')}', header = true, all_varchar = true))
           TO '${path.join(ingestDir, 'cells.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
console.log('fixtures written to', out);
