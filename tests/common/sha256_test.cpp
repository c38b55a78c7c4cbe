// SHA-256 in one piece, in pieces and of a file: the same digest, and the
// standard one (FIPS 180-2 test vectors).
#include <gtest/gtest.h>

#include <sodium.h>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

std::string to_hex(const std::string& raw) {
    std::string hex(2 * raw.size() + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
    hex.pop_back();
    return hex;
}

TEST(Sha256, KnownDigestsWholeInPiecesAndOfAFile) {
    EXPECT_EQ(to_hex(sha256_digest("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(sha256_digest("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    const std::string text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    const std::string expected = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    EXPECT_EQ(to_hex(sha256_digest(text)), expected);
    Sha256 pieces;
    for (size_t at = 0; at < text.size(); at += 7) pieces.update(std::string_view(text).substr(at, 7));
    EXPECT_EQ(to_hex(pieces.digest()), expected);

    test::TempDir t;
    test::spit(t / "f.txt", text);
    EXPECT_EQ(sha256_file(t / "f.txt"), expected);
    EXPECT_THROW(sha256_file(t / "missing.txt"), Error);

    std::string big((1 << 20) + 100, '\0');  // past the 1 MiB read buffer
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 131 % 251);
    test::spit(t / "big.bin", big);
    EXPECT_EQ(sha256_file(t / "big.bin"), to_hex(sha256_digest(big)));
}

}  // namespace
}  // namespace mpdstat
