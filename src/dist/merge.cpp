#include "dist/merge.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "common/archive.hpp"
#include "common/error.hpp"

namespace mpdstat::dist {

void merge_on_root(const World& world, const std::vector<DeviceHandler*>& handlers, DevicePassStats& stats) {
    if (!world.distributed()) return;
    std::vector<std::string> states(handlers.size());
    for (size_t i = 0; i < handlers.size(); ++i) handlers[i]->save(states[i]);
    std::string mine;
    archive_write(mine, stats.devices, stats.events, stats.seconds, states);
    std::vector<std::string>().swap(states);
    std::vector<std::string> parts = world.gather(mine);
    std::string().swap(mine);
    for (size_t r = 1; r < parts.size(); ++r) {
        DevicePassStats theirs;
        ArchiveReader(parts[r]).read(theirs.devices, theirs.events, theirs.seconds, states);
        std::string().swap(parts[r]);
        if (states.size() != handlers.size())
            throw runtime_error(fmt::format("dist: rank {} sent {} accumulators, expected {}", r, states.size(),
                                            handlers.size()));
        for (size_t i = 0; i < handlers.size(); ++i) {
            auto part = handlers[i]->fresh();
            part->load(states[i]);
            handlers[i]->merge(*part);
        }
        stats.devices += theirs.devices;
        stats.events += theirs.events;
        stats.seconds = std::max(stats.seconds, theirs.seconds);
    }
}

}  // namespace mpdstat::dist
