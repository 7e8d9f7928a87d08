//! redlet for wasmtime hosts: runs the redlet component (`redlet.wasm`,
//! world `redlet:engine/redlet`) with a typed Rust API, storage the host
//! provides, an injectable clock and limits; serves RESP over it
//! (`redlet-wasmtime serve`); and offers redlet to a plugin runtime's own
//! plugins ([`plugin`]).
//!
//! ```no_run
//! use redlet_wasmtime::{DirStorage, Limits, Redlet, RedletConfig};
//!
//! # fn main() -> Result<(), redlet_wasmtime::Error> {
//! // Compile once (InstancePre), instantiate as often as needed.
//! let redlet = Redlet::from_file("target/component/redlet.wasm", &RedletConfig::default())?;
//! let mut inst = redlet.instantiate(DirStorage::new("./data"), redlet::clock::SystemClock, Limits::default())?;
//! let db = inst.open(&[("appendonly", "yes")], Some("default"), None)?;
//! let conn = db.connect(&mut inst, "app")?;
//! conn.call(&mut inst, &["SET", "greeting", "hello"])?;
//! assert_eq!(conn.get(&mut inst, b"greeting")?, Some(b"hello".to_vec()));
//! # Ok(()) }
//! ```
//!
//! Invariants:
//! - Every call into the component runs under the instance's [`Limits`]
//!   (fuel and epoch budgets are reset before each call, memory is capped
//!   for the store's life). A call that exceeds them, or any trap, returns
//!   [`Error::Trap`] and leaves the instance unusable ([`Instance::is_poisoned`]);
//!   the host drops it and instantiates again: the database reopens from
//!   storage with every acknowledged write (what `flush`/`appendfsync`
//!   made durable) back.
//! - Guest resources (`Database`, `Connection`) are plain handles tied to
//!   the instance that made them; [`Connection::close`] and
//!   [`Database::close`] drop them in the guest, and dropping the
//!   [`Instance`] drops everything.

pub mod bindings;
pub mod plugin;
pub mod serve;
pub mod storage;

use std::path::Path;

use redlet::clock::Clock;
use redlet::Reply;
use wasmtime::component::{Component, HasSelf, Linker, ResourceAny};
use wasmtime::{Store, StoreLimits, StoreLimitsBuilder};

use bindings::component::exports::redlet::engine::engine as wit;
use bindings::component::redlet::engine::types as wtypes;
use bindings::component::{Redlet as Bindings, RedletPre};

