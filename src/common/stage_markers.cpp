#include "common/stage_markers.hpp"

#include "common/atomic_file.hpp"

namespace mpdstat {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {
std::optional<json> read_marker(const fs::path& p) {
    std::error_code ec;
    if (!fs::exists(p, ec)) return std::nullopt;
    try {
        return json::parse(read_file(p));
    } catch (const std::exception&) {
        return std::nullopt;  // an unreadable marker is no marker: the stage runs again
    }
}
}  // namespace

std::optional<json> StageMarkers::done(const std::string& stage, const std::string& fingerprint) const {
    auto m = read_marker(dir_ / (stage + ".json"));
    if (!m || !m->contains("fingerprint") || (*m)["fingerprint"] != fingerprint) return std::nullopt;
    return m;
}

void StageMarkers::mark(const std::string& stage, const std::string& fingerprint, json details) const {
    json m;
    m["stage"] = stage;
    m["fingerprint"] = fingerprint;
    m["details"] = std::move(details);
    // The stage's own files were flushed as they were written (store days,
    // micro data and the table snapshot are fsynced); then the marker.
    write_file_atomically(dir_ / (stage + ".json"), m.dump(2) + "\n");
}

std::string StageMarkers::last_fingerprint() const {
    auto m = read_marker(dir_ / "ingest.json");
    return m && m->contains("fingerprint") ? (*m)["fingerprint"].get<std::string>() : std::string();
}

void StageMarkers::clear() const {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

}  // namespace mpdstat
