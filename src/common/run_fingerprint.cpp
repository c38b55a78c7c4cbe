#include "common/run_fingerprint.hpp"

#include <sodium.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "config/config.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

std::vector<std::pair<fs::path, std::string>> hash_files(const std::vector<fs::path>& files) {
    std::vector<std::pair<fs::path, std::string>> out;
    for (const auto& f : files) out.emplace_back(f, sha256_file(f));
    return out;
}

namespace {

std::string fingerprint_of(nlohmann::json settings, const std::vector<std::pair<fs::path, std::string>>& events,
                           const Config& config, const std::string& key_fingerprint) {
    if (settings.contains("run")) {
        settings["run"].erase("threads");       // results do not depend on them
        settings["run"].erase("memory_limit");
    }
    std::string text = std::string("mpdstat ") + MPDSTAT_VERSION + "\n" + settings.dump() + "\nkey " + key_fingerprint + "\n";
    for (const auto& [path, sum] : events) text += "events " + path.string() + " " + sum + "\n";
    std::vector<fs::path> others{config.input.cells};
    for (const auto& level : config.zones.levels) others.push_back(level.path);
    if (!config.zones.census.empty()) others.push_back(config.zones.census);
    for (const auto& [path, sum] : hash_files(others)) text += "input " + path.string() + " " + sum + "\n";
    return sha256_text(text);
}

}  // namespace

std::string sha256_text(std::string_view text) {
    const std::string digest = sha256_digest(text);
    char hex[2 * kSha256Bytes + 1];
    sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
    return hex;
}

std::string parse_fingerprint(const Config& config, const std::string& key_fingerprint) {
    // Only what the row rules read: the device rules and QA thresholds of
    // [cleaning] act after the cache, on every row, so changing them keeps it valid.
    auto all = nlohmann::json::parse(config_to_json(config));
    nlohmann::json settings;
    settings["input"] = all["input"];
    settings["input"].erase("events");
    if (all["cleaning"].contains("bbox")) settings["bbox"] = all["cleaning"]["bbox"];
    settings["buckets"] = all["store"]["buckets"];
    // The cache's own format: bump when parsing or its encoding changes within a version.
    constexpr int kParseCacheFormat = 1;
    return sha256_text(fmt::format("mpdstat {} parse-cache {}\n{}\nkey {}\ncells {}\n", MPDSTAT_VERSION, kParseCacheFormat,
                                   settings.dump(), key_fingerprint, sha256_file(config.input.cells)));
}

std::string run_fingerprint(const Config& config, const std::vector<std::pair<fs::path, std::string>>& events,
                            const std::string& key_fingerprint) {
    return fingerprint_of(nlohmann::json::parse(config_to_json(config)), events, config, key_fingerprint);
}

std::string pass_fingerprint(const Config& config, const std::string& key_fingerprint) {
    auto settings = nlohmann::json::parse(config_to_json(config));
    settings.erase("source");
    settings.erase("project");
    settings.erase("sdc");
    settings.erase("outputs");
    if (settings.contains("input")) settings["input"].erase("events");
    if (settings.contains("run")) {
        settings["run"].erase("out_dir");
        settings["run"].erase("work_dir");
    }
    return fingerprint_of(std::move(settings), {}, config, key_fingerprint);
}

}  // namespace mpdstat
