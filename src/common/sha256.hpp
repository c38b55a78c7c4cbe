#pragma once
// SHA-256 through OpenSSL, which uses the CPU's SHA extensions (or AVX2):
// several times libsodium's portable code on the large buffers and files the
// manifest, the table snapshot and the pass cache check.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace mpdstat {

constexpr size_t kSha256Bytes = 32;  // a raw digest

// SHA-256 of a file as lowercase hex.
std::string sha256_file(const std::filesystem::path& path);

// SHA-256 of bytes: the 32 raw bytes of the digest.
std::string sha256_digest(std::string_view bytes);

// SHA-256 of bytes that come in pieces (a file written as it is encoded).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    std::string digest();  // the 32 raw bytes; the object is spent afterwards

private:
    evp_md_ctx_st* ctx_;
};

}  // namespace mpdstat
