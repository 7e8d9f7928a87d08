//! `maxmemory` and eviction, as Redis 7.0's `evict.c`.
//!
//! Before every command (see [`Engine::call`](crate::engine::Engine)) the
//! engine compares `used_memory` (running counters, see [`crate::info`])
//! with `maxmemory` and, while it is above, evicts one key at a time chosen
//! by `maxmemory-policy`:
//! - LRU, LFU and volatile-ttl fill an eviction pool of [`EVPOOL_SIZE`]
//!   candidates, sorted by "idle" score (idle time, 255 minus the decayed LFU
//!   counter, or the inverse of the expiry time), from `maxmemory-samples`
//!   keys sampled per db (all keys, or keys with a TTL for `volatile-*`);
//!   the best candidate still present is evicted. Idle times have 1/256 s
//!   resolution (Redis: 1 s). Unlike Redis, a candidate's
//!   score is refreshed before it is evicted: a key touched since it was
//!   sampled goes back into the pool with its new score instead of being
//!   evicted on stale data (that only makes choices better).
//! - The random policies evict a random key, visiting dbs in turn.
//!
//! Each eviction deletes the key without an `expired` event, counts in
//! `evicted_keys`, propagates `DEL key`, invalidates WATCH and fires the
//! `evicted` keyspace event; it wakes no blocked client (Redis's
//! `signalModifiedKey` only). When nothing can be evicted and memory stays
//! above the limit, commands flagged `denyoom` (and, inside MULTI, every
//! command but EXEC, DISCARD, QUIT and RESET; EXEC of a transaction holding a
//! `denyoom` command) get [`OOM_ERROR`] and change nothing.
//!
//! Everything is deterministic: time is the command's instant and every
//! random choice comes from the engine's seeded RNG.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::config::{notify, MaxmemoryPolicy};
use crate::engine::Engine;
use crate::error::Error;
use crate::keyspace::{lfu_decr_and_return, lru_stamp, Access, Entry};

/// Candidates the eviction pool keeps (Redis's `EVPOOL_SIZE`).
pub const EVPOOL_SIZE: usize = 16;

/// Redis's OOM error text (without the `-`).
pub const OOM_ERROR: &str = "OOM command not allowed when used memory > 'maxmemory'.";

/// One eviction candidate.
#[derive(Debug, Clone)]
struct Candidate {
    /// Higher = better to evict.
    idle: u64,
    db: usize,
    key: Box<[u8]>,
}

/// State that lives across evictions: the pool and the random policies'
/// db cursor (Redis keeps both as statics).
#[derive(Debug, Clone, Default)]
pub struct Evictor {
    /// Ascending by `idle`; at most [`EVPOOL_SIZE`].
    pool: Vec<Candidate>,
    next_db: usize,
}

impl Evictor {
    /// Inserts a candidate as `evictionPoolPopulate` does: ascending order;
    /// when the pool is full, a candidate worse than all is dropped, else the
    /// worst one makes room.
    fn insert(&mut self, c: Candidate) {
        let k = self.pool.iter().take_while(|p| p.idle < c.idle).count();
        if self.pool.len() >= EVPOOL_SIZE {
            if k == 0 {
                return;
            }
            self.pool.remove(0);
            self.pool.insert(k - 1, c);
        } else {
            self.pool.insert(k, c);
        }
    }
}

/// Idle time in ms of an LRU stamp ([`lru_stamp`]), at 1/256 s resolution
/// (Redis's `estimateObjectIdleTime` has 1 s). The stamp's 32 bits wrap with
/// Redis's 24-bit clock, so wrapping subtraction handles one wrap.
fn lru_idle_ms(lru: u32, now: u64) -> u64 {
    lru_stamp(now).wrapping_sub(lru) as u64 * 1000 / 256
}

/// The pool score of an entry under `policy` at `now` (higher = evict
/// first), as `evictionPoolPopulate` computes it.
fn score(policy: MaxmemoryPolicy, e: &Entry, now: u64, decay_time: u32) -> u64 {
    use MaxmemoryPolicy::*;
    match policy {
        AllKeysLfu | VolatileLfu => 255 - lfu_decr_and_return(e.lru, now, decay_time) as u64,
        VolatileTtl => u64::MAX - e.expire().unwrap_or(u64::MAX),
        _ => lru_idle_ms(e.lru, now),
    }
}

/// True for the policies that may evict any key (not only keys with a TTL).
fn all_keys(p: MaxmemoryPolicy) -> bool {
    matches!(p, MaxmemoryPolicy::AllKeysLru | MaxmemoryPolicy::AllKeysLfu | MaxmemoryPolicy::AllKeysRandom)
}

