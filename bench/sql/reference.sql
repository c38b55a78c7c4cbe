-- The reference indicators of src/indicators/reference.hpp, in SQL that runs
-- unchanged on DuckDB and PostgreSQL. Expects:
--   raw(id BIGINT, user_id, ts TIMESTAMP, cell_id, mcc, plmn)  -- id = position in file order
--   cell_zone(cell, zone)                            -- from mpdstat (work_dir/reference/)
-- Timestamps are local wall time (the synthetic presets use Africa/Dakar, UTC+0
-- without DST), so dates and hours are read off them directly.

-- Ingest: rows whose cell is not in the plan are rejected, and rows without a
-- cell unless a local SIM served abroad (subscription MCC 608, the synthetic
-- presets' country, and a foreign serving PLMN); of the rows of one device at
-- one instant, the first in file order is kept.
CREATE TABLE ev AS
SELECT user_id, ts, cell_id FROM (
  SELECT r.user_id, r.ts, r.cell_id,
         row_number() OVER (PARTITION BY r.user_id, r.ts ORDER BY r.id) AS k
  FROM raw r
  WHERE (r.cell_id IS NULL AND coalesce(r.mcc, '608') = '608' AND left(r.plmn, 3) <> '608') OR r.cell_id IN (SELECT cell FROM cell_zone)
) s WHERE k = 1;

-- Located events: a cell mapped to a zone.
CREATE TABLE loc AS
SELECT e.user_id, e.ts, CAST(e.ts AS DATE) AS d, e.cell_id, z.zone
FROM ev e JOIN cell_zone z ON z.cell = e.cell_id
WHERE z.zone IS NOT NULL;

CREATE TABLE r_events AS
SELECT CAST(ts AS DATE) AS date, count(*) AS events FROM ev GROUP BY 1;

-- Hourly present population: each device in the zone of its last event of the hour.
CREATE TABLE r_present AS
SELECT d AS date, h AS hour, zone, count(*) AS devices FROM (
  SELECT d, CAST(extract(hour FROM ts) AS INTEGER) AS h, zone,
         row_number() OVER (PARTITION BY user_id, d, extract(hour FROM ts) ORDER BY ts DESC) AS k
  FROM loc
) s WHERE k = 1 GROUP BY 1, 2, 3;

-- Daily location: the cell of the day's last located event.
CREATE TABLE daily AS
SELECT user_id, d, cell_id, zone FROM (
  SELECT user_id, d, cell_id, zone, row_number() OVER (PARTITION BY user_id, d ORDER BY ts DESC) AS k
  FROM loc
) s WHERE k = 1;

-- Home: the modal daily location (ties: the smallest cell id).
CREATE TABLE r_home AS
SELECT zone, count(*) AS devices FROM (
  SELECT zone, row_number() OVER (PARTITION BY user_id ORDER BY n DESC, cell_id) AS k
  FROM (SELECT user_id, cell_id, min(zone) AS zone, count(*) AS n FROM daily GROUP BY user_id, cell_id) c
) s WHERE k = 1 GROUP BY 1;

-- Daily OD: daily locations of consecutive calendar days.
CREATE TABLE r_od AS
SELECT b.d AS date, a.zone AS origin, b.zone AS destination, count(*) AS devices
FROM daily a JOIN daily b ON a.user_id = b.user_id AND b.d = a.d + 1
GROUP BY 1, 2, 3;
