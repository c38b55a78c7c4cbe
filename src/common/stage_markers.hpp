#pragma once
// Completion markers of the stages of `mpdstat run`, in work_dir/stages/:
// one JSON file per finished stage, tagged with the run's fingerprint (the
// inputs' checksums, the config, the key's fingerprint and the mpdstat
// version). `run --resume` skips a stage only when its marker carries the
// current fingerprint, so a changed input or config never resumes stale state.
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace mpdstat {

class StageMarkers {
public:
    explicit StageMarkers(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // The marker's details when `stage` completed under `fingerprint`.
    std::optional<nlohmann::ordered_json> done(const std::string& stage, const std::string& fingerprint) const;
    // Records `stage` as complete (atomically, after its outputs are durable).
    void mark(const std::string& stage, const std::string& fingerprint, nlohmann::ordered_json details = {}) const;
    // The fingerprint of the last run that marked a stage; empty when none.
    std::string last_fingerprint() const;
    // Forgets every stage (a fresh run).
    void clear() const;
    const std::filesystem::path& dir() const noexcept { return dir_; }

private:
    std::filesystem::path dir_;
};

}  // namespace mpdstat
