#include "parquet/column_reader.hpp"

#include <cstring>

#include <fmt/format.h>

#include "parquet/codec.hpp"
#include "parquet/encoding.hpp"
#include "parquet/format_error.hpp"

namespace mpdstat::parquet {

namespace {

// Values of one page (or the dictionary) without nulls, by physical type.
struct DenseValues {
    std::vector<int64_t> ints;
    std::vector<double> doubles;
    std::vector<std::string_view> bytes;
    // Storage for values rebuilt by DELTA_BYTE_ARRAY / BYTE_STREAM_SPLIT; held by
    // pointer so the views into it survive when it is handed to ColumnData.
    std::shared_ptr<std::string> arena = std::make_shared<std::string>();
    size_t size(PhysicalType p) const {
        switch (p) {
            case PhysicalType::float32: case PhysicalType::float64: return doubles.size();
            case PhysicalType::byte_array: case PhysicalType::fixed_len_byte_array: return bytes.size();
            default: return ints.size();
        }
    }
};

template <class T>
T load_le(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

constexpr int64_t kJulianEpochDay = 2440588;  // 1970-01-01
constexpr int64_t kNanosPerDay = 86400LL * 1000000000LL;

void decode_plain(const Column& c, ByteCursor& in, size_t n, DenseValues& out) {
    switch (c.physical) {
        case PhysicalType::boolean: {
            auto b = in.take((n + 7) / 8);
            out.ints.resize(n);
            for (size_t i = 0; i < n; ++i) out.ints[i] = (b[i / 8] >> (i % 8)) & 1;
            return;
        }
        case PhysicalType::int32: {
            if (n > in.remaining() / 4) throw FormatError("PLAIN INT32 values end early");
            auto b = in.take(n * 4);
            out.ints.resize(n);
            for (size_t i = 0; i < n; ++i) out.ints[i] = load_le<int32_t>(b.data() + 4 * i);
            return;
        }
        case PhysicalType::int64: {
            if (n > in.remaining() / 8) throw FormatError("PLAIN INT64 values end early");
            auto b = in.take(n * 8);
            out.ints.resize(n);
            if (n) std::memcpy(out.ints.data(), b.data(), n * 8);
            return;
        }
        case PhysicalType::int96: {
            if (n > in.remaining() / 12) throw FormatError("PLAIN INT96 values end early");
            auto b = in.take(n * 12);
            out.ints.resize(n);
            for (size_t i = 0; i < n; ++i) {
                int64_t nanos = load_le<int64_t>(b.data() + 12 * i);
                int64_t day = load_le<uint32_t>(b.data() + 12 * i + 8);
                uint64_t v = uint64_t(day - kJulianEpochDay) * uint64_t(kNanosPerDay) + uint64_t(nanos);  // wraps, never UB
                out.ints[i] = static_cast<int64_t>(v);
            }
            return;
        }
        case PhysicalType::float32: {
            if (n > in.remaining() / 4) throw FormatError("PLAIN FLOAT values end early");
            auto b = in.take(n * 4);
            out.doubles.resize(n);
            for (size_t i = 0; i < n; ++i) out.doubles[i] = load_le<float>(b.data() + 4 * i);
            return;
        }
        case PhysicalType::float64: {
            if (n > in.remaining() / 8) throw FormatError("PLAIN DOUBLE values end early");
            auto b = in.take(n * 8);
            out.doubles.resize(n);
            if (n) std::memcpy(out.doubles.data(), b.data(), n * 8);
            return;
        }
        case PhysicalType::byte_array: {
            if (n > in.remaining() / 4) throw FormatError("PLAIN BYTE_ARRAY values end early");
            out.bytes.resize(n);
            for (size_t i = 0; i < n; ++i) {
                uint32_t len = in.u32_le();
                auto b = in.take(len);
                out.bytes[i] = std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
            }
            return;
        }
        case PhysicalType::fixed_len_byte_array: {
            size_t w = size_t(c.type_length);
            if (n > in.remaining() / w) throw FormatError("PLAIN FIXED_LEN_BYTE_ARRAY values end early");
            auto b = in.take(n * w);
            out.bytes.resize(n);
            for (size_t i = 0; i < n; ++i) out.bytes[i] = std::string_view(reinterpret_cast<const char*>(b.data()) + i * w, w);
            return;
        }
    }
    throw FormatError(fmt::format("unknown physical type {}", static_cast<int>(c.physical)));
}

void decode_values(const Column& c, Encoding enc, std::span<const uint8_t> data, size_t n, const DenseValues* dictionary,
                   DenseValues& out) {
    ByteCursor in(data);
    const PhysicalType p = c.physical;
    switch (enc) {
        case Encoding::plain: decode_plain(c, in, n, out); return;
        case Encoding::plain_dictionary:
        case Encoding::rle_dictionary: {
            if (!dictionary) throw FormatError(fmt::format("dictionary-encoded page in column '{}' without a dictionary page", c.name));
            if (n == 0) return;
            int w = in.byte();
            std::vector<uint32_t> idx(n);
            RleBitPackedDecoder(in.rest(), w).decode(idx.data(), n);
            const size_t dict_size = dictionary->size(p);
            for (uint32_t i : idx)
                if (i >= dict_size) throw FormatError(fmt::format("dictionary index {} beyond the {} entries of column '{}'", i, dict_size, c.name));
            if (p == PhysicalType::float32 || p == PhysicalType::float64) {
                out.doubles.resize(n);
                for (size_t k = 0; k < n; ++k) out.doubles[k] = dictionary->doubles[idx[k]];
            } else if (p == PhysicalType::byte_array || p == PhysicalType::fixed_len_byte_array) {
                out.bytes.resize(n);
                for (size_t k = 0; k < n; ++k) out.bytes[k] = dictionary->bytes[idx[k]];
            } else {
                out.ints.resize(n);
                for (size_t k = 0; k < n; ++k) out.ints[k] = dictionary->ints[idx[k]];
            }
            return;
        }
        case Encoding::rle: {
            if (p != PhysicalType::boolean) break;
            uint32_t len = in.u32_le();
            std::vector<uint32_t> v(n);
            RleBitPackedDecoder(in.take(len), 1).decode(v.data(), n);
            out.ints.assign(v.begin(), v.end());
            return;
        }
        case Encoding::delta_binary_packed: {
            if (p != PhysicalType::int32 && p != PhysicalType::int64) break;
            out.ints = decode_delta_binary_packed(in, n, p == PhysicalType::int32 ? 32 : 64);
            if (out.ints.size() != n)
                throw FormatError(fmt::format("DELTA_BINARY_PACKED page holds {} values, {} expected", out.ints.size(), n));
            return;
        }
        case Encoding::delta_length_byte_array:
            if (p != PhysicalType::byte_array) break;
            decode_delta_length_byte_array(in, n, out.bytes);
            return;
        case Encoding::delta_byte_array:
            if (p != PhysicalType::byte_array && p != PhysicalType::fixed_len_byte_array) break;
            decode_delta_byte_array(in, n, *out.arena, out.bytes);
            if (p == PhysicalType::fixed_len_byte_array)
                for (auto v : out.bytes)
                    if (v.size() != size_t(c.type_length)) throw FormatError(fmt::format("value of {} bytes in FIXED_LEN_BYTE_ARRAY({}) column '{}'", v.size(), c.type_length, c.name));
            return;
        case Encoding::byte_stream_split: {
            size_t w = p == PhysicalType::float32 || p == PhysicalType::int32 ? 4
                     : p == PhysicalType::float64 || p == PhysicalType::int64 ? 8
                     : p == PhysicalType::fixed_len_byte_array ? size_t(c.type_length) : 0;
            if (w == 0) break;
            decode_byte_stream_split(in.rest(), w, n, *out.arena);
            ByteCursor joined(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(out.arena->data()), out.arena->size()));
            decode_plain(c, joined, n, out);
            return;
        }
        default: break;
    }
    throw FormatError(fmt::format("encoding {} of {} column '{}' is not supported", encoding_name(enc), physical_type_name(p), c.name));
}

// Definition levels of a flat optional column are 0 (null) or 1 (value).
void decode_levels(std::span<const uint8_t> data, size_t n, std::vector<uint32_t>& levels) {
    levels.resize(n);
    RleBitPackedDecoder(data, 1).decode(levels.data(), n);
    for (uint32_t l : levels)
        if (l > 1) throw FormatError("definition level above 1 in a flat column");
}

}  // namespace

ColumnData decode_column_chunk(const Column& c, const ColumnMetaData& meta, std::span<const uint8_t> chunk, int64_t rows) {
    if (rows < 0 || rows > (int64_t(1) << 31)) throw FormatError(fmt::format("row group of {} rows", rows));
    const size_t want = static_cast<size_t>(rows);
    ColumnData out;
    out.rows = want;
    const PhysicalType p = c.physical;
    const bool is_bytes = p == PhysicalType::byte_array || p == PhysicalType::fixed_len_byte_array;
    const bool is_double = p == PhysicalType::float32 || p == PhysicalType::float64;
    size_t reserve = std::min<size_t>(want, size_t(1) << 20);
    out.valid.reserve(reserve);
    (is_bytes ? out.bytes.reserve(reserve) : is_double ? out.doubles.reserve(reserve) : out.ints.reserve(reserve));

    std::optional<DenseValues> dictionary;
    std::vector<uint32_t> levels;
    size_t pos = 0, done = 0;
    while (done < want) {
        if (pos >= chunk.size())
            throw FormatError(fmt::format("column '{}' ends after {} of {} values", c.name, done, want));
        size_t header_size = 0;
        PageHeader h = decode_page_header(chunk.subspan(pos), header_size);
        pos += header_size;
        if (size_t(h.compressed_page_size) > chunk.size() - pos)
            throw FormatError(fmt::format("page of {} bytes runs past the end of column '{}'", h.compressed_page_size, c.name));
        if (size_t(h.uncompressed_page_size) > kMaxPageBytes)
            throw FormatError(fmt::format("page of {} bytes in column '{}' is larger than supported", h.uncompressed_page_size, c.name));
        auto payload = chunk.subspan(pos, size_t(h.compressed_page_size));
        pos += size_t(h.compressed_page_size);

        if (h.type == PageType::dictionary) {
            if (!h.dictionary) throw FormatError("dictionary page without its header");
            if (dictionary) throw FormatError(fmt::format("second dictionary page in column '{}'", c.name));
            if (h.dictionary->encoding != Encoding::plain && h.dictionary->encoding != Encoding::plain_dictionary)
                throw FormatError(fmt::format("dictionary page encoded {}", encoding_name(h.dictionary->encoding)));
            if (h.dictionary->num_values < 0) throw FormatError("dictionary page with a negative value count");
            auto buf = std::make_shared<const std::string>(decompress(meta.codec, payload, size_t(h.uncompressed_page_size)));
            dictionary.emplace();
            ByteCursor in(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf->data()), buf->size()));
            decode_plain(c, in, size_t(h.dictionary->num_values), *dictionary);
            out.buffers.push_back(buf);
            continue;
        }
        if (h.type == PageType::index) continue;
        if (h.type != PageType::data && h.type != PageType::data_v2)
            throw FormatError(fmt::format("unknown page type {} in column '{}'", static_cast<int>(h.type), c.name));

