//! Lua scripting as Redis 7.0 does it: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO
//! and SCRIPT here, FUNCTION and FCALL in [`function`], on the Lua 5.1
//! interpreter of `redlet-lua`, with Redis's `redis` object, sandbox,
//! shebang flags and reply conversions.
//!
//! One Lua state for EVAL and one for functions, each created on first use
//! (an engine that never runs a script pays nothing). Their host type is
//! [`Engine`]: while a script runs, its state is taken out of the engine so
//! the script's `redis.call` gets `&mut Engine` and runs commands through
//! the same lookup, checks and handlers as clients do
//! (`Engine::script_call`), as the system client (Redis's Lua client).
//!
//! A run goes in slices of [`SLICE`] instructions. One that outlives
//! `busy-reply-threshold` becomes [`Scripting::busy`]: its caller blocks,
//! [`Engine::tick`] runs it on, other clients get `-BUSY`, and SCRIPT KILL
//! or FUNCTION KILL can stop it (Redis's "timed out" script).
//!
//! Invariants:
//! - `scripts` and the registry agree: every cached sha has its compiled
//!   function in the Lua registry under `f_<sha>`, as Redis keeps it.
//! - `run` is `Some` exactly while a script runs (busy ones included);
//!   `busy` is `Some` only then, and holds the state taken out.
//! - The globals table, and every table reachable from it, is read-only
//!   between runs (Redis 7's sandbox); KEYS and ARGV are set with the
//!   protection lifted for the assignment only.

mod convert;
pub(crate) mod function;
mod redis_api;

use alloc::boxed::Box;
use alloc::vec::Vec;

use foldhash::fast::FixedState;
use hashbrown::HashMap;
use redlet_lua::api::{Lua, Step};
use redlet_lua::value::{LuaError, Value};

use crate::client::ClientId;
use crate::cmd::Ctx;
use crate::engine::{Engine, SYSTEM_CLIENT};
use crate::error::{Error, Result};
use crate::num;
use crate::reply::{Protocol, Reply};

/// A script's shebang flags (`#!lua flags=...`), as Redis's `SCRIPT_FLAG_*`.
pub(crate) mod sflags {
    /// `no-writes`
    pub const NO_WRITES: u32 = 1 << 0;
    /// `allow-oom`
    pub const ALLOW_OOM: u32 = 1 << 1;
    /// `allow-stale`
    pub const ALLOW_STALE: u32 = 1 << 2;
    /// `no-cluster`
    pub const NO_CLUSTER: u32 = 1 << 3;
    /// No shebang: EVAL's backwards-compatible mode.
    pub const EVAL_COMPAT_MODE: u32 = 1 << 4;
    /// `allow-cross-slot-keys`
    pub const ALLOW_CROSS_SLOT: u32 = 1 << 5;
    /// Names, in Redis's order.
    pub const NAMES: &[(u32, &str)] = &[
        (NO_WRITES, "no-writes"),
        (ALLOW_OOM, "allow-oom"),
        (ALLOW_STALE, "allow-stale"),
        (NO_CLUSTER, "no-cluster"),
        (ALLOW_CROSS_SLOT, "allow-cross-slot-keys"),
    ];
}

/// Flags of the running script's context (Redis's `SCRIPT_*` run flags).
pub(crate) mod rflags {
    /// Write commands are refused (EVAL_RO, or `no-writes`).
    pub const READ_ONLY: u32 = 1 << 0;
    /// Commands may run over maxmemory (`allow-oom`).
    pub const ALLOW_OOM: u32 = 1 << 1;
    /// The script has run a write command: it can no longer be refused for
    /// OOM or disk errors half-way.
    pub const WRITE_DIRTY: u32 = 1 << 2;
}

// The engine stays `Send` (hosts move it between threads; wasmtime's
// resource table requires it), so the Lua states it holds must be too.
const _: fn() = || {
    fn is_send<T: Send>() {}
    is_send::<Engine>();
};

/// A cached script.
pub(crate) struct Script {
    /// Shebang flags ([`sflags`]).
    pub flags: u32,
}

