//! The redlet WASI component: the world `redlet:engine/redlet`
//! (`wit/redlet.wit`) over the core, and nothing else. Commands, replies,
//! blocking, timers and persistence are the core's; this crate turns the
//! storage import into a core [`Storage`], the wall-clock import into a
//! [`Clock`], replies into frames ([`Reply::into_frames`](redlet_core::Reply::into_frames)) and core errors
//! into the WIT's `error` (one family of functions in `convert`).
//!
//! State and its invariants:
//! - A `Db` is one engine with its load report. Handles (`database`
//!   resources) and connections share it through `Rc`; it lives until the
//!   last of them is dropped.
//! - The registry maps a storage space to its open database, so opening a
//!   space twice shares one engine (two engines over one storage space
//!   would overwrite each other's snapshots). Entries are weak; a shut
//!   down database is skipped, so a later `open` loads it again.
//! - wasi:keyvalue uses the `default` database (storage space `default`),
//!   held strongly from its first use for the instance's life (see
//!   `keyvalue` for the mapping).
//! - Once a database is shut down (the `shutdown` function or the SHUTDOWN
//!   command), every call on it or its connections fails or does nothing.
//!
//! - A connection's typed functions are checked against its ACL user when
//!   it runs as any user but `default` (see `ConnHandle::permit`), so a
//!   confined connection (`connect-as`, or one that ran AUTH) reaches
//!   through them no more than through `call`.
//!
//! Single-threaded: state sits in `RefCell`s. No borrow is held across a
//! call that could enter this component again (the component model forbids
//! re-entering an instance from its imports), so the `borrow_mut`s below
//! cannot fail; each says so. Nothing here panics on input: every core
//! error becomes a WIT error value or an error frame.
#![warn(missing_docs)]

mod convert;
mod keyvalue;

use std::cell::{RefCell, RefMut};
use std::collections::HashMap;
use std::rc::{Rc, Weak};

use redlet_core::clock::Clock;
use redlet_core::cmd::keys::{ExpireFlags, ExpireKind, TtlKind};
use redlet_core::cmd::streams::{parse_id, parse_xadd_id, parse_xreadgroup_id, GroupStart, TrimSpec, XaddOptions};
use redlet_core::config::Config;
use redlet_core::session::{Resume, Session};
use redlet_core::storage::{Storage, StorageError};
use redlet_core::types::stream::{StreamId, TrimStrategy};
use redlet_core::{ClientId, ClientInfo, Engine, Options as CoreOptions};

use convert::{count, reply_error};
use exports::redlet::engine::engine::{
    Connection, Database, Guest as EngineGuest, GuestConnection, GuestDatabase, LoadReport, Options, Outcome, RespResult, Scored, SetOptions, StreamEntry, StreamRead,
};
use exports::wasi::keyvalue::store::{Bucket, BucketBorrow, Error as KvError, Guest as StoreGuest, GuestBucket, KeyResponse};
use crate::redlet::engine::types::{Error, Frame};
use crate::redlet::engine::storage as imported;

/// The bindings of `wit/` (generated; undocumented items are the WIT's,
/// documented there).
#[allow(missing_docs)]
mod bindings {
    wit_bindgen::generate!({
        world: "redlet:engine/redlet",
        path: "../wit",
        additional_derives: [PartialEq],
        // wasi:clocks comes from wit/deps: generate its import here too.
        generate_all,
        default_bindings_module: "crate::bindings",
    });
}
use bindings::{exports, redlet, wasi};

/// The exports' implementation.
struct Component;

// Only in wasm: a native cdylib cannot export the component model's
// symbol names (`redlet:engine/engine@0.1.0#...`), and native builds
// exist for `cargo test --workspace` only.
#[cfg(target_arch = "wasm32")]
bindings::export!(Component);

/// The storage import for one storage space, as a core [`Storage`].
struct ImportedStorage {
    space: String,
}

fn storage_err(e: String) -> StorageError {
    StorageError::new(e)
}

