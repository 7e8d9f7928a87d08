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
//! - A plugin confined to an ACL user ([`RedletCtx::with_user`]) runs every
//!   call as that user: its connections are authenticated as it (without
//!   its password) when made, its typed functions and wasi:keyvalue calls
//!   are checked against the user's rules as the command they stand for,
//!   and the database functions that are commands (`save` is SAVE,
//!   `shutdown` is SHUTDOWN) too. In a database where the user does not
//!   exist or is off, everything it tries fails with WRONGPASS. It cannot
//!   vouch for another user (`connect-as` without a password).
//!
//! ```no_run
//! # use redlet_wasmtime::plugin::{RedletCtx, RedletHost};
//! let host = RedletHost::dir("./plugin-data");
//! // The host's own set-up, as the unrestricted system client. Lock
//! // `default`: with no password it is how RESET and `AUTH default x` out
//! // of a confined user would go.
//! host.command("default", &[b"ACL", b"SETUSER", b"billing", b"on", b"~billing:*", b"&billing:*", b"+@all", b"-@admin", b"-@dangerous", b"-scan", b"-randomkey"])?;
//! host.command("default", &[b"ACL", b"SETUSER", b"default", b"off"])?;
//! let ctx = RedletCtx::with_user(host.clone(), "billing");
//! # Ok::<(), redlet_wasmtime::bindings::plugin::redlet::engine::types::Error>(())
//! ```
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

    /// Runs a command on the database of storage space `space` (opening it
    /// with no configuration when it is not open) as its system client:
    /// the host itself, which no ACL rule or `requirepass` restricts. For
    /// the host's set-up: creating the plugins' ACL users, locking
    /// `default`. Its error reply is returned as a reply, not an `Err`;
    /// `Err` is a failed open (storage).
    pub fn command(&self, space: &str, argv: &[&[u8]]) -> Result<Reply, Error> {
        let db = self.open(Options { config: Vec::new(), storage: Some(space.into()), seed: None })?;
        let mut g = lock(&db);
        if g.eng.shutdown_requested() {
            return Err(Error::Reply(SHUT_DOWN.into()));
        }
        Ok(g.eng.command(argv))
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
    /// Set when a confined plugin's user could not be given to the
    /// connection (no such user in this database, or it is off): the
    /// session is closed and every call fails with this error.
    denied: Option<String>,
}

/// A plugin's wasi:keyvalue bucket: a keyspace of the `default` database.
pub struct BucketRes {
    db: SharedDb,
    index: usize,
}

/// What a plugin's store holds to serve the redlet imports: its resource
/// table, the [`RedletHost`] whose databases it uses and the ACL user it
/// is confined to, if any.
pub struct RedletCtx {
    table: ResourceTable,
    host: RedletHost,
    /// The ACL user every call runs as (see the module docs); `None`: the
    /// plugin is trusted as the host is, its connections start as
    /// `default` as a Redis client does.
    user: Option<Vec<u8>>,
}

impl RedletCtx {
    /// A plugin's state over `host`'s databases, trusted as the host is.
    pub fn new(host: RedletHost) -> RedletCtx {
        RedletCtx { table: ResourceTable::new(), host, user: None }
    }

    /// A plugin's state over `host`'s databases, confined to ACL user
    /// `user`: every call it makes runs as that user (see the module docs).
    /// The host creates the user in each database the plugin may use
    /// ([`RedletHost::command`] with `ACL SETUSER`), say with keys and
    /// channels under its own prefix (`~p1:* &p1:*`), and locks `default`.
    pub fn with_user(host: RedletHost, user: impl Into<Vec<u8>>) -> RedletCtx {
        RedletCtx { table: ResourceTable::new(), host, user: Some(user.into()) }
    }

