//! Offering redlet to a plugin runtime's own plugins: the imports of world
//! `redlet:engine/plugin-host` (`redlet:engine/engine` and
//! `wasi:keyvalue/{store,atomics,batch}@0.2.0-draft`) served by the
//! **native** engine in the host process (no second wasm instance, no
//! copies through one: the fastest way to give plugins Redis semantics).
//!
//! ```no_run
//! use redlet_wasmtime::plugin::{self, RedletCtx, RedletHost};
//! use wasmtime::component::{Component, Linker};
//! use wasmtime::{Engine, Store};
//!
//! struct MyState {
//!     redlet: RedletCtx,
//! }
//!
//! # fn main() -> wasmtime::Result<()> {
//! let engine = Engine::default();
//! let mut linker = Linker::<MyState>::new(&engine);
//! plugin::add_to_linker(&mut linker, |s: &mut MyState| &mut s.redlet)?;
//!
//! // One host = one set of databases. Clone it to let several plugins
//! // share them; make another to give a plugin its own.
//! let host = RedletHost::dir("./plugin-data");
//! let component = Component::from_file(&engine, "plugin.wasm")?;
//! let mut store = Store::new(&engine, MyState { redlet: RedletCtx::new(host.clone()) });
//! let instance = linker.instantiate(&mut store, &component)?;
//! # let _ = instance;
//! # Ok(()) }
//! ```
//!
//! The mapping is the component's (see `component/src/lib.rs` and
//! `component/src/keyvalue.rs`, ported here onto the host traits): `call`
//! runs any command and returns frames in the connection's protocol; typed
//! functions run in the connection's selected keyspace through the core's
//! typed API; a wasi:keyvalue bucket is a numbered keyspace of the host's
//! `default` database (storage space `default`): `""` is keyspace 0,
//! `"0"`..`"15"` that keyspace, anything else `no-such-store`.
//!
//! Invariants:
//! - A [`RedletHost`] owns its databases: `open` of a storage space an open
//!   database of the same host uses returns that database; `storage:
//!   none` is a new in-memory database each time. Databases live as long
//!   as the host (and any handle) does.
//! - Each database is behind a mutex held only for one call, so plugins
//!   in different stores (threads) sharing a host are serialized per
//!   command, as Redis serializes clients.
//! - No input makes a host function trap: errors are WIT values; a
//!   resource handle the guest does not own is a trap wasmtime raises
//!   itself (a guest bug).
//!
//! A component-backed variant (imports served by an isolated redlet
//! component instance) is not provided yet: compose the plugin with the
//! component (`wac plug`) for isolation.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use redlet::clock::{Clock, SystemClock};
use redlet::cmd::keys::{ExpireFlags, ExpireKind, TtlKind};
use redlet::cmd::streams::{parse_id, parse_xadd_id, parse_xreadgroup_id, GroupStart, TrimSpec, XaddOptions};
use redlet::cmd::strings::{absolute_expire, SetCondition as CoreCondition, SetExpiry as CoreExpiry, SetOptions as CoreSetOptions};
use redlet::session::{Resume, Session};
use redlet::storage::{MemStorage, Storage, StorageError};
use redlet::types::stream::{StreamId, TrimStrategy};
use redlet::{num, ClientId, ClientInfo, Config, Engine, Options as CoreOptions, Protocol, Reply};
use redlet_host::storage::FileStorage;
use wasmtime::component::{HasSelf, Linker, Resource, ResourceTable};

use crate::bindings::plugin::redlet::engine::engine::{
    self as wit, LoadReport, Options, Outcome, RespResult, Scored, SetCondition, SetExpiry, SetOptions, StreamEntry, StreamRead,
};
use crate::bindings::plugin::redlet::engine::types::{Error, Frame};
use crate::bindings::plugin::wasi::keyvalue::store::{self as kv, Error as KvError, KeyResponse};
use crate::bindings::plugin::PluginHost;

/// Makes the storage of a storage space.
type StorageFactory = dyn FnMut(&str) -> Result<Box<dyn Storage + Send>, StorageError> + Send;

/// Makes a clock for a new engine.
type ClockFactory = dyn Fn() -> Box<dyn Clock + Send> + Send + Sync;

/// One open database.
struct Db {
    eng: Engine,
    report: LoadReport,
}

/// A database shared by handles, connections and buckets.
type SharedDb = Arc<Mutex<Db>>;

fn lock(db: &SharedDb) -> MutexGuard<'_, Db> {
    // A panic while holding the lock (a bug) must not take every later
    // call down with it.
    db.lock().unwrap_or_else(|p| p.into_inner())
}