impl Storage for ImportedStorage {
    fn size(&mut self, name: &str) -> Result<Option<u64>, StorageError> {
        imported::size(&self.space, name).map_err(storage_err)
    }
    fn read_at(&mut self, name: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StorageError> {
        let len = u32::try_from(buf.len()).unwrap_or(u32::MAX);
        let data = imported::read_at(&self.space, name, offset, len).map_err(storage_err)?;
        let dst = buf.get_mut(..data.len()).ok_or_else(|| StorageError::new(format!("storage read-at({name}) returned more bytes than asked")))?;
        dst.copy_from_slice(&data);
        Ok(data.len())
    }
    fn begin(&mut self, name: &str) -> Result<(), StorageError> {
        imported::begin(&self.space, name).map_err(storage_err)
    }
    fn write(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        imported::write(&self.space, name, data).map_err(storage_err)
    }
    fn commit(&mut self, name: &str) -> Result<(), StorageError> {
        imported::commit(&self.space, name).map_err(storage_err)
    }
    fn abort(&mut self, name: &str) {
        imported::abort(&self.space, name)
    }
    fn append(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        imported::append(&self.space, name, data).map_err(storage_err)
    }
    fn sync(&mut self, name: &str) -> Result<(), StorageError> {
        imported::sync(&self.space, name).map_err(storage_err)
    }
}

/// The wall-clock import as the engine's [`Clock`].
struct WallClock;

impl Clock for WallClock {
    fn now_micros(&self) -> u64 {
        let t = wasi::clocks::wall_clock::now();
        t.seconds.saturating_mul(1_000_000).saturating_add(u64::from(t.nanoseconds / 1000))
    }
}

/// One open database: the engine and what its open loaded.
struct Db {
    eng: RefCell<Engine>,
    report: LoadReport,
}

/// Why a call on a shut-down database fails.
const SHUT_DOWN: &str = "ERR the database was shut down";

impl Db {
    fn eng(&self) -> RefMut<'_, Engine> {
        // Cannot fail: see the crate docs (no re-entry, no borrow held
        // across calls).
        self.eng.borrow_mut()
    }

    /// The engine, unless the database was shut down.
    fn live(&self) -> Result<RefMut<'_, Engine>, Error> {
        let eng = self.eng();
        if eng.shutdown_requested() {
            return Err(Error::Reply(SHUT_DOWN.into()));
        }
        Ok(eng)
    }

    fn is_shut_down(&self) -> bool {
        self.eng().shutdown_requested()
    }
}

thread_local! {
    /// Open databases by storage space (see the crate docs).
    static REGISTRY: RefCell<HashMap<String, Weak<Db>>> = RefCell::new(HashMap::new());
    /// The database wasi:keyvalue uses, once used.
    static DEFAULT: RefCell<Option<Rc<Db>>> = const { RefCell::new(None) };
}

/// The open, not shut down database of `space`, if any.
fn registered(space: &str) -> Option<Rc<Db>> {
    // Cannot fail: the registry is borrowed only inside these helpers.
    REGISTRY.with(|r| r.borrow().get(space).and_then(Weak::upgrade)).filter(|db| !db.is_shut_down())
}

/// Opens a database (see `database.open` in the WIT).
fn open_db(options: Options) -> Result<Rc<Db>, Error> {
    if let Some(db) = options.storage.as_deref().and_then(registered) {
        return Ok(db);
    }
    let mut config = Config::default();
    for (name, value) in &options.config {
        config.set_param(name, value).map_err(|e| convert::config_error(name, value, e))?;
    }
    if cfg!(target_arch = "wasm32") && config.maxmemory == 0 {
        // What a 32-bit redis-server does ("32 bit instance detected but no
        // memory limit set"): wasm32 memory ends at 4 GiB and running into
        // that end traps, while a limit gives Redis's OOM error.
        config.maxmemory = 3 << 30;
        config.maxmemory_policy = redlet_core::config::MaxmemoryPolicy::NoEviction;
    }
    let seed = options.seed.unwrap_or_else(|| mix(WallClock.now_micros()));
    let mut eng = Engine::new(CoreOptions { config, clock: Box::new(WallClock), seed });
    let mut report = LoadReport { keys_loaded: 0, expired_dropped: 0, journal_records: 0 };
    if let Some(space) = &options.storage {
        eng.set_storage(Box::new(ImportedStorage { space: space.clone() }));
        let r = eng.load().map_err(convert::storage_error)?;
        report = LoadReport { keys_loaded: r.keys_loaded, expired_dropped: r.expired_dropped, journal_records: r.journal_records };
    }
    let db = Rc::new(Db { eng: RefCell::new(eng), report });
    if let Some(space) = options.storage {
        REGISTRY.with(|r| {
            // Cannot fail: the registry is borrowed only inside these helpers.
            let mut r = r.borrow_mut();
            r.retain(|_, w| w.strong_count() > 0);
            r.insert(space, Rc::downgrade(&db));
        });
    }
    Ok(db)
}

