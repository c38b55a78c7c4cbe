// `mpdstat run` killed with SIGKILL at seeded random moments leaves the
// previous complete outputs or the new ones — never a mix: whenever the
// manifest says "complete", every file it lists matches its SHA-256 — and
// `run --resume` then produces the same bytes as an uninterrupted run.
// Corrupt Tier I state is reported, naming the file, never used.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "common/publish.hpp"
#include "synth/generator.hpp"
#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

pid_t spawn_run(const fs::path& config, const fs::path& log, bool resume = false) {
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        if (resume) ::execl(MPDSTAT_BINARY, "mpdstat", "run", "--force", "--resume", config.c_str(), nullptr);
        else ::execl(MPDSTAT_BINARY, "mpdstat", "run", "--force", config.c_str(), nullptr);
        ::_exit(127);
    }
    return pid;
}

int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// The files a run must reproduce byte for byte (timings and timestamps live
// in the manifest, qa/spatial.json and the GeoPackage, which are left out).
// Published files only (the staging folder of an unfinished run is left out).
std::map<std::string, std::string> published_tree(const fs::path& out) {
    auto files = test::tree_bytes(out);
    std::erase_if(files, [](const auto& f) { return f.first.rfind(".staging/", 0) == 0; });
    return files;
}

std::map<std::string, std::string> results(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (auto& [name, bytes] : test::tree_bytes(dir / "out"))
        if (name.rfind("tier2/", 0) == 0 || name == "qa/sdc.json" || name == "qa/ingest.json" ||
            (name.rfind("geo/", 0) == 0 && name.find(".gpkg") == std::string::npos))
            out["out/" + name] = std::move(bytes);
    for (auto& [name, bytes] : test::tree_bytes(dir / "work/micro")) out["micro/" + name] = std::move(bytes);
    return out;
}

struct Scenario {
    test::TempDir dir;
    fs::path old_config, new_config;
    Scenario() {
        synth::generate(synth::preset_options("test"), dir.path());
        const std::string toml = test::slurp(dir / "mpdstat.toml");
        old_config = dir / "mpdstat.toml";
        // The new run releases with another threshold: its files differ from the old ones.
        new_config = dir / "mpdstat-new.toml";
        test::spit(new_config, toml + "\n[sdc]\nmin_devices = 20\n");
    }
    int run(const fs::path& config, const std::string& flags = "") const {
        auto r = test::run_cli("run --force " + flags + " " + config.string());
        EXPECT_EQ(r.exit_code, 0) << r.out;
        last_output = r.out;
        return r.exit_code;
    }
    mutable std::string last_output;
};

// Each trigger below at least once; the sanitizer build runs about ten times
// slower, so it kills fewer times (the Release suite covers the six seeds).
#if defined(__SANITIZE_ADDRESS__)
constexpr unsigned kKillSeeds = 4;
#else
constexpr unsigned kKillSeeds = 6;
#endif

