//! Time is an input. The engine reads its [`Clock`] once per command, so one
//! command sees one instant, and tests drive a [`ManualClock`] instead of
//! sleeping.

/// A source of wall-clock time in microseconds since the Unix epoch.
pub trait Clock {
    /// Current time, microseconds since the Unix epoch.
    fn now_micros(&self) -> u64;

    /// Blocks the caller for `micros` (used by `DEBUG SLEEP`). Clocks that
    /// cannot sleep advance themselves instead or do nothing.
    fn sleep_micros(&self, micros: u64) {
        let _ = micros;
    }
}

/// A clock the test or host sets by hand. Clones share the same time.
#[cfg(target_has_atomic = "64")]
#[derive(Clone, Debug, Default)]
pub struct ManualClock {
    us: alloc::sync::Arc<core::sync::atomic::AtomicU64>,
}

#[cfg(target_has_atomic = "64")]
impl ManualClock {
    /// A clock set to `ms` milliseconds since the epoch.
    pub fn new(ms: u64) -> Self {
        let c = ManualClock::default();
        c.set_ms(ms);
        c
    }

    /// Sets the time in milliseconds.
    pub fn set_ms(&self, ms: u64) {
        self.us.store(ms.saturating_mul(1000), core::sync::atomic::Ordering::Relaxed);
    }

    /// Moves the time forward by `ms` milliseconds.
    pub fn advance_ms(&self, ms: u64) {
        self.us.fetch_add(ms.saturating_mul(1000), core::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(target_has_atomic = "64")]
impl Clock for ManualClock {
    fn now_micros(&self) -> u64 {
        self.us.load(core::sync::atomic::Ordering::Relaxed)
    }

    /// Sleeping a manual clock advances it, so `DEBUG SLEEP` stays deterministic.
    fn sleep_micros(&self, micros: u64) {
        self.us.fetch_add(micros, core::sync::atomic::Ordering::Relaxed);
    }
}

/// The operating system's clock (feature `std`).
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

#[cfg(feature = "std")]
impl Clock for SystemClock {
    fn now_micros(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() as u64)
    }

    fn sleep_micros(&self, micros: u64) {
        std::thread::sleep(std::time::Duration::from_micros(micros));
    }
}
