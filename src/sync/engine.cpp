#include "sync/engine.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <spdlog/spdlog.h>

#include "sync/lease_keeper.hpp"
#include "sync/progress_reporter.hpp"
#include "sync/run_report.hpp"

namespace tenantsync::sync {
namespace {

// Claims of one run (the first included) before it is failed as worker_lost for good.
constexpr int kMaxAttempts = 3;

}  // namespace

SyncEngine::SyncEngine(const SyncStores& stores, const Clock& clock, const crypto::SecretBox& secrets,
                       Connectors& connectors, EventBus& events, EngineOptions options)
    : stores_(stores),
      clock_(clock),
      run_events_(events),
      options_(std::move(options)),
      voice_(stores.settings, stores.mirror, secrets, connectors, clock, options_.voice),
      crm_(stores.crm, stores.leads, stores.settings, secrets, connectors, clock, events, options_.crm,
           options_.next_crm_sync) {}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start() {
  // Leases under this instance's name are from its previous life (a crash or kill -9 before this
  // start): end them now, so the first sweep requeues those runs instead of waiting out the lease.
  // The default name (host and process id) comes back only with the same host and pid (a
  // restarted container); a stable TENANTSYNC_INSTANCE_ID makes every restart find its leases.
  if (auto ended = stores_.queue.expire_leases_of(options_.instance_id, clock_.now()); !ended.ok()) {
    spdlog::warn("event=expire_own_leases_failed message=\"{}\"", ended.error().message);
  } else if (*ended > 0) {
    spdlog::warn("event=own_leases_expired instance_id={} jobs={}", options_.instance_id, *ended);
  }
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
  sweeper_ = std::thread([this] { sweep_loop(); });
}

void SyncEngine::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  sweep_cv_.notify_all();
  finished_cv_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
  if (sweeper_.joinable()) sweeper_.join();
}

Result<store::RunTicket> SyncEngine::request(TenantId tenant_id, core::RunTarget target, core::RunTrigger trigger,
                                             bool dry_run) {
  auto ticket = stores_.queue.request_run(tenant_id, target, trigger, dry_run, options_.run_deadline,
                                          clock_.now(), options_.tenant_max_active_runs);
  if (!ticket.ok()) return ticket;
  if (!ticket->joined) {
    spdlog::info("event=run_queued run_id={} tenant_id={} target={} trigger={} dry_run={}", ticket->run.id,
                 tenant_id, target.to_string(), core::to_string(trigger), dry_run);
    run_events_.queued(tenant_id, ticket->run.id, target, trigger);
    wake_worker();
  }
  return ticket;
}

Result<store::SyncRun> SyncEngine::confirm(TenantId tenant_id, RunId run_id,
                                           const std::string& plan_id) {
  auto run = stores_.history.confirm_held_run(tenant_id, run_id, plan_id, clock_.now());
  if (run.ok()) wake_worker();
  return run;
}

Result<store::SyncRun> SyncEngine::wait(TenantId tenant_id, RunId run_id,
                                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto run = stores_.history.find_run(tenant_id, run_id);
    if (!run.ok()) return run.error();
    if (!run->has_value()) return make_error(core::ErrorCode::not_found, "No such run.");
    if (core::is_terminal((*run)->state) || std::chrono::steady_clock::now() >= deadline || stopping_)
      return **run;
    // Runs of this instance wake us at once; runs of other instances are seen by polling.
    std::unique_lock lock(mutex_);
    finished_cv_.wait_until(
        lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(250)));
  }
}

void SyncEngine::wake_worker() {
  {
    std::lock_guard lock(mutex_);
    ++work_waiting_;
  }
  work_cv_.notify_one();
}

std::optional<RunId> SyncEngine::on_login(TenantId tenant_id) {
  auto settings = stores_.settings.get_settings(tenant_id);
  if (!settings.ok() || settings->voice_api_key_cipher.empty()) return std::nullopt;
  auto last = stores_.history.latest_run(tenant_id, core::RunTarget::voice());
  if (!last.ok()) return std::nullopt;
  if (last->has_value()) {
    const auto& run = **last;
    if (!core::is_terminal(run.state)) return run.id;  // one is already on its way
    const std::int64_t ended = run.finished_at_ms.value_or(run.created_at_ms);
    if (to_epoch_ms(clock_.now()) - ended < options_.sync_on_login_after.count()) return std::nullopt;
  }
  auto ticket = request(tenant_id, core::RunTarget::voice(), core::RunTrigger::login);
  if (!ticket.ok()) {
    spdlog::warn("event=login_sync_failed tenant_id={} code={} message=\"{}\"", tenant_id,
                 core::to_string(ticket.error().code), ticket.error().message);
    return std::nullopt;
  }
  return ticket->run.id;
}

