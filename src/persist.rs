//! Persistence: snapshots and the journal through host [`Storage`], and the
//! engine state behind SAVE, BGSAVE, LASTSAVE, SHUTDOWN, `save` points,
//! `appendonly`/`appendfsync` and INFO persistence.
//!
//! Blobs: `snapshot` (see [`crate::snapshot`]) and `journal` (see
//! [`crate::journal`]); layouts in `docs/FORMAT.md`.
//!
//! Epochs tie the two together. A snapshot carries an epoch; the journal's
//! header carries the epoch of the snapshot it follows, and load replays a
//! journal only when the epochs match. [`Engine::save`] writes the snapshot
//! with epoch + 1 and commits it, then replaces the journal with a fresh
//! header of the new epoch. A crash between the two leaves a journal with
//! the old epoch: its records are already in the new snapshot, so load
//! ignores it (and the next flush replaces it).
//!
//! What is journaled: every command flagged `write` that changed something
//! (the `dirty` counter moved, as Redis decides what to propagate), with its
//! db and instant, after it ran. Effects replay would not reproduce are
//! rewritten: SPOP becomes SREM of what was chosen (DEL when it emptied the
//! set); a blocking command served later becomes its non-blocking form on
//! the key that served it; evictions arrive through [`Engine::propagate`]
//! as DEL. Commands run by EXEC are framed by MULTI/EXEC records so a torn
//! transaction is dropped whole. Expiry needs no records: TTLs are absolute
//! times and replay runs each record at its recorded instant, so lazy and
//! active expiry happen identically (keys expired by then are dropped at
//! load or on first touch).
//!
//! Writes made through the typed API ([`Engine::with_ctx`] and the typed
//! methods built on it) carry no command line to journal: one makes the
//! next flush write a full snapshot instead (durable, but costly; hosts
//! that care feed commands through `execute`).
//!
//! Without storage attached, SAVE and BGSAVE succeed as no-ops that reset
//! the change counter and LASTSAVE (an embedder with no storage asked for an
//! in-memory engine; failing every SAVE would only break clients), and
//! SHUTDOWN only sets the flag. [`Engine::load`] without storage is an
//! error.

use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::clock::Clock;
use crate::cmd::{flags, Command, Ctx};
use crate::engine::{Engine, SYSTEM_CLIENT};
use crate::error::Error;
use crate::journal;
use crate::reply::Reply;
use crate::snapshot::{self, CodecError};
use crate::storage::Storage;

/// Blob name of the snapshot.
pub const SNAPSHOT: &str = "snapshot";
/// Blob name of the journal.
pub const JOURNAL: &str = "journal";

/// Why a persistence operation failed: which blob, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistError {
    /// The blob concerned (`snapshot`, `journal`), or `storage` when none
    /// is attached.
    pub blob: String,
    /// What went wrong (the host's message for storage failures, the
    /// validation failure with its byte offset for bad data).
    pub reason: String,
}

impl PersistError {
    fn new(blob: &str, reason: impl Into<String>) -> Self {
        PersistError { blob: blob.into(), reason: reason.into() }
    }

    fn codec(blob: &str, e: CodecError) -> Self {
        PersistError::new(blob, e.to_string())
    }
}

impl fmt::Display for PersistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.blob, self.reason)
    }
}

impl core::error::Error for PersistError {}

impl From<PersistError> for Error {
    /// The reply a command gets: Redis answers a failed SAVE with a bare
    /// `-ERR`; the reason goes to the host's log through [`PersistError`].
    fn from(_: PersistError) -> Error {
        Error::msg("ERR")
    }
}

/// What [`Engine::load`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadReport {
    /// A snapshot was found and loaded.
    pub snapshot_found: bool,
    /// Keys loaded from the snapshot.
    pub keys_loaded: u64,
    /// Keys in the snapshot that had already expired, dropped.
    pub expired_dropped: u64,
    /// Journal records replayed.
    pub journal_records: u64,
    /// A torn or corrupt last journal record was dropped: the warning text.
    pub torn_tail: Option<String>,
    /// A journal of another epoch was found and ignored: the warning text.
    pub stale_journal: Option<String>,
}

impl LoadReport {
    /// The warnings a host should log (torn tail, stale journal).
    pub fn warnings(&self) -> Vec<String> {
        self.torn_tail.iter().chain(self.stale_journal.iter()).cloned().collect()
    }
}

/// `appendfsync`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fsync {
    /// Sync after every flush, before replies go out.
    Always,
    /// Sync once a second from [`Engine::tick`].
    #[default]
    EverySec,
    /// Never sync; the host's storage decides.
    No,
}

/// Persistence state kept in the engine.
#[derive(Default)]
pub struct PersistState {
    storage: Option<Box<dyn Storage + Send>>,
    /// Epoch of the last snapshot written or loaded.
    epoch: u64,
    /// Encoded journal records not yet appended.
    buf: Vec<u8>,
    /// The journal on storage has a valid header for `epoch` and ends on a
    /// record boundary: records may be appended.
    journal_ready: bool,
    /// When set, the journal on storage has this valid prefix (header
    /// included) followed by a torn tail to cut before appending.
    torn_prefix: Option<u64>,
    /// The dataset may hold writes the storage does not: the first flush
    /// writes a full snapshot (storage attached without load, appendonly
    /// switched on).
    need_snapshot: bool,
    /// Appended bytes not yet synced.
    unsynced: bool,
    last_sync_ms: u64,
    pub(crate) appendonly: bool,
    pub(crate) fsync: Fsync,
    save_points: Vec<(u64, u64)>,
    stop_writes_on_error: bool,
    /// Replaying the journal: nothing is recorded.
    replaying: bool,
    /// The running command's instant, for records made while it runs.
    cmd_now: Option<u64>,
    /// Set by a handler that journaled its effects itself.
    suppress: bool,
    /// Commands being dispatched inside one another (EXEC's and scripts'
    /// commands run inside them): only the outermost frames what ran as
    /// MULTI/EXEC, since a transaction cannot nest on replay.
    nesting: u32,
    /// The command line the next typed call is journaled as, when it
    /// writes (see [`Engine::journal_typed_as`]).
    pub(crate) typed_as: Option<Vec<Vec<u8>>>,
    /// The host calls [`Engine::flush_journal`] itself.
    host_flushes: bool,
    /// Unix ms of the last successful save (or start).
    pub(crate) last_save_ms: u64,
    last_save_try_ms: u64,
    pub(crate) last_save_ok: bool,
    pub(crate) saves: u64,
    pub(crate) last_save_secs: i64,
    pub(crate) journal_error: Option<String>,
    /// With `appendfsync always` and no host flushing, a command's journal
    /// record could not be made durable: Redis exits rather than reply, so
    /// the host must drop the reply and stop the database.
    fatal: Option<String>,
    pub(crate) load_keys: u64,
    pub(crate) load_expired: u64,
    shutdown: bool,
    /// Writes are refused with this error (MISCONF).
    deny: Option<&'static str>,
    initialized: bool,
    /// A BGSAVE asked for inside EXEC, run by the next tick.
    save_scheduled: bool,
    /// Journal bytes on storage, and right after the last compaction
    /// (`auto-aof-rewrite-percentage` / `-min-size`).
    journal_size: u64,
    journal_base: u64,
    rewrite_pct: u64,
    rewrite_min: u64,
    /// The background save in progress.
    bg: Option<Box<BgSave>>,
    /// The epoch in the journal's header: `epoch` (the snapshot's), or
    /// the one before when the snapshot was written in the background and
    /// names the offset it follows in this older journal.
    journal_epoch: u64,
}

/// A background save in progress: the snapshot written in steps by
/// [`Engine::persist_tick`] while commands run (see
/// [`snapshot::Background`]).
struct BgSave {
    writer: snapshot::Background,
    /// The new snapshot's epoch.
    epoch: u64,
    started_ms: u64,
    /// `dirty` at the start: what remains after the save is what came
    /// since (Redis's `dirty_before_bgsave`).
    dirty_before: u64,
    /// With a journal: its epoch and size at the start. Its records from
    /// that offset on are the writes that follow the snapshot; they become
    /// the new journal once the snapshot is committed.
    journal: Option<(u64, u64)>,
    /// Every byte is written and the dbs' copy-on-write ended: the steps
    /// now wait for the storage to make it durable
    /// ([`Storage::prepare_commit`]), then commit.
    written: bool,
}

