#include "ingest/spill_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fmt/format.h>
#include <zlib.h>

#include "common/c_file.hpp"
#include "common/error.hpp"
#include "common/varint.hpp"

namespace mpdstat {

namespace {

// Block: row count (8 bytes), payload bytes (8 bytes), payload. A row is a
// flags byte, the device (8 bytes), the time as a zigzag varint delta to the
// previous row's, cell + 1 and duration as varints, the line as a zigzag
// delta, then only the fields that differ from the previous row's.
enum : uint8_t {
    kNetworks = 1,   // mcc, mnc, serving_mcc, serving_mnc: 8 bytes
    kPosition = 2,   // lat, lon bits: 8 bytes
    kFile = 4,       // file: varint
    kKind = 8,       // type, domain, flags: 3 bytes
    kPad = 16,       // pad: 4 bytes (never set by the parser; kept for losslessness)
};
constexpr size_t kMaxRowBytes = 1 + 8 + 10 + 5 + 5 + 10 + 8 + 8 + 5 + 3 + 4;

struct State {
    int64_t time = 0;
    uint64_t line = 0;
    uint32_t file = 0;
    uint16_t nets[4] = {0, 0, 0, 0};
    uint32_t pos[2] = {0, 0};
    uint8_t kind[3] = {0, 0, 0};
};

// Deltas wrap modulo 2^64 (times and line numbers are unsigned here).
inline uint64_t zigzag(uint64_t delta) { return zigzag_encode(static_cast<int64_t>(delta)); }
inline uint64_t unzigzag(uint64_t z) { return static_cast<uint64_t>(zigzag_decode(z)); }

template <class T>
inline char* put(char* p, const T& v) {
    std::memcpy(p, &v, sizeof v);
    return p + sizeof v;
}

struct Reader {
    const char* p;
    const char* end;
    bool ok = true;
    uint64_t varint() {
        const auto* bytes = reinterpret_cast<const uint8_t*>(p);
        size_t pos = 0;
        uint64_t v = 0;
        if (read_varint(bytes, static_cast<size_t>(end - p), pos, v) != VarintStatus::ok) {
            ok = false;
            return 0;
        }
        p += pos;
        return v;
    }
    template <class T>
    void get(T& v) {
        if (static_cast<size_t>(end - p) < sizeof v) {
            ok = false;
            return;
        }
        std::memcpy(&v, p, sizeof v);
        p += sizeof v;
    }
};

size_t encode(std::span<const IngestRow> rows, char* out) {
    State s;
    char* p = out;
    for (const IngestRow& r : rows) {
        const Event& e = r.event;
        const uint16_t nets[4] = {e.mcc, e.mnc, e.serving_mcc, e.serving_mnc};
        uint32_t pos[2];
        std::memcpy(&pos[0], &e.lat, 4);
        std::memcpy(&pos[1], &e.lon, 4);
        const uint8_t kind[3] = {static_cast<uint8_t>(e.type), static_cast<uint8_t>(e.domain), e.flags};
        uint8_t flags = 0;
        if (std::memcmp(nets, s.nets, sizeof nets) != 0) flags |= kNetworks;
        if (std::memcmp(pos, s.pos, sizeof pos) != 0) flags |= kPosition;
        if (r.file != s.file) flags |= kFile;
        if (std::memcmp(kind, s.kind, sizeof kind) != 0) flags |= kKind;
        if (r.pad != 0) flags |= kPad;
        *p++ = static_cast<char>(flags);
        p = put(p, e.device);
        p = put_varint(p, zigzag(static_cast<uint64_t>(e.time_ms) - static_cast<uint64_t>(s.time)));
        p = put_varint(p, uint32_t(e.cell + 1));
        p = put_varint(p, e.duration_s);
        p = put_varint(p, zigzag(r.line - s.line));
        if (flags & kNetworks) p = put(p, nets);
        if (flags & kPosition) p = put(p, pos);
        if (flags & kFile) p = put_varint(p, r.file);
        if (flags & kKind) p = put(p, kind);
        if (flags & kPad) p = put(p, r.pad);
        s.time = e.time_ms;
        s.line = r.line;
        s.file = r.file;
        std::memcpy(s.nets, nets, sizeof nets);
        std::memcpy(s.pos, pos, sizeof pos);
        std::memcpy(s.kind, kind, sizeof kind);
    }
    return static_cast<size_t>(p - out);
}

bool decode(const char* data, size_t size, uint64_t count, std::vector<IngestRow>& rows) {
    State s;
    Reader in{data, data + size};
    for (uint64_t k = 0; k < count && in.ok; ++k) {
        IngestRow r;
        Event& e = r.event;
        uint8_t flags = 0;
        in.get(flags);
        in.get(e.device);
        s.time = static_cast<int64_t>(static_cast<uint64_t>(s.time) + unzigzag(in.varint()));
        e.time_ms = s.time;
        e.cell = static_cast<uint32_t>(in.varint()) - 1;
        e.duration_s = static_cast<uint32_t>(in.varint());
        s.line += unzigzag(in.varint());
        r.line = s.line;
        if (flags & kNetworks) in.get(s.nets);
        if (flags & kPosition) in.get(s.pos);
        if (flags & kFile) s.file = static_cast<uint32_t>(in.varint());
        if (flags & kKind) in.get(s.kind);
        if (flags & kPad) in.get(r.pad);
        e.mcc = s.nets[0];
        e.mnc = s.nets[1];
        e.serving_mcc = s.nets[2];
        e.serving_mnc = s.nets[3];
        std::memcpy(&e.lat, &s.pos[0], 4);
        std::memcpy(&e.lon, &s.pos[1], 4);
        e.type = static_cast<EventType>(s.kind[0]);
        e.domain = static_cast<Domain>(s.kind[1]);
        e.flags = s.kind[2];
        r.file = s.file;
        rows.push_back(r);
    }
    return in.ok && in.p == in.end;
}

}  // namespace

void append_spill(const std::filesystem::path& path, std::span<const IngestRow> rows) {
    // The encoding buffer is kept per thread: fresh pages are slow to come by.
    thread_local std::string buf;
    if (buf.size() < 16 + rows.size() * kMaxRowBytes) buf.resize(16 + rows.size() * kMaxRowBytes);
    uint64_t count = rows.size();
    uint64_t bytes = encode(rows, buf.data() + 16);
    std::memcpy(buf.data(), &count, 8);
    std::memcpy(buf.data() + 8, &bytes, 8);
    std::FILE* f = std::fopen(path.c_str(), "ab");
    if (!f) throw runtime_error(fmt::format("{}: cannot write spill file", path.string()));
    size_t n = std::fwrite(buf.data(), 1, 16 + bytes, f);
    bool ok = n == 16 + bytes && std::fclose(f) == 0;
    if (!ok) throw runtime_error(fmt::format("{}: cannot write spill file (disk full?)", path.string()));
}

void read_spill(const std::filesystem::path& path, std::vector<IngestRow>& rows) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        if (errno == ENOENT) return;
        throw runtime_error(fmt::format("{}: cannot read spill file", path.string()));
    }
    ClosingFile closer{f};
    thread_local std::string buf;
    uint64_t head[2];
    size_t got;
    while ((got = std::fread(head, 8, 2, f)) == 2) {
        if (head[1] > head[0] * kMaxRowBytes) throw runtime_error(fmt::format("{}: spill file is corrupt", path.string()));
        if (buf.size() < head[1]) buf.resize(head[1]);
        if (std::fread(buf.data(), 1, head[1], f) != head[1])
            throw runtime_error(fmt::format("{}: spill file is short", path.string()));
        if (!decode(buf.data(), head[1], head[0], rows))
            throw runtime_error(fmt::format("{}: spill file is corrupt", path.string()));
    }
    if (got != 0 || std::ferror(f) || !std::feof(f))
        throw runtime_error(fmt::format("{}: spill file is short or unreadable", path.string()));
}

