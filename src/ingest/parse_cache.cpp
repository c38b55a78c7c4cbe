#include "ingest/parse_cache.hpp"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <zlib.h>

#include "common/archive.hpp"
#include "common/c_file.hpp"
#include "common/error.hpp"
#include "common/run_fingerprint.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

namespace {

constexpr char kHead[8] = {'M', 'P', 'D', 'P', 'R', 'S', '0', '1'};
constexpr char kTail[8] = {'M', 'P', 'D', 'P', 'E', 'N', 'D', '1'};
constexpr uint64_t kQuarantineTag = ~uint64_t(0);
constexpr const char* kSuffix = ".parsed";

uint32_t crc(uint32_t running, const void* data, size_t n) {
    return static_cast<uint32_t>(crc32_z(running, static_cast<const Bytef*>(data), static_cast<z_size_t>(n)));
}

}  // namespace

uint64_t ParseCacheEntry::rows(int bucket) const {
    uint64_t n = 0;
    for (const SpillBlock& b : blocks[size_t(bucket)]) n += b.rows;
    return n;
}

void ParseCacheEntry::copy_quarantine(std::ostream& out) const {
    if (quarantine.empty()) return;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw runtime_error(fmt::format("{}: cannot read ({})", path.string(), std::strerror(errno)));
    ClosingFile closer{f};
    std::string text;
    for (const auto& [offset, size] : quarantine) {
        text.resize(size);
        if (!read_at(f, offset, text.data(), size)) throw runtime_error(fmt::format("{}: quarantine block is short", path.string()));
        out.write(text.data(), static_cast<std::streamsize>(size));
    }
}

void encode_chunk_blocks(const std::vector<std::vector<IngestRow>>& rows_by_bucket, std::string& out) {
    for (size_t b = 0; b < rows_by_bucket.size(); ++b) {
        if (rows_by_bucket[b].empty()) continue;
        const uint64_t tag = b;
        out.append(reinterpret_cast<const char*>(&tag), 8);
        const uint32_t crc = encode_spill_block(rows_by_bucket[b], out);
        out.append(reinterpret_cast<const char*>(&crc), 4);
    }
}

ParseCacheWriter::ParseCacheWriter(fs::path final_path, fs::path temp_path, int buckets)
    : final_(std::move(final_path)), temp_(std::move(temp_path)) {
    f_ = std::fopen(temp_.c_str(), "wb");
    if (!f_) throw runtime_error(fmt::format("{}: cannot write ({})", temp_.string(), std::strerror(errno)));
    if (std::fwrite(kHead, 1, 8, f_) != 8) throw runtime_error(fmt::format("{}: cannot write (disk full?)", temp_.string()));
    at_ = 8;
    entry_.path = temp_;
    entry_.blocks.resize(size_t(buckets));
}