/// Budget of one background-save step, in bytes written plus a cost a
/// record and an element (see `snapshot::encode_part`): 40-90 us
/// of encoding whatever the data (`timing_background_steps` in
/// tests/bgsave.rs), the longest a client waits for a step. A value
/// bigger than this is written over several steps; a step goes over by
/// at most one element (or one stream node). Half of what it was (128
/// KiB): the save takes about 10% longer, its worst wait halves.
pub const BGSAVE_STEP: usize = 64 * 1024;

impl fmt::Debug for PersistState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersistState").field("epoch", &self.epoch).field("appendonly", &self.appendonly).finish()
    }
}

const BGSAVE_ERR: &str = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/// Redis retries a failed automatic save only after this many seconds.
const SAVE_RETRY_MS: u64 = 5_000;

/// A clock stopped at one instant: replay runs each record at its time.
struct FixedClock(u64);

impl Clock for FixedClock {
    fn now_micros(&self) -> u64 {
        self.0
    }
}

fn storage_err(blob: &str, e: crate::storage::StorageError) -> PersistError {
    PersistError::new(blob, e.message)
}

impl PersistState {
    fn journal_on(&self) -> bool {
        // Without storage nothing would ever drain the buffer.
        self.appendonly && !self.replaying && self.storage.is_some()
    }
}

impl Engine {
    fn persist_init(&mut self) {
        if !self.persist.initialized {
            self.refresh_persist_config();
        }
    }

    /// Re-reads `appendonly`, `appendfsync`, `save` and
    /// `stop-writes-on-bgsave-error` after a configuration change.
    pub(crate) fn refresh_persist_config(&mut self) {
        let c = &self.config;
        let appendonly = c.get_param("appendonly").is_some_and(|v| v == "yes");
        let fsync = match c.get_param("appendfsync").as_deref() {
            Some("always") => Fsync::Always,
            Some("no") => Fsync::No,
            _ => Fsync::EverySec,
        };
        let save = c.get_param("save").unwrap_or_default();
        let nums: Vec<u64> = save.split_ascii_whitespace().filter_map(|s| s.parse().ok()).collect();
        let points = nums.chunks_exact(2).map(|p| (p[0], p[1])).collect();
        let stop = c.get_param("stop-writes-on-bgsave-error").is_none_or(|v| v == "yes");
        let rewrite_pct = c.get_param("auto-aof-rewrite-percentage").and_then(|v| v.parse().ok()).unwrap_or(100);
        let rewrite_min = c.get_param("auto-aof-rewrite-min-size").and_then(|v| v.parse().ok()).unwrap_or(64 << 20);
        let start_ms = self.start_ms;
        let p = &mut self.persist;
        if !p.initialized {
            p.initialized = true;
            p.last_save_ms = start_ms;
            p.last_save_ok = true;
            p.last_save_secs = -1;
        }
        if appendonly && !p.appendonly && p.storage.is_some() {
            // Records from now on need a base holding everything before.
            p.need_snapshot = true;
        }
        p.appendonly = appendonly;
        p.fsync = fsync;
        p.save_points = points;
        p.stop_writes_on_error = stop;
        p.rewrite_pct = rewrite_pct;
        p.rewrite_min = rewrite_min;
        self.refresh_deny();
    }

    fn refresh_deny(&mut self) {
        let p = &mut self.persist;
        p.deny = if p.stop_writes_on_error && !p.save_points.is_empty() && !p.last_save_ok && p.storage.is_some() {
            Some(BGSAVE_ERR)
        } else {
            None
        };
    }

    /// The MISCONF error a write (or PING) gets while persistence is
    /// failing, as Redis's `writeCommandsDeniedByDiskError`.
    pub(crate) fn write_denied(&self, cmd: &Command, id: crate::ClientId) -> Option<Error> {
        if (self.persist.deny.is_none() && self.persist.journal_error.is_none()) || self.persist.replaying {
            return None;
        }
        let is_write = cmd.has(flags::WRITE)
            || cmd.name == "ping"
            || (cmd.name == "exec"
                && self.clients.get(&id).and_then(|c| c.multi.as_ref()).is_some_and(|m| {
                    m.queue.iter().any(|a| {
                        let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
                        self.table.resolve(&refs).is_ok_and(|(c, _, _)| c.has(flags::WRITE))
                    })
                }));
        if !is_write {
            return None;
        }
        self.persist_write_error()
    }

    /// The MISCONF error writes get while persistence is failing, if it is.
    pub(crate) fn persist_write_error(&self) -> Option<Error> {
        if self.persist.replaying {
            return None;
        }
        if let Some(d) = self.persist.deny {
            return Some(Error::msg(d));
        }
        if self.persist.appendonly {
            if let Some(e) = &self.persist.journal_error {
                return Some(Error::msg(format!("MISCONF Errors writing to the AOF file: {e}")));
            }
        }
        None
    }

    /// Attaches the host's storage. Nothing is read until [`Engine::load`];
    /// until then the first journal flush writes a full snapshot instead of
    /// appending to whatever the storage holds.
    pub fn set_storage(&mut self, s: Box<dyn Storage + Send>) {
        self.persist_init();
        self.persist.storage = Some(s);
        self.persist.need_snapshot = true;
        self.persist.journal_ready = false;
        self.persist.torn_prefix = None;
        self.refresh_deny();
    }

    /// True when storage is attached.
    pub fn has_storage(&self) -> bool {
        self.persist.storage.is_some()
    }

    /// Detaches and returns the storage (tests inspect it; hosts close it).
    pub fn take_storage(&mut self) -> Option<Box<dyn Storage + Send>> {
        self.persist.storage.take()
    }

    /// The whole of blob `name` from the attached storage; the reason when
    /// it cannot be read (missing, or no storage: "No such file or
    /// directory", as for a missing file).
    pub(crate) fn read_blob(&mut self, name: &str) -> Result<Vec<u8>, String> {
        const MISSING: &str = "No such file or directory";
        let st = self.persist.storage.as_deref_mut().ok_or_else(|| String::from(MISSING))?;
        let size = st.size(name).map_err(|e| e.message)?.ok_or_else(|| String::from(MISSING))?;
        let mut out = alloc::vec![0u8; usize::try_from(size).map_err(|_| String::from("File too large"))?];
        let mut at = 0;
        while at < out.len() {
            let n = st.read_at(name, at as u64, &mut out[at..]).map_err(|e| e.message)?;
            if n == 0 {
                out.truncate(at);
                break;
            }
            at += n;
        }
        Ok(out)
    }

    /// Replaces blob `name` with `data` (staged, then committed; the old
    /// blob stays on error).
    pub(crate) fn write_blob(&mut self, name: &str, data: &[u8]) -> Result<(), String> {
        let st = self.persist.storage.as_deref_mut().ok_or_else(|| String::from("no storage attached"))?;
        let r = st.begin(name).and_then(|()| st.write(name, data)).and_then(|()| st.commit(name));
        if r.is_err() {
            st.abort(name);
        }
        r.map_err(|e| e.message)
    }

    /// Loads the snapshot (if any) and replays the journal that follows it,
    /// replacing the dataset. All or nothing: on error the dataset is as it
    /// was and the storage untouched.
    pub fn load(&mut self) -> Result<LoadReport, crate::persist::PersistError> {
        self.persist_init();
        self.bgsave_abort();
        let Some(mut st) = self.persist.storage.take() else {
            return Err(PersistError::new("storage", "no storage attached"));
        };
        let r = self.load_from(&mut *st);
        self.persist.storage = Some(st);
        self.refresh_deny();
        let r = r?;
        // Users from `aclfile` (Redis's ACLLoadUsersAtStartup): a missing or
        // invalid file fails the load, as it stops redis-server.
        let aclfile = self.config.get_param("aclfile").unwrap_or_default();
        if !aclfile.is_empty() {
            if !self.config.users.is_empty() {
                return Err(PersistError::new(
                    &aclfile,
                    "Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid. This setup is very likely to lead to configuration errors and security holes, please define either an ACL file or declare users directly in your redis.conf, but not both.",
                ));
            }
            self.acl_load(None).map_err(|e| PersistError::new(&aclfile, e))?;
        }
        Ok(r)
    }

