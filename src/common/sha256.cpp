#include "common/sha256.hpp"

#include <cstdio>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "common/error.hpp"

namespace mpdstat {

namespace {

struct DigestContext {
    DigestContext() : ctx(EVP_MD_CTX_new()) {
        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
            EVP_MD_CTX_free(ctx);
            throw runtime_error("libcrypto failed to initialise SHA-256");
        }
    }
    ~DigestContext() { EVP_MD_CTX_free(ctx); }
    DigestContext(const DigestContext&) = delete;
    DigestContext& operator=(const DigestContext&) = delete;
    EVP_MD_CTX* ctx;
};

}  // namespace

std::string sha256_file(const std::filesystem::path& path) {
    DigestContext digest;
    EVP_MD_CTX* ctx = digest.ctx;
    // One buffer per thread: checksumming many small files must not allocate and clear 1 MiB each time.
    thread_local std::vector<unsigned char> buf(1 << 20);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw data_error(fmt::format("{}: cannot open to compute its checksum", path.string()));
    size_t n;
    bool ok = true;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) ok = ok && EVP_DigestUpdate(ctx, buf.data(), n) == 1;
    bool failed = std::ferror(f);
    std::fclose(f);
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, d, &len) == 1 && len == kSha256Bytes;
    if (failed) throw data_error(fmt::format("{}: read error while computing its checksum", path.string()));
    if (!ok) throw runtime_error(fmt::format("{}: SHA-256 failed", path.string()));
    char hex[2 * kSha256Bytes + 1];
    sodium_bin2hex(hex, sizeof hex, d, len);
    return hex;
}

std::string sha256_digest(std::string_view bytes) {
    DigestContext digest;
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestUpdate(digest.ctx, bytes.data(), bytes.size()) != 1 || EVP_DigestFinal_ex(digest.ctx, d, &len) != 1 ||
        len != kSha256Bytes)
        throw runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<const char*>(d), kSha256Bytes);
}

}  // namespace mpdstat