struct Registry {
    storage: Box<StorageFactory>,
    clock: Arc<ClockFactory>,
    spaces: HashMap<String, SharedDb>,
}

/// The databases a set of plugins uses, with where they persist. Cheap to
/// clone; clones share the databases. See the module docs.
#[derive(Clone)]
pub struct RedletHost {
    reg: Arc<Mutex<Registry>>,
}

/// Whether `space` is a safe folder name (as in [`crate::DirStorage`]).
fn valid_space(space: &str) -> bool {
    !space.is_empty() && space.len() <= 64 && space.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

impl RedletHost {
    /// Databases whose storage spaces come from `storage` (called once
    /// per space, when a database of that space is first opened).
    pub fn new(storage: impl FnMut(&str) -> Result<Box<dyn Storage + Send>, StorageError> + Send + 'static) -> RedletHost {
        RedletHost {
            reg: Arc::new(Mutex::new(Registry {
                storage: Box::new(storage),
                clock: Arc::new(|| Box::new(SystemClock) as Box<dyn Clock + Send>),
                spaces: HashMap::new(),
            })),
        }
    }

    /// Storage spaces in memory (kept while the host lives).
    pub fn in_memory() -> RedletHost {
        RedletHost::new(|_| Ok(Box::new(MemStorage::new())))
    }

    /// Storage spaces as folders, as [`crate::DirStorage`] lays them out:
    /// `default` is `root` itself (the files of `redlet serve --dir
    /// root`), any other space `root/<space>`.
    pub fn dir(root: impl Into<PathBuf>) -> RedletHost {
        let root = root.into();
        RedletHost::new(move |space| {
            if !valid_space(space) {
                return Err(StorageError::new(format!("invalid storage space '{space}' (use [A-Za-z0-9_-], at most 64 bytes)")));
            }
            let dir = if space == "default" { root.clone() } else { root.join(space) };
            std::fs::create_dir_all(&dir).map_err(|e| StorageError::new(format!("create folder {}: {e}", dir.display())))?;
            Ok(Box::new(FileStorage::new(dir)))
        })
    }

    /// Engines read time from clocks `clock` makes (default: the system
    /// clock), for tests and simulations.
    pub fn with_clock(self, clock: impl Fn() -> Box<dyn Clock + Send> + Send + Sync + 'static) -> RedletHost {
        if let Ok(mut r) = self.reg.lock() {
            r.clock = Arc::new(clock);
        }
        self
    }

    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.reg.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `database.open`: the open database of the space, or a new one.
    fn open(&self, options: Options) -> Result<SharedDb, Error> {
        let mut reg = self.registry();
        if let Some(db) = options.storage.as_deref().and_then(|s| reg.spaces.get(s)) {
            if !lock(db).eng.shutdown_requested() {
                return Ok(Arc::clone(db));
            }
        }
        let mut config = Config::default();
        for (name, value) in &options.config {
            config.set_param(name, value).map_err(|e| config_error(name, value, e))?;
        }
        let clock = (reg.clock)();
        let seed = options.seed.unwrap_or_else(|| mix(clock.now_micros()));
        let mut eng = Engine::new(CoreOptions { config, clock, seed });
        let mut report = LoadReport { keys_loaded: 0, expired_dropped: 0, journal_records: 0 };
        if let Some(space) = &options.storage {
            let st = (reg.storage)(space).map_err(|e| Error::Storage(format!("{space}: {e}")))?;
            eng.set_storage(st);
            let r = eng.load().map_err(|e| Error::Storage(format!("{}: {}", e.blob, e.reason)))?;
            report = LoadReport { keys_loaded: r.keys_loaded, expired_dropped: r.expired_dropped, journal_records: r.journal_records };
        }
        let db = Arc::new(Mutex::new(Db { eng, report }));
        if let Some(space) = options.storage {
            reg.spaces.insert(space, Arc::clone(&db));
        }
        Ok(db)
    }
}

/// SplitMix64's finalizer: a clock reading spread over all 64 bits.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A plugin's `database` handle.
pub struct DbRes {
    db: SharedDb,
}

/// A plugin's `connection`: a client with its RESP session.
pub struct ConnRes {
    db: SharedDb,
    session: Option<Session>,
    id: ClientId,
}

/// A plugin's wasi:keyvalue bucket: a keyspace of the `default` database.
pub struct BucketRes {
    db: SharedDb,
    index: usize,
}

/// What a plugin's store holds to serve the redlet imports: its resource
/// table and the [`RedletHost`] whose databases it uses.
pub struct RedletCtx {
    table: ResourceTable,
    host: RedletHost,
}

impl RedletCtx {
    /// A plugin's state over `host`'s databases.
    pub fn new(host: RedletHost) -> RedletCtx {
        RedletCtx { table: ResourceTable::new(), host }
    }

    /// The host whose databases the plugin uses.
    pub fn host(&self) -> &RedletHost {
        &self.host
    }
}

/// Adds the `redlet:engine/plugin-host` imports (`redlet:engine/engine`,
/// `wasi:keyvalue/store`, `atomics`, `batch`) to `linker`, served from the
/// [`RedletCtx`] that `get` finds in the store's data.
pub fn add_to_linker<T: 'static>(linker: &mut Linker<T>, get: fn(&mut T) -> &mut RedletCtx) -> wasmtime::Result<()> {
    PluginHost::add_to_linker::<T, HasSelf<RedletCtx>>(linker, get)
}

