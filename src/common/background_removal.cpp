#include "common/background_removal.hpp"

namespace mpdstat {

namespace fs = std::filesystem;

BackgroundRemoval::BackgroundRemoval() : worker_([this] { work(); }) {}

BackgroundRemoval::~BackgroundRemoval() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_one();
    worker_.join();
}

void BackgroundRemoval::remove(fs::path path) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(path));
    }
    queued_.notify_one();
}

void BackgroundRemoval::wait() {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [this] { return queue_.empty() && !removing_; });
}

void BackgroundRemoval::work() {
    std::unique_lock lock(mutex_);
    for (;;) {
        queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to remove
        fs::path path = std::move(queue_.front());
        queue_.pop_front();
        removing_ = true;
        lock.unlock();
        try {
            std::error_code ec;
            fs::remove_all(path, ec);
        } catch (...) {  // out of memory building a path: left behind, like a path that cannot be removed
        }
        lock.lock();
        removing_ = false;
        if (queue_.empty()) drained_.notify_all();
    }
}

}  // namespace mpdstat
