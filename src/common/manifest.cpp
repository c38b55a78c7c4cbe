#include "common/manifest.hpp"

#include <ctime>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"
#include "config/config.hpp"

namespace mpdstat {

using json = nlohmann::ordered_json;

void update_manifest(const Config& config, const std::string& stage, const json& section) {
    auto path = config.run.output_root() / "manifest.json";
    json m = json::object();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        try {
            m = json::parse(read_file(path));
        } catch (const std::exception&) {
            m = json::object();  // an unreadable manifest is rebuilt
        }
    }
    // Files written after a publish make its list stale: the next publish
    // writes a new one (common/publish.hpp).
    m.erase("outputs");
    m["mpdstat_version"] = MPDSTAT_VERSION;
    m["config_file"] = config.source.string();
    if (!config.source.empty() && std::filesystem::exists(config.source, ec)) m["config_sha256"] = sha256_file(config.source);
    m["config"] = json::parse(config_to_json(config));
    std::time_t now = std::time(nullptr);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    json s = section;
    s["finished_at"] = buf;
    m["stages"][stage] = s;
    write_file_atomically(path, m.dump(2) + "\n");
}

}  // namespace mpdstat