/// Core error text as a WIT string (UTF-8; the few messages quoting user
/// bytes get replacement characters).
fn text(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn reply_error(e: redlet::Error) -> Error {
    Error::Reply(text(e.to_bytes()))
}

fn config_error(name: &str, value: &str, e: redlet::Error) -> Error {
    let reason = text(e.to_bytes());
    let reason = reason.strip_prefix("ERR ").unwrap_or(&reason);
    Error::Config(format!("'{name} \"{value}\"': {reason}"))
}

fn storage_error(e: redlet::persist::PersistError) -> Error {
    Error::Storage(format!("{}: {}", e.blob, e.reason))
}

/// Why a call on a shut-down database fails.
const SHUT_DOWN: &str = "ERR the database was shut down";

/// The frames a client of `proto` reads for `r`, appended to `out`.
fn frames(r: &Reply, proto: Protocol, out: &mut Vec<Frame>) {
    let mut core = Vec::new();
    r.to_frames(proto, &mut core);
    out.extend(core.into_iter().map(|f| {
        use redlet::frame::Frame as F;
        match f {
            F::Simple(s) => Frame::Simple(s),
            F::Error(s) => Frame::Error(s),
            F::Integer(n) => Frame::Integer(n),
            F::Bulk(b) => Frame::Bulk(b),
            F::Null => Frame::Null,
            F::NullArray => Frame::NullArray,
            F::Double(d) => Frame::Double(d),
            F::Boolean(b) => Frame::Boolean(b),
            F::BigNumber(s) => Frame::BigNumber(s),
            F::Verbatim(f, b) => Frame::Verbatim((f, b)),
            F::Array(n) => Frame::Array(n),
            F::Map(n) => Frame::Map(n),
            F::Set(n) => Frame::Set(n),
            F::Push(n) => Frame::Push(n),
        }
    }));
}

/// The typed `set`'s options as SET's (PX/PXAT checks and errors).
fn set_options(o: &SetOptions, now: u64) -> redlet::Result<CoreSetOptions> {
    let condition = match o.condition {
        SetCondition::Always => CoreCondition::Always,
        SetCondition::IfAbsent => CoreCondition::IfAbsent,
        SetCondition::IfPresent => CoreCondition::IfPresent,
    };
    let expiry = match o.expiry {
        SetExpiry::None => CoreExpiry::Clear,
        SetExpiry::Keep => CoreExpiry::Keep,
        SetExpiry::AfterMs(ms) => CoreExpiry::At(absolute_expire(now, true, false, ms.to_string().as_bytes(), "set")?),
        SetExpiry::AtMs(ms) => CoreExpiry::At(absolute_expire(now, true, true, ms.to_string().as_bytes(), "set")?),
    };
    Ok(CoreSetOptions { condition, expiry, get: false })
}

fn keys(v: &[Vec<u8>]) -> Vec<&[u8]> {
    v.iter().map(Vec::as_slice).collect()
}

fn pairs(v: &[(Vec<u8>, Vec<u8>)]) -> Vec<(&[u8], &[u8])> {
    v.iter().map(|(a, b)| (a.as_slice(), b.as_slice())).collect()
}

fn closed_result(consumed: usize) -> RespResult {
    RespResult { consumed: u32::try_from(consumed).unwrap_or(u32::MAX), output: Vec::new(), blocked: false, closing: true }
}

impl RedletCtx {
    fn db(&self, r: &Resource<DbRes>) -> Result<SharedDb, Error> {
        self.table.get(r).map(|d| Arc::clone(&d.db)).map_err(|e| Error::Reply(format!("ERR {e}")))
    }

    /// Runs `f` on a live (not shut down) database of handle `r`.
    fn live_db<R>(&self, r: &Resource<DbRes>, f: impl FnOnce(&mut Db) -> Result<R, Error>) -> Result<R, Error> {
        let db = self.db(r)?;
        let mut g = lock(&db);
        if g.eng.shutdown_requested() {
            return Err(Error::Reply(SHUT_DOWN.into()));
        }
        f(&mut g)
    }

    /// Runs a typed call in the connection's selected keyspace.
    fn typed<R>(&mut self, r: &Resource<ConnRes>, f: impl FnOnce(&mut Engine, usize) -> redlet::Result<R>) -> Result<R, Error> {
        let c = self.table.get(r).map_err(|e| Error::Reply(format!("ERR {e}")))?;
        let id = c.id;
        let mut g = lock(&c.db);
        if g.eng.shutdown_requested() {
            return Err(Error::Reply(SHUT_DOWN.into()));
        }
        let db = g.eng.client_db(id).ok_or_else(|| Error::Reply("ERR the connection was closed".into()))?;
        f(&mut g.eng, db).map_err(reply_error)
    }

    fn bucket<R>(&mut self, b: &Resource<BucketRes>, f: impl FnOnce(&mut Engine, usize) -> Result<R, KvError>) -> Result<R, KvError> {
        let br = self.table.get(b).map_err(|e| KvError::Other(e.to_string()))?;
        let index = br.index;
        let mut g = lock(&br.db);
        if g.eng.shutdown_requested() {
            return Err(KvError::Other(SHUT_DOWN.into()));
        }
        f(&mut g.eng, index)
    }
}

impl crate::bindings::plugin::redlet::engine::types::Host for RedletCtx {}

impl wit::Host for RedletCtx {}

impl wit::HostDatabase for RedletCtx {
    fn open(&mut self, options: Options) -> Result<Resource<DbRes>, Error> {
        let db = self.host.open(options)?;
        self.table.push(DbRes { db }).map_err(|e| Error::Reply(format!("ERR {e}")))
    }

    fn load_report(&mut self, r: Resource<DbRes>) -> LoadReport {
        self.db(&r).map(|db| lock(&db).report).unwrap_or(LoadReport { keys_loaded: 0, expired_dropped: 0, journal_records: 0 })
    }

    fn connect(&mut self, r: Resource<DbRes>, addr: String) -> wasmtime::Result<Resource<ConnRes>> {
        // The handle is the guest's own (wasmtime checked it); a full
        // resource table is the only failure left, a trap.
        let db = Arc::clone(&self.table.get(&r)?.db);
        let session = Session::open(&mut lock(&db).eng, ClientInfo { addr, laddr: String::new(), fd: -1 });
        let id = session.id();
        Ok(self.table.push(ConnRes { db, session: Some(session), id })?)
    }

    fn tick(&mut self, r: Resource<DbRes>) {
        let _ = self.live_db(&r, |d| {
            d.eng.tick();
            Ok(())
        });
    }

    fn next_wakeup(&mut self, r: Resource<DbRes>) -> Option<u64> {
        self.live_db(&r, |d| Ok(d.eng.next_wakeup_ms())).ok().flatten()
    }

    fn woken(&mut self, r: Resource<DbRes>) -> Vec<u64> {
        self.db(&r).map(|db| lock(&db).eng.take_woken()).unwrap_or_default()
    }

    fn save(&mut self, r: Resource<DbRes>) -> Result<(), Error> {
        self.live_db(&r, |d| d.eng.save().map_err(storage_error))
    }

    fn flush(&mut self, r: Resource<DbRes>) -> Result<(), Error> {
        self.live_db(&r, |d| d.eng.sync_journal().map_err(storage_error))
    }

    fn shutdown(&mut self, r: Resource<DbRes>, save: Option<bool>) -> Result<(), Error> {
        self.live_db(&r, |d| d.eng.shutdown(save).map_err(storage_error))
    }

    fn fatal(&mut self, r: Resource<DbRes>) -> Option<String> {
        self.db(&r).ok().and_then(|db| lock(&db).eng.journal_fatal().map(String::from))
    }

    fn drop(&mut self, r: Resource<DbRes>) -> wasmtime::Result<()> {
        self.table.delete(r)?;
        Ok(())
    }
}

impl wit::HostConnection for RedletCtx {
    fn id(&mut self, r: Resource<ConnRes>) -> u64 {
        self.table.get(&r).map_or(0, |c| c.id)
    }

    fn call(&mut self, r: Resource<ConnRes>, args: Vec<Vec<u8>>) -> Outcome {
        let Ok(c) = self.table.get(&r) else { return Outcome::Done(vec![Frame::Error("ERR unknown connection".into())]) };
        let id = c.id;
        let mut g = lock(&c.db);
        if g.eng.shutdown_requested() {
            return Outcome::Done(vec![Frame::Error(SHUT_DOWN.into())]);
        }
        if args.is_empty() {
            // An empty request gets no reply, as in Redis.
            return Outcome::Done(Vec::new());
        }
        match g.eng.execute(id, &keys(&args)) {
            None => Outcome::Blocked,
            Some(reply) => {
                let mut out = Vec::new();
                frames(&reply, g.eng.protocol(id), &mut out);
                Outcome::Done(out)
            }
        }
    }

    fn take(&mut self, r: Resource<ConnRes>) -> Vec<Frame> {
        let Ok(c) = self.table.get(&r) else { return Vec::new() };
        let id = c.id;
        let mut g = lock(&c.db);
        let proto = g.eng.protocol(id);
        let mut out = Vec::new();
        while let Some(reply) = g.eng.pop_output(id) {
            frames(&reply, proto, &mut out);
        }
        out
    }

    fn is_blocked(&mut self, r: Resource<ConnRes>) -> bool {
        let Ok(c) = self.table.get(&r) else { return false };
        let id = c.id;
        lock(&c.db).eng.is_blocked(id)
    }

    fn resp(&mut self, r: Resource<ConnRes>, input: Vec<u8>, output_limit: u32) -> RespResult {
        let Ok(c) = self.table.get_mut(&r) else { return closed_result(input.len()) };
        let db = Arc::clone(&c.db);
        let mut g = lock(&db);
        let Some(session) = c.session.as_mut() else { return closed_result(input.len()) };
        if g.eng.shutdown_requested() {
            return closed_result(input.len());
        }
        let mut out = Vec::new();
        if session.is_blocked() && !g.eng.is_blocked(session.id()) && session.resume(&mut g.eng, &mut out) == Resume::Drop {
            session.set_closing();
            return closed_result(input.len());
        }
        let limit = if output_limit == 0 { usize::MAX } else { output_limit as usize };
        let consumed = session.process(&mut g.eng, &input, &mut out, limit);
        RespResult { consumed: u32::try_from(consumed).unwrap_or(u32::MAX), output: out, blocked: session.is_blocked(), closing: session.is_closing() }
    }

    fn resume(&mut self, r: Resource<ConnRes>) -> RespResult {
        let Ok(c) = self.table.get_mut(&r) else { return closed_result(0) };
        let db = Arc::clone(&c.db);
        let mut g = lock(&db);
        let Some(session) = c.session.as_mut() else { return closed_result(0) };
        if g.eng.shutdown_requested() {
            return closed_result(0);
        }
        let mut out = Vec::new();
        if session.resume(&mut g.eng, &mut out) == Resume::Drop {
            session.set_closing();
            return closed_result(0);
        }
        RespResult { consumed: 0, output: out, blocked: session.is_blocked(), closing: session.is_closing() }
    }

    fn get(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&r, |e, db| e.get(db, &key))
    }

    fn set(&mut self, r: Resource<ConnRes>, key: Vec<u8>, value: Vec<u8>, options: SetOptions) -> Result<bool, Error> {
        self.typed(&r, |e, db| {
            let opts = set_options(&options, e.now_ms())?;
            e.set(db, &key, &value, opts).map(|o| o.written)
        })
    }

    fn del(&mut self, r: Resource<ConnRes>, ks: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.del(db, &keys(&ks)))
    }

    fn exists(&mut self, r: Resource<ConnRes>, ks: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.exists(db, &keys(&ks)))
    }

    fn expire(&mut self, r: Resource<ConnRes>, key: Vec<u8>, ms: i64) -> Result<bool, Error> {
        self.typed(&r, |e, db| e.expire(db, &key, ms, ExpireKind::Millis, ExpireFlags::default()))
    }

    fn ttl(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<i64, Error> {
        self.typed(&r, |e, db| e.ttl(db, &key, TtlKind::Millis))
    }

    fn incrby(&mut self, r: Resource<ConnRes>, key: Vec<u8>, delta: i64) -> Result<i64, Error> {
        self.typed(&r, |e, db| e.incr_by(db, &key, delta))
    }

    fn hget(&mut self, r: Resource<ConnRes>, key: Vec<u8>, field: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&r, |e, db| e.hget(db, &key, &field))
    }

    fn hset(&mut self, r: Resource<ConnRes>, key: Vec<u8>, ps: Vec<(Vec<u8>, Vec<u8>)>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.hset(db, &key, &pairs(&ps)).map(|n| n as u64))
    }

    fn hdel(&mut self, r: Resource<ConnRes>, key: Vec<u8>, fields: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.hdel(db, &key, &keys(&fields)).map(|n| n as u64))
    }

    fn hgetall(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Vec<(Vec<u8>, Vec<u8>)>, Error> {
        self.typed(&r, |e, db| e.hgetall(db, &key))
    }

    fn lpush(&mut self, r: Resource<ConnRes>, key: Vec<u8>, elements: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.lpush(db, &key, &keys(&elements)).map(|n| n as u64))
    }

    fn rpush(&mut self, r: Resource<ConnRes>, key: Vec<u8>, elements: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.rpush(db, &key, &keys(&elements)).map(|n| n as u64))
    }

    fn lpop(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&r, |e, db| e.lpop(db, &key))
    }

    fn rpop(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&r, |e, db| e.rpop(db, &key))
    }

    fn lrange(&mut self, r: Resource<ConnRes>, key: Vec<u8>, start: i64, stop: i64) -> Result<Vec<Vec<u8>>, Error> {
        self.typed(&r, |e, db| e.lrange(db, &key, start, stop))
    }

    fn sadd(&mut self, r: Resource<ConnRes>, key: Vec<u8>, members: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.sadd(db, &key, &keys(&members)).map(|n| n as u64))
    }

    fn srem(&mut self, r: Resource<ConnRes>, key: Vec<u8>, members: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&r, |e, db| e.srem(db, &key, &keys(&members)).map(|n| n as u64))
    }

    fn sismember(&mut self, r: Resource<ConnRes>, key: Vec<u8>, member: Vec<u8>) -> Result<bool, Error> {
        self.typed(&r, |e, db| e.sismember(db, &key, &member))
    }

    fn smembers(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Vec<Vec<u8>>, Error> {
        self.typed(&r, |e, db| e.smembers(db, &key))
    }

    fn zadd(&mut self, r: Resource<ConnRes>, key: Vec<u8>, members: Vec<Scored>) -> Result<u64, Error> {
        self.typed(&r, |e, db| {
            // ZADD parses scores from text, where NaN cannot be written.
            if members.iter().any(|m| m.score.is_nan()) {
                return Err(redlet::Error::NotFloat);
            }
            let p: Vec<(f64, &[u8])> = members.iter().map(|m| (m.score, m.member.as_slice())).collect();
            e.zadd(db, &key, &p).map(|n| n as u64)
        })
    }

    fn zincrby(&mut self, r: Resource<ConnRes>, key: Vec<u8>, delta: f64, member: Vec<u8>) -> Result<f64, Error> {
        self.typed(&r, |e, db| {
            if delta.is_nan() {
                return Err(redlet::Error::NotFloat);
            }
            e.zincrby(db, &key, delta, &member)
        })
    }

    fn zrange(&mut self, r: Resource<ConnRes>, key: Vec<u8>, start: i64, stop: i64, reverse: bool) -> Result<Vec<Scored>, Error> {
        self.typed(&r, |e, db| {
            let mut spec = redlet::cmd::zsets::RangeSpec::rank(start, stop);
            spec.rev = reverse;
            e.zrange_by(db, &key, &spec).map(|v| v.into_iter().map(|(member, score)| Scored { member, score }).collect())
        })
    }

    fn zrank(&mut self, r: Resource<ConnRes>, key: Vec<u8>, member: Vec<u8>, reverse: bool) -> Result<Option<u64>, Error> {
        self.typed(&r, |e, db| {
            let r = if reverse { e.zrevrank(db, &key, &member) } else { e.zrank(db, &key, &member) };
            r.map(|o| o.map(|n| n as u64))
        })
    }

    fn zscore(&mut self, r: Resource<ConnRes>, key: Vec<u8>, member: Vec<u8>) -> Result<Option<f64>, Error> {
        self.typed(&r, |e, db| e.zscore(db, &key, &member))
    }

    fn xadd(
        &mut self,
        r: Resource<ConnRes>,
        key: Vec<u8>,
        id: Option<String>,
        fields: Vec<(Vec<u8>, Vec<u8>)>,
        maxlen: Option<u64>,
        nomkstream: bool,
    ) -> Result<Option<String>, Error> {
        self.typed(&r, |e, db| {
            if fields.is_empty() {
                return Err(redlet::Error::WrongArity("xadd".into()));
            }
            let id = match &id {
                Some(s) => parse_xadd_id(s.as_bytes())?,
                None => redlet::cmd::streams::XaddId::Auto,
            };
            let trim = match maxlen {
                // MAXLEN's argument is a signed 64-bit count in Redis.
                Some(n) if n > i64::MAX as u64 => return Err(redlet::Error::NotInteger),
                Some(n) => Some(TrimSpec { strategy: TrimStrategy::MaxLen(n), approx: true, limit: None }),
                None => None,
            };
            let opts = XaddOptions { id, nomkstream, trim };
            let added = e.xadd(db, &key, &opts, &pairs(&fields))?;
            Ok(added.map(|id| text(id.to_bytes())))
        })
    }

    fn xgroup_create(&mut self, r: Resource<ConnRes>, key: Vec<u8>, group: Vec<u8>, id: String, mkstream: bool) -> Result<(), Error> {
        self.typed(&r, |e, db| {
            let start = if id == "$" { GroupStart::Last } else { GroupStart::Id(parse_id(id.as_bytes())?) };
            e.xgroup_create(db, &key, &group, start, mkstream, -1)
        })
    }

    fn xreadgroup(
        &mut self,
        r: Resource<ConnRes>,
        group: Vec<u8>,
        consumer: Vec<u8>,
        streams: Vec<(Vec<u8>, String)>,
        count: Option<u64>,
        noack: bool,
    ) -> Result<Vec<StreamRead>, Error> {
        self.typed(&r, |e, db| {
            let ids = streams.iter().map(|(_, id)| parse_xreadgroup_id(id.as_bytes())).collect::<redlet::Result<Vec<_>>>()?;
            let ks: Vec<&[u8]> = streams.iter().map(|(k, _)| k.as_slice()).collect();
            // COUNT 0 and no COUNT both mean all, as in Redis.
            let n = count.map_or(0, |c| usize::try_from(c).unwrap_or(usize::MAX));
            let read = e.xreadgroup(db, &group, &consumer, &ks, &ids, n, noack)?;
            Ok(read
                .into_iter()
                .map(|(key, entries)| StreamRead {
                    key,
                    entries: entries.into_iter().map(|(id, fields)| StreamEntry { id: text(id.to_bytes()), fields: fields.unwrap_or_default() }).collect(),
                })
                .collect())
        })
    }

    fn xack(&mut self, r: Resource<ConnRes>, key: Vec<u8>, group: Vec<u8>, ids: Vec<String>) -> Result<u64, Error> {
        self.typed(&r, |e, db| {
            let ids = ids.iter().map(|s| parse_id(s.as_bytes())).collect::<redlet::Result<Vec<StreamId>>>()?;
            e.xack(db, &key, &group, &ids)
        })
    }

    fn publish(&mut self, r: Resource<ConnRes>, channel: Vec<u8>, message: Vec<u8>) -> Result<u64, Error> {
        self.typed(&r, |e, _| Ok(e.publish(&channel, &message) as u64))
    }

    fn drop(&mut self, r: Resource<ConnRes>) -> wasmtime::Result<()> {
        let mut c = self.table.delete(r)?;
        if let Some(s) = c.session.take() {
            s.close(&mut lock(&c.db).eng);
        }
        Ok(())
    }
}

