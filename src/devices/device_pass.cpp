#include "devices/device_pass.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>

#include <fmt/compile.h>
#include <fmt/format.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/file_checksums.hpp"
#include "common/sha256.hpp"
#include "common/progress.hpp"
#include "ingest/pseudonymiser.hpp"

namespace mpdstat {

void DeviceHandler::save(std::string&) const {
    throw runtime_error("this accumulator cannot be shipped between processes (no save())");
}

void DeviceHandler::load(std::string_view) {
    throw runtime_error("this accumulator cannot be shipped between processes (no load())");
}

namespace {

std::vector<std::filesystem::path> micro_files(const std::filesystem::path& dir, int bucket) {
    if (dir.empty()) return {};
    return {dir / "anchors" / fmt::format("bucket-{:04}.csv", bucket), dir / "days" / fmt::format("bucket-{:04}.csv", bucket)};
}

void write_micro(const std::filesystem::path& dir, int bucket, const std::string& anchors, const std::string& days) {
    const auto files = micro_files(dir, bucket);
    write_file_atomically(files[0], "device,observed_enough,home_zone,work_zone,usual_zones\n" + anchors);
    write_file_atomically(files[1],
                          "device,date,events,located_events,daily_location_cell,distance_m,gyration_m,distinct_zones,abroad\n" +
                              days);
}

}  // namespace

DevicePassStats run_device_pass(const EventStore& store, const CellPlan& cells, const CellPlaces& places,
                                const Config& config, const std::vector<DeviceHandler*>& handlers,
                                const std::filesystem::path& micro_dir, BucketRange range, PassCache* cache) {
    auto t0 = std::chrono::steady_clock::now();
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism,
                                    static_cast<size_t>(config.thread_count()));
    const int first = std::clamp(range.first, 0, store.buckets());
    const int last = range.last < 0 ? store.buckets() : std::clamp(range.last, first, store.buckets());
    const int buckets = last - first;
    std::vector<std::optional<std::vector<std::unique_ptr<DeviceHandler>>>> done(static_cast<size_t>(buckets));
    std::mutex merge_mutex;
    int next_to_merge = 0;
    std::atomic<uint64_t> devices{0}, events{0};
    std::atomic<int> finished{0};
    Progress progress("devices: buckets", static_cast<uint64_t>(buckets));
    // Under MPI each rank runs a range of buckets, and resume is single-process:
    // the micro folder's housekeeping belongs to a pass over the whole store.
    const bool whole_store = first == 0 && last == store.buckets();
    if (!micro_dir.empty() && whole_store) {
        // Temporary files a killed pass left behind (never listed in checksums.json).
        std::error_code ec;
        std::vector<std::filesystem::path> leftovers;
        for (const auto& e : std::filesystem::recursive_directory_iterator(micro_dir, ec))
            if (e.path().filename().string().find(".tmp-") != std::string::npos) leftovers.push_back(e.path());
        for (const auto& p : leftovers) std::filesystem::remove(p, ec);
    }

