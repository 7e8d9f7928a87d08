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
//! - `Db::used` is the sum of every entry's [`entry_weight`] as of the last
//!   [`Db::settle`]. Entries carry no cached weight (8 bytes a key): every
//!   lookup that hands out `&mut Entry`, and every insertion, records the
//!   slot in `pending` with the weight `used` counts for it (its weight at
//!   that moment; 0 for a new entry). The first record of a slot is the
//!   one `used` holds; removals subtract it and mark the slot's records
//!   dead; [`Db::settle`] (run by the engine after every command) re-weighs
//!   each live recorded slot once, so the figure is exact between commands
//!   without ever walking the keyspace.
//! - Lookups other than `peek` update `Entry::lru`: the LRU clock, or under
//!   an LFU policy the decayed-then-incremented LFU counter (see [`Access`]).

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::bytes::SmallBytes;
use crate::dict::{Dict, Keyed};
use crate::rng::Rng;
use crate::types::Value;

const NO_VPOS: u32 = u32::MAX;

/// A `pending` record whose entry was removed (slots are `u32` indexes
/// below the dict's capacity, which never reaches this).
const DEAD_SLOT: u32 = u32::MAX;

/// Redis's LRU clock resolution: 1 second, 24 bits.
pub const LRU_CLOCK_MAX: u32 = (1 << 24) - 1;

/// The LRU clock for `now_ms`, as Redis computes it.
pub fn lru_clock(now_ms: u64) -> u32 {
    ((now_ms / 1000) & LRU_CLOCK_MAX as u64) as u32
}

/// The access stamp an entry keeps under an LRU policy: Redis's 24-bit LRU
/// clock (seconds) in the high bits, so OBJECT IDLETIME reports exactly
/// Redis's figure from `stamp >> 8`, and the fraction of the second in
/// 1/256ths in the low byte, so eviction can tell apart keys used within the
/// same second (Redis cannot: its approximation is coarser).
pub fn lru_stamp(now_ms: u64) -> u32 {
    (lru_clock(now_ms) << 8) | ((now_ms % 1000) * 256 / 1000) as u32
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
    /// Access state: under an LRU (or no) policy the stamp of the last
    /// access ([`lru_stamp`]); under an LFU policy 16 bits of minutes and an
    /// 8-bit logarithmic counter, as Redis's `robj.lru`.
    pub lru: u32,
    vpos: u32,
}

/// The heap bytes an entry owns besides its slot in the db's dict: the key
/// when it does not fit inline and the value's representation. O(1) for
/// every type (containers keep size counters).
pub fn entry_weight(e: &Entry) -> u64 {
    (e.key.heap_bytes() + e.value.weight()) as u64
}

/// How lookups update an entry's access state (Redis's `lookupKey`): the
/// LRU clock, or the LFU counter under an LFU policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// Record the LRU clock (every policy but the LFU ones).
    #[default]
    Lru,
    /// Decay then logarithmically increment the LFU counter.
    Lfu {
        /// `lfu-log-factor`.
        log_factor: u32,
        /// `lfu-decay-time`, minutes.
        decay_time: u32,
    },
}

/// Initial LFU counter of a new key (Redis's `LFU_INIT_VAL`), so new keys
/// get a chance to accumulate hits before being evicted.
pub const LFU_INIT_VAL: u32 = 5;

/// Minutes of the LFU clock: 16 bits, as Redis's `LFUGetTimeInMinutes`.
pub fn lfu_minutes(now_ms: u64) -> u32 {
    ((now_ms / 1000 / 60) & 65535) as u32
}

/// Minutes elapsed since `ldt` on the 16-bit LFU clock (one wrap handled).
pub fn lfu_time_elapsed(ldt: u32, now_ms: u64) -> u32 {
    let now = lfu_minutes(now_ms);
    if now >= ldt {
        now - ldt
    } else {
        65535 - ldt + now
    }
}