// wasi:keyvalue, as the component maps it (component/src/keyvalue.rs).

/// Keys scanned per `list-keys` page (SCAN's COUNT hint).
const PAGE: usize = 100;

/// The keyspace a bucket identifier names (`""` is 0, canonical decimal
/// below `databases`).
fn bucket_index(identifier: &str, databases: usize) -> Option<usize> {
    if identifier.is_empty() {
        return Some(0);
    }
    let canonical = identifier.bytes().all(|b| b.is_ascii_digit()) && (identifier == "0" || !identifier.starts_with('0'));
    let n: usize = if canonical { identifier.parse().ok()? } else { return None };
    (n < databases).then_some(n)
}

fn other(e: redlet::Error) -> KvError {
    KvError::Other(text(e.to_bytes()))
}

impl kv::Host for RedletCtx {
    fn open(&mut self, identifier: String) -> Result<Resource<BucketRes>, KvError> {
        bucket_index(&identifier, usize::MAX).ok_or(KvError::NoSuchStore)?;
        let db = self.host.open(Options { config: Vec::new(), storage: Some("default".into()), seed: None }).map_err(|e| {
            KvError::Other(match e {
                Error::Reply(t) | Error::Storage(t) | Error::Config(t) => t,
            })
        })?;
        let databases = lock(&db).eng.config().databases;
        let index = bucket_index(&identifier, databases).ok_or(KvError::NoSuchStore)?;
        self.table.push(BucketRes { db, index }).map_err(|e| KvError::Other(e.to_string()))
    }
}

