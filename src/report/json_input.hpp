#pragma once
// Reading the JSON reports of other stages (qa/*.json) tolerantly: a section
// shows what it finds and leaves out what is absent, since these files grow
// new fields over time.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace mpdstat::report {

// The parsed file; nullopt when it does not exist. Throws data_error naming
// the file when it exists but is not JSON.
std::optional<nlohmann::json> load_json(const std::filesystem::path& path);

// A field as text for a table cell ("" when absent): numbers formatted for people.
std::string json_text(const nlohmann::json& object, const std::string& key);
double json_number(const nlohmann::json& object, const std::string& key, double fallback = 0);

}  // namespace mpdstat::report