void SyncEngine::worker_loop() {
  while (!stopping_) {
    bool worked = false;
    try {
      worked = run_one();
    } catch (const std::exception& e) {
      spdlog::error("event=worker_error message=\"{}\"", e.what());
    }
    if (worked) continue;
    std::unique_lock lock(mutex_);
    work_cv_.wait_for(lock, options_.poll_interval, [this] { return stopping_.load() || work_waiting_ > 0; });
    if (work_waiting_ > 0) --work_waiting_;
  }
}

void SyncEngine::sweep_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    sweep_cv_.wait_for(lock, options_.sweep_interval, [this] { return stopping_.load(); });
    if (stopping_) break;
    lock.unlock();
    try {
      sweep();
    } catch (const std::exception& e) {
      spdlog::error("event=sweep_error message=\"{}\"", e.what());
    }
    lock.lock();
  }
}

bool SyncEngine::run_one() {
  sweep();
  auto job = stores_.queue.claim_job(options_.instance_id, options_.lease, clock_.now(),
                                     options_.tenant_concurrency);
  if (!job.ok()) {
    spdlog::error("event=claim_failed code={} message=\"{}\"", core::to_string(job.error().code),
                  job.error().message);
    return false;
  }
  if (!job->has_value()) return false;
  execute(**job);
  release_freed_memory();
  return true;
}

void SyncEngine::release_freed_memory() {
#if defined(__GLIBC__)
  // A large run frees what it allocated, but glibc keeps freed pages in its arenas (one per
  // worker thread), so the process's resident memory would stay at the largest run's high-water
  // mark. Handing them back after each run keeps an idle server's memory flat in the size of
  // the accounts it has synced. A few milliseconds, after the run's answer has gone out.
  malloc_trim(0);
#endif
}

void SyncEngine::sweep() {
  // The sweeper thread sweeps on time; a worker that finds no work also sweeps when it is due.
  std::unique_lock guard(sweep_mutex_, std::try_to_lock);
  if (!guard.owns_lock() || std::chrono::steady_clock::now() - last_sweep_ < options_.sweep_interval) return;
  last_sweep_ = std::chrono::steady_clock::now();
  store::HeldLeases held{options_.instance_id, {}, options_.lease};
  {
    std::lock_guard lock(live_jobs_mutex_);
    held.job_ids = live_jobs_;
  }
  auto ended = stores_.queue.sweep_expired_runs(clock_.now(), held);
  if (!ended.ok()) {
    spdlog::error("event=sweep_failed message=\"{}\"", ended.error().message);
    return;
  }
  for (const auto& r : *ended) {
    spdlog::warn("event=run_expired run_id={} tenant_id={} target={} code={}", r.run_id, r.tenant_id,
                 r.target.to_string(), core::to_string(r.error_code));
    run_events_.expired(r);
  }
  if (!ended->empty()) work_cv_.notify_all();
}

void SyncEngine::execute(const store::ClaimedJob& job) {
  const std::int64_t started_ms = to_epoch_ms(clock_.now());
  auto found = stores_.history.find_run(job.tenant_id, job.run_id);
  if (!found.ok() || !found->has_value()) {
    spdlog::error("event=run_missing run_id={} job_id={}", job.run_id, job.job_id);
    return;
  }
  const store::SyncRun run = **found;
  if (job.attempts > kMaxAttempts) return give_up(run, job, started_ms);
  run_events_.started(run);

  LeaseKeeper lease(stores_.queue, clock_, job, options_.instance_id, options_.lease);
  const LiveJob live(*this, job.job_id);
  ProgressReporter reporter(run, run_events_, stores_.queue, clock_);
  const ProgressFn progress = reporter.as_function();
  // Past its deadline a run stops at its next page; the sweeper fails it in the store meanwhile
  // (its renewals are then refused, so a run stuck inside one call cannot outlive it for long).
  const auto deadline = run.deadline_at_ms ? from_epoch_ms(*run.deadline_at_ms) : TimePoint::max();
  const auto overdue = [&] { return clock_.now() >= deadline; };
  const StopFn should_stop = [&] { return stopping_.load() || lease.lost() || overdue(); };
  // Every write of the run carries the lease, so the store refuses it once the lease is lost
  // (LeaseKeeper notices that only at its next renewal).
  const store::LeaseHold hold{job.job_id, options_.instance_id};
  Executed executed = execute_target(run, hold, progress, should_stop);
  // Another instance owns the run now: its renewal was refused, or the store refused a write
  // because the lease had expired or moved (worker_lost). The sweep and the new owner end it.
  if (lease.lost() || executed.outcome.error_code == core::ErrorCode::worker_lost) {
    spdlog::warn("event=run_left run_id={} job_id={} reason=lease_lost written={}", run.id, job.job_id,
                 executed.written);
    return;
  }
  if (overdue() && !executed.written && executed.outcome.state == core::RunState::failed) {
    executed.outcome = failed_outcome(make_error(core::ErrorCode::deadline_exceeded,
                                                 "the run took longer than its deadline and was stopped"));
  }
  if (!executed.written) {
    if (auto s = record_outcome(run.id, executed.outcome); !s.ok()) {
      // The sweeper ended an overdue run first and announced it: nothing more to say.
      if (overdue() && s.error().is(core::ErrorCode::conflict)) return;
      spdlog::error("event=finish_failed run_id={} message=\"{}\"", run.id, s.error().message);
    }
  }
  finished(run, executed.outcome, started_ms);
}

