// The pseudonymisation key never leaves the process: not in any file under
// out_dir or work_dir, not on stdout / stderr — raw, hex or base64, the key
// file's bytes or the key derived from them. A key file others can read is
// refused; reading a key makes the process non-dumpable.
#include <gtest/gtest.h>

#include <sodium.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "config/config.hpp"
#include "ingest/pseudonymiser.hpp"
#include "synth/generator.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

std::string hex(std::string_view bytes, bool upper) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    out.pop_back();
    if (upper)
        for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string base64(std::string_view bytes, int variant) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), variant);
    out.resize(std::strlen(out.c_str()));
    return out;
}

// Every spelling of the secret an output could carry.
std::vector<std::string> spellings(const std::string& secret) {
    std::vector<std::string> s = {secret, hex(secret, false), hex(secret, true)};
    for (int v : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING, sodium_base64_VARIANT_URLSAFE,
                  sodium_base64_VARIANT_URLSAFE_NO_PADDING})
        s.push_back(base64(secret, v));
    // A prefix is enough to leak most of it; 12 bytes of raw key is already too much.
    s.push_back(secret.substr(0, 12));
    s.push_back(hex(secret.substr(0, 12), false));
    return s;
}

// The 32-byte key mpdstat derives from the key file (Pseudonymiser::with_key).
std::string derived_key(const std::string& material) {
    unsigned char out[32];
    static constexpr char context[] = "mpdstat pseudonymisation key v1";
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(material.data()), material.size(),
                       reinterpret_cast<const unsigned char*>(context), sizeof context - 1);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

// Paths of the haystacks holding any spelling.
std::vector<std::string> leaks(const std::map<std::string, std::string>& haystacks, const std::string& secret) {
    std::vector<std::string> found;
    for (const auto& needle : spellings(secret))
        for (const auto& [name, text] : haystacks)
            if (text.find(needle) != std::string::npos) found.push_back(name);
    return found;
}

TEST(KeyHandling, TheKeyAppearsInNoOutputLogOrManifest) {
    ASSERT_GE(sodium_init(), 0);
    test::TempDir t;
    synth::generate(synth::preset_options("test"), t.path());
    const std::string key = test::slurp(t / "pseudonymisation.key");
    ASSERT_EQ(key.size(), 32u);
    auto r = test::run_cli("run --force " + (t / "mpdstat.toml").string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto audit = test::run_cli("audit " + (t / "out").string());
    std::map<std::string, std::string> haystacks;
    for (const char* dir : {"out", "work"})
        for (auto& [name, text] : test::tree_bytes(t / dir)) haystacks[std::string(dir) + "/" + name] = std::move(text);
    haystacks["stdout+stderr of run"] = r.out;
    haystacks["stdout+stderr of audit"] = audit.out;
    ASSERT_GT(haystacks.size(), 100u) << "the run wrote its store, micro data and outputs";

    EXPECT_EQ(leaks(haystacks, key), std::vector<std::string>{});
    EXPECT_EQ(leaks(haystacks, derived_key(key)), std::vector<std::string>{});
    // The search itself finds a planted key in every spelling.
    for (const auto& s : spellings(key)) EXPECT_FALSE(leaks({{"planted", "x" + s + "y"}}, key).empty()) << s;
}

TEST(KeyHandling, KeyFileReadableByOthersIsRefusedWithExit2) {
    test::TempDir t;
    synth::generate(synth::preset_options("test"), t.path());
    const fs::path key = t / "pseudonymisation.key";
    for (mode_t mode : {0640, 0604, 0660, 0602}) {
        ASSERT_EQ(::chmod(key.c_str(), mode), 0);
        auto r = test::run_cli("ingest " + (t / "mpdstat.toml").string());
        EXPECT_EQ(r.exit_code, 2) << std::oct << mode << ": " << r.out;
        EXPECT_NE(r.out.find("readable or writable by other users"), std::string::npos) << r.out;
        EXPECT_NE(r.out.find("chmod 600"), std::string::npos);
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << "one line: " << r.out;
        EXPECT_FALSE(fs::exists(t / "work/store")) << "nothing ingested with an exposed key";
    }
    ASSERT_EQ(::chmod(key.c_str(), 0400), 0);
    EXPECT_EQ(test::run_cli("ingest --force " + (t / "mpdstat.toml").string()).exit_code, 0) << "owner read-only is fine";

    // A folder where the key file is expected (also how root, who bypasses
    // permissions, meets an unreadable key).
    fs::remove(key);
    fs::create_directories(key);
    auto r = test::run_cli("ingest " + (t / "mpdstat.toml").string());
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find("is not a regular file"), std::string::npos) << r.out;
}

TEST(KeyHandling, ReadingTheKeyMakesTheProcessNonDumpable) {
    test::TempDir t;
    synth::generate(synth::preset_options("test"), t.path());
    const Config c = load_config(t / "mpdstat.toml");
    // In a child, so that the test process keeps its own settings.
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        int code = 0;
        if (::prctl(PR_GET_DUMPABLE) != 1) code |= 1;  // dumpable before
        Pseudonymiser p = Pseudonymiser::from_config(c.input);
        struct rlimit core {};
        ::getrlimit(RLIMIT_CORE, &core);
        if (::prctl(PR_GET_DUMPABLE) != 0) code |= 2;
        if (core.rlim_cur != 0 || core.rlim_max != 0) code |= 4;
        if (!p.keyed()) code |= 8;
        ::_exit(code);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "bits: 1 dumpable before, 2 still dumpable, 4 core limit, 8 no key";
}

}  // namespace
}  // namespace mpdstat