TEST(CrashSafety, KilledRunsLeaveOldOrNewOutputsAndResumeMatchesAnUninterruptedRun) {
    Scenario s;
    auto t0 = Clock::now();
    ASSERT_EQ(s.run(s.new_config), 0);
    const double run_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    const auto reference = results(s.dir.path());
    ASSERT_GT(reference.size(), 20u);
    ASSERT_TRUE(verify_published(s.dir / "out").empty());

    // Kill points: a seeded delay after the start, or after a stage's
    // completion marker (or the publish journal) appears, so that every stage
    // and the publish itself are interrupted somewhere.
    const std::vector<std::string> triggers = {"", "work/stages/ingest.json", "work/stages/device_pass.json",
                                               "out/.publish.json"};
    // The state a killed run starts from: the old config's finished run,
    // computed once and restored before each kill (runs are deterministic).
    ASSERT_EQ(s.run(s.old_config), 0);
    const auto old_results = results(s.dir.path());
    ASSERT_NE(old_results, reference);
    const fs::path old_state = s.dir / "old-state";
    fs::create_directories(old_state);
    for (const char* d : {"out", "work"})
        fs::copy(s.dir / d, old_state / d, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    int resumed_stages = 0, kills = 0;
    for (unsigned seed = 1; seed <= kKillSeeds; ++seed) {
        SCOPED_TRACE("kill seed " + std::to_string(seed));
        for (const char* d : {"out", "work"}) {
            fs::remove_all(s.dir / d);
            fs::copy(old_state / d, s.dir / d, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
        }
        ASSERT_EQ(results(s.dir.path()), old_results);

        std::mt19937 rng(seed);
        const std::string trigger = triggers[seed % triggers.size()];
        const double at = trigger.empty() ? std::uniform_real_distribution<double>(0.0, 0.8 * run_seconds)(rng)
                                          : std::uniform_real_distribution<double>(0.0, 0.02)(rng);
        fs::remove_all(s.dir / "work/stages");  // the old run's markers, which the new run drops first
        pid_t pid = spawn_run(s.new_config, s.dir / "killed.log");
        bool exited = false;
        int status = 0;
        while (!trigger.empty() && !fs::exists(s.dir / trigger) && !exited) {
            exited = ::waitpid(pid, &status, WNOHANG) == pid;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        if (!exited) {
            std::this_thread::sleep_for(std::chrono::duration<double>(at));
            kills += ::kill(pid, SIGKILL) == 0;
            wait_exit(pid);
        }

        // Old or new, never a mix: a "complete" manifest lists only intact files.
        auto problems = verify_published(s.dir / "out");
        const bool publishing = fs::exists(s.dir / "out/.publish.json");
        if (!publishing) {
            EXPECT_TRUE(problems.empty()) << problems.front();
            const auto now = results(s.dir.path());
            std::map<std::string, std::string> out_now, out_old, out_new;
            for (const auto& [k, v] : now)
                if (k.rfind("out/", 0) == 0) out_now[k] = v;
            for (const auto& [k, v] : old_results)
                if (k.rfind("out/", 0) == 0) out_old[k] = v;
            for (const auto& [k, v] : reference)
                if (k.rfind("out/", 0) == 0) out_new[k] = v;
            EXPECT_TRUE(out_now == out_old || out_now == out_new) << "killed at " << at << " s: a mix of outputs";
        }

        pid = spawn_run(s.new_config, s.dir / "resume.log", /*resume=*/true);
        ASSERT_EQ(wait_exit(pid), 0) << test::slurp(s.dir / "resume.log");
        const std::string log = test::slurp(s.dir / "resume.log");
        resumed_stages += log.find("Resume: ingest done") != std::string::npos;
        resumed_stages += log.find("Resume: per-device pass done") != std::string::npos;
        EXPECT_EQ(results(s.dir.path()), reference) << "killed at " << at << " s; resume log:\n" << log;
        EXPECT_TRUE(verify_published(s.dir / "out").empty());
        EXPECT_FALSE(fs::exists(s.dir / "out/.staging"));
        // No temporary file of the killed run is left behind.
        for (const auto& [name, bytes] : test::tree_bytes(s.dir / "out")) EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name;
    }
    std::cout << "[          ] " << kills << " kills; stages skipped by --resume: " << resumed_stages << "\n";
    EXPECT_GE(kills, static_cast<int>(kKillSeeds) - 2);
    EXPECT_GE(resumed_stages, 2) << "kills after ingest and after the pass let --resume skip them";
}

TEST(CrashSafety, ResumeRefusesStateOfOtherInputsOrConfig) {
    Scenario s;
    ASSERT_EQ(s.run(s.new_config), 0);
    const auto reference = results(s.dir.path());
    // Markers of a finished run with the old config must not be reused for the new one.
    ASSERT_EQ(s.run(s.old_config), 0);
    ASSERT_EQ(s.run(s.new_config, "--resume"), 0);
    EXPECT_NE(s.last_output.find("the inputs or the config changed"), std::string::npos) << s.last_output;
    EXPECT_EQ(s.last_output.find("Resume: per-device pass done"), std::string::npos);
    EXPECT_EQ(results(s.dir.path()), reference);
    // A changed input file: the same.
    ASSERT_EQ(s.run(s.new_config), 0);
    fs::path census = s.dir / "census.csv";
    test::spit(census, test::slurp(census) + "\n");
    ASSERT_EQ(s.run(s.new_config, "--resume"), 0);
    EXPECT_NE(s.last_output.find("the inputs or the config changed"), std::string::npos) << s.last_output;
}

TEST(CrashSafety, CorruptTierOneStateIsReportedNotUsed) {
    Scenario s;
    ASSERT_EQ(s.run(s.new_config), 0);
    const auto published = published_tree(s.dir / "out");
    // A changed byte in a micro data file.
    fs::path micro = s.dir / "work/micro/anchors/bucket-0003.csv";
    std::string bytes = test::slurp(micro);
    bytes[bytes.size() / 2] ^= 1;
    test::spit(micro, bytes);
    auto r = test::run_cli("run --force --resume " + s.new_config.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("bucket-0003.csv: checksum mismatch"), std::string::npos) << r.out;
    EXPECT_EQ(published_tree(s.dir / "out"), published) << "nothing published from corrupt state";

    // A damaged table snapshot.
    ASSERT_EQ(s.run(s.new_config), 0);
    fs::path snapshot = s.dir / "work/stages/tables.mpdtabs";
    bytes = test::slurp(snapshot);
    bytes[bytes.size() / 3] ^= 0x40;
    test::spit(snapshot, bytes);
    r = test::run_cli("run --force --resume " + s.new_config.string());
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("tables.mpdtabs: corrupt table snapshot (checksum mismatch)"), std::string::npos) << r.out;

    // A plain run does not depend on that state: it starts over and succeeds.
    EXPECT_EQ(s.run(s.new_config), 0);
}

}  // namespace
}  // namespace mpdstat