ParseCacheWriter::~ParseCacheWriter() {
    if (f_) {
        std::fclose(f_);
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void ParseCacheWriter::add(std::string_view encoded, std::string_view quarantine) {
    // Index the blocks as they go by: their headers are in `encoded`.
    for (size_t p = 0; p < encoded.size();) {
        uint64_t head[3];
        if (encoded.size() - p < 28) throw std::logic_error("parse cache: malformed chunk blocks");
        std::memcpy(head, encoded.data() + p, 24);
        SpillBlock b{at_ + p + 24, head[1], head[2], 0};
        std::memcpy(&b.crc32, encoded.data() + p + 24 + head[2], 4);
        crc_ = crc(crc(crc_, head, 24), &b.crc32, 4);
        entry_.blocks.at(size_t(head[0])).push_back(b);
        p += 24 + head[2] + 4;
    }
    bool ok = std::fwrite(encoded.data(), 1, encoded.size(), f_) == encoded.size();
    at_ += encoded.size();
    if (!quarantine.empty()) {
        const uint64_t head[2] = {kQuarantineTag, quarantine.size()};
        ok = ok && std::fwrite(head, 8, 2, f_) == 2 && std::fwrite(quarantine.data(), 1, quarantine.size(), f_) == quarantine.size();
        entry_.quarantine.emplace_back(at_ + 16, quarantine.size());
        crc_ = crc(crc(crc_, head, 16), quarantine.data(), quarantine.size());
        at_ += 16 + quarantine.size();
    }
    if (!ok) throw runtime_error(fmt::format("{}: cannot write (disk full?)", temp_.string()));
}

ParseCacheEntry ParseCacheWriter::finish(const ParsedFileSummary& summary, bool keep) {
    std::string trailer;
    archive_write(trailer, summary.size, summary.compression, summary.records, summary.rejects, summary.unknown_cells,
                  summary.days);
    const uint64_t n = trailer.size();
    const uint32_t end[2] = {crc(crc_, trailer.data(), n), 0};
    bool ok = std::fwrite(trailer.data(), 1, n, f_) == n && std::fwrite(&n, 8, 1, f_) == 1 &&
              std::fwrite(end, 4, 2, f_) == 2 && std::fwrite(kTail, 1, 8, f_) == 8;
    ok = std::fclose(f_) == 0 && ok;
    f_ = nullptr;
    if (!ok) throw runtime_error(fmt::format("{}: cannot write (disk full?)", temp_.string()));
    entry_.summary = summary;
    if (keep) {
        fs::rename(temp_, final_);
        entry_.path = final_;
    }
    return std::move(entry_);
}

ParseCache::ParseCache(fs::path dir, std::string fingerprint) : dir_(std::move(dir)), fingerprint_(std::move(fingerprint)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) throw runtime_error(fmt::format("{}: cannot create the parse cache folder ({})", dir_.string(), ec.message()));
}

std::string ParseCache::key(size_t index, std::string_view shown_name, std::string_view sha256) const {
    return sha256_text(fmt::format("{}\n{}\n{}\n{}\n", fingerprint_, index, shown_name, sha256));
}

std::optional<ParseCacheEntry> ParseCache::open(const std::string& key, int buckets) const {
    const fs::path path = dir_ / (key + kSuffix);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return std::nullopt;
    ClosingFile closer{f};
    ParseCacheEntry e;
    e.path = path;
    e.blocks.resize(size_t(buckets));
    auto malformed = [&](const char* what) -> std::optional<ParseCacheEntry> {
        fmt::print(stderr, "mpdstat: warning: {}: parse cache entry is {}; the file is read again\n", path.string(), what);
        std::fclose(closer.f);
        closer.f = nullptr;
        std::error_code ec;
        fs::remove(path, ec);
        return std::nullopt;
    };
    std::error_code ec;
    const uint64_t size = fs::file_size(path, ec);
    char magic[8];
    uint64_t trailer_size = 0;
    uint32_t end[2] = {0, 0};
    if (ec || size < 40 || !read_at(f, 0, magic, 8) || std::memcmp(magic, kHead, 8) != 0) return malformed("not one");
    if (!read_at(f, size - 24, &trailer_size, 8) || !read_at(f, size - 16, end, 8) || !read_at(f, size - 8, magic, 8) ||
        std::memcmp(magic, kTail, 8) != 0 || trailer_size > size - 32)
        return malformed("incomplete");
    const uint64_t records_end = size - 24 - trailer_size;
    uint32_t check = 0;
    std::string trailer(trailer_size, '\0');
    if (!read_at(f, records_end, trailer.data(), trailer_size)) return malformed("short");
    try {
        ArchiveReader in(trailer);
        ParsedFileSummary& s = e.summary;
        in.read(s.size, s.compression, s.records, s.rejects, s.unknown_cells, s.days);
        if (!in.at_end()) return malformed("malformed");
    } catch (const Error&) {
        return malformed("malformed");
    }
    // The record headers, from the first to the trailer.
    for (uint64_t at = 8; at < records_end;) {
        uint64_t head[3];
        if (records_end - at < 16 || !read_at(f, at, head, 16)) return malformed("malformed");
        if (head[0] == kQuarantineTag) {
            if (head[1] > records_end - at - 16) return malformed("malformed");
            std::string text(head[1], '\0');
            if (!read_at(f, at + 16, text.data(), text.size())) return malformed("short");
            check = crc(crc(check, head, 16), text.data(), text.size());
            e.quarantine.emplace_back(at + 16, head[1]);
            at += 16 + head[1];
            continue;
        }
        // A row takes at least a byte: a block claiming more rows than bytes is damaged.
        if (head[0] >= uint64_t(buckets) || records_end - at < 28 || !read_at(f, at + 16, &head[2], 8) ||
            head[2] > records_end - at - 28 || head[1] > head[2])
            return malformed("malformed");
        SpillBlock b{at + 24, head[1], head[2], 0};
        if (!read_at(f, at + 24 + head[2], &b.crc32, 4)) return malformed("short");
        check = crc(crc(check, head, 24), &b.crc32, 4);
        e.blocks[size_t(head[0])].push_back(b);
        at += 28 + head[2];
    }
    if (crc(check, trailer.data(), trailer.size()) != end[0]) return malformed("damaged (CRC-32)");
    return e;
}

std::unique_ptr<ParseCacheWriter> ParseCache::writer(const std::string& key, const fs::path& temp_dir, int buckets) const {
    return std::make_unique<ParseCacheWriter>(dir_ / (key + kSuffix), temp_dir / (key + kSuffix), buckets);
}

void ParseCache::keep_only(const std::set<std::string>& keys) const {
    std::error_code ec;
    std::vector<fs::path> stale;
    for (const auto& e : fs::directory_iterator(dir_, ec)) {
        const std::string name = e.path().filename().string();
        if (name.size() <= std::strlen(kSuffix) || !name.ends_with(kSuffix) ||
            !keys.count(name.substr(0, name.size() - std::strlen(kSuffix))))
            stale.push_back(e.path());
    }
    for (const auto& p : stale) fs::remove(p, ec);
}

}  // namespace mpdstat
