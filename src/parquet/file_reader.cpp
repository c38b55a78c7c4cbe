#include "parquet/file_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/error.hpp"
#include "parquet/format_error.hpp"

namespace mpdstat::parquet {

namespace {
constexpr std::string_view kMagic = "PAR1";
}

struct FileReader::Impl {
    std::string name;
    int fd = -1;
    std::string memory;  // the whole file when read from memory
    bool in_memory = false;
    uint64_t size = 0;
    uint64_t data_end = 0;  // where the footer starts
    FileMetaData meta;
    std::vector<Column> columns;

    ~Impl() {
        if (fd >= 0) ::close(fd);
    }

    void read_at(uint64_t offset, size_t n, char* out) const {
        if (offset > size || n > size - offset) throw FormatError(fmt::format("read of {} bytes at {} is past the end of the file", n, offset));
        if (in_memory) {
            std::memcpy(out, memory.data() + offset, n);
            return;
        }
        size_t got = 0;
        while (got < n) {
            ssize_t r = ::pread(fd, out + got, n - got, static_cast<off_t>(offset + got));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) throw FormatError(fmt::format("cannot read {} bytes at offset {}: {}", n, offset, r < 0 ? std::strerror(errno) : "file shrank"));
            got += size_t(r);
        }
    }

    // The byte range of a column chunk, checked against the data region.
    std::pair<uint64_t, uint64_t> chunk_range(const ColumnMetaData& m, const Column& c) const {
        int64_t start = m.data_page_offset;
        if (m.dictionary_page_offset && *m.dictionary_page_offset > 0 && *m.dictionary_page_offset < start)
            start = *m.dictionary_page_offset;
        int64_t len = m.total_compressed_size;
        if (start < int64_t(kMagic.size()) || len < 0 || uint64_t(start) > data_end || uint64_t(len) > data_end - uint64_t(start))
            throw FormatError(fmt::format("column '{}' chunk at offset {} of {} bytes lies outside the file's data", c.name, start, len));
        return {uint64_t(start), uint64_t(len)};
    }

    void load() {
        if (size < 12) throw FormatError(fmt::format("{} bytes is too short to be a Parquet file", size));
        char head[4], tail[8];
        read_at(0, 4, head);
        read_at(size - 8, 8, tail);
        if (std::string_view(tail + 4, 4) == "PARE") throw FormatError("encrypted Parquet files are not supported");
        if (std::string_view(head, 4) != kMagic || std::string_view(tail + 4, 4) != kMagic)
            throw FormatError("not a Parquet file (no PAR1 magic at its start and end)");
        uint32_t footer_len;
        std::memcpy(&footer_len, tail, 4);
        if (footer_len > size - 12) throw FormatError(fmt::format("footer length {} exceeds the file", footer_len));
        data_end = size - 8 - footer_len;
        std::string footer(footer_len, '\0');
        read_at(data_end, footer_len, footer.data());
        meta = decode_file_metadata(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(footer.data()), footer.size()));
        columns = flat_columns(meta);
        int64_t total = 0;
        for (size_t g = 0; g < meta.row_groups.size(); ++g) {
            const RowGroup& rg = meta.row_groups[g];
            if (rg.num_rows < 0 || rg.num_rows > (int64_t(1) << 31))
                throw FormatError(fmt::format("row group {} claims {} rows", g, rg.num_rows));
            total += rg.num_rows;
            if (rg.columns.size() != columns.size())
                throw FormatError(fmt::format("row group {} has {} column chunks for {} columns", g, rg.columns.size(), columns.size()));
            for (size_t i = 0; i < columns.size(); ++i) {
                const ColumnChunk& cc = rg.columns[i];
                if (cc.file_path) throw FormatError(fmt::format("column '{}' is stored in another file ({}); not supported", columns[i].name, *cc.file_path));
                if (!cc.meta) throw FormatError(fmt::format("column '{}' of row group {} has no metadata", columns[i].name, g));
                if (cc.meta->type != columns[i].physical)
                    throw FormatError(fmt::format("column '{}' is {} in the schema but {} in row group {}", columns[i].name,
                                                  physical_type_name(columns[i].physical), physical_type_name(cc.meta->type), g));
                chunk_range(*cc.meta, columns[i]);
            }
        }
        if (total != meta.num_rows)
            throw FormatError(fmt::format("row groups hold {} rows, the footer says {}", total, meta.num_rows));
    }
};