/// True for the LFU policies (lookups keep LFU counters).
pub fn is_lfu(p: MaxmemoryPolicy) -> bool {
    matches!(p, MaxmemoryPolicy::AllKeysLfu | MaxmemoryPolicy::VolatileLfu)
}

impl Engine {
    /// Refreshes every db's entry weights after a command (see
    /// [`crate::keyspace::Db::settle`]). O(keys looked up).
    pub(crate) fn settle_memory(&mut self) {
        for db in &mut self.dbs {
            if db.needs_settle() {
                db.settle();
            }
        }
    }

    /// Tells the dbs how lookups update access state, from
    /// `maxmemory-policy`, `lfu-log-factor` and `lfu-decay-time`. Called at
    /// start and after CONFIG SET.
    pub(crate) fn sync_access(&mut self) {
        let access = if is_lfu(self.config.maxmemory_policy) {
            Access::Lfu { log_factor: self.config.lfu_log_factor, decay_time: self.config.lfu_decay_time }
        } else {
            Access::Lru
        };
        for db in &mut self.dbs {
            db.set_access(access);
        }
    }

    /// After CONFIG SET: new access mode, and eviction right away when the
    /// limit went below what is used (Redis's `updateMaxmemory`).
    pub(crate) fn after_config_set(&mut self) {
        self.sync_access();
        self.refresh_obuf_limits();
        if self.config.maxmemory != 0 {
            let now = self.now_ms();
            self.perform_evictions(now);
        }
    }

    /// Redis's `performEvictions`: evicts keys while `used_memory` is above
    /// `maxmemory`. Returns false when memory is still above the limit
    /// (nothing, or nothing more, could be evicted).
    pub(crate) fn perform_evictions(&mut self, now: u64) -> bool {
        let max = self.config.maxmemory;
        if max == 0 {
            return true;
        }
        // CLIENT PAUSE: the dataset stands still; commands go on (Redis's
        // isSafeToPerformEvictions).
        if self.check_pause(now).is_some() {
            return true;
        }
        self.settle_memory();
        if self.used_memory() <= max {
            return true;
        }
        let policy = self.config.maxmemory_policy;
        if policy == MaxmemoryPolicy::NoEviction {
            return false;
        }
        while self.used_memory() > max {
            let Some((db, key)) = self.pick_victim(policy, now) else { return false };
            self.evict_key(db, &key);
        }
        true
    }

    /// The next key to evict under `policy`, or `None` when no key qualifies.
    fn pick_victim(&mut self, policy: MaxmemoryPolicy, now: u64) -> Option<(usize, Box<[u8]>)> {
        let allkeys = all_keys(policy);
        let ndb = self.dbs.len();
        if matches!(policy, MaxmemoryPolicy::AllKeysRandom | MaxmemoryPolicy::VolatileRandom) {
            for _ in 0..ndb {
                self.evictor.next_db = self.evictor.next_db.wrapping_add(1);
                let j = self.evictor.next_db % ndb;
                if let Some(k) = self.dbs[j].random_entry_key(!allkeys, &mut self.rng) {
                    return Some((j, k));
                }
            }
            return None;
        }
        let samples = self.config.maxmemory_samples.max(1) as usize;
        let decay = self.config.lfu_decay_time;
        loop {
            let mut total = 0usize;
            for i in 0..ndb {
                let db = &self.dbs[i];
                let n = if allkeys { db.len() } else { db.volatile_len() };
                if n == 0 {
                    continue;
                }
                total += n;
                let mut found: Vec<Candidate> = Vec::with_capacity(samples);
                db.sample(!allkeys, samples, &mut self.rng, |e| {
                    found.push(Candidate { idle: score(policy, e, now, decay), db: i, key: e.key.as_slice().into() });
                });
                for c in found {
                    self.evictor.insert(c);
                }
            }
            if total == 0 {
                return None;
            }
            while let Some(c) = self.evictor.pool.pop() {
                let Some(e) = self.dbs.get(c.db).and_then(|d| d.lookup_raw(&c.key)) else { continue };
                if !allkeys && e.expire().is_none() {
                    // A ghost: the key lost its TTL since it was sampled.
                    continue;
                }
                let fresh = score(policy, e, now, decay);
                if fresh < c.idle {
                    // Touched since sampled: re-rank it with its real score.
                    self.evictor.insert(Candidate { idle: fresh, ..c });
                    continue;
                }
                return Some((c.db, c.key));
            }
        }
    }

