#include "ingest/pseudonymiser.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>

#include <cstdlib>
#include <cstring>

#include <fmt/format.h>
#include <sodium.h>

#include "common/error.hpp"
#include "common/secret_memory.hpp"

namespace mpdstat {

namespace {
void ensure_sodium() {
    if (sodium_init() < 0) throw runtime_error("libsodium failed to initialise");
}

constexpr size_t kMaxKeyFileBytes = 4096;

// Reads the key file into `buf` (zeroed by the caller). The permissions are
// checked on the opened file, so the file checked is the file read.
size_t read_key_file(const std::filesystem::path& path, std::array<char, kMaxKeyFileBytes>& buf) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw config_error(fmt::format("{}: cannot open the pseudonymisation key file (input.key_file): {}", path.string(),
                                       std::strerror(errno)));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        throw config_error(fmt::format("{}: the pseudonymisation key file (input.key_file) is not a regular file",
                                       path.string()));
    if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH))
        throw config_error(fmt::format("{}: the key file is readable or writable by other users (mode {:03o}); restrict "
                                       "it to its owner (chmod 600) before use", path.string(), st.st_mode & 0777));
    size_t n = 0;
    while (n < buf.size()) {
        ssize_t r = ::read(fd, buf.data() + n, buf.size() - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0)
            throw config_error(fmt::format("{}: cannot read the pseudonymisation key file: {}", path.string(),
                                           std::strerror(errno)));
        if (r == 0) break;
        n += static_cast<size_t>(r);
    }
    if (n == buf.size())
        throw config_error(fmt::format("{}: the key file is larger than {} bytes; is it the right file?", path.string(),
                                       kMaxKeyFileBytes - 1));
    return n;
}
}  // namespace

Pseudonymiser::~Pseudonymiser() { sodium_memzero(key_.data(), key_.size()); }

Pseudonymiser Pseudonymiser::with_key(std::string_view material) {
    ensure_sodium();
    if (material.size() < 16) throw config_error("the pseudonymisation key is too short: it needs at least 16 bytes");
    Pseudonymiser p;
    // Any key length is accepted; it is condensed to 32 bytes.
    static constexpr char context[] = "mpdstat pseudonymisation key v1";
    crypto_generichash(p.key_.data(), p.key_.size(), reinterpret_cast<const unsigned char*>(material.data()),
                       material.size(), reinterpret_cast<const unsigned char*>(context), sizeof context - 1);
    p.keyed_ = true;
    return p;
}

Pseudonymiser Pseudonymiser::unkeyed() {
    ensure_sodium();
    return Pseudonymiser{};
}

Pseudonymiser Pseudonymiser::from_config(const InputConfig& in) {
    if (in.key_file.empty() && in.key_env.empty()) {
        if (in.already_pseudonymised) return unkeyed();
        throw config_error("no pseudonymisation key: set input.key_file or input.key_env, or "
                           "input.already_pseudonymised = true if user ids are already pseudonyms");
    }
    // No core dump or ptrace from here on: the key stays in memory for the run.
    keep_secrets_out_of_core_dumps();
    std::array<char, kMaxKeyFileBytes> buf{};
    std::string_view material;
    struct Wipe {
        std::array<char, kMaxKeyFileBytes>& b;
        ~Wipe() { sodium_memzero(b.data(), b.size()); }
    } wipe{buf};
    if (!in.key_file.empty()) {
        size_t n = read_key_file(in.key_file, buf);
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) --n;
        material = std::string_view(buf.data(), n);
    } else {
        const char* v = std::getenv(in.key_env.c_str());
        if (!v || !*v)
            throw config_error(fmt::format("environment variable {} (input.key_env) is not set: it must hold the "
                                           "pseudonymisation key", in.key_env));
        material = v;
    }
    return with_key(material);
}

uint64_t Pseudonymiser::device(std::string_view raw) const {
    unsigned char out[16];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                       keyed_ ? key_.data() : nullptr, keyed_ ? key_.size() : 0);
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(out[i]) << (8 * i);
    return v;
}

std::string Pseudonymiser::key_fingerprint() const {
    if (!keyed_) return "unkeyed";
    unsigned char out[8];
    static constexpr char label[] = "mpdstat key fingerprint";
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(label), sizeof label - 1, key_.data(),
                       key_.size());
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

uint64_t PseudonymCache::device(std::string_view raw) {
    if (std::optional<uint64_t> key = pack_decimal_id(raw)) {
        if (const uint64_t* hit = numeric_.find(*key)) return *hit;
        uint64_t d = p_.device(raw);
        numeric_.insert(*key, d);
        return d;
    }
    if (const uint64_t* hit = text_.find(raw)) return *hit;
    uint64_t d = p_.device(raw);
    text_.insert(raw, d);
    return d;
}

void PseudonymCache::prefetch(std::string_view raw) const noexcept {
    if (std::optional<uint64_t> key = pack_decimal_id(raw)) numeric_.prefetch(*key);
    else text_.prefetch(raw);
}

std::string device_hex(uint64_t device) { return fmt::format("{:016x}", device); }

}  // namespace mpdstat