/// SplitMix64's finalizer: a clock reading spread over all 64 bits.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A `database` handle.
struct DbHandle(Rc<Db>);

impl EngineGuest for Component {
    type Database = DbHandle;
    type Connection = ConnHandle;
}

impl GuestDatabase for DbHandle {
    fn open(options: Options) -> Result<Database, Error> {
        open_db(options).map(|db| Database::new(DbHandle(db)))
    }

    fn load_report(&self) -> LoadReport {
        self.0.report
    }

    fn connect(&self, addr: String) -> Connection {
        let session = Session::open(&mut self.0.eng(), ClientInfo { addr, laddr: String::new(), fd: -1 });
        Connection::new(ConnHandle { db: Rc::clone(&self.0), session: RefCell::new(Some(session)) })
    }

    fn connect_as(&self, addr: String, user: String, password: Option<String>) -> Result<Connection, Error> {
        let mut eng = self.0.live()?;
        let session = Session::open(&mut eng, ClientInfo { addr, laddr: String::new(), fd: -1 });
        let id = session.id();
        let authed = match &password {
            // AUTH itself: its refusal is logged in ACL LOG as Redis logs it.
            Some(p) => match eng.execute(id, &[b"AUTH", user.as_bytes(), p.as_bytes()]) {
                Some(redlet_core::Reply::Error(e)) => Err(reply_error(e)),
                _ => Ok(()),
            },
            None => eng.authenticate_as(id, user.as_bytes()).map_err(reply_error),
        };
        if let Err(e) = authed {
            session.close(&mut eng);
            return Err(e);
        }
        drop(eng);
        Ok(Connection::new(ConnHandle { db: Rc::clone(&self.0), session: RefCell::new(Some(session)) }))
    }

    fn tick(&self) {
        if let Ok(mut eng) = self.0.live() {
            eng.tick();
        }
    }

    fn next_wakeup(&self) -> Option<u64> {
        self.0.live().ok()?.next_wakeup_ms()
    }

    fn woken(&self) -> Vec<u64> {
        self.0.eng().take_woken()
    }

    fn save(&self) -> Result<(), Error> {
        self.0.live()?.save().map_err(convert::storage_error)
    }

    fn flush(&self) -> Result<(), Error> {
        self.0.live()?.sync_journal().map_err(convert::storage_error)
    }

    fn shutdown(&self, save: Option<bool>) -> Result<(), Error> {
        self.0.live()?.shutdown(save).map_err(convert::storage_error)
    }

    fn fatal(&self) -> Option<String> {
        self.0.eng().journal_fatal().map(String::from)
    }
}

/// A `connection`: a client of a database, with the RESP session its
/// `resp`/`resume` use (the session owns the client; `call` and the typed
/// functions use its id).
struct ConnHandle {
    db: Rc<Db>,
    /// `None` only while being dropped.
    session: RefCell<Option<Session>>,
}

impl Drop for ConnHandle {
    fn drop(&mut self) {
        if let Some(s) = self.session.get_mut().take() {
            s.close(&mut self.db.eng());
        }
    }
}