    /// The ACL user the plugin is confined to (`None`: not confined).
    pub fn user(&self) -> Option<&[u8]> {
        self.user.as_deref()
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

    /// Runs a typed call in the connection's selected keyspace, once its
    /// user may run `argv`, the command the call stands for (see
    /// [`permit`]). The check runs for a confined plugin, and for any
    /// connection that runs as a user other than `default` (one that ran
    /// AUTH).
    fn typed<R>(&mut self, argv: &[&[u8]], r: &Resource<ConnRes>, f: impl FnOnce(&mut Engine, usize) -> redlet::Result<R>) -> Result<R, Error> {
        let c = self.table.get(r).map_err(|e| Error::Reply(format!("ERR {e}")))?;
        if let Some(why) = &c.denied {
            return Err(Error::Reply(why.clone()));
        }
        let id = c.id;
        let mut g = lock(&c.db);
        if g.eng.shutdown_requested() {
            return Err(Error::Reply(SHUT_DOWN.into()));
        }
        let db = g.eng.client_db(id).ok_or_else(|| Error::Reply("ERR the connection was closed".into()))?;
        let user = match (&self.user, g.eng.client_user(id)) {
            (Some(u), _) => Some(u.clone()),
            (None, Some(u)) if u != b"default" => Some(u.to_vec()),
            _ => None,
        };
        if let Some(u) = user {
            permit(&mut g.eng, &u, argv).map_err(Error::Reply)?;
        }
        f(&mut g.eng, db).map_err(reply_error)
    }

    /// Runs a wasi:keyvalue call on a bucket's keyspace, once a confined
    /// plugin's user may run `argv`, the command the call stands for
    /// (empty: nothing to check).
    fn bucket<R>(&mut self, argv: &[&[u8]], b: &Resource<BucketRes>, f: impl FnOnce(&mut Engine, usize) -> Result<R, KvError>) -> Result<R, KvError> {
        let br = self.table.get(b).map_err(|e| KvError::Other(e.to_string()))?;
        let index = br.index;
        let mut g = lock(&br.db);
        if g.eng.shutdown_requested() {
            return Err(KvError::Other(SHUT_DOWN.into()));
        }
        // An empty `argv` (a batch of no keys) touches nothing.
        if let (Some(u), false) = (&self.user, argv.is_empty()) {
            permit(&mut g.eng, u, argv).map_err(KvError::Other)?;
        }
        f(&mut g.eng, index)
    }
}

/// Redis's refusal of a user that does not exist or is off.
const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

/// Whether ACL user `user` may run `argv`, by the core's own check: the
/// core's typed API (the host's) checks no ACL, so typed functions and
/// wasi:keyvalue calls are checked here first with
/// [`Engine::acl_permits_user`] (Redis's NOPERM text; WRONGPASS for a
/// missing or disabled user).
fn permit(eng: &mut Engine, user: &[u8], argv: &[&[u8]]) -> Result<(), String> {
    eng.acl_permits_user(user, argv).map_err(|e| text(e.to_bytes()))
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

/// wasi:keyvalue keys as the `argv` of their ACL check.
fn kv_argv<'a>(head: &[&'a [u8]], keys: &'a [String]) -> Vec<&'a [u8]> {
    if keys.is_empty() {
        return Vec::new();
    }
    head.iter().copied().chain(keys.iter().map(|k| k.as_bytes())).collect()
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
        let mut g = lock(&db);
        let mut session = Some(Session::open(&mut g.eng, ClientInfo { addr, laddr: String::new(), fd: -1 }));
        let id = session.as_ref().map_or(0, Session::id);
        let mut denied = None;
        if let Some(u) = &self.user {
            // A confined plugin's connection runs as its user, or not at all.
            if let Err(e) = g.eng.authenticate_as(id, u) {
                if let Some(s) = session.take() {
                    s.close(&mut g.eng);
                }
                denied = Some(text(e.to_bytes()));
            }
        }
        drop(g);
        Ok(self.table.push(ConnRes { db, session, id, denied })?)
    }

    fn connect_as(&mut self, r: Resource<DbRes>, addr: String, user: String, password: Option<String>) -> Result<Resource<ConnRes>, Error> {
        let db = self.db(&r)?;
        let mut g = lock(&db);
        if g.eng.shutdown_requested() {
            return Err(Error::Reply(SHUT_DOWN.into()));
        }
        if password.is_none() && self.user.is_some() && self.user.as_deref() != Some(user.as_bytes()) {
            // Vouching for a user is the host's right, not a confined plugin's.
            return Err(Error::Reply(WRONGPASS.into()));
        }
        let session = Session::open(&mut g.eng, ClientInfo { addr, laddr: String::new(), fd: -1 });
        let id = session.id();
        let authed = match &password {
            // AUTH itself: its refusal is logged in ACL LOG as Redis logs it.
            Some(p) => match g.eng.execute(id, &[b"AUTH", user.as_bytes(), p.as_bytes()]) {
                Some(Reply::Error(e)) => Err(reply_error(e)),
                _ => Ok(()),
            },
            None => g.eng.authenticate_as(id, user.as_bytes()).map_err(reply_error),
        };
        if let Err(e) = authed {
            session.close(&mut g.eng);
            return Err(e);
        }
        drop(g);
        self.table.push(ConnRes { db, session: Some(session), id, denied: None }).map_err(|e| Error::Reply(format!("ERR {e}")))
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
        let user = self.user.clone();
        self.live_db(&r, |d| {
            if let Some(u) = &user {
                permit(&mut d.eng, u, &[b"SAVE"]).map_err(Error::Reply)?;
            }
            d.eng.save().map_err(storage_error)
        })
    }