pub use storage::{DirStorage, HostStorage, MemSpaces};
pub use wit::{LoadReport, RespResult, Scored, SetCondition, SetExpiry, SetOptions, StreamEntry, StreamRead};

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Redis's error reply, whole (`WRONGTYPE Operation against a key
    /// holding the wrong kind of value`). Nothing changed.
    Reply(String),
    /// The storage failed, or what it holds cannot be loaded: `<blob>:
    /// <reason>`. Storage is left as it was.
    Storage(String),
    /// A configuration directive was refused, with Redis's text for it.
    Config(String),
    /// The component trapped: a limit was exceeded (fuel, epoch deadline,
    /// memory) or it failed. The instance is unusable; instantiate again
    /// and reopen the database from storage.
    Trap(String),
    /// The component could not be loaded, compiled or instantiated.
    Load(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Reply(m) => write!(f, "{m}"),
            Error::Storage(m) => write!(f, "storage: {m}"),
            Error::Config(m) => write!(f, "config: {m}"),
            Error::Trap(m) => write!(f, "the redlet component trapped: {m}"),
            Error::Load(m) => write!(f, "can't load the redlet component: {m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<wtypes::Error> for Error {
    fn from(e: wtypes::Error) -> Error {
        match e {
            wtypes::Error::Reply(m) => Error::Reply(m),
            wtypes::Error::Storage(m) => Error::Storage(m),
            wtypes::Error::Config(m) => Error::Config(m),
        }
    }
}

/// A trap (or any host-side failure of a call) as an [`Error::Trap`], with
/// the trap's cause first (`all fuel consumed by WebAssembly`).
fn trap(e: wasmtime::Error) -> Error {
    let full = format!("{e:#}");
    Error::Trap(match e.downcast_ref::<wasmtime::Trap>() {
        Some(t) if full != t.to_string() => format!("{t} ({full})"),
        Some(t) => t.to_string(),
        None => full,
    })
}

/// How the wasmtime engine is set up: which limits instances may use.
/// Fuel costs the component about a fifth of its speed, epochs a few
/// percent; both are off by default.
#[derive(Debug, Clone, Default)]
pub struct RedletConfig {
    /// Compile with fuel metering, so [`Limits::fuel`] works.
    pub fuel: bool,
    /// Compile with epoch interruption, so [`Limits::epoch_ticks`] works
    /// (the host calls [`Redlet::increment_epoch`] from a timer).
    pub epochs: bool,
}

/// Limits of one instance. A call that exceeds one gets [`Error::Trap`].
#[derive(Debug, Clone, Default)]
pub struct Limits {
    /// Fuel (about one unit per wasm instruction) each call may use; needs
    /// [`RedletConfig::fuel`].
    pub fuel: Option<u64>,
    /// Epoch ticks each call may run for; needs [`RedletConfig::epochs`].
    pub epoch_ticks: Option<u64>,
    /// Bytes of linear memory the component may grow to.
    pub memory: Option<usize>,
}

/// What a store holds: the imports' state.
pub struct State {
    storage: Box<dyn HostStorage>,
    clock: Box<dyn Clock + Send>,
    limits: StoreLimits,
}

impl bindings::component::redlet::engine::storage::Host for State {
    fn size(&mut self, space: String, name: String) -> Result<Option<u64>, String> {
        let st = self.storage.space(&space).map_err(|e| e.to_string())?;
        st.size(&name).map_err(|e| e.to_string())
    }

    fn read_at(&mut self, space: String, name: String, offset: u64, len: u32) -> Result<Vec<u8>, String> {
        let st = self.storage.space(&space).map_err(|e| e.to_string())?;
        // Never allocate more than the blob holds (`len` is untrusted).
        let size = st.size(&name).map_err(|e| e.to_string())?.unwrap_or(0);
        let n = u64::from(len).min(size.saturating_sub(offset)) as usize;
        let mut buf = vec![0; n];
        let mut got = 0;
        while got < n {
            let k = st.read_at(&name, offset + got as u64, &mut buf[got..]).map_err(|e| e.to_string())?;
            if k == 0 {
                break;
            }
            got += k;
        }
        buf.truncate(got);
        Ok(buf)
    }

    fn begin(&mut self, space: String, name: String) -> Result<(), String> {
        let st = self.storage.space(&space).map_err(|e| e.to_string())?;
        st.begin(&name).map_err(|e| e.to_string())
    }

    fn write(&mut self, space: String, name: String, data: Vec<u8>) -> Result<(), String> {
        let st = self.storage.space(&space).map_err(|e| e.to_string())?;
        st.write(&name, &data).map_err(|e| e.to_string())
    }

    fn commit(&mut self, space: String, name: String) -> Result<(), String> {
        let st = self.storage.space(&space).map_err(|e| e.to_string())?;
        st.commit(&name).map_err(|e| e.to_string())
    }

    fn abort(&mut self, space: String, name: String) {
        if let Ok(st) = self.storage.space(&space) {
            st.abort(&name);
        }
    }

    fn append(&mut self, space: String, name: String, data: Vec<u8>) -> Result<(), String> {
        let st = self.storage.space(&space).map_err(|e| e.to_string())?;
        st.append(&name, &data).map_err(|e| e.to_string())
    }

    fn sync(&mut self, space: String, name: String) -> Result<(), String> {
        let st = self.storage.space(&space).map_err(|e| e.to_string())?;
        st.sync(&name).map_err(|e| e.to_string())
    }
}

impl bindings::component::wasi::clocks::wall_clock::Host for State {
    fn now(&mut self) -> bindings::component::wasi::clocks::wall_clock::Datetime {
        let us = self.clock.now_micros();
        bindings::component::wasi::clocks::wall_clock::Datetime { seconds: us / 1_000_000, nanoseconds: (us % 1_000_000) as u32 * 1000 }
    }

    fn resolution(&mut self) -> bindings::component::wasi::clocks::wall_clock::Datetime {
        bindings::component::wasi::clocks::wall_clock::Datetime { seconds: 0, nanoseconds: 1000 }
    }
}

impl wtypes::Host for State {}

/// The component, compiled once and linked to this crate's imports
/// (`InstancePre`): instantiating it is cheap.
#[derive(Clone)]
pub struct Redlet {
    engine: wasmtime::Engine,
    pre: RedletPre<State>,
    config: RedletConfig,
}

/// Where the component is: `$REDLET_COMPONENT`, else
/// `<repo>/target/component/redlet.wasm` (this crate's parent folder).
pub fn default_component_path() -> std::path::PathBuf {
    match std::env::var_os("REDLET_COMPONENT") {
        Some(p) if !p.is_empty() => p.into(),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/component/redlet.wasm"),
    }
}

impl Redlet {
    /// Compiles the component in `path` (a `.wasm` component binary).
    pub fn from_file(path: impl AsRef<Path>, config: &RedletConfig) -> Result<Redlet, Error> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| {
            Error::Load(format!("{}: {e} (build it with `bash component/build.sh`, or set REDLET_COMPONENT)", path.display()))
        })?;
        Redlet::new(&bytes, config)
    }

    /// Compiles the component from its bytes.
    pub fn new(bytes: &[u8], config: &RedletConfig) -> Result<Redlet, Error> {
        let mut wc = wasmtime::Config::new();
        wc.consume_fuel(config.fuel);
        wc.epoch_interruption(config.epochs);
        let engine = wasmtime::Engine::new(&wc).map_err(|e| Error::Load(format!("{e:#}")))?;
        let component = Component::new(&engine, bytes).map_err(|e| Error::Load(format!("{e:#}")))?;
        let mut linker = Linker::<State>::new(&engine);
        Bindings::add_to_linker::<State, HasSelf<State>>(&mut linker, |s| s).map_err(|e| Error::Load(format!("{e:#}")))?;
        let pre = linker.instantiate_pre(&component).map_err(|e| Error::Load(format!("{e:#}")))?;
        let pre = RedletPre::new(pre).map_err(|e| Error::Load(format!("{e:#}")))?;
        Ok(Redlet { engine, pre, config: config.clone() })
    }

    /// The wasmtime engine (for [`wasmtime::Engine::increment_epoch`]).
    pub fn engine(&self) -> &wasmtime::Engine {
        &self.engine
    }

    /// Advances the epoch: calls running longer than their
    /// [`Limits::epoch_ticks`] are interrupted.
    pub fn increment_epoch(&self) {
        self.engine.increment_epoch();
    }

    /// A fresh instance with its own memory, storing through `storage` and
    /// reading time from `clock`, under `limits`.
    pub fn instantiate(&self, storage: impl HostStorage + 'static, clock: impl Clock + Send + 'static, limits: Limits) -> Result<Instance, Error> {
        self.instantiate_boxed(Box::new(storage), Box::new(clock), limits)
    }

    /// [`Redlet::instantiate`] with boxed imports (as [`Instance::into_imports`]
    /// returns them).
    pub fn instantiate_boxed(&self, storage: Box<dyn HostStorage>, clock: Box<dyn Clock + Send>, limits: Limits) -> Result<Instance, Error> {
        if limits.fuel.is_some() && !self.config.fuel {
            return Err(Error::Load("Limits::fuel needs RedletConfig::fuel".into()));
        }
        if limits.epoch_ticks.is_some() && !self.config.epochs {
            return Err(Error::Load("Limits::epoch_ticks needs RedletConfig::epochs".into()));
        }
        let mut lb = StoreLimitsBuilder::new().trap_on_grow_failure(true);
        if let Some(m) = limits.memory {
            lb = lb.memory_size(m);
        }
        let mut store = Store::new(&self.engine, State { storage, clock, limits: lb.build() });
        store.limiter(|s| &mut s.limits);
        let mut inst = Instance { store, bindings: None, limits, poisoned: false, metered: self.config.fuel, interruptible: self.config.epochs, fast: None };
        inst.budget();
        let b = inst.pre_instantiate(&self.pre)?;
        let conn = b.redlet_engine_engine().connection();
        let fast = FastFuncs { call: *conn.func_call().func(), get: *conn.func_get().func(), set: *conn.func_set().func() };
        // The type checks that make `new_unchecked` below sound.
        let load = |e: wasmtime::Error| Error::Load(format!("{e:#}"));
        fast.call.typed::<CallParams<'_>, (wit::Outcome,)>(&inst.store).map_err(load)?;
        fast.get.typed::<GetParams<'_>, GetResult>(&inst.store).map_err(load)?;
        fast.set.typed::<SetParams<'_>, SetResult>(&inst.store).map_err(load)?;
        inst.fast = Some(fast);
        inst.bindings = Some(b);
        Ok(inst)
    }
}