/// `resp-result` of a closed connection: everything consumed, nothing
/// written, close.
fn closed_result(consumed: usize) -> RespResult {
    RespResult { consumed: u32::try_from(consumed).unwrap_or(u32::MAX), output: Vec::new(), blocked: false, closing: true }
}

impl ConnHandle {
    fn client(&self) -> ClientId {
        // Cannot fail: the session is borrowed only inside this impl's
        // methods, never across a call that re-enters them.
        self.session.borrow().as_ref().map_or(0, Session::id)
    }

    /// Runs a typed call in the connection's selected keyspace, once its
    /// ACL user may run `argv`, the command the call stands for (see
    /// [`ConnHandle::permit`]).
    fn typed<R>(&self, argv: &[&[u8]], f: impl FnOnce(&mut Engine, usize) -> redlet_core::Result<R>) -> Result<R, Error> {
        let (mut eng, db) = self.keyspace()?;
        Self::permit(&mut eng, self.client(), argv)?;
        f(&mut eng, db).map_err(reply_error)
    }

    /// Whether client `id` may run `argv`, by the core's ACL check: a
    /// typed function goes to the core's typed API, which (as the host's
    /// own API) checks no ACL, so it is checked here first with
    /// [`Engine::acl_permits`], as if the command had been sent: a refusal
    /// is Redis's NOPERM and is in ACL LOG.
    #[inline(never)]
    fn permit(eng: &mut Engine, id: ClientId, argv: &[&[u8]]) -> Result<(), Error> {
        eng.acl_permits(id, argv).map_err(reply_error)
    }

    /// The engine and the client's selected keyspace. Out of line: the
    /// ~35 instantiations of `typed` share it (smaller wasm).
    #[inline(never)]
    fn keyspace(&self) -> Result<(RefMut<'_, Engine>, usize), Error> {
        let id = self.client();
        let eng = self.db.live()?;
        let db = eng.client_db(id).ok_or_else(|| Error::Reply("ERR the connection was closed".into()))?;
        Ok((eng, db))
    }

    /// Pending replies and pushes of the client, as frames.
    fn drain(eng: &mut Engine, id: ClientId) -> Vec<Frame> {
        let proto = eng.protocol(id);
        let mut out = Vec::new();
        while let Some(r) = eng.pop_output(id) {
            convert::frames(r, proto, &mut out);
        }
        out
    }

    fn resp_result(session: &Session, consumed: usize, output: Vec<u8>) -> RespResult {
        RespResult { consumed: u32::try_from(consumed).unwrap_or(u32::MAX), output, blocked: session.is_blocked(), closing: session.is_closing() }
    }
}

fn keys(v: &[Vec<u8>]) -> Vec<&[u8]> {
    v.iter().map(Vec::as_slice).collect()
}

/// `head` then `rest`: the command a typed call stands for, for its ACL
/// check.
fn argv<'a>(head: &[&'a [u8]], rest: &'a [Vec<u8>]) -> Vec<&'a [u8]> {
    head.iter().copied().chain(rest.iter().map(Vec::as_slice)).collect()
}

/// `XREADGROUP GROUP g c STREAMS k... id...` for the ACL check (the keys
/// follow STREAMS, as the command's key spec finds them).
fn xreadgroup_argv<'a>(group: &'a [u8], consumer: &'a [u8], streams: &'a [(Vec<u8>, String)]) -> Vec<&'a [u8]> {
    let mut v: Vec<&[u8]> = vec![b"XREADGROUP", b"GROUP", group, consumer, b"STREAMS"];
    v.extend(streams.iter().map(|(k, _)| k.as_slice()));
    v.extend(streams.iter().map(|(_, id)| id.as_bytes()));
    v
}

fn pairs(v: &[(Vec<u8>, Vec<u8>)]) -> Vec<(&[u8], &[u8])> {
    v.iter().map(|(a, b)| (a.as_slice(), b.as_slice())).collect()
}

fn stream_ids(ids: &[String]) -> redlet_core::Result<Vec<StreamId>> {
    ids.iter().map(|s| parse_id(s.as_bytes())).collect()
}