/// The LFU counter held in `lru`, decayed by one per `decay_time` minutes
/// elapsed since its last decrement (Redis's `LFUDecrAndReturn`).
pub fn lfu_decr_and_return(lru: u32, now_ms: u64, decay_time: u32) -> u32 {
    let ldt = lru >> 8;
    let counter = lru & 255;
    let periods = lfu_time_elapsed(ldt, now_ms).checked_div(decay_time).unwrap_or(0);
    counter.saturating_sub(periods)
}

/// Logarithmic increment (Redis's `LFULogIncr`): the more hits a key had,
/// the less likely one more hit bumps its counter. `r` is uniform in [0, 1).
pub fn lfu_log_incr(counter: u32, log_factor: u32, r: f64) -> u32 {
    if counter >= 255 {
        return 255;
    }
    let base = counter.saturating_sub(LFU_INIT_VAL) as f64;
    let p = 1.0 / (base * log_factor as f64 + 1.0);
    if r < p {
        counter + 1
    } else {
        counter
    }
}

impl Access {
    /// The access state of a key created at `now_ms`.
    pub fn initial(self, now_ms: u64) -> u32 {
        match self {
            Access::Lru => lru_stamp(now_ms),
            Access::Lfu { .. } => (lfu_minutes(now_ms) << 8) | LFU_INIT_VAL,
        }
    }
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

/// What a background snapshot keeps of a slot that changed before the
/// snapshot reached it.
#[derive(Debug, Clone)]
enum Kept {
    /// The whole entry as it was (its value changed, or it was removed).
    Entry(Entry),
    /// Only the expiry changed: the slot's entry, with this expiry (0 =
    /// none).
    Expire(u64),
}

/// A background snapshot's hold on a db: per-key copy-on-write. The
/// snapshot writes slots in order; a change to a key in a slot it has not
/// reached yet first keeps the key's old state here, so the snapshot shows
/// the db as it was when it began. Keys created since are skipped.
///
/// Invariant: a slot in `cursor..end` holds its start-time entry unless it
/// is in `kept` (its start-time state is there) or in `fresh` (it was free
/// at the start, or freed and refilled since; `kept` then has the old entry
/// if there was one).
#[derive(Debug, Clone, Default)]
pub struct Cow {
    /// The snapshot's db index for this db's contents (SWAPDB moves dbs).
    pub index: usize,
    /// Slots below this one are written.
    cursor: u32,
    /// The dict's slot count at the start: slots from here on were free.
    end: u32,
    /// Keys at the start (the count the snapshot's db section declares).
    pub count: u64,
    kept: hashbrown::HashMap<u32, Kept, foldhash::fast::FixedState>,
    fresh: hashbrown::HashSet<u32, foldhash::fast::FixedState>,
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
    /// Sum of the cached weights of every entry (see [`Db::used`]).
    used: u64,
    /// Slots handed out by lookups or inserted since the last
    /// [`Db::settle`], each with the weight [`Db::used`] counts for it (the
    /// first record of a slot holds it; `DEAD_SLOT` marks a removed one).
    pending: Vec<(u32, u64)>,
    /// How lookups update access state (set from the eviction policy).
    access: Access,
    /// Randomness for the LFU counter's logarithmic increment (seeded from
    /// the db's seed so runs repeat).
    lfu_rng: Rng,
    /// CLIENT PAUSE in force: expired keys read as missing but stay.
    frozen: bool,
    /// A background snapshot in progress over this db.
    cow: Option<Box<Cow>>,
}

impl Db {
    /// An empty database hashing with `seed`.
    pub fn new(seed: u64) -> Self {
        Db {
            dict: Dict::with_seed(seed),
            volatile: Vec::new(),
            stats: DbStats::default(),
            events: Vec::new(),
            record: 0,
            used: 0,
            pending: Vec::new(),
            access: Access::Lru,
            lfu_rng: Rng::new(seed ^ 0x4c46_555f_5345_4544),
            frozen: false,
            cow: None,
        }
    }

    // -------------------------------------------- background snapshots

