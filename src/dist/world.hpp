#pragma once
// The processes of one job (docs/scale.md). Under an MPI launcher (mpirun,
// srun) with MPI built in (CMake option MPDSTAT_MPI), every rank is one
// process of a World; otherwise the World is this process alone and every
// collective below is a no-op, so single-process runs behave as before.
//
// Work is shared in contiguous ranges (share()): rank r owns buckets
// [first, last) and reads a contiguous run of input files, so that merging
// the ranks' partial results in rank order is the same as merging buckets in
// bucket order in one process — the basis of byte-identical outputs.
#include <string>
#include <vector>

#include "devices/device_pass.hpp"

namespace mpdstat::dist {

class World {
public:
    // The job's world; initialises MPI on first use when launched by an MPI launcher.
    static World& get();
    // Finalises MPI (idempotent); call before leaving main().
    static void finalize();
    // After an error on one rank of a distributed job: ends every rank at
    // once (the others would wait in a collective forever). Returns when the
    // job is a single process.
    static void abort_if_distributed(int exit_code);

    int rank() const noexcept { return rank_; }
    int size() const noexcept { return size_; }
    bool root() const noexcept { return rank_ == 0; }
    bool distributed() const noexcept { return size_ > 1; }

    void barrier() const;
    // Every rank's bytes on the root, in rank order (empty elsewhere).
    std::vector<std::string> gather(const std::string& mine) const;
    // Every rank's bytes on every rank, in rank order.
    std::vector<std::string> allgather(const std::string& mine) const;
    // The root's bytes on every rank.
    std::string broadcast(const std::string& from_root) const;

private:
    World();
    int rank_ = 0;
    int size_ = 1;
    bool mpi_ = false;
};

// Rank `rank`'s contiguous share of n items among `ranks`.
BucketRange share(int n, int rank, int ranks);

// Whether this process was started by an MPI launcher (its environment says so).
bool launched_by_mpi();

}  // namespace mpdstat::dist
