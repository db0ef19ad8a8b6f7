#include "upstream/sleeper.hpp"

#include <thread>

namespace tenantsync::upstream {

void ThreadSleeper::sleep_for(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

}  // namespace tenantsync::upstream