    /// Starts a background snapshot of this db as db `index` of the
    /// snapshot: from now on changes keep what they replace (see [`Cow`]).
    pub fn begin_snapshot(&mut self, index: usize) {
        self.cow = Some(Box::new(Cow {
            index,
            cursor: 0,
            end: self.dict.slot_count() as u32,
            count: self.dict.len() as u64,
            kept: hashbrown::HashMap::with_hasher(foldhash::fast::FixedState::with_seed(0)),
            fresh: hashbrown::HashSet::with_hasher(foldhash::fast::FixedState::with_seed(0)),
        }));
    }

    /// The snapshot's state over this db, if one is running.
    pub fn snapshot(&self) -> Option<&Cow> {
        self.cow.as_deref()
    }

    /// Ends the background snapshot (done or abandoned); what it kept is
    /// dropped.
    pub fn end_snapshot(&mut self) {
        self.cow = None;
    }

    /// Hands the snapshot the next start-time entries in slot order, `f`
    /// getting each one, until about `budget` bytes of entries (their
    /// [`entry_weight`], at least 64 per entry and 8 per empty slot) were
    /// handed over: a step's work follows the data, not the key count.
    /// Returns the budget used and whether the db is done.
    pub fn snapshot_step<E>(&mut self, budget: usize, mut f: impl FnMut(&Entry) -> Result<(), E>) -> Result<(usize, bool), E> {
        let Some(c) = self.cow.as_deref_mut() else { return Ok((0, true)) };
        let mut used = 0usize;
        while c.cursor < c.end && used < budget {
            let i = c.cursor;
            let mut cost = 8;
            let mut give = |e: &Entry| {
                cost = (entry_weight(e) as usize).max(64);
                f(e)
            };
            match c.kept.remove(&i) {
                Some(Kept::Entry(e)) => give(&e)?,
                Some(Kept::Expire(at)) => {
                    if let Some(e) = self.dict.slot(i) {
                        let mut old = e.clone();
                        old.expire = at;
                        give(&old)?;
                    }
                }
                None => {
                    if !c.fresh.remove(&i) {
                        if let Some(e) = self.dict.slot(i) {
                            give(e)?;
                        }
                    }
                }
            }
            c.cursor += 1;
            used += cost;
        }
        Ok((used, c.cursor >= c.end))
    }

    /// Whether the snapshot has yet to write slot `i`'s start-time entry
    /// and nothing of it is kept yet.
    fn unsaved(&self, i: u32) -> Option<bool> {
        let c = self.cow.as_deref()?;
        (i >= c.cursor && i < c.end && !c.fresh.contains(&i)).then(|| !c.kept.contains_key(&i))
    }

    /// Before slot `i`'s value changes in place: keeps a copy of its entry
    /// for the snapshot (with the start-time expiry if only that was kept).
    fn keep_entry(&mut self, i: u32) {
        match self.unsaved(i) {
            Some(true) => {
                if let Some(e) = self.dict.slot(i) {
                    let e = e.clone();
                    if let Some(c) = self.cow.as_deref_mut() {
                        c.kept.insert(i, Kept::Entry(e));
                    }
                }
            }
            Some(false) => {
                let Some(c) = self.cow.as_deref_mut() else { return };
                if let Some(Kept::Expire(at)) = c.kept.get(&i).cloned() {
                    if let Some(e) = self.dict.slot(i) {
                        let mut old = e.clone();
                        old.expire = at;
                        c.kept.insert(i, Kept::Entry(old));
                    }
                }
            }
            None => {}
        }
    }

    /// Before slot `i`'s expiry changes: keeps the start-time expiry.
    fn keep_expire(&mut self, i: u32) {
        if self.unsaved(i) == Some(true) {
            let at = self.dict.slot(i).map_or(0, |e| e.expire);
            if let Some(c) = self.cow.as_deref_mut() {
                c.kept.insert(i, Kept::Expire(at));
            }
        }
    }