    fn load_from(&mut self, st: &mut dyn Storage) -> Result<LoadReport, PersistError> {
        let now = self.now_ms();
        let mut report = LoadReport::default();
        let cfg = snapshot::DecodeConfig { databases: self.dbs.len(), config: self.config.clone(), now_ms: now };
        let mut base = None;
        let (dbs, epoch) = match st.size(SNAPSHOT).map_err(|e| storage_err(SNAPSHOT, e))? {
            Some(size) => {
                let d = snapshot::decode(st, SNAPSHOT, size, &cfg, &mut self.rng).map_err(|e| PersistError::codec(SNAPSHOT, e))?;
                report.snapshot_found = true;
                report.keys_loaded = d.keys;
                report.expired_dropped = d.expired;
                self.load_functions(&d.functions).map_err(|e| PersistError::new(SNAPSHOT, e))?;
                base = d.base;
                (d.dbs, d.epoch)
            }
            None => ((0..self.dbs.len()).map(|_| crate::keyspace::Db::new(self.rng.next_u64())).collect(), 0),
        };
        let old = core::mem::replace(&mut self.dbs, dbs);
        let mut journal_ready = false;
        let mut torn_prefix = None;
        let jsize = st.size(JOURNAL).map_err(|e| storage_err(JOURNAL, e))?;
        if let Some(size) = jsize {
            match self.replay(st, size, epoch, base, &mut report) {
                Ok(JournalState::Ready) => journal_ready = true,
                Ok(JournalState::Torn(at)) => torn_prefix = Some(at),
                Ok(JournalState::Stale) => {}
                Err(e) => {
                    self.dbs = old;
                    return Err(e);
                }
            }
        }
        drop(old);
        let p = &mut self.persist;
        p.epoch = epoch;
        p.journal_ready = journal_ready;
        p.torn_prefix = torn_prefix;
        p.journal_size = if journal_ready { jsize.unwrap_or(0) } else { 0 };
        // Redis takes the loaded AOF's size as the base for auto-rewrite.
        p.journal_base = p.journal_size;
        p.need_snapshot = false;
        p.buf.clear();
        p.last_save_ms = now;
        p.load_keys = report.keys_loaded;
        p.load_expired = report.expired_dropped;
        self.dirty = 0;
        for db in 0..self.dbs.len() {
            self.signal_all_ready(db);
        }
        Ok(report)
    }

    /// Replays the journal after a snapshot of `epoch`; `base` is the
    /// journal position a background snapshot was taken at (a journal of
    /// that epoch is replayed from that offset on: the snapshot was
    /// committed, the journal not yet compacted).
    fn replay(&mut self, st: &mut dyn Storage, size: u64, epoch: u64, base: Option<(u64, u64)>, report: &mut LoadReport) -> Result<JournalState, PersistError> {
        let mut rd = journal::Reader::new(st, JOURNAL, size);
        let jepoch = match rd.header() {
            Ok(e) => e,
            Err(CodecError::Invalid { reason, .. }) if size < journal::HEADER_LEN as u64 => {
                // A crash while the header itself was written.
                report.torn_tail = Some(format!("journal: {reason}; ignored"));
                return Ok(JournalState::Stale);
            }
            Err(e) => return Err(PersistError::codec(JOURNAL, e)),
        };
        self.persist.journal_epoch = jepoch;
        let skip_to = match base {
            _ if jepoch == epoch => 0,
            Some((be, offset)) if be == jepoch => offset,
            _ => {
                report.stale_journal = Some(format!("journal: epoch {jepoch} does not match the snapshot's epoch {epoch}; ignored as stale (the snapshot already holds its records)"));
                return Ok(JournalState::Stale);
            }
        };
        self.persist.replaying = true;
        let clock = core::mem::replace(&mut self.clock, Box::new(FixedClock(0)));
        let sys_db = self.clients.get(&SYSTEM_CLIENT).map_or(0, |c| c.db);
        let mut cur_db = usize::MAX;
        let result = (|| -> Result<JournalState, PersistError> {
            loop {
                match rd.next_record().map_err(|e| PersistError::codec(JOURNAL, e))? {
                    journal::Next::End => return Ok(JournalState::Ready),
                    journal::Next::Torn { offset, reason } => {
                        report.torn_tail = Some(format!("journal: dropped a torn last record at byte {offset}: {reason}"));
                        return Ok(JournalState::Torn(offset));
                    }
                    journal::Next::Record(rec, _) => {
                        let at = rd.offset();
                        // Records the background snapshot already holds.
                        if at <= skip_to {
                            continue;
                        }
                        if rec.db >= self.dbs.len() as u64 {
                            return Err(PersistError::new(JOURNAL, format!("record before byte {at} names db {} out of range", rec.db)));
                        }
                        let now_us = rec.time_ms.saturating_mul(1000);
                        self.clock = Box::new(FixedClock(now_us));
                        if rec.db as usize != cur_db {
                            let dbs = rec.db.to_string();
                            let sel: [&[u8]; 2] = [b"SELECT", dbs.as_bytes()];
                            self.call(SYSTEM_CLIENT, &sel, now_us, false, true);
                            cur_db = rec.db as usize;
                        }
                        let refs: Vec<&[u8]> = rec.argv.iter().map(|a| a.as_slice()).collect();
                        // Only what this build journals replays: writes and
                        // the MULTI/EXEC frame, never admin or debug commands.
                        let allowed = self.table.resolve(&refs).is_ok_and(|(c, _, _)| c.has(flags::WRITE) || matches!(c.name, "multi" | "exec"));
                        if !allowed {
                            return Err(PersistError::new(JOURNAL, format!("record before byte {at} holds {:?}, not a write command", String::from_utf8_lossy(refs[0]))));
                        }
                        let r = self.call(SYSTEM_CLIENT, &refs, now_us, false, true);
                        if let Some(Reply::Error(Error::UnknownCommand { .. })) = r {
                            return Err(PersistError::new(JOURNAL, format!("record before byte {at} holds an unknown command")));
                        }
                        // Messages a replayed command published to the
                        // internal client are not anyone's business.
                        if let Some(c) = self.clients.get_mut(&SYSTEM_CLIENT) {
                            c.outbox.clear();
                        }
                        self.drain_db_events();
                        report.journal_records += 1;
                    }
                }
            }
        })();
        self.persist.replaying = false;
        self.clock = clock;
        // A transaction cut by a torn tail never ran.
        self.discard_transaction(SYSTEM_CLIENT);
        if let Some(c) = self.clients.get_mut(&SYSTEM_CLIENT) {
            c.db = sys_db;
        }
        result
    }

    /// SAVE: writes a snapshot with a new epoch, then replaces the journal
    /// with an empty one of that epoch (compaction). On failure the previous
    /// snapshot stays in place and the error is returned; as with Redis's
    /// foreground `rdbSave`, `rdb_last_bgsave_status` is left as it was.
    pub fn save(&mut self) -> Result<(), PersistError> {
        self.save_with(false)
    }