/// The context of the script that is running.
pub(crate) struct Run {
    /// The client that sent EVAL.
    pub caller: ClientId,
    /// The protocol of the script's own client (`redis.setresp`).
    pub resp3: bool,
    /// [`rflags`].
    pub flags: u32,
    /// The instant of the EVAL: every command of the script sees it, as
    /// Redis freezes time for a script.
    pub now_us: u64,
    /// Whether the engine was over maxmemory when the script started.
    pub oom_at_start: bool,
    /// The keys the script declared, kept only when its caller tracks keys
    /// in default mode: each read-only command the script runs makes the
    /// caller remember all of them (Redis 7.0 remembers the keys of the
    /// caller's EVAL/FCALL, not those of the script's commands).
    pub track: Option<Vec<Vec<u8>>>,
}

impl Run {
    /// The context of a script `caller` starts with the declared `keys`.
    pub(crate) fn new(eng: &Engine, caller: ClientId, flags: u32, now_us: u64, keys: &[&[u8]]) -> Run {
        let track = eng.tracks_default_mode(caller).then(|| keys.iter().map(|k| k.to_vec()).collect());
        Run { caller, resp3: false, flags, now_us, oom_at_start: eng.pre_command_oom, track }
    }
}

/// The engine's scripting state.
#[derive(Default)]
pub(crate) struct Scripting {
    /// The Lua state; `None` before the first script and while one runs.
    lua: Option<Box<Lua<Engine>>>,
    /// The script cache by lowercase hex sha1.
    scripts: HashMap<[u8; 40], Script, FixedState>,
    /// Bytes of the cached bodies (INFO's `used_memory_scripts_eval`).
    pub mem: usize,
    /// The running script's context.
    pub run: Option<Run>,
    /// Redis's `redisLrand48` state for `math.random` (global, never reset
    /// but by `math.randomseed`, as in Redis).
    pub rand48: [u32; 3],
    /// The script that ran past `busy-reply-threshold` and now runs in
    /// slices from [`Engine::tick`] while other clients get `-BUSY`.
    pub busy: Option<Busy>,
}

/// Which engine a run belongs to (its state goes back there, and the BUSY
/// and KILL texts differ).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// EVAL and friends.
    Eval,
    /// FCALL.
    Function,
}

/// A script running in slices (Redis's "timed out" script).
pub(crate) struct Busy {
    /// The paused state.
    lua: Box<Lua<Engine>>,
    owner: Owner,
    /// The sha or function name, for error texts and FUNCTION STATS.
    pub name: Vec<u8>,
    /// The client that sent it: blocked until it ends.
    caller: ClientId,
    /// Its command line (FUNCTION STATS shows it).
    pub argv: Vec<Vec<u8>>,
    /// When it started (ms).
    pub started_ms: u64,
    /// SCRIPT KILL / FUNCTION KILL asked it to stop.
    killed: bool,
    /// The script client's state to restore at the end.
    saved: (usize, Protocol),
    /// Where its journal records start: they are framed as one
    /// transaction when it ends, and nothing is flushed before.
    journal_mark: usize,
}

impl Busy {
    /// Whether it is an EVAL script (not a function).
    pub fn is_eval(&self) -> bool {
        self.owner == Owner::Eval
    }

    /// Which engine it belongs to.
    pub fn owner(&self) -> Owner {
        self.owner
    }
}

/// Instructions run between two looks at the clock (Redis's hook runs
/// every 100,000 too).
const SLICE: u64 = 100_000;
/// How long one [`Engine::tick`] keeps running a busy script before
/// giving the host its turn (ms).
const TICK_SLICE_MS: u64 = 20;

impl Scripting {
    /// Whether a script runs in slices (other clients get `-BUSY`).
    pub fn is_busy(&self) -> bool {
        self.busy.is_some()
    }

    /// No scripts, no Lua state yet.
    pub fn new() -> Self {
        Scripting { rand48: redis_api::RAND48_INIT, ..Default::default() }
    }

    /// Number of cached scripts (INFO's `number_of_cached_scripts`).
    pub fn cached(&self) -> usize {
        self.scripts.len()
    }
}