    /// Slot `i` was just removed, holding `e` (expiry restored): keeps it
    /// for the snapshot. `take` moves it (the caller drops it); otherwise
    /// it is copied.
    fn keep_removed(&mut self, i: u32, e: &mut Option<Entry>, take: bool) {
        let Some(want) = self.unsaved(i) else { return };
        let Some(c) = self.cow.as_deref_mut() else { return };
        let Some(ent) = e.as_ref() else { return };
        let kept = match (want, c.kept.get(&i)) {
            (true, _) => Some(if take { e.take().map(Kept::Entry) } else { Some(Kept::Entry(ent.clone())) }).flatten(),
            (false, Some(Kept::Expire(at))) => {
                let mut old = if take { e.take() } else { Some(ent.clone()) };
                if let Some(o) = old.as_mut() {
                    o.expire = *at;
                }
                old.map(Kept::Entry)
            }
            _ => None,
        };
        if let Some(k) = kept {
            c.kept.insert(i, k);
        }
        // A key created in this slot from now on is not the snapshot's.
        c.fresh.insert(i);
    }

    /// Slot `i` now holds a key created after the snapshot began.
    fn note_fresh(&mut self, i: u32) {
        if let Some(c) = self.cow.as_deref_mut() {
            if i >= c.cursor && i < c.end {
                c.fresh.insert(i);
            }
        }
    }

    /// Freezes expiry (CLIENT PAUSE): expired keys read as missing and are
    /// deleted only once unfrozen. Writes do not happen while frozen (the
    /// pause holds them back); one that does replaces the stale entry.
    pub fn set_frozen(&mut self, frozen: bool) {
        self.frozen = frozen;
    }

    /// Removes a stale (expired, frozen) entry under `key` before an insert
    /// that assumed the key absent.
    fn drop_stale(&mut self, key: &[u8]) {
        if self.frozen {
            if let Some(i) = self.dict.find(key) {
                self.remove_slot(i);
            }
        }
    }

    /// Chooses how lookups update access state (the engine sets it from
    /// `maxmemory-policy`, `lfu-log-factor` and `lfu-decay-time`).
    pub fn set_access(&mut self, access: Access) {
        self.access = access;
    }

    /// How lookups update access state.
    pub fn access(&self) -> Access {
        self.access
    }

    /// Bytes the keys and values of this db use (the sum of each entry's
    /// [`entry_weight`]), as of the last [`Db::settle`]. O(1).
    pub fn used(&self) -> u64 {
        self.used
    }

    /// Bytes of the db's own tables: the dict (slots sized for [`Entry`])
    /// and the volatile-key index. O(1).
    pub fn overhead(&self) -> u64 {
        (self.dict.overhead_bytes() + self.volatile.capacity() * core::mem::size_of::<u32>() + self.pending.capacity() * core::mem::size_of::<(u32, u64)>()) as u64
    }

    /// Refreshes the weights of the entries looked up since the last call
    /// (their values may have grown or shrunk), keeping [`Db::used`] exact.
    /// O(1) per lookup; the engine calls it after every command.
    pub fn settle(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut pending = core::mem::take(&mut self.pending);
        if pending.len() > 1 {
            // Stable: a slot's first record (the weight `used` holds) leads.
            pending.sort_by_key(|&(i, _)| i);
        }
        let mut last = DEAD_SLOT;
        for &(i, counted) in &pending {
            if i == DEAD_SLOT || i == last {
                continue;
            }
            last = i;
            let w = self.dict.slot(i).map_or(0, entry_weight);
            self.used = self.used.wrapping_sub(counted).wrapping_add(w);
        }
        pending.clear();
        if pending.capacity() > 64 {
            pending = Vec::new();
        }
        self.pending = pending;
    }

    /// Records that slot `i` is handed out and may change size: with the
    /// weight `used` counts for it.
    fn note_pending(&mut self, i: u32) {
        // A later duplicate is harmless (settle and removal use a slot's
        // first record); only the common back-to-back case is skipped, so
        // recording stays O(1).
        if self.pending.last().is_some_and(|&(s, _)| s == i) {
            return;
        }
        let w = self.dict.slot(i).map_or(0, entry_weight);
        self.pending.push((i, w));
    }

