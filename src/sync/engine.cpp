#include "sync/engine.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/time_format.hpp"

namespace tenantsync::sync {
namespace {

using Json = nlohmann::json;
constexpr auto kReplace = Json::error_handler_t::replace;

// Progress is published to the dashboard at most this often, and stored at most every
// kStoreProgressEvery: a 100k-record run must not write a row per page.
constexpr std::chrono::milliseconds kPublishProgressEvery{200};
constexpr std::chrono::milliseconds kStoreProgressEvery{1'000};
// Claims of one run (the first included) before it is failed as worker_lost for good.
constexpr int kMaxAttempts = 3;

Json progress_json(const RunProgress& p) {
  Json out{{"phase", p.phase},     {"resource", p.resource}, {"pages", p.pages},
           {"records", p.records}, {"planned", p.planned},   {"applied", p.applied}};
  if (!p.waiting_until.empty()) {
    out["waiting_until"] = p.waiting_until;
    out["waiting_reason"] = p.waiting_reason;
  }
  return out;
}

Json parse_or(const std::string& text, Json fallback) {
  auto parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? fallback : parsed;
}

// The run-level numbers the log line and run.finished carry: what each resource gained and lost.
int sum_of(const Json& counts, const char* field) {
  int n = 0;
  if (!counts.is_object()) return 0;
  for (const auto& [resource, c] : counts.items())
    if (c.is_object() && c.contains(field) && c[field].is_number_integer()) n += c[field].get<int>();
  return n;
}

// Renews the lease of a job while it runs, so other instances do not take it over; notes when
// the lease was lost (another instance's sweep decided we were dead) so the run stops.
class LeaseKeeper {
 public:
  LeaseKeeper(store::Store& store, const Clock& clock, const store::ClaimedJob& job, std::string owner,
              std::chrono::milliseconds lease)
      : thread_([this, &store, &clock, job, owner = std::move(owner), lease] {
          std::unique_lock lock(mutex_);
          while (!done_) {
            cv_.wait_for(lock, lease / 3);
            if (done_) break;
            const Status renewed =
                store.renew_lease(job.job_id, owner, lease.count(), to_epoch_ms(clock.now()));
            if (!renewed.ok() && renewed.error().code == "conflict") {
              lost_ = true;
              spdlog::warn("event=lease_lost run_id={} job_id={}", job.run_id, job.job_id);
              break;
            }
            // A busy database (e.g. this run's own long write on SQLite) is not a lost lease:
            // try again at the next beat.
            if (!renewed.ok())
              spdlog::warn("event=lease_renew_failed run_id={} code={}", job.run_id, renewed.error().code);
          }
        }) {}
  ~LeaseKeeper() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool lost() const { return lost_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

}  // namespace

bool is_terminal(const std::string& state) {
  return state == "succeeded" || state == "failed" || state == "held" || state == "cancelled";
}

SyncEngine::SyncEngine(store::Store& store, const Clock& clock, const crypto::SecretBox& secrets,
                       Connectors& connectors, EventBus& events, EngineOptions options)
    : store_(store),
      clock_(clock),
      secrets_(secrets),
      connectors_(connectors),
      events_(events),
      options_(std::move(options)) {}

SyncEngine::~SyncEngine() { stop(); }

void SyncEngine::start() {
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { worker_loop(); });
}

void SyncEngine::stop() {
  stopping_ = true;
  work_cv_.notify_all();
  for (auto& w : workers_) w.join();
  workers_.clear();
}

Result<store::RunTicket> SyncEngine::request(std::int64_t tenant_id, const std::string& target,
                                             const std::string& trigger, bool dry_run) {
  auto ticket = store_.request_run(tenant_id, target, trigger, dry_run, options_.run_deadline.count(),
                                   to_epoch_ms(clock_.now()));
  if (!ticket.ok()) return ticket;
  if (!ticket->joined) {
    spdlog::info("event=run_queued run_id={} tenant_id={} target={} trigger={} dry_run={}", ticket->run.id,
                 tenant_id, target, trigger, dry_run);
    events_.publish(tenant_id, "run.queued",
                    Json{{"run_id", ticket->run.id}, {"target", target}, {"trigger", trigger}}.dump());
    wake_worker();
  }
  return ticket;
}

Result<store::SyncRun> SyncEngine::confirm(std::int64_t tenant_id, std::int64_t run_id,
                                           const std::string& plan_id) {
  auto run = store_.confirm_held_run(tenant_id, run_id, plan_id, to_epoch_ms(clock_.now()));
  if (run.ok()) wake_worker();
  return run;
}

Result<store::SyncRun> SyncEngine::wait(std::int64_t tenant_id, std::int64_t run_id,
                                        std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto run = store_.find_run(tenant_id, run_id);
    if (!run.ok()) return run.error();
    if (!run->has_value()) return make_error("not_found", "No such run.");
    if (is_terminal((*run)->state) || std::chrono::steady_clock::now() >= deadline) return **run;
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

std::optional<std::int64_t> SyncEngine::on_login(std::int64_t tenant_id) {
  auto settings = store_.get_settings(tenant_id);
  if (!settings.ok() || settings->voice_api_key_cipher.empty()) return std::nullopt;
  auto last = store_.latest_run(tenant_id, kVoiceTarget);
  if (!last.ok()) return std::nullopt;
  if (last->has_value()) {
    const auto& run = **last;
    if (!is_terminal(run.state)) return run.id;  // one is already on its way
    const std::int64_t ended = run.finished_at_ms.value_or(run.created_at_ms);
    if (to_epoch_ms(clock_.now()) - ended < options_.sync_on_login_after.count()) return std::nullopt;
  }
  auto ticket = request(tenant_id, kVoiceTarget, "login");
  if (!ticket.ok()) {
    spdlog::warn("event=login_sync_failed tenant_id={} code={} message=\"{}\"", tenant_id,
                 ticket.error().code, ticket.error().message);
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

bool SyncEngine::run_one() {
  if (std::chrono::steady_clock::now() - last_sweep_ >= options_.sweep_interval) sweep();
  auto job = store_.claim_job(options_.instance_id, options_.lease.count(), to_epoch_ms(clock_.now()));
  if (!job.ok()) {
    spdlog::error("event=claim_failed code={} message=\"{}\"", job.error().code, job.error().message);
    return false;
  }
  if (!job->has_value()) return false;
  execute(**job);
  return true;
}

void SyncEngine::sweep() {
  last_sweep_ = std::chrono::steady_clock::now();
  auto ended = store_.sweep_expired_runs(to_epoch_ms(clock_.now()));
  if (!ended.ok()) {
    spdlog::error("event=sweep_failed message=\"{}\"", ended.error().message);
    return;
  }
  for (const auto& r : *ended) {
    spdlog::warn("event=run_expired run_id={} tenant_id={} target={} code={}", r.run_id, r.tenant_id,
                 r.target, r.error_code);
    events_.publish(
        r.tenant_id, "run.finished",
        Json{{"run_id", r.run_id}, {"target", r.target}, {"state", "failed"}, {"error", r.error_code}}
            .dump());
  }
  if (!ended->empty()) work_cv_.notify_all();
}

void SyncEngine::execute(const store::ClaimedJob& job) {
  const std::int64_t started_ms = to_epoch_ms(clock_.now());
  auto found = store_.find_run(job.tenant_id, job.run_id);
  if (!found.ok() || !found->has_value()) {
    spdlog::error("event=run_missing run_id={} job_id={}", job.run_id, job.job_id);
    return;
  }
  const store::SyncRun run = **found;
  if (job.attempts > kMaxAttempts) {
    // A run that keeps taking its workers down is not tried forever.
    store::RunOutcome gave_up;
    gave_up.state = "failed";
    gave_up.error_code = "worker_lost";
    gave_up.error_message = "Sync failed: the run stopped its worker " + std::to_string(job.attempts - 1) +
                            " times and was given up. Nothing was changed.";
    (void)store_.finish_run(run.id, gave_up, started_ms);
    finished(run, gave_up, started_ms);
    return;
  }
  events_.publish(run.tenant_id, "run.started",
                  Json{{"run_id", run.id}, {"target", run.target}, {"trigger", run.trigger}}.dump());

  LeaseKeeper lease(store_, clock_, job, options_.instance_id, options_.lease);
  auto last_publish = std::chrono::steady_clock::time_point{};
  auto last_store = std::chrono::steady_clock::now();
  std::string last_phase;
  ProgressFn progress = [&](const RunProgress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_publish < kPublishProgressEvery && p.waiting_until.empty() && p.phase == last_phase)
      return;
    last_publish = now;
    Json data = progress_json(p);
    data["run_id"] = run.id;
    data["target"] = run.target;
    events_.publish(run.tenant_id, "run.progress", data.dump(-1, ' ', false, kReplace));
    // A new phase is always stored, so the run history never shows a stale one.
    if (now - last_store >= kStoreProgressEvery || p.phase != last_phase) {
      last_store = now;
      last_phase = p.phase;
      (void)store_.update_run_progress(run.id, progress_json(p).dump(-1, ' ', false, kReplace),
                                       to_epoch_ms(clock_.now()));
    }
  };
  StopFn should_stop = [&] { return stopping_.load() || lease.lost(); };

  bool applied = false;
  store::RunOutcome outcome;
  try {
    if (run.target == kVoiceTarget) {
      outcome = execute_voice(run, progress, should_stop, applied);
    } else if (run.target.starts_with("crm:")) {
      outcome = execute_crm(run, progress, should_stop);
    } else {
      outcome.state = "failed";
      outcome.error_code = "unknown_target";
      outcome.error_message = "Sync failed: this kind of sync is not known to this version of tenantsync.";
    }
  } catch (const std::exception& e) {
    outcome = {};
    outcome.state = "failed";
    outcome.error_code = "internal_error";
    outcome.error_message = std::string("Sync failed: an internal error stopped the run (") + e.what() + ").";
    spdlog::error("event=run_crashed run_id={} message=\"{}\"", run.id, e.what());
  }
  if (lease.lost()) return;  // another instance owns the run now
  if (!applied) {
    if (auto s = store_.finish_run(run.id, outcome, to_epoch_ms(clock_.now())); !s.ok())
      spdlog::error("event=finish_failed run_id={} message=\"{}\"", run.id, s.error().message);
  }
  finished(run, outcome, started_ms);
}

store::RunOutcome SyncEngine::execute_voice(const store::SyncRun& run, const ProgressFn& progress,
                                            const StopFn& stop, bool& applied) {
  store::RunOutcome outcome;
  outcome.state = "failed";
  auto settings = store_.get_settings(run.tenant_id);
  if (!settings.ok()) {
    outcome.error_code = settings.error().code;
    outcome.error_message = "Sync failed: " + settings.error().message;
    return outcome;
  }
  if (settings->voice_api_key_cipher.empty()) {
    outcome.error_code = kErrNoApiKey;
    outcome.error_message = "Sync failed: no voice API key is saved. Add one in Settings.";
    return outcome;
  }
  auto key = secrets_.open(settings->voice_api_key_cipher);
  if (!key.ok()) {
    outcome.error_code = key.error().code;
    outcome.error_message =
        "Sync failed: the saved API key cannot be decrypted with this server's secret key. "
        "Save the key again in Settings.";
    return outcome;
  }
  RunProgress waiting;
  auto client =
      connectors_.voice(VoiceEndpoint{settings->voice_base_url.empty() ? connectors_.default_voice_base_url()
                                                                       : settings->voice_base_url,
                                      *key},
                        [&](TimePoint until, const std::string& reason) {
                          waiting.phase = "waiting";
                          waiting.waiting_until = format_iso8601(until);
                          waiting.waiting_reason = reason;
                          progress(waiting);
                        });
  VoiceSync sync(store_, *client, clock_, options_.voice);
  VoiceSyncResult result = sync.run(run, progress, stop);
  if (!result.apply) return result.outcome;
  if (stop()) {
    outcome.error_code = kErrInterrupted;
    outcome.error_message =
        "Sync failed: the service stopped before the changes were written. Nothing was changed.";
    return outcome;
  }
  RunProgress applying;
  applying.phase = "applying";
  progress(applying);
  auto written = store_.apply_voice_plans(run.tenant_id, run.id, result.plans, result.fully_listed,
                                          result.cursors, result.outcome, to_epoch_ms(clock_.now()));
  if (!written.ok()) {
    outcome.error_code = written.error().code;
    outcome.error_message =
        "Sync failed: the changes could not be saved (" + written.error().message + "). Nothing was changed.";
    return outcome;
  }
  applied = true;
  return result.outcome;
}

store::RunOutcome SyncEngine::execute_crm(const store::SyncRun& run, const ProgressFn& progress,
                                          const StopFn& stop) {
  store::RunOutcome outcome;
  outcome.state = "failed";
  std::int64_t connection_id = 0;
  try {
    connection_id = std::stoll(run.target.substr(4));
  } catch (const std::exception&) {
  }
  auto found = store_.find_crm_connection(run.tenant_id, connection_id);
  if (!found.ok() || !found->has_value() || !(*found)->active) {
    outcome.error_code = "connection_inactive";
    outcome.error_message = "Sync failed: the CRM connection was removed.";
    return outcome;
  }
  const store::CrmConnection connection = **found;
  const std::int64_t now = to_epoch_ms(clock_.now());
  auto tenant = store_.find_tenant(run.tenant_id);
  const std::string region = tenant.ok() && tenant->has_value() ? (*tenant)->default_region : "US";

  std::string credentials;
  if (!connection.credentials_cipher.empty()) {
    auto opened = secrets_.open(connection.credentials_cipher);
    if (!opened.ok()) {
      outcome.error_code = "needs_reauth";
      outcome.error_message =
          "Sync failed: the stored CRM credentials cannot be decrypted. Reconnect your CRM.";
    } else {
      credentials = *opened;
    }
  }
  // Outlives the session, whose retrying transport reports its waits into it.
  RunProgress waiting;
  std::unique_ptr<CrmSession> session;
  if (outcome.error_code.empty()) {
    auto made = connectors_.crm(connection, credentials, [&](TimePoint until, const std::string& reason) {
      waiting.phase = "waiting";
      waiting.waiting_until = format_iso8601(until);
      waiting.waiting_reason = reason;
      progress(waiting);
    });
    if (!made.ok()) {
      outcome.error_code = made.error().code;
      outcome.error_message = "Sync failed: " + made.error().message;
    } else {
      session = std::move(made).value();
    }
  }
  store::CrmConnection record = connection;
  if (session) {
    (void)store_.set_crm_state(run.tenant_id, connection.id, "syncing", "", std::nullopt, now);
    CrmSync crm(store_, session->client(), clock_, events_, options_.crm);
    CrmSyncResult result = crm.run(run, connection, region, progress, stop);
    outcome = result.outcome;
    record.last_sync_created = result.created;
    record.last_sync_updated = result.updated;
    record.last_sync_unchanged = result.unchanged;
    if (const std::string rotated = session->updated_credentials_json(); !rotated.empty())
      (void)store_.set_crm_credentials(run.tenant_id, connection.id, secrets_.seal(rotated),
                                       to_epoch_ms(clock_.now()));
  }
  // The connection's state says what a person should do next.
  record.rate_limited_until_ms.reset();  // set again below only while it applies
  record.last_sync_error = outcome.state == "succeeded" ? "" : outcome.error_message;
  if (outcome.state == "succeeded") {
    record.state = "connected";
    record.state_message = "";
  } else if (outcome.error_code == "needs_reauth" || outcome.error_code == "key_rejected") {
    record.state = "needs_reauth";
    record.state_message = "Reconnect your CRM: the credentials were refused.";
  } else if (outcome.error_code == "rate_limited") {
    record.state = "rate_limited";
    record.state_message = outcome.error_message;
    const std::int64_t until = session ? session->rate_limited_until_ms() : 0;
    record.rate_limited_until_ms = until > 0 ? until : to_epoch_ms(clock_.now()) + 60'000;
  } else {
    record.state = "error";
    record.state_message = outcome.error_message;
  }
  record.next_sync_at_ms = options_.next_crm_sync ? options_.next_crm_sync() : std::nullopt;
  if (auto s = store_.record_crm_sync(record, to_epoch_ms(clock_.now())); !s.ok())
    spdlog::error("event=crm_record_failed connection_id={} message=\"{}\"", connection.id,
                  s.error().message);
  return outcome;
}

void SyncEngine::finished(const store::SyncRun& run, const store::RunOutcome& outcome,
                          std::int64_t started_ms) {
  const Json counts = parse_or(outcome.counts_json, Json::object());
  const std::int64_t ms = to_epoch_ms(clock_.now()) - started_ms;
  spdlog::info(
      "event=run_finished run_id={} tenant_id={} target={} trigger={} state={} dry_run={} ms={} created={} "
      "updated={} "
      "archived={} restored={} unchanged={} error={}",
      run.id, run.tenant_id, run.target, run.trigger, outcome.state, run.dry_run, ms,
      sum_of(counts, "created"), sum_of(counts, "updated"), sum_of(counts, "archived"),
      sum_of(counts, "restored"), sum_of(counts, "unchanged"),
      outcome.error_code.empty() ? "-" : outcome.error_code);
  Json data{{"run_id", run.id}, {"target", run.target}, {"state", outcome.state}, {"counts", counts}};
  data["error"] = outcome.error_code.empty()
                      ? Json(nullptr)
                      : Json{{"code", outcome.error_code}, {"message", outcome.error_message}};
  events_.publish(run.tenant_id, "run.finished", data.dump(-1, ' ', false, kReplace));
  publish_summary(run.tenant_id);
  // Waiters also poll (runs of other instances), so a notify racing their check only costs 250 ms.
  finished_cv_.notify_all();
}

void SyncEngine::publish_summary(std::int64_t tenant_id) {
  auto counts = store_.count_mirror(tenant_id);
  if (!counts.ok()) return;
  events_.publish(tenant_id, "summary",
                  Json{{"counts",
                        {{"agents", counts->agents},
                         {"phone_numbers", counts->phone_numbers},
                         {"campaigns", counts->campaigns},
                         {"executions", counts->executions},
                         {"leads", counts->leads}}}}
                      .dump());
}

}  // namespace tenantsync::sync
