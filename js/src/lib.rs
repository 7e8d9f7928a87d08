//! The wasm-bindgen face of redlet: one [`Engine`] behind a JS class, and
//! nothing but conversions. Commands, replies, blocking, timers and
//! persistence are the core's; this crate turns JS arguments into `argv`,
//! [`Reply`] values into JS values, the JS storage adapter into a
//! [`Storage`], and a JS clock function into a [`Clock`]. The idiomatic API
//! (`Redlet.open`, clients, Promises, the ioredis-shaped class, `serve()`)
//! is TypeScript in `js/ts/`.
//!
//! Conventions shared with `js/ts/wasm.ts`:
//! - Arguments travel packed in one buffer inside wasm memory
//!   ([`Engine::arg_buffer`]): for each argument a little-endian `u32`
//!   length, then its bytes. One call crosses the boundary per command.
//! - A reply comes back as a JS value built here. Three cases need JS
//!   classes, which the TS layer passes in as `hooks`: an error reply
//!   (`hooks.error(text)`, a `ReplyError` the caller throws), an
//!   out-of-band push (`hooks.push(items)`: a pub/sub message or keyspace
//!   notification) and several replies to one command (`hooks.seq(items)`,
//!   e.g. SUBSCRIBE's confirmations). `undefined` means "blocked": the
//!   reply arrives later through [`Engine::pop_output`].
//! - Client ids are `u64` in the core and plain numbers in JS (they count
//!   up from 1 and stay far below 2^53).
//!
//! Nothing here panics on input: bad lengths in the argument buffer, a
//! clock that returns garbage or a storage adapter that throws become
//! errors or are clamped. A panic would trap and kill the instance (the TS
//! layer then refuses further calls; data durable in storage loads again in
//! a new instance).
#![cfg(target_arch = "wasm32")]
#![warn(missing_docs)]

// wasm32-unknown-unknown without the `atomics` feature runs one thread, so
// the `Send` bounds the core asks of its clock and storage hold trivially
// for JS handles (see `Local`). A threaded build would break that.
#[cfg(target_feature = "atomics")]
compile_error!("redlet-js assumes single-threaded wasm (no `atomics` target feature)");

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, BigInt, Function, Map, Uint8Array};
use redlet::clock::Clock;
use redlet::config::Config;
use redlet::num;
use redlet::session::{Resume, Session};
use redlet::storage::{Storage, StorageError};
use redlet::{ClientId, ClientInfo, Options, Protocol, Reply};
use wasm_bindgen::prelude::*;

