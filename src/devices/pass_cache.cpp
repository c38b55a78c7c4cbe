#include "devices/pass_cache.hpp"

#include <cstring>

#include <fmt/format.h>

#include "common/archive.hpp"
#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"
#include "parquet/codec.hpp"
#include "parquet/metadata.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'M', 'P', 'D', 'P', 'A', 'S', 'S', 1};

std::string encode(const BucketState& s) {
    std::string raw;
    archive_write(raw, s.pass_fingerprint, s.partitions, s.devices, s.events, s.seconds, s.micro_sha256,
                  s.handler_states);
    std::string body = parquet::compress(parquet::Codec::zstd, raw, 1);
    std::string out(kMagic, sizeof kMagic);
    uint64_t n = raw.size();
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out += body;
    out += sha256_digest(body);
    return out;
}

// nullopt when the bytes are not an intact state file.
std::optional<BucketState> decode(const std::string& file) {
    if (file.size() < sizeof kMagic + 8 + kSha256Bytes || std::memcmp(file.data(), kMagic, sizeof kMagic) != 0)
        return std::nullopt;
    std::string_view body(file.data() + sizeof kMagic + 8, file.size() - sizeof kMagic - 8 - kSha256Bytes);
    if (sha256_digest(body) != std::string_view(file).substr(file.size() - kSha256Bytes)) return std::nullopt;
    uint64_t n = 0;
    std::memcpy(&n, file.data() + sizeof kMagic, sizeof n);
    try {
        std::string raw = parquet::decompress(
            parquet::Codec::zstd, {reinterpret_cast<const uint8_t*>(body.data()), body.size()}, static_cast<size_t>(n));
        BucketState s;
        ArchiveReader(raw).read(s.pass_fingerprint, s.partitions, s.devices, s.events, s.seconds, s.micro_sha256,
                                s.handler_states);
        return s;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

PassCache::PassCache(fs::path dir, std::string pass_fingerprint, bool reuse)
    : dir_(std::move(dir)), fingerprint_(std::move(pass_fingerprint)), reuse_(reuse) {
    fs::create_directories(dir_);
}

fs::path PassCache::path_of(int bucket) const { return dir_ / fmt::format("bucket-{:04}.state", bucket); }

std::vector<std::pair<Day, std::string>> PassCache::bucket_partitions(const EventStore& store, int bucket, Day from,
                                                                      Day to) {
    std::vector<std::pair<Day, std::string>> out;
    for (Day d : store.days())
        if (d >= from && d <= to) out.emplace_back(d, sha256_file(store.partition_path(d, bucket)));
    return out;
}

std::optional<BucketState> PassCache::reusable(int bucket, const std::vector<std::pair<Day, std::string>>& partitions,
                                               const std::vector<fs::path>& micro_files, size_t handlers) {
    if (!reuse_) {
        ++recomputed_;
        return std::nullopt;
    }
    std::optional<BucketState> cached;
    std::error_code ec;
    const fs::path path = path_of(bucket);
    if (fs::exists(path, ec)) {
        cached = decode(read_file(path));
        if (!cached) fmt::print(stderr, "mpdstat: warning: {}: corrupt pass cache state, not used (the bucket is recomputed)\n",
                                path.string());
    }
    // How each day of this bucket compares with the cached pass.
    {
        std::lock_guard lock(days_mutex_);
        for (const auto& [day, sum] : partitions) {
            int state = 2;
            if (cached)
                for (const auto& [d, s] : cached->partitions)
                    if (d == day) state = s == sum ? 0 : 1;
            auto [it, fresh] = day_state_.emplace(day, state);
            if (!fresh) it->second = std::max(it->second, state);
        }
    }
    if (cached && cached->pass_fingerprint != fingerprint_) {
        ++stale_settings_;
        cached.reset();
    }
    bool ok = cached && cached->partitions == partitions && cached->micro_sha256.size() == micro_files.size() &&
              cached->handler_states.size() == handlers;
    for (size_t i = 0; ok && i < micro_files.size(); ++i)
        ok = fs::exists(micro_files[i], ec) && sha256_file(micro_files[i]) == cached->micro_sha256[i];
    if (!ok) {
        ++recomputed_;
        return std::nullopt;
    }
    ++reused_;
    saved_us_ += static_cast<int64_t>(cached->seconds * 1e6);
    return cached;
}

void PassCache::store(int bucket, const BucketState& state) const {
    write_file_atomically(path_of(bucket), encode(state));
}

PassCacheReport PassCache::report() const {
    PassCacheReport r;
    r.buckets_reused = reused_;
    r.buckets_recomputed = recomputed_;
    r.settings_changed = stale_settings_ > 0;
    r.seconds_saved = double(saved_us_.load()) / 1e6;
    std::lock_guard lock(days_mutex_);
    for (const auto& [day, state] : day_state_) (state == 0 ? r.days_unchanged : state == 1 ? r.days_changed : r.days_new)++;
    return r;
}

}  // namespace mpdstat
