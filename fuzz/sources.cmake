# The engine sources the fuzz targets reach (and what they call), compiled
# with coverage instrumentation and sanitizers for the fuzz build. A target
# that needs more adds its sources here; a missing one shows as an undefined
# symbol when the fuzz build links.
set(MPDSTAT_FUZZ_CORE_SOURCES
  src/common/atomic_file.cpp
  src/common/civil_time.cpp
  src/common/huge_page_table.cpp
  src/config/config.cpp
  src/privacy/sdc_config.cpp
  src/ingest/byte_source.cpp
  src/ingest/csv.cpp
  src/ingest/timestamp_parser.cpp
  src/spatial/cell_plan.cpp
  src/store/event.cpp
  src/store/partition_file.cpp
  # The Parquet reader (fuzz_parquet; the cells file may be Parquet too).
  src/parquet/codec.cpp
  src/parquet/column_reader.cpp
  src/parquet/encoding.cpp
  src/parquet/file_reader.cpp
  src/parquet/metadata.cpp
  src/parquet/schema.cpp
  src/parquet/text_rows.cpp
  src/parquet/thrift_compact.cpp
  src/parquet/value_text.cpp
)
list(TRANSFORM MPDSTAT_FUZZ_CORE_SOURCES PREPEND "${PROJECT_SOURCE_DIR}/")
