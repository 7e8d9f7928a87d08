//! The snapshot format: encoding the whole dataset to a [`Storage`] blob and
//! decoding it back. The byte layout is documented in `docs/FORMAT.md`;
//! this file is its implementation.
//!
//! Invariants and choices:
//! - Everything is little-endian; lengths and counts are LEB128 varints of
//!   at most 10 bytes (no `usize` on disk). Fixed-width fields are u32/u64.
//! - One table gives the same bytes however it is written: keys in the
//!   order of their slots in the db, set members and hash fields in their
//!   iteration order (a table's slot order, an intset's ascending order, a
//!   listpack's own order; version 4: no sort, which cost many ms for a
//!   big set and was a whole-value pass no step could split), sorted sets
//!   in (score, member) order, lists in their order, streams node by node
//!   as they are laid out. Two engines holding the same data after
//!   different histories may write different bytes (slot order follows
//!   history). Iteration order is what lets a background snapshot
//!   ([`Background`]) write the db in steps, and a big value over several
//!   steps (`encode_part`), while commands run, with the same bytes a
//!   foreground SAVE of the same dataset writes.
//! - Encoding goes through a bounded buffer ([`CHUNK`] bytes) handed to
//!   [`Storage::write`]; decoding reads [`CHUNK`]-sized pieces with
//!   [`Storage::read_at`]. Neither holds a second copy of the dataset.
//! - Decoding never trusts a length: every length or count is checked
//!   against the bytes left in the blob before anything is allocated, so a
//!   hostile blob cannot make it allocate more than the blob's size.
//! - Decoding builds fresh [`Db`]s; the caller swaps them in only when the
//!   whole blob decoded, validated and matched its checksum.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::keyspace::Db;
use crate::rng::Rng;
use crate::storage::Storage;
use crate::types::stream::{Group, Nack, StreamId};
use crate::types::{Hash, List, Set, Str, Stream, Value, ZSet};

/// First bytes of every snapshot.
pub const MAGIC: &[u8; 8] = b"REDLETSN";
/// The newest format version this build reads, and the one it writes.
/// Version 2 added the function section; version 3 writes keys in slot
/// order (versions 1 and 2 sorted them) and names the journal position the
/// snapshot was taken at (see [`Decoded::base`]); version 4 writes set
/// members and hashtable-encoded hash fields in iteration order (earlier
/// versions sorted them, and their loaders reject unsorted sets).
pub const VERSION: u32 = 4;
/// Size of the buffer encoding and decoding go through.
pub const CHUNK: usize = 64 * 1024;

/// Section tag: a function library's code follows (version 2).
const TAG_FUNCTION: u8 = 0xF5;
/// Section tag: a database follows.
const TAG_DB: u8 = 0xFE;
/// Section tag: end of data, the checksum follows.
const TAG_END: u8 = 0xFF;
/// Set on a key's type tag when an expiry (u64 ms) follows it.
const TAG_EXPIRE: u8 = 0x80;

const T_STRING: u8 = 0;
const T_LIST: u8 = 1;
const T_SET: u8 = 2;
const T_ZSET: u8 = 3;
const T_HASH: u8 = 4;
const T_STREAM: u8 = 5;

/// Hash field order on disk: as iterated (a listpack's observable order).
const HASH_ORDERED: u8 = 0;
/// Hash field order on disk: sorted by field bytes (hashtable encoding,
/// versions 1 to 3; still read, no longer written).
const HASH_SORTED: u8 = 1;

/// Stream item flag: the entry is a tombstone.
const ITEM_DELETED: u8 = 1;
/// Stream item flag: the entry has its node's master fields (values only).
const ITEM_SAMEFIELDS: u8 = 2;

// ---------------------------------------------------------------------------
// CRC-64.

/// A reflected CRC-64 over polynomial `$poly` (given reflected),
/// slice-by-8: expands to `update(crc, data)` and the tables behind it,
/// for the snapshot's CRC-64/XZ ([`crc64`]) and Redis's Jones CRC-64
/// ([`crate::rdb::crc64`]), which differ only in the polynomial and in
/// their init and final xor.
///
/// Where the target has 64-bit atomics (wasm32, x86_64, aarch64) the tables
/// are a zeroed static filled on first use: a zeroed static costs no bytes
/// in the binary, while a computed one is 16 KiB of incompressible data in
/// the npm package's wasm (15 KB of its gzipped size). Racing first uses
/// each write the same values; `READY` (release/acquire) publishes them.
/// Elsewhere (thumbv7em) they are computed at compile time.
macro_rules! crc64_slice8 {
    ($poly:expr) => {
        const POLY: u64 = $poly;

        const fn tables() -> [[u64; 256]; 8] {
            let mut t = [[0u64; 256]; 8];
            let mut i = 0;
            while i < 256 {
                let mut c = i as u64;
                let mut k = 0;
                while k < 8 {
                    c = if c & 1 != 0 { (c >> 1) ^ POLY } else { c >> 1 };
                    k += 1;
                }
                t[0][i] = c;
                i += 1;
            }
            let mut s = 1;
            while s < 8 {
                let mut i = 0;
                while i < 256 {
                    let prev = t[s - 1][i];
                    t[s][i] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
                    i += 1;
                }
                s += 1;
            }
            t
        }

        #[cfg(target_has_atomic = "64")]
        mod table {
            use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

            static T: [[AtomicU64; 256]; 8] = [const { [const { AtomicU64::new(0) }; 256] }; 8];
            static READY: AtomicBool = AtomicBool::new(false);

            /// The tables, filled if this is the first use.
            #[inline]
            pub(super) fn get() -> &'static [[AtomicU64; 256]; 8] {
                if !READY.load(Ordering::Acquire) {
                    fill();
                }
                &T
            }

            #[cold]
            fn fill() {
                let v = super::tables();
                for (row, vrow) in T.iter().zip(&v) {
                    for (e, &x) in row.iter().zip(vrow) {
                        e.store(x, Ordering::Relaxed);
                    }
                }
                READY.store(true, Ordering::Release);
            }

            #[inline(always)]
            pub(super) fn at(t: &[[AtomicU64; 256]; 8], s: usize, i: u64) -> u64 {
                t[s][i as usize].load(Ordering::Relaxed)
            }
        }

        #[cfg(not(target_has_atomic = "64"))]
        mod table {
            static T: [[u64; 256]; 8] = super::tables();

            #[inline]
            pub(super) fn get() -> &'static [[u64; 256]; 8] {
                &T
            }

            #[inline(always)]
            pub(super) fn at(t: &[[u64; 256]; 8], s: usize, i: u64) -> u64 {
                t[s][i as usize]
            }
        }

        /// Feeds `data` into the running state `crc`.
        pub fn update(mut crc: u64, data: &[u8]) -> u64 {
            use table::at;
            let t = table::get();
            let mut chunks = data.chunks_exact(8);
            for c in &mut chunks {
                let v = crc ^ u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
                crc = at(t, 7, v & 0xFF)
                    ^ at(t, 6, (v >> 8) & 0xFF)
                    ^ at(t, 5, (v >> 16) & 0xFF)
                    ^ at(t, 4, (v >> 24) & 0xFF)
                    ^ at(t, 3, (v >> 32) & 0xFF)
                    ^ at(t, 2, (v >> 40) & 0xFF)
                    ^ at(t, 1, (v >> 48) & 0xFF)
                    ^ at(t, 0, v >> 56);
            }
            for &b in chunks.remainder() {
                crc = (crc >> 8) ^ at(t, 0, (crc ^ b as u64) & 0xFF);
            }
            crc
        }
    };
}
pub(crate) use crc64_slice8;