/// One instance of the component: its memory, its databases and
/// connections. Not `Sync`; move it to the thread that uses it.
pub struct Instance {
    store: Store<State>,
    bindings: Option<Bindings>,
    limits: Limits,
    poisoned: bool,
    /// Compiled with fuel: every call needs fuel, `u64::MAX` without a
    /// budget.
    metered: bool,
    /// Compiled with epoch interruption: every call needs a deadline,
    /// never reached without a budget.
    interruptible: bool,
    /// `connection.call`, `get` and `set`, checked at instantiation to
    /// accept borrowed slices (`&[&[u8]]`, `&[u8]`) where the bindings
    /// take `&[Vec<u8>]` / `&Vec<u8>`: the hot paths copy nothing before
    /// lowering into the guest.
    fast: Option<FastFuncs>,
}

/// See [`Instance::fast`].
#[derive(Clone, Copy)]
struct FastFuncs {
    call: wasmtime::component::Func,
    get: wasmtime::component::Func,
    set: wasmtime::component::Func,
}

type CallParams<'a> = (ResourceAny, &'a [&'a [u8]]);
type GetParams<'a> = (ResourceAny, &'a [u8]);
type SetParams<'a> = (ResourceAny, &'a [u8], &'a [u8], SetOptions);
type GetResult = (Result<Option<Vec<u8>>, wtypes::Error>,);
type SetResult = (Result<bool, wtypes::Error>,);

