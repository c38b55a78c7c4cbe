#pragma once
// out_dir/manifest.json: what produced the outputs — mpdstat version, the
// config (never key material) and its hash, input files with sizes and
// SHA-256, row counts and timings, one section per stage. Each stage updates
// its own section and leaves the others.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace mpdstat {

struct Config;

void update_manifest(const Config& config, const std::string& stage, const nlohmann::ordered_json& section);

}  // namespace mpdstat