    // Read buffers per thread, reused from bucket to bucket.
    tbb::enumerable_thread_specific<EventStore::BucketBuffers> read_buffers;
    // Runs one bucket into `local`; returns its device and event counts.
    auto compute = [&](int b, std::vector<std::unique_ptr<DeviceHandler>>& local) {
        uint64_t bucket_devices = 0, bucket_events = 0;
        DeviceModel model(config, places);
        DeviceView view;
        std::string anchors_csv, days_csv;
        DayTexts day_text;  // each date's text made once per bucket
        auto& buffers = read_buffers.local();
        buffers.partition.skip_durations =
            std::none_of(local.begin(), local.end(), [](const auto& h) { return h->reads_durations(); });
        store.for_each_device(b, config.input.period_start, config.input.period_end, cells,
                              [&](uint64_t device, std::span<const Event> ev) {
                                  model.build(device, ev, view);
                                  for (auto& h : local) h->add(view);
                                  ++bucket_devices;
                                  bucket_events += ev.size();
                                  if (micro_dir.empty()) return;
                                  // Appended in place: no temporary string per device or day.
                                  const std::string id = device_hex(device);
                                  // Empty fields are views of "" (not a null data pointer, which
                                  // FMT_COMPILE's copy would hand to memcpy).
                                  constexpr std::string_view empty = "";
                                  auto zone_id = [&](uint32_t z) {
                                      return z == kNoZoneIndex || z >= places.zone_ids.size()
                                                 ? empty
                                                 : std::string_view(places.zone_ids[z]);
                                  };
                                  auto anchors_out = std::back_inserter(anchors_csv);
                                  fmt::format_to(anchors_out, FMT_COMPILE("{},{},{},{},"), id, view.anchors.observed_enough ? 1 : 0,
                                                 zone_id(view.anchors.home), zone_id(view.anchors.work));
                                  for (size_t i = 0; i < view.anchors.usual.size(); ++i) {
                                      if (i > 0) anchors_csv += ';';
                                      anchors_csv += zone_id(view.anchors.usual[i]);
                                  }
                                  anchors_csv += '\n';
                                  auto days_out = std::back_inserter(days_csv);
                                  for (const auto& d : view.days)
                                      fmt::format_to(days_out, FMT_COMPILE("{},{},{},{},{},{:.0f},{:.0f},{},{}\n"), id, day_text(d.day),
                                                     d.events, d.located_events,
                                                     d.daily_location == kNoCell ? empty
                                                                                 : std::string_view(cells[d.daily_location].id),
                                                     d.distance_m, d.gyration_m, d.distinct_zones, d.abroad ? 1 : 0);
                              },
                              &buffers);
        if (!micro_dir.empty()) write_micro(micro_dir, b, anchors_csv, days_csv);
        return std::pair{bucket_devices, bucket_events};
    };

    tbb::parallel_for(first, last, 1, [&](int b) {
        std::vector<std::unique_ptr<DeviceHandler>> local;
        for (auto* h : handlers) local.push_back(h->fresh());
        const auto micro = micro_files(micro_dir, b);
        std::vector<std::pair<Day, std::string>> partitions;
        std::optional<BucketState> cached;
        if (cache) {
            partitions = PassCache::bucket_partitions(store, b, config.input.period_start, config.input.period_end);
            cached = cache->reusable(b, partitions, micro, handlers.size());
        }
        if (cached) {
            for (size_t i = 0; i < local.size(); ++i) local[i]->load(cached->handler_states[i]);
            devices.fetch_add(cached->devices, std::memory_order_relaxed);
            events.fetch_add(cached->events, std::memory_order_relaxed);
        } else {
            const auto started = std::chrono::steady_clock::now();
            auto [bucket_devices, bucket_events] = compute(b, local);
            devices.fetch_add(bucket_devices, std::memory_order_relaxed);
            events.fetch_add(bucket_events, std::memory_order_relaxed);
            if (cache) {
                BucketState state;
                state.pass_fingerprint = cache->pass_fingerprint();
                state.partitions = std::move(partitions);
                state.devices = bucket_devices;
                state.events = bucket_events;
                state.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                for (const auto& f : micro) state.micro_sha256.push_back(sha256_file(f));
                state.handler_states.resize(local.size());
                for (size_t i = 0; i < local.size(); ++i) local[i]->save(state.handler_states[i]);
                cache->store(b, state);
            }
        }
        // Merge finished buckets strictly in bucket order.
        std::lock_guard lock(merge_mutex);
        done[size_t(b - first)] = std::move(local);
        while (next_to_merge < buckets && done[size_t(next_to_merge)]) {
            auto& part = *done[size_t(next_to_merge)];
            for (size_t i = 0; i < handlers.size(); ++i) handlers[i]->merge(*part[i]);
            done[size_t(next_to_merge)].reset();
            ++next_to_merge;
        }
        progress.update(static_cast<uint64_t>(++finished));
    });
    progress.finish();
    if (!micro_dir.empty() && whole_store) {
        // Tier I files carry checksums, checked before they are used again (run --resume).
        std::vector<std::filesystem::path> files;
        for (int b = 0; b < buckets; ++b)
            for (const char* kind : {"anchors", "days"})
                files.push_back(micro_dir / kind / fmt::format("bucket-{:04}.csv", b));
        write_checksums(micro_dir, files);
    }
    DevicePassStats s;
    s.devices = devices;
    s.events = events;
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

}  // namespace mpdstat