impl Instance {
    fn pre_instantiate(&mut self, pre: &RedletPre<State>) -> Result<Bindings, Error> {
        pre.instantiate(&mut self.store).map_err(trap)
    }

    /// Resets the per-call budgets.
    #[inline]
    fn budget(&mut self) {
        if self.metered {
            // Cannot fail: metering is on.
            let _ = self.store.set_fuel(self.limits.fuel.unwrap_or(u64::MAX));
        }
        if self.interruptible {
            self.store.set_epoch_deadline(self.limits.epoch_ticks.unwrap_or(u64::MAX));
        }
    }

    /// The store and the engine export, budgets reset: the entry of every
    /// call.
    #[inline]
    fn enter(&mut self) -> Result<(&mut Store<State>, &wit::Guest), Error> {
        if self.poisoned {
            return Err(Error::Trap("the instance trapped earlier; instantiate again".into()));
        }
        if self.metered || self.interruptible {
            self.budget();
        }
        match &self.bindings {
            Some(b) => Ok((&mut self.store, b.redlet_engine_engine())),
            None => Err(Error::Trap("not instantiated".into())),
        }
    }

    /// Maps a call's outer result: a trap poisons the instance.
    #[inline]
    fn done<T>(&mut self, r: wasmtime::Result<T>) -> Result<T, Error> {
        r.map_err(|e| {
            self.poisoned = true;
            trap(e)
        })
    }

    /// Changes the per-call fuel and epoch budgets from the next call on
    /// (a host opens a database under a generous budget, say, then serves
    /// requests under a tight one). The memory limit stays as instantiated.
    pub fn set_limits(&mut self, limits: Limits) -> Result<(), Error> {
        if limits.epoch_ticks.is_some() && !self.interruptible {
            return Err(Error::Load("Limits::epoch_ticks needs RedletConfig::epochs".into()));
        }
        if limits.fuel.is_some() && !self.metered {
            return Err(Error::Load("Limits::fuel needs RedletConfig::fuel".into()));
        }
        self.limits.fuel = limits.fuel;
        self.limits.epoch_ticks = limits.epoch_ticks;
        Ok(())
    }

    /// A trap made the instance unusable: drop it and instantiate again.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }

    /// Fuel left after the last call (with [`Limits::fuel`]).
    pub fn fuel_left(&self) -> Option<u64> {
        self.store.get_fuel().ok()
    }

    /// Ends the instance and gives back its storage and clock, to
    /// instantiate again over the same data (after a trap, say).
    pub fn into_imports(self) -> (Box<dyn HostStorage>, Box<dyn Clock + Send>) {
        let s = self.store.into_data();
        (s.storage, s.clock)
    }

    /// Opens a database (`database.open`): `config` directives applied in
    /// order, then the snapshot and journal of storage space `storage`
    /// loaded (`None`: in memory only).
    pub fn open(&mut self, config: &[(&str, &str)], storage: Option<&str>, seed: Option<u64>) -> Result<Database, Error> {
        let options = wit::Options {
            config: config.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            storage: storage.map(str::to_string),
            seed,
        };
        let (store, g) = self.enter()?;
        let r = g.database().call_open(store, &options);
        let res = self.done(r)??;
        Ok(Database { res })
    }