/// CRC-64/XZ (ECMA-182 polynomial, reflected, init and xorout all ones):
/// check value `0x995DC9BBDF1939FA` for `"123456789"`. Hand-written rather
/// than a dependency: slice-by-8 tables, 16 KiB (see [`crc64_slice8`]).
pub mod crc64 {
    super::crc64_slice8!(0xC96C_5795_D787_0F42);

    /// The running state before any byte.
    pub const INIT: u64 = !0;

    /// The final value of a running state.
    pub fn finish(crc: u64) -> u64 {
        !crc
    }

    /// CRC-64/XZ of `data`.
    pub fn checksum(data: &[u8]) -> u64 {
        finish(update(INIT, data))
    }
}

// ---------------------------------------------------------------------------
// Errors.

/// Why encoding or decoding failed: a storage error, or a reason the blob
/// is not a valid snapshot (with the byte offset where it was noticed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodecError {
    /// The host's storage failed.
    Storage(String),
    /// The bytes are not a valid snapshot/journal.
    Invalid {
        /// Offset in the blob where the problem was noticed.
        offset: u64,
        /// What is wrong.
        reason: String,
    },
}

impl core::fmt::Display for CodecError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            CodecError::Storage(m) => write!(f, "storage error: {m}"),
            CodecError::Invalid { offset, reason } => write!(f, "{reason} (at byte {offset})"),
        }
    }
}

type CResult<T> = core::result::Result<T, CodecError>;

// ---------------------------------------------------------------------------
// Writing.

/// A bounded write buffer in front of [`Storage::write`] that keeps a
/// running CRC-64 of everything written.
pub(crate) struct Sink<'a> {
    st: &'a mut dyn Storage,
    name: &'a str,
    buf: Vec<u8>,
    crc: u64,
    /// Bytes handed to the storage so far.
    pub written: u64,
}

/// A [`Sink`] between two steps of a background snapshot.
#[derive(Debug, Default)]
pub(crate) struct SinkState {
    buf: Vec<u8>,
    crc: u64,
    written: u64,
}

impl<'a> Sink<'a> {
    /// A sink writing into the staged copy of `name` (the caller called
    /// [`Storage::begin`]).
    pub(crate) fn new(st: &'a mut dyn Storage, name: &'a str) -> Self {
        Sink { st, name, buf: Vec::with_capacity(CHUNK), crc: crc64::INIT, written: 0 }
    }

    /// A sink carrying on from `state`.
    fn resume(st: &'a mut dyn Storage, name: &'a str, state: SinkState) -> Self {
        Sink { st, name, buf: state.buf, crc: state.crc, written: state.written }
    }

    /// Where the sink is, to resume later.
    fn suspend(self) -> SinkState {
        SinkState { buf: self.buf, crc: self.crc, written: self.written }
    }

    fn spill(&mut self) -> CResult<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.crc = crc64::update(self.crc, &self.buf);
        self.st.write(self.name, &self.buf).map_err(|e| CodecError::Storage(e.message))?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }

    /// Appends `data`: through the buffer, or straight to storage in
    /// [`CHUNK`]-sized pieces when it is bigger than the buffer.
    fn push(&mut self, data: &[u8]) -> CResult<()> {
        if self.buf.len() + data.len() > CHUNK {
            self.spill()?;
            if data.len() > CHUNK {
                // Big values go out in CHUNK-sized pieces, never copied whole.
                for c in data.chunks(CHUNK) {
                    self.crc = crc64::update(self.crc, c);
                    self.st.write(self.name, c).map_err(|e| CodecError::Storage(e.message))?;
                    self.written += c.len() as u64;
                }
                return Ok(());
            }
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// Writes the CRC of everything so far (itself excluded) and flushes.
    pub(crate) fn finish_with_crc(mut self) -> CResult<u64> {
        self.spill()?;
        let crc = crc64::finish(self.crc);
        self.buf.extend_from_slice(&crc.to_le_bytes());
        self.spill()?;
        Ok(self.written)
    }

}

/// Where encoded bytes go: the [`Sink`] in front of storage, or a byte
/// vector (the copy-on-write of a background snapshot keeps a value it
/// had to write early there, see [`crate::keyspace::Cow`]). The scalar
/// encodings of `docs/FORMAT.md` are written once, here.
pub(crate) trait Out {
    /// Appends raw bytes.
    fn put(&mut self, data: &[u8]) -> CResult<()>;

    /// A byte.
    fn u8(&mut self, v: u8) -> CResult<()> {
        self.put(&[v])
    }

    /// A little-endian `u32`.
    fn u32(&mut self, v: u32) -> CResult<()> {
        self.put(&v.to_le_bytes())
    }

    /// A little-endian `u64`.
    fn u64(&mut self, v: u64) -> CResult<()> {
        self.put(&v.to_le_bytes())
    }

    /// An unsigned LEB128 varint (at most 10 bytes).
    fn var(&mut self, mut v: u64) -> CResult<()> {
        let mut b = [0u8; 10];
        let mut n = 0;
        loop {
            let byte = (v & 0x7F) as u8;
            v >>= 7;
            if v == 0 {
                b[n] = byte;
                n += 1;
                break;
            }
            b[n] = byte | 0x80;
            n += 1;
        }
        self.put(&b[..n])
    }

    /// A zigzag-encoded signed varint.
    fn ivar(&mut self, v: i64) -> CResult<()> {
        self.var(((v << 1) ^ (v >> 63)) as u64)
    }

    /// A length-prefixed byte string.
    fn bytes(&mut self, b: &[u8]) -> CResult<()> {
        self.var(b.len() as u64)?;
        self.put(b)
    }

    /// A stream id.
    fn id(&mut self, id: StreamId) -> CResult<()> {
        self.var(id.ms)?;
        self.var(id.seq)
    }
}

impl Out for Sink<'_> {
    fn put(&mut self, data: &[u8]) -> CResult<()> {
        self.push(data)
    }
}

