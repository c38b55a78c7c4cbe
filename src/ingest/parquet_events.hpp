#pragma once
// A Parquet events file for the ingest pipeline. Only the mapped columns are
// read (projection), one row group at a time, and each row becomes the same
// text fields a CSV row gives the row parser (parquet/value_text.hpp), so a
// Parquet file is cleaned exactly as the same data in CSV. A TIMESTAMP column
// mapped as the event time is used as the instant it is, without formatting
// and re-parsing. Partition folders (`day=2024-01-05/`) give fields too.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "ingest/csv.hpp"
#include "ingest/row_parser.hpp"
#include "parquet/file_reader.hpp"
#include "parquet/value_text.hpp"

namespace mpdstat {

// True for files read as Parquet: a `.parquet` name, or any file when
// input.format is "parquet".
bool is_parquet_input(const std::filesystem::path& path, const std::string& format);

class ParquetEventFile;

// One row group's mapped columns, read but not decoded.
struct ParquetChunk {
    std::shared_ptr<const ParquetEventFile> file;  // keeps the file's layout alive while decoding
    size_t file_index = 0;
    uint64_t first_row = 1;  // 1-based row number of the chunk's first row in the file
    parquet::RowGroupBytes bytes;
};

// The decoded rows of a chunk.
class ParquetRows {
public:
    size_t size() const noexcept { return rows_; }
    // Row i's fields (views valid while this object lives). Returns the event
    // time when the file holds it as a TIMESTAMP and the row has one, else nullptr.
    const TypedTime* row(size_t i, CsvRecord& rec, TypedTime& time) const;
    // Row i's fields with a typed timestamp shown as text, for the quarantine.
    void display_row(size_t i, CsvRecord& rec, std::string& storage) const;

private:
    friend class ParquetEventFile;
    struct Field {
        int column = -1;               // index into columns_, or -1 for a partition value
        std::string_view constant;     // the partition value
    };
    size_t rows_ = 0;
    std::vector<parquet::ColumnData> data_;
    std::vector<std::unique_ptr<parquet::TextColumn>> text_;  // per column; null for the typed timestamp
    std::vector<Field> fields_;
    int time_column = -1;  // column holding a typed timestamp
    const parquet::Column* time_desc = nullptr;
    mutable std::vector<std::string_view> scratch_;
};

class ParquetEventFile : public std::enable_shared_from_this<ParquetEventFile> {
public:
    // Opens the file and maps the configured columns; a mapped column found
    // neither in the file nor in its partition folders is a data error naming
    // the file, as for a CSV header.
    static std::shared_ptr<ParquetEventFile> open(const std::filesystem::path& path, const EventColumns& columns,
                                                  size_t file_index);

    const ColumnMap& map() const noexcept { return map_; }
    uint64_t file_size() const noexcept { return reader_.file_size(); }
    uint64_t rows() const noexcept { return static_cast<uint64_t>(reader_.total_rows()); }

    // Reads the next row group (I/O); false after the last.
    bool next(ParquetChunk& chunk);
    // Decodes a chunk (CPU); thread-safe.
    ParquetRows decode(const ParquetChunk& chunk) const;

private:
    ParquetEventFile(parquet::FileReader reader, size_t file_index) : reader_(std::move(reader)), file_index_(file_index) {}
    struct Source {
        int leaf = -1;          // column leaf index, or -1 for a partition value
        std::string constant;   // partition value
        bool pad_two = false;   // an integer MNC: 1 is "01"
    };
    parquet::FileReader reader_;
    size_t file_index_;
    std::vector<Source> sources_;   // one per field of the rows handed out
    std::vector<size_t> leaves_;    // distinct leaf columns read, in sources_ order
    int time_field_ = -1;           // field of the event time when it is a TIMESTAMP column
    ColumnMap map_;
    size_t next_group_ = 0;
    uint64_t next_row_ = 1;
};

}  // namespace mpdstat