    /// The raw store and bindings, for calls this API does not wrap.
    pub fn raw(&mut self) -> (&mut Store<State>, Option<&Bindings>) {
        (&mut self.store, self.bindings.as_ref())
    }
}

/// A database of an [`Instance`] (the `database` resource).
#[derive(Debug, Clone, Copy)]
pub struct Database {
    res: ResourceAny,
}

/// A connection to a database (the `connection` resource).
#[derive(Debug, Clone, Copy)]
pub struct Connection {
    res: ResourceAny,
}

/// What [`Connection::call`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The command ran; its reply.
    Done(Reply),
    /// The command waits (BLPOP on an empty list); its reply comes through
    /// [`Connection::take`] once [`Database::woken`] names the connection.
    Blocked,
}

impl Outcome {
    /// The reply, `None` when blocked.
    pub fn reply(self) -> Option<Reply> {
        match self {
            Outcome::Done(r) => Some(r),
            Outcome::Blocked => None,
        }
    }
}

/// Generates wrappers of database methods: `name(args) -> T`.
macro_rules! db_calls {
    ($($(#[$m:meta])* fn $name:ident => $call:ident ( $($a:ident : $t:ty),* ) -> $ret:ty ;)*) => {
        $(
            $(#[$m])*
            pub fn $name(&self, inst: &mut Instance $(, $a: $t)*) -> Result<$ret, Error> {
                let (store, g) = inst.enter()?;
                let r = g.database().$call(store, self.res $(, $a)*);
                inst.done(r)
            }
        )*
    };
}

/// How a wrapper's argument reaches the generated binding: bindgen takes
/// a WIT `bytes` as `&Vec<u8>` (the alias), the wrappers take `&[u8]`, so
/// those are copied; everything else passes through.
trait ToArg {
    type Owned;
    type Arg<'a>
    where
        Self: 'a;
    fn own(self) -> Self::Owned;
    fn arg<'a>(o: &'a Self::Owned) -> Self::Arg<'a>
    where
        Self: 'a;
}

impl ToArg for &[u8] {
    type Owned = Vec<u8>;
    type Arg<'a>
        = &'a Vec<u8>
    where
        Self: 'a;
    fn own(self) -> Vec<u8> {
        self.to_vec()
    }
    fn arg<'a>(o: &'a Vec<u8>) -> &'a Vec<u8>
    where
        Self: 'a,
    {
        o
    }
}

/// Arguments passed as they are.
macro_rules! same_arg {
    ($($t:ty),*) => {$(
        impl<'x> ToArg for $t {
            type Owned = $t;
            type Arg<'a> = $t where Self: 'a;
            fn own(self) -> $t {
                self
            }
            fn arg<'a>(o: &'a $t) -> $t where Self: 'a {
                *o
            }
        }
    )*};
}
same_arg!(i64, u64, f64, bool, SetOptions, Option<u64>, Option<&'x str>, &'x str, &'x [Vec<u8>], &'x [(Vec<u8>, Vec<u8>)], &'x [Scored], &'x [(Vec<u8>, String)], &'x [String]);

/// Generates wrappers of connection methods returning `result<T, error>`.
macro_rules! conn_calls {
    ($($(#[$m:meta])* fn $name:ident => $call:ident ( $($a:ident : $t:ty),* ) -> $ret:ty ;)*) => {
        $(
            $(#[$m])*
            pub fn $name(&self, inst: &mut Instance $(, $a: $t)*) -> Result<$ret, Error> {
                $(let $a = ToArg::own($a);)*
                let (store, g) = inst.enter()?;
                let r = g.connection().$call(store, self.res $(, <$t as ToArg>::arg(&$a))*);
                Ok(inst.done(r)??)
            }
        )*
    };
}

impl Database {
    db_calls! {
        /// What the open loaded.
        fn load_report => call_load_report() -> LoadReport;
        /// Runs due timers (`database.tick`).
        fn tick => call_tick() -> ();
        /// When `tick` next has work, Unix ms of the component's clock.
        fn next_wakeup => call_next_wakeup() -> Option<u64>;
        /// Ids of connections with replies or messages ready.
        fn woken => call_woken() -> Vec<u64>;
        /// Set when a write could not be made durable under `appendfsync
        /// always`: reopen the database.
        fn fatal => call_fatal() -> Option<String>;
    }

    /// A new client (`CLIENT LIST` shows `addr`).
    pub fn connect(&self, inst: &mut Instance, addr: &str) -> Result<Connection, Error> {
        let (store, g) = inst.enter()?;
        let r = g.database().call_connect(store, self.res, addr);
        Ok(Connection { res: inst.done(r)? })
    }

    /// A new client running as ACL user `user`: with `password` it
    /// authenticates as `AUTH user password` does, with `None` the host
    /// vouches for it (no password asked). Every command and typed call
    /// it makes is checked against the user's rules. [`Error::Reply`] with
    /// Redis's WRONGPASS text when the user is unknown or off or the
    /// password wrong (no connection is left then). See `connect-as` in
    /// `wit/redlet.wit`.
    pub fn connect_as(&self, inst: &mut Instance, addr: &str, user: &str, password: Option<&str>) -> Result<Connection, Error> {
        let (store, g) = inst.enter()?;
        let r = g.database().call_connect_as(store, self.res, addr, user, password);
        Ok(Connection { res: inst.done(r)?? })
    }

    /// SAVE: writes a snapshot through storage.
    pub fn save(&self, inst: &mut Instance) -> Result<(), Error> {
        let (store, g) = inst.enter()?;
        let r = g.database().call_save(store, self.res);
        Ok(inst.done(r)??)
    }

    /// Makes every acknowledged write durable.
    pub fn flush(&self, inst: &mut Instance) -> Result<(), Error> {
        let (store, g) = inst.enter()?;
        let r = g.database().call_flush(store, self.res);
        Ok(inst.done(r)??)
    }

    /// SHUTDOWN [SAVE|NOSAVE].
    pub fn shutdown(&self, inst: &mut Instance, save: Option<bool>) -> Result<(), Error> {
        let (store, g) = inst.enter()?;
        let r = g.database().call_shutdown(store, self.res, save);
        Ok(inst.done(r)??)
    }

    /// Drops the handle in the guest (what is durable stays in storage).
    pub fn close(self, inst: &mut Instance) -> Result<(), Error> {
        let r = self.res.resource_drop(&mut inst.store);
        inst.done(r)
    }
}

/// Rebuilds reply trees from the component's frames. A malformed list
/// (a component bug) is an [`Error::Trap`] without poisoning.
fn replies(frames: Vec<wtypes::Frame>) -> Result<Vec<Reply>, Error> {
    let frames: Vec<redlet::frame::Frame> = frames.into_iter().map(frame_in).collect();
    redlet::frame::to_reply(&frames).map_err(|e| Error::Trap(format!("malformed reply frames: {e}")))
}

/// The one reply of a command (several top-level values are a `Seq`).
fn one_reply(mut frames: Vec<wtypes::Frame>) -> Result<Reply, Error> {
    // Most replies are one scalar frame (`+OK`, a bulk, an integer): no
    // tree to rebuild.
    if frames.len() == 1 {
        use wtypes::Frame as W;
        let simple = match frames.pop() {
            Some(W::Simple(s)) => Some(Reply::Status(s.into())),
            Some(W::Integer(n)) => Some(Reply::Int(n)),
            Some(W::Bulk(b)) => Some(Reply::Bulk(b)),
            Some(W::Null) => Some(Reply::Nil),
            Some(W::NullArray) => Some(Reply::NilArray),
            Some(other) => {
                frames.push(other);
                None
            }
            None => None,
        };
        if let Some(r) = simple {
            return Ok(r);
        }
    }
    let mut v = replies(frames)?;
    Ok(if v.len() == 1 { v.pop().unwrap_or(Reply::Nil) } else { Reply::Seq(v) })
}

/// The WIT frame as the core's neutral frame.
fn frame_in(f: wtypes::Frame) -> redlet::frame::Frame {
    use redlet::frame::Frame as F;
    use wtypes::Frame as W;
    match f {
        W::Simple(s) => F::Simple(s),
        W::Error(s) => F::Error(s),
        W::Integer(n) => F::Integer(n),
        W::Bulk(b) => F::Bulk(b),
        W::Null => F::Null,
        W::NullArray => F::NullArray,
        W::Double(d) => F::Double(d),
        W::Boolean(b) => F::Boolean(b),
        W::BigNumber(s) => F::BigNumber(s),
        W::Verbatim((fmt, t)) => F::Verbatim(fmt, t),
        W::Array(n) => F::Array(n),
        W::Map(n) => F::Map(n),
        W::Set(n) => F::Set(n),
        W::Push(n) => F::Push(n),
    }
}

impl Connection {
    /// Client id (`CLIENT ID`).
    pub fn id(&self, inst: &mut Instance) -> Result<u64, Error> {
        let (store, g) = inst.enter()?;
        let r = g.connection().call_id(store, self.res);
        inst.done(r)
    }

    /// Runs any command; errors are `Reply::Error` replies, as Redis sends
    /// them. Arguments are anything byte-like (`&str`, `&[u8]`, `Vec<u8>`),
    /// lowered into the guest without an intermediate copy.
    pub fn call<A: AsRef<[u8]>>(&self, inst: &mut Instance, args: &[A]) -> Result<Outcome, Error> {
        // Up to 8 arguments (nearly every command) without allocating.
        let mut small: [&[u8]; 8] = [&[]; 8];
        let heap: Vec<&[u8]>;
        let refs: &[&[u8]] = if args.len() <= small.len() {
            for (d, a) in small.iter_mut().zip(args) {
                *d = a.as_ref();
            }
            &small[..args.len()]
        } else {
            heap = args.iter().map(AsRef::as_ref).collect();
            &heap
        };
        self.call_slices(inst, refs)
    }

    /// [`Connection::call`] with the arguments already owned.
    pub fn call_owned(&self, inst: &mut Instance, args: &[Vec<u8>]) -> Result<Outcome, Error> {
        self.call(inst, args)
    }

    fn call_slices(&self, inst: &mut Instance, args: &[&[u8]]) -> Result<Outcome, Error> {
        let fast = inst.fast.ok_or_else(|| Error::Trap("not instantiated".into()))?;
        let (store, _) = inst.enter()?;
        // SAFETY: `fast.call` was type-checked against exactly these
        // parameter and result types at instantiation.
        let f = unsafe { wasmtime::component::TypedFunc::<CallParams<'_>, (wit::Outcome,)>::new_unchecked(fast.call) };
        let r = f.call(store, (self.res, args)).map(|(o,)| o);
        Ok(match inst.done(r)? {
            wit::Outcome::Done(frames) => Outcome::Done(one_reply(frames)?),
            wit::Outcome::Blocked => Outcome::Blocked,
        })
    }

    /// GET
    pub fn get(&self, inst: &mut Instance, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        let fast = inst.fast.ok_or_else(|| Error::Trap("not instantiated".into()))?;
        let (store, _) = inst.enter()?;
        // SAFETY: type-checked at instantiation (see `FastFuncs`).
        let f = unsafe { wasmtime::component::TypedFunc::<GetParams<'_>, GetResult>::new_unchecked(fast.get) };
        let r = f.call(store, (self.res, key)).map(|(o,)| o);
        Ok(inst.done(r)??)
    }

    /// SET with NX/XX and expiry; whether the value was written.
    pub fn set(&self, inst: &mut Instance, key: &[u8], value: &[u8], options: SetOptions) -> Result<bool, Error> {
        let fast = inst.fast.ok_or_else(|| Error::Trap("not instantiated".into()))?;
        let (store, _) = inst.enter()?;
        // SAFETY: type-checked at instantiation (see `FastFuncs`).
        let f = unsafe { wasmtime::component::TypedFunc::<SetParams<'_>, SetResult>::new_unchecked(fast.set) };
        let r = f.call(store, (self.res, key, value, options)).map(|(o,)| o);
        Ok(inst.done(r)??)
    }

    /// Replies and pushes ready since the last call, in order.
    pub fn take(&self, inst: &mut Instance) -> Result<Vec<Reply>, Error> {
        let (store, g) = inst.enter()?;
        let r = g.connection().call_take(store, self.res);
        replies(inst.done(r)?)
    }

    /// Whether a blocked command is waiting.
    pub fn is_blocked(&self, inst: &mut Instance) -> Result<bool, Error> {
        let (store, g) = inst.enter()?;
        let r = g.connection().call_is_blocked(store, self.res);
        inst.done(r)
    }

    /// Feeds RESP bytes; returns the encoded replies (see the WIT).
    pub fn resp(&self, inst: &mut Instance, input: &[u8], output_limit: u32) -> Result<RespResult, Error> {
        let (store, g) = inst.enter()?;
        let r = g.connection().call_resp(store, self.res, input, output_limit);
        inst.done(r)
    }

    /// After [`Database::woken`] named this connection: its encoded replies.
    pub fn resume(&self, inst: &mut Instance) -> Result<RespResult, Error> {
        let (store, g) = inst.enter()?;
        let r = g.connection().call_resume(store, self.res);
        inst.done(r)
    }

    /// Closes the client (drops the resource in the guest).
    pub fn close(self, inst: &mut Instance) -> Result<(), Error> {
        let r = self.res.resource_drop(&mut inst.store);
        inst.done(r)
    }

    conn_calls! {
        /// DEL; how many keys existed.
        fn del => call_del(keys: &[Vec<u8>]) -> u64;
        /// EXISTS
        fn exists => call_exists(keys: &[Vec<u8>]) -> u64;
        /// PEXPIRE
        fn expire => call_expire(key: &[u8], ms: i64) -> bool;
        /// PTTL
        fn ttl => call_ttl(key: &[u8]) -> i64;
        /// INCRBY
        fn incrby => call_incrby(key: &[u8], delta: i64) -> i64;
        /// HGET
        fn hget => call_hget(key: &[u8], field: &[u8]) -> Option<Vec<u8>>;
        /// HSET; fields added.
        fn hset => call_hset(key: &[u8], pairs: &[(Vec<u8>, Vec<u8>)]) -> u64;
        /// HDEL; fields removed.
        fn hdel => call_hdel(key: &[u8], fields: &[Vec<u8>]) -> u64;
        /// HGETALL
        fn hgetall => call_hgetall(key: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)>;
        /// LPUSH; new length.
        fn lpush => call_lpush(key: &[u8], elements: &[Vec<u8>]) -> u64;
        /// RPUSH; new length.
        fn rpush => call_rpush(key: &[u8], elements: &[Vec<u8>]) -> u64;
        /// LPOP
        fn lpop => call_lpop(key: &[u8]) -> Option<Vec<u8>>;
        /// RPOP
        fn rpop => call_rpop(key: &[u8]) -> Option<Vec<u8>>;
        /// LRANGE
        fn lrange => call_lrange(key: &[u8], start: i64, stop: i64) -> Vec<Vec<u8>>;
        /// SADD; members added.
        fn sadd => call_sadd(key: &[u8], members: &[Vec<u8>]) -> u64;
        /// SREM; members removed.
        fn srem => call_srem(key: &[u8], members: &[Vec<u8>]) -> u64;
        /// SISMEMBER
        fn sismember => call_sismember(key: &[u8], member: &[u8]) -> bool;
        /// SMEMBERS
        fn smembers => call_smembers(key: &[u8]) -> Vec<Vec<u8>>;
        /// ZADD; members added.
        fn zadd => call_zadd(key: &[u8], members: &[Scored]) -> u64;
        /// ZINCRBY; the new score.
        fn zincrby => call_zincrby(key: &[u8], delta: f64, member: &[u8]) -> f64;
        /// ZRANGE start stop WITHSCORES (REV when `reverse`).
        fn zrange => call_zrange(key: &[u8], start: i64, stop: i64, reverse: bool) -> Vec<Scored>;
        /// ZRANK / ZREVRANK
        fn zrank => call_zrank(key: &[u8], member: &[u8], reverse: bool) -> Option<u64>;
        /// ZSCORE
        fn zscore => call_zscore(key: &[u8], member: &[u8]) -> Option<f64>;
        /// XADD; the new id (`None` with NOMKSTREAM and no stream).
        fn xadd => call_xadd(key: &[u8], id: Option<&str>, fields: &[(Vec<u8>, Vec<u8>)], maxlen: Option<u64>, nomkstream: bool) -> Option<String>;
        /// XGROUP CREATE
        fn xgroup_create => call_xgroup_create(key: &[u8], group: &[u8], id: &str, mkstream: bool) -> ();
        /// XREADGROUP (never blocks)
        fn xreadgroup => call_xreadgroup(group: &[u8], consumer: &[u8], streams: &[(Vec<u8>, String)], count: Option<u64>, noack: bool) -> Vec<StreamRead>;
        /// XACK
        fn xack => call_xack(key: &[u8], group: &[u8], ids: &[String]) -> u64;
        /// PUBLISH; receivers.
        fn publish => call_publish(channel: &[u8], message: &[u8]) -> u64;
    }
}
