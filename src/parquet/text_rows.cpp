#include "parquet/text_rows.hpp"

#include <memory>

#include <fmt/format.h>

#include "common/error.hpp"
#include "parquet/format_error.hpp"
#include "parquet/value_text.hpp"

namespace mpdstat::parquet {

void for_each_text_row(const FileReader& file, const std::vector<bool>& wanted,
                       const std::function<void(std::span<const std::string_view>, uint64_t)>& visit) {
    std::vector<size_t> leaves;
    for (size_t i = 0; i < file.columns().size(); ++i)
        if (i < wanted.size() && wanted[i]) leaves.push_back(i);
    std::vector<std::string_view> fields(file.columns().size());
    uint64_t row = 1;
    for (size_t g = 0; g < file.row_groups(); ++g) {
        std::vector<ColumnData> data = file.read_columns(g, leaves);
        std::vector<std::unique_ptr<TextColumn>> text;
        for (size_t k = 0; k < leaves.size(); ++k) {
            try {
                text.push_back(std::make_unique<TextColumn>(file.columns()[leaves[k]], data[k]));
            } catch (const FormatError& e) {
                throw data_error(fmt::format("{}: Parquet: column '{}': {}", file.name(), file.columns()[leaves[k]].name, e.what()));
            }
        }
        for (size_t i = 0; i < size_t(file.rows(g)); ++i, ++row) {
            for (size_t k = 0; k < leaves.size(); ++k) fields[leaves[k]] = (*text[k])[i];
            visit(fields, row);
        }
    }
}

}  // namespace mpdstat::parquet
