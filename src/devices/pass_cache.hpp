#pragma once
// Tier I cache of the per-device pass, in work_dir/pass_cache/: for each store
// bucket, its accumulators' partial aggregates before disclosure control
// (DeviceHandler::save), its device and event counts and the SHA-256 of its
// Tier I micro files, tagged with
//   - the pass fingerprint: the mpdstat version, every config setting the pass
//     depends on, the key's fingerprint, the cells and zone files; and
//   - the bucket's inputs: the SHA-256 of each of its store partitions in the period.
// `run --incremental` loads a bucket whose tags both match instead of running
// it again; partial aggregates are merged in bucket order whether loaded or
// computed, so every Tier II table is byte-identical to a full pass. The unit
// is the bucket, not the day: a device's segments, anchors and tourism trips
// span days, so a changed day changes every bucket holding events of that day.
//
//   bucket-0007.state: "MPDPASS" 0x01 | u64 raw size | zstd body | SHA-256 of the zstd body
#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/civil_time.hpp"
#include "store/event_store.hpp"

namespace mpdstat {

// What one bucket's pass produced, as stored in the cache.
struct BucketState {
    std::string pass_fingerprint;
    std::vector<std::pair<Day, std::string>> partitions;  // (day, SHA-256 of the bucket's partition)
    uint64_t devices = 0, events = 0;
    double seconds = 0;                      // thread time the bucket took when computed
    std::vector<std::string> micro_sha256;   // of its anchors and days micro files
    std::vector<std::string> handler_states; // DeviceHandler::save, in handler order
};

// Counts for the run summary and the manifest.
struct PassCacheReport {
    uint64_t buckets_reused = 0, buckets_recomputed = 0;
    uint64_t days_new = 0, days_changed = 0, days_unchanged = 0;  // against the cached pass
    bool settings_changed = false;  // cached states exist but were made with other settings
    double seconds_saved = 0;       // thread time the reused buckets took when computed
};

class PassCache {
public:
    // `reuse` false: states are only written (a full run keeps the cache current).
    PassCache(std::filesystem::path dir, std::string pass_fingerprint, bool reuse);

    // The bucket's partitions over [from, to], hashed.
    static std::vector<std::pair<Day, std::string>> bucket_partitions(const EventStore& store, int bucket, Day from,
                                                                      Day to);
    // The cached state of `bucket` when it was made under this pass
    // fingerprint from these partitions, for `handlers` accumulators, and its
    // micro files are intact. A
    // corrupt state file is reported on stderr, naming it, and not used.
    std::optional<BucketState> reusable(int bucket, const std::vector<std::pair<Day, std::string>>& partitions,
                                        const std::vector<std::filesystem::path>& micro_files, size_t handlers);
    void store(int bucket, const BucketState& state) const;

    bool reuse_enabled() const noexcept { return reuse_; }
    const std::string& pass_fingerprint() const noexcept { return fingerprint_; }
    // After the pass: the counts (days compared per day across buckets).
    PassCacheReport report() const;

private:
    std::filesystem::path path_of(int bucket) const;

    std::filesystem::path dir_;
    std::string fingerprint_;
    bool reuse_;
    std::atomic<uint64_t> reused_{0}, recomputed_{0}, stale_settings_{0};
    std::atomic<int64_t> saved_us_{0};
    mutable std::mutex days_mutex_;
    std::map<Day, int> day_state_;  // 0 unchanged, 1 changed, 2 new (worst over buckets)
};

}  // namespace mpdstat
