#pragma once
// The event store in work_dir/store (Tier I): one folder per local day, each
// with versioned sets of bucket partitions and a CURRENT file naming the live
// version. Replacing a day writes a new version, then swaps CURRENT with an
// atomic rename, so readers see the old day or the new one, never a mix.
//
//   store/meta.json                      format, bucket count, key fingerprint, time zone
//   store/day=2024-01-05/CURRENT         "v2"
//   store/day=2024-01-05/v2/bucket-0007.mpds
#include <filesystem>
#include <map>
#include <functional>
#include <future>
#include <span>
#include <string>
#include <vector>

#include "common/civil_time.hpp"
#include "spatial/cell_plan.hpp"
#include "store/event.hpp"
#include "store/partition_file.hpp"

namespace mpdstat {

class EventStore {
public:
    // Opens the store under work_dir, creating it if absent. A store made with
    // another key, bucket count or time zone is refused (data_error).
    static EventStore open_or_create(const std::filesystem::path& work_dir, int buckets,
                                     const std::string& key_fingerprint, const std::string& timezone);
    // Opens an existing store; data_error when there is none.
    static EventStore open(const std::filesystem::path& work_dir);

    int buckets() const noexcept { return buckets_; }
    const std::string& timezone() const noexcept { return timezone_; }
    std::vector<Day> days() const;
    std::filesystem::path partition_path(Day day, int bucket) const;  // of the live version

    // A fresh, invisible version folder for `day`; fill it, then commit_days().
    std::filesystem::path stage_day(Day day) const;
    // Makes each staged version its day's live one (after one sync of the file
    // system). The versions they replace are removed on a thread of their own,
    // as unlinking a partition waits on the disk for milliseconds: the future is
    // ready once they are gone, and its destructor waits for that.
    [[nodiscard]] std::future<void> commit_days(const std::map<Day, std::filesystem::path>& staged) const;

    static std::string bucket_file_name(int bucket);
    // Which bucket a device belongs to (stable across runs and machines).
    static int bucket_of(uint64_t device, int buckets) {
        return static_cast<int>((device >> 32) % static_cast<uint64_t>(buckets));
    }

    // Buffers of for_each_device(), reused from bucket to bucket.
    struct BucketBuffers {
        std::vector<std::vector<Event>> days;
        std::vector<Event> device;
        PartitionBuffers partition;
    };
    // Every device of one bucket over days [from, to], each with its events in
    // time order, devices in ascending pseudonym order.
    void for_each_device(int bucket, Day from, Day to, const CellPlan& cells,
                         const std::function<void(uint64_t device, std::span<const Event>)>& visit,
                         BucketBuffers* buffers = nullptr) const;

    const std::filesystem::path& root() const noexcept { return root_; }

private:
    std::filesystem::path root_;
    int buckets_ = 0;
    std::string key_fingerprint_;
    std::string timezone_;
    int format_version_ = kStoreFormatVersion;  // of meta.json, for open_or_create to upgrade
};

}  // namespace mpdstat
