#pragma once
// The merge of partial aggregates across ranks: every rank ships its
// accumulators' state (DeviceHandler::save) to the root, which loads each into
// a fresh accumulator and merges them in rank order. Ranks own contiguous
// bucket ranges, so this is the single-process merge in bucket order, and the
// merged state — hence every Tier II table — is byte-identical to it.
#include <vector>

#include "devices/device_pass.hpp"
#include "dist/world.hpp"

namespace mpdstat::dist {

// On the root, `handlers` and `stats` end up holding the whole job's results
// (devices and events summed, seconds the slowest rank's); elsewhere they are
// left as they are.
void merge_on_root(const World& world, const std::vector<DeviceHandler*>& handlers, DevicePassStats& stats);

}  // namespace mpdstat::dist