    /// A background save (BGSAVE, `save` points, scheduled saves and
    /// compaction): as [`Engine::save`], but a failure turns
    /// `rdb_last_bgsave_status` to err and, with
    /// `stop-writes-on-bgsave-error`, writes are refused until a save works,
    /// as when Redis's fork child fails.
    ///
    /// The snapshot is written in steps by [`Engine::tick`] while commands
    /// keep running ([`snapshot::Background`]); this only starts it. A
    /// second one while it runs is refused with Redis's error text.
    pub fn bgsave(&mut self) -> Result<(), PersistError> {
        self.persist_init();
        if self.persist.bg.is_some() {
            return Err(PersistError::new(SNAPSHOT, "Background save already in progress"));
        }
        if self.persist.storage.is_none() {
            return self.save_with(true);
        }
        let now = self.now_ms();
        self.persist.last_save_try_ms = now;
        // The journal's offset marks every earlier write: flush it first.
        // A journal that is not in a state to continue (not ready, torn,
        // failing) gets a foreground save, which rewrites it.
        let journal = if self.persist.appendonly {
            let ok = self.flush_journal_inner(false).is_ok() && self.persist.journal_ready && self.persist.torn_prefix.is_none() && !self.persist.need_snapshot;
            if !ok {
                return self.save_with(true);
            }
            Some((self.persist.journal_epoch, self.persist.journal_size))
        } else {
            None
        };
        let epoch = self.persist.epoch.wrapping_add(1);
        let Some(mut st) = self.persist.storage.take() else { return Ok(()) };
        let functions: Vec<Vec<u8>> = self.function_codes().into_iter().map(<[u8]>::to_vec).collect();
        let refs: Vec<&[u8]> = functions.iter().map(|f| f.as_slice()).collect();
        let base = journal.unwrap_or((self.persist.epoch, 0));
        let r = st.begin(SNAPSHOT).map_err(|e| storage_err(SNAPSHOT, e)).and_then(|()| {
            snapshot::Background::start(&mut *st, SNAPSHOT, &mut self.dbs, &refs, epoch, base).map_err(|e| {
                st.abort(SNAPSHOT);
                PersistError::codec(SNAPSHOT, e)
            })
        });
        self.persist.storage = Some(st);
        match r {
            Ok(writer) => {
                self.persist.bg = Some(Box::new(BgSave { writer, epoch, started_ms: now, dirty_before: self.dirty, journal, written: false }));
                // The first step at once: a small dataset is saved before
                // the reply, as a fork child would have written it by then.
                self.bgsave_step(BGSAVE_STEP);
                Ok(())
            }
            Err(e) => {
                for db in self.dbs.iter_mut() {
                    db.end_snapshot();
                }
                self.persist.last_save_ok = false;
                self.refresh_deny();
                Err(e)
            }
        }
    }

    /// Whether a background save is in progress.
    pub fn bgsave_in_progress(&self) -> bool {
        self.persist.bg.is_some()
    }

    /// Runs one step of the background save in progress, if any, and says
    /// whether one is still in progress. [`Engine::tick`] runs a step too;
    /// a host that can (the native server's event loop) calls this between
    /// batches of commands so a snapshot finishes in seconds, not at
    /// `hz` steps a second.
    pub fn background_step(&mut self) -> bool {
        if self.persist.bg.is_some() && !self.script_busy() {
            self.bgsave_step(BGSAVE_STEP);
        }
        self.persist.bg.is_some()
    }

    /// `(keys written, keys in all)` of the background save in progress,
    /// and its start (ms).
    pub(crate) fn bgsave_progress(&self) -> Option<(u64, u64, u64)> {
        self.persist.bg.as_ref().map(|b| (b.writer.keys_done, b.writer.keys_total, b.started_ms))
    }

    /// Abandons the background save in progress, if any: the staged
    /// snapshot is dropped, the previous one stays (Redis's killRDBChild).
    pub(crate) fn bgsave_abort(&mut self) {
        if self.persist.bg.take().is_some() {
            if let Some(st) = self.persist.storage.as_deref_mut() {
                st.abort(SNAPSHOT);
            }
            for db in self.dbs.iter_mut() {
                db.end_snapshot();
            }
        }
    }

    /// Writes about `budget` more of the background save; once all is
    /// written and the storage has made it durable
    /// ([`Storage::prepare_commit`], asked once a step), commits it and
    /// moves the journal's tail behind it.
    pub(crate) fn bgsave_step(&mut self, budget: usize) {
        let Some(mut bg) = self.persist.bg.take() else { return };
        let Some(mut st) = self.persist.storage.take() else {
            self.persist.bg = Some(bg);
            return;
        };
        let r = if bg.written { Ok(Some(0)) } else { bg.writer.step(&mut *st, SNAPSHOT, &mut self.dbs, budget) };
        let outcome = match r {
            Ok(None) => {
                self.persist.storage = Some(st);
                self.persist.bg = Some(bg);
                return;
            }
            Ok(Some(_)) => {
                if !bg.written {
                    // Nothing is left to keep for the snapshot.
                    bg.written = true;
                    for db in self.dbs.iter_mut() {
                        db.end_snapshot();
                    }
                }
                match st.prepare_commit(SNAPSHOT) {
                    // The host is still syncing it: commit at a later step
                    // rather than wait for the disk here.
                    Ok(false) => {
                        self.persist.storage = Some(st);
                        self.persist.bg = Some(bg);
                        return;
                    }
                    Ok(true) => st.commit(SNAPSHOT).map_err(|e| storage_err(SNAPSHOT, e)),
                    Err(e) => {
                        st.abort(SNAPSHOT);
                        Err(storage_err(SNAPSHOT, e))
                    }
                }
            }
            Err(e) => {
                st.abort(SNAPSHOT);
                Err(PersistError::codec(SNAPSHOT, e))
            }
        };
        for db in self.dbs.iter_mut() {
            db.end_snapshot();
        }
        self.persist.storage = Some(st);
        let end = self.now_ms();
        match outcome {
            Ok(()) => {
                let p = &mut self.persist;
                p.epoch = bg.epoch;
                p.last_save_ok = true;
                p.last_save_ms = end;
                p.saves += 1;
                p.last_save_secs = (end.saturating_sub(bg.started_ms) / 1000) as i64;
                self.dirty = self.dirty.saturating_sub(bg.dirty_before);
                if let Some((jepoch, offset)) = bg.journal {
                    self.journal_follow(jepoch, offset, bg.epoch);
                }
            }
            Err(_) => self.persist.last_save_ok = false,
        }
        self.refresh_deny();
    }

    /// After a background snapshot of epoch `epoch` taken at offset
    /// `offset` of the journal of epoch `jepoch` was committed: the journal
    /// becomes a header of the new epoch followed by the records written
    /// since (compaction). Until it is, load replays the old journal from
    /// `offset` (the snapshot names it), so a crash here loses nothing.
    fn journal_follow(&mut self, jepoch: u64, offset: u64, epoch: u64) {
        let _ = self.flush_journal_inner(false);
        let Some(mut st) = self.persist.storage.take() else { return };
        let p = &mut self.persist;
        let r = (|| -> Result<u64, PersistError> {
            if !p.journal_ready || p.torn_prefix.is_some() || p.journal_size < offset || p.journal_epoch != jepoch {
                // The journal was rewritten meanwhile (a failure, then a
                // reset): its records since the snapshot cannot be told
                // apart. A foreground save follows (below).
                return Err(PersistError::new(JOURNAL, "journal rewritten during the background save"));
            }
            let mut tail = alloc::vec![0u8; (p.journal_size - offset) as usize];
            let mut at = 0;
            while at < tail.len() {
                let n = st.read_at(JOURNAL, offset + at as u64, &mut tail[at..]).map_err(|e| storage_err(JOURNAL, e))?;
                if n == 0 {
                    return Err(PersistError::new(JOURNAL, "journal shorter than recorded"));
                }
                at += n;
            }
            st.begin(JOURNAL).map_err(|e| storage_err(JOURNAL, e))?;
            let w = st.write(JOURNAL, &journal::header(epoch)).and_then(|()| st.write(JOURNAL, &tail)).and_then(|()| st.commit(JOURNAL));
            if let Err(e) = w {
                st.abort(JOURNAL);
                return Err(storage_err(JOURNAL, e));
            }
            Ok(journal::HEADER_LEN as u64 + tail.len() as u64)
        })();
        match r {
            Ok(size) => {
                p.journal_ready = true;
                p.journal_error = None;
                p.journal_size = size;
                p.journal_base = size;
                p.journal_epoch = epoch;
                p.unsynced = false;
            }
            // The old journal still replays from the snapshot's offset;
            // a foreground save makes snapshot and journal agree again.
            Err(_) => {
                self.persist.storage = Some(st);
                let _ = self.save_with(true);
                return;
            }
        }
        self.persist.storage = Some(st);
    }

