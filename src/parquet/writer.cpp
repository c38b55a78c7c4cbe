#include "parquet/writer.hpp"

#include <cmath>
#include <cstring>
#include <unordered_map>

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "parquet/codec.hpp"
#include "parquet/encoding.hpp"

namespace mpdstat::parquet {

namespace {

void put_u32(std::string& out, uint32_t v) {
    char b[4];
    std::memcpy(b, &v, 4);
    out.append(b, 4);
}

template <class T>
std::string le_bytes(T v) {
    std::string s(sizeof(T), '\0');
    std::memcpy(s.data(), &v, sizeof(T));
    return s;
}

// The bytes of one column chunk being assembled, with its metadata.
struct ChunkWriter {
    const WriteOptions& opt;
    std::string bytes;
    int64_t uncompressed = 0;

    // Appends a page; returns its offset within the chunk.
    size_t page(PageHeader h, const std::string& body) {
        std::string compressed = compress(opt.codec, body, opt.level);
        h.uncompressed_page_size = static_cast<int32_t>(body.size());
        h.compressed_page_size = static_cast<int32_t>(compressed.size());
        std::string header = encode_page_header(h);
        size_t at = bytes.size();
        bytes += header;
        bytes += compressed;
        uncompressed += static_cast<int64_t>(header.size() + body.size());
        return at;
    }
};

// Definition levels (page v1: 4-byte length, then the RLE / bit-packed runs).
void put_levels(const WriteColumn& c, size_t begin, size_t end, std::string& out) {
    if (!c.nullable) return;
    std::vector<uint32_t> levels(end - begin);
    for (size_t i = begin; i < end; ++i) levels[i - begin] = c.has_value(i) ? 1 : 0;
    std::string runs;
    encode_rle_bit_packed(levels, 1, runs);
    put_u32(out, static_cast<uint32_t>(runs.size()));
    out += runs;
}

Statistics statistics(const WriteColumn& c, size_t begin, size_t end) {
    Statistics s;
    int64_t nulls = 0;
    for (size_t i = begin; i < end; ++i) nulls += !c.has_value(i);
    s.null_count = nulls;
    switch (c.type) {
        case WriteColumn::Type::string: {
            const std::string* lo = nullptr;
            const std::string* hi = nullptr;
            for (size_t i = begin; i < end; ++i) {
                if (!c.has_value(i)) continue;
                const std::string& v = c.strings[i];
                if (!lo || v < *lo) lo = &v;  // std::string compares bytes as unsigned, as Parquet's order does
                if (!hi || v > *hi) hi = &v;
            }
            if (lo) { s.min_value = *lo; s.max_value = *hi; }
            break;
        }
        case WriteColumn::Type::int64: {
            bool any = false;
            int64_t lo = 0, hi = 0;
            for (size_t i = begin; i < end; ++i) {
                if (!c.has_value(i)) continue;
                int64_t v = c.ints[i];
                if (!any || v < lo) lo = v;
                if (!any || v > hi) hi = v;
                any = true;
            }
            if (any) { s.min_value = le_bytes(lo); s.max_value = le_bytes(hi); }
            break;
        }
        case WriteColumn::Type::float64: {
            bool any = false;
            double lo = 0, hi = 0;
            for (size_t i = begin; i < end; ++i) {
                if (!c.has_value(i) || std::isnan(c.doubles[i])) continue;  // NaN has no place in the order
                double v = c.doubles[i];
                if (!any || v < lo) lo = v;
                if (!any || v > hi) hi = v;
                any = true;
            }
            if (any) {
                // The spec's rule for zeros: a minimum of zero is written -0.0, a maximum +0.0.
                if (lo == 0) lo = -0.0;
                if (hi == 0) hi = +0.0;
                s.min_value = le_bytes(lo);
                s.max_value = le_bytes(hi);
            }
            break;
        }
    }
    return s;
}

PhysicalType physical(WriteColumn::Type t) {
    switch (t) {
        case WriteColumn::Type::string: return PhysicalType::byte_array;
        case WriteColumn::Type::int64: return PhysicalType::int64;
        case WriteColumn::Type::float64: return PhysicalType::float64;
    }
    return PhysicalType::byte_array;
}

void put_plain(const WriteColumn& c, size_t i, std::string& out) {
    switch (c.type) {
        case WriteColumn::Type::string:
            put_u32(out, static_cast<uint32_t>(c.strings[i].size()));
            out += c.strings[i];
            break;
        case WriteColumn::Type::int64: out += le_bytes(c.ints[i]); break;
        case WriteColumn::Type::float64: out += le_bytes(c.doubles[i]); break;
    }
}

ColumnChunk write_chunk(const WriteColumn& c, size_t begin, size_t end, const WriteOptions& opt, std::string& file) {
    ChunkWriter w{opt, {}, 0};
    ColumnMetaData m;
    m.type = physical(c.type);
    m.path = {c.name};
    m.codec = opt.codec;
    m.num_values = static_cast<int64_t>(end - begin);

    // Strings are dictionary-encoded when values repeat (most Tier II strings:
    // zone levels, zone ids, dates, statuses), else written plain.
    std::vector<uint32_t> index;
    std::vector<const std::string*> dictionary;
    bool use_dictionary = false;
    if (c.type == WriteColumn::Type::string) {
        std::unordered_map<std::string_view, uint32_t> ids;
        size_t present = 0, dict_bytes = 0;
        index.assign(end - begin, 0);
        for (size_t i = begin; i < end; ++i) {
            if (!c.has_value(i)) continue;
            ++present;
            auto [it, added] = ids.try_emplace(c.strings[i], static_cast<uint32_t>(dictionary.size()));
            if (added) {
                dictionary.push_back(&c.strings[i]);
                dict_bytes += c.strings[i].size() + 4;
            }
            index[i - begin] = it->second;
        }
        use_dictionary = dictionary.size() * 2 <= present + 2 && dict_bytes < (8u << 20);
    }
    std::optional<size_t> dict_offset;
    if (use_dictionary) {
        std::string body;
        for (const std::string* s : dictionary) {
            put_u32(body, static_cast<uint32_t>(s->size()));
            body += *s;
        }
        PageHeader h;
        h.type = PageType::dictionary;
        h.dictionary = DictionaryPageHeader{static_cast<int32_t>(dictionary.size()), Encoding::plain};
        dict_offset = w.page(h, body);
        m.encodings = {Encoding::plain, Encoding::rle, Encoding::rle_dictionary};
    } else {
        m.encodings = {Encoding::plain, Encoding::rle};
    }
    const int index_width = std::max(1, bit_width_of(dictionary.empty() ? 0 : dictionary.size() - 1));
    std::optional<size_t> first_data;
    for (size_t p = begin; p < end || (p == begin && begin == end); p += opt.page_rows) {
        size_t q = std::min(end, p + opt.page_rows);
        std::string body;
        put_levels(c, p, q, body);
        if (use_dictionary) {
            std::vector<uint32_t> ids;
            for (size_t i = p; i < q; ++i)
                if (c.has_value(i)) ids.push_back(index[i - begin]);
            body += static_cast<char>(index_width);
            encode_rle_bit_packed(ids, index_width, body);
        } else {
            for (size_t i = p; i < q; ++i)
                if (c.has_value(i)) put_plain(c, i, body);
        }
        PageHeader h;
        h.type = PageType::data;
        h.data = DataPageHeader{static_cast<int32_t>(q - p), use_dictionary ? Encoding::rle_dictionary : Encoding::plain,
                                Encoding::rle, Encoding::rle, std::nullopt};
        size_t at = w.page(h, body);
        if (!first_data) first_data = at;
        if (begin == end) break;
    }
    const int64_t base = static_cast<int64_t>(file.size());
    m.total_uncompressed_size = w.uncompressed;
    m.total_compressed_size = static_cast<int64_t>(w.bytes.size());
    m.data_page_offset = base + static_cast<int64_t>(*first_data);
    if (dict_offset) m.dictionary_page_offset = base + static_cast<int64_t>(*dict_offset);
    m.statistics = statistics(c, begin, end);
    file += w.bytes;
    ColumnChunk cc;
    cc.file_offset = base;
    cc.meta = std::move(m);
    return cc;
}

}  // namespace

std::string encode_table(const std::vector<WriteColumn>& columns, const WriteOptions& opt) {
    const size_t rows = columns.empty() ? 0 : columns[0].rows();
    for (const auto& c : columns) {
        if (c.rows() != rows) throw runtime_error(fmt::format("Parquet writer: column '{}' has {} rows, '{}' has {}", c.name, c.rows(), columns[0].name, rows));
        if (!c.present.empty() && (c.present.size() != rows || !c.nullable))
            throw runtime_error(fmt::format("Parquet writer: column '{}' has a wrong null mask", c.name));
    }
    FileMetaData meta;
    meta.version = 1;
    meta.created_by = opt.created_by;
    meta.num_rows = static_cast<int64_t>(rows);
    meta.type_defined_column_orders = true;
    SchemaElement root;
    root.name = "schema";
    root.num_children = static_cast<int32_t>(columns.size());
    meta.schema.push_back(root);
    for (const auto& c : columns) {
        SchemaElement e;
        e.name = c.name;
        e.type = physical(c.type);
        e.repetition = c.nullable ? Repetition::optional : Repetition::required;
        if (c.type == WriteColumn::Type::string) {
            e.converted_type = converted::utf8;
            e.logical.kind = LogicalType::Kind::string;
        }
        meta.schema.push_back(std::move(e));
    }
    std::string file = "PAR1";
    for (size_t begin = 0; begin < rows || (begin == 0 && rows == 0); begin += opt.row_group_rows) {
        size_t end = std::min(rows, begin + opt.row_group_rows);
        RowGroup g;
        g.num_rows = static_cast<int64_t>(end - begin);
        for (const auto& c : columns) {
            g.columns.push_back(write_chunk(c, begin, end, opt, file));
            g.total_byte_size += g.columns.back().meta->total_uncompressed_size;
        }
        meta.row_groups.push_back(std::move(g));
        if (rows == 0) break;
    }
    std::string footer = encode_file_metadata(meta);
    file += footer;
    put_u32(file, static_cast<uint32_t>(footer.size()));
    file += "PAR1";
    return file;
}

void write_table(const std::filesystem::path& path, const std::vector<WriteColumn>& columns, const WriteOptions& options) {
    std::string bytes = encode_table(columns, options);
    AtomicFile f(path);
    f.write(bytes);
    f.commit();
}

}  // namespace mpdstat::parquet
