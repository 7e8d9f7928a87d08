//! The keyspace: one [`Db`] per logical database.
//!
//! This is the one place that looks keys up, so lazy expiry lives here and
//! nowhere else: every read or write lookup first deletes the key if its
//! absolute expiry time (ms) is at or before the command's instant.
//!
//! Lazy and active expiry, key creation and read misses happen here, below
//! any command context, so the db records them as events (only the classes
//! the engine asked for with [`Db::record_events`]); the engine drains them
//! in order into keyspace notifications and WATCH invalidations.
//!
//! Invariants:
//! - `Entry::expire == 0` means no expiry; otherwise it is an absolute Unix
//!   time in milliseconds, and the entry's slot is listed in `volatile` at
//!   position `Entry::vpos` (`NO_VPOS` when not volatile).
//! - Containers stored here are never empty; commands delete emptied keys.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::bytes::SmallBytes;
use crate::dict::{Dict, Keyed};
use crate::rng::Rng;
use crate::types::Value;

const NO_VPOS: u32 = u32::MAX;

/// Redis's LRU clock resolution: 1 second, 24 bits.
pub const LRU_CLOCK_MAX: u32 = (1 << 24) - 1;

/// The LRU clock for `now_ms`, as Redis computes it.
pub fn lru_clock(now_ms: u64) -> u32 {
    ((now_ms / 1000) & LRU_CLOCK_MAX as u64) as u32
}

/// A key and its value, with expiry and access metadata.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key (inline when short).
    pub key: SmallBytes,
    /// The value.
    pub value: Value,
    /// Absolute expiry in Unix milliseconds; 0 = persistent.
    expire: u64,
    /// LRU clock of the last access (OBJECT IDLETIME) or, later, LFU data.
    pub lru: u32,
    vpos: u32,
}

impl Entry {
    /// Absolute expiry time in ms, if any.
    pub fn expire(&self) -> Option<u64> {
        (self.expire != 0).then_some(self.expire)
    }
}

impl Keyed for Entry {
    fn key(&self) -> &[u8] {
        &self.key
    }
}

/// Counters a db keeps for INFO.
#[derive(Debug, Clone, Default)]
pub struct DbStats {
    /// Keys removed because they expired (lazily or actively).
    pub expired_keys: u64,
    /// Read lookups that found the key.
    pub hits: u64,
    /// Read lookups that did not.
    pub misses: u64,
}

/// One logical database.
#[derive(Debug, Clone)]
pub struct Db {
    dict: Dict<Entry>,
    volatile: Vec<u32>,
    /// Counters for INFO.
    pub stats: DbStats,
    /// Keyspace events (class, key) this db recorded for the engine, oldest
    /// first: expiries, key creations and read misses happen here, below any
    /// command context. See [`Db::record_events`].
    events: Vec<(u32, Box<[u8]>)>,
    /// The [`crate::config::notify`] classes to record (`EXPIRED`, `NEW`,
    /// `KEY_MISS`); 0 records nothing.
    record: u32,
}

impl Db {
    /// An empty database hashing with `seed`.
    pub fn new(seed: u64) -> Self {
        Db { dict: Dict::with_seed(seed), volatile: Vec::new(), stats: DbStats::default(), events: Vec::new(), record: 0 }
    }

    /// Chooses which keyspace events the db records from now on:
    /// [`crate::config::notify`] `EXPIRED` (lazy and active expiry), `NEW`
    /// (a key is created) and `KEY_MISS` (a read lookup misses). The engine
    /// drains them with [`Db::take_events`] after each step and turns them
    /// into notifications and WATCH invalidations, in order.
    pub fn record_events(&mut self, classes: u32) {
        use crate::config::notify::{EXPIRED, KEY_MISS, NEW};
        self.record = classes & (EXPIRED | NEW | KEY_MISS);
    }

    /// The event classes the db records (see [`Db::record_events`]).
    pub fn recorded_events(&self) -> u32 {
        self.record
    }

    /// True when events wait in [`Db::take_events`].
    #[inline]
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The recorded events, oldest first, leaving none.
    pub fn take_events(&mut self) -> Vec<(u32, Box<[u8]>)> {
        core::mem::take(&mut self.events)
    }

    #[inline]
    fn record(&mut self, class: u32, key: &[u8]) {
        if self.record & class != 0 {
            self.events.push((class, key.into()));
        }
    }

