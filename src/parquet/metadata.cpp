#include "parquet/metadata.hpp"

#include <fmt/format.h>

#include "parquet/format_error.hpp"
#include "parquet/thrift_compact.hpp"

namespace mpdstat::parquet {

using thrift::CompactReader;
using thrift::CompactWriter;

namespace {

// A known field with the wrong wire type is a corrupt file, not one to guess at.
void expect(uint8_t actual, uint8_t wanted, const char* what) {
    bool ok = actual == wanted || (wanted == thrift::kTrue && actual == thrift::kFalse);
    if (!ok)
        throw FormatError(fmt::format("metadata field {} has thrift type {}, expected {}", what, thrift::type_name(actual),
                                      thrift::type_name(wanted)));
}

// Calls on_field(id, type) for each field of a struct; it returns false for
// fields it does not read, which are then skipped.
template <class F>
void read_struct(CompactReader& r, F&& on_field) {
    r.begin_struct();
    int16_t id;
    uint8_t type;
    while (r.next_field(id, type))
        if (!on_field(id, type)) r.skip(type);
    r.end_struct();
}

template <class F>
void read_list(CompactReader& r, uint8_t field_type, uint8_t element_type, const char* what, F&& on_element) {
    expect(field_type, thrift::kList, what);
    thrift::ListHeader h = r.read_list_header();
    if (h.element_type != element_type)
        throw FormatError(fmt::format("metadata list {} holds {}, expected {}", what, thrift::type_name(h.element_type),
                                      thrift::type_name(element_type)));
    for (uint32_t i = 0; i < h.size; ++i) on_element();
}

int32_t get_i32(CompactReader& r, uint8_t type, const char* what) {
    expect(type, thrift::kI32, what);
    return r.read_i32();
}
int64_t get_i64(CompactReader& r, uint8_t type, const char* what) {
    expect(type, thrift::kI64, what);
    return r.read_i64();
}
std::string get_binary(CompactReader& r, uint8_t type, const char* what) {
    expect(type, thrift::kBinary, what);
    return r.read_binary();
}
bool get_bool(CompactReader& r, uint8_t type, const char* what) {
    expect(type, thrift::kTrue, what);
    return r.read_bool(type);
}

Statistics read_statistics(CompactReader& r) {
    Statistics s;
    read_struct(r, [&](int16_t id, uint8_t t) {
        switch (id) {
            case 3: s.null_count = get_i64(r, t, "Statistics.null_count"); return true;
            case 5: s.max_value = get_binary(r, t, "Statistics.max_value"); return true;
            case 6: s.min_value = get_binary(r, t, "Statistics.min_value"); return true;
            default: return false;
        }
    });
    return s;
}

TimeUnit read_time_unit(CompactReader& r) {
    TimeUnit u = TimeUnit::millis;
    read_struct(r, [&](int16_t id, uint8_t t) {
        expect(t, thrift::kStruct, "TimeUnit");
        if (id == 1) u = TimeUnit::millis;
        else if (id == 2) u = TimeUnit::micros;
        else if (id == 3) u = TimeUnit::nanos;
        else throw FormatError(fmt::format("unknown time unit {}", id));
        r.skip(t);
        return true;
    });
    return u;
}

LogicalType read_logical_type(CompactReader& r) {
    LogicalType l;
    read_struct(r, [&](int16_t id, uint8_t t) {
        expect(t, thrift::kStruct, "LogicalType");
        using K = LogicalType::Kind;
        switch (id) {
            case 1: l.kind = K::string; r.skip(t); return true;
            case 4: l.kind = K::enum_; r.skip(t); return true;
            case 5:
                l.kind = K::decimal;
                read_struct(r, [&](int16_t f, uint8_t ft) {
                    if (f == 1) l.scale = get_i32(r, ft, "DecimalType.scale");
                    else if (f == 2) l.precision = get_i32(r, ft, "DecimalType.precision");
                    else return false;
                    return true;
                });
                return true;
            case 6: l.kind = K::date; r.skip(t); return true;
            case 7:
            case 8:
                l.kind = id == 7 ? K::time : K::timestamp;
                read_struct(r, [&](int16_t f, uint8_t ft) {
                    if (f == 1) l.adjusted_to_utc = get_bool(r, ft, "TimestampType.isAdjustedToUTC");
                    else if (f == 2) { expect(ft, thrift::kStruct, "TimestampType.unit"); l.unit = read_time_unit(r); }
                    else return false;
                    return true;
                });
                return true;
            case 10:
                l.kind = K::integer;
                read_struct(r, [&](int16_t f, uint8_t ft) {
                    if (f == 1) { expect(ft, thrift::kByte, "IntType.bitWidth"); l.bit_width = r.read_byte(); }
                    else if (f == 2) l.is_signed = get_bool(r, ft, "IntType.isSigned");
                    else return false;
                    return true;
                });
                return true;
            case 12: l.kind = K::json; r.skip(t); return true;
            case 14: l.kind = K::uuid; r.skip(t); return true;
            default: l.kind = K::other; return false;
        }
    });
    return l;
}

SchemaElement read_schema_element(CompactReader& r) {
    SchemaElement e;
    read_struct(r, [&](int16_t id, uint8_t t) {
        switch (id) {
            case 1: e.type = static_cast<PhysicalType>(get_i32(r, t, "SchemaElement.type")); return true;
            case 2: e.type_length = get_i32(r, t, "SchemaElement.type_length"); return true;
            case 3: e.repetition = static_cast<Repetition>(get_i32(r, t, "SchemaElement.repetition_type")); return true;
            case 4: e.name = get_binary(r, t, "SchemaElement.name"); return true;
            case 5: e.num_children = get_i32(r, t, "SchemaElement.num_children"); return true;
            case 6: e.converted_type = get_i32(r, t, "SchemaElement.converted_type"); return true;
            case 7: e.scale = get_i32(r, t, "SchemaElement.scale"); return true;
            case 8: e.precision = get_i32(r, t, "SchemaElement.precision"); return true;
            case 10: expect(t, thrift::kStruct, "SchemaElement.logicalType"); e.logical = read_logical_type(r); return true;
            default: return false;
        }
    });
    return e;
}

ColumnMetaData read_column_metadata(CompactReader& r) {
    ColumnMetaData m;
    read_struct(r, [&](int16_t id, uint8_t t) {
        switch (id) {
            case 1: m.type = static_cast<PhysicalType>(get_i32(r, t, "ColumnMetaData.type")); return true;
            case 2:
                read_list(r, t, thrift::kI32, "ColumnMetaData.encodings",
                          [&] { m.encodings.push_back(static_cast<Encoding>(r.read_i32())); });
                return true;
            case 3:
                read_list(r, t, thrift::kBinary, "ColumnMetaData.path_in_schema", [&] { m.path.push_back(r.read_binary()); });
                return true;
            case 4: m.codec = static_cast<Codec>(get_i32(r, t, "ColumnMetaData.codec")); return true;
            case 5: m.num_values = get_i64(r, t, "ColumnMetaData.num_values"); return true;
            case 6: m.total_uncompressed_size = get_i64(r, t, "ColumnMetaData.total_uncompressed_size"); return true;
            case 7: m.total_compressed_size = get_i64(r, t, "ColumnMetaData.total_compressed_size"); return true;
            case 9: m.data_page_offset = get_i64(r, t, "ColumnMetaData.data_page_offset"); return true;
            case 11: m.dictionary_page_offset = get_i64(r, t, "ColumnMetaData.dictionary_page_offset"); return true;
            case 12: expect(t, thrift::kStruct, "ColumnMetaData.statistics"); m.statistics = read_statistics(r); return true;
            default: return false;
        }
    });
    return m;
}

ColumnChunk read_column_chunk(CompactReader& r) {
    ColumnChunk c;
    read_struct(r, [&](int16_t id, uint8_t t) {
        switch (id) {
            case 1: c.file_path = get_binary(r, t, "ColumnChunk.file_path"); return true;
            case 2: c.file_offset = get_i64(r, t, "ColumnChunk.file_offset"); return true;
            case 3: expect(t, thrift::kStruct, "ColumnChunk.meta_data"); c.meta = read_column_metadata(r); return true;
            case 8: case 9: throw FormatError("encrypted columns are not supported");
            default: return false;
        }
    });
    return c;
}

RowGroup read_row_group(CompactReader& r) {
    RowGroup g;
    read_struct(r, [&](int16_t id, uint8_t t) {
        switch (id) {
            case 1: read_list(r, t, thrift::kStruct, "RowGroup.columns", [&] { g.columns.push_back(read_column_chunk(r)); }); return true;
            case 2: g.total_byte_size = get_i64(r, t, "RowGroup.total_byte_size"); return true;
            case 3: g.num_rows = get_i64(r, t, "RowGroup.num_rows"); return true;
            default: return false;
        }
    });
    return g;
}

}  // namespace

FileMetaData decode_file_metadata(std::span<const uint8_t> bytes) {
    CompactReader r(bytes);
    FileMetaData m;
    bool have_schema = false, have_rows = false, have_groups = false;
    read_struct(r, [&](int16_t id, uint8_t t) {
        switch (id) {
            case 1: m.version = get_i32(r, t, "FileMetaData.version"); return true;
            case 2:
                read_list(r, t, thrift::kStruct, "FileMetaData.schema", [&] { m.schema.push_back(read_schema_element(r)); });
                have_schema = true;
                return true;
            case 3: m.num_rows = get_i64(r, t, "FileMetaData.num_rows"); have_rows = true; return true;
            case 4:
                read_list(r, t, thrift::kStruct, "FileMetaData.row_groups", [&] { m.row_groups.push_back(read_row_group(r)); });
                have_groups = true;
                return true;
            case 5:
                read_list(r, t, thrift::kStruct, "FileMetaData.key_value_metadata", [&] {
                    std::pair<std::string, std::string> kv;
                    read_struct(r, [&](int16_t f, uint8_t ft) {
                        if (f == 1) kv.first = get_binary(r, ft, "KeyValue.key");
                        else if (f == 2) kv.second = get_binary(r, ft, "KeyValue.value");
                        else return false;
                        return true;
                    });
                    m.key_value.push_back(std::move(kv));
                });
                return true;
            case 6: m.created_by = get_binary(r, t, "FileMetaData.created_by"); return true;
            case 7: m.type_defined_column_orders = true; return false;
            case 8: throw FormatError("encrypted files are not supported");
            default: return false;
        }
    });
    if (!have_schema || !have_rows || !have_groups)
        throw FormatError("file metadata lacks its schema, row count or row groups");
    return m;
}

PageHeader decode_page_header(std::span<const uint8_t> bytes, size_t& header_size) {
    CompactReader r(bytes);
    PageHeader h;
    bool have_type = false;
    read_struct(r, [&](int16_t id, uint8_t t) {
        switch (id) {
            case 1: h.type = static_cast<PageType>(get_i32(r, t, "PageHeader.type")); have_type = true; return true;
            case 2: h.uncompressed_page_size = get_i32(r, t, "PageHeader.uncompressed_page_size"); return true;
            case 3: h.compressed_page_size = get_i32(r, t, "PageHeader.compressed_page_size"); return true;
            case 5: {
                expect(t, thrift::kStruct, "PageHeader.data_page_header");
                DataPageHeader d;
                read_struct(r, [&](int16_t f, uint8_t ft) {
                    switch (f) {
                        case 1: d.num_values = get_i32(r, ft, "DataPageHeader.num_values"); return true;
                        case 2: d.encoding = static_cast<Encoding>(get_i32(r, ft, "DataPageHeader.encoding")); return true;
                        case 3: d.definition_level_encoding = static_cast<Encoding>(get_i32(r, ft, "DataPageHeader.definition_level_encoding")); return true;
                        case 4: d.repetition_level_encoding = static_cast<Encoding>(get_i32(r, ft, "DataPageHeader.repetition_level_encoding")); return true;
                        default: return false;
                    }
                });
                h.data = d;
                return true;
            }
            case 7: {
                expect(t, thrift::kStruct, "PageHeader.dictionary_page_header");
                DictionaryPageHeader d;
                read_struct(r, [&](int16_t f, uint8_t ft) {
                    if (f == 1) d.num_values = get_i32(r, ft, "DictionaryPageHeader.num_values");
                    else if (f == 2) d.encoding = static_cast<Encoding>(get_i32(r, ft, "DictionaryPageHeader.encoding"));
                    else return false;
                    return true;
                });
                h.dictionary = d;
                return true;
            }
            case 8: {
                expect(t, thrift::kStruct, "PageHeader.data_page_header_v2");
                DataPageHeaderV2 d;
                read_struct(r, [&](int16_t f, uint8_t ft) {
                    switch (f) {
                        case 1: d.num_values = get_i32(r, ft, "DataPageHeaderV2.num_values"); return true;
                        case 2: d.num_nulls = get_i32(r, ft, "DataPageHeaderV2.num_nulls"); return true;
                        case 3: d.num_rows = get_i32(r, ft, "DataPageHeaderV2.num_rows"); return true;
                        case 4: d.encoding = static_cast<Encoding>(get_i32(r, ft, "DataPageHeaderV2.encoding")); return true;
                        case 5: d.definition_levels_byte_length = get_i32(r, ft, "DataPageHeaderV2.definition_levels_byte_length"); return true;
                        case 6: d.repetition_levels_byte_length = get_i32(r, ft, "DataPageHeaderV2.repetition_levels_byte_length"); return true;
                        case 7: d.is_compressed = get_bool(r, ft, "DataPageHeaderV2.is_compressed"); return true;
                        default: return false;
                    }
                });
                h.data_v2 = d;
                return true;
            }
            default: return false;
        }
    });
    if (!have_type) throw FormatError("page header without a page type");
    if (h.compressed_page_size < 0 || h.uncompressed_page_size < 0) throw FormatError("page header with a negative page size");
    header_size = r.position();
    return h;
}

namespace {

void write_statistics(CompactWriter& w, const Statistics& s) {
    w.begin_struct();
    if (s.null_count) { w.field(3, thrift::kI64); w.write_i64(*s.null_count); }
    if (s.max_value) { w.field(5, thrift::kBinary); w.write_binary(*s.max_value); }
    if (s.min_value) { w.field(6, thrift::kBinary); w.write_binary(*s.min_value); }
    w.end_struct();
}

void write_empty_struct(CompactWriter& w) {
    w.begin_struct();
    w.end_struct();
}

void write_logical_type(CompactWriter& w, const LogicalType& l) {
    using K = LogicalType::Kind;
    w.begin_struct();
    switch (l.kind) {
        case K::string: w.field(1, thrift::kStruct); write_empty_struct(w); break;
        case K::date: w.field(6, thrift::kStruct); write_empty_struct(w); break;
        case K::timestamp:
            w.field(8, thrift::kStruct);
            w.begin_struct();
            w.field_bool(1, l.adjusted_to_utc);
            w.field(2, thrift::kStruct);
            w.begin_struct();
            w.field(l.unit == TimeUnit::millis ? 1 : l.unit == TimeUnit::micros ? 2 : 3, thrift::kStruct);
            write_empty_struct(w);
            w.end_struct();
            w.end_struct();
            break;
        case K::integer:
            w.field(10, thrift::kStruct);
            w.begin_struct();
            w.field(1, thrift::kByte);
            w.write_byte(l.bit_width);
            w.field_bool(2, l.is_signed);
            w.end_struct();
            break;
        default: break;
    }
    w.end_struct();
}

}  // namespace

std::string encode_file_metadata(const FileMetaData& m) {
    CompactWriter w;
    w.begin_struct();
    w.field(1, thrift::kI32);
    w.write_i32(m.version);
    w.field(2, thrift::kList);
    w.list_header(thrift::kStruct, static_cast<uint32_t>(m.schema.size()));
    for (const auto& e : m.schema) {
        w.begin_struct();
        if (e.type) { w.field(1, thrift::kI32); w.write_i32(static_cast<int32_t>(*e.type)); }
        if (e.type_length) { w.field(2, thrift::kI32); w.write_i32(e.type_length); }
        if (e.repetition) { w.field(3, thrift::kI32); w.write_i32(static_cast<int32_t>(*e.repetition)); }
        w.field(4, thrift::kBinary);
        w.write_binary(e.name);
        if (e.num_children) { w.field(5, thrift::kI32); w.write_i32(e.num_children); }
        if (e.converted_type) { w.field(6, thrift::kI32); w.write_i32(*e.converted_type); }
        if (e.logical.kind != LogicalType::Kind::none) {
            w.field(10, thrift::kStruct);
            write_logical_type(w, e.logical);
        }
        w.end_struct();
    }
    w.field(3, thrift::kI64);
    w.write_i64(m.num_rows);
    w.field(4, thrift::kList);
    w.list_header(thrift::kStruct, static_cast<uint32_t>(m.row_groups.size()));
    for (const auto& g : m.row_groups) {
        w.begin_struct();
        w.field(1, thrift::kList);
        w.list_header(thrift::kStruct, static_cast<uint32_t>(g.columns.size()));
        for (const auto& c : g.columns) {
            w.begin_struct();
            w.field(2, thrift::kI64);
            w.write_i64(c.file_offset);
            if (c.meta) {
                const ColumnMetaData& cm = *c.meta;
                w.field(3, thrift::kStruct);
                w.begin_struct();
                w.field(1, thrift::kI32);
                w.write_i32(static_cast<int32_t>(cm.type));
                w.field(2, thrift::kList);
                w.list_header(thrift::kI32, static_cast<uint32_t>(cm.encodings.size()));
                for (Encoding e : cm.encodings) w.write_i32(static_cast<int32_t>(e));
                w.field(3, thrift::kList);
                w.list_header(thrift::kBinary, static_cast<uint32_t>(cm.path.size()));
                for (const auto& p : cm.path) w.write_binary(p);
                w.field(4, thrift::kI32);
                w.write_i32(static_cast<int32_t>(cm.codec));
                w.field(5, thrift::kI64);
                w.write_i64(cm.num_values);
                w.field(6, thrift::kI64);
                w.write_i64(cm.total_uncompressed_size);
                w.field(7, thrift::kI64);
                w.write_i64(cm.total_compressed_size);
                w.field(9, thrift::kI64);
                w.write_i64(cm.data_page_offset);
                if (cm.dictionary_page_offset) { w.field(11, thrift::kI64); w.write_i64(*cm.dictionary_page_offset); }
                if (cm.statistics) { w.field(12, thrift::kStruct); write_statistics(w, *cm.statistics); }
                w.end_struct();
            }
            w.end_struct();
        }
        w.field(2, thrift::kI64);
        w.write_i64(g.total_byte_size);
        w.field(3, thrift::kI64);
        w.write_i64(g.num_rows);
        w.end_struct();
    }
    if (!m.key_value.empty()) {
        w.field(5, thrift::kList);
        w.list_header(thrift::kStruct, static_cast<uint32_t>(m.key_value.size()));
        for (const auto& [k, v] : m.key_value) {
            w.begin_struct();
            w.field(1, thrift::kBinary);
            w.write_binary(k);
            w.field(2, thrift::kBinary);
            w.write_binary(v);
            w.end_struct();
        }
    }
    if (!m.created_by.empty()) { w.field(6, thrift::kBinary); w.write_binary(m.created_by); }
    if (m.type_defined_column_orders) {
        // One TypeDefinedOrder per leaf column: readers may then trust min_value / max_value.
        size_t leaves = m.schema.empty() ? 0 : m.schema.size() - 1;
        w.field(7, thrift::kList);
        w.list_header(thrift::kStruct, static_cast<uint32_t>(leaves));
        for (size_t i = 0; i < leaves; ++i) {
            w.begin_struct();
            w.field(1, thrift::kStruct);
            write_empty_struct(w);
            w.end_struct();
        }
    }
    w.end_struct();
    return w.take();
}

std::string encode_page_header(const PageHeader& h) {
    CompactWriter w;
    w.begin_struct();
    w.field(1, thrift::kI32);
    w.write_i32(static_cast<int32_t>(h.type));
    w.field(2, thrift::kI32);
    w.write_i32(h.uncompressed_page_size);
    w.field(3, thrift::kI32);
    w.write_i32(h.compressed_page_size);
    if (h.data) {
        w.field(5, thrift::kStruct);
        w.begin_struct();
        w.field(1, thrift::kI32);
        w.write_i32(h.data->num_values);
        w.field(2, thrift::kI32);
        w.write_i32(static_cast<int32_t>(h.data->encoding));
        w.field(3, thrift::kI32);
        w.write_i32(static_cast<int32_t>(h.data->definition_level_encoding));
        w.field(4, thrift::kI32);
        w.write_i32(static_cast<int32_t>(h.data->repetition_level_encoding));
        if (h.data->statistics) { w.field(5, thrift::kStruct); write_statistics(w, *h.data->statistics); }
        w.end_struct();
    }
    if (h.dictionary) {
        w.field(7, thrift::kStruct);
        w.begin_struct();
        w.field(1, thrift::kI32);
        w.write_i32(h.dictionary->num_values);
        w.field(2, thrift::kI32);
        w.write_i32(static_cast<int32_t>(h.dictionary->encoding));
        w.end_struct();
    }
    w.end_struct();
    return w.take();
}

const char* encoding_name(Encoding e) {
    switch (e) {
        case Encoding::plain: return "PLAIN";
        case Encoding::plain_dictionary: return "PLAIN_DICTIONARY";
        case Encoding::rle: return "RLE";
        case Encoding::bit_packed: return "BIT_PACKED";
        case Encoding::delta_binary_packed: return "DELTA_BINARY_PACKED";
        case Encoding::delta_length_byte_array: return "DELTA_LENGTH_BYTE_ARRAY";
        case Encoding::delta_byte_array: return "DELTA_BYTE_ARRAY";
        case Encoding::rle_dictionary: return "RLE_DICTIONARY";
        case Encoding::byte_stream_split: return "BYTE_STREAM_SPLIT";
        default: return "an unknown encoding";
    }
}

const char* codec_name(Codec c) {
    switch (c) {
        case Codec::uncompressed: return "UNCOMPRESSED";
        case Codec::snappy: return "SNAPPY";
        case Codec::gzip: return "GZIP";
        case Codec::lzo: return "LZO";
        case Codec::brotli: return "BROTLI";
        case Codec::lz4: return "LZ4";
        case Codec::zstd: return "ZSTD";
        case Codec::lz4_raw: return "LZ4_RAW";
        default: return "an unknown codec";
    }
}

const char* physical_type_name(PhysicalType t) {
    switch (t) {
        case PhysicalType::boolean: return "BOOLEAN";
        case PhysicalType::int32: return "INT32";
        case PhysicalType::int64: return "INT64";
        case PhysicalType::int96: return "INT96";
        case PhysicalType::float32: return "FLOAT";
        case PhysicalType::float64: return "DOUBLE";
        case PhysicalType::byte_array: return "BYTE_ARRAY";
        case PhysicalType::fixed_len_byte_array: return "FIXED_LEN_BYTE_ARRAY";
        default: return "an unknown physical type";
    }
}

}  // namespace mpdstat::parquet
