#pragma once
// Removes files and folders on a thread of its own. Unlinking a large file
// can wait for the disk: ext4 truncates a file's pages, and waits for those
// the kernel is writing out at that moment. Spill files removed by the
// cleaning workers took up to 1.8 s each on the bench preset, with both
// workers idle. A worker hands the path over here and goes on.
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

namespace mpdstat {

class BackgroundRemoval {
public:
    BackgroundRemoval();
    ~BackgroundRemoval();  // removes what is queued, then stops
    BackgroundRemoval(const BackgroundRemoval&) = delete;
    BackgroundRemoval& operator=(const BackgroundRemoval&) = delete;

    // Queues a file, or a folder with all it holds. A path that cannot be
    // removed is left behind (only disk space: callers remove their temporary
    // folders at the end anyway).
    void remove(std::filesystem::path path);
    // Returns once every path queued so far is removed: before a file-system
    // sync, so that it does not write out the files first.
    void wait();

private:
    void work();

    std::mutex mutex_;
    std::condition_variable queued_, drained_;
    std::deque<std::filesystem::path> queue_;
    bool removing_ = false;  // the worker holds a path taken off the queue
    bool stopping_ = false;
    std::thread worker_;  // last: started once the members it uses exist
};

}  // namespace mpdstat
