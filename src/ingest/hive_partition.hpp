#pragma once
// Hive-style partition folders, as Spark and DuckDB write them
// (`events/year=2024/month=01/day=05/part-0.parquet`): each `key=value` folder
// on a file's path is a field of every row in that file.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace mpdstat {

// The key / value pairs of the folders holding `file`, outermost first; a key
// seen twice keeps its innermost value. Values are percent-decoded, and Hive's
// null marker __HIVE_DEFAULT_PARTITION__ is the empty value.
std::vector<std::pair<std::string, std::string>> hive_partitions(const std::filesystem::path& file);

}  // namespace mpdstat