impl Out for Vec<u8> {
    fn put(&mut self, data: &[u8]) -> CResult<()> {
        self.extend_from_slice(data);
        Ok(())
    }
}

/// Writes the header: magic, version, epoch, the journal position the
/// snapshot follows (`base`: journal epoch and byte offset; offset 0 when
/// none), and the function libraries.
fn encode_header(s: &mut Sink<'_>, functions: &[&[u8]], epoch: u64, base: (u64, u64)) -> CResult<()> {
    s.put(MAGIC)?;
    s.u32(VERSION)?;
    s.u64(epoch)?;
    s.u64(base.0)?;
    s.u64(base.1)?;
    for code in functions {
        s.u8(TAG_FUNCTION)?;
        s.var(code.len() as u64)?;
        s.put(code)?;
    }
    Ok(())
}

/// Writes the snapshot of `dbs` and the function libraries `functions`
/// (each library's code, as FUNCTION LOAD took it) with `epoch` into the
/// staged copy of blob `name` (the caller begins and commits). Returns the
/// bytes written.
pub fn encode(st: &mut dyn Storage, name: &str, dbs: &[Db], functions: &[&[u8]], epoch: u64) -> CResult<u64> {
    let mut s = Sink::new(st, name);
    encode_header(&mut s, functions, epoch, (0, 0))?;
    for (i, db) in dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        s.u8(TAG_DB)?;
        s.var(i as u64)?;
        s.var(db.len() as u64)?;
        for e in db.iter() {
            encode_entry(&mut s, &e.key, &e.value, e.expire().unwrap_or(0))?;
        }
    }
    s.u8(TAG_END)?;
    s.finish_with_crc()
}

/// A snapshot written in steps while commands keep running (BGSAVE, save
/// points, compaction): the dbs keep what a change replaces until the
/// snapshot has written it ([`crate::keyspace::Cow`]), so the blob holds
/// the dataset as it was at [`Background::start`], byte for byte what
/// [`encode`] would have written then (the header's journal position
/// aside).
///
/// A step writes about its budget's worth and stops, in the middle of a
/// value if need be: a big list, set, sorted set, hash, stream or string
/// is written over as many steps as it takes (`encode_part`, the
/// value's position kept by the db's copy-on-write), so no step is longer
/// than its budget plus one element (or one stream node).
#[derive(Debug)]
pub struct Background {
    sink: SinkState,
    /// The snapshot db being written (dbs are found by their snapshot
    /// index: SWAPDB may have moved them).
    db: usize,
    /// Its section header is written.
    in_db: bool,
    /// Keys written so far.
    pub keys_done: u64,
    /// Keys at the start.
    pub keys_total: u64,
    /// Journal epoch and offset the snapshot follows.
    pub base: (u64, u64),
}

impl Background {
    /// Writes the header into the staged copy of `name` and starts
    /// copy-on-write in every db.
    pub fn start(st: &mut dyn Storage, name: &str, dbs: &mut [Db], functions: &[&[u8]], epoch: u64, base: (u64, u64)) -> CResult<Background> {
        let mut s = Sink::new(st, name);
        encode_header(&mut s, functions, epoch, base)?;
        let mut total = 0;
        for (i, db) in dbs.iter_mut().enumerate() {
            db.begin_snapshot(i);
            total += db.len() as u64;
        }
        Ok(Background { sink: s.suspend(), db: 0, in_db: false, keys_done: 0, keys_total: total, base })
    }

    /// Writes about `budget` more units of entries (see
    /// `Db::snapshot_step`). `Ok(Some(bytes))` once the whole
    /// snapshot is written (checksum included): the caller commits the blob
    /// and ends the dbs' copy-on-write.
    pub fn step(&mut self, st: &mut dyn Storage, name: &str, dbs: &mut [Db], budget: usize) -> CResult<Option<u64>> {
        let mut s = Sink::resume(st, name, core::mem::take(&mut self.sink));
        let mut left = budget.max(1);
        while self.db < dbs.len() && left > 0 {
            let Some(pos) = dbs.iter().position(|d| d.snapshot().is_some_and(|c| c.index == self.db)) else {
                // Every db carries its snapshot state until the end; one
                // replaced meanwhile (the engine aborts the save first)
                // fails the save rather than leave its data out.
                return Err(CodecError::Storage(String::from("a database was replaced during the background save")));
            };
            let db = &mut dbs[pos];
            if !self.in_db {
                let count = db.snapshot().map_or(0, |c| c.count);
                if count == 0 {
                    self.db += 1;
                    continue;
                }
                s.u8(TAG_DB)?;
                s.var(self.db as u64)?;
                s.var(count)?;
                self.in_db = true;
            }
            let (n, finished, keys) = db.snapshot_step(left, &mut s)?;
            self.keys_done += keys;
            left = left.saturating_sub(n);
            if finished {
                self.in_db = false;
                self.db += 1;
            }
        }
        if self.db < dbs.len() {
            self.sink = s.suspend();
            return Ok(None);
        }
        s.u8(TAG_END)?;
        s.finish_with_crc().map(Some)
    }
}

