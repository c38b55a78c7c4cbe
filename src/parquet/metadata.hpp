#pragma once
// Parquet's file metadata (the footer) and page headers as in parquet.thrift,
// reduced to the fields a flat-schema reader and writer need; every other field
// is skipped on read. decode_* throw FormatError on malformed bytes.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace mpdstat::parquet {

// Enumerations keep the file's raw numbers: a value this code does not know is
// representable and reported as unsupported, never undefined.
enum class PhysicalType : int32_t {
    boolean = 0, int32 = 1, int64 = 2, int96 = 3, float32 = 4, float64 = 5, byte_array = 6, fixed_len_byte_array = 7,
};
enum class Repetition : int32_t { required = 0, optional = 1, repeated = 2 };
enum class Encoding : int32_t {
    plain = 0, plain_dictionary = 2, rle = 3, bit_packed = 4, delta_binary_packed = 5,
    delta_length_byte_array = 6, delta_byte_array = 7, rle_dictionary = 8, byte_stream_split = 9,
};
enum class Codec : int32_t { uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4_raw = 7 };
enum class PageType : int32_t { data = 0, index = 1, dictionary = 2, data_v2 = 3 };

// The converted types (the older annotation) this code interprets.
namespace converted {
constexpr int32_t utf8 = 0, enum_ = 4, decimal = 5, date = 6, time_millis = 7, time_micros = 8,
                  timestamp_millis = 9, timestamp_micros = 10, uint_8 = 11, uint_16 = 12, uint_32 = 13,
                  uint_64 = 14, json = 19;
}

enum class TimeUnit : uint8_t { millis, micros, nanos };

// The LogicalType union, flattened.
struct LogicalType {
    enum class Kind : uint8_t { none, string, enum_, decimal, date, time, timestamp, integer, json, uuid, other };
    Kind kind = Kind::none;
    int32_t scale = 0, precision = 0;    // decimal
    bool adjusted_to_utc = false;        // time, timestamp
    TimeUnit unit = TimeUnit::millis;    // time, timestamp
    int8_t bit_width = 0;                // integer
    bool is_signed = true;               // integer
};

struct SchemaElement {
    std::optional<PhysicalType> type;  // absent on groups
    int32_t type_length = 0;
    std::optional<Repetition> repetition;
    std::string name;
    int32_t num_children = 0;
    std::optional<int32_t> converted_type;
    int32_t scale = 0, precision = 0;
    LogicalType logical;
};

struct Statistics {
    std::optional<std::string> min_value, max_value;  // plain-encoded, in the column's sort order
    std::optional<int64_t> null_count;
};

struct ColumnMetaData {
    PhysicalType type = PhysicalType::int32;
    std::vector<Encoding> encodings;
    std::vector<std::string> path;
    Codec codec = Codec::uncompressed;
    int64_t num_values = 0;
    int64_t total_uncompressed_size = 0;
    int64_t total_compressed_size = 0;
    int64_t data_page_offset = 0;
    std::optional<int64_t> dictionary_page_offset;
    std::optional<Statistics> statistics;
};

struct ColumnChunk {
    std::optional<std::string> file_path;  // set when the chunk lives in another file (unsupported)
    int64_t file_offset = 0;
    std::optional<ColumnMetaData> meta;
};

struct RowGroup {
    std::vector<ColumnChunk> columns;
    int64_t total_byte_size = 0;
    int64_t num_rows = 0;
};

struct FileMetaData {
    int32_t version = 1;
    std::vector<SchemaElement> schema;  // depth-first; [0] is the root
    int64_t num_rows = 0;
    std::vector<RowGroup> row_groups;
    std::vector<std::pair<std::string, std::string>> key_value;
    std::string created_by;
    bool type_defined_column_orders = false;  // column_orders present (min_value/max_value are valid)
};

struct DataPageHeader {
    int32_t num_values = 0;
    Encoding encoding = Encoding::plain;
    Encoding definition_level_encoding = Encoding::rle;
    Encoding repetition_level_encoding = Encoding::rle;
    std::optional<Statistics> statistics;
};

struct DictionaryPageHeader {
    int32_t num_values = 0;
    Encoding encoding = Encoding::plain;
};

struct DataPageHeaderV2 {
    int32_t num_values = 0, num_nulls = 0, num_rows = 0;
    Encoding encoding = Encoding::plain;
    int32_t definition_levels_byte_length = 0, repetition_levels_byte_length = 0;
    bool is_compressed = true;
};

struct PageHeader {
    PageType type = PageType::data;
    int32_t uncompressed_page_size = 0;
    int32_t compressed_page_size = 0;
    std::optional<DataPageHeader> data;
    std::optional<DictionaryPageHeader> dictionary;
    std::optional<DataPageHeaderV2> data_v2;
};

FileMetaData decode_file_metadata(std::span<const uint8_t> bytes);
// Decodes a page header at the start of `bytes`; `header_size` gets its length.
PageHeader decode_page_header(std::span<const uint8_t> bytes, size_t& header_size);

std::string encode_file_metadata(const FileMetaData& m);
std::string encode_page_header(const PageHeader& h);

const char* encoding_name(Encoding e);
const char* codec_name(Codec c);
const char* physical_type_name(PhysicalType t);

}  // namespace mpdstat::parquet