fn scored(v: Vec<(Vec<u8>, f64)>) -> Vec<Scored> {
    v.into_iter().map(|(member, score)| Scored { member, score }).collect()
}

impl GuestConnection for ConnHandle {
    fn id(&self) -> u64 {
        self.client()
    }

    fn call(&self, args: Vec<Vec<u8>>) -> Outcome {
        let id = self.client();
        let mut eng = match self.db.live() {
            Ok(e) => e,
            Err(_) => return Outcome::Done(vec![Frame::Error(SHUT_DOWN.into())]),
        };
        if args.is_empty() {
            // An empty request gets no reply, as in Redis.
            return Outcome::Done(Vec::new());
        }
        match eng.execute(id, &keys(&args)) {
            None => Outcome::Blocked,
            Some(r) => {
                let mut out = Vec::new();
                let proto = eng.protocol(id);
                convert::frames(r, proto, &mut out);
                Outcome::Done(out)
            }
        }
    }

    fn take(&self) -> Vec<Frame> {
        let id = self.client();
        Self::drain(&mut self.db.eng(), id)
    }

    fn is_blocked(&self) -> bool {
        let id = self.client();
        self.db.eng().is_blocked(id)
    }

    fn resp(&self, input: Vec<u8>, output_limit: u32) -> RespResult {
        // Cannot fail: see `client`.
        let mut slot = self.session.borrow_mut();
        let Some(session) = slot.as_mut() else { return closed_result(input.len()) };
        let Ok(mut eng) = self.db.live() else { return closed_result(input.len()) };
        let mut out = Vec::new();
        if session.is_blocked() && !eng.is_blocked(session.id()) {
            // Served since (the host called `take` or skipped `resume`):
            // its reply goes first.
            if session.resume(&mut eng, &mut out) == Resume::Drop {
                session.set_closing();
                return closed_result(input.len());
            }
        }
        // A limit of 0 would stop before the first command: no limit.
        let limit = if output_limit == 0 { usize::MAX } else { output_limit as usize };
        let consumed = session.process(&mut eng, &input, &mut out, limit);
        Self::resp_result(session, consumed, out)
    }

    fn resume(&self) -> RespResult {
        // Cannot fail: see `client`.
        let mut slot = self.session.borrow_mut();
        let Some(session) = slot.as_mut() else { return closed_result(0) };
        let Ok(mut eng) = self.db.live() else { return closed_result(0) };
        let mut out = Vec::new();
        if session.resume(&mut eng, &mut out) == Resume::Drop {
            session.set_closing();
            return closed_result(0);
        }
        Self::resp_result(session, 0, out)
    }