    /// Counts a read lookup that found nothing and records its `keymiss`
    /// event: for read paths that look keys up without [`Db::read`] (Redis's
    /// `LOOKUP_NOTOUCH` reads).
    pub fn note_miss(&mut self, key: &[u8]) {
        self.stats.misses += 1;
        self.record(crate::config::notify::KEY_MISS, key);
    }

    /// The entry stored under `key`, expired or not, touching nothing (Redis's
    /// raw `dictFind`, for WATCH bookkeeping).
    pub fn lookup_raw(&self, key: &[u8]) -> Option<&Entry> {
        self.dict.get(key)
    }

    /// Number of keys (expired but not yet reclaimed keys included, as DBSIZE).
    pub fn len(&self) -> usize {
        self.dict.len()
    }

    /// True when the db has no keys.
    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    /// Number of keys with an expiry.
    pub fn volatile_len(&self) -> usize {
        self.volatile.len()
    }

    /// Deletes the key in slot `i` if it is expired at `now`; true if it was.
    fn expire_slot_if_needed(&mut self, i: u32, now: u64) -> bool {
        // Redis's keyIsExpired: expired only once `now > when`.
        let expired = self.dict.slot(i).is_some_and(|e| e.expire != 0 && e.expire < now);
        if expired {
            if let Some(e) = self.remove_slot(i) {
                self.record(crate::config::notify::EXPIRED, &e.key);
            }
            self.stats.expired_keys += 1;
        }
        expired
    }

    /// Slot of a live key; lazily expires it first.
    fn live_slot(&mut self, key: &[u8], now: u64) -> Option<u32> {
        let i = self.dict.find(key)?;
        if self.expire_slot_if_needed(i, now) {
            return None;
        }
        Some(i)
    }

    /// Read lookup: counts a hit or miss and updates the access time.
    pub fn read(&mut self, key: &[u8], now: u64) -> Option<&mut Entry> {
        match self.live_slot(key, now) {
            Some(i) => {
                self.stats.hits += 1;
                let e = self.dict.slot_mut(i)?;
                e.lru = lru_clock(now);
                Some(e)
            }
            None => {
                self.stats.misses += 1;
                self.record(crate::config::notify::KEY_MISS, key);
                None
            }
        }
    }

    /// Write lookup: updates the access time, counts nothing.
    pub fn write(&mut self, key: &[u8], now: u64) -> Option<&mut Entry> {
        let i = self.live_slot(key, now)?;
        let e = self.dict.slot_mut(i)?;
        e.lru = lru_clock(now);
        Some(e)
    }

    /// Lookup that touches nothing but lazy expiry (OBJECT, TYPE-free peeks).
    pub fn peek(&mut self, key: &[u8], now: u64) -> Option<&mut Entry> {
        let i = self.live_slot(key, now)?;
        self.dict.slot_mut(i)
    }

    /// True if `key` exists (lazily expiring it).
    pub fn exists(&mut self, key: &[u8], now: u64) -> bool {
        self.live_slot(key, now).is_some()
    }

