#pragma once
// Files appear complete or not at all: content goes to a temporary name in the
// same folder and is renamed over the target only once written and flushed.
#include <filesystem>
#include <string>
#include <string_view>

namespace mpdstat {

class AtomicFile {
public:
    explicit AtomicFile(std::filesystem::path target);
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();  // discards the temporary file unless commit() ran

    void write(std::string_view bytes);
    void write(const void* data, size_t size);
    uint64_t size() const noexcept { return written_; }
    // Flushes, fsyncs and renames over the target. Bulk writers of many files
    // may skip the per-file fsync and call sync_filesystem() once before they
    // publish the files (a crash before that leaves only unpublished files).
    void commit(bool fsync = true);
    // Asks the kernel to start writing what was written so far to disk, without
    // waiting (advisory): a later fsync or syncfs then has less left to wait for.
    void start_writeback() noexcept;

    const std::filesystem::path& target() const noexcept { return target_; }

private:
    std::filesystem::path target_;
    std::filesystem::path temp_;
    int fd_ = -1;
    uint64_t written_ = 0;
    bool committed_ = false;
};

// Flushes one file, or a folder's entries (after renames in it), to disk.
void fsync_file(const std::filesystem::path& path);

// Flushes every file of the file system holding `path` to disk (syncfs).
void sync_filesystem(const std::filesystem::path& path);

// Writes a whole small file atomically.
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

// Reads a whole file; throws a data error naming the file when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace mpdstat