    fn get(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&[b"GET", &key], |e, db| e.get(db, &key))
    }

    fn set(&self, key: Vec<u8>, value: Vec<u8>, options: SetOptions) -> Result<bool, Error> {
        self.typed(&[b"SET", &key, &value], |e, db| {
            let opts = convert::set_options(&options, e.now_ms())?;
            e.set(db, &key, &value, opts).map(|o| o.written)
        })
    }

    fn del(&self, keys_: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&argv(&[b"DEL"], &keys_), |e, db| e.del(db, &keys(&keys_)))
    }

    fn exists(&self, keys_: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&argv(&[b"EXISTS"], &keys_), |e, db| e.exists(db, &keys(&keys_)))
    }

    fn expire(&self, key: Vec<u8>, ms: i64) -> Result<bool, Error> {
        self.typed(&[b"PEXPIRE", &key, b"0"], |e, db| e.expire(db, &key, ms, ExpireKind::Millis, ExpireFlags::default()))
    }

    fn ttl(&self, key: Vec<u8>) -> Result<i64, Error> {
        self.typed(&[b"PTTL", &key], |e, db| e.ttl(db, &key, TtlKind::Millis))
    }

    fn incrby(&self, key: Vec<u8>, delta: i64) -> Result<i64, Error> {
        self.typed(&[b"INCRBY", &key, b"1"], |e, db| e.incr_by(db, &key, delta))
    }

    fn hget(&self, key: Vec<u8>, field: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&[b"HGET", &key, &field], |e, db| e.hget(db, &key, &field))
    }

    fn hset(&self, key: Vec<u8>, pairs_: Vec<(Vec<u8>, Vec<u8>)>) -> Result<u64, Error> {
        self.typed(&[b"HSET", &key, b"f", b"v"], |e, db| e.hset(db, &key, &pairs(&pairs_)).map(count))
    }

    fn hdel(&self, key: Vec<u8>, fields: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"HDEL", &key, b"f"], |e, db| e.hdel(db, &key, &keys(&fields)).map(count))
    }

    fn hgetall(&self, key: Vec<u8>) -> Result<Vec<(Vec<u8>, Vec<u8>)>, Error> {
        self.typed(&[b"HGETALL", &key], |e, db| e.hgetall(db, &key))
    }

    fn lpush(&self, key: Vec<u8>, elements: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"LPUSH", &key, b"e"], |e, db| e.lpush(db, &key, &keys(&elements)).map(|n| n as u64))
    }

    fn rpush(&self, key: Vec<u8>, elements: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"RPUSH", &key, b"e"], |e, db| e.rpush(db, &key, &keys(&elements)).map(|n| n as u64))
    }

    fn lpop(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&[b"LPOP", &key], |e, db| e.lpop(db, &key))
    }

    fn rpop(&self, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&[b"RPOP", &key], |e, db| e.rpop(db, &key))
    }

    fn lrange(&self, key: Vec<u8>, start: i64, stop: i64) -> Result<Vec<Vec<u8>>, Error> {
        self.typed(&[b"LRANGE", &key, b"0", b"-1"], |e, db| e.lrange(db, &key, start, stop))
    }

    fn sadd(&self, key: Vec<u8>, members: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"SADD", &key, b"m"], |e, db| e.sadd(db, &key, &keys(&members)).map(count))
    }

    fn srem(&self, key: Vec<u8>, members: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"SREM", &key, b"m"], |e, db| e.srem(db, &key, &keys(&members)).map(count))
    }

    fn sismember(&self, key: Vec<u8>, member: Vec<u8>) -> Result<bool, Error> {
        self.typed(&[b"SISMEMBER", &key, b"m"], |e, db| e.sismember(db, &key, &member))
    }

    fn smembers(&self, key: Vec<u8>) -> Result<Vec<Vec<u8>>, Error> {
        self.typed(&[b"SMEMBERS", &key], |e, db| e.smembers(db, &key))
    }

    fn zadd(&self, key: Vec<u8>, members: Vec<Scored>) -> Result<u64, Error> {
        self.typed(&[b"ZADD", &key, b"0", b"m"], |e, db| {
            // ZADD parses scores from text, where NaN cannot be written.
            if members.iter().any(|m| m.score.is_nan()) {
                return Err(redlet_core::Error::NotFloat);
            }
            let p: Vec<(f64, &[u8])> = members.iter().map(|m| (m.score, m.member.as_slice())).collect();
            e.zadd(db, &key, &p).map(count)
        })
    }

    fn zincrby(&self, key: Vec<u8>, delta: f64, member: Vec<u8>) -> Result<f64, Error> {
        self.typed(&[b"ZINCRBY", &key, b"0", b"m"], |e, db| {
            if delta.is_nan() {
                return Err(redlet_core::Error::NotFloat);
            }
            e.zincrby(db, &key, delta, &member)
        })
    }

    fn zrange(&self, key: Vec<u8>, start: i64, stop: i64, reverse: bool) -> Result<Vec<Scored>, Error> {
        self.typed(&[b"ZRANGE", &key, b"0", b"-1"], |e, db| {
            let mut spec = redlet_core::cmd::zsets::RangeSpec::rank(start, stop);
            spec.rev = reverse;
            e.zrange_by(db, &key, &spec).map(scored)
        })
    }

    fn zrank(&self, key: Vec<u8>, member: Vec<u8>, reverse: bool) -> Result<Option<u64>, Error> {
        self.typed(&[if reverse { &b"ZREVRANK"[..] } else { b"ZRANK" }, &key, b"m"], |e, db| {
            let r = if reverse { e.zrevrank(db, &key, &member) } else { e.zrank(db, &key, &member) };
            r.map(|o| o.map(count))
        })
    }

    fn zscore(&self, key: Vec<u8>, member: Vec<u8>) -> Result<Option<f64>, Error> {
        self.typed(&[b"ZSCORE", &key, b"m"], |e, db| e.zscore(db, &key, &member))
    }

    fn xadd(&self, key: Vec<u8>, id: Option<String>, fields: Vec<(Vec<u8>, Vec<u8>)>, maxlen: Option<u64>, nomkstream: bool) -> Result<Option<String>, Error> {
        self.typed(&[b"XADD", &key, b"*", b"f", b"v"], |e, db| {
            if fields.is_empty() {
                return Err(redlet_core::Error::WrongArity("xadd".into()));
            }
            let id = match &id {
                Some(s) => parse_xadd_id(s.as_bytes())?,
                None => redlet_core::cmd::streams::XaddId::Auto,
            };
            let trim = match maxlen {
                // MAXLEN's argument is a signed 64-bit count in Redis.
                Some(n) if n > i64::MAX as u64 => return Err(redlet_core::Error::NotInteger),
                Some(n) => Some(TrimSpec { strategy: TrimStrategy::MaxLen(n), approx: true, limit: None }),
                None => None,
            };
            let opts = XaddOptions { id, nomkstream, trim };
            let added = e.xadd(db, &key, &opts, &pairs(&fields))?;
            Ok(added.map(|id| convert::text(id.to_bytes())))
        })
    }

    fn xgroup_create(&self, key: Vec<u8>, group: Vec<u8>, id: String, mkstream: bool) -> Result<(), Error> {
        self.typed(&[b"XGROUP", b"CREATE", &key, &group, b"$"], |e, db| {
            let start = if id == "$" { GroupStart::Last } else { GroupStart::Id(parse_id(id.as_bytes())?) };
            e.xgroup_create(db, &key, &group, start, mkstream, -1)
        })
    }

    fn xreadgroup(&self, group: Vec<u8>, consumer: Vec<u8>, streams: Vec<(Vec<u8>, String)>, count_: Option<u64>, noack: bool) -> Result<Vec<StreamRead>, Error> {
        self.typed(&xreadgroup_argv(&group, &consumer, &streams), |e, db| {
            let ids = streams.iter().map(|(_, id)| parse_xreadgroup_id(id.as_bytes())).collect::<redlet_core::Result<Vec<_>>>()?;
            let ks: Vec<&[u8]> = streams.iter().map(|(k, _)| k.as_slice()).collect();
            // COUNT 0 and no COUNT both mean all, as in Redis.
            let n = count_.map_or(0, |c| usize::try_from(c).unwrap_or(usize::MAX));
            let read = e.xreadgroup(db, &group, &consumer, &ks, &ids, n, noack)?;
            Ok(read
                .into_iter()
                .map(|(key, entries)| StreamRead {
                    key,
                    entries: entries.into_iter().map(|(id, fields)| StreamEntry { id: convert::text(id.to_bytes()), fields: fields.unwrap_or_default() }).collect(),
                })
                .collect())
        })
    }

    fn xack(&self, key: Vec<u8>, group: Vec<u8>, ids: Vec<String>) -> Result<u64, Error> {
        self.typed(&[b"XACK", &key, &group, b"0-1"], |e, db| e.xack(db, &key, &group, &stream_ids(&ids)?))
    }

    fn publish(&self, channel: Vec<u8>, message: Vec<u8>) -> Result<u64, Error> {
        self.typed(&[b"PUBLISH", &channel, b"m"], |e, _| Ok(count(e.publish(&channel, &message))))
    }
}