    fn flush(&mut self, r: Resource<DbRes>) -> Result<(), Error> {
        self.live_db(&r, |d| d.eng.sync_journal().map_err(storage_error))
    }

    fn shutdown(&mut self, r: Resource<DbRes>, save: Option<bool>) -> Result<(), Error> {
        let user = self.user.clone();
        self.live_db(&r, |d| {
            if let Some(u) = &user {
                permit(&mut d.eng, u, &[b"SHUTDOWN"]).map_err(Error::Reply)?;
            }
            d.eng.shutdown(save).map_err(storage_error)
        })
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
        if let Some(why) = &c.denied {
            return Outcome::Done(vec![Frame::Error(why.clone())]);
        }
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
        if let Some(why) = &c.denied {
            // What a server sends a client it refuses: the error, then close.
            let mut res = closed_result(input.len());
            res.output = format!("-{why}\r\n").into_bytes();
            return res;
        }
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
        self.typed(&[b"GET", &key], &r, |e, db| e.get(db, &key))
    }

    fn set(&mut self, r: Resource<ConnRes>, key: Vec<u8>, value: Vec<u8>, options: SetOptions) -> Result<bool, Error> {
        self.typed(&[b"SET", &key, &value], &r, |e, db| {
            let opts = set_options(&options, e.now_ms())?;
            e.set(db, &key, &value, opts).map(|o| o.written)
        })
    }

