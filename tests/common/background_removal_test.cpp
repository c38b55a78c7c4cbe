// Files and folders handed to the background remover are gone once wait()
// returns, and those still queued when it is destroyed are removed first.
#include "common/background_removal.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "test_util.hpp"

namespace mpdstat {
namespace {

namespace fs = std::filesystem;

TEST(BackgroundRemoval, EverythingQueuedIsGoneAfterWait) {
    test::TempDir t;
    std::vector<fs::path> files;
    for (int i = 0; i < 200; ++i) {
        files.push_back(t / fmt::format("spill-{}", i));
        test::spit(files.back(), std::string(size_t(1000 + i), 'x'));
    }
    test::spit(t / "folder/inner/a.csv", "a");
    test::spit(t / "kept.csv", "k");
    BackgroundRemoval removal;
    for (const auto& f : files) removal.remove(f);
    removal.remove(t / "folder");
    removal.remove(t / "never-existed");  // ignored, like a file another process removed
    removal.wait();
    for (const auto& f : files) EXPECT_FALSE(fs::exists(f)) << f;
    EXPECT_FALSE(fs::exists(t / "folder"));
    EXPECT_TRUE(fs::exists(t / "kept.csv")) << "only what was queued is removed";

    // Usable again after a wait, and wait() with nothing queued returns at once.
    test::spit(t / "later", "l");
    removal.remove(t / "later");
    removal.wait();
    removal.wait();
    EXPECT_FALSE(fs::exists(t / "later"));
}

TEST(BackgroundRemoval, WhatIsQueuedAtDestructionIsRemovedFirst) {
    test::TempDir t;
    {
        BackgroundRemoval removal;
        for (int i = 0; i < 50; ++i) {
            test::spit(t / fmt::format("f{}", i), "x");
            removal.remove(t / fmt::format("f{}", i));
        }
    }
    for (int i = 0; i < 50; ++i) EXPECT_FALSE(fs::exists(t / fmt::format("f{}", i)));
}

}  // namespace
}  // namespace mpdstat