/// The lowercase hex sha1 of `data` (Redis's `sha1hex`).
pub(crate) fn sha1hex(data: &[u8]) -> [u8; 40] {
    let digest = sha1_smol::Sha1::from(data).digest().bytes();
    let mut out = [0u8; 40];
    for (i, b) in digest.iter().enumerate() {
        out[2 * i] = HEX[(b >> 4) as usize];
        out[2 * i + 1] = HEX[(b & 15) as usize];
    }
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Parses a `#!lua flags=a,b` first line (Redis's `evalExtractShebangFlags`):
/// returns the flags and the shebang's length (the compiled source starts
/// at its line feed, so line numbers stay the user's).
pub(crate) fn shebang(body: &[u8]) -> Result<(u32, usize)> {
    if !body.starts_with(b"#!") {
        return Ok((sflags::EVAL_COMPAT_MODE, 0));
    }
    let Some(end) = body.iter().position(|&b| b == b'\n') else {
        return Err(Error::err("Invalid script shebang"));
    };
    let parts = crate::resp::split_args(&body[..end]).unwrap_or_default();
    let Some(engine) = parts.first() else {
        return Err(Error::err("Invalid engine in script shebang"));
    };
    if engine.as_slice() != b"#!lua" {
        return Err(Error::msg(cat(b"ERR Unexpected engine in script shebang: ", engine)));
    }
    let mut flags = 0;
    for p in &parts[1..] {
        let Some(list) = p.strip_prefix(b"flags=") else {
            return Err(Error::msg(cat(b"ERR Unknown lua shebang option: ", p)));
        };
        // sdssplitlen of an empty string yields no element.
        if list.is_empty() {
            continue;
        }
        for f in list.split(|&b| b == b',') {
            match sflags::NAMES.iter().find(|(_, n)| n.as_bytes() == f) {
                Some((bit, _)) => flags |= bit,
                None => return Err(Error::msg(cat(b"ERR Unexpected flag in script shebang: ", f))),
            }
        }
    }
    Ok((flags, end))
}

fn cat(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(a.len() + b.len());
    v.extend_from_slice(a);
    v.extend_from_slice(b);
    v
}

/// The registry key of a script's function: `f_<sha>`.
fn func_name(sha: &[u8; 40]) -> [u8; 42] {
    let mut n = [0u8; 42];
    n[0] = b'f';
    n[1] = b'_';
    n[2..].copy_from_slice(sha);
    n
}

/// What the interpreter asks of its host: to stop FUNCTION LOAD's code
/// past its time limit. (Scripts run to the end within their command;
/// SCRIPT KILL comes with resumable runs.)
impl redlet_lua::api::Host for Engine {
    fn should_kill(&mut self) -> bool {
        self.function_load_expired()
    }
}

impl Engine {
    /// Points the script client (the system client) at `db` in RESP2 for a
    /// run; returns what [`Engine::leave_script_client`] restores.
    pub(crate) fn enter_script_client(&mut self, db: usize) -> (usize, Protocol) {
        let saved = (self.client_db(SYSTEM_CLIENT).unwrap_or(0), self.protocol(SYSTEM_CLIENT));
        self.set_client_db(SYSTEM_CLIENT, db);
        self.set_protocol(SYSTEM_CLIENT, Protocol::Resp2);
        saved
    }

    pub(crate) fn leave_script_client(&mut self, saved: (usize, Protocol)) {
        self.set_client_db(SYSTEM_CLIENT, saved.0);
        self.set_protocol(SYSTEM_CLIENT, saved.1);
    }

    /// MISCONF for a script that may write (Redis's disk-error check in
    /// `scriptPrepareForRun`), with the text telling about `no-writes`.
    fn script_write_denied(&self) -> Option<Error> {
        let e = self.persist_write_error()?;
        let mut m = e.to_bytes();
        if m.starts_with(b"MISCONF Errors writing to the AOF file: ") {
            let detail = m.split_off(b"MISCONF Errors writing to the AOF file: ".len());
            let mut t = b"MISCONF Redis is configured to persist data to AOF, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts. AOF error: ".to_vec();
            t.extend_from_slice(&detail);
            return Some(Error::msg(t));
        }
        Some(Error::msg(
            "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only scripts.",
        ))
    }

    /// The Lua state, taken out for a run (created on first use).
    fn take_lua(&mut self) -> Box<Lua<Engine>> {
        match self.scripting.lua.take() {
            Some(l) => l,
            None => redis_api::new_state(true),
        }
    }
}

/// Compiles and caches `body` unless cached (Redis's `luaCreateFunction`);
/// returns its sha.
fn create(eng: &mut Engine, lua: &mut Lua<Engine>, body: &[u8]) -> Result<[u8; 40]> {
    let sha = sha1hex(body);
    if eng.scripting.scripts.contains_key(&sha) {
        return Ok(sha);
    }
    let (flags, skip) = shebang(body)?;
    let f = match lua.load(&body[skip..], b"@user_script") {
        Ok(f) => f,
        Err(e) => {
            let msg = redis_api::error_text(lua, e);
            return Err(Error::msg(cat(b"ERR Error compiling script (new function): ", &msg)));
        }
    };
    let key = lua.new_string(&func_name(&sha));
    let reg = lua.registry();
    if lua.raw_set(reg, Value::String(key), Value::Function(f)).is_err() {
        return Err(Error::msg("ERR Error compiling script (new function): not enough memory"));
    }
    eng.scripting.mem += 40 + body.len();
    eng.scripting.scripts.insert(sha, Script { flags });
    Ok(sha)
}

/// SCRIPT LOAD: compiles and caches a script, returns its sha.
pub(crate) fn load(eng: &mut Engine, body: &[u8]) -> Result<[u8; 40]> {
    let mut lua = eng.take_lua();
    let r = create(eng, &mut lua, body);
    eng.scripting.lua = Some(lua);
    r
}

/// SCRIPT EXISTS for one sha (case-insensitive, as Redis's dict compares).
pub(crate) fn exists(eng: &Engine, sha: &[u8]) -> bool {
    let Ok(mut k) = <[u8; 40]>::try_from(sha) else { return false };
    k.make_ascii_lowercase();
    eng.scripting.scripts.contains_key(&k)
}

/// SCRIPT FLUSH: drops every script and the Lua state with them (Redis
/// resets the interpreter), keeping `math.random`'s state.
pub(crate) fn flush(eng: &mut Engine) {
    eng.scripting.scripts.clear();
    eng.scripting.mem = 0;
    eng.scripting.lua = None;
}

/// EVAL, EVALSHA and their `_RO` forms (Redis's `evalGenericCommand`).
pub(crate) fn eval(cx: &mut Ctx<'_>, argv: &[&[u8]], evalsha: bool, ro: bool) -> Result<Reply> {
    // Redis looks an EVALSHA's script up before anything else: anything but
    // 40 characters names none.
    if evalsha && argv[1].len() != 40 {
        return Err(Error::msg("NOSCRIPT No matching script. Please use EVAL."));
    }
    let numkeys = num::parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    let nargs = argv.len() as i64 - 3;
    if numkeys > nargs {
        return Err(Error::err("Number of keys can't be greater than number of args"));
    }
    if numkeys < 0 {
        return Err(Error::err("Number of keys can't be negative"));
    }
    let numkeys = numkeys as usize;
    let eng = &mut *cx.eng;
    let mut lua = eng.take_lua();
    let prepared = eval_in(eng, &mut lua, cx.client, cx.db, cx.now_us, argv, numkeys, evalsha, ro);
    match prepared {
        Ok(Ok((f, sha, saved))) => match run_slices(eng, lua, f, &[], Owner::Eval, sha.to_vec(), cx.client, argv, saved, !cx.no_block) {
            Some(r) => Ok(r),
            None => {
                cx.block = Some(busy_block());
                Ok(Reply::Nil)
            }
        },
        Ok(Err(reply)) => {
            eng.scripting.run = None;
            eng.scripting.lua = Some(lua);
            Ok(reply)
        }
        Err(e) => {
            eng.scripting.run = None;
            eng.scripting.lua = Some(lua);
            Err(e)
        }
    }
}

/// What blocks the caller of a busy script: no keys, no deadline; the
/// script's end unblocks it with its reply.
pub(crate) fn busy_block() -> crate::cmd::BlockOn {
    crate::cmd::BlockOn { keys: Vec::new(), deadline_ms: None, timeout_reply: Reply::Nil, argv: None, wake_on_delete: false }
}

/// Starts `f` and runs it in slices until it ends (its reply) or runs past
/// `busy-reply-threshold` (`None`: it is now [`Scripting::busy`] and the
/// caller must block). A caller that may not block (a command inside EXEC,
/// a journal replay, the typed API) runs it to the end instead. The state
/// goes back to its owner when it ends.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run_slices(
    eng: &mut Engine,
    mut lua: Box<Lua<Engine>>,
    f: Value,
    args: &[Value],
    owner: Owner,
    name: Vec<u8>,
    caller: ClientId,
    argv: &[&[u8]],
    saved: (usize, Protocol),
    may_block: bool,
) -> Option<Reply> {
    let started = eng.now_ms();
    let journal_mark = eng.journal_len();
    if let Err(e) = lua.start(f, args) {
        let r = Reply::Error(redis_api::run_error(&mut lua, e, &name));
        end_run(eng, lua, owner, saved);
        return Some(r);
    }
    let threshold = if may_block { eng.busy_threshold_ms() } else { 0 };
    loop {
        match lua.resume(eng, SLICE) {
            Ok(Step::Paused) => {
                if threshold > 0 && eng.now_ms().saturating_sub(started) >= threshold {
                    eng.scripting.busy = Some(Busy {
                        lua,
                        owner,
                        name,
                        caller,
                        argv: argv.iter().map(|a| a.to_vec()).collect(),
                        started_ms: started,
                        killed: false,
                        saved,
                        journal_mark,
                    });
                    return None;
                }
            }
            done => {
                let r = conclude(eng, &mut lua, done, &name);
                end_run(eng, lua, owner, saved);
                return Some(r);
            }
        }
    }
}

/// The reply of a run that ended.
fn conclude(eng: &mut Engine, lua: &mut Lua<Engine>, r: core::result::Result<Step, LuaError>, name: &[u8]) -> Reply {
    match r {
        Ok(Step::Done(vals)) => {
            let resp3 = eng.scripting.run.as_ref().is_some_and(|r| r.resp3);
            convert::lua_to_reply(lua, vals.first().copied().unwrap_or(Value::Nil), resp3)
        }
        Ok(Step::Paused) => Reply::Nil,
        Err(e) => Reply::Error(redis_api::run_error(lua, e, name)),
    }
}

/// After a run: the script client restored, the state back to its owner.
fn end_run(eng: &mut Engine, lua: Box<Lua<Engine>>, owner: Owner, saved: (usize, Protocol)) {
    eng.leave_script_client(saved);
    eng.scripting.run = None;
    match owner {
        Owner::Eval => eng.scripting.lua = Some(lua),
        Owner::Function => eng.functions.lua = Some(lua),
    }
}

impl Engine {
    /// `busy-reply-threshold` (`lua-time-limit`) in ms; 0 = never busy.
    fn busy_threshold_ms(&self) -> u64 {
        self.config.get_param("busy-reply-threshold").and_then(|v| v.parse::<i64>().ok()).map_or(5000, |v| v.max(0) as u64)
    }

    /// Runs the busy script for up to [`TICK_SLICE_MS`]; when it ends (or
    /// was killed) its caller gets the reply and the engine is free again.
    pub(crate) fn busy_tick(&mut self) {
        let Some(mut b) = self.scripting.busy.take() else { return };
        let start = self.now_ms();
        let outcome = loop {
            if b.killed {
                let mut m = b"ERR Script killed by user with SCRIPT KILL...".to_vec();
                if let Some((source, line)) = b.lua.paused_position() {
                    m.extend_from_slice(b" script: ");
                    m.extend_from_slice(&b.name);
                    m.extend_from_slice(b", on ");
                    m.extend_from_slice(&source);
                    m.push(b':');
                    m.extend_from_slice(num::fmt_i64(line as i64).as_bytes());
                    m.push(b'.');
                }
                b.lua.abort();
                break Reply::Error(Error::msg(m));
            }
            match b.lua.resume(self, SLICE) {
                Ok(Step::Paused) => {
                    if self.now_ms().saturating_sub(start) >= TICK_SLICE_MS {
                        self.scripting.busy = Some(b);
                        return;
                    }
                }
                done => break conclude(self, &mut b.lua, done, &b.name),
            }
        };
        let Busy { lua, owner, caller, saved, journal_mark, .. } = b;
        end_run(self, lua, owner, saved);
        self.journal_frame_since(journal_mark);
        self.unblock_with(caller, outcome);
    }

    /// SCRIPT KILL (`eval`) or FUNCTION KILL: Redis's `scriptKill`.
    pub(crate) fn script_kill(&mut self, eval: bool) -> Result<Reply> {
        let Some(b) = self.scripting.busy.as_mut() else {
            return Err(Error::msg("NOTBUSY No scripts in execution right now."));
        };
        if self.scripting.run.as_ref().is_some_and(|r| r.flags & rflags::WRITE_DIRTY != 0) {
            return Err(Error::msg(
                "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
            ));
        }
        match (eval, b.owner) {
            (true, Owner::Function) => return Err(busy_error(Owner::Function)),
            (false, Owner::Eval) => return Err(busy_error(Owner::Eval)),
            _ => {}
        }
        b.killed = true;
        Ok(Reply::ok())
    }
}

/// The `-BUSY` error other clients get while a script is busy.
pub(crate) fn busy_error(owner: Owner) -> Error {
    Error::msg(match owner {
        Owner::Eval => "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
        Owner::Function => "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.",
    })
}

#[allow(clippy::too_many_arguments)]
fn eval_in(
    eng: &mut Engine,
    lua: &mut Lua<Engine>,
    caller: ClientId,
    db: usize,
    now_us: u64,
    argv: &[&[u8]],
    numkeys: usize,
    evalsha: bool,
    ro: bool,
) -> Result<Prepared> {
    let sha = if evalsha {
        // Anything but 40 hex characters names no script.
        let Ok(mut k) = <[u8; 40]>::try_from(argv[1]) else {
            return Err(Error::msg("NOSCRIPT No matching script. Please use EVAL."));
        };
        k.make_ascii_lowercase();
        if !eng.scripting.scripts.contains_key(&k) {
            return Err(Error::msg("NOSCRIPT No matching script. Please use EVAL."));
        }
        k
    } else {
        create(eng, lua, argv[1])?
    };
    let sflags = eng.scripting.scripts.get(&sha).map_or(sflags::EVAL_COMPAT_MODE, |s| s.flags);
    let flags = prepare(eng, sflags, ro)?;
    eng.scripting.run = Some(Run::new(eng, caller, flags, now_us, &argv[3..3 + numkeys]));
    // The script client starts in its caller's db, speaking RESP2.
    let saved = eng.enter_script_client(db);

    let keys = &argv[3..3 + numkeys];
    let args = &argv[3 + numkeys..];
    let fkey = Value::String(lua.new_string(&func_name(&sha)));
    let f = lua.raw_get(lua.registry(), fkey);
    if let Err(e) = redis_api::set_keys_argv(lua, keys, args) {
        eng.leave_script_client(saved);
        return Ok(Err(Reply::Error(redis_api::run_error(lua, e, &sha[..]))));
    }
    Ok(Ok((f, sha, saved)))
}

/// A script ready to run: its function, its sha, the script client's state
/// to restore; or the reply that ends the command early.
type Prepared = core::result::Result<(Value, [u8; 40], (usize, Protocol)), Reply>;

/// The checks before a script runs (Redis's `scriptPrepareForRun`), giving
/// the run's [`rflags`].
pub(super) fn prepare(eng: &mut Engine, sflags: u32, ro: bool) -> Result<u32> {
    let mut flags = 0;
    if sflags & sflags::EVAL_COMPAT_MODE == 0 {
        if sflags & sflags::NO_WRITES == 0 {
            if let Some(e) = eng.script_write_denied() {
                return Err(e);
            }
            if ro {
                return Err(Error::err("Can not execute a script with write flag using *_ro command."));
            }
        }
        if eng.config().maxmemory != 0 && sflags & (sflags::ALLOW_OOM | sflags::NO_WRITES) == 0 && eng.pre_command_oom {
            return Err(Error::msg(
                "OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'",
            ));
        }
        if sflags & sflags::NO_WRITES != 0 {
            flags |= rflags::READ_ONLY;
        }
        if sflags & sflags::ALLOW_OOM != 0 {
            flags |= rflags::ALLOW_OOM;
        }
    }
    if ro {
        flags |= rflags::READ_ONLY;
    }
    Ok(flags)
}
