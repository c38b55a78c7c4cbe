#include "ingest/byte_source.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <zlib.h>
#include <zstd.h>

#include "common/error.hpp"

namespace mpdstat {

std::string_view compression_name(Compression c) {
    switch (c) {
        case Compression::gzip: return "gzip";
        case Compression::zstd: return "zstd";
        default: return "none";
    }
}

struct ByteSource::Impl {
    std::FILE* f = nullptr;
    std::vector<unsigned char> in;  // raw bytes read but not yet consumed
    size_t in_pos = 0, in_len = 0;
    bool eof = false;
    bool done = false;
    z_stream z{};
    bool z_init = false;
    bool z_member_open = false;
    ZSTD_DStream* zs = nullptr;
    size_t zstd_last = 0;

    bool fill() {
        if (eof) return false;
        in_pos = 0;
        in_len = std::fread(in.data(), 1, in.size(), f);
        if (in_len < in.size()) eof = true;
        return in_len > 0;
    }
    ~Impl() {
        if (f) std::fclose(f);
        if (z_init) inflateEnd(&z);
        if (zs) ZSTD_freeDStream(zs);
    }
};

ByteSource::ByteSource(const std::filesystem::path& path) : impl_(std::make_unique<Impl>()) {
    impl_->f = std::fopen(path.c_str(), "rb");
    if (!impl_->f) throw data_error(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    std::error_code ec;
    file_size_ = std::filesystem::file_size(path, ec);
    impl_->in.resize(1 << 20);
    impl_->fill();
    const auto* b = impl_->in.data();
    if (impl_->in_len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
        compression_ = Compression::gzip;
        impl_->z_init = inflateInit2(&impl_->z, 16 + MAX_WBITS) == Z_OK;
        impl_->z_member_open = true;
    } else if (impl_->in_len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
        compression_ = Compression::zstd;
        impl_->zs = ZSTD_createDStream();
        ZSTD_initDStream(impl_->zs);
    }
}

ByteSource::~ByteSource() = default;

size_t ByteSource::read(char* out, size_t cap) {
    Impl& s = *impl_;
    if (s.done || cap == 0) return 0;
    if (compression_ == Compression::none) {
        size_t n = 0;
        while (n < cap) {
            if (s.in_pos == s.in_len && !s.fill()) break;
            size_t k = std::min(cap - n, s.in_len - s.in_pos);
            std::memcpy(out + n, s.in.data() + s.in_pos, k);
            s.in_pos += k;
            n += k;
        }
        if (n == 0) s.done = true;
        return n;
    }
    if (compression_ == Compression::gzip) {
        size_t n = 0;
        while (n < cap) {
            if (s.in_pos == s.in_len && !s.fill()) {
                if (s.z_member_open) error_ = "truncated gzip stream (the file ends inside compressed data)";
                break;
            }
            if (!s.z_member_open) {
                // Another gzip member follows (concatenated .gz files).
                inflateReset(&s.z);
                s.z_member_open = true;
            }
            s.z.next_in = s.in.data() + s.in_pos;
            s.z.avail_in = static_cast<uInt>(s.in_len - s.in_pos);
            s.z.next_out = reinterpret_cast<Bytef*>(out + n);
            s.z.avail_out = static_cast<uInt>(cap - n);
            int rc = inflate(&s.z, Z_NO_FLUSH);
            size_t used = (s.in_len - s.in_pos) - s.z.avail_in;
            s.in_pos += used;
            n = cap - s.z.avail_out;
            if (rc == Z_STREAM_END) {
                s.z_member_open = false;
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                error_ = fmt::format("corrupt gzip data ({})", s.z.msg ? s.z.msg : "inflate failed");
                s.done = true;
                return n;
            } else if (rc == Z_BUF_ERROR && used == 0 && n < cap && s.in_pos < s.in_len) {
                error_ = "corrupt gzip data";
                s.done = true;
                return n;
            }
        }
        if (n == 0 || !error_.empty()) s.done = true;
        return n;
    }
    // zstd
    size_t n = 0;
    while (n < cap) {
        if (s.in_pos == s.in_len && !s.fill()) {
            if (s.zstd_last != 0) error_ = "truncated zstd stream (the file ends inside a frame)";
            break;
        }
        ZSTD_inBuffer ib{s.in.data(), s.in_len, s.in_pos};
        ZSTD_outBuffer ob{out, cap, n};
        size_t rc = ZSTD_decompressStream(s.zs, &ob, &ib);
        s.in_pos = ib.pos;
        n = ob.pos;
        if (ZSTD_isError(rc)) {
            error_ = fmt::format("corrupt zstd data ({})", ZSTD_getErrorName(rc));
            s.done = true;
            return n;
        }
        s.zstd_last = rc;
    }
    if (n == 0 || !error_.empty()) s.done = true;
    return n;
}

}  // namespace mpdstat