/// How far the writing of one key record has come: a background snapshot
/// writes a big value over several steps ([`encode_part`]).
///
/// Positions are indexes into the value (a list node, a [`Set::at`] or
/// [`Hash::at`] position, a sorted-set rank, a string offset) or keys of
/// a stream's ordered maps (node ids, group and consumer names, pending
/// ids). An index means something only while the value is unchanged:
/// the copy-on-write writes a value out in full before any change to it
/// ([`crate::keyspace::Cow`]), so no position outlives a change of its
/// value. No reference is kept across steps.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Pos {
    /// Nothing written yet: the record's header comes first.
    Start,
    /// A string: bytes of the value written.
    Str(usize),
    /// A list: the next node, and the next element in it.
    List(usize, usize),
    /// A set or hash: the next position.
    At(u32),
    /// A sorted set: the next rank.
    Rank(usize),
    /// A stream's nodes: the next is the first keyed above this id.
    Nodes(Option<StreamId>),
    /// A stream's groups: the next is the first named above this one.
    Group(Option<Box<[u8]>>),
    /// A stream group's consumers, after the one named.
    Consumers(Box<[u8]>, Option<Box<[u8]>>),
    /// A stream group's pending entries, after the id.
    Pending(Box<[u8]>, Option<StreamId>),
    /// The record is written.
    Done,
}

impl Pos {
    /// The record is written (a match, not the derived `==`, which
    /// compares the names some positions carry).
    pub(crate) fn is_done(&self) -> bool {
        matches!(self, Pos::Done)
    }
}

/// Budget units an element costs besides its bytes (the work of visiting
/// it is not only the copy).
const ELEM_COST: usize = 16;

/// Budget units a key record costs besides its bytes: finding it (the
/// copy-on-write's lookups) and its header.
const RECORD_COST: usize = 64;

/// The least of a string written per call, so a small budget left over
/// still makes progress.
const STR_PIECE: usize = 4096;

/// An [`Out`] counting the bytes through it, for a step's budget.
struct Meter<'a, O: ?Sized> {
    o: &'a mut O,
    n: usize,
}

impl<O: Out + ?Sized> Out for Meter<'_, O> {
    fn put(&mut self, data: &[u8]) -> CResult<()> {
        self.n = self.n.saturating_add(data.len());
        self.o.put(data)
    }
}

/// The error of a position that does not fit its value: the value changed
/// under a resumable write (a copy-on-write bug, never the data's fault).
fn moved_under<T>() -> CResult<T> {
    Err(CodecError::Storage(String::from("a value changed while the background save was writing it")))
}

/// Writes the key record of `key`, `value` and `expire` (absolute ms, 0
/// for none) whole.
pub(crate) fn encode_entry<O: Out + ?Sized>(o: &mut O, key: &[u8], value: &Value, expire: u64) -> CResult<()> {
    let mut pos = Pos::Start;
    while !pos.is_done() {
        encode_part(o, key, value, expire, &mut pos, usize::MAX)?;
    }
    Ok(())
}

/// Writes the key record of `key`, `value` and `expire` (absolute ms, 0
/// for none) from `pos` on, until about `budget` units (bytes written plus
/// [`RECORD_COST`] a record and [`ELEM_COST`] an element) are spent or the record is done (`pos`
/// becomes [`Pos::Done`]). Returns the units spent. The header is written
/// whole on the first call, then at least one element (or
/// [`STR_PIECE`] bytes of a string, or one stream node) a call; a call
/// goes over its budget by at most one element, one stream node (at most
/// `stream-node-max-entries`/`-bytes`) or one group's header.
///
/// The bytes are those [`encode_entry`] writes, whatever the budgets: set
/// members and hash fields in their iteration order (slot order for
/// tables, as [`Set::iter`] and [`Hash::iter`]), sorted sets by rank,
/// lists and streams in their order.
pub(crate) fn encode_part<O: Out + ?Sized>(o: &mut O, key: &[u8], value: &Value, expire: u64, pos: &mut Pos, budget: usize) -> CResult<usize> {
    let mut m = Meter { o, n: 0 };
    if matches!(pos, Pos::Start) {
        *pos = encode_head(&mut m, key, value, expire)?;
    }
    while !pos.is_done() && m.n < budget {
        let p = core::mem::replace(pos, Pos::Done);
        *pos = encode_body(&mut m, value, p, budget)?;
    }
    Ok(m.n)
}

/// The record's header: type tag, expiry, key, and the value's own
/// leading fields (count, hash order, stream counters). Returns where the
/// body starts.
fn encode_head<O: Out + ?Sized>(m: &mut Meter<'_, O>, key: &[u8], value: &Value, expire: u64) -> CResult<Pos> {
    let t = match value {
        Value::Str(_) => T_STRING,
        Value::List(_) => T_LIST,
        Value::Set(_) => T_SET,
        Value::ZSet(_) => T_ZSET,
        Value::Hash(_) => T_HASH,
        Value::Stream(_) => T_STREAM,
    };
    if expire != 0 {
        m.u8(t | TAG_EXPIRE)?;
        m.u64(expire)?;
    } else {
        m.u8(t)?;
    }
    m.bytes(key)?;
    m.n = m.n.saturating_add(RECORD_COST);
    Ok(match value {
        Value::Str(v) => {
            m.var(v.len() as u64)?;
            Pos::Str(0)
        }
        Value::List(l) => {
            m.var(l.len() as u64)?;
            Pos::List(0, 0)
        }
        Value::Set(set) => {
            m.var(set.len() as u64)?;
            Pos::At(0)
        }
        Value::ZSet(z) => {
            m.var(z.len() as u64)?;
            Pos::Rank(0)
        }
        Value::Hash(h) => {
            m.var(h.len() as u64)?;
            // Version 4: every hash in its iteration order (a table's slot
            // order is as good as any, and needs no sort).
            m.u8(HASH_ORDERED)?;
            Pos::At(0)
        }
        Value::Stream(x) => {
            let en = &x.entries;
            m.id(en.last_id())?;
            m.id(en.max_deleted_id())?;
            m.var(en.entries_added())?;
            m.var(en.raw_node_count() as u64)?;
            Pos::Nodes(None)
        }
    })
}

