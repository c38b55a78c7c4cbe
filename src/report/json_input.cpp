#include "report/json_input.hpp"

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "report/html.hpp"

namespace mpdstat::report {

std::optional<nlohmann::json> load_json(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    try {
        return nlohmann::json::parse(read_file(path));
    } catch (const nlohmann::json::exception& e) {
        throw data_error(fmt::format("{}: not valid JSON: {}", path.string(), e.what()));
    }
}

std::string json_text(const nlohmann::json& object, const std::string& key) {
    if (!object.is_object() || !object.contains(key)) return "";
    const auto& v = object[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer() || v.is_number_unsigned()) return format_number(v.get<double>());
    if (v.is_number()) return format_value(v.get<double>());
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (v.is_null()) return "";
    return v.dump();
}

double json_number(const nlohmann::json& object, const std::string& key, double fallback) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_number()) return fallback;
    return object[key].get<double>();
}

}  // namespace mpdstat::report
