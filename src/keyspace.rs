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
use crate::snapshot::{CodecError, Out, Pos};
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
    /// The whole entry as it was, moved here (its value was replaced
    /// whole, or the db was cleared), with its start-time expiry.
    Entry(Entry),
    /// The entry's key record as it was, encoded (its value was about to
    /// change in place, or it left the db to a caller that keeps it).
    Record(Vec<u8>),
    /// Only the expiry changed: the slot's entry, with this expiry (0 =
    /// none).
    Expire(u64),
}

/// The key record a background snapshot is in the middle of writing: the
/// one of the slot at [`Cow`]'s cursor.
#[derive(Debug, Clone)]
enum Current {
    /// The live entry in the slot, unchanged since its writing began, with
    /// `expire` its start-time expiry (what its header says).
    Live { expire: u64, pos: Pos },
    /// The slot's start-time entry, moved out of the db (replaced whole,
    /// or the db cleared) while being written.
    Owned(Box<Entry>, Pos),
    /// The rest of the record, already encoded, and how much of it is
    /// written.
    Record(Vec<u8>, usize),
}

/// A background snapshot's hold on a db: per-key copy-on-write. The
/// snapshot writes slots in order; a change to a key in a slot it has not
/// reached yet first keeps the key's old state here, so the snapshot shows
/// the db as it was when it began. Keys created since are skipped.
///
/// A big value is written over several steps (`Current`, the position
/// a `snapshot::Pos`). Before the value being written changes in place or leaves
/// the db, the rest of its record is encoded into memory at once
/// ("finish first"): the cost is bounded by that value's size and paid
/// only by a command on that key, the way Redis's fork pays for copying
/// the pages a writer touches. So a position is never used on a value
/// that changed since it was taken. A value replaced whole (SET over it,
/// FLUSHDB) needs no finishing: the old one is moved here and written on
/// from where it was.
///
/// A key not reached yet whose value is about to change in place (or
/// that leaves the db to a caller, as RENAME, MOVE, GETDEL do) is kept
/// encoded (`Kept::Record`): O(value size) once per key and snapshot,
/// paid by the first command touching it. Writing it early is not an
/// option (keys are written in slot order, for the bytes a foreground
/// SAVE writes) and a copy of the value costs more time (an allocation a
/// member) and more memory than its record; without persistent data
/// structures nothing cheaper keeps the old value. A value replaced
/// whole or removed without a taker is moved, not copied.
///
/// Invariant: a slot in `cursor..end` holds its start-time entry unless it
/// is in `kept` (its start-time state is there) or in `fresh` (it was free
/// at the start, or freed and refilled since; `kept` then has the old entry
/// if there was one). While `current` is set, the slot at `cursor` is the
/// one being written and `kept`/`fresh` records of it are stale (dropped
/// once it is done).
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
    /// The record in progress, of the slot at `cursor`.
    current: Option<Current>,
    /// Finishing a record into memory failed (a position that did not fit
    /// its value: a bug, never the data's fault): the snapshot fails.
    broken: bool,
}