    fn save_with(&mut self, background: bool) -> Result<(), PersistError> {
        self.persist_init();
        // A foreground save replaces a background one, as Redis kills its
        // child first (SHUTDOWN, FLUSHALL's save, the first journal flush).
        self.bgsave_abort();
        let now = self.now_ms();
        self.persist.last_save_try_ms = now;
        let Some(mut st) = self.persist.storage.take() else {
            self.dirty = 0;
            self.persist.last_save_ms = now;
            self.persist.last_save_ok = true;
            return Ok(());
        };
        let epoch = self.persist.epoch.wrapping_add(1);
        let r = (|| -> Result<(), PersistError> {
            st.begin(SNAPSHOT).map_err(|e| storage_err(SNAPSHOT, e))?;
            let functions = self.function_codes();
            if let Err(e) = snapshot::encode(&mut *st, SNAPSHOT, &self.dbs, &functions, epoch) {
                st.abort(SNAPSHOT);
                return Err(PersistError::codec(SNAPSHOT, e));
            }
            st.commit(SNAPSHOT).map_err(|e| storage_err(SNAPSHOT, e))
        })();
        let end = self.now_ms();
        let p = &mut self.persist;
        match r {
            Ok(()) => {
                p.epoch = epoch;
                p.buf.clear();
                p.journal_ready = false;
                p.torn_prefix = None;
                p.need_snapshot = false;
                p.last_save_ok = true;
                p.last_save_ms = end;
                p.saves += 1;
                p.last_save_secs = (end.saturating_sub(now) / 1000) as i64;
                self.dirty = 0;
                if p.appendonly {
                    // The snapshot is safe; a journal failure here is a
                    // journal error, retried by the next flush.
                    if let Err(e) = reset_journal(&mut *st, epoch, None) {
                        p.journal_error = Some(e.reason);
                    } else {
                        p.journal_epoch = epoch;
                        p.journal_ready = true;
                        p.journal_error = None;
                        p.journal_size = journal::HEADER_LEN as u64;
                        p.journal_base = p.journal_size;
                    }
                }
            }
            Err(_) if background => p.last_save_ok = false,
            Err(_) => {}
        }
        self.persist.storage = Some(st);
        self.refresh_deny();
        r
    }

    /// Writes buffered journal records to storage and, with
    /// `appendfsync always`, syncs them: the host calls this after each
    /// batch of commands, before sending their replies.
    pub fn flush_journal(&mut self) -> Result<(), PersistError> {
        self.persist.host_flushes = true;
        // A busy script's records wait for its end (see persist_tick).
        if self.script_busy() {
            return Ok(());
        }
        self.flush_journal_inner(self.persist.fsync == Fsync::Always)
    }

    fn flush_journal_inner(&mut self, sync: bool) -> Result<(), PersistError> {
        self.persist_init();
        if self.persist.storage.is_none() {
            self.persist.buf.clear();
            return Ok(());
        }
        if !self.persist.appendonly {
            self.persist.buf.clear();
            return Ok(());
        }
        if self.persist.need_snapshot {
            // Everything buffered is in the dataset the snapshot captures.
            return self.save().inspect_err(|e| self.persist.journal_error = Some(e.to_string()));
        }
        let Some(mut st) = self.persist.storage.take() else { return Ok(()) };
        let now = self.now_ms();
        let p = &mut self.persist;
        let r = (|| -> Result<(), PersistError> {
            if !p.journal_ready {
                reset_journal(&mut *st, p.epoch, p.torn_prefix)?;
                if p.torn_prefix.is_none() {
                    p.journal_epoch = p.epoch;
                }
                p.journal_size = p.torn_prefix.unwrap_or(journal::HEADER_LEN as u64);
                p.journal_base = p.journal_size;
                p.journal_ready = true;
                p.torn_prefix = None;
            }
            if !p.buf.is_empty() {
                st.append(JOURNAL, &p.buf).map_err(|e| storage_err(JOURNAL, e))?;
                p.journal_size += p.buf.len() as u64;
                p.buf.clear();
                p.unsynced = true;
            }
            if sync && p.unsynced {
                st.sync(JOURNAL).map_err(|e| storage_err(JOURNAL, e))?;
                p.unsynced = false;
                p.last_sync_ms = now;
            }
            Ok(())
        })();
        match &r {
            Ok(()) => p.journal_error = None,
            Err(e) => p.journal_error = Some(e.reason.clone()),
        }
        self.persist.storage = Some(st);
        r
    }

    /// Writes the buffered journal records and syncs the journal, whatever
    /// `appendfsync` says: a host's explicit durability point (the npm
    /// package's `db.flush()`). Unlike [`Engine::flush_journal`] it does not
    /// take over the per-command flushing `appendfsync always` does.
    pub fn sync_journal(&mut self) -> Result<(), PersistError> {
        self.flush_journal_inner(true)
    }

    /// SHUTDOWN's work: flushes and syncs the journal, saves (`Some(true)`
    /// always, `Some(false)` never, `None` when `save` points are set), then
    /// sets the flag the host exits on. A failed save leaves the flag clear.
    pub fn shutdown(&mut self, save: Option<bool>) -> Result<(), PersistError> {
        self.shutdown_with(save, false)
    }

    pub(crate) fn shutdown_with(&mut self, save: Option<bool>, force: bool) -> Result<(), PersistError> {
        self.persist_init();
        if self.persist.appendonly && self.persist.storage.is_some() {
            let r = self.flush_journal_inner(true);
            if r.is_err() && !force {
                return r;
            }
        }
        let do_save = match save {
            Some(s) => s,
            None => !self.persist.save_points.is_empty(),
        };
        if do_save && self.persist.storage.is_some() {
            let r = self.save();
            if r.is_err() && !force {
                return r;
            }
        }
        self.persist.shutdown = true;
        Ok(())
    }

    /// True once SHUTDOWN (or [`Engine::shutdown`]) succeeded: the host
    /// flushes replies and exits.
    pub fn shutdown_requested(&self) -> bool {
        self.persist.shutdown
    }

    /// Unix seconds of the last successful save (LASTSAVE).
    pub fn lastsave(&mut self) -> u64 {
        self.persist_init();
        self.persist.last_save_ms / 1000
    }

    /// True while the journal is replayed: checks that must not refuse
    /// replayed writes (maxmemory, as Redis loading an AOF) consult this.
    pub fn replaying(&self) -> bool {
        self.persist.replaying
    }

    /// BGSAVE inside a transaction: Redis schedules it for after EXEC.
    pub(crate) fn schedule_save(&mut self) {
        self.persist.save_scheduled = true;
    }

    /// The current snapshot epoch.
    pub fn persist_epoch(&self) -> u64 {
        self.persist.epoch
    }

    /// Periodic persistence work from [`Engine::tick`]: `save` points, the
    /// once-a-second sync of `appendfsync everysec`, and flushing buffered
    /// records when the host does not.
    pub(crate) fn persist_tick(&mut self, now: u64) {
        self.persist_init();
        if self.persist.storage.is_none() {
            self.persist.buf.clear();
            return;
        }
        // A busy script's effects reach the journal together, framed, when
        // it ends: nothing of it is flushed before (Redis propagates a
        // script's effects at its end).
        if self.script_busy() {
            return;
        }
        if self.persist.bg.is_some() {
            self.bgsave_step(BGSAVE_STEP);
        }
        if self.persist.appendonly {
            let sync = match self.persist.fsync {
                Fsync::Always => true,
                Fsync::EverySec => now.saturating_sub(self.persist.last_sync_ms) >= 1000,
                Fsync::No => false,
            };
            if !self.persist.buf.is_empty() || (sync && self.persist.unsynced) || self.persist.need_snapshot || !self.persist.journal_ready || self.persist.journal_error.is_some() {
                let _ = self.flush_journal_inner(sync);
            }
        }
        let p = &self.persist;
        // auto-aof-rewrite: compact once the journal grew by the percentage
        // over its size after the last compaction, past the minimum size.
        let grown = p.appendonly
            && p.journal_ready
            && p.rewrite_pct > 0
            && p.journal_size >= p.rewrite_min
            && p.journal_size.saturating_sub(p.journal_base).saturating_mul(100) >= p.journal_base.max(1).saturating_mul(p.rewrite_pct);
        if self.persist.bg.is_none() && (core::mem::take(&mut self.persist.save_scheduled) || grown) {
            let _ = self.bgsave();
        }
        let p = &self.persist;
        let retry_ok = p.last_save_ok || now.saturating_sub(p.last_save_try_ms) > SAVE_RETRY_MS;
        let due = retry_ok && p.save_points.iter().any(|&(secs, changes)| self.dirty >= changes && now.saturating_sub(p.last_save_ms) > secs.saturating_mul(1000));
        if due && self.persist.bg.is_none() {
            let _ = self.bgsave();
        }
    }