/// A wasi:keyvalue bucket: a keyspace of the default database.
struct BucketHandle {
    db: Rc<Db>,
    index: usize,
}

/// The default database (see the crate docs), opened on first use.
fn default_db() -> Result<Rc<Db>, KvError> {
    // Cannot fail: DEFAULT is borrowed only here.
    if let Some(db) = DEFAULT.with(|d| d.borrow().clone()).filter(|db| !db.is_shut_down()) {
        return Ok(db);
    }
    let db = open_db(Options { config: Vec::new(), storage: Some("default".into()), seed: None }).map_err(|e| {
        KvError::Other(match e {
            Error::Reply(t) | Error::Storage(t) | Error::Config(t) => t,
        })
    })?;
    DEFAULT.with(|d| *d.borrow_mut() = Some(Rc::clone(&db)));
    Ok(db)
}

impl BucketHandle {
    fn run<R>(&self, f: impl FnOnce(&mut Engine, usize) -> Result<R, KvError>) -> Result<R, KvError> {
        let mut eng = self.db.live().map_err(|_| KvError::Other(SHUT_DOWN.into()))?;
        f(&mut eng, self.index)
    }
}

impl StoreGuest for Component {
    type Bucket = BucketHandle;

    fn open(identifier: String) -> Result<Bucket, KvError> {
        // The name is checked before the default database is opened (and
        // loaded) for it.
        keyvalue::bucket_index(&identifier, usize::MAX).ok_or(KvError::NoSuchStore)?;
        let db = default_db()?;
        let databases = db.eng().config().databases;
        let index = keyvalue::bucket_index(&identifier, databases).ok_or(KvError::NoSuchStore)?;
        Ok(Bucket::new(BucketHandle { db, index }))
    }
}

