#include "ingest/pseudonymiser.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/error.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

TEST(Pseudonymiser, KeyedHashIsStableAndDependsOnTheKey) {
    auto a = Pseudonymiser::with_key("0123456789abcdef-key-a");
    auto b = Pseudonymiser::with_key("0123456789abcdef-key-b");
    EXPECT_EQ(a.device("221770000001"), a.device("221770000001"));
    EXPECT_NE(a.device("221770000001"), a.device("221770000002"));
    EXPECT_NE(a.device("221770000001"), b.device("221770000001"));
    EXPECT_NE(a.device("221770000001"), Pseudonymiser::unkeyed().device("221770000001"));
    EXPECT_NE(a.key_fingerprint(), b.key_fingerprint());
    EXPECT_EQ(a.key_fingerprint().size(), 16u);
    EXPECT_THROW(Pseudonymiser::with_key("short"), Error);
}

TEST(Pseudonymiser, KeyFileMustExistAndNotBeWorldReadable) {
    test::TempDir t;
    InputConfig in;
    in.key_file = t / "key";
    EXPECT_THROW(Pseudonymiser::from_config(in), Error);
    test::spit(in.key_file, "0123456789abcdef-key-a\n");
    ::chmod(in.key_file.c_str(), 0644);
    try {
        Pseudonymiser::from_config(in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("chmod 600"), std::string::npos);
    }
    ::chmod(in.key_file.c_str(), 0600);
    auto p = Pseudonymiser::from_config(in);
    // The trailing newline of the file is not part of the key.
    EXPECT_EQ(p.device("x"), Pseudonymiser::with_key("0123456789abcdef-key-a").device("x"));
}

TEST(Pseudonymiser, NoKeyOnlyWhenDeclaredPseudonymised) {
    InputConfig in;
    EXPECT_THROW(Pseudonymiser::from_config(in), Error);
    in.already_pseudonymised = true;
    EXPECT_FALSE(Pseudonymiser::from_config(in).keyed());
}

TEST(PseudonymCache, AgreesWithTheHashAndSurvivesEviction) {
    auto p = Pseudonymiser::with_key("0123456789abcdef-key-a");
    PseudonymCache c(p, 2);
    for (const char* id : {"a", "b", "c", "a", "b", "d", "a"}) EXPECT_EQ(c.device(id), p.device(id));
}

TEST(PseudonymCache, DecimalIdsGiveTheUncachedHash) {
    auto p = Pseudonymiser::with_key("0123456789abcdef-key-a");
    PseudonymCache c(p, 4);
    // Decimal ids take the packed memo, others the text one; leading zeros and
    // ids too long to pack are ids of their own.
    for (const char* id : {"221700058751", "0221700058751", "221700058751", "22170005875a", "1234567890123456789",
                           "0", "00", "221700058751", "0", "1234567890123456789", "5", "6", "7", "221700058751"}) {
        EXPECT_EQ(c.device(id), p.device(id)) << id;
    }
    EXPECT_NE(c.device("0221700058751"), c.device("221700058751"));
}

}  // namespace
}  // namespace mpdstat
