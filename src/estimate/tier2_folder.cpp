#include "estimate/tier2_folder.hpp"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

#include "common/error.hpp"
#include "estimate/tier1_guard.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

nlohmann::json read_json_or_null(const fs::path& p) {
    std::ifstream in(p);
    if (!in) return nullptr;
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) throw data_error(fmt::format("{}: not valid JSON", p.string()));
    return j;
}

}  // namespace

Tier2Folder load_tier2_folder(const fs::path& dir, const std::vector<std::string>& wanted) {
    refuse_tier1_folder(dir);
    Tier2Folder f;
    f.dir = dir;
    f.zones = ZoneTree::load(dir);
    f.ingest_qa = read_json_or_null(dir / "qa" / "ingest.json");
    f.spatial_qa = read_json_or_null(dir / "qa" / "spatial.json");
    f.sdc_qa = read_json_or_null(dir / "qa" / "sdc.json");
    for (const auto& spec : estimable_tables()) {
        const std::string name(spec.name);
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end()) continue;
        const fs::path file = dir / "tier2" / (name + ".csv");
        if (!fs::exists(file)) continue;
        if (f.sdc_qa.is_array())
            for (const auto& t : f.sdc_qa)
                if (t.value("table", "") == name && t.value("suppressed", "flag") == "drop")
                    throw data_error(fmt::format("{}: released with sdc.suppressed = \"drop\": a missing row could be zero or "
                                                 "withheld; estimate needs the suppressed rows flagged (the default)",
                                                 file.string()));
        f.tables.emplace(name, read_tier2_table(file, spec, f.zones));
    }
    return f;
}

}  // namespace mpdstat