namespace {
// Runs f, turning format errors into data errors that name the file.
template <class F>
auto named(const std::string& name, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const FormatError& e) {
        throw data_error(fmt::format("{}: Parquet: {}", name, e.what()));
    }
}
}  // namespace

FileReader::FileReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FileReader::FileReader(FileReader&&) noexcept = default;
FileReader& FileReader::operator=(FileReader&&) noexcept = default;
FileReader::~FileReader() = default;

FileReader FileReader::open(const std::filesystem::path& path) {
    auto impl = std::make_unique<Impl>();
    impl->name = path.string();
    impl->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (impl->fd < 0) throw data_error(fmt::format("{}: cannot open: {}", impl->name, std::strerror(errno)));
    off_t end = ::lseek(impl->fd, 0, SEEK_END);
    if (end < 0) throw data_error(fmt::format("{}: cannot read its size: {}", impl->name, std::strerror(errno)));
    impl->size = uint64_t(end);
    named(impl->name, [&] { impl->load(); });
    return FileReader(std::move(impl));
}

FileReader FileReader::from_bytes(std::string bytes, std::string name) {
    auto impl = std::make_unique<Impl>();
    impl->name = std::move(name);
    impl->memory = std::move(bytes);
    impl->in_memory = true;
    impl->size = impl->memory.size();
    named(impl->name, [&] { impl->load(); });
    return FileReader(std::move(impl));
}

const std::string& FileReader::name() const noexcept { return impl_->name; }
uint64_t FileReader::file_size() const noexcept { return impl_->size; }
const FileMetaData& FileReader::metadata() const noexcept { return impl_->meta; }
const std::vector<Column>& FileReader::columns() const noexcept { return impl_->columns; }
size_t FileReader::row_groups() const noexcept { return impl_->meta.row_groups.size(); }
int64_t FileReader::rows(size_t g) const { return impl_->meta.row_groups.at(g).num_rows; }
int64_t FileReader::total_rows() const noexcept { return impl_->meta.num_rows; }

const Column* FileReader::find(std::string_view n) const {
    for (const auto& c : impl_->columns)
        if (c.name == n) return &c;
    return nullptr;
}

RowGroupBytes FileReader::read(size_t g, std::span<const size_t> cols) const {
    return named(impl_->name, [&] {
        if (g >= row_groups()) throw FormatError(fmt::format("no row group {}", g));
        const RowGroup& rg = impl_->meta.row_groups[g];
        RowGroupBytes out;
        out.row_group = g;
        out.rows = rg.num_rows;
        for (size_t c : cols) {
            if (c >= impl_->columns.size()) throw FormatError(fmt::format("no column {}", c));
            auto [start, len] = impl_->chunk_range(*rg.columns[c].meta, impl_->columns[c]);
            std::string bytes(size_t(len), '\0');
            impl_->read_at(start, size_t(len), bytes.data());
            out.columns.push_back(c);
            out.chunks.push_back(std::move(bytes));
        }
        return out;
    });
}

std::vector<ColumnData> FileReader::decode(const RowGroupBytes& b) const {
    return named(impl_->name, [&] {
        std::vector<ColumnData> out;
        if (b.row_group >= row_groups() || b.columns.size() != b.chunks.size()) throw FormatError("row group bytes do not match the file");
        const RowGroup& rg = impl_->meta.row_groups[b.row_group];
        for (size_t i = 0; i < b.columns.size(); ++i) {
            const Column& c = impl_->columns.at(b.columns[i]);
            const std::string& chunk = b.chunks[i];
            try {
                out.push_back(decode_column_chunk(c, *rg.columns[c.index].meta,
                                                  std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()),
                                                  rg.num_rows));
            } catch (const FormatError& e) {
                throw FormatError(fmt::format("row group {}, column '{}': {}", b.row_group, c.name, e.what()));
            }
        }
        return out;
    });
}

uint64_t read_all_for_fuzz(std::span<const uint8_t> bytes) {
    FileReader r = FileReader::from_bytes(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), "fuzz input");
    std::vector<size_t> all(r.columns().size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    uint64_t rows = 0;
    for (size_t g = 0; g < r.row_groups(); ++g) {
        auto cols = r.read_columns(g, all);
        rows += uint64_t(r.rows(g));
    }
    return rows;
}

}  // namespace mpdstat::parquet
