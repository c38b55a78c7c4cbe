#pragma once
// Only Tier II may cross from an operator to whoever runs `estimate`: a folder
// holding Tier I data (the event store, per-device micro data, quarantined raw
// rows, or the job's work_dir) is refused before anything is read from it.
#include <filesystem>

namespace mpdstat {

// Throws a usage error (exit 2) naming the folder and what Tier I data it
// holds; also when `dir` is not a Tier II folder (no tier2/ inside).
void refuse_tier1_folder(const std::filesystem::path& dir);

}  // namespace mpdstat
