#pragma once
// Writes a flat table as a Parquet file: strings (UTF-8, dictionary-encoded
// when values repeat), 64-bit integers and doubles, each column optionally
// nullable; ZSTD-compressed data pages v1; min / max / null count statistics
// in the footer. Readable by any Parquet reader (tested with DuckDB).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "parquet/metadata.hpp"

namespace mpdstat::parquet {

struct WriteColumn {
    enum class Type : uint8_t { string, int64, float64 };
    std::string name;
    Type type = Type::string;
    bool nullable = false;
    // One of these holds a value per row, by type (anything for a null row).
    std::vector<std::string> strings;
    std::vector<int64_t> ints;
    std::vector<double> doubles;
    std::vector<uint8_t> present;  // nullable columns: 1 = value, 0 = null; empty = every row has a value

    size_t rows() const { return type == Type::string ? strings.size() : type == Type::int64 ? ints.size() : doubles.size(); }
    bool has_value(size_t row) const { return present.empty() || present[row]; }
};

struct WriteOptions {
    Codec codec = Codec::zstd;
    int level = 3;                      // ZSTD level
    size_t row_group_rows = 1u << 20;
    size_t page_rows = 1u << 16;
    std::string created_by = "mpdstat";
};

// The whole file's bytes. Throws a runtime error when the columns differ in length.
std::string encode_table(const std::vector<WriteColumn>& columns, const WriteOptions& options = {});

// Writes the file atomically (common/atomic_file.hpp).
void write_table(const std::filesystem::path& path, const std::vector<WriteColumn>& columns, const WriteOptions& options = {});

}  // namespace mpdstat::parquet
