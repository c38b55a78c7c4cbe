#include "common/sha256.hpp"

#include <cstdio>
#include <vector>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sodium.h>

#include "common/c_file.hpp"
#include "common/error.hpp"

namespace mpdstat {

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(ctx_);
        throw runtime_error("libcrypto failed to initialise SHA-256");
    }
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

void Sha256::update(std::string_view bytes) {
    if (EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) != 1) throw runtime_error("SHA-256 failed");
}

std::string Sha256::digest() {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx_, d, &len) != 1 || len != kSha256Bytes) throw runtime_error("SHA-256 failed");
    return std::string(reinterpret_cast<const char*>(d), kSha256Bytes);
}

std::string sha256_file(const std::filesystem::path& path) {
    Sha256 digest;
    // One buffer per thread: checksumming many small files must not allocate and clear 1 MiB each time.
    thread_local std::vector<unsigned char> buf(1 << 20);
    ClosingFile file{std::fopen(path.c_str(), "rb")};
    if (!file.f) throw data_error(fmt::format("{}: cannot open to compute its checksum", path.string()));
    size_t n;
    std::string d;
    try {
        while ((n = std::fread(buf.data(), 1, buf.size(), file.f)) > 0)
            digest.update(std::string_view(reinterpret_cast<const char*>(buf.data()), n));
        if (!std::ferror(file.f)) d = digest.digest();
    } catch (const Error& e) {  // libcrypto failed: say on which file
        throw runtime_error(fmt::format("{}: {}", path.string(), e.what()));
    }
    if (std::ferror(file.f)) throw data_error(fmt::format("{}: read error while computing its checksum", path.string()));
    char hex[2 * kSha256Bytes + 1];
    sodium_bin2hex(hex, sizeof hex, reinterpret_cast<const unsigned char*>(d.data()), d.size());
    return hex;
}

std::string sha256_digest(std::string_view bytes) {
    Sha256 digest;
    digest.update(bytes);
    return digest.digest();
}

}  // namespace mpdstat
