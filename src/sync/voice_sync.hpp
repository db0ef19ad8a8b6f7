#pragma once
// One voice-platform run: identify the account behind the key, read each resource, plan the
// reconcile of each resource read completely, hold mass removals, and hand the engine what to
// write. A resource whose listing failed is not planned at all (its rows stay as they are) and
// becomes a warning; the run fails only when nothing could be read, the key was rejected, or the
// service stopped. Reads only the mirror (executions are staged in the store as read, and planned
// there): the engine writes the result in one transaction.
#include <chrono>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/guard.hpp"
#include "core/reconcile.hpp"
#include "core/run_limits.hpp"
#include "store/mirror_store.hpp"
#include "sync/run_progress.hpp"
#include "upstream/voice/voice_client.hpp"

namespace tenantsync::sync {

struct VoiceSyncOptions {
  std::chrono::milliseconds history{std::chrono::hours(24 * 30)};  ///< executions read by a first sync
  std::chrono::milliseconds overlap{std::chrono::minutes(10)};     ///< re-read before the saved cursor
  core::GuardOptions guard{};
  /// Bounds of what one run reads (executions are staged in the store as they are read, so
  /// memory does not grow with them; the bounds keep an endless upstream off the disk).
  core::RunLimits limits{};
};

struct VoiceSyncResult {
  store::RunOutcome outcome;
  bool apply = false;  ///< write plans, cursors and outcome together (else only the outcome)
  std::vector<core::ResourcePlan> plans;
  std::vector<core::Resource> fully_listed;
  std::vector<store::CursorWrite> cursors;
};

class VoiceSync {
 public:
  VoiceSync(store::MirrorStore& mirror, upstream::VoiceClient& client, const Clock& clock,
            VoiceSyncOptions options);

  /// Reads and plans `run` of `tenant_id`; never throws, never writes the mirror.
  VoiceSyncResult run(const store::SyncRun& run, const ProgressFn& progress, const StopFn& should_stop);

 private:
  struct Reading;  ///< what one run read: local rows, saved cursors, every upstream listing
  class Reporter;  ///< the run's progress as it goes

  /// Step 1: everything the plan needs, local and upstream; false (with `failure`) when the run
  /// must fail: the account or the local mirror could not be read, the key was rejected, the
  /// service stopped, or no listing at all could be read.
  bool read(const store::SyncRun& run, Reporter& report, const StopFn& should_stop, Reading& reading,
            store::RunOutcome& failure);
  bool read_local(const store::SyncRun& run, Reading& reading, store::RunOutcome& failure);
  /// Each listing on its own: a failed one is recorded in `reading.not_read`; an error that must
  /// fail the whole run (key rejected, stopped) is returned.
  Status read_upstream(const store::SyncRun& run, Reporter& report, const StopFn& should_stop,
                       Reading& reading);
  /// Step 2: one reconcile plan per resource that was read, with the run's counts and warnings;
  /// executions are planned by the store from what the run staged. An error: the store failed.
  Status plan(const store::SyncRun& run, Reading& reading, Reporter& report, VoiceSyncResult& result);
  /// Step 3: a dry run reports, a plan the guard blocks is held (unless it is the confirmed
  /// one), anything else is handed to the engine to apply.
  void hold_or_apply(const store::SyncRun& run, Reading& reading, VoiceSyncResult& result);

  store::MirrorStore& mirror_;
  upstream::VoiceClient& client_;
  const Clock& clock_;
  VoiceSyncOptions options_;
};

/// The cursor key of one agent's executions under one account.
std::string executions_cursor_key(const std::string& account_id, const std::string& agent_id);

}  // namespace tenantsync::sync