    /// The earliest instant (ms) at which persistence needs [`Engine::tick`]:
    /// a scheduled BGSAVE or a grown journal at once, an `everysec` fsync a
    /// second after the last one, a due `save` point, a retry of a failed
    /// journal write a second from now. `None` when nothing is pending, so
    /// an idle host can sleep until the next command.
    pub(crate) fn persist_wakeup_ms(&self, now: u64) -> Option<u64> {
        let p = &self.persist;
        p.storage.as_ref()?;
        let mut at: Option<u64> = None;
        let mut at_least = |t: u64| at = Some(at.map_or(t, |a| a.min(t)));
        // A background save runs a step every time the host comes round.
        if p.bg.is_some() {
            at_least(now);
        }
        if p.save_scheduled {
            at_least(now);
        }
        if p.appendonly {
            if !p.buf.is_empty() {
                at_least(now);
            }
            if p.need_snapshot || !p.journal_ready || p.journal_error.is_some() {
                at_least(now.saturating_add(1000));
            }
            if p.unsynced && p.fsync == Fsync::EverySec {
                at_least(p.last_sync_ms.saturating_add(1000));
            }
            let grown = p.journal_ready
                && p.rewrite_pct > 0
                && p.journal_size >= p.rewrite_min
                && p.journal_size.saturating_sub(p.journal_base).saturating_mul(100) >= p.journal_base.max(1).saturating_mul(p.rewrite_pct);
            if grown {
                at_least(now);
            }
        }
        // A save point is due once `secs` passed since the last save and
        // `changes` writes happened; a failed save is retried after
        // SAVE_RETRY_MS (the same rules as `persist_tick`).
        let retry = if p.last_save_ok { 0 } else { p.last_save_try_ms.saturating_add(SAVE_RETRY_MS + 1) };
        for &(secs, changes) in &p.save_points {
            if self.dirty >= changes {
                at_least(p.last_save_ms.saturating_add(secs.saturating_mul(1000)).saturating_add(1).max(retry));
            }
        }
        at
    }

    /// Before a command runs: remembers its instant for records made while
    /// it runs; returns what [`Engine::journal_after`] needs.
    pub(crate) fn journal_before(&mut self, now: u64) -> (u64, Option<u64>, usize) {
        let prev = self.persist.cmd_now.replace(now);
        self.persist.suppress = false;
        self.persist.nesting += 1;
        (self.dirty, prev, self.persist.buf.len())
    }

    /// After a command ran: records it (or its rewrite) when it is a write
    /// that changed something; frames what EXEC ran with MULTI/EXEC.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn journal_after(&mut self, cmd: &Command, argv: &[&[u8]], db: usize, now: u64, before: (u64, Option<u64>, usize), reexec: bool) {
        let (dirty0, prev_now, mark) = before;
        let suppress = core::mem::take(&mut self.persist.suppress);
        self.persist.cmd_now = prev_now;
        self.persist.nesting = self.persist.nesting.saturating_sub(1);
        let outermost = self.persist.nesting == 0;
        if !self.persist.journal_on() {
            return;
        }
        if matches!(cmd.name, "exec" | "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro") {
            // A script that went busy frames its records when it ends
            // (`journal_frame_since`).
            if self.script_busy() {
                return;
            }
            // Several records from one transaction (or one script: its
            // effects, never the script itself, as Redis 7 propagates them)
            // replay as one.
            // (A buffer flushed or dropped meanwhile has nothing to frame.)
            if !outermost || mark > self.persist.buf.len() {
                return;
            }
            if count_records(&self.persist.buf[mark..]) > 1 {
                let mut head = Vec::new();
                journal::encode_record(&mut head, db as u64, now, &[b"MULTI".as_slice()]);
                self.persist.buf.splice(mark..mark, head);
                journal::encode_record(&mut self.persist.buf, db as u64, now, &[b"EXEC".as_slice()]);
            }
            return;
        }
        if self.dirty == dirty0 || !cmd.has(flags::WRITE) || suppress {
            return;
        }
        if reexec {
            if let Some(key) = self.serving_key(db).map(|k| k.to_vec()) {
                if let Some(r) = blocking_rewrite(argv, &key) {
                    journal::encode_record(&mut self.persist.buf, db as u64, now, &r);
                    return;
                }
            }
        }
        journal::encode_record(&mut self.persist.buf, db as u64, now, argv);
    }

    /// After `execute`: with `appendfsync always` and a host that never
    /// calls [`Engine::flush_journal`], flush here so a reply never leaves
    /// before its write is durable.
    pub(crate) fn journal_after_execute(&mut self) {
        if self.persist.appendonly && self.persist.fsync == Fsync::Always && !self.persist.host_flushes && !self.persist.buf.is_empty() && !self.script_busy() {
            if let Err(e) = self.flush_journal_inner(true) {
                self.persist.fatal.get_or_insert_with(|| e.to_string());
            }
        }
    }

    /// Set once a command's journal record could not be made durable under
    /// `appendfsync always` (hosts that leave flushing to the engine): the
    /// reply must not be sent, and the database must stop, as Redis exits
    /// ("Can't recover from failure in writing to the append-only file").
    /// Reopening loads every acknowledged write.
    pub fn journal_fatal(&self) -> Option<&str> {
        self.persist.fatal.as_deref()
    }

    /// Records an effect for the journal (Redis's `alsoPropagate`): at the
    /// running command's instant, or now outside commands.
    pub(crate) fn journal_propagate(&mut self, db: usize, argv: &[&[u8]]) {
        if !self.persist.journal_on() {
            return;
        }
        let now = match self.persist.cmd_now {
            Some(t) => t,
            None => self.now_ms(),
        };
        journal::encode_record(&mut self.persist.buf, db as u64, now, argv);
    }

    /// Whether writes are being journaled (`appendonly yes` with storage
    /// attached, not replaying): when false, [`Engine::journal_typed_as`]
    /// has nothing to do and callers may skip building its argument.
    pub fn journaling(&self) -> bool {
        self.persist.journal_on()
    }

    /// Says which command the next typed call ([`Engine::with_ctx`] and the
    /// typed `Engine` methods built on it) is equivalent to: if that call
    /// writes, the journal records `argv` at the call's instant, exactly as
    /// it records a command (replay runs the command at that instant, so
    /// relative expiries and `*` stream ids come out the same), instead of
    /// making the next flush write a whole snapshot. A handler's own
    /// rewrite (SPOP's SREM) still replaces it. Without it, a typed write
    /// costs a snapshot (O(dataset)) at the next flush.
    pub fn journal_typed_as(&mut self, argv: &[&[u8]]) {
        if self.persist.journal_on() {
            self.persist.typed_as = Some(argv.iter().map(|a| a.to_vec()).collect());
        }
    }

    /// The typed call about to run is the command `line` builds: its
    /// journal record if it writes (see [`Engine::journal_typed_as`]).
    /// `line` runs only while journaling, so typed calls build no command
    /// line otherwise. The typed methods of the commands the WIT and
    /// wasi:keyvalue expose use it; the others fall back to a snapshot.
    pub(crate) fn typed_line(&mut self, line: impl FnOnce() -> Vec<Vec<u8>>) {
        if self.persist.journal_on() {
            self.persist.typed_as = Some(line());
        }
    }

    /// Forgets a [`Engine::journal_typed_as`] no typed call consumed (the
    /// caller refused its arguments before reaching the engine), so it
    /// cannot be taken for the record of a later, different call.
    pub fn journal_typed_cancel(&mut self) {
        self.persist.typed_as = None;
    }

    /// Before a typed-API call: its instant for records made while it
    /// runs, as [`Engine::journal_before`] does for commands.
    pub(crate) fn journal_typed_before(&mut self, now: u64) -> (u64, Option<u64>, bool) {
        let prev = self.persist.cmd_now.replace(now);
        (self.dirty, prev, core::mem::take(&mut self.persist.suppress))
    }

    /// After a typed-API call: a write is journaled as the command given to
    /// [`Engine::journal_typed_as`]; a write without one makes the next
    /// flush write a full snapshot, so it is as durable as a journaled
    /// command once flushed. With `appendfsync always` the record is
    /// flushed before the call returns, as after a command.
    pub(crate) fn journal_typed_after(&mut self, db: usize, now: u64, before: (u64, Option<u64>, bool)) {
        let (dirty0, prev_now, prev_suppress) = before;
        let suppress = core::mem::take(&mut self.persist.suppress);
        let typed_as = self.persist.typed_as.take();
        self.persist.cmd_now = prev_now;
        if prev_now.is_some() {
            // Inside a running command: its record (or its handler's
            // rewrite, which this call's rewrite joins) covers the call.
            self.persist.suppress = prev_suppress || suppress;
            return;
        }
        if self.dirty == dirty0 || !self.persist.journal_on() {
            return;
        }
        match typed_as {
            Some(argv) if !suppress => {
                let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
                journal::encode_record(&mut self.persist.buf, db as u64, now, &argv);
            }
            Some(_) => {}
            None => self.persist.need_snapshot = true,
        }
        self.journal_after_execute();
    }

    /// Bytes of journal records waiting to be flushed.
    pub fn journal_pending(&self) -> usize {
        self.persist.buf.len()
    }
}