uint64_t spill_rows(const std::filesystem::path& path) {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return 0;
    ClosingFile closer{f};
    uint64_t rows = 0, head[2];
    while (std::fread(head, 8, 2, f) == 2) {
        rows += head[0];
        if (std::fseek(f, static_cast<long>(head[1]), SEEK_CUR) != 0) break;
    }
    return rows;
}

uint32_t encode_spill_block(std::span<const IngestRow> rows, std::string& out) {
    const size_t at = out.size();
    out.resize(at + 16 + rows.size() * kMaxRowBytes);
    const uint64_t count = rows.size();
    const uint64_t bytes = encode(rows, out.data() + at + 16);
    std::memcpy(out.data() + at, &count, 8);
    std::memcpy(out.data() + at + 8, &bytes, 8);
    out.resize(at + 16 + bytes);
    return static_cast<uint32_t>(
        crc32_z(0, reinterpret_cast<const Bytef*>(out.data() + at + 16), static_cast<z_size_t>(bytes)));
}

void read_spill_blocks(const std::filesystem::path& path, std::span<const SpillBlock> blocks,
                       std::vector<IngestRow>& rows) {
    if (blocks.empty()) return;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw runtime_error(fmt::format("{}: cannot read ({})", path.string(), std::strerror(errno)));
    ClosingFile closer{f};
    thread_local std::string buf;
    for (const SpillBlock& b : blocks) {
        if (b.bytes > b.rows * kMaxRowBytes) throw runtime_error(fmt::format("{}: corrupt block", path.string()));
        if (buf.size() < b.bytes) buf.resize(b.bytes);
        if (!read_at(f, b.offset, buf.data(), b.bytes))
            throw runtime_error(fmt::format("{}: a block is short (file truncated?)", path.string()));
        const auto crc = static_cast<uint32_t>(
            crc32_z(0, reinterpret_cast<const Bytef*>(buf.data()), static_cast<z_size_t>(b.bytes)));
        if (crc != b.crc32 || !decode(buf.data(), b.bytes, b.rows, rows))
            throw runtime_error(fmt::format("{}: a block is corrupt (CRC-32 or encoding)", path.string()));
    }
}

}  // namespace mpdstat