impl kv::HostBucket for RedletCtx {
    fn get(&mut self, b: Resource<BucketRes>, key: String) -> Result<Option<Vec<u8>>, KvError> {
        self.bucket(&b, |e, db| e.get(db, key.as_bytes()).map_err(other))
    }

    fn set(&mut self, b: Resource<BucketRes>, key: String, value: Vec<u8>) -> Result<(), KvError> {
        self.bucket(&b, |e, db| e.set(db, key.as_bytes(), &value, CoreSetOptions::default()).map(|_| ()).map_err(other))
    }

    fn delete(&mut self, b: Resource<BucketRes>, key: String) -> Result<(), KvError> {
        self.bucket(&b, |e, db| e.del(db, &[key.as_bytes()]).map(|_| ()).map_err(other))
    }

    fn exists(&mut self, b: Resource<BucketRes>, key: String) -> Result<bool, KvError> {
        self.bucket(&b, |e, db| e.exists(db, &[key.as_bytes()]).map(|n| n > 0).map_err(other))
    }

    fn list_keys(&mut self, b: Resource<BucketRes>, cursor: Option<u64>) -> Result<KeyResponse, KvError> {
        self.bucket(&b, |e, db| {
            let (next, keys) = e.scan(db, cursor.unwrap_or(0), None, PAGE, None).map_err(other)?;
            Ok(KeyResponse { keys: keys.into_iter().map(text).collect(), cursor: (next != 0).then_some(next) })
        })
    }