SyncEngine::LiveJob::LiveJob(SyncEngine& engine, JobId job_id) : engine_(engine), job_id_(job_id) {
  std::lock_guard lock(engine_.live_jobs_mutex_);
  engine_.live_jobs_.push_back(job_id_);
}

SyncEngine::LiveJob::~LiveJob() {
  std::lock_guard lock(engine_.live_jobs_mutex_);
  std::erase(engine_.live_jobs_, job_id_);
}

Status SyncEngine::record_outcome(RunId run_id, const store::RunOutcome& outcome) {
  // A run that failed because the database did (locked, full, connection lost) needs the database
  // once more to say so. Tried again for a while, so the run ends with its own reason rather than
  // staying "running" until its lease expires and the sweep calls it worker_lost.
  const auto give_up_at = std::chrono::steady_clock::now() + options_.lease / 2;
  for (std::chrono::milliseconds pause{50};; pause = std::min(pause * 2, std::chrono::milliseconds{1000})) {
    Status s = stores_.queue.finish_run(run_id, outcome, clock_.now());
    const bool transient =
        !s.ok() &&
        (s.error().is(core::ErrorCode::store_busy) || s.error().is(core::ErrorCode::store_unavailable) ||
         s.error().is(core::ErrorCode::store_full) || s.error().is(core::ErrorCode::db_error));
    if (!transient || std::chrono::steady_clock::now() + pause >= give_up_at || stopping_) return s;
    std::this_thread::sleep_for(pause);
  }
}

void SyncEngine::give_up(const store::SyncRun& run, const store::ClaimedJob& job, std::int64_t started_ms) {
  // A run that keeps taking its workers down is not tried forever.
  const store::RunOutcome gave_up = failed_outcome(
      make_error(core::ErrorCode::worker_lost, "Sync failed: the run stopped its worker " +
                                                   std::to_string(job.attempts - 1) +
                                                   " times and was given up. Nothing was changed."));
  (void)stores_.queue.finish_run(run.id, gave_up, from_epoch_ms(started_ms));
  finished(run, gave_up, started_ms);
}

Executed SyncEngine::execute_target(const store::SyncRun& run, const store::LeaseHold& lease,
                                    const ProgressFn& progress, const StopFn& stop) {
  try {
    if (run.target.is_voice()) return voice_.execute(run, lease, progress, stop);
    return {crm_.execute(run, lease, progress, stop)};
  } catch (const std::exception& e) {
    spdlog::error("event=run_crashed run_id={} message=\"{}\"", run.id, e.what());
    return {failed_outcome(
        make_error(core::ErrorCode::internal_error,
                   std::string("Sync failed: an internal error stopped the run (") + e.what() + ")."))};
  }
}

void SyncEngine::finished(const store::SyncRun& run, const store::RunOutcome& outcome,
                          std::int64_t started_ms) {
  const core::PlanCounts totals = totals_of(outcome.counts_json);
  const std::int64_t ms = to_epoch_ms(clock_.now()) - started_ms;
  spdlog::info(
      "event=run_finished run_id={} tenant_id={} target={} trigger={} state={} dry_run={} ms={} created={} "
      "updated={} archived={} restored={} unchanged={} error={}",
      run.id, run.tenant_id, run.target.to_string(), core::to_string(run.trigger),
      core::to_string(outcome.state), run.dry_run, ms, totals.created, totals.updated, totals.archived,
      totals.restored, totals.unchanged, outcome.error_code ? core::to_string(*outcome.error_code) : "-");
  run_events_.finished(run, outcome);
  publish_summary(run.tenant_id);
  // Waiters also poll (runs of other instances), so a notify racing their check only costs 250 ms.
  finished_cv_.notify_all();
}

void SyncEngine::publish_summary(TenantId tenant_id) {
  auto counts = stores_.mirror.count_mirror(tenant_id);
  if (counts.ok()) run_events_.summary(tenant_id, *counts);
}

}  // namespace tenantsync::sync
