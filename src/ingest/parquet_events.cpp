#include "ingest/parquet_events.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/error.hpp"
#include "ingest/hive_partition.hpp"
#include "parquet/format_error.hpp"

namespace mpdstat {

bool is_parquet_input(const std::filesystem::path& path, const std::string& format) {
    return format == "parquet" || path.extension() == ".parquet";
}

std::shared_ptr<ParquetEventFile> ParquetEventFile::open(const std::filesystem::path& path, const EventColumns& c,
                                                         size_t file_index) {
    std::shared_ptr<ParquetEventFile> f(new ParquetEventFile(parquet::FileReader::open(path), file_index));
    const auto partitions = hive_partitions(path);
    std::vector<std::string> names;  // for the error message
    for (const auto& col : f->reader_.columns()) names.push_back(col.name);
    for (const auto& [k, v] : partitions) names.push_back(k);

    // The file's own column wins over a partition folder of the same name.
    auto find = [&](const std::string& name, const char* key, bool is_mnc) -> int {
        if (name.empty()) return -1;
        Source s;
        if (const parquet::Column* col = f->reader_.find(name)) {
            s.leaf = static_cast<int>(col->index);
            s.pad_two = is_mnc && (col->kind == parquet::ValueKind::integer || col->kind == parquet::ValueKind::unsigned_integer);
        } else {
            auto it = std::find_if(partitions.begin(), partitions.end(), [&](const auto& kv) { return kv.first == name; });
            if (it == partitions.end())
                throw data_error(fmt::format("{}: no column '{}' (input.columns.{}) in the Parquet file; it has: {}",
                                             path.string(), name, key, fmt::join(names, ", ")));
            s.constant = it->second;
        }
        for (size_t i = 0; i < f->sources_.size(); ++i)
            if (f->sources_[i].leaf == s.leaf && f->sources_[i].constant == s.constant && f->sources_[i].pad_two == s.pad_two &&
                (s.leaf >= 0 || f->sources_[i].leaf < 0))
                return static_cast<int>(i);
        f->sources_.push_back(std::move(s));
        return static_cast<int>(f->sources_.size() - 1);
    };
    ColumnMap& m = f->map_;
    m.user = find(c.user_id, "user_id", false);
    m.timestamp = find(c.timestamp, "timestamp", false);
    m.cell = find(c.cell_id, "cell_id", false);
    m.type = find(c.event_type, "event_type", false);
    m.mcc = find(c.mcc, "mcc", false);
    m.mnc = find(c.mnc, "mnc", true);
    m.plmn = find(c.plmn, "plmn", false);
    m.lat = find(c.lat, "lat", false);
    m.lon = find(c.lon, "lon", false);
    m.duration = find(c.duration, "duration", false);
    m.fields = f->sources_.size();
    for (const auto& s : f->sources_)
        if (s.leaf >= 0 && std::find(f->leaves_.begin(), f->leaves_.end(), size_t(s.leaf)) == f->leaves_.end())
            f->leaves_.push_back(size_t(s.leaf));
    const Source& ts = f->sources_[size_t(m.timestamp)];
    if (ts.leaf >= 0 && f->reader_.columns()[size_t(ts.leaf)].kind == parquet::ValueKind::timestamp) f->time_field_ = m.timestamp;
    return f;
}

bool ParquetEventFile::next(ParquetChunk& chunk) {
    while (next_group_ < reader_.row_groups() && reader_.rows(next_group_) == 0) ++next_group_;
    if (next_group_ >= reader_.row_groups()) return false;
    chunk.file = shared_from_this();
    chunk.file_index = file_index_;
    chunk.first_row = next_row_;
    chunk.bytes = reader_.read(next_group_, leaves_);
    next_row_ += static_cast<uint64_t>(reader_.rows(next_group_));
    ++next_group_;
    return true;
}

ParquetRows ParquetEventFile::decode(const ParquetChunk& chunk) const {
    ParquetRows r;
    r.rows_ = static_cast<size_t>(chunk.bytes.rows);
    r.data_ = reader_.decode(chunk.bytes);
    r.text_.resize(r.data_.size());
    auto make_text = [&](const parquet::Column& desc, const parquet::ColumnData& data, int min_digits) {
        try {
            return std::make_unique<parquet::TextColumn>(desc, data, min_digits);
        } catch (const parquet::FormatError& e) {
            throw data_error(fmt::format("{}: Parquet: column '{}': {}", reader_.name(), desc.name, e.what()));
        }
    };
    auto column_of = [&](int leaf) { return static_cast<int>(std::find(leaves_.begin(), leaves_.end(), size_t(leaf)) - leaves_.begin()); };
    for (size_t f = 0; f < sources_.size(); ++f) {
        const Source& s = sources_[f];
        ParquetRows::Field field;
        if (s.leaf >= 0) {
            field.column = column_of(s.leaf);
            const parquet::Column& desc = reader_.columns()[size_t(s.leaf)];
            if (static_cast<int>(f) == time_field_) {
                r.time_column = field.column;
                r.time_desc = &desc;
            }
            auto& text = r.text_[size_t(field.column)];
            if (!text && static_cast<int>(f) != time_field_) text = make_text(desc, r.data_[size_t(field.column)], s.pad_two ? 2 : 0);
        } else {
            field.constant = s.constant;
        }
        r.fields_.push_back(field);
    }
    // A column used both as the typed event time and as another field is shown as text there too.
    for (size_t f = 0; f < r.fields_.size(); ++f) {
        int col = r.fields_[f].column;
        if (col >= 0 && !r.text_[size_t(col)] && static_cast<int>(f) != time_field_)
            r.text_[size_t(col)] = make_text(reader_.columns()[leaves_[size_t(col)]], r.data_[size_t(col)], 0);
    }
    return r;
}

const TypedTime* ParquetRows::row(size_t i, CsvRecord& rec, TypedTime& time) const {
    scratch_.resize(fields_.size());
    for (size_t f = 0; f < fields_.size(); ++f) {
        const Field& field = fields_[f];
        if (field.column < 0) scratch_[f] = field.constant;
        else if (const auto& t = text_[size_t(field.column)]) scratch_[f] = (*t)[i];
        else scratch_[f] = std::string_view();  // the typed event time: not needed as text
    }
    const TypedTime* out = nullptr;
    if (time_column >= 0) {
        const parquet::ColumnData& d = data_[size_t(time_column)];
        if (d.valid[i]) {
            time.ms = parquet::timestamp_to_ms(d.ints[i], time_desc->unit);
            time.local = !time_desc->adjusted_to_utc;
            out = &time;
        }
    }
    rec.assign(scratch_);
    return out;
}

void ParquetRows::display_row(size_t i, CsvRecord& rec, std::string& storage) const {
    TypedTime t;
    row(i, rec, t);
    if (time_column < 0) return;
    storage.clear();
    const parquet::ColumnData& d = data_[size_t(time_column)];
    if (d.valid[i]) parquet::append_value_text(*time_desc, d, i, storage);
    std::vector<std::string_view> fields(rec.fields().begin(), rec.fields().end());
    for (size_t f = 0; f < fields_.size(); ++f)
        if (fields_[f].column == time_column && !text_[size_t(time_column)]) fields[f] = storage;
    rec.assign(fields);
}

}  // namespace mpdstat
