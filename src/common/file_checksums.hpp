#pragma once
// SHA-256 sums of the files of a folder in <dir>/checksums.json, so that
// files read back later (Tier I micro data on `run --resume`) are used only
// when intact.
#include <filesystem>
#include <vector>

namespace mpdstat {

// Records the SHA-256 of each file (paths relative to `dir`) atomically.
void write_checksums(const std::filesystem::path& dir, const std::vector<std::filesystem::path>& files);

// Checks every recorded file; data_error naming the first file that is missing
// or does not match, or when there is no checksums.json.
void verify_checksums(const std::filesystem::path& dir);

}  // namespace mpdstat
