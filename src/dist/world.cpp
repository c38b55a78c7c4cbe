#include "dist/world.hpp"

#include <climits>
#include <cstdlib>

#include <fmt/format.h>

#include "common/error.hpp"

#ifdef MPDSTAT_HAVE_MPI
#include <mpi.h>
#endif

namespace mpdstat::dist {

bool launched_by_mpi() {
    for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "MPI_LOCALNRANKS"})
        if (std::getenv(v)) return true;
    return false;
}

World::World() {
#ifdef MPDSTAT_HAVE_MPI
    if (!launched_by_mpi()) return;
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    mpi_ = true;
#endif
}

World& World::get() {
    static World w;
    return w;
}

void World::finalize() {
#ifdef MPDSTAT_HAVE_MPI
    int initialised = 0, finalised = 0;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    if (initialised && !finalised) MPI_Finalize();
#endif
}

void World::abort_if_distributed(int exit_code) {
#ifdef MPDSTAT_HAVE_MPI
    int initialised = 0, finalised = 0, size = 1;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    if (!initialised || finalised) return;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1) MPI_Abort(MPI_COMM_WORLD, exit_code);
#else
    (void)exit_code;
#endif
}

void World::barrier() const {
#ifdef MPDSTAT_HAVE_MPI
    if (mpi_) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

#ifdef MPDSTAT_HAVE_MPI
namespace {
int checked_count(size_t n) {
    if (n > static_cast<size_t>(INT_MAX)) throw runtime_error(fmt::format("dist: {} bytes are too many for one MPI message", n));
    return static_cast<int>(n);
}

std::vector<std::string> split(const std::vector<char>& all, const std::vector<int>& counts) {
    std::vector<std::string> out;
    size_t at = 0;
    for (int c : counts) {
        out.emplace_back(all.data() + at, static_cast<size_t>(c));
        at += static_cast<size_t>(c);
    }
    return out;
}

std::vector<int> displacements(const std::vector<int>& counts) {
    std::vector<int> d(counts.size(), 0);
    long long at = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
        if (at > INT_MAX) throw runtime_error("dist: gathered state exceeds 2 GiB");
        d[i] = static_cast<int>(at);
        at += counts[i];
    }
    if (at > INT_MAX) throw runtime_error("dist: gathered state exceeds 2 GiB");
    return d;
}
}  // namespace
#endif

std::vector<std::string> World::gather(const std::string& mine) const {
#ifdef MPDSTAT_HAVE_MPI
    if (mpi_) {
        int n = checked_count(mine.size());
        std::vector<int> counts(static_cast<size_t>(size_), 0);
        MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
        std::vector<int> displs;
        std::vector<char> all;
        if (root()) {
            displs = displacements(counts);
            all.resize(static_cast<size_t>(displs.back()) + static_cast<size_t>(counts.back()));
        }
        MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE, 0, MPI_COMM_WORLD);
        return root() ? split(all, counts) : std::vector<std::string>{};
    }
#endif
    return {mine};
}

std::vector<std::string> World::allgather(const std::string& mine) const {
#ifdef MPDSTAT_HAVE_MPI
    if (mpi_) {
        int n = checked_count(mine.size());
        std::vector<int> counts(static_cast<size_t>(size_), 0);
        MPI_Allgather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
        std::vector<int> displs = displacements(counts);
        std::vector<char> all(static_cast<size_t>(displs.back()) + static_cast<size_t>(counts.back()));
        MPI_Allgatherv(mine.data(), n, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE, MPI_COMM_WORLD);
        return split(all, counts);
    }
#endif
    return {mine};
}

std::string World::broadcast(const std::string& from_root) const {
#ifdef MPDSTAT_HAVE_MPI
    if (mpi_) {
        long long n = static_cast<long long>(from_root.size());
        MPI_Bcast(&n, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD);
        std::string out = root() ? from_root : std::string(static_cast<size_t>(n), '\0');
        MPI_Bcast(out.data(), checked_count(static_cast<size_t>(n)), MPI_BYTE, 0, MPI_COMM_WORLD);
        return out;
    }
#endif
    return from_root;
}

BucketRange share(int n, int rank, int ranks) {
    auto at = [&](int r) { return static_cast<int>(static_cast<long long>(n) * r / ranks); };
    return BucketRange{at(rank), at(rank + 1)};
}

}  // namespace mpdstat::dist
