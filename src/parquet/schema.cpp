#include "parquet/schema.hpp"

#include <fmt/format.h>

#include "parquet/format_error.hpp"

namespace mpdstat::parquet {

namespace {

ValueKind kind_of(const SchemaElement& e, Column& c) {
    using K = LogicalType::Kind;
    const auto& l = e.logical;
    const int32_t conv = e.converted_type.value_or(-1);
    const PhysicalType p = *e.type;
    const bool bytes = p == PhysicalType::byte_array || p == PhysicalType::fixed_len_byte_array;
    if (p == PhysicalType::int96) {
        // The legacy Impala / Spark timestamp: nanoseconds of a Julian day, an instant.
        c.unit = TimeUnit::nanos;
        c.adjusted_to_utc = true;
        return ValueKind::timestamp;
    }
    if (l.kind == K::decimal || conv == converted::decimal) {
        c.scale = l.kind == K::decimal ? l.scale : e.scale;
        if (c.scale < 0 || c.scale > 38) throw FormatError(fmt::format("column '{}' has decimal scale {}", e.name, c.scale));
        if (p == PhysicalType::int32 || p == PhysicalType::int64 || bytes) return ValueKind::decimal;
    }
    if (bytes && (l.kind == K::string || l.kind == K::enum_ || l.kind == K::json || conv == converted::utf8 ||
                  conv == converted::enum_ || conv == converted::json))
        return ValueKind::string;
    if (p == PhysicalType::fixed_len_byte_array && l.kind == K::uuid && e.type_length == 16) return ValueKind::uuid;
    if (p == PhysicalType::int32 && (l.kind == K::date || conv == converted::date)) return ValueKind::date;
    if (p == PhysicalType::int64 || p == PhysicalType::int32) {
        if (l.kind == K::timestamp) {
            c.unit = l.unit;
            c.adjusted_to_utc = l.adjusted_to_utc;
            return ValueKind::timestamp;
        }
        if (conv == converted::timestamp_millis || conv == converted::timestamp_micros) {
            // The converted types predate local timestamps: they are instants.
            c.unit = conv == converted::timestamp_millis ? TimeUnit::millis : TimeUnit::micros;
            c.adjusted_to_utc = true;
            return ValueKind::timestamp;
        }
        if (l.kind == K::time || conv == converted::time_millis || conv == converted::time_micros) {
            c.unit = l.kind == K::time ? l.unit : conv == converted::time_millis ? TimeUnit::millis : TimeUnit::micros;
            return ValueKind::time;
        }
        if ((l.kind == K::integer && !l.is_signed) || (conv >= converted::uint_8 && conv <= converted::uint_64))
            return ValueKind::unsigned_integer;
        return ValueKind::integer;
    }
    switch (p) {
        case PhysicalType::boolean: return ValueKind::boolean;
        case PhysicalType::float32: return ValueKind::float32;
        case PhysicalType::float64: return ValueKind::float64;
        default: return ValueKind::binary;
    }
}

}  // namespace

std::vector<Column> flat_columns(const FileMetaData& m) {
    if (m.schema.empty()) throw FormatError("the schema is empty");
    const SchemaElement& root = m.schema[0];
    if (root.num_children < 0 || size_t(root.num_children) != m.schema.size() - 1) {
        // Some child is a group: find it for the message.
        for (size_t i = 1; i < m.schema.size(); ++i)
            if (m.schema[i].num_children > 0 || !m.schema[i].type)
                throw FormatError(fmt::format("column '{}' is nested (a group); only flat schemas are supported", m.schema[i].name));
        throw FormatError(fmt::format("the schema root declares {} columns but lists {}", root.num_children, m.schema.size() - 1));
    }
    std::vector<Column> out;
    for (size_t i = 1; i < m.schema.size(); ++i) {
        const SchemaElement& e = m.schema[i];
        if (e.num_children > 0 || !e.type)
            throw FormatError(fmt::format("column '{}' is nested (a group); only flat schemas are supported", e.name));
        if (e.repetition == Repetition::repeated)
            throw FormatError(fmt::format("column '{}' is repeated (a list); only flat schemas are supported", e.name));
        if (static_cast<int32_t>(*e.type) < 0 || static_cast<int32_t>(*e.type) > 7)
            throw FormatError(fmt::format("column '{}' has unknown physical type {}", e.name, static_cast<int32_t>(*e.type)));
        Column c;
        c.name = e.name;
        c.index = i - 1;
        c.physical = *e.type;
        c.type_length = e.type_length;
        c.optional = e.repetition.value_or(Repetition::required) == Repetition::optional;
        if (c.physical == PhysicalType::fixed_len_byte_array && (c.type_length <= 0 || c.type_length > (1 << 20)))
            throw FormatError(fmt::format("column '{}' is FIXED_LEN_BYTE_ARRAY of length {}", e.name, c.type_length));
        c.kind = kind_of(e, c);
        out.push_back(std::move(c));
    }
    return out;
}

const char* value_kind_name(ValueKind k) {
    switch (k) {
        case ValueKind::boolean: return "boolean";
        case ValueKind::integer: return "integer";
        case ValueKind::unsigned_integer: return "unsigned integer";
        case ValueKind::float32: return "float";
        case ValueKind::float64: return "double";
        case ValueKind::string: return "string";
        case ValueKind::binary: return "binary";
        case ValueKind::decimal: return "decimal";
        case ValueKind::date: return "date";
        case ValueKind::time: return "time";
        case ValueKind::timestamp: return "timestamp";
        case ValueKind::uuid: return "uuid";
    }
    return "?";
}

}  // namespace mpdstat::parquet
