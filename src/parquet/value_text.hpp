#pragma once
// Parquet values as the text a CSV export of the same data holds, so that a
// Parquet file can feed the same parsing and cleaning as a CSV file:
//   boolean      true / false
//   integers     decimal digits (unsigned types as unsigned)
//   float        shortest text that reads back to the same float ("14.693")
//   double       shortest text that reads back to the same double
//   string       the UTF-8 bytes as they are
//   binary       lowercase hex (a binary hashed id becomes its usual spelling)
//   decimal      the unscaled integer with `scale` decimals ("123.45")
//   date         YYYY-MM-DD
//   time         HH:MM:SS[.fraction]
//   timestamp    YYYY-MM-DDTHH:MM:SS[.fraction], with "Z" when adjusted to UTC
//   uuid         8-4-4-4-12 lowercase hex
// Nulls are empty text, as an empty CSV field.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parquet/column_reader.hpp"
#include "parquet/schema.hpp"

namespace mpdstat::parquet {

// Appends the text of one non-null value.
void append_value_text(const Column& column, const ColumnData& data, size_t row, std::string& out);

// The text of every row of a decoded column. String columns are viewed in
// place; other kinds are formatted once into an arena.
class TextColumn {
public:
    // min_digits: integers are left-padded with zeros to this many digits (an
    // MNC stored as the number 1 is the text "01").
    TextColumn(const Column& column, const ColumnData& data, int min_digits = 0);
    std::string_view operator[](size_t row) const {
        if (viewed_) return data_->bytes[row];
        return std::string_view(arena_.data() + offsets_[row], offsets_[row + 1] - offsets_[row]);
    }

private:
    const ColumnData* data_;
    bool viewed_ = false;
    std::string arena_;
    std::vector<uint32_t> offsets_;
};

// Milliseconds since the epoch (floored) of a TIMESTAMP value in `unit`.
int64_t timestamp_to_ms(int64_t value, TimeUnit unit);

}  // namespace mpdstat::parquet