/// A JS handle the core may hold. The core's clock and storage must be
/// `Send`; wasm32 without threads has one thread, so nothing is ever sent.
struct Local<T>(T);
// SAFETY: single-threaded target (checked by the `compile_error!` above):
// the value never leaves the thread that created it.
unsafe impl<T> Send for Local<T> {}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn perf_now() -> f64;
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;

    /// The JS classes replies are built with (see the crate docs).
    pub type Hooks;
    #[wasm_bindgen(method)]
    fn error(this: &Hooks, text: &str) -> JsValue;
    #[wasm_bindgen(method)]
    fn push(this: &Hooks, items: Array) -> JsValue;
    #[wasm_bindgen(method)]
    fn seq(this: &Hooks, items: Array) -> JsValue;

    /// A storage adapter (`js/ts/storage.ts`): the core's `Storage` trait
    /// as synchronous JS methods. An adapter over an asynchronous store
    /// keeps a memory image loaded before the engine opens and writes
    /// behind; its durability is reported by its own `flush()`.
    pub type StorageAdapter;
    #[wasm_bindgen(method, catch)]
    fn size(this: &StorageAdapter, name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = readAt)]
    fn read_at(this: &StorageAdapter, name: &str, offset: f64, buf: &mut [u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn begin(this: &StorageAdapter, name: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn write(this: &StorageAdapter, name: &str, data: &[u8]) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn commit(this: &StorageAdapter, name: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn abort(this: &StorageAdapter, name: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn append(this: &StorageAdapter, name: &str, data: &[u8]) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch)]
    fn sync(this: &StorageAdapter, name: &str) -> Result<(), JsValue>;
}

/// The message of a thrown JS value: an `Error`'s `message`, a string, or
/// a generic text.
fn thrown_text(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| "storage adapter threw a non-Error value".into())
}

fn storage_err(v: JsValue) -> StorageError {
    StorageError::new(thrown_text(&v))
}

/// [`Storage`] over a JS adapter object.
struct JsStorage(Local<StorageAdapter>);

impl Storage for JsStorage {
    fn size(&mut self, name: &str) -> Result<Option<u64>, StorageError> {
        let v = self.0 .0.size(name).map_err(storage_err)?;
        match v.as_f64() {
            Some(n) if n >= 0.0 && n.is_finite() => Ok(Some(n as u64)),
            Some(_) => Err(StorageError::new(format!("storage adapter: size({name}) returned an invalid number"))),
            None => Ok(None),
        }
    }
    fn read_at(&mut self, name: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StorageError> {
        let v = self.0 .0.read_at(name, offset as f64, buf).map_err(storage_err)?;
        match v.as_f64() {
            Some(n) if n >= 0.0 && n <= buf.len() as f64 => Ok(n as usize),
            _ => Err(StorageError::new(format!("storage adapter: readAt({name}) must return a byte count <= the buffer length"))),
        }
    }
    fn begin(&mut self, name: &str) -> Result<(), StorageError> {
        self.0 .0.begin(name).map_err(storage_err)
    }
    fn write(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        self.0 .0.write(name, data).map_err(storage_err)
    }
    fn commit(&mut self, name: &str) -> Result<(), StorageError> {
        self.0 .0.commit(name).map_err(storage_err)
    }
    fn abort(&mut self, name: &str) {
        let _ = self.0 .0.abort(name);
    }
    fn append(&mut self, name: &str, data: &[u8]) -> Result<(), StorageError> {
        self.0 .0.append(name, data).map_err(storage_err)
    }
    fn sync(&mut self, name: &str) -> Result<(), StorageError> {
        self.0 .0.sync(name).map_err(storage_err)
    }
}

/// The engine's clock: a JS function returning ms (tests move time with
/// it), or `performance.timeOrigin + performance.now()` with µs precision.
/// A clock that throws or returns a non-finite or negative value keeps the
/// last good reading.
struct JsClock {
    func: Option<Local<Function>>,
    /// `Date.now() - performance.now()` at start.
    origin_ms: f64,
    /// The last good reading, shared with [`Engine`] so it can schedule
    /// timers relative to the command's instant without another read.
    last_us: Local<Rc<Cell<u64>>>,
}

impl Clock for JsClock {
    fn now_micros(&self) -> u64 {
        let ms = match &self.func {
            Some(f) => f.0.call0(&JsValue::UNDEFINED).ok().and_then(|v| v.as_f64()).unwrap_or(f64::NAN),
            None => self.origin_ms + perf_now(),
        };
        if ms.is_finite() && ms >= 0.0 {
            // Saturating float-to-int cast: huge values clamp to u64::MAX.
            self.last_us.0.set((ms * 1000.0).round() as u64);
        }
        self.last_us.0.get()
    }
}

/// Splits a line with Redis's `sdssplitargs` rules (config files, inline
/// commands): the arguments as byte arrays, or `null` on unbalanced quotes.
/// The CLI's config-file reader uses it, so quoting is the core's.
#[wasm_bindgen(js_name = splitArgs)]
pub fn split_args(line: &[u8]) -> Option<Array> {
    let args = redlet::resp::split_args(line)?;
    Some(args.iter().map(|a| JsValue::from(Uint8Array::from(a.as_slice()))).collect())
}

/// A RESP connection of `serve()`: its session and buffers.
struct RespConn {
    session: Session,
    /// Unparsed input is `input[start..]`.
    input: Vec<u8>,
    start: usize,
    out: Vec<u8>,
}

/// Words JS reads after every [`Engine::exec`] without crossing the
/// boundary again (`js/ts/wasm.ts` reads them through typed views at
/// [`Engine::scratch`]). Field order and widths are that contract.
#[repr(C, align(8))]
#[derive(Default)]
struct Scratch {
    /// What the reply is ([`TAG_BLOCKED`], ...).
    tag: u32,
    /// Address and length of the reply's bytes ([`TAG_BYTES`], [`TAG_ERROR`]).
    ptr: u32,
    len: u32,
    /// Bit 0: some client was woken ([`Engine::take_woken`] has work).
    /// Bit 1: the journal failed under `appendfsync always` (see
    /// [`Engine::fatal_error`]): the last reply must not be delivered.
    /// This and `wakeup` are refreshed by every call that can change them.
    flags: u32,
    /// The integer reply ([`TAG_INT`]).
    num: f64,
    /// [`Engine::next_wakeup`] after the command.
    wakeup: f64,
}

/// The client blocked; the reply comes through [`Engine::pop_output`].
const TAG_BLOCKED: u32 = 0;
/// A bulk or status reply; its bytes are at `ptr`/`len` until the next call.
const TAG_BYTES: u32 = 1;
/// An integer reply that a JS number holds exactly, in `num`.
const TAG_INT: u32 = 2;
/// A null reply.
const TAG_NIL: u32 = 3;
/// An error reply; its text is at `ptr`/`len`.
const TAG_ERROR: u32 = 4;
/// Anything else: [`Engine::take_reply`] converts it.
const TAG_OTHER: u32 = 5;

/// Output beyond which a RESP connection is not served until JS took it.
const OUT_PAUSE: usize = 64 << 20;

/// One redlet engine. Built by `Redlet.open` in `js/ts/redlet.ts`.
#[wasm_bindgen]
pub struct Engine {
    eng: redlet::Engine,
    hooks: Hooks,
    /// Packed arguments of the next command (see the crate docs).
    args: Vec<u8>,
    /// Read by JS after each [`Engine::exec`]; boxed for a stable address.
    scratch: Box<Scratch>,
    /// The bytes a [`TAG_BYTES`]/[`TAG_ERROR`] reply points at, kept until
    /// the next call.
    held: Vec<u8>,
    /// A [`TAG_OTHER`] reply waiting for [`Engine::take_reply`].
    pending: Option<(Reply, Protocol, bool)>,
    /// The clock's last reading (see [`JsClock`]).
    clock_us: Rc<Cell<u64>>,
    conns: HashMap<ClientId, RespConn>,
}

fn bytes_to_js(b: &[u8], buffers: bool) -> JsValue {
    if buffers {
        Uint8Array::from(b).into()
    } else {
        match core::str::from_utf8(b) {
            Ok(s) => JsValue::from_str(s),
            Err(_) => JsValue::from_str(&String::from_utf8_lossy(b)),
        }
    }
}

/// Largest integer a JS number holds exactly.
const MAX_SAFE: i64 = (1 << 53) - 1;

#[wasm_bindgen]
impl Engine {
    /// Opens an engine. `config` is a list of `[name, value]` pairs of
    /// redis.conf directives applied in order (an unknown name or bad value
    /// throws Redis's error text); `seed` seeds every random choice;
    /// `clock` (optional) returns the time in ms.
    #[wasm_bindgen(constructor)]
    pub fn new(config: Array, seed: f64, clock: Option<Function>, hooks: Hooks) -> Result<Engine, JsValue> {
        let mut cfg = Config::default();
        for pair in config.iter() {
            let pair = Array::from(&pair);
            let (name, value) = (pair.get(0).as_string().unwrap_or_default(), pair.get(1).as_string().unwrap_or_default());
            cfg.set_param(&name, &value).map_err(|e| JsValue::from_str(&format!("config '{name}' '{value}': {e}")))?;
        }
        if cfg.maxmemory == 0 {
            // What a 32-bit redis-server does at start ("32 bit instance
            // detected but no memory limit set"): wasm32 memory ends at
            // 4 GiB, and running into that end traps, while a limit gives
            // Redis's OOM error.
            cfg.maxmemory = 3 << 30;
            cfg.maxmemory_policy = redlet::config::MaxmemoryPolicy::NoEviction;
        }
        let clock_us = Rc::new(Cell::new(0));
        let clock = JsClock { func: clock.map(Local), origin_ms: date_now() - perf_now(), last_us: Local(Rc::clone(&clock_us)) };
        let seed = if seed.is_finite() { seed.abs() as u64 } else { 0 };
        let eng = redlet::Engine::new(Options { config: cfg, clock: Box::new(clock), seed });
        Ok(Engine { eng, hooks, args: Vec::new(), scratch: Box::default(), held: Vec::new(), pending: None, clock_us, conns: HashMap::new() })
    }

    /// Attaches a storage adapter; [`Engine::load`] then reads it.
    #[wasm_bindgen(js_name = setStorage)]
    pub fn set_storage(&mut self, adapter: StorageAdapter) {
        self.eng.set_storage(Box::new(JsStorage(Local(adapter))));
    }

    /// Loads the snapshot and replays the journal from storage. Throws
    /// `[blob, reason]` when it cannot be read; the storage is left as it
    /// was. Returns `[keys, expired, journalRecords]`.
    pub fn load(&mut self) -> Result<Array, JsValue> {
        let r = self.eng.load().map_err(|e| JsValue::from(Array::of2(&JsValue::from_str(&e.blob), &JsValue::from_str(&e.reason))))?;
        Ok(Array::of3(&(r.keys_loaded as f64).into(), &(r.expired_dropped as f64).into(), &(r.journal_records as f64).into()))
    }

    /// A buffer of at least `len` bytes in wasm memory for the next
    /// command's packed arguments; returns its address. Valid until the
    /// next call into the engine.
    #[wasm_bindgen(js_name = argBuffer)]
    pub fn arg_buffer(&mut self, len: usize) -> *mut u8 {
        if self.args.len() < len {
            self.args.resize(len, 0);
        }
        self.args.as_mut_ptr()
    }

    /// The address of the words JS reads after each [`Engine::exec`].
    pub fn scratch(&self) -> *const u8 {
        (&*self.scratch as *const Scratch).cast()
    }

    /// Runs the command packed in the argument buffer (`nargs` arguments in
    /// its first `used` bytes) for client `id` and returns the reply's tag;
    /// the reply itself is in the scratch words or waits for
    /// [`Engine::take_reply`] (see [`TAG_BLOCKED`] and the others).
    /// `buffers`: bulk and status replies as `Uint8Array` instead of
    /// strings (they then always go through `take_reply`).
    pub fn exec(&mut self, id: f64, nargs: usize, used: usize, buffers: bool) -> u32 {
        let id = id as ClientId;
        let reply = match Self::parse_args(&self.args, nargs, used) {
            Ok(argv) => self.eng.execute(id, &argv),
            Err(e) => Some(Reply::Error(redlet::Error::err(e))),
        };
        let tag = match reply {
            None => TAG_BLOCKED,
            Some(r) => self.stage(r, id, buffers),
        };
        self.scratch.tag = tag;
        self.publish();
        tag
    }

    /// [`Engine::exec`] for the engine's system client: the host itself,
    /// unrestricted by ACLs and `requirepass` (Redis's AOF client). Used
    /// by `Redlet.open({ users })` to create ACL users before any client
    /// connects; never reachable from a client's commands.
    #[wasm_bindgen(js_name = systemExec)]
    pub fn system_exec(&mut self, nargs: usize, used: usize, buffers: bool) -> u32 {
        let reply = match Self::parse_args(&self.args, nargs, used) {
            Ok(argv) => self.eng.command(&argv),
            Err(e) => Reply::Error(redlet::Error::err(e)),
        };
        let tag = self.stage(reply, redlet::engine::SYSTEM_CLIENT, buffers);
        self.scratch.tag = tag;
        self.publish();
        tag
    }

    /// Makes client `id` run as ACL user `user` without its password (the
    /// trusted-host form of `db.client({ user })`, Redis's
    /// `RM_AuthenticateClientWithACLUser`). Throws Redis's WRONGPASS text
    /// when the user does not exist or is off; the client is unchanged then.
    #[wasm_bindgen(js_name = authenticateAs)]
    pub fn authenticate_as(&mut self, id: f64, user: &[u8]) -> Result<(), JsValue> {
        self.eng.authenticate_as(id as ClientId, user).map_err(|e| JsValue::from_str(&String::from_utf8_lossy(&e.to_bytes())))
    }

    /// The reply of the last [`Engine::exec`] that answered [`TAG_OTHER`],
    /// as a JS value (see the crate docs); `undefined` when there is none.
    #[wasm_bindgen(js_name = takeReply)]
    pub fn take_reply(&mut self) -> JsValue {
        match self.pending.take() {
            Some((r, proto, buffers)) => self.to_js(r, proto, buffers),
            None => JsValue::UNDEFINED,
        }
    }

    /// Opens a client (its own db, MULTI, subscriptions, blocked state).
    /// `addr`/`laddr` show in CLIENT LIST (`ip:port`, empty in process).
    #[wasm_bindgen(js_name = openClient)]
    pub fn open_client(&mut self, addr: String, laddr: String) -> f64 {
        self.eng.open_client(ClientInfo { addr, laddr, fd: -1 }) as f64
    }

    /// Closes a client; a blocked client leaves nothing behind.
    #[wasm_bindgen(js_name = closeClient)]
    pub fn close_client(&mut self, id: f64) {
        let id = id as ClientId;
        match self.conns.remove(&id) {
            Some(c) => c.session.close(&mut self.eng),
            None => self.eng.close_client(id),
        }
        self.publish();
    }

    /// The client's protocol: 2 or 3.
    pub fn protocol(&self, id: f64) -> u32 {
        match self.eng.protocol(id as ClientId) {
            Protocol::Resp2 => 2,
            Protocol::Resp3 => 3,
        }
    }

    /// True when the client is to be closed (QUIT, CLIENT KILL).
    #[wasm_bindgen(js_name = shouldClose)]
    pub fn should_close(&self, id: f64) -> bool {
        self.eng.should_close(id as ClientId)
    }

    /// True while the client is blocked.
    #[wasm_bindgen(js_name = isBlocked)]
    pub fn is_blocked(&self, id: f64) -> bool {
        self.eng.is_blocked(id as ClientId)
    }

    /// Clients with output waiting (an unblocked command's reply, pushes)
    /// or that must be closed. RESP connections among them have already
    /// been resumed: their bytes wait in [`Engine::resp_output`].
    #[wasm_bindgen(js_name = takeWoken)]
    pub fn take_woken(&mut self) -> Vec<f64> {
        let woken = self.eng.take_woken();
        let mut ids = Vec::with_capacity(woken.len());
        for id in woken {
            if let Some(c) = self.conns.get_mut(&id) {
                if c.session.resume(&mut self.eng, &mut c.out) == Resume::Drop {
                    c.session.set_closing();
                    c.out.clear();
                } else {
                    Self::pump(&mut self.eng, c);
                }
            }
            ids.push(id as f64);
        }
        self.publish();
        ids
    }

    /// True when [`Engine::take_woken`] has clients to name.
    #[wasm_bindgen(js_name = hasWoken)]
    pub fn has_woken(&self) -> bool {
        self.eng.has_woken()
    }

    /// A test seam: traps as a bug would (an `unreachable` instruction), so
    /// tests can check that a dead instance is detected and that storage
    /// loads again in a new one.
    #[wasm_bindgen(js_name = debugTrap)]
    pub fn debug_trap(&mut self) {
        core::arch::wasm32::unreachable()
    }

    /// The oldest pending output of an in-process client, converted as by
    /// [`Engine::call`]; `undefined` when there is none.
    #[wasm_bindgen(js_name = popOutput)]
    pub fn pop_output(&mut self, id: f64, buffers: bool) -> JsValue {
        let id = id as ClientId;
        match self.eng.pop_output(id) {
            Some(r) => {
                let proto = self.eng.protocol(id);
                self.to_js(r, proto, buffers)
            }
            None => JsValue::UNDEFINED,
        }
    }

    /// When the host must next call [`Engine::tick`], in ms on the engine's
    /// clock; `-1` when nothing is pending (timers may go quiet).
    #[wasm_bindgen(js_name = nextWakeup)]
    pub fn next_wakeup(&self) -> f64 {
        self.eng.next_wakeup_ms().map_or(-1.0, |t| t as f64)
    }

    /// The earliest blocked-client timeout, in ms on the engine's clock;
    /// `-1` when no blocked client has a timeout.
    #[wasm_bindgen(js_name = nextDeadline)]
    pub fn next_deadline(&self) -> f64 {
        self.eng.next_deadline_ms().map_or(-1.0, |t| t as f64)
    }

    /// The engine's clock in ms.
    pub fn now(&self) -> f64 {
        self.eng.now_ms() as f64
    }

    /// Periodic work: blocked-client timeouts, active expiry, persistence.
    pub fn tick(&mut self) {
        self.eng.tick();
        self.publish();
    }

    /// Writes buffered journal records and syncs the journal (a durability
    /// point for `db.flush()`); appendfsync's own rules stay in force.
    #[wasm_bindgen(js_name = syncJournal)]
    pub fn sync_journal(&mut self) -> Result<(), JsValue> {
        self.eng.sync_journal().map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Replaces the dataset and function libraries with those of the RDB
    /// file `data` (all or nothing): `[keys, expired, empty, functions,
    /// version]`. Throws the reason (with its byte offset) on a bad file.
    #[wasm_bindgen(js_name = importRdb)]
    pub fn import_rdb(&mut self, data: &[u8]) -> Result<Vec<f64>, JsValue> {
        let r = self.eng.import_rdb(data).map_err(|e| JsValue::from_str(&format!("ERR Bad RDB file: {e}")))?;
        self.publish();
        Ok(vec![r.keys as f64, r.expired as f64, r.empty as f64, r.functions as f64, f64::from(r.version)])
    }

    /// The dataset as an RDB file redis-server 7.0 loads.
    #[wasm_bindgen(js_name = exportRdb)]
    pub fn export_rdb(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.eng.export_rdb(&mut |b| out.extend_from_slice(b));
        out
    }

    /// SHUTDOWN's work: `save` 1 always, 0 never, -1 when save points are
    /// set. Throws when the save failed (the engine stays usable).
    pub fn shutdown(&mut self, save: i32) -> Result<(), JsValue> {
        let save = match save {
            1 => Some(true),
            0 => Some(false),
            _ => None,
        };
        self.eng.shutdown(save).map_err(|e| JsValue::from_str(&e.to_string()))
    }

    /// Sets the facts INFO reports about the host (the engine cannot read
    /// them itself): an object with any of `tcpPort`, `processId`,
    /// `executable`, `configFile`, `os`, `archBits`, `multiplexingApi`,
    /// `cpuSys`, `cpuUser` (seconds), `rssBytes`, `totalSystemMemory`.
    /// Missing or mistyped fields keep their current values.
    #[wasm_bindgen(js_name = setHostInfo)]
    pub fn set_host_info(&mut self, info: &JsValue) {
        let get = |k: &str| js_sys::Reflect::get(info, &JsValue::from_str(k)).ok().filter(|v| !v.is_undefined());
        let num = |k: &str| get(k).and_then(|v| v.as_f64()).filter(|n| n.is_finite() && *n >= 0.0);
        let text = |k: &str| get(k).and_then(|v| v.as_string());
        let mut h = self.eng.host_info().clone();
        if let Some(n) = num("tcpPort") {
            h.tcp_port = n.min(65535.0) as u16;
        }
        if let Some(n) = num("processId") {
            h.process_id = n.min(u32::MAX as f64) as u32;
        }
        if let Some(n) = num("archBits") {
            h.arch_bits = n.min(64.0) as u32;
        }
        if let Some(n) = num("rssBytes") {
            h.rss_bytes = n as u64;
        }
        if let Some(n) = num("totalSystemMemory") {
            h.total_system_memory = n as u64;
        }
        if let (Some(sys), Some(user)) = (num("cpuSys"), num("cpuUser")) {
            h.cpu_secs = (sys, user);
        }
        for (k, field) in [("executable", &mut h.executable), ("configFile", &mut h.config_file), ("os", &mut h.os), ("multiplexingApi", &mut h.multiplexing_api)] {
            if let Some(v) = text(k) {
                *field = v;
            }
        }
        self.eng.set_host_info(h);
    }

    /// Why the journal could not be written under `appendfsync always`,
    /// once that happened: Redis exits then, so the JS layer drops the
    /// reply and closes the database.
    #[wasm_bindgen(js_name = fatalError)]
    pub fn fatal_error(&self) -> Option<String> {
        self.eng.journal_fatal().map(String::from)
    }

    /// True once SHUTDOWN ran successfully.
    #[wasm_bindgen(js_name = shutdownRequested)]
    pub fn shutdown_requested(&self) -> bool {
        self.eng.shutdown_requested()
    }

    /// A configuration parameter's value as CONFIG GET prints it.
    #[wasm_bindgen(js_name = getConfig)]
    pub fn get_config(&self, name: &str) -> Option<String> {
        self.eng.config().get_param(name)
    }

    /// Opens a RESP connection (`serve()`): returns its client id.
    #[wasm_bindgen(js_name = respOpen)]
    pub fn resp_open(&mut self, addr: String, laddr: String) -> f64 {
        let session = Session::open(&mut self.eng, ClientInfo { addr, laddr, fd: -1 });
        let id = session.id();
        self.conns.insert(id, RespConn { session, input: Vec::new(), start: 0, out: Vec::new() });
        id as f64
    }

    /// Feeds received bytes to a RESP connection and runs the complete
    /// commands. Returns the connection's state bits: 1 = output waiting,
    /// 2 = close once the output is written, 4 = blocked.
    #[wasm_bindgen(js_name = respFeed)]
    pub fn resp_feed(&mut self, id: f64, data: &[u8]) -> u32 {
        let Some(c) = self.conns.get_mut(&(id as ClientId)) else { return 2 };
        if !c.session.is_closing() {
            c.input.extend_from_slice(data);
            Self::pump(&mut self.eng, c);
        }
        let st = Self::state(c);
        self.publish();
        st
    }

    /// State bits of a RESP connection (see [`Engine::resp_feed`]); 2 for
    /// an unknown one.
    #[wasm_bindgen(js_name = respState)]
    pub fn resp_state(&self, id: f64) -> u32 {
        self.conns.get(&(id as ClientId)).map_or(2, Self::state)
    }

    /// Takes the bytes waiting for a RESP connection, then runs input that
    /// was held back while its output was full.
    #[wasm_bindgen(js_name = respOutput)]
    pub fn resp_output(&mut self, id: f64) -> Vec<u8> {
        let Some(c) = self.conns.get_mut(&(id as ClientId)) else { return Vec::new() };
        let out = core::mem::take(&mut c.out);
        if c.start < c.input.len() {
            Self::pump(&mut self.eng, c);
        }
        self.publish();
        out
    }

    /// Bytes of unparsed input a RESP connection holds (for
    /// `client-query-buffer-limit`).
    #[wasm_bindgen(js_name = respPending)]
    pub fn resp_pending(&self, id: f64) -> f64 {
        self.conns.get(&(id as ClientId)).map_or(0.0, |c| (c.input.len() - c.start) as f64)
    }
}

impl Engine {
    /// The arguments packed in the first `used` bytes of `args`.
    fn parse_args(args: &[u8], nargs: usize, used: usize) -> Result<Vec<&[u8]>, &'static str> {
        let packed = args.get(..used).ok_or("redlet-js: argument buffer overrun")?;
        let mut argv: Vec<&[u8]> = Vec::with_capacity(nargs.min(used / 4));
        let mut pos = 0usize;
        for _ in 0..nargs {
            let len = packed
                .get(pos..pos.saturating_add(4))
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .ok_or("redlet-js: malformed argument buffer")?;
            pos += 4;
            let arg = pos.checked_add(len).and_then(|end| packed.get(pos..end)).ok_or("redlet-js: malformed argument buffer")?;
            argv.push(arg);
            pos += len;
        }
        Ok(argv)
    }

    /// Puts a reply where JS reads it: the common shapes in the scratch
    /// words (no JS objects built here), the rest in `pending`.
    fn stage(&mut self, r: Reply, id: ClientId, buffers: bool) -> u32 {
        match r {
            Reply::Bulk(b) if !buffers => self.hold(b, TAG_BYTES),
            Reply::Status(s) if !buffers => {
                let mut b = core::mem::take(&mut self.held);
                b.clear();
                b.extend_from_slice(s.as_bytes());
                self.hold(b, TAG_BYTES)
            }
            Reply::Error(e) => self.hold(e.to_bytes(), TAG_ERROR),
            Reply::Int(n) if (-MAX_SAFE..=MAX_SAFE).contains(&n) => {
                self.scratch.num = n as f64;
                TAG_INT
            }
            Reply::Nil | Reply::NilArray => TAG_NIL,
            r => {
                let proto = self.eng.protocol(id);
                self.pending = Some((r, proto, buffers));
                TAG_OTHER
            }
        }
    }

    fn hold(&mut self, b: Vec<u8>, tag: u32) -> u32 {
        self.held = b;
        // wasm32: addresses and lengths fit in u32.
        self.scratch.ptr = self.held.as_ptr() as usize as u32;
        self.scratch.len = self.held.len() as u32;
        tag
    }

    /// Updates the scratch words JS reads after any call that may have
    /// woken clients or changed the next wakeup.
    fn publish(&mut self) {
        let sc = &mut *self.scratch;
        sc.flags = u32::from(self.eng.has_woken()) | (u32::from(self.eng.journal_fatal().is_some()) << 1);
        sc.wakeup = self.eng.next_wakeup_after(self.clock_us.get() / 1000).map_or(-1.0, |t| t as f64);
    }

    fn state(c: &RespConn) -> u32 {
        u32::from(!c.out.is_empty()) | (u32::from(c.session.is_closing()) << 1) | (u32::from(c.session.is_blocked()) << 2)
    }

    /// Runs a RESP connection's buffered input; compacts the buffer.
    fn pump(eng: &mut redlet::Engine, c: &mut RespConn) {
        let n = c.session.process(eng, &c.input[c.start..], &mut c.out, OUT_PAUSE);
        c.start += n;
        if c.start == c.input.len() {
            c.input.clear();
            c.start = 0;
            if c.input.capacity() > 64 * 1024 && !c.session.in_request() {
                c.input.shrink_to(16 * 1024);
            }
        } else if c.start > 0 && c.start >= c.input.len() / 2 {
            c.input.drain(..c.start);
            c.start = 0;
        }
    }

    /// A reply as a JS value (see the crate docs); RESP3-only types follow
    /// the client's protocol exactly as its RESP rendering would.
    fn to_js(&self, r: Reply, proto: Protocol, buffers: bool) -> JsValue {
        let r3 = proto == Protocol::Resp3;
        match r {
            Reply::Status(s) => bytes_to_js(s.as_bytes(), buffers),
            Reply::Error(e) => self.hooks.error(&String::from_utf8_lossy(&e.to_bytes())),
            Reply::Int(n) => {
                if (-MAX_SAFE..=MAX_SAFE).contains(&n) {
                    JsValue::from_f64(n as f64)
                } else {
                    BigInt::from(n).into()
                }
            }
            Reply::Bulk(b) => bytes_to_js(&b, buffers),
            Reply::Nil | Reply::NilArray => JsValue::NULL,
            Reply::Array(items) | Reply::Set(items) => self.array(items, proto, buffers).into(),
            Reply::Push(items) => self.hooks.push(self.array(items, proto, buffers)),
            Reply::Seq(items) => self.hooks.seq(self.array(items, proto, buffers)),
            Reply::Map(pairs) => {
                if r3 {
                    let m = Map::new();
                    for (k, v) in pairs {
                        m.set(&self.to_js(k, proto, buffers), &self.to_js(v, proto, buffers));
                    }
                    m.into()
                } else {
                    let a = Array::new_with_length(0);
                    for (k, v) in pairs {
                        a.push(&self.to_js(k, proto, buffers));
                        a.push(&self.to_js(v, proto, buffers));
                    }
                    a.into()
                }
            }
            Reply::Double(d) => {
                if r3 {
                    JsValue::from_f64(d)
                } else {
                    bytes_to_js(num::fmt_double_reply(d).as_bytes(), buffers)
                }
            }
            Reply::DoubleText(t) => {
                if r3 {
                    JsValue::from_f64(core::str::from_utf8(&t).ok().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN))
                } else {
                    bytes_to_js(&t, buffers)
                }
            }
            Reply::BigNumber(t) => {
                if r3 {
                    let text = String::from_utf8_lossy(&t);
                    js_sys::BigInt::new(&JsValue::from_str(&text)).map(JsValue::from).unwrap_or_else(|_| JsValue::from_str(&text))
                } else {
                    bytes_to_js(&t, buffers)
                }
            }
            Reply::Bool(b) => {
                if r3 {
                    JsValue::from_bool(b)
                } else {
                    JsValue::from_f64(if b { 1.0 } else { 0.0 })
                }
            }
            Reply::Verbatim(_, b) => bytes_to_js(&b, buffers),
            // Only for RESP connections' clients, which `call` never is.
            Reply::Encoded(b) => bytes_to_js(&b, buffers),
        }
    }

    fn array(&self, items: Vec<Reply>, proto: Protocol, buffers: bool) -> Array {
        let a = Array::new_with_length(items.len() as u32);
        for (i, r) in items.into_iter().enumerate() {
            a.set(i as u32, self.to_js(r, proto, buffers));
        }
        a
    }
}
