#include "synth/event_format.hpp"

#include <cstring>

#include <zlib.h>
#include <zstd.h>

#include "common/error.hpp"

namespace mpdstat::synth {

std::string_view row_fault_name(RowFault f) {
    switch (f) {
        case RowFault::none: return "none";
        case RowFault::unknown_cell: return "unknown_cell";
        case RowFault::bad_timestamp: return "malformed_timestamp";
        case RowFault::missing_field: return "malformed_missing_field";
        case RowFault::bad_mcc: return "malformed_mcc";
        case RowFault::bad_plmn: return "malformed_plmn";
        case RowFault::empty_user: return "malformed_empty_user";
    }
    return "?";
}

namespace {

inline char* put2(char* p, uint32_t v) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
    return p + 2;
}

inline char* put_uint(char* p, uint64_t v) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) *p++ = tmp[--n];
    return p;
}

inline char* put_sv(char* p, std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

}  // namespace

void format_rows(const Ev* begin, const Ev* end, std::string_view day_text, const Population& pop,
                 const std::vector<std::string>& cell_ids, std::string& out) {
    static const std::string_view type_name[3] = {"call", "sms", "data"};
    const auto& cs = countries();
    size_t base = out.size();
    out.resize(base + static_cast<size_t>(end - begin) * 112 + 64);
    char* p = out.data() + base;
    for (const Ev* e = begin; e != end; ++e) {
        const Device& d = pop.devices[e->device];
        if (e->fault != RowFault::empty_user) p = put_sv(p, std::string_view(d.msisdn, 12));
        *p++ = ',';
        p = put_sv(p, day_text);
        *p++ = ' ';
        uint32_t h = e->sec / 3600, m = (e->sec / 60) % 60, s = e->sec % 60;
        if (e->fault == RowFault::bad_timestamp) h += 24, m += 60;  // "27:75:09"
        p = put2(p, h);
        *p++ = ':';
        p = put2(p, m);
        *p++ = ':';
        p = put2(p, s);
        *p++ = ',';
        if (e->fault == RowFault::unknown_cell) {
            p = put_sv(p, "99");
            p = put_uint(p, 100000 + (static_cast<uint64_t>(e->device) * 7919 + e->sec) % 900000);
        } else if (e->cell != UINT32_MAX) {
            p = put_sv(p, cell_ids[e->cell]);
        }
        *p++ = ',';
        p = put_sv(p, type_name[static_cast<int>(e->type)]);
        *p++ = ',';
        if (e->fault == RowFault::bad_mcc) p = put_sv(p, "6O8");
        else p = put_uint(p, d.mcc);
        *p++ = ',';
        p = put_sv(p, d.foreign ? std::string_view(cs[d.country].mnc) : std::string_view(kLocalMnc));
        *p++ = ',';
        if (e->fault == RowFault::bad_plmn) {
            p = put_sv(p, "6080");
        } else if (e->plmn == 0) {
            p = put_sv(p, "60801");
        } else {
            const Country& c = cs[e->plmn - 1];
            p = put_uint(p, c.mcc);
            p = put_sv(p, c.serving_mnc);
        }
        if (e->fault != RowFault::missing_field) {
            *p++ = ',';
            p = put_uint(p, e->duration);
        }
        *p++ = '\n';
    }
    out.resize(static_cast<size_t>(p - out.data()));
}

std::string compress_chunk(std::string_view raw, OutCompression c, int level) {
    if (c == OutCompression::none) return std::string(raw);
    if (c == OutCompression::zstd) {
        std::string out(ZSTD_compressBound(raw.size()), '\0');
        size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), level);
        if (ZSTD_isError(n)) throw runtime_error(std::string("zstd compression failed: ") + ZSTD_getErrorName(n));
        out.resize(n);
        return out;
    }
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw runtime_error("gzip compression: deflateInit2 failed");
    std::string out(deflateBound(&z, raw.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    z.avail_in = static_cast<uInt>(raw.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw runtime_error("gzip compression failed");
    out.resize(z.total_out);
    return out;
}

}  // namespace mpdstat::synth
