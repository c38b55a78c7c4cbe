#pragma once
// Keeping key material out of places it could leak from: core dumps and
// /proc/PID/mem of a crashed or inspected process.
namespace mpdstat {

// Makes the process non-dumpable (prctl PR_SET_DUMPABLE 0: no core file, no
// ptrace by other processes of the same user) and sets the core size limit to
// 0. Called before a secret key is read; it stays so until the process ends.
// Throws runtime_error when the kernel refuses.
void keep_secrets_out_of_core_dumps();

}  // namespace mpdstat
