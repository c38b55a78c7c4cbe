#include "privacy/table_snapshot.hpp"

#include <cstring>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

namespace mpdstat {

namespace {

constexpr char kMagic[8] = {'M', 'P', 'D', 'T', 'A', 'B', 'S', 1};

// The encoding, written once for two sinks: one that counts the bytes (the
// header gives the body's length first) and one that streams them to the file.
template <class Sink>
void encode(Sink& w, const std::vector<AggregateTable>& tables) {
    w.u64(tables.size());
    for (const auto& t : tables) {
        w.str(t.name);
        w.strings(t.zone_columns);
        w.strings(t.key_columns);
        w.strings(t.value_columns);
        w.u64(t.additive_values);
        w.u64(t.hierarchical ? 1 : 0);
        w.u64(t.rows.size());
        for (const auto& r : t.rows) {
            w.u64(r.level);
            w.u64(r.zones.size());
            for (uint32_t z : r.zones) w.u64(z);
            w.strings(r.keys);
            w.u64(r.values.size());
            for (double v : r.values) w.f64(v);
            w.u64(r.support);
        }
    }
}

template <class Derived>
struct SinkBase {
    void u64(uint64_t v) { self().put(&v, 8); }
    void f64(double v) { self().put(&v, 8); }
    void str(const std::string& s) {
        u64(s.size());
        self().put(s.data(), s.size());
    }
    void strings(const std::vector<std::string>& v) {
        u64(v.size());
        for (const auto& s : v) str(s);
    }
    Derived& self() { return static_cast<Derived&>(*this); }
};

struct ByteCounter : SinkBase<ByteCounter> {
    void put(const void*, size_t n) { bytes += n; }
    uint64_t bytes = 0;
};

// Through one reused buffer: the snapshot is tens of megabytes, and fresh
// pages for a copy of it in memory cost more than encoding it.
class FileSink : public SinkBase<FileSink> {
public:
    FileSink(AtomicFile& file, Sha256& digest) : file_(file), digest_(digest) { buf_.reserve(kBuffer); }
    void put(const void* p, size_t n) {
        if (buf_.size() + n > kBuffer) flush();
        if (n > kBuffer) {
            const std::string_view bytes(static_cast<const char*>(p), n);
            file_.write(bytes);
            digest_.update(bytes);
        } else {
            buf_.append(static_cast<const char*>(p), n);
        }
    }
    void flush() {
        file_.write(buf_);
        digest_.update(buf_);
        buf_.clear();
    }

private:
    static constexpr size_t kBuffer = 1 << 20;
    AtomicFile& file_;
    Sha256& digest_;
    std::string buf_;
};

class Reader {
public:
    Reader(std::string_view in, const std::filesystem::path& path) : in_(in), path_(path) {}
    uint64_t u64() {
        uint64_t v;
        std::memcpy(&v, take(8), 8);
        return v;
    }
    double f64() {
        double v;
        std::memcpy(&v, take(8), 8);
        return v;
    }
    size_t count() {
        uint64_t n = u64();
        if (n > in_.size()) fail("a count beyond the end");
        return size_t(n);
    }
    std::string str() {
        size_t n = count();
        return std::string(take(n), n);
    }
    std::vector<std::string> strings() {
        std::vector<std::string> v(count());
        for (auto& s : v) s = str();
        return v;
    }
    bool at_end() const { return at_ == in_.size(); }
    [[noreturn]] void fail(const std::string& what) const {
        throw data_error(fmt::format("{}: corrupt table snapshot ({}); rerun without --resume", path_.string(), what));
    }

private:
    const char* take(size_t n) {
        if (n > in_.size() - at_) fail("truncated");
        const char* p = in_.data() + at_;
        at_ += n;
        return p;
    }
    std::string_view in_;
    const std::filesystem::path& path_;
    size_t at_ = 0;
};


}  // namespace

std::unique_ptr<AtomicFile> stage_table_snapshot(const std::filesystem::path& path,
                                                 const std::vector<AggregateTable>& tables) {
    ByteCounter counter;
    encode(counter, tables);
    auto f = std::make_unique<AtomicFile>(path);
    f->write(kMagic, sizeof kMagic);
    f->write(&counter.bytes, 8);
    Sha256 digest;
    FileSink sink(*f, digest);
    encode(sink, tables);
    sink.flush();
    f->write(digest.digest());
    if (f->size() != sizeof kMagic + 8 + counter.bytes + kSha256Bytes)
        throw std::logic_error("table snapshot: the encoded length differs from the counted one");
    return f;
}

void save_table_snapshot(const std::filesystem::path& path, const std::vector<AggregateTable>& tables) {
    stage_table_snapshot(path, tables)->commit();
}

std::vector<AggregateTable> load_table_snapshot(const std::filesystem::path& path) {
    const std::string file = read_file(path);
    Reader header(file, path);
    if (file.size() < 16 + kSha256Bytes || std::memcmp(file.data(), kMagic, sizeof kMagic) != 0)
        header.fail("not a table snapshot of this mpdstat");
    uint64_t n;
    std::memcpy(&n, file.data() + 8, 8);
    if (n != file.size() - 16 - kSha256Bytes) header.fail("wrong length");
    std::string_view body(file.data() + 16, n);
    if (sha256_digest(body) != std::string_view(file.data() + 16 + n, kSha256Bytes)) header.fail("checksum mismatch");
    Reader r(body, path);
    std::vector<AggregateTable> tables(r.count());
    for (auto& t : tables) {
        t.name = r.str();
        t.zone_columns = r.strings();
        t.key_columns = r.strings();
        t.value_columns = r.strings();
        t.additive_values = r.u64();
        t.hierarchical = r.u64() != 0;
        t.rows.resize(r.count());
        for (auto& row : t.rows) {
            row.level = static_cast<uint32_t>(r.u64());
            row.zones.resize(r.count());
            for (auto& z : row.zones) z = static_cast<uint32_t>(r.u64());
            row.keys = r.strings();
            row.values.resize(r.count());
            for (auto& v : row.values) v = r.f64();
            row.support = r.u64();
        }
    }
    if (!r.at_end()) r.fail("trailing bytes");
    return tables;
}

}  // namespace mpdstat