/// A command line: `head`, then every item of `rest` (typed calls'
/// journal records, see [`Engine::typed_line`]).
pub(crate) fn cmd_line<'a>(head: &[&[u8]], rest: impl IntoIterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
    head.iter().map(|a| a.to_vec()).chain(rest.into_iter().map(<[u8]>::to_vec)).collect()
}

impl Ctx<'_> {
    /// Journals `argv` (in the selected db) in place of the running
    /// command: for commands whose replay would choose differently (SPOP).
    /// Call once per effect; the command's own line is then not recorded.
    pub fn journal_instead(&mut self, argv: &[&[u8]]) {
        let db = self.db;
        self.eng.journal_propagate(db, argv);
        self.eng.persist.suppress = true;
    }

    /// SPOP's journal rewrite: SREM of the chosen members, or DEL when the
    /// set was emptied.
    pub fn journal_spop(&mut self, key: &[u8], popped: &[Vec<u8>]) {
        if !self.eng.persist.journal_on() || popped.is_empty() {
            return;
        }
        if self.eng.dbs[self.db].lookup_raw(key).is_none() {
            self.journal_instead(&[b"DEL", key]);
        } else {
            let mut argv: Vec<&[u8]> = Vec::with_capacity(popped.len() + 2);
            argv.push(b"SREM");
            argv.push(key);
            argv.extend(popped.iter().map(|m| m.as_slice()));
            self.journal_instead(&argv);
        }
    }
}

enum JournalState {
    Ready,
    Torn(u64),
    Stale,
}

/// Replaces the journal with a fresh header for `epoch`, or with its first
/// `prefix` bytes (a valid prefix before a torn tail), atomically.
fn reset_journal(st: &mut dyn Storage, epoch: u64, prefix: Option<u64>) -> Result<(), PersistError> {
    st.begin(JOURNAL).map_err(|e| storage_err(JOURNAL, e))?;
    let r = (|| -> Result<(), PersistError> {
        match prefix {
            None => st.write(JOURNAL, &journal::header(epoch)).map_err(|e| storage_err(JOURNAL, e))?,
            Some(n) => {
                let mut buf = alloc::vec![0u8; snapshot::CHUNK];
                let mut off = 0u64;
                while off < n {
                    let want = ((n - off) as usize).min(buf.len());
                    let got = st.read_at(JOURNAL, off, &mut buf[..want]).map_err(|e| storage_err(JOURNAL, e))?;
                    if got == 0 {
                        return Err(PersistError::new(JOURNAL, "journal shrank while its valid prefix was copied"));
                    }
                    st.write(JOURNAL, &buf[..got]).map_err(|e| storage_err(JOURNAL, e))?;
                    off += got as u64;
                }
            }
        }
        st.commit(JOURNAL).map_err(|e| storage_err(JOURNAL, e))
    })();
    if r.is_err() {
        st.abort(JOURNAL);
    }
    r
}

/// Number of framed records in `buf` (records this build wrote, so the
/// framing is trusted).
fn count_records(buf: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0usize;
    while i + journal::FRAME_LEN <= buf.len() {
        let len = u32::from_le_bytes([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]) as usize;
        i += journal::FRAME_LEN + len;
        n += 1;
    }
    n
}

/// The non-blocking form of a blocking command served from `key` (Redis
/// propagates BLPOP as LPOP, and so on), or `None` when it is not one.
fn blocking_rewrite(argv: &[&[u8]], key: &[u8]) -> Option<Vec<Vec<u8>>> {
    let name = argv.first()?.to_ascii_lowercase();
    let v = |s: &[u8]| s.to_vec();
    let out = match name.as_slice() {
        b"blpop" => alloc::vec![v(b"LPOP"), v(key)],
        b"brpop" => alloc::vec![v(b"RPOP"), v(key)],
        b"bzpopmin" => alloc::vec![v(b"ZPOPMIN"), v(key)],
        b"bzpopmax" => alloc::vec![v(b"ZPOPMAX"), v(key)],
        // BRPOPLPUSH src dst timeout / BLMOVE src dst wf wt timeout.
        b"brpoplpush" => alloc::vec![v(b"RPOPLPUSH"), v(argv.get(1)?), v(argv.get(2)?)],
        b"blmove" => alloc::vec![v(b"LMOVE"), v(argv.get(1)?), v(argv.get(2)?), v(argv.get(3)?), v(argv.get(4)?)],
        // BLMPOP timeout numkeys key... dir [COUNT n] -> LMPOP 1 key dir [COUNT n].
        b"blmpop" | b"bzmpop" => {
            let numkeys: usize = core::str::from_utf8(argv.get(2)?).ok()?.parse().ok()?;
            let rest = argv.get(3usize.checked_add(numkeys)?..)?;
            let mut out = alloc::vec![v(if name == b"blmpop" { b"LMPOP" } else { b"ZMPOP" }), v(b"1"), v(key)];
            out.extend(rest.iter().map(|a| a.to_vec()));
            out
        }
        // XREADGROUP ... [BLOCK ms] ... STREAMS k1 k2 id1 id2: only the
        // served stream, without BLOCK.
        b"xreadgroup" => {
            let mut out = Vec::new();
            let mut i = 0;
            while i < argv.len() {
                let a = argv[i];
                if a.eq_ignore_ascii_case(b"block") {
                    i += 2;
                    continue;
                }
                if a.eq_ignore_ascii_case(b"streams") {
                    let rest = &argv[i + 1..];
                    let n = rest.len() / 2;
                    let pos = rest[..n].iter().position(|k| *k == key)?;
                    out.push(v(a));
                    out.push(v(rest[pos]));
                    out.push(v(rest[n + pos]));
                    return Some(out);
                }
                out.push(v(a));
                i += 1;
            }
            return None;
        }
        _ => return None,
    };
    Some(out)
}

/// Entry points of the fuzz targets (`fuzz/`) and of `tests/fuzz_smoke.rs`:
/// each takes arbitrary bytes and must neither panic, hang nor allocate
/// beyond what the input's size justifies.
#[doc(hidden)]
pub mod fuzz {
    use super::*;
    use crate::storage::MemStorage;
    use crate::{Config, Options};