    /// Deletes an evicted key with everything Redis does around it.
    fn evict_key(&mut self, db: usize, key: &[u8]) {
        if self.dbs[db].remove_raw(key).is_none() {
            return;
        }
        self.stats.evicted_keys += 1;
        self.propagate(db, &[b"DEL", key]);
        // signalModifiedKey only (with no client): WATCH fails, trackers
        // are told, no blocked client is woken.
        let by = core::mem::replace(&mut self.cmd_client, 0);
        self.signal_modified(db, key);
        self.cmd_client = by;
        self.notify_keyspace_event(notify::EVICTED, "evicted", key, db);
    }

    /// The maxmemory gate of Redis's `processCommand`, run before a new
    /// command (not a blocked client's retry): evicts as needed, then says
    /// whether the command must be refused with [`OOM_ERROR`]. `name` is the
    /// command's full name, `flags` its flags.
    pub(crate) fn oom_gate(&mut self, id: crate::client::ClientId, name: &str, flags: u32, in_multi: bool, now: u64) -> Option<Error> {
        if self.config.maxmemory == 0 {
            self.pre_command_oom = false;
            return None;
        }
        // Invalidations of evicted keys go out before the command runs,
        // even to its own client (Redis flushes them right after evicting).
        self.evicting_before_command = true;
        let out_of_memory = !self.perform_evictions(now);
        self.evicting_before_command = false;
        self.pre_command_oom = out_of_memory;
        if !out_of_memory {
            return None;
        }
        let mut reject = flags & crate::cmd::flags::DENYOOM != 0;
        if name == "exec" {
            // EXEC is refused when its transaction holds a denyoom command.
            reject |= self.queued_flags(id) & crate::cmd::flags::DENYOOM != 0;
        }
        if in_multi && !matches!(name, "exec" | "discard" | "quit" | "reset") {
            reject = true;
        }
        reject.then(|| Error::msg(OOM_ERROR))
    }

    /// The union of the flags of a client's queued commands (Redis's
    /// `mstate.cmd_flags`).
    fn queued_flags(&self, id: crate::client::ClientId) -> u32 {
        let Some(m) = self.clients.get(&id).and_then(|c| c.multi.as_ref()) else { return 0 };
        let mut f = 0;
        for argv in &m.queue {
            let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
            if let Ok((c, _, _)) = self.table.resolve(&refs) {
                f |= c.flags;
            }
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyspace::{lfu_log_incr, LFU_INIT_VAL};

    fn cand(idle: u64) -> Candidate {
        Candidate { idle, db: 0, key: alloc::format!("k{idle}").into_bytes().into() }
    }

    #[test]
    fn pool_keeps_the_best_sixteen_in_order() {
        let mut ev = Evictor::default();
        for idle in [5, 1, 9, 3] {
            ev.insert(cand(idle));
        }
        assert_eq!(ev.pool.iter().map(|c| c.idle).collect::<Vec<_>>(), [1, 3, 5, 9]);
        for idle in 10..30 {
            ev.insert(cand(idle));
        }
        assert_eq!(ev.pool.len(), EVPOOL_SIZE);
        assert_eq!(ev.pool.first().map(|c| c.idle), Some(14));
        assert_eq!(ev.pool.last().map(|c| c.idle), Some(29));
        // Worse than everything in a full pool: dropped.
        ev.insert(cand(0));
        assert_eq!(ev.pool.first().map(|c| c.idle), Some(14));
        // In between: the worst makes room.
        ev.insert(cand(20));
        assert_eq!(ev.pool.first().map(|c| c.idle), Some(15));
        assert!(ev.pool.windows(2).all(|w| w[0].idle <= w[1].idle));
    }

    #[test]
    fn lfu_log_incr_probability() {
        assert_eq!(lfu_log_incr(255, 10, 0.0), 255);
        // At or below the initial value every hit counts.
        assert_eq!(lfu_log_incr(LFU_INIT_VAL, 10, 0.999), LFU_INIT_VAL + 1);
        assert_eq!(lfu_log_incr(2, 10, 0.999), 3);
        // p = 1 / ((counter - 5) * factor + 1).
        assert_eq!(lfu_log_incr(15, 10, 1.0 / 101.0 - 1e-9), 16);
        assert_eq!(lfu_log_incr(15, 10, 1.0 / 101.0 + 1e-9), 15);
        assert_eq!(lfu_log_incr(100, 0, 0.999), 101);
    }

    #[test]
    fn lru_idle_wraps() {
        assert_eq!(lru_idle_ms(lru_stamp(10_000), 15_000), 5_000);
        assert_eq!(lru_idle_ms(lru_stamp(10_000), 10_500), 500);
        // The clock wrapped since the access.
        let before_wrap = (crate::keyspace::LRU_CLOCK_MAX as u64 - 1) * 1000;
        assert_eq!(lru_idle_ms(lru_stamp(before_wrap), before_wrap + 3_000), 3_000);
    }
}
