#pragma once
// A whole Parquet file as rows of text fields (parquet/value_text.hpp), for
// small tables read like a CSV file (the cells file).
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "parquet/file_reader.hpp"

namespace mpdstat::parquet {

// Calls visit(fields, row) for every row in file order: one field per column of
// the file, empty for columns not `wanted` (those are not read) and for nulls;
// `row` counts from 1. Errors are data errors naming the file.
void for_each_text_row(const FileReader& file, const std::vector<bool>& wanted,
                       const std::function<void(std::span<const std::string_view> fields, uint64_t row)>& visit);

}  // namespace mpdstat::parquet