    fn del(&mut self, r: Resource<ConnRes>, ks: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&argv(&[b"DEL"], &ks), &r, |e, db| e.del(db, &keys(&ks)))
    }

    fn exists(&mut self, r: Resource<ConnRes>, ks: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&argv(&[b"EXISTS"], &ks), &r, |e, db| e.exists(db, &keys(&ks)))
    }

    fn expire(&mut self, r: Resource<ConnRes>, key: Vec<u8>, ms: i64) -> Result<bool, Error> {
        self.typed(&[b"PEXPIRE", &key, b"0"], &r, |e, db| e.expire(db, &key, ms, ExpireKind::Millis, ExpireFlags::default()))
    }

    fn ttl(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<i64, Error> {
        self.typed(&[b"PTTL", &key], &r, |e, db| e.ttl(db, &key, TtlKind::Millis))
    }

    fn incrby(&mut self, r: Resource<ConnRes>, key: Vec<u8>, delta: i64) -> Result<i64, Error> {
        self.typed(&[b"INCRBY", &key, b"1"], &r, |e, db| e.incr_by(db, &key, delta))
    }

    fn hget(&mut self, r: Resource<ConnRes>, key: Vec<u8>, field: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&[b"HGET", &key, &field], &r, |e, db| e.hget(db, &key, &field))
    }

    fn hset(&mut self, r: Resource<ConnRes>, key: Vec<u8>, ps: Vec<(Vec<u8>, Vec<u8>)>) -> Result<u64, Error> {
        self.typed(&[b"HSET", &key, b"f", b"v"], &r, |e, db| e.hset(db, &key, &pairs(&ps)).map(|n| n as u64))
    }

    fn hdel(&mut self, r: Resource<ConnRes>, key: Vec<u8>, fields: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"HDEL", &key, b"f"], &r, |e, db| e.hdel(db, &key, &keys(&fields)).map(|n| n as u64))
    }

    fn hgetall(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Vec<(Vec<u8>, Vec<u8>)>, Error> {
        self.typed(&[b"HGETALL", &key], &r, |e, db| e.hgetall(db, &key))
    }

    fn lpush(&mut self, r: Resource<ConnRes>, key: Vec<u8>, elements: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"LPUSH", &key, b"e"], &r, |e, db| e.lpush(db, &key, &keys(&elements)).map(|n| n as u64))
    }

    fn rpush(&mut self, r: Resource<ConnRes>, key: Vec<u8>, elements: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"RPUSH", &key, b"e"], &r, |e, db| e.rpush(db, &key, &keys(&elements)).map(|n| n as u64))
    }

    fn lpop(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&[b"LPOP", &key], &r, |e, db| e.lpop(db, &key))
    }

    fn rpop(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Option<Vec<u8>>, Error> {
        self.typed(&[b"RPOP", &key], &r, |e, db| e.rpop(db, &key))
    }

    fn lrange(&mut self, r: Resource<ConnRes>, key: Vec<u8>, start: i64, stop: i64) -> Result<Vec<Vec<u8>>, Error> {
        self.typed(&[b"LRANGE", &key, b"0", b"-1"], &r, |e, db| e.lrange(db, &key, start, stop))
    }

    fn sadd(&mut self, r: Resource<ConnRes>, key: Vec<u8>, members: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"SADD", &key, b"m"], &r, |e, db| e.sadd(db, &key, &keys(&members)).map(|n| n as u64))
    }

    fn srem(&mut self, r: Resource<ConnRes>, key: Vec<u8>, members: Vec<Vec<u8>>) -> Result<u64, Error> {
        self.typed(&[b"SREM", &key, b"m"], &r, |e, db| e.srem(db, &key, &keys(&members)).map(|n| n as u64))
    }

    fn sismember(&mut self, r: Resource<ConnRes>, key: Vec<u8>, member: Vec<u8>) -> Result<bool, Error> {
        self.typed(&[b"SISMEMBER", &key, b"m"], &r, |e, db| e.sismember(db, &key, &member))
    }

    fn smembers(&mut self, r: Resource<ConnRes>, key: Vec<u8>) -> Result<Vec<Vec<u8>>, Error> {
        self.typed(&[b"SMEMBERS", &key], &r, |e, db| e.smembers(db, &key))
    }

    fn zadd(&mut self, r: Resource<ConnRes>, key: Vec<u8>, members: Vec<Scored>) -> Result<u64, Error> {
        self.typed(&[b"ZADD", &key, b"0", b"m"], &r, |e, db| {
            // ZADD parses scores from text, where NaN cannot be written.
            if members.iter().any(|m| m.score.is_nan()) {
                return Err(redlet::Error::NotFloat);
            }
            let p: Vec<(f64, &[u8])> = members.iter().map(|m| (m.score, m.member.as_slice())).collect();
            e.zadd(db, &key, &p).map(|n| n as u64)
        })
    }

    fn zincrby(&mut self, r: Resource<ConnRes>, key: Vec<u8>, delta: f64, member: Vec<u8>) -> Result<f64, Error> {
        self.typed(&[b"ZINCRBY", &key, b"0", b"m"], &r, |e, db| {
            if delta.is_nan() {
                return Err(redlet::Error::NotFloat);
            }
            e.zincrby(db, &key, delta, &member)
        })
    }

    fn zrange(&mut self, r: Resource<ConnRes>, key: Vec<u8>, start: i64, stop: i64, reverse: bool) -> Result<Vec<Scored>, Error> {
        self.typed(&[b"ZRANGE", &key, b"0", b"-1"], &r, |e, db| {
            let mut spec = redlet::cmd::zsets::RangeSpec::rank(start, stop);
            spec.rev = reverse;
            e.zrange_by(db, &key, &spec).map(|v| v.into_iter().map(|(member, score)| Scored { member, score }).collect())
        })
    }

    fn zrank(&mut self, r: Resource<ConnRes>, key: Vec<u8>, member: Vec<u8>, reverse: bool) -> Result<Option<u64>, Error> {
        self.typed(&[if reverse { &b"ZREVRANK"[..] } else { b"ZRANK" }, &key, b"m"], &r, |e, db| {
            let r = if reverse { e.zrevrank(db, &key, &member) } else { e.zrank(db, &key, &member) };
            r.map(|o| o.map(|n| n as u64))
        })
    }

    fn zscore(&mut self, r: Resource<ConnRes>, key: Vec<u8>, member: Vec<u8>) -> Result<Option<f64>, Error> {
        self.typed(&[b"ZSCORE", &key, b"m"], &r, |e, db| e.zscore(db, &key, &member))
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
        self.typed(&[b"XADD", &key, b"*", b"f", b"v"], &r, |e, db| {
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
        self.typed(&[b"XGROUP", b"CREATE", &key, &group, b"$"], &r, |e, db| {
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
        self.typed(&xreadgroup_argv(&group, &consumer, &streams), &r, |e, db| {
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
        self.typed(&[b"XACK", &key, &group, b"0-1"], &r, |e, db| {
            let ids = ids.iter().map(|s| parse_id(s.as_bytes())).collect::<redlet::Result<Vec<StreamId>>>()?;
            e.xack(db, &key, &group, &ids)
        })
    }

    fn publish(&mut self, r: Resource<ConnRes>, channel: Vec<u8>, message: Vec<u8>) -> Result<u64, Error> {
        self.typed(&[b"PUBLISH", &channel, b"m"], &r, |e, _| Ok(e.publish(&channel, &message) as u64))
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
        self.bucket(&[b"GET", key.as_bytes()], &b, |e, db| e.get(db, key.as_bytes()).map_err(other))
    }

    fn set(&mut self, b: Resource<BucketRes>, key: String, value: Vec<u8>) -> Result<(), KvError> {
        self.bucket(&[b"SET", key.as_bytes(), b"v"], &b, |e, db| e.set(db, key.as_bytes(), &value, CoreSetOptions::default()).map(|_| ()).map_err(other))
    }

    fn delete(&mut self, b: Resource<BucketRes>, key: String) -> Result<(), KvError> {
        self.bucket(&[b"DEL", key.as_bytes()], &b, |e, db| e.del(db, &[key.as_bytes()]).map(|_| ()).map_err(other))
    }

    fn exists(&mut self, b: Resource<BucketRes>, key: String) -> Result<bool, KvError> {
        self.bucket(&[b"EXISTS", key.as_bytes()], &b, |e, db| e.exists(db, &[key.as_bytes()]).map(|n| n > 0).map_err(other))
    }

    fn list_keys(&mut self, b: Resource<BucketRes>, cursor: Option<u64>) -> Result<KeyResponse, KvError> {
        // SCAN: Redis 7.0 does not filter it by key patterns, so a confined
        // user lists keys only if granted SCAN (which it then sees all of).
        self.bucket(&[b"SCAN", b"0"], &b, |e, db| {
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
        self.bucket(&[b"INCRBY", key.as_bytes(), b"1"], &b, |e, db| {
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
        let check: Vec<Vec<u8>> = kv_argv(&[b"MGET"], &ks).into_iter().map(<[u8]>::to_vec).collect();
        self.bucket(&keys(&check), &b, |e, db| {
            let mut out = Vec::with_capacity(ks.len());
            for k in ks {
                let v = e.get(db, k.as_bytes()).map_err(other)?;
                out.push(v.map(|v| (k, v)));
            }
            Ok(out)
        })
    }

    fn set_many(&mut self, b: Resource<BucketRes>, kvs: Vec<(String, Vec<u8>)>) -> Result<(), KvError> {
        let check: Vec<&[u8]> = if kvs.is_empty() { Vec::new() } else { [&b"MSET"[..]].into_iter().chain(kvs.iter().flat_map(|(k, _)| [k.as_bytes(), &b"v"[..]])).collect() };
        self.bucket(&check, &b, |e, db| {
            if kvs.is_empty() {
                return Ok(());
            }
            let p: Vec<(&[u8], &[u8])> = kvs.iter().map(|(k, v)| (k.as_bytes(), v.as_slice())).collect();
            e.mset(db, &p).map_err(other)
        })
    }

    fn delete_many(&mut self, b: Resource<BucketRes>, ks: Vec<String>) -> Result<(), KvError> {
        self.bucket(&kv_argv(&[b"DEL"], &ks), &b, |e, db| {
            if ks.is_empty() {
                return Ok(());
            }
            let k: Vec<&[u8]> = ks.iter().map(|k| k.as_bytes()).collect();
            e.del(db, &k).map(|_| ()).map_err(other)
        })
    }
}