    /// Stores `value` under `key`. When the key exists its value is replaced;
    /// its expiry is kept if `keep_ttl`, cleared otherwise. A new key has no
    /// expiry. Returns the entry.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool, now: u64) -> &mut Entry {
        let slot = match self.live_slot(key, now) {
            Some(i) => {
                if !keep_ttl {
                    self.clear_expire_slot(i);
                }
                i
            }
            None => {
                self.record(crate::config::notify::NEW, key);
                self.dict.insert_new(Entry {
                    key: SmallBytes::new(key),
                    value: Value::Str(crate::types::Str::Int(0)),
                    expire: 0,
                    lru: 0,
                    vpos: NO_VPOS,
                })
            }
        };
        // The slot was just found or inserted.
        let e = self.dict.slot_mut(slot).expect("slot is occupied");
        e.value = value;
        e.lru = lru_clock(now);
        e
    }

    /// Inserts a key known to be absent (after a lookup), with an expiry.
    pub fn insert_new(&mut self, key: Box<[u8]>, value: Value, expire: Option<u64>, now: u64) -> &mut Entry {
        self.record(crate::config::notify::NEW, &key);
        let i = self.dict.insert_new(Entry { key: key.into(), value, expire: 0, lru: lru_clock(now), vpos: NO_VPOS });
        if let Some(at) = expire {
            self.set_expire_slot(i, at);
        }
        // Just inserted.
        self.dict.slot_mut(i).expect("slot is occupied")
    }

    /// Removes `key` (if live) and returns its entry.
    pub fn remove(&mut self, key: &[u8], now: u64) -> Option<Entry> {
        let i = self.live_slot(key, now)?;
        self.remove_slot(i)
    }

    /// Removes `key` whether or not it has expired, like Redis's `dbDelete`
    /// called without a lookup first (BITOP's empty result): an expired key
    /// is deleted, not reported as expired.
    pub fn remove_raw(&mut self, key: &[u8]) -> Option<Entry> {
        let i = self.dict.find(key)?;
        self.remove_slot(i)
    }

    /// Removes the entry in slot `i`; the returned entry keeps its expiry
    /// (callers such as RENAME and MOVE carry it over).
    fn remove_slot(&mut self, i: u32) -> Option<Entry> {
        let at = self.dict.slot(i).map_or(0, |e| e.expire);
        self.clear_expire_slot(i);
        let mut e = self.dict.remove_slot(i)?;
        e.expire = at;
        Some(e)
    }

    /// Sets the absolute expiry (ms) of a live key. Returns false if absent.
    pub fn set_expire(&mut self, key: &[u8], at: u64, now: u64) -> bool {
        match self.live_slot(key, now) {
            Some(i) => {
                self.set_expire_slot(i, at);
                true
            }
            None => false,
        }
    }

    /// Removes the expiry of a live key. Returns true if it had one.
    pub fn persist(&mut self, key: &[u8], now: u64) -> bool {
        match self.live_slot(key, now) {
            Some(i) => self.clear_expire_slot(i),
            None => false,
        }
    }

    fn set_expire_slot(&mut self, i: u32, at: u64) {
        let at = at.max(1); // 0 is "no expiry"; 1 ms after the epoch is long past anyway
        let Some(e) = self.dict.slot_mut(i) else { return };
        e.expire = at;
        if e.vpos == NO_VPOS {
            e.vpos = self.volatile.len() as u32;
            self.volatile.push(i);
        }
    }

    fn clear_expire_slot(&mut self, i: u32) -> bool {
        let Some(e) = self.dict.slot_mut(i) else { return false };
        let had = e.expire != 0;
        e.expire = 0;
        let pos = core::mem::replace(&mut e.vpos, NO_VPOS);
        if pos != NO_VPOS {
            self.volatile.swap_remove(pos as usize);
            if let Some(&moved) = self.volatile.get(pos as usize) {
                if let Some(m) = self.dict.slot_mut(moved) {
                    m.vpos = pos;
                }
            }
        }
        had
    }

    /// Removes every key.
    pub fn clear(&mut self) {
        self.dict.clear();
        self.volatile = Vec::new();
    }

    /// A random live key, expiring the expired keys it meets (bounded tries).
    pub fn random_key(&mut self, rng: &mut Rng, now: u64) -> Option<Box<[u8]>> {
        for _ in 0..100 {
            let i = self.dict.random_slot(|| rng.next_u64())?;
            if !self.expire_slot_if_needed(i, now) {
                return self.dict.slot(i).map(|e| e.key.as_slice().into());
            }
        }
        // Everything sampled was expired: give up like Redis's bounded loop.
        None
    }

    /// One SCAN step over keys; see [`Dict::scan`]. Expired keys are skipped
    /// (not deleted: the scan is a read of a snapshot of slots).
    pub fn scan(&self, cursor: u64, count: usize, now: u64, mut f: impl FnMut(&Entry)) -> u64 {
        self.dict.scan(cursor, count, |e| {
            if e.expire == 0 || e.expire >= now {
                f(e)
            }
        })
    }

    /// Every entry, including ones expired but not yet reclaimed.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> + '_ {
        self.dict.iter()
    }

    /// One bounded active-expiry step, like Redis's `activeExpireCycle` for
    /// one db: samples up to `samples` volatile keys and deletes expired ones,
    /// repeating while more than a quarter of a sample was expired, for at most
    /// `max_rounds` rounds. Returns the number of keys deleted.
    pub fn active_expire(&mut self, rng: &mut Rng, now: u64, samples: usize, max_rounds: usize) -> usize {
        let mut deleted = 0;
        for _ in 0..max_rounds {
            if self.volatile.is_empty() {
                break;
            }
            let n = samples.min(self.volatile.len());
            let mut expired = 0;
            for _ in 0..n {
                if self.volatile.is_empty() {
                    break;
                }
                let pos = rng.below(self.volatile.len() as u64) as usize;
                let slot = self.volatile[pos];
                if self.expire_slot_if_needed(slot, now) {
                    expired += 1;
                }
            }
            deleted += expired;
            if expired * 4 <= n {
                break;
            }
        }
        deleted
    }
}