        size_t n = 0;
        Encoding enc;
        std::span<const uint8_t> values;
        std::shared_ptr<const std::string> buf;
        if (h.type == PageType::data) {
            if (!h.data) throw FormatError("data page without its header");
            if (h.data->num_values < 0) throw FormatError("data page with a negative value count");
            n = size_t(h.data->num_values);
            if (n > want - done) throw FormatError(fmt::format("column '{}' holds more values than the row group's {} rows", c.name, want));
            enc = h.data->encoding;
            buf = std::make_shared<const std::string>(decompress(meta.codec, payload, size_t(h.uncompressed_page_size)));
            ByteCursor in(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf->data()), buf->size()));
            if (c.optional) {
                if (h.data->definition_level_encoding != Encoding::rle)
                    throw FormatError(fmt::format("definition levels encoded {} are not supported", encoding_name(h.data->definition_level_encoding)));
                uint32_t len = in.u32_le();
                decode_levels(in.take(len), n, levels);
            }
            values = in.rest();
        } else {
            if (!h.data_v2) throw FormatError("data page v2 without its header");
            const DataPageHeaderV2& v2 = *h.data_v2;
            if (v2.num_values < 0 || v2.num_nulls < 0 || v2.repetition_levels_byte_length < 0 || v2.definition_levels_byte_length < 0)
                throw FormatError("data page v2 with a negative count or length");
            n = size_t(v2.num_values);
            if (n > want - done) throw FormatError(fmt::format("column '{}' holds more values than the row group's {} rows", c.name, want));
            enc = v2.encoding;
            size_t rep = size_t(v2.repetition_levels_byte_length), def = size_t(v2.definition_levels_byte_length);
            if (rep + def > payload.size() || rep + def > size_t(h.uncompressed_page_size))
                throw FormatError("data page v2 levels run past the page");
            if (rep != 0) throw FormatError(fmt::format("column '{}' has repetition levels; only flat schemas are supported", c.name));
            if (c.optional) decode_levels(payload.subspan(rep, def), n, levels);
            auto compressed_values = payload.subspan(rep + def);
            size_t values_size = size_t(h.uncompressed_page_size) - rep - def;
            Codec codec = v2.is_compressed ? meta.codec : Codec::uncompressed;
            buf = std::make_shared<const std::string>(decompress(codec, compressed_values, values_size));
            values = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf->data()), buf->size());
        }
        size_t present = n;
        if (c.optional) {
            present = 0;
            for (size_t i = 0; i < n; ++i) present += levels[i];
        }
        DenseValues dense;
        decode_values(c, enc, values, present, dictionary ? &*dictionary : nullptr, dense);
        if (dense.size(p) != present) throw FormatError(fmt::format("page of column '{}' decodes {} values, {} expected", c.name, dense.size(p), present));
        // Views into the page (or its rebuilt arena) must outlive this loop.
        out.buffers.push_back(buf);
        if (!dense.arena->empty()) out.buffers.push_back(dense.arena);
        size_t k = 0;
        for (size_t i = 0; i < n; ++i) {
            bool has = !c.optional || levels[i];
            out.valid.push_back(has);
            if (is_bytes) out.bytes.push_back(has ? dense.bytes[k] : std::string_view());
            else if (is_double) out.doubles.push_back(has ? dense.doubles[k] : 0.0);
            else out.ints.push_back(has ? dense.ints[k] : 0);
            k += has;
        }
        done += n;
    }
    return out;
}

}  // namespace mpdstat::parquet