impl GuestBucket for BucketHandle {
    fn get(&self, key: String) -> Result<Option<Vec<u8>>, KvError> {
        self.run(|e, db| keyvalue::get(e, db, &key))
    }
    fn set(&self, key: String, value: Vec<u8>) -> Result<(), KvError> {
        self.run(|e, db| keyvalue::set(e, db, &key, &value))
    }
    fn delete(&self, key: String) -> Result<(), KvError> {
        self.run(|e, db| keyvalue::delete(e, db, &key))
    }
    fn exists(&self, key: String) -> Result<bool, KvError> {
        self.run(|e, db| keyvalue::exists(e, db, &key))
    }
    fn list_keys(&self, cursor: Option<u64>) -> Result<KeyResponse, KvError> {
        self.run(|e, db| keyvalue::list_keys(e, db, cursor))
    }
}

impl exports::wasi::keyvalue::atomics::Guest for Component {
    fn increment(bucket: BucketBorrow<'_>, key: String, delta: u64) -> Result<u64, KvError> {
        bucket.get::<BucketHandle>().run(|e, db| keyvalue::increment(e, db, &key, delta))
    }
}

impl exports::wasi::keyvalue::batch::Guest for Component {
    fn get_many(bucket: BucketBorrow<'_>, keys: Vec<String>) -> Result<Vec<Option<(String, Vec<u8>)>>, KvError> {
        bucket.get::<BucketHandle>().run(|e, db| keyvalue::get_many(e, db, keys))
    }
    fn set_many(bucket: BucketBorrow<'_>, key_values: Vec<(String, Vec<u8>)>) -> Result<(), KvError> {
        bucket.get::<BucketHandle>().run(|e, db| keyvalue::set_many(e, db, &key_values))
    }
    fn delete_many(bucket: BucketBorrow<'_>, keys: Vec<String>) -> Result<(), KvError> {
        bucket.get::<BucketHandle>().run(|e, db| keyvalue::delete_many(e, db, &keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redlet_core::Reply;

    #[test]
    fn seeds_spread() {
        assert_ne!(mix(1), mix(2));
        assert_ne!(mix(0), 0);
    }

    #[test]
    fn reply_frames_rebuild() {
        let r = Reply::Array(vec![Reply::Int(1), Reply::Nil]);
        let mut f = Vec::new();
        convert::frames(r, redlet_core::Protocol::Resp2, &mut f);
        assert_eq!(f, vec![Frame::Array(2), Frame::Integer(1), Frame::Null]);
    }
}
