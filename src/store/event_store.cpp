#include "store/event_store.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "store/partition_file.hpp"

namespace mpdstat {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {
fs::path day_dir(const fs::path& root, Day d) { return root / ("day=" + format_day(d)); }

std::string current_version(const fs::path& dir) {
    std::error_code ec;
    if (!fs::exists(dir / "CURRENT", ec)) return {};
    std::string v = read_file(dir / "CURRENT");
    while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
    return v;
}
}  // namespace

std::string EventStore::bucket_file_name(int bucket) { return fmt::format("bucket-{:04}.mpds", bucket); }

EventStore EventStore::open_or_create(const fs::path& work_dir, int buckets, const std::string& fp,
                                      const std::string& tz) {
    fs::path root = work_dir / "store";
    EventStore s;
    if (fs::exists(root / "meta.json")) {
        s = open(work_dir);
        if (s.buckets_ != buckets)
            throw data_error(fmt::format("{}: the store has {} buckets but store.buckets is {}; use a new work_dir or the "
                                         "same setting", root.string(), s.buckets_, buckets));
        if (s.key_fingerprint_ != fp)
            throw data_error(fmt::format("{}: the store was made with another pseudonymisation key; mixing keys would "
                                         "split devices — use the same key or a new work_dir", root.string()));
        if (s.timezone_ != tz)
            throw data_error(fmt::format("{}: the store's local days are in {} but input.timezone is {}", root.string(),
                                         s.timezone_, tz));
        // An older store is written on in the current format from now on:
        // its metadata says so, so that an older mpdstat does not misread it.
        if (s.format_version_ == kStoreFormatVersion) return s;
    } else {
        fs::create_directories(root);
        s.root_ = root;
        s.buckets_ = buckets;
        s.key_fingerprint_ = fp;
        s.timezone_ = tz;
    }
    json m;
    m["format"] = "mpdstat-event-store";
    m["format_version"] = kStoreFormatVersion;
    m["buckets"] = buckets;
    m["key_fingerprint"] = fp;
    m["timezone"] = tz;
    write_file_atomically(root / "meta.json", m.dump(2) + "\n");
    return s;
}

EventStore EventStore::open(const fs::path& work_dir) {
    fs::path root = work_dir / "store";
    if (!fs::exists(root / "meta.json"))
        throw data_error(fmt::format("{}: no event store here; run 'mpdstat ingest CONFIG' first", root.string()));
    json m;
    try {
        m = json::parse(read_file(root / "meta.json"));
        EventStore s;
        s.root_ = root;
        s.buckets_ = m.at("buckets").get<int>();
        s.key_fingerprint_ = m.at("key_fingerprint").get<std::string>();
        s.timezone_ = m.at("timezone").get<std::string>();
        const int version = m.at("format_version").get<int>();
        s.format_version_ = version;
        if (version < 1 || version > kStoreFormatVersion)
            throw data_error(fmt::format("{}: store format version {} is not supported by this mpdstat (reads 1 to {})",
                                         root.string(), version, kStoreFormatVersion));
        if (s.buckets_ < 1) throw data_error(fmt::format("{}/meta.json: bad bucket count", root.string()));
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw data_error(fmt::format("{}/meta.json: unreadable store metadata ({})", root.string(), e.what()));
    }
}

std::vector<Day> EventStore::days() const {
    std::vector<Day> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_, ec)) {
        std::string name = entry.path().filename().string();
        if (name.rfind("day=", 0) != 0 || !entry.is_directory()) continue;
        auto d = parse_day(name.substr(4));
        if (d && !current_version(entry.path()).empty()) out.push_back(*d);
    }
    std::sort(out.begin(), out.end());
    return out;
}

fs::path EventStore::partition_path(Day day, int bucket) const {
    fs::path dir = day_dir(root_, day);
    std::string v = current_version(dir);
    if (v.empty()) return {};
    return dir / v / bucket_file_name(bucket);
}

fs::path EventStore::stage_day(Day day) const {
    fs::path dir = day_dir(root_, day);
    fs::create_directories(dir);
    int next = 1;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::string n = entry.path().filename().string();
        if (n.size() > 1 && n[0] == 'v') next = std::max(next, std::atoi(n.c_str() + 1) + 1);
    }
    fs::path staged = dir / fmt::format("v{}", next);
    fs::remove_all(staged);
    fs::create_directories(staged);
    return staged;
}

std::future<void> EventStore::commit_days(const std::map<Day, fs::path>& staged) const {
    if (staged.empty()) return std::async(std::launch::deferred, [] {});
    // The partitions were written without a per-file fsync: flush them all
    // (one syncfs covers every day) before CURRENT names them.
    sync_filesystem(staged.begin()->second);
    for (const auto& [day, version] : staged)
        write_file_atomically(day_dir(root_, day) / "CURRENT", version.filename().string() + "\n");
    // Older versions are no longer reachable. They are listed now, so that a
    // version staged later is never among them, and removed while the run goes
    // on (on a plain thread: TBB's workers would block in unlink).
    std::vector<fs::path> old;
    for (const auto& [day, version] : staged) {
        std::error_code ec;
        for (fs::directory_iterator it(day_dir(root_, day), ec), end; !ec && it != end; it.increment(ec))
            if (it->is_directory(ec) && it->path().filename() != version.filename()) old.push_back(it->path());
    }
    return std::async(std::launch::async, [old = std::move(old)] {
        std::error_code ec;  // a version left behind is only disk space: the next commit of its day removes it
        for (const auto& p : old) fs::remove_all(p, ec);
    });
}

void EventStore::for_each_device(int bucket, Day from, Day to, const CellPlan& cells,
                                 const std::function<void(uint64_t, std::span<const Event>)>& visit,
                                 BucketBuffers* buffers) const {
    // Each day's partition is sorted by (device, time) and days follow each
    // other in time: a merge by device, taking each device's events day by day,
    // yields every device's events in time order.
    BucketBuffers own;
    BucketBuffers& b = buffers ? *buffers : own;
    auto& per_day = b.days;
    size_t used = 0;
    for (Day d : days()) {
        if (d < from || d > to) continue;
        if (used == per_day.size()) per_day.emplace_back();
        read_partition(partition_path(d, bucket), cells, per_day[used++], b.partition);
    }
    for (size_t k = used; k < per_day.size(); ++k) per_day[k].clear();
    std::vector<size_t> at(used, 0);
    std::vector<Event>& buffer = b.device;
    while (true) {
        uint64_t device = 0;
        bool any = false;
        for (size_t k = 0; k < used; ++k)
            if (at[k] < per_day[k].size() && (!any || per_day[k][at[k]].device < device)) {
                device = per_day[k][at[k]].device;
                any = true;
            }
        if (!any) break;
        buffer.clear();
        for (size_t k = 0; k < used; ++k) {
            auto& v = per_day[k];
            const size_t start = at[k];
            while (at[k] < v.size() && v[at[k]].device == device) ++at[k];
            buffer.insert(buffer.end(), v.begin() + std::ptrdiff_t(start), v.begin() + std::ptrdiff_t(at[k]));
        }
        visit(device, std::span<const Event>(buffer.data(), buffer.size()));
    }
}

}  // namespace mpdstat