/// The key record of `e` with expiry `expire` (0 = none), encoded.
fn record(e: &Entry, expire: u64) -> (Vec<u8>, bool) {
    let mut v = Vec::new();
    let ok = crate::snapshot::encode_entry(&mut v, &e.key, &e.value, expire).is_ok();
    (v, ok)
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
            current: None,
            broken: false,
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

    /// Writes the next start-time key records in slot order to `out`,
    /// until about `budget` units were spent: bytes written plus a cost an
    /// element ([`crate::snapshot::encode_part`]) and 8 an empty slot, so a
    /// step's work follows the data, not the key count. A big value is left
    /// part-written for the next step. Returns the budget used, whether the
    /// db is done, and the key records finished.
    pub(crate) fn snapshot_step<O: Out + ?Sized>(&mut self, budget: usize, out: &mut O) -> Result<(usize, bool, u64), CodecError> {
        let Db { cow, dict, .. } = self;
        let Some(c) = cow.as_deref_mut() else { return Ok((0, true, 0)) };
        if c.broken {
            return Err(CodecError::Storage(alloc::string::String::from("a value could not be kept for the background save")));
        }
        let mut used = 0usize;
        let mut keys = 0u64;
        while c.cursor < c.end && used < budget {
            let i = c.cursor;
            if c.current.is_none() {
                c.current = match c.kept.remove(&i) {
                    Some(Kept::Entry(e)) => Some(Current::Owned(Box::new(e), Pos::Start)),
                    Some(Kept::Record(r)) => Some(Current::Record(r, 0)),
                    Some(Kept::Expire(at)) => dict.slot(i).map(|_| Current::Live { expire: at, pos: Pos::Start }),
                    None if c.fresh.contains(&i) => None,
                    None => dict.slot(i).map(|e| Current::Live { expire: e.expire, pos: Pos::Start }),
                };
                if c.current.is_none() {
                    c.fresh.remove(&i);
                    c.cursor += 1;
                    used += 8;
                    continue;
                }
            }
            let left = budget - used;
            let done = match c.current.as_mut() {
                Some(Current::Live { expire, pos }) => {
                    // Changes to this slot finish or move its record first
                    // (see `finish_current`), so the entry is the one the
                    // record began with.
                    let Some(e) = dict.slot(i) else {
                        return Err(CodecError::Storage(alloc::string::String::from("a key left the db while the background save was writing it")));
                    };
                    used += crate::snapshot::encode_part(out, &e.key, &e.value, *expire, pos, left)?;
                    pos.is_done()
                }
                Some(Current::Owned(e, pos)) => {
                    used += crate::snapshot::encode_part(out, &e.key, &e.value, e.expire, pos, left)?;
                    pos.is_done()
                }
                Some(Current::Record(r, off)) => {
                    let end = off.saturating_add(left).min(r.len());
                    out.put(r.get(*off..end).unwrap_or(&[]))?;
                    used += (end - *off).max(1);
                    *off = end;
                    end >= r.len()
                }
                None => true,
            };
            if done {
                c.current = None;
                c.kept.remove(&i);
                c.fresh.remove(&i);
                c.cursor += 1;
                keys += 1;
            }
        }
        Ok((used, c.cursor >= c.end, keys))
    }

    /// Whether the snapshot has yet to write slot `i`'s start-time entry
    /// and nothing of it is kept yet. `None` for slots it has no need for,
    /// and for the one it is writing (see [`Db::finish_current`]).
    fn unsaved(&self, i: u32) -> Option<bool> {
        let c = self.cow.as_deref()?;
        if i == c.cursor && c.current.is_some() {
            return None;
        }
        (i >= c.cursor && i < c.end && !c.fresh.contains(&i)).then(|| !c.kept.contains_key(&i))
    }

    /// Whether slot `i`'s live entry is the one the snapshot is writing.
    fn writing_live(&self, i: u32) -> bool {
        self.cow.as_deref().is_some_and(|c| c.cursor == i && matches!(c.current, Some(Current::Live { .. })))
    }

    /// Before slot `i`'s entry changes in place or leaves the db: if the
    /// snapshot is in the middle of writing it, the rest of its record is
    /// encoded into memory now (finish first, see [`Cow`]) and the
    /// snapshot's steps carry on from those bytes.
    fn finish_current(&mut self, i: u32) {
        if !self.writing_live(i) {
            return;
        }
        let Db { cow, dict, .. } = self;
        let Some(c) = cow.as_deref_mut() else { return };
        let Some(Current::Live { expire, pos }) = c.current.as_mut() else { return };
        let mut rest = Vec::new();
        if let Some(e) = dict.slot(i) {
            while !pos.is_done() {
                if crate::snapshot::encode_part(&mut rest, &e.key, &e.value, *expire, pos, usize::MAX).is_err() {
                    c.broken = true;
                    break;
                }
            }
        } else {
            c.broken = true;
        }
        c.current = Some(Current::Record(rest, 0));
    }

    /// Keeps the encoded record of slot `i`'s entry with expiry `expire`.
    fn keep_record(&mut self, i: u32, expire: u64) {
        let Some(e) = self.dict.slot(i) else { return };
        let (r, ok) = record(e, expire);
        if let Some(c) = self.cow.as_deref_mut() {
            c.broken |= !ok;
            c.kept.insert(i, Kept::Record(r));
        }
    }

    /// Before slot `i`'s value changes in place: keeps its record for the
    /// snapshot (with the start-time expiry if only that was kept).
    fn keep_entry(&mut self, i: u32) {
        self.finish_current(i);
        match self.unsaved(i) {
            Some(true) => {
                let at = self.dict.slot(i).map_or(0, |e| e.expire);
                self.keep_record(i, at);
            }
            Some(false) => {
                let kept_at = match self.cow.as_deref().and_then(|c| c.kept.get(&i)) {
                    Some(Kept::Expire(at)) => Some(*at),
                    _ => None,
                };
                if let Some(at) = kept_at {
                    self.keep_record(i, at);
                }
            }
            None => {}
        }
    }

    /// Before slot `i`'s expiry changes: keeps the start-time expiry (the
    /// record being written has its header out already: nothing to keep).
    fn keep_expire(&mut self, i: u32) {
        if self.unsaved(i) == Some(true) {
            let at = self.dict.slot(i).map_or(0, |e| e.expire);
            if let Some(c) = self.cow.as_deref_mut() {
                c.kept.insert(i, Kept::Expire(at));
            }
        }
    }

    /// Slot `i` was just removed, holding `e` (expiry restored), which the
    /// caller keeps: keeps its record for the snapshot. (The record being
    /// written was finished before the removal.)
    fn keep_removed(&mut self, i: u32, e: &Entry) {
        let Some(want) = self.unsaved(i) else { return };
        let Some(c) = self.cow.as_deref_mut() else { return };
        let expire = match (want, c.kept.get(&i)) {
            (true, _) => Some(e.expire),
            (false, Some(Kept::Expire(at))) => Some(*at),
            _ => None,
        };
        if let Some(at) = expire {
            let (r, ok) = record(e, at);
            c.broken |= !ok;
            c.kept.insert(i, Kept::Record(r));
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
        let mut moving = false;
        let (slot, existed) = match self.live_slot(key, now) {
            Some(i) => {
                // The old value is replaced whole: a snapshot that still
                // needs it gets it moved, not copied (below), and one in
                // the middle of writing it carries on from the moved value.
                moving = self.writing_live(i);
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
                if moving {
                    if let Some(Current::Live { expire, pos }) = c.current.take() {
                        let was = Entry { key: e.key.clone(), value: old, expire, lru: e.lru, vpos: NO_VPOS };
                        c.current = Some(Current::Owned(Box::new(was), pos));
                    }
                } else if let Some(Kept::Expire(at)) = c.kept.get(&slot).cloned() {
                    // Only the expiry was kept so far (just above, or by an
                    // earlier command): the old value joins it.
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
        // The record being written of this entry is finished first.
        self.finish_current(i);
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
            self.keep_removed(i, &e);
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
            // moved, not copied, the one being written too.
            let live = match c.current {
                Some(Current::Live { expire, .. }) => Some(expire),
                _ => None,
            };
            for (i, e) in self.dict.drain_slots() {
                if i == c.cursor && c.current.is_some() {
                    if let Some(expire) = live {
                        if let Some(Current::Live { pos, .. }) = c.current.take() {
                            let mut e = e;
                            e.expire = expire;
                            c.current = Some(Current::Owned(Box::new(e), pos));
                        }
                    }
                    continue;
                }
                if i >= c.cursor && i < c.end && !c.fresh.contains(&i) {
                    let mut e = e;
                    match c.kept.get(&i) {
                        Some(Kept::Entry(_) | Kept::Record(_)) => continue,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::encode_entry;
    use crate::types::{List, Str};

    fn big_list(n: usize) -> Value {
        let mut l = List::new();
        for i in 0..n {
            l.push_back(alloc::format!("element-{i:06}").as_bytes());
        }
        Value::List(Box::new(l))
    }

    /// A db holding `a` (a small string), `big` (a list of 5,000) and `z`
    /// (a small string), in that slot order, and the record bytes SAVE
    /// writes for them.
    fn db() -> (Db, Vec<u8>) {
        let mut d = Db::new(1);
        d.insert_new(b"a"[..].into(), Value::Str(Str::from_bytes(b"1")), None, 0);
        d.insert_new(b"big"[..].into(), big_list(5000), Some(9_000_000), 0);
        d.insert_new(b"z"[..].into(), Value::Str(Str::from_bytes(b"2")), None, 0);
        let mut want = Vec::new();
        for e in d.iter() {
            encode_entry(&mut want, &e.key, &e.value, e.expire).unwrap();
        }
        (d, want)
    }

    /// Steps of `budget` until the db is done.
    fn finish(d: &mut Db, out: &mut Vec<u8>, budget: usize) -> u64 {
        let mut keys = 0;
        for _ in 0..100_000 {
            let (_, done, k) = d.snapshot_step(budget, out).unwrap();
            keys += k;
            if done {
                return keys;
            }
        }
        panic!("the snapshot does not end");
    }

    /// Begins a snapshot and steps until `big` is partly written.
    fn partly_written(d: &mut Db, out: &mut Vec<u8>) {
        d.begin_snapshot(0);
        d.snapshot_step(1000, out).unwrap();
        assert!(matches!(d.snapshot().and_then(|c| c.current.as_ref()), Some(Current::Live { .. })));
    }

    #[test]
    fn a_big_value_is_written_over_several_steps() {
        let (mut d, want) = db();
        let mut out = Vec::new();
        d.begin_snapshot(0);
        let (used, done, _) = d.snapshot_step(1000, &mut out).unwrap();
        assert!(!done && used < 1100, "a step of 1000 used {used}");
        // `a` and `big` were begun in that step, `big` finished later.
        assert_eq!(finish(&mut d, &mut out, 1000), 2);
        assert_eq!(out, want);
    }

    #[test]
    fn changes_to_the_value_being_written_finish_it_first() {
        type Change = fn(&mut Db);
        let changes: [Change; 7] = [
            |d| {
                if let Some(Value::List(l)) = d.write(b"big", 0).map(|e| &mut e.value) {
                    l.push_front(b"new");
                }
            },
            |d| {
                d.read(b"big", 0);
            },
            |d| {
                d.remove(b"big", 0);
            },
            |d| {
                d.set(b"big", Value::Str(Str::from_bytes(b"replaced")), false, 0);
            },
            |d| {
                d.set_expire(b"big", 1, 0);
                d.remove(b"big", 10);
            },
            |d| {
                d.persist(b"big", 0);
            },
            |d| d.clear(),
        ];
        for (n, change) in changes.iter().enumerate() {
            let (mut d, want) = db();
            let mut out = Vec::new();
            partly_written(&mut d, &mut out);
            change(&mut d);
            // Whatever is there now changes again, and new keys come.
            if let Some(Value::List(l)) = d.write(b"big", 0).map(|e| &mut e.value) {
                l.push_back(b"again");
            }
            d.set(b"new", Value::Str(Str::from_bytes(b"x")), false, 0);
            finish(&mut d, &mut out, 700);
            assert!(out == want, "change {n}: not the start-time bytes");
        }
    }

    #[test]
    fn changes_to_a_value_not_reached_yet_keep_its_record() {
        for n in 0..4 {
            let (mut d, want) = db();
            let mut out = Vec::new();
            d.begin_snapshot(0);
            match n {
                0 => {
                    if let Some(Value::List(l)) = d.write(b"big", 0).map(|e| &mut e.value) {
                        l.pop_back();
                    }
                }
                // Replaced whole: moved, then written over several steps.
                1 => {
                    d.set(b"big", Value::Str(Str::from_bytes(b"replaced")), true, 0);
                }
                2 => {
                    d.persist(b"big", 0);
                    d.remove(b"big", 0);
                }
                _ => d.clear(),
            }
            finish(&mut d, &mut out, 300);
            assert!(out == want, "change {n}: not the start-time bytes");
        }
    }
}