    fn drop(&mut self, b: Resource<BucketRes>) -> wasmtime::Result<()> {
        self.table.delete(b)?;
        Ok(())
    }
}

impl crate::bindings::plugin::wasi::keyvalue::atomics::Host for RedletCtx {
    fn increment(&mut self, b: Resource<BucketRes>, key: String, delta: u64) -> Result<u64, KvError> {
        self.bucket(&b, |e, db| {
            let delta = i64::try_from(delta).map_err(|_| other(redlet::Error::NotInteger))?;
            let current = e.get(db, key.as_bytes()).map_err(other)?;
            if let Some(sum) = current.as_deref().and_then(num::parse_i64).and_then(|v| v.checked_add(delta)) {
                if sum < 0 {
                    return Err(KvError::Other("ERR increment would leave a negative value, which wasi:keyvalue cannot return".into()));
                }
            }
            e.incr_by(db, key.as_bytes(), delta).map(|n| n as u64).map_err(other)
        })
    }
}

impl crate::bindings::plugin::wasi::keyvalue::batch::Host for RedletCtx {
    fn get_many(&mut self, b: Resource<BucketRes>, ks: Vec<String>) -> Result<Vec<Option<(String, Vec<u8>)>>, KvError> {
        self.bucket(&b, |e, db| {
            let mut out = Vec::with_capacity(ks.len());
            for k in ks {
                let v = e.get(db, k.as_bytes()).map_err(other)?;
                out.push(v.map(|v| (k, v)));
            }
            Ok(out)
        })
    }

    fn set_many(&mut self, b: Resource<BucketRes>, kvs: Vec<(String, Vec<u8>)>) -> Result<(), KvError> {
        self.bucket(&b, |e, db| {
            if kvs.is_empty() {
                return Ok(());
            }
            let p: Vec<(&[u8], &[u8])> = kvs.iter().map(|(k, v)| (k.as_bytes(), v.as_slice())).collect();
            e.mset(db, &p).map_err(other)
        })
    }

    fn delete_many(&mut self, b: Resource<BucketRes>, ks: Vec<String>) -> Result<(), KvError> {
        self.bucket(&b, |e, db| {
            if ks.is_empty() {
                return Ok(());
            }
            let k: Vec<&[u8]> = ks.iter().map(|k| k.as_bytes()).collect();
            e.del(db, &k).map(|_| ()).map_err(other)
        })
    }
}
