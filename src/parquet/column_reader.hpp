#pragma once
// Decodes one column chunk (its dictionary page and data pages, v1 or v2) of a
// flat column into one value slot per row.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/metadata.hpp"
#include "parquet/schema.hpp"

namespace mpdstat::parquet {

// The values of one column for the rows of a row group. Exactly one of ints,
// doubles and bytes is filled (one slot per row, by physical type); null rows
// have valid[i] == 0 and a zero / empty slot.
struct ColumnData {
    size_t rows = 0;
    std::vector<uint8_t> valid;
    std::vector<int64_t> ints;             // BOOLEAN (0 / 1), INT32, INT64, INT96 (nanoseconds since the epoch)
    std::vector<double> doubles;           // FLOAT, DOUBLE
    std::vector<std::string_view> bytes;   // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY: views into `buffers`
    std::vector<std::shared_ptr<const std::string>> buffers;

    bool is_null(size_t row) const { return !valid[row]; }
};

// Largest page this reader inflates; a header asking for more is treated as corrupt.
constexpr size_t kMaxPageBytes = size_t(1) << 30;

// Decodes the pages in `chunk` (the column chunk's bytes, dictionary page
// first) for `rows` rows. FormatError on anything malformed or unsupported.
ColumnData decode_column_chunk(const Column& column, const ColumnMetaData& meta, std::span<const uint8_t> chunk,
                               int64_t rows);

}  // namespace mpdstat::parquet
