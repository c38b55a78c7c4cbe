#pragma once
// Reading a Parquet file with a flat schema: the footer on open, then the
// chosen columns of one row group at a time (projection). Reading a row
// group's bytes (I/O) and decoding them (CPU) are separate steps, so a pipeline
// can read serially and decode in parallel.
//
// Every error — a truncated, corrupt or unsupported file — is a data error
// (mpdstat::Error, exit 1) whose one-line message names the file and what is
// wrong; nothing in a file can make the reader crash or read out of bounds.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/column_reader.hpp"
#include "parquet/metadata.hpp"
#include "parquet/schema.hpp"

namespace mpdstat::parquet {

// The raw column chunks of some columns of one row group.
struct RowGroupBytes {
    size_t row_group = 0;
    int64_t rows = 0;
    std::vector<size_t> columns;     // leaf indices, as asked
    std::vector<std::string> chunks; // one per column
};

class FileReader {
public:
    static FileReader open(const std::filesystem::path& path);
    // A file already in memory; `name` is used in error messages.
    static FileReader from_bytes(std::string bytes, std::string name);

    FileReader(FileReader&&) noexcept;
    FileReader& operator=(FileReader&&) noexcept;
    ~FileReader();

    const std::string& name() const noexcept;
    uint64_t file_size() const noexcept;
    const FileMetaData& metadata() const noexcept;
    const std::vector<Column>& columns() const noexcept;
    const Column* find(std::string_view column_name) const;  // nullptr when absent
    size_t row_groups() const noexcept;
    int64_t rows(size_t row_group) const;
    int64_t total_rows() const noexcept;

    // I/O only. `columns` are leaf indices (Column::index).
    RowGroupBytes read(size_t row_group, std::span<const size_t> columns) const;
    // CPU only; may run on several threads at once for different row groups.
    std::vector<ColumnData> decode(const RowGroupBytes& bytes) const;
    std::vector<ColumnData> read_columns(size_t row_group, std::span<const size_t> columns) const {
        return decode(read(row_group, columns));
    }

private:
    struct Impl;
    explicit FileReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// For fuzzers: reads and decodes every column of every row group of a file in
// memory and returns the number of rows. Malformed input throws mpdstat::Error
// (a data error); any other exception, crash or sanitizer report is a bug.
uint64_t read_all_for_fuzz(std::span<const uint8_t> bytes);

}  // namespace mpdstat::parquet
