#include "estimate/tier1_guard.hpp"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

// What `ingest` and `run` write in work_dir (docs/ingest.md): the event store
// (store/meta.json), per-device summaries (micro/) and rejected raw rows
// (quarantine/). Returns a description of the first one found, or "".
std::string tier1_marker(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir / "store" / "meta.json", ec)) return "an event store (store/meta.json)";
    if (fs::is_directory(dir / "micro", ec)) return "per-device micro data (micro/)";
    if (fs::is_directory(dir / "quarantine", ec)) return "quarantined raw rows (quarantine/)";
    return {};
}

bool inside(const fs::path& child, const fs::path& parent) {
    auto c = fs::weakly_canonical(child), p = fs::weakly_canonical(parent);
    auto [pe, ce] = std::mismatch(p.begin(), p.end(), c.begin(), c.end());
    return pe == p.end();
}

}  // namespace

void refuse_tier1_folder(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw usage_error(fmt::format("{}: Tier II folder not found (estimate.mno.tier2_dir)", dir.string()));
    auto refuse = [&](const fs::path& where, const std::string& what) {
        throw usage_error(fmt::format("{}: holds Tier I data ({}); estimate reads only Tier II folders (an operator's "
                                      "out_dir) — never point it at a work_dir or a folder containing one",
                                      where.string(), what));
    };
    // The folder itself and its sub-folders down to three levels (a work_dir
    // kept inside the out_dir, or a whole scenario folder).
    for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end; it != end && !ec;
         it.increment(ec)) {
        if (it.depth() >= 3) it.disable_recursion_pending();
        if (!it->is_directory(ec)) continue;
        if (auto what = tier1_marker(it->path()); !what.empty()) refuse(it->path(), what);
    }
    if (auto what = tier1_marker(dir); !what.empty()) refuse(dir, what);
    // The job's manifest names its work_dir and raw inputs: none may lie inside.
    if (std::ifstream in(dir / "manifest.json"); in) {
        nlohmann::json m = nlohmann::json::parse(in, nullptr, false);
        if (!m.is_discarded() && m.contains("config")) {
            const auto& cfg = m["config"];
            if (cfg.contains("run") && cfg["run"].contains("work_dir") && cfg["run"]["work_dir"].is_string()) {
                fs::path work = cfg["run"]["work_dir"].get<std::string>();
                if (inside(work, dir)) refuse(dir, fmt::format("it contains the job's work_dir {}", work.string()));
            }
            if (cfg.contains("input") && cfg["input"].contains("events") && cfg["input"]["events"].is_array())
                for (const auto& e : cfg["input"]["events"])
                    if (e.is_string() && inside(fs::path(e.get<std::string>()).parent_path(), dir))
                        refuse(dir, fmt::format("it contains the raw event files {}", e.get<std::string>()));
        }
    }
    if (!fs::is_directory(dir / "tier2", ec))
        throw usage_error(fmt::format("{}: not a Tier II folder (no tier2/ inside); give the operator's out_dir", dir.string()));
}

}  // namespace mpdstat