/// Writes the body of `value` from `pos` until the budget is spent or the
/// current part (a stream's nodes, one group's consumers, ...) ends.
/// Returns the position that follows.
fn encode_body<O: Out + ?Sized>(m: &mut Meter<'_, O>, value: &Value, pos: Pos, budget: usize) -> CResult<Pos> {
    use core::ops::Bound::{Excluded, Unbounded};
    match (value, pos) {
        (_, Pos::Done) => Ok(Pos::Done),
        (Value::Str(v), Pos::Str(off)) => {
            let b = v.as_bytes();
            let n = budget.saturating_sub(m.n).max(STR_PIECE);
            let end = off.saturating_add(n).min(b.len());
            let Some(piece) = b.get(off..end) else { return moved_under() };
            m.put(piece)?;
            Ok(if end >= b.len() { Pos::Done } else { Pos::Str(end) })
        }
        (Value::List(l), Pos::List(mut node, mut idx)) => {
            'nodes: while m.n < budget {
                // Skipping within a node walks at most its 8 KiB.
                let Some(elems) = l.node_elems(node) else { break };
                for x in elems.skip(idx) {
                    if m.n >= budget {
                        break 'nodes;
                    }
                    m.bytes(x)?;
                    m.n = m.n.saturating_add(ELEM_COST);
                    idx += 1;
                }
                node += 1;
                idx = 0;
            }
            Ok(if node >= l.node_count() { Pos::Done } else { Pos::List(node, idx) })
        }
        (Value::Set(set), Pos::At(mut p)) => {
            let end = set.pos_end();
            let mut digits = Vec::new();
            while p < end && m.n < budget {
                match set.at(p) {
                    Some(crate::types::set::Elem::Bytes(b)) => m.bytes(b)?,
                    Some(crate::types::set::Elem::Int(n)) => {
                        digits.clear();
                        crate::num::push_i64(&mut digits, n);
                        m.bytes(&digits)?;
                    }
                    None => {}
                }
                m.n = m.n.saturating_add(ELEM_COST / 4);
                p += 1;
            }
            Ok(if p >= end { Pos::Done } else { Pos::At(p) })
        }
        (Value::Hash(h), Pos::At(mut p)) => {
            let end = h.pos_end();
            while p < end && m.n < budget {
                if let Some((f, v)) = h.at(p) {
                    m.bytes(f)?;
                    m.bytes(v)?;
                }
                m.n = m.n.saturating_add(ELEM_COST / 4);
                p += 1;
            }
            Ok(if p >= end { Pos::Done } else { Pos::At(p) })
        }
        (Value::ZSet(z), Pos::Rank(mut r)) => {
            let mut it = z.iter_from(r, false);
            while m.n < budget {
                let Some((member, score)) = it.next() else { break };
                m.bytes(member)?;
                m.u64(score.to_bits())?;
                // A member is read through the tree's dict slot: a cache
                // miss more than a set's or a list's element.
                m.n = m.n.saturating_add(2 * ELEM_COST);
                r += 1;
            }
            Ok(if r >= z.len() { Pos::Done } else { Pos::Rank(r) })
        }
        (Value::Stream(x), Pos::Nodes(mut after)) => {
            let mut nodes = x.entries.raw_nodes_from(after);
            while m.n < budget {
                let Some(node) = nodes.next() else {
                    m.var(x.groups.len() as u64)?;
                    return Ok(Pos::Group(None));
                };
                encode_stream_node(m, &node)?;
                after = Some(node.key);
            }
            Ok(Pos::Nodes(after))
        }
        (Value::Stream(x), Pos::Group(after)) => {
            let next = match &after {
                None => x.groups.iter().next(),
                Some(a) => x.groups.range::<[u8], _>((Excluded(&a[..]), Unbounded)).next(),
            };
            let Some((name, g)) = next else { return Ok(Pos::Done) };
            m.bytes(name)?;
            m.id(g.last_id)?;
            m.ivar(g.entries_read)?;
            m.var(g.consumers.len() as u64)?;
            m.n = m.n.saturating_add(ELEM_COST);
            Ok(Pos::Consumers(name.clone(), None))
        }
        (Value::Stream(x), Pos::Consumers(group, after)) => {
            let Some(g) = x.groups.get(&group[..]) else { return moved_under() };
            let from = after.as_deref().map_or(Unbounded, Excluded);
            let mut last = None;
            let mut more = false;
            for (cname, c) in g.consumers.range::<[u8], _>((from, Unbounded)) {
                if m.n >= budget {
                    more = true;
                    break;
                }
                m.bytes(cname)?;
                m.ivar(c.seen_time)?;
                m.n = m.n.saturating_add(ELEM_COST);
                last = Some(cname);
            }
            if more {
                let after = last.cloned().or(after);
                return Ok(Pos::Consumers(group, after));
            }
            m.var(g.pel.len() as u64)?;
            Ok(Pos::Pending(group, None))
        }
        (Value::Stream(x), Pos::Pending(group, after)) => {
            let Some(g) = x.groups.get(&group[..]) else { return moved_under() };
            let from = after.map_or(Unbounded, Excluded);
            let mut last = after;
            let mut more = false;
            for (id, n) in g.pel.range((from, Unbounded)) {
                if m.n >= budget {
                    more = true;
                    break;
                }
                m.id(*id)?;
                m.ivar(n.delivery_time)?;
                m.var(n.delivery_count)?;
                m.bytes(&n.consumer)?;
                m.n = m.n.saturating_add(ELEM_COST);
                last = Some(*id);
            }
            Ok(if more { Pos::Pending(group, last) } else { Pos::Group(Some(group)) })
        }
        _ => moved_under(),
    }
}

/// Budget units a stream entry costs besides its bytes: decoding it from
/// its node (ids as deltas, integers stored compactly) costs several
/// times what copying a string does.
const STREAM_ITEM_COST: usize = 3 * ELEM_COST;

/// One stream node: master fields, then its entries (tombstones included).
fn encode_stream_node<O: Out + ?Sized>(m: &mut Meter<'_, O>, node: &crate::types::stream::RawNode<'_>) -> CResult<()> {
    use crate::types::stream::RawPart;
    m.var(node.fields.len() as u64)?;
    for f in node.fields {
        m.bytes(f)?;
    }
    m.var(node.len())?;
    node.visit(|part| match part {
        RawPart::Item { id, deleted, same_fields, strings } => {
            let flags = (if deleted { ITEM_DELETED } else { 0 }) | (if same_fields { ITEM_SAMEFIELDS } else { 0 });
            m.u8(flags)?;
            m.id(id)?;
            if !same_fields {
                m.var((strings / 2) as u64)?;
            }
            m.n = m.n.saturating_add(STREAM_ITEM_COST);
            Ok(())
        }
        RawPart::Str(d) => m.bytes(d),
    })
}

// ---------------------------------------------------------------------------
// Reading.

/// A bounded read buffer over [`Storage::read_at`] that tracks the offset,
/// the bytes left and a running CRC-64 of everything consumed.
pub(crate) struct Source<'a> {
    st: &'a mut dyn Storage,
    name: &'a str,
    buf: Vec<u8>,
    pos: usize,
    /// Blob offset of `buf[0]`.
    base: u64,
    size: u64,
    /// CRC of the bytes before `buf[crc_from..]` ... up to `base + crc_pos`.
    crc: u64,
    crc_pos: usize,
}

