#pragma once
// Reads a file's bytes, decompressing gzip or zstd when its magic bytes say so.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace mpdstat {

enum class Compression { none, gzip, zstd };
std::string_view compression_name(Compression c);

class ByteSource {
public:
    explicit ByteSource(const std::filesystem::path& path);  // throws data_error if unreadable
    ~ByteSource();
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    // Fills up to `cap` decompressed bytes; 0 at the end. A corrupt or truncated
    // stream ends early with truncated() true and error() saying why.
    size_t read(char* out, size_t cap);

    bool truncated() const noexcept { return !error_.empty(); }
    const std::string& error() const noexcept { return error_; }
    Compression compression() const noexcept { return compression_; }
    uint64_t file_size() const noexcept { return file_size_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    Compression compression_ = Compression::none;
    uint64_t file_size_ = 0;
    std::string error_;
};

}  // namespace mpdstat
