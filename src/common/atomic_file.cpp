#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "common/error.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

AtomicFile::AtomicFile(fs::path target) : target_(std::move(target)) {
    if (target_.has_parent_path()) fs::create_directories(target_.parent_path());
    temp_ = target_;
    temp_ += fmt::format(".tmp-{}", ::getpid());
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd_ < 0) throw runtime_error(fmt::format("{}: cannot create: {}", temp_.string(), std::strerror(errno)));
}

AtomicFile::~AtomicFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) {
        std::error_code ec;
        fs::remove(temp_, ec);
    }
}

void AtomicFile::write(std::string_view bytes) { write(bytes.data(), bytes.size()); }

void AtomicFile::write(const void* data, size_t size) {
    auto* p = static_cast<const char*>(data);
    while (size > 0) {
        ssize_t n = ::write(fd_, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw runtime_error(fmt::format("{}: write failed: {}", temp_.string(), std::strerror(errno)));
        }
        p += n;
        size -= static_cast<size_t>(n);
        written_ += static_cast<uint64_t>(n);
    }
}

void AtomicFile::start_writeback() noexcept {
    if (fd_ >= 0) ::sync_file_range(fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
}

void AtomicFile::commit(bool fsync) {
    if (fsync && ::fsync(fd_) != 0)
        throw runtime_error(fmt::format("{}: fsync failed: {}", temp_.string(), std::strerror(errno)));
    if (::close(fd_) != 0) {
        fd_ = -1;
        throw runtime_error(fmt::format("{}: close failed: {}", temp_.string(), std::strerror(errno)));
    }
    fd_ = -1;
    fs::rename(temp_, target_);
    committed_ = true;
}

void fsync_file(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw runtime_error(fmt::format("{}: cannot open to flush: {}", path.string(), std::strerror(errno)));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw runtime_error(fmt::format("{}: flush to disk failed: {}", path.string(), std::strerror(err)));
}

void sync_filesystem(const fs::path& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw runtime_error(fmt::format("{}: cannot open to sync: {}", path.string(), std::strerror(errno)));
    int rc = ::syncfs(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) throw runtime_error(fmt::format("{}: sync failed: {}", path.string(), std::strerror(err)));
}

void write_file_atomically(const fs::path& target, std::string_view content) {
    AtomicFile f(target);
    f.write(content);
    f.commit();
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw data_error(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
}

}  // namespace mpdstat