impl<'a> Source<'a> {
    /// A reader over blob `name` of `size` bytes.
    pub(crate) fn new(st: &'a mut dyn Storage, name: &'a str, size: u64) -> Self {
        Source { st, name, buf: Vec::new(), pos: 0, base: 0, size, crc: crc64::INIT, crc_pos: 0 }
    }

    /// Offset of the next byte.
    pub(crate) fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Bytes not yet consumed.
    pub(crate) fn remaining(&self) -> u64 {
        self.size.saturating_sub(self.offset())
    }

    pub(crate) fn invalid<T>(&self, reason: impl Into<String>) -> CResult<T> {
        Err(CodecError::Invalid { offset: self.offset(), reason: reason.into() })
    }

    /// Refills the buffer so at least one byte is available (if any is left).
    fn fill(&mut self) -> CResult<()> {
        if self.pos < self.buf.len() {
            return Ok(());
        }
        self.crc = crc64::update(self.crc, &self.buf[self.crc_pos..]);
        self.base += self.buf.len() as u64;
        self.pos = 0;
        self.crc_pos = 0;
        let want = (self.size.saturating_sub(self.base)).min(CHUNK as u64) as usize;
        self.buf.resize(want, 0);
        let mut got = 0;
        while got < want {
            let n = self.st.read_at(self.name, self.base + got as u64, &mut self.buf[got..]).map_err(|e| CodecError::Storage(e.message))?;
            if n == 0 {
                break;
            }
            got += n;
        }
        self.buf.truncate(got);
        if got < want {
            // The blob shrank under us: treat as truncated input.
            self.size = self.base + got as u64;
        }
        Ok(())
    }

    /// The CRC of everything consumed so far.
    pub(crate) fn crc(&self) -> u64 {
        crc64::finish(crc64::update(self.crc, &self.buf[self.crc_pos..self.pos]))
    }

