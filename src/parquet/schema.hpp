#pragma once
// A flat Parquet schema: the root's direct children, each a leaf column,
// with what its values mean (from the physical, logical and converted types).
// Nested or repeated columns are refused.
#include <cstdint>
#include <string>
#include <vector>

#include "parquet/metadata.hpp"

namespace mpdstat::parquet {

// How a column's values are to be understood.
enum class ValueKind : uint8_t {
    boolean,
    integer,           // INT32 / INT64, signed
    unsigned_integer,  // INT32 / INT64 annotated unsigned
    float32,
    float64,
    string,            // UTF-8 (STRING, ENUM, JSON)
    binary,            // bytes without a string annotation
    decimal,           // unscaled integer in INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY, with `scale`
    date,              // days since 1970-01-01
    time,              // time of day in `unit`
    timestamp,         // since the epoch in `unit`; UTC instant when adjusted_to_utc, else local wall time
    uuid,              // 16 bytes
};

struct Column {
    std::string name;
    size_t index = 0;  // leaf index: position in each row group's column chunks
    PhysicalType physical = PhysicalType::int32;
    int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY
    bool optional = false;
    ValueKind kind = ValueKind::integer;
    TimeUnit unit = TimeUnit::millis;
    bool adjusted_to_utc = false;
    int32_t scale = 0;
};

// The leaf columns of a flat schema; FormatError for nested, repeated or
// unknown physical types.
std::vector<Column> flat_columns(const FileMetaData& metadata);

const char* value_kind_name(ValueKind k);

}  // namespace mpdstat::parquet