    /// True when lookups since the last [`Db::settle`] may have changed
    /// weights.
    pub fn needs_settle(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Updates the access state of the entry in slot `i` as a touching
    /// lookup does (Redis's `updateLFU` or the LRU clock).
    ///
    /// Under LFU a key counts one access per command: a command that looks
    /// the same key up twice (a type check, then the write) is one hit, as
    /// in Redis where such commands look up once. The recent lookups of the
    /// running command are the tail of `pending`.
    fn touch_slot(&mut self, i: u32, now: u64) {
        let access = self.access;
        let r = match access {
            Access::Lfu { .. } => {
                if self.pending.iter().rev().take(8).any(|&(p, _)| p == i) {
                    return;
                }
                (self.lfu_rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
            }
            Access::Lru => 0.0,
        };
        if let Some(e) = self.dict.slot_mut(i) {
            e.lru = match access {
                Access::Lru => lru_stamp(now),
                Access::Lfu { log_factor, decay_time } => {
                    let c = lfu_decr_and_return(e.lru, now, decay_time);
                    (lfu_minutes(now) << 8) | lfu_log_incr(c, log_factor, r)
                }
            };
        }
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
        if expired && !self.frozen {
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
                self.touch_slot(i, now);
                self.note_pending(i);
                // Readers get `&mut` (some convert encodings or cache, as
                // PFCOUNT does): a snapshot keeps its copy first.
                self.keep_entry(i);
                self.dict.slot_mut(i)
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
        self.touch_slot(i, now);
        self.note_pending(i);
        self.keep_entry(i);
        self.dict.slot_mut(i)
    }

    /// Lookup that touches nothing but lazy expiry (OBJECT, TYPE-free peeks).
    pub fn peek(&mut self, key: &[u8], now: u64) -> Option<&mut Entry> {
        let i = self.live_slot(key, now)?;
        self.note_pending(i);
        self.keep_entry(i);
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
        let (slot, existed) = match self.live_slot(key, now) {
            Some(i) => {
                // The old value is replaced whole: a snapshot that still
                // needs it gets it moved, not copied (below).
                if self.unsaved(i) == Some(true) {
                    self.keep_expire(i);
                }
                if !keep_ttl {
                    self.clear_expire_slot(i);
                }
                // Redis's setKey looks the key up for writing first (an LFU
                // hit), then dbOverwrite keeps the LFU state under LFU.
                self.touch_slot(i, now);
                // The old value's weight is what `used` counts until settle.
                self.note_pending(i);
                (i, true)
            }
            None => {
                self.drop_stale(key);
                self.record(crate::config::notify::NEW, key);
                let i = self.dict.insert_new(Entry {
                    key: SmallBytes::new(key),
                    value: Value::Str(crate::types::Str::Int(0)),
                    expire: 0,
                    lru: 0,
                    vpos: NO_VPOS,
                });
                // Not counted yet: settle adds its whole weight.
                self.pending.push((i, 0));
                self.note_fresh(i);
                (i, false)
            }
        };
        let access = self.access;
        // The slot was just found or inserted.
        let e = self.dict.slot_mut(slot).expect("slot is occupied");
        let old = core::mem::replace(&mut e.value, value);
        if existed {
            if let Some(c) = self.cow.as_deref_mut() {
                // Only the expiry was kept so far (just above, or by an
                // earlier command): the old value joins it.
                if let Some(Kept::Expire(at)) = c.kept.get(&slot).cloned() {
                    c.kept.insert(slot, Kept::Entry(Entry { key: e.key.clone(), value: old, expire: at, lru: e.lru, vpos: NO_VPOS }));
                }
            }
        }
        let e = self.dict.slot_mut(slot).expect("slot is occupied");
        if !existed {
            e.lru = access.initial(now);
        } else if access == Access::Lru {
            e.lru = lru_stamp(now);
        }
        e
    }

    /// Inserts a key known to be absent (after a lookup), with an expiry.
    pub fn insert_new(&mut self, key: Box<[u8]>, value: Value, expire: Option<u64>, now: u64) -> &mut Entry {
        self.drop_stale(&key);
        self.record(crate::config::notify::NEW, &key);
        let e = Entry { key: key.into(), value, expire: 0, lru: self.access.initial(now), vpos: NO_VPOS };
        let i = self.dict.insert_new(e);
        // Not counted yet: settle adds its whole weight.
        self.pending.push((i, 0));
        self.note_fresh(i);
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
        // What `used` counts for the slot: its first pending record, else
        // its weight now (untouched since the last settle).
        let counted = match self.pending.iter().position(|&(s, _)| s == i) {
            Some(p) => {
                let c = self.pending[p].1;
                for r in self.pending.iter_mut().filter(|r| r.0 == i) {
                    r.0 = DEAD_SLOT;
                }
                c
            }
            None => self.dict.slot(i).map_or(0, entry_weight),
        };
        let mut e = self.dict.remove_slot(i)?;
        e.expire = at;
        self.used = self.used.wrapping_sub(counted);
        if self.cow.is_some() {
            let mut opt = Some(e);
            self.keep_removed(i, &mut opt, false);
            e = opt.expect("kept by copy");
        }
        if self.dict.is_empty() {
            // Give the table back too, so an emptied db costs nothing.
            self.dict.clear();
            self.volatile = Vec::new();
        }
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
        self.keep_expire(i);
        let at = at.max(1); // 0 is "no expiry"; 1 ms after the epoch is long past anyway
        let Some(e) = self.dict.slot_mut(i) else { return };
        e.expire = at;
        if e.vpos == NO_VPOS {
            e.vpos = self.volatile.len() as u32;
            self.volatile.push(i);
        }
    }

    fn clear_expire_slot(&mut self, i: u32) -> bool {
        if self.dict.slot(i).is_some_and(|e| e.expire != 0) {
            self.keep_expire(i);
        }
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
        if let Some(mut c) = self.cow.take() {
            // The snapshot keeps every start-time entry it has not written:
            // moved, not copied.
            for (i, e) in self.dict.drain_slots() {
                if i >= c.cursor && i < c.end && !c.fresh.contains(&i) {
                    let mut e = e;
                    match c.kept.get(&i) {
                        Some(Kept::Entry(_)) => continue,
                        Some(Kept::Expire(at)) => e.expire = *at,
                        None => {}
                    }
                    c.kept.insert(i, Kept::Entry(e));
                }
            }
            for i in c.cursor..c.end {
                c.fresh.insert(i);
            }
            self.cow = Some(c);
        }
        self.dict.clear();
        self.volatile = Vec::new();
        self.used = 0;
        self.pending = Vec::new();
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

    /// Calls `f` on up to `n` entries sampled at random (with repetition)
    /// from every key, or from the keys with a TTL when `volatile`: the
    /// eviction pool's sampling (Redis's `dictGetSomeKeys`). Touches nothing,
    /// expires nothing.
    pub fn sample(&self, volatile: bool, n: usize, rng: &mut Rng, mut f: impl FnMut(&Entry)) {
        for _ in 0..n {
            let slot = if volatile {
                if self.volatile.is_empty() {
                    return;
                }
                self.volatile[rng.below(self.volatile.len() as u64) as usize]
            } else {
                match self.dict.random_slot(|| rng.next_u64()) {
                    Some(i) => i,
                    None => return,
                }
            };
            if let Some(e) = self.dict.slot(slot) {
                f(e);
            }
        }
    }

    /// A random key among all keys, or among the keys with a TTL when
    /// `volatile`, expired or not (Redis's `dictGetRandomKey` for the random
    /// eviction policies).
    pub fn random_entry_key(&self, volatile: bool, rng: &mut Rng) -> Option<Box<[u8]>> {
        let slot = if volatile {
            if self.volatile.is_empty() {
                return None;
            }
            self.volatile[rng.below(self.volatile.len() as u64) as usize]
        } else {
            self.dict.random_slot(|| rng.next_u64())?
        };
        self.dict.slot(slot).map(|e| e.key.as_slice().into())
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