    fn engine(appendonly: bool) -> Engine {
        let mut c = Config::default();
        if appendonly {
            let _ = c.set_param("appendonly", "yes");
            let _ = c.set_param("appendfsync", "always");
        }
        Engine::new(Options { config: c, clock: Box::new(FixedClock(1_700_000_000_000_000)), seed: 1 })
    }

    /// Loads `data` as a snapshot; when it loads, saving and loading again
    /// must give the same bytes (the epoch aside).
    pub fn snapshot_load(data: &[u8]) {
        let mut st = MemStorage::new();
        st.blobs.insert(SNAPSHOT.into(), data.to_vec());
        let mut e = engine(false);
        e.set_storage(Box::new(st));
        if e.load().is_ok() {
            e.save().expect("saving to memory cannot fail");
            let again = snapshot_blob(&mut e);
            let mut e2 = engine(false);
            let mut st = MemStorage::new();
            st.blobs.insert(SNAPSHOT.into(), again.clone());
            e2.set_storage(Box::new(st));
            e2.load().expect("a snapshot this build wrote loads");
            e2.save().expect("saving to memory cannot fail");
            let third = snapshot_blob(&mut e2);
            assert_eq!(again.get(20..again.len().saturating_sub(8)), third.get(20..third.len().saturating_sub(8)));
        }
    }

    fn snapshot_blob(e: &mut Engine) -> Vec<u8> {
        let mut out = Vec::new();
        if let Some(mut st) = e.persist.storage.take() {
            if let Ok(Some(n)) = st.size(SNAPSHOT) {
                out = alloc::vec![0u8; n as usize];
                let _ = st.read_at(SNAPSHOT, 0, &mut out);
            }
            e.persist.storage = Some(st);
        }
        out
    }

    /// Replays `data` as a journal, raw and behind a valid header, on top of
    /// no snapshot (epoch 0).
    pub fn journal_replay(data: &[u8]) {
        for with_header in [false, true] {
            let mut blob = Vec::new();
            if with_header {
                blob.extend_from_slice(&journal::header(0));
            }
            blob.extend_from_slice(data);
            let mut st = MemStorage::new();
            st.blobs.insert(JOURNAL.into(), blob);
            let mut e = engine(true);
            e.set_storage(Box::new(st));
            if e.load().is_ok() {
                // Appending after a torn tail must leave a loadable journal.
                let _ = e.command(&[b"SET", b"fuzz-after-load", b"1"]);
                let _ = e.flush_journal();
                let st = e.take_storage();
                let mut e2 = engine(true);
                if let Some(st) = st {
                    e2.set_storage(st);
                    e2.load().expect("a journal after load and append reloads");
                }
            }
        }
    }

    /// Parses `data` as a stream of RESP requests.
    pub fn resp_parse(data: &[u8]) {
        let mut p = crate::resp::Parser::new(512 * 1024 * 1024);
        let mut off = 0usize;
        while off < data.len() {
            match p.parse(&data[off..]) {
                Ok(Some(req)) => {
                    let n = req.consumed();
                    let _ = req.iter().count();
                    if n == 0 {
                        break;
                    }
                    off += n;
                }
                Ok(None) | Err(_) => break,
            }
        }
        let _ = crate::resp::parse_owned(data, 1024 * 1024);
    }

    /// A valid snapshot holding every type, for seeding fuzzers.
    pub fn seed_snapshot() -> Vec<u8> {
        let mut e = engine(false);
        e.set_storage(Box::new(MemStorage::new()));
        let _ = e.load();
        seed_commands(&mut e);
        e.save().expect("saving to memory cannot fail");
        snapshot_blob(&mut e)
    }

    /// A valid journal of a session touching every type, for seeding.
    pub fn seed_journal() -> Vec<u8> {
        let mut e = engine(true);
        e.set_storage(Box::new(MemStorage::new()));
        let _ = e.load();
        seed_commands(&mut e);
        let _ = e.flush_journal();
        let mut out = Vec::new();
        if let Some(mut st) = e.take_storage() {
            if let Ok(Some(n)) = st.size(JOURNAL) {
                out = alloc::vec![0u8; n as usize];
                let _ = st.read_at(JOURNAL, 0, &mut out);
            }
        }
        out
    }

    fn seed_commands(e: &mut Engine) {
        let lines: &[&[&[u8]]] = &[
            &[b"SET", b"s", b"hello"],
            &[b"SET", b"n", b"42", b"PX", b"100000"],
            &[b"INCRBYFLOAT", b"f", b"1.5"],
            &[b"RPUSH", b"l", b"a", b"b", b"c"],
            &[b"SADD", b"i", b"1", b"2", b"3"],
            &[b"SADD", b"t", b"x", b"y"],
            &[b"SPOP", b"t"],
            &[b"ZADD", b"z", b"1", b"a", b"2.5", b"b"],
            &[b"HSET", b"h", b"f", b"v", b"g", b"w"],
            &[b"PFADD", b"p", b"a", b"b"],
            &[b"XADD", b"x", b"1-1", b"f", b"v"],
            &[b"XADD", b"x", b"2-1", b"f", b"w", b"g", b"u"],
            &[b"XADD", b"x", b"3-1", b"f", b"v"],
            &[b"XDEL", b"x", b"2-1"],
            &[b"XGROUP", b"CREATE", b"x", b"g", b"0"],
            &[b"XREADGROUP", b"GROUP", b"g", b"c", b"STREAMS", b"x", b">"],
            &[b"MULTI"],
            &[b"SET", b"m1", b"1"],
            &[b"EXPIRE", b"m1", b"100"],
            &[b"EXEC"],
            &[b"SELECT", b"3"],
            &[b"SET", b"db3", b"v"],
            &[b"SELECT", b"0"],
        ];
        for l in lines {
            let _ = e.command(l);
        }
    }
}

impl Engine {
    /// Every function library's code, for the snapshot.
    pub(crate) fn function_codes(&self) -> Vec<&[u8]> {
        #[cfg(feature = "scripting")]
        {
            self.functions.libs.values().map(|l| l.code.as_slice()).collect()
        }
        #[cfg(not(feature = "scripting"))]
        {
            Vec::new()
        }
    }

    /// Loads a snapshot's function libraries in place of the current ones.
    pub(crate) fn load_functions(&mut self, codes: &[Vec<u8>]) -> Result<(), String> {
        #[cfg(feature = "scripting")]
        {
            crate::script::function::flush(self);
            for code in codes {
                if let Err(e) = crate::script::function::load(self, code, false, false) {
                    return Err(format!("a function library does not load: {}", String::from_utf8_lossy(&e.to_bytes())));
                }
            }
            Ok(())
        }
        #[cfg(not(feature = "scripting"))]
        {
            if codes.is_empty() {
                Ok(())
            } else {
                Err(String::from("the snapshot holds function libraries and this build has no scripting"))
            }
        }
    }
}

impl Engine {
    /// Whether a script runs in slices (see [`crate::script`]).
    fn script_busy(&self) -> bool {
        #[cfg(feature = "scripting")]
        {
            self.scripting.is_busy()
        }
        #[cfg(not(feature = "scripting"))]
        {
            false
        }
    }

    /// Length of the journal buffer (where a busy script's records start).
    #[cfg(feature = "scripting")]
    pub(crate) fn journal_len(&self) -> usize {
        self.persist.buf.len()
    }

    /// Frames the journal records written since `mark` as one transaction
    /// (MULTI ... EXEC) when there are several, for a busy script that
    /// ended.
    #[cfg(feature = "scripting")]
    pub(crate) fn journal_frame_since(&mut self, mark: usize) {
        if !self.persist.journal_on() || mark > self.persist.buf.len() {
            return;
        }
        if count_records(&self.persist.buf[mark..]) > 1 {
            let now = self.now_ms();
            let db = 0;
            let mut head = Vec::new();
            journal::encode_record(&mut head, db, now, &[b"MULTI".as_slice()]);
            self.persist.buf.splice(mark..mark, head);
            journal::encode_record(&mut self.persist.buf, db, now, &[b"EXEC".as_slice()]);
        }
    }
}
