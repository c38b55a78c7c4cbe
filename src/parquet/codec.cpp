#include "parquet/codec.hpp"

#include <snappy-c.h>
#include <cstring>
#include <zlib.h>
#include <zstd.h>

#include <fmt/format.h>

#include "parquet/format_error.hpp"

namespace mpdstat::parquet {

std::string decompress(Codec codec, std::span<const uint8_t> in, size_t size) {
    std::string out(size, '\0');
    const char* src = reinterpret_cast<const char*>(in.data());
    switch (codec) {
        case Codec::uncompressed:
            if (in.size() != size) throw FormatError(fmt::format("uncompressed page holds {} bytes, its header says {}", in.size(), size));
            if (size) std::memcpy(out.data(), src, size);
            return out;
        case Codec::snappy: {
            size_t n = 0;
            if (snappy_uncompressed_length(src, in.size(), &n) != SNAPPY_OK || n != size)
                throw FormatError(fmt::format("corrupt SNAPPY page (expands to {} bytes, its header says {})", n, size));
            if (snappy_uncompress(src, in.size(), out.data(), &n) != SNAPPY_OK || n != size)
                throw FormatError("corrupt SNAPPY page");
            return out;
        }
        case Codec::zstd: {
            size_t n = ZSTD_decompress(out.data(), size, src, in.size());
            if (ZSTD_isError(n)) throw FormatError(fmt::format("corrupt ZSTD page ({})", ZSTD_getErrorName(n)));
            if (n != size) throw FormatError(fmt::format("ZSTD page expands to {} bytes, its header says {}", n, size));
            return out;
        }
        case Codec::gzip: {
            z_stream z{};
            // 32 + MAX_WBITS: accept gzip and zlib headers alike.
            if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK) throw FormatError("cannot start GZIP decompression");
            z.next_in = const_cast<Bytef*>(in.data());
            z.avail_in = static_cast<uInt>(in.size());
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(size);
            int rc = inflate(&z, Z_FINISH);
            size_t n = size - z.avail_out;
            inflateEnd(&z);
            if (rc != Z_STREAM_END || n != size)
                throw FormatError(fmt::format("corrupt GZIP page (expands to {} bytes, its header says {})", n, size));
            return out;
        }
        default:
            throw FormatError(fmt::format("compression codec {} is not supported (use UNCOMPRESSED, SNAPPY, GZIP or ZSTD)",
                                          codec_name(codec)));
    }
}

std::string compress(Codec codec, std::string_view in, int level) {
    switch (codec) {
        case Codec::uncompressed: return std::string(in);
        case Codec::zstd: {
            std::string out(ZSTD_compressBound(in.size()), '\0');
            size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), level);
            if (ZSTD_isError(n)) throw FormatError(fmt::format("ZSTD compression failed ({})", ZSTD_getErrorName(n)));
            out.resize(n);
            return out;
        }
        case Codec::snappy: {
            size_t n = snappy_max_compressed_length(in.size());
            std::string out(n, '\0');
            if (snappy_compress(in.data(), in.size(), out.data(), &n) != SNAPPY_OK) throw FormatError("SNAPPY compression failed");
            out.resize(n);
            return out;
        }
        case Codec::gzip: {
            z_stream z{};
            if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
                throw FormatError("cannot start GZIP compression");
            std::string out(deflateBound(&z, static_cast<uLong>(in.size())), '\0');
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
            z.avail_in = static_cast<uInt>(in.size());
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = static_cast<uInt>(out.size());
            int rc = deflate(&z, Z_FINISH);
            out.resize(z.total_out);
            deflateEnd(&z);
            if (rc != Z_STREAM_END) throw FormatError("GZIP compression failed");
            return out;
        }
        default: throw FormatError(fmt::format("cannot write codec {}", codec_name(codec)));
    }
}

}  // namespace mpdstat::parquet
