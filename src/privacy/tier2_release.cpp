#include "privacy/tier2_release.hpp"

#include <fmt/format.h>

#include "common/atomic_file.hpp"
#include "privacy/released_csv.hpp"
#include "privacy/released_table.hpp"
#include "privacy/sdc_summary.hpp"

namespace mpdstat {

Tier2Summary release_tier2(std::vector<AggregateTable> tables, const ZoneHierarchyView& zones, const Config& config) {
    Tier2Summary s;
    s.json = nlohmann::ordered_json::array();
    s.text = fmt::format("Disclosure control: values released only on >= {} devices ({} suppressed rows{})\n",
                         config.sdc.min_devices, config.sdc.suppressed == SuppressedMode::drop ? "dropping" : "flagging",
                         config.sdc.noise == NoiseMechanism::none ? "" : ", " + std::string(to_string(config.sdc.noise)) + " noise");
    for (auto& t : tables) {
        ReleasedTable r = release(std::move(t), zones, config.sdc);
        auto path = config.run.out_dir / "tier2" / (r.table().name + ".csv");
        write_released_csv(r, zones, config.run.output_root() / "tier2" / (r.table().name + ".csv"));
        const SdcSummary& m = r.summary();
        auto j = to_json(m);
        j["file"] = path.string();
        s.json.push_back(j);
        s.text += fmt::format("  {:<26} {:>9} rows  {:>9} released  {:>8} suppressed ({} secondary)\n", m.table + ".csv",
                              m.rows, m.released, m.primary_suppressed + m.secondary_suppressed, m.secondary_suppressed);
    }
    write_file_atomically(config.run.output_root() / "qa" / "sdc.json", s.json.dump(2) + "\n");
    return s;
}

}  // namespace mpdstat
