#pragma once
// The identity of a run's inputs: what a stage marker must match for
// `run --resume` to reuse the stage's results.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpdstat {

struct Config;

// SHA-256 over the mpdstat version, the config (except settings that do not
// change results: threads, memory_limit), the key's public fingerprint and
// every input file's SHA-256: the event files (given, in input order, as
// computed by ingest or by hash_files), the cells, the zone files and the census.
std::string run_fingerprint(const Config& config, const std::vector<std::pair<std::filesystem::path, std::string>>& events,
                            const std::string& key_fingerprint);

// The identity of what the per-device pass computes from the event store
// (its cache, devices/pass_cache.hpp): the same without the event files (the
// store's partitions are hashed per bucket instead) and without the settings
// that act only after the pass: out_dir, the disclosure control, the output formats.
std::string pass_fingerprint(const Config& config, const std::string& key_fingerprint);

// What an ingest's parse of one input file depends on besides the file (its
// cache, ingest/parse_cache.hpp): the mpdstat version and cache format, the
// [input] settings but the file list, cleaning.bbox, store.buckets, the key's
// fingerprint and the cells file.
std::string parse_fingerprint(const Config& config, const std::string& key_fingerprint);

// SHA-256 of `text`, in hex.
std::string sha256_text(std::string_view text);

// (path, SHA-256) of each file.
std::vector<std::pair<std::filesystem::path, std::string>> hash_files(const std::vector<std::filesystem::path>& files);

}  // namespace mpdstat