    /// Copies the next `out.len()` bytes.
    pub(crate) fn take(&mut self, out: &mut [u8]) -> CResult<()> {
        if (out.len() as u64) > self.remaining() {
            return self.invalid("unexpected end of data");
        }
        let mut done = 0;
        while done < out.len() {
            self.fill()?;
            let avail = self.buf.len() - self.pos;
            if avail == 0 {
                return self.invalid("unexpected end of data");
            }
            let n = avail.min(out.len() - done);
            out[done..done + n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
            self.pos += n;
            done += n;
        }
        Ok(())
    }

    pub(crate) fn u8(&mut self) -> CResult<u8> {
        let mut b = [0u8; 1];
        self.take(&mut b)?;
        Ok(b[0])
    }

    pub(crate) fn u32(&mut self) -> CResult<u32> {
        let mut b = [0u8; 4];
        self.take(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    pub(crate) fn u64(&mut self) -> CResult<u64> {
        let mut b = [0u8; 8];
        self.take(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    pub(crate) fn var(&mut self) -> CResult<u64> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let b = self.u8()?;
            if i == 9 && b > 1 {
                return self.invalid("varint overflows 64 bits");
            }
            v |= ((b & 0x7F) as u64) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.invalid("varint too long")
    }

    pub(crate) fn ivar(&mut self) -> CResult<i64> {
        let v = self.var()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    /// A count of items each taking at least `min_bytes`, checked against
    /// the input left so it can size an allocation.
    pub(crate) fn count(&mut self, min_bytes: u64, what: &str) -> CResult<u64> {
        let n = self.var()?;
        if n.saturating_mul(min_bytes.max(1)) > self.remaining() {
            return self.invalid(format!("{what} count {n} larger than the remaining input"));
        }
        Ok(n)
    }

    /// A length-prefixed byte string.
    pub(crate) fn bytes(&mut self) -> CResult<Vec<u8>> {
        let n = self.var()?;
        if n > self.remaining() {
            return self.invalid(format!("length {n} larger than the remaining input"));
        }
        let mut v = alloc::vec![0u8; n as usize];
        self.take(&mut v)?;
        Ok(v)
    }

    fn id(&mut self) -> CResult<StreamId> {
        let ms = self.var()?;
        let seq = self.var()?;
        Ok(StreamId::new(ms, seq))
    }
}

/// What decoding a snapshot produced.
pub struct Decoded {
    /// The databases, as many as asked for.
    pub dbs: Vec<Db>,
    /// The snapshot's epoch.
    pub epoch: u64,
    /// Keys loaded.
    pub keys: u64,
    /// Keys skipped because they were expired at load time.
    pub expired: u64,
    /// Function libraries' code, in order.
    pub functions: Vec<Vec<u8>>,
    /// The journal position the snapshot was taken at, `(journal epoch,
    /// byte offset)`, when it was written in the background: a journal
    /// still of that epoch (the crash came before it was compacted) is
    /// replayed from that offset on.
    pub base: Option<(u64, u64)>,
}

/// Limits the decoder needs from the configuration.
pub struct DecodeConfig {
    /// Number of databases to build; a snapshot naming more is refused.
    pub databases: usize,
    /// The configuration the values are built under (encodings).
    pub config: crate::config::Config,
    /// Keys expiring at or before this instant (ms) are dropped.
    pub now_ms: u64,
}

/// Decodes and validates the snapshot in blob `name` (`size` bytes),
/// building fresh databases seeded from `rng`.
pub fn decode(st: &mut dyn Storage, name: &str, size: u64, cfg: &DecodeConfig, rng: &mut Rng) -> CResult<Decoded> {
    let mut r = Source::new(st, name, size);
    let mut magic = [0u8; 8];
    if size < 8 {
        return r.invalid("too short to be a snapshot");
    }
    r.take(&mut magic)?;
    if &magic != MAGIC {
        return r.invalid("not a redlet snapshot (bad magic)");
    }
    let version = r.u32()?;
    if version > VERSION {
        return r.invalid(format!("snapshot format version {version} is newer than this build supports ({VERSION})"));
    }
    if version == 0 {
        return r.invalid("snapshot format version 0 is invalid");
    }
    let epoch = r.u64()?;
    let base = if version >= 3 {
        let (be, bo) = (r.u64()?, r.u64()?);
        (bo != 0).then_some((be, bo))
    } else {
        None
    };
    let mut dbs: Vec<Db> = (0..cfg.databases.max(1)).map(|_| Db::new(rng.next_u64())).collect();
    let (mut keys, mut expired) = (0u64, 0u64);
    let mut last_db: Option<u64> = None;
    let mut functions = Vec::new();
    loop {
        let tag = r.u8()?;
        match tag {
            TAG_END => break,
            TAG_FUNCTION if version >= 2 && last_db.is_none() => {
                functions.push(r.bytes()?);
            }
            TAG_DB => {
                let idx = r.var()?;
                if last_db.is_some_and(|l| idx <= l) {
                    return r.invalid(format!("database {idx} out of order or repeated"));
                }
                if idx >= dbs.len() as u64 {
                    return r.invalid(format!("database {idx} out of range (databases is {})", dbs.len()));
                }
                last_db = Some(idx);
                let n = r.count(3, "key")?;
                let db = &mut dbs[idx as usize];
                // The previous key, copied into a reused buffer so the key
                // itself moves into the db without another allocation.
                let mut prev: Vec<u8> = Vec::new();
                for i in 0..n {
                    let (key, value, expire) = decode_entry(&mut r, cfg, rng, version)?;
                    if version < 3 {
                        if i > 0 && prev >= key {
                            return r.invalid(format!("key {:?} out of order or duplicated", String::from_utf8_lossy(&key)));
                        }
                        prev.clear();
                        prev.extend_from_slice(&key);
                    } else if db.lookup_raw(&key).is_some() {
                        return r.invalid(format!("key {:?} duplicated", String::from_utf8_lossy(&key)));
                    }
                    if expire.is_some_and(|at| at < cfg.now_ms) {
                        expired += 1;
                        continue;
                    }
                    db.insert_new(key.into_boxed_slice(), value, expire, cfg.now_ms);
                    keys += 1;
                }
            }
            t => return r.invalid(format!("unknown section tag 0x{t:02x}")),
        }
    }
    let computed = r.crc();
    let stored = r.u64()?;
    if computed != stored {
        return r.invalid(format!("checksum mismatch (stored {stored:016x}, computed {computed:016x})"));
    }
    if r.remaining() != 0 {
        return r.invalid(format!("{} trailing bytes after the checksum", r.remaining()));
    }
    // Each db's access times start at load.
    Ok(Decoded { dbs, epoch, keys, expired, functions, base })
}

fn decode_entry(r: &mut Source<'_>, cfg: &DecodeConfig, rng: &mut Rng, version: u32) -> CResult<(Vec<u8>, Value, Option<u64>)> {
    let tag = r.u8()?;
    let expire = if tag & TAG_EXPIRE != 0 {
        let at = r.u64()?;
        if at == 0 {
            return r.invalid("expiry time 0 is reserved for no expiry");
        }
        Some(at)
    } else {
        None
    };
    let key = r.bytes()?;
    let value = match tag & !TAG_EXPIRE {
        T_STRING => Value::Str(Str::from_vec(r.bytes()?)),
        T_LIST => {
            let n = r.count(1, "list element")?;
            if n == 0 {
                return r.invalid("empty list");
            }
            let mut l = List::new();
            for _ in 0..n {
                l.push_back(&r.bytes()?);
            }
            Value::List(Box::new(l))
        }
        T_SET => {
            let n = r.count(1, "set member")?;
            if n == 0 {
                return r.invalid("empty set");
            }
            let first = r.bytes()?;
            let mut set = Set::for_member(rng.next_u64(), &first);
            let max = cfg.config.set_max_intset_entries;
            set.add(&first, max);
            let mut prev = first;
            for _ in 1..n {
                let m = r.bytes()?;
                // Versions 1 to 3 sorted the members; version 4 writes
                // them in iteration order.
                if version < 4 && m <= prev {
                    return r.invalid("set members out of order or duplicated");
                }
                if !set.add(&m, max) {
                    return r.invalid(format!("duplicate set member {:?}", String::from_utf8_lossy(&m)));
                }
                prev = m;
            }
            Value::Set(Box::new(set))
        }
        T_ZSET => {
            let n = r.count(9, "sorted set member")?;
            if n == 0 {
                return r.invalid("empty sorted set");
            }
            let lim = crate::types::zset::Limits::of(&cfg.config);
            let mut z: Option<ZSet> = None;
            let mut prev: Option<(f64, Vec<u8>)> = None;
            for _ in 0..n {
                let m = r.bytes()?;
                let sc = f64::from_bits(r.u64()?);
                if sc.is_nan() {
                    return r.invalid("NaN score in sorted set");
                }
                if let Some((ps, pm)) = &prev {
                    if crate::types::zset::cmp_key(*ps, pm, sc, &m) != core::cmp::Ordering::Less {
                        return r.invalid("sorted set members out of order");
                    }
                }
                let zs = z.get_or_insert_with(|| ZSet::for_first(rng.next_u64(), m.len(), lim));
                if zs.contains(&m) {
                    return r.invalid("duplicate sorted set member");
                }
                if zs.add(sc, &m, Default::default(), lim).is_err() {
                    return r.invalid("NaN score in sorted set");
                }
                prev = Some((sc, m));
            }
            match z {
                Some(z) => Value::ZSet(Box::new(z)),
                None => return r.invalid("empty sorted set"),
            }
        }
        T_HASH => {
            let n = r.count(2, "hash field")?;
            if n == 0 {
                return r.invalid("empty hash");
            }
            let order = r.u8()?;
            if order != HASH_ORDERED && order != HASH_SORTED {
                return r.invalid(format!("unknown hash order {order}"));
            }
            let lim = crate::types::hash::Limits::of(&cfg.config);
            let mut h = Hash::new(rng.next_u64());
            let mut prev: Option<Vec<u8>> = None;
            for _ in 0..n {
                let f = r.bytes()?;
                let v = r.bytes()?;
                if order == HASH_SORTED && prev.as_ref().is_some_and(|p| *p >= f) {
                    return r.invalid("hash fields out of order");
                }
                if !h.set(&f, &v, lim) {
                    return r.invalid(format!("duplicate hash field {:?}", String::from_utf8_lossy(&f)));
                }
                if order == HASH_SORTED {
                    prev = Some(f);
                }
            }
            Value::Hash(Box::new(h))
        }
        T_STREAM => Value::Stream(Box::new(decode_stream(r)?)),
        t => return r.invalid(format!("unknown value type tag {t}")),
    };
    Ok((key, value, expire))
}

fn decode_stream(r: &mut Source<'_>) -> CResult<Stream> {
    let last_id = r.id()?;
    let max_deleted = r.id()?;
    let entries_added = r.var()?;
    let mut x = Stream::new();
    let nodes = r.count(3, "stream node")?;
    let mut builder = crate::types::stream::RawBuilder::default();
    for _ in 0..nodes {
        let nf = r.count(1, "stream master field")?;
        let mut fields: Vec<Vec<u8>> = Vec::with_capacity(nf as usize);
        for _ in 0..nf {
            fields.push(r.bytes()?);
        }
        let ni = r.count(3, "stream entry")?;
        if ni == 0 {
            return r.invalid("empty stream node");
        }
        for i in 0..ni {
            let flags = r.u8()?;
            if flags & !(ITEM_DELETED | ITEM_SAMEFIELDS) != 0 {
                return r.invalid(format!("unknown stream entry flags {flags}"));
            }
            let id = r.id()?;
            let same = flags & ITEM_SAMEFIELDS != 0;
            let mut fv: Vec<Vec<u8>> = Vec::new();
            if same {
                for f in &fields {
                    fv.push(f.clone());
                    fv.push(r.bytes()?);
                }
            } else {
                let np = r.count(2, "stream entry field")?;
                for _ in 0..np * 2 {
                    fv.push(r.bytes()?);
                }
            }
            let refs: Vec<&[u8]> = fv.iter().map(|v| v.as_slice()).collect();
            let res = if i == 0 {
                let master_ok = same && refs.len() == fields.len() * 2;
                if !master_ok {
                    return r.invalid("stream node's first entry does not carry the master fields");
                }
                builder.start_node(&mut x.entries, id, &refs, flags & ITEM_DELETED != 0)
            } else {
                builder.push(&mut x.entries, id, &refs, flags & ITEM_DELETED != 0, same)
            };
            if let Err(why) = res {
                return r.invalid(why);
            }
        }
    }
    if let Err(why) = builder.finish(&mut x.entries, last_id, max_deleted, entries_added) {
        return r.invalid(why);
    }
    let ngroups = r.count(4, "consumer group")?;
    let mut prev_group: Option<Vec<u8>> = None;
    for _ in 0..ngroups {
        let name = r.bytes()?;
        if prev_group.as_ref().is_some_and(|p| *p >= name) {
            return r.invalid("consumer groups out of order or duplicated");
        }
        let glast = r.id()?;
        let entries_read = r.ivar()?;
        if entries_read < -1 {
            return r.invalid(format!("consumer group entries-read {entries_read} is negative"));
        }
        if entries_read > 0 && entries_read as u64 > entries_added {
            return r.invalid("consumer group entries-read beyond the stream's entries-added");
        }
        let mut g = Group::new(glast, entries_read);
        let nc = r.count(2, "consumer")?;
        let mut prev_c: Option<Vec<u8>> = None;
        for _ in 0..nc {
            let cname = r.bytes()?;
            if prev_c.as_ref().is_some_and(|p| *p >= cname) {
                return r.invalid("consumers out of order or duplicated");
            }
            let seen = r.ivar()?;
            g.create_consumer(&cname, seen);
            prev_c = Some(cname);
        }
        let np = r.count(5, "pending entry")?;
        let mut prev_id: Option<StreamId> = None;
        for _ in 0..np {
            let id = r.id()?;
            if prev_id.is_some_and(|p| p >= id) {
                return r.invalid("pending entries out of order or duplicated");
            }
            let delivery_time = r.ivar()?;
            let delivery_count = r.var()?;
            let consumer = r.bytes()?;
            if !g.consumers.contains_key(consumer.as_slice()) {
                return r.invalid(format!("pending entry names missing consumer {:?}", String::from_utf8_lossy(&consumer)));
            }
            let c: Box<[u8]> = consumer.into_boxed_slice();
            g.pel.insert(id, Nack { delivery_time, delivery_count, consumer: c.clone() });
            if let Some(cons) = g.consumers.get_mut(&c) {
                cons.pel.insert(id);
            }
            prev_id = Some(id);
        }
        x.groups.insert(name.clone().into_boxed_slice(), g);
        prev_group = Some(name);
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemStorage;

    #[test]
    fn crc64_xz_check_value() {
        assert_eq!(crc64::checksum(b"123456789"), 0x995D_C9BB_DF19_39FA);
        assert_eq!(crc64::checksum(b""), 0);
        // Split updates agree with one pass (slice-by-8 and the tail loop).
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
        let split = crc64::finish(crc64::update(crc64::update(crc64::INIT, &data[..13]), &data[13..]));
        assert_eq!(split, crc64::checksum(&data));
    }

    #[test]
    fn varints_round_trip_and_reject_overflow() {
        let mut st = MemStorage::new();
        st.begin("b").unwrap();
        let vals = [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX];
        {
            let mut s = Sink::new(&mut st, "b");
            for v in vals {
                s.var(v).unwrap();
            }
            s.ivar(-1).unwrap();
            s.ivar(i64::MIN).unwrap();
            s.put(&[0xff; 10]).unwrap();
            s.finish_with_crc().unwrap();
        }
        st.commit("b").unwrap();
        let size = st.blobs["b"].len() as u64;
        let mut r = Source::new(&mut st, "b", size);
        for v in vals {
            assert_eq!(r.var().unwrap(), v);
        }
        assert_eq!(r.ivar().unwrap(), -1);
        assert_eq!(r.ivar().unwrap(), i64::MIN);
        assert!(r.var().is_err());
    }

    #[test]
    fn big_values_cross_chunks() {
        let mut st = MemStorage::new();
        st.begin("b").unwrap();
        let big = alloc::vec![7u8; CHUNK * 2 + 5];
        {
            let mut s = Sink::new(&mut st, "b");
            s.bytes(b"x").unwrap();
            s.bytes(&big).unwrap();
            s.finish_with_crc().unwrap();
        }
        st.commit("b").unwrap();
        let size = st.blobs["b"].len() as u64;
        let mut r = Source::new(&mut st, "b", size);
        assert_eq!(r.bytes().unwrap(), b"x");
        assert_eq!(r.bytes().unwrap(), big);
        let crc = r.crc();
        assert_eq!(r.u64().unwrap(), crc);
        assert_eq!(r.remaining(), 0);
    }
}
