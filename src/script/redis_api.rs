//! The Lua state Redis 7.0 gives scripts: the libraries it loads, the
//! `redis` object (call, pcall, error_reply, status_reply, sha1hex, log,
//! setresp, set_repl, replicate_commands, acl_check_cmd, breakpoint, debug
//! and the LOG_*, REPL_* and version constants), Redis's `math.random`,
//! and the sandbox: reading an undefined global and writing any global (or
//! any table reachable from the globals) are errors with Redis's texts.

use alloc::boxed::Box;
use alloc::vec::Vec;

use redlet_lua::api::{Ctx, Lua};
use redlet_lua::value::{LuaError, TableRef, Value};

use crate::reply::Protocol;
use crate::engine::{Engine, SYSTEM_CLIENT};
use crate::error::Error;
use crate::reply::Reply;
use crate::script::{convert, rflags, sha1hex};

/// Redis's version as scripts see it.
const REDIS_VERSION: &[u8] = b"7.0.15";
/// `REDIS_VERSION_NUM`: 0x00MMmmpp.
const REDIS_VERSION_NUM: f64 = 0x0007_000f as f64;

/// A fresh state with Redis's libraries, API and sandbox; `eval` adds what
/// only EVAL's state has (replicate_commands, breakpoint, debug and the
/// error handler's global).
pub(super) fn new_state(eval: bool) -> Box<Lua<Engine>> {
    let mut lua = Box::new(Lua::new());
    lua.open_base();
    lua.open_table();
    redlet_lua::lib_string::open_string(&mut lua);
    lua.open_math();
    redlet_lua::lib_cjson::open_cjson(&mut lua);
    redlet_lua::lib_struct::open_struct(&mut lua);
    redlet_lua::lib_cmsgpack::open_cmsgpack(&mut lua);
    redlet_lua::lib_bit::open_bit(&mut lua);
    let g = lua.globals();
    // Redis keeps these out of the sandbox (its deny list, and 7.0.15
    // removed getfenv and setfenv).
    for name in [&b"print"[..], b"dofile", b"loadfile", b"getfenv", b"setfenv"] {
        let k = lua.new_string(name);
        let _ = lua.raw_set(g, Value::String(k), Value::Nil);
    }
    let redis = lua.new_table(0, 0);
    lua.register(redis, "call", redis_call);
    lua.register(redis, "pcall", redis_pcall);
    register_log_and_version(&mut lua, redis);
    lua.register(redis, "setresp", redis_setresp);
    lua.register(redis, "sha1hex", redis_sha1hex);
    lua.register(redis, "error_reply", redis_error_reply);
    lua.register(redis, "status_reply", redis_status_reply);
    lua.register(redis, "set_repl", redis_set_repl);
    set_num(&mut lua, redis, b"REPL_NONE", 0.0);
    set_num(&mut lua, redis, b"REPL_AOF", 1.0);
    set_num(&mut lua, redis, b"REPL_SLAVE", 2.0);
    set_num(&mut lua, redis, b"REPL_REPLICA", 2.0);
    set_num(&mut lua, redis, b"REPL_ALL", 3.0);
    lua.register(redis, "acl_check_cmd", redis_acl_check_cmd);
    if eval {
        lua.register(redis, "breakpoint", redis_breakpoint);
        lua.register(redis, "debug", redis_debug);
        lua.register(redis, "replicate_commands", redis_replicate_commands);
        // Redis's error handler lives in the globals; ours is native
        // (`run_error`), this keeps the name scripts can see.
        lua.register(g, "__redis__err__handler", err_handler);
    }
    set(&mut lua, g, b"redis", Value::Table(redis));
    lua.set_pcall_filter(Some(pcall_filter));
    if let Value::Table(math) = get(&mut lua, g, b"math") {
        lua.register(math, "random", math_random);
        lua.register(math, "randomseed", math_randomseed);
    }
    // Reading a global that does not exist is an error.
    error_metatable(&mut lua, g);
    protect_recursively(&mut lua, g);
    lua
}

/// `redis.log`, the LOG_* levels and the version constants (Redis's
/// `luaRegisterLogFunction` and `luaRegisterVersion`).
pub(super) fn register_log_and_version(lua: &mut Lua<Engine>, redis: TableRef) {
    lua.register(redis, "log", redis_log);
    set_num(lua, redis, b"LOG_DEBUG", 0.0);
    set_num(lua, redis, b"LOG_VERBOSE", 1.0);
    set_num(lua, redis, b"LOG_NOTICE", 2.0);
    set_num(lua, redis, b"LOG_WARNING", 3.0);
    set_num(lua, redis, b"REDIS_VERSION_NUM", REDIS_VERSION_NUM);
    let v = lua.new_string(REDIS_VERSION);
    set(lua, redis, b"REDIS_VERSION", Value::String(v));
}

/// Makes reading a missing field of `t` an error (Redis's
/// `luaSetErrorMetatable`).
pub(super) fn error_metatable(lua: &mut Lua<Engine>, t: TableRef) {
    let mt = lua.new_table(0, 0);
    lua.register(mt, "__index", protected_global);
    lua.set_metatable(t, Some(mt));
}

/// Redis's `pcall` (luaRedisPcall): an error table with a string (or
/// number) `err` field is caught as that field, so scripts written for
/// Redis 6's string errors keep working.
fn pcall_filter(lua: &mut Lua<Engine>, err: Value) -> Value {
    if let Value::Table(t) = err {
        let v = get(lua, t, b"err");
        if matches!(v, Value::String(_) | Value::Number(_)) {
            return v;
        }
    }
    err
}

/// Makes `root` and every table reachable from it (values and metatables)
/// read-only (Redis's `luaSetTableProtectionRecursively`), iteratively.
/// As in Redis, a table already read-only counts as visited (that stops
/// the `_G._G` loop); both callers protect graphs of fresh tables only.
pub(super) fn protect_recursively(lua: &mut Lua<Engine>, root: TableRef) {
    let mut todo = alloc::vec![root];
    while let Some(t) = todo.pop() {
        if lua.is_readonly(t) {
            continue;
        }
        lua.set_readonly(t, true);
        let mut k = Value::Nil;
        while let Ok(Some((nk, v))) = lua.next(t, k) {
            if let Value::Table(inner) = v {
                todo.push(inner);
            }
            k = nk;
        }
        if let Some(mt) = lua.metatable(t) {
            todo.push(mt);
        }
    }
}

pub(super) fn set(lua: &mut Lua<Engine>, t: TableRef, name: &[u8], v: Value) {
    let k = lua.new_string(name);
    // A fresh table with a string key: cannot fail.
    let _ = lua.raw_set(t, Value::String(k), v);
}

fn set_num(lua: &mut Lua<Engine>, t: TableRef, name: &[u8], n: f64) {
    set(lua, t, name, Value::Number(n));
}

pub(super) fn get(lua: &mut Lua<Engine>, t: TableRef, name: &[u8]) -> Value {
    let k = lua.new_string(name);
    lua.raw_get(t, Value::String(k))
}

/// Sets KEYS and ARGV for an EVAL (the globals' protection lifted for the
/// two assignments only, as Redis's `luaCallFunction`).
pub(super) fn set_keys_argv(lua: &mut Lua<Engine>, keys: &[&[u8]], args: &[&[u8]]) -> Result<(), LuaError> {
    let g = lua.globals();
    for (name, items) in [(&b"KEYS"[..], keys), (b"ARGV", args)] {
        let t = lua.new_table(0, 0);
        for (i, it) in items.iter().enumerate() {
            let s = lua.new_string(it);
            lua.raw_set(t, Value::Number((i + 1) as f64), Value::String(s))?;
        }
        let k = lua.new_string(name);
        lua.set_readonly(g, false);
        let r = lua.raw_set(g, Value::String(k), Value::Table(t));
        lua.set_readonly(g, true);
        r?;
    }
    Ok(())
}

/// The bytes of a compile or run error value (`lua_tostring` of it).
pub(super) fn error_text(lua: &mut Lua<Engine>, e: LuaError) -> Vec<u8> {
    match e {
        LuaError::Runtime(v) => match v {
            Value::String(s) => lua.str_bytes(s).to_vec(),
            Value::Number(_) => lua.tostring(v),
            _ => b"execution failure".to_vec(),
        },
        LuaError::Memory => b"not enough memory".to_vec(),
        LuaError::Killed => b"Script killed by user with SCRIPT KILL...".to_vec(),
    }
}

/// The reply for a script that failed (Redis's error handler plus
/// `luaCallFunction`): a non-table error becomes `ERR <text>`; a table's
/// `err` field is sent as is; either way followed by ` script: <sha>, on
/// @user_script:<line>.` where the error was raised in Lua code (`name`
/// is the script's sha, or the function's name for FCALL).
pub(super) fn run_error(lua: &mut Lua<Engine>, e: LuaError, name: &[u8]) -> Error {
    let pos = lua.error_position();
    let mut msg = match e {
        LuaError::Runtime(Value::Table(t)) => match get(lua, t, b"err") {
            v @ (Value::String(_) | Value::Number(_)) => lua.tostring(v),
            // `{}` raised with no err field: Redis sends "-(null)"-like
            // garbage from a NULL msg; "ERR" with nothing is the closest
            // well-formed reply.
            _ => b"ERR unknown error".to_vec(),
        },
        // Redis's handler: `{err='ERR ' .. tostring(err)}`.
        LuaError::Runtime(v) => {
            let mut m = b"ERR ".to_vec();
            m.extend_from_slice(&lua.tostring(v));
            m
        }
        e => {
            let mut m = b"ERR ".to_vec();
            m.extend_from_slice(&error_text(lua, e));
            m
        }
    };
    if let Some((source, line)) = pos {
        msg.extend_from_slice(b" script: ");
        msg.extend_from_slice(name);
        msg.extend_from_slice(b", on ");
        msg.extend_from_slice(&source);
        msg.push(b':');
        msg.extend_from_slice(crate::num::fmt_i64(line as i64).as_bytes());
        msg.push(b'.');
    }
    Error::msg(msg)
}

/// The `__index` of the globals: `Script attempted to access nonexistent
/// global variable 'x'`.
fn protected_global(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    let name = match cx.arg(2) {
        v @ (Value::String(_) | Value::Number(_)) => cx.lua().tostring(v),
        _ => return Err(cx.error(b"Second argument to luaProtectedTableError must be a string or number")),
    };
    let mut m = b"Script attempted to access nonexistent global variable '".to_vec();
    m.extend_from_slice(&name);
    m.push(b'\'');
    Err(cx.error(&m))
}

/// Raises `{err=text}` (Redis's `luaPushError` + `luaError`).
fn raise(cx: &mut Ctx<'_, Engine>, text: &[u8]) -> LuaError {
    match convert::error_table(cx.lua(), text, false) {
        Ok(t) => LuaError::Runtime(t),
        Err(e) => e,
    }
}

/// The command line of a `redis.call`: strings as they are, numbers as
/// `%.17g` (Lua's own `%.14g` would lose precision).
fn command_args(cx: &mut Ctx<'_, Engine>) -> Result<Vec<Vec<u8>>, &'static [u8]> {
    let n = cx.nargs();
    if n == 0 {
        return Err(b"Please specify at least one argument for this redis lib call");
    }
    let mut argv = Vec::with_capacity(n);
    for i in 1..=n {
        match cx.arg(i) {
            Value::Number(d) => argv.push(crate::num::fmt_g17(d).into_bytes()),
            Value::String(s) => argv.push(cx.lua().str_bytes(s).to_vec()),
            _ => return Err(b"Lua redis lib command arguments must be strings or integers"),
        }
    }
    Ok(argv)
}

/// `redis.call` and `redis.pcall` (Redis's `luaRedisGenericCommand`).
fn generic_call(cx: &mut Ctx<'_, Engine>, raise_error: bool) -> Result<usize, LuaError> {
    if cx.host().scripting.run.is_none() {
        return Err(raise(cx, b"redis.call/pcall can only be called inside a script invocation"));
    }
    let argv = match command_args(cx) {
        Ok(a) => a,
        Err(msg) => {
            let t = match convert::error_table(cx.lua(), msg, false) {
                Ok(t) => t,
                Err(e) => return Err(e),
            };
            if raise_error {
                return Err(LuaError::Runtime(t));
            }
            cx.push(t)?;
            return Ok(1);
        }
    };
    let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
    let reply = cx.host().script_call(&refs);
    let resp3 = cx.host().scripting.run.as_ref().is_some_and(|r| r.resp3);
    let is_error = matches!(reply, Reply::Error(_));
    let v = convert::reply_to_lua(cx.lua(), &reply, resp3)?;
    if is_error && raise_error {
        return Err(LuaError::Runtime(v));
    }
    cx.push(v)?;
    Ok(1)
}

fn redis_call(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    generic_call(cx, true)
}

fn redis_pcall(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    generic_call(cx, false)
}

/// `redis.sha1hex(s)`
fn redis_sha1hex(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    if cx.nargs() != 1 {
        return Err(raise(cx, b"wrong number of arguments"));
    }
    // lua_tolstring of a non-string (nil, table) gives NULL: Redis hashes
    // the empty string.
    let bytes = match cx.arg(1) {
        v @ (Value::String(_) | Value::Number(_)) => cx.lua().tostring(v),
        _ => Vec::new(),
    };
    let s = cx.lua().new_string(&sha1hex(&bytes));
    cx.push(Value::String(s))?;
    Ok(1)
}

/// `redis.error_reply(msg)`: `{err=msg}` with the `-` and code rules of
/// `luaPushErrorBuff`.
fn redis_error_reply(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    let Value::String(s) = cx.arg(1) else { return wrong_args(cx) };
    if cx.nargs() != 1 {
        return wrong_args(cx);
    }
    let mut text = cx.lua().str_bytes(s).to_vec();
    if !text.starts_with(b"-") {
        text.insert(0, b'-');
    }
    let t = convert::error_table(cx.lua(), &text, false)?;
    cx.push(t)?;
    Ok(1)
}

/// `redis.status_reply(msg)`: `{ok=msg}`.
fn redis_status_reply(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    let Value::String(s) = cx.arg(1) else { return wrong_args(cx) };
    if cx.nargs() != 1 {
        return wrong_args(cx);
    }
    let t = cx.lua().new_table(0, 0);
    let k = cx.lua().new_string(b"ok");
    cx.lua().raw_set(t, Value::String(k), Value::String(s))?;
    cx.push(Value::Table(t))?;
    Ok(1)
}

/// The wrong-arguments answer of error_reply/status_reply: an error table
/// returned (not raised), as Redis does.
fn wrong_args(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    let t = convert::error_table(cx.lua(), b"wrong number or type of arguments", false)?;
    cx.push(t)?;
    Ok(1)
}

/// `redis.log(level, ...)`: checked as Redis does; the text goes nowhere
/// (the engine has no log file; hosts may add one).
fn redis_log(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    let n = cx.nargs();
    if n < 2 {
        return Err(raise(cx, b"redis.log() requires two arguments or more."));
    }
    let level = match to_number(cx, 1) {
        Some(l) => l as i64,
        None => return Err(raise(cx, b"First argument must be a number (log level).")),
    };
    if !(0..=3).contains(&level) {
        return Err(raise(cx, b"Invalid debug level."));
    }
    Ok(0)
}

/// `lua_tonumber`/`lua_isnumber`: a number, or a string that converts.
fn to_number(cx: &mut Ctx<'_, Engine>, i: usize) -> Option<f64> {
    match cx.arg(i) {
        Value::Number(d) => Some(d),
        Value::String(s) => redlet_lua::number::str2number(cx.lua().str_bytes(s)),
        _ => None,
    }
}

/// `redis.setresp(2|3)`
fn redis_setresp(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    if cx.host().scripting.run.is_none() {
        return Err(raise(cx, b"redis.setresp can only be called inside a script invocation"));
    }
    if cx.nargs() != 1 {
        return Err(raise(cx, b"redis.setresp() requires one argument."));
    }
    let resp = to_number(cx, 1).unwrap_or(0.0) as i32;
    if resp != 2 && resp != 3 {
        return Err(raise(cx, b"RESP version must be 2 or 3."));
    }
    if let Some(r) = cx.host().scripting.run.as_mut() {
        r.resp3 = resp == 3;
    }
    Ok(0)
}

/// `redis.set_repl(flags)`: checked; replication does not exist here and
/// the journal always records a script's effects.
fn redis_set_repl(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    if cx.host().scripting.run.is_none() {
        return Err(raise(cx, b"redis.set_repl can only be called inside a script invocation"));
    }
    if cx.nargs() != 1 {
        return Err(raise(cx, b"redis.set_repl() requires two arguments."));
    }
    let flags = to_number(cx, 1).unwrap_or(0.0) as i32;
    if flags & !3 != 0 {
        return Err(raise(cx, b"Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
    }
    Ok(0)
}

/// `__redis__err__handler(err)`: Redis's pcall message handler, for a
/// script that calls it: a non-table error becomes `{err='ERR ' ..
/// tostring(err)}`.
fn err_handler(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    let v = cx.arg(1);
    if matches!(v, Value::Table(_)) {
        cx.push(v)?;
        return Ok(1);
    }
    let mut m = b"ERR ".to_vec();
    m.extend_from_slice(&cx.lua().tostring(v));
    let t = cx.lua().new_table(0, 0);
    let k = cx.lua().new_string(b"err");
    let s = cx.lua().new_string(&m);
    cx.lua().raw_set(t, Value::String(k), Value::String(s))?;
    cx.push(Value::Table(t))?;
    Ok(1)
}

/// `redis.replicate_commands()`: always on in Redis 7; returns true.
fn redis_replicate_commands(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    cx.push(Value::Boolean(true))?;
    Ok(1)
}

/// `redis.breakpoint()`: false outside the (absent) debugger.
fn redis_breakpoint(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    cx.push(Value::Boolean(false))?;
    Ok(1)
}

/// `redis.debug(...)`: nothing outside the debugger.
fn redis_debug(_: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    Ok(0)
}

/// `redis.acl_check_cmd(cmd, ...)`: every user may run everything (no ACL
/// yet), so true for any known command.
fn redis_acl_check_cmd(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    if cx.host().scripting.run.is_none() {
        return Err(raise(cx, b"redis.acl_check_cmd can only be called inside a script invocation"));
    }
    let argv = match command_args(cx) {
        Ok(a) => a,
        Err(msg) => return Err(raise(cx, msg)),
    };
    let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
    if cx.host().table.resolve(&refs).is_err() {
        return Err(raise(cx, b"Invalid command passed to redis.acl_check_cmd()"));
    }
    cx.push(Value::Boolean(true))?;
    Ok(1)
}

/// Redis's `redisLrand48`: the 48-bit linear congruential generator of
/// lrand48 (a = 0x5DEECE66D, c = 0xB), returning its top 31 bits.
fn lrand48(x: &mut [u32; 3]) -> i32 {
    let state = (x[0] as u64) | ((x[1] as u64) << 16) | ((x[2] as u64) << 32);
    let next = state.wrapping_mul(0x5_DEEC_E66D).wrapping_add(0xB) & 0xFFFF_FFFF_FFFF;
    x[0] = (next & 0xFFFF) as u32;
    x[1] = ((next >> 16) & 0xFFFF) as u32;
    x[2] = ((next >> 32) & 0xFFFF) as u32;
    (next >> 17) as i32
}

/// Redis's `redisSrand48`.
fn srand48(x: &mut [u32; 3], seed: i32) {
    *x = [0x330E, (seed as u32) & 0xFFFF, ((seed as u32) >> 16) & 0xFFFF];
}

/// The initial `redisLrand48` state.
pub(crate) const RAND48_INIT: [u32; 3] = [0x330E, 0xABCD, 0x1234];

/// `math.random([m [, n]])` on Redis's generator.
fn math_random(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    if cx.host().scripting.run.is_none() {
        return Err(cx.error(b"math.random can only be called inside a script invocation"));
    }
    let v = lrand48(&mut cx.host().scripting.rand48);
    let r = (v % i32::MAX) as f64 / i32::MAX as f64;
    let out = match cx.nargs() {
        0 => r,
        1 => {
            let u = cx.check_integer(1)? as i32 as f64;
            if u < 1.0 {
                return Err(cx.arg_error(1, "interval is empty"));
            }
            libm::floor(r * u) + 1.0
        }
        2 => {
            let l = cx.check_integer(1)? as i32 as f64;
            let u = cx.check_integer(2)? as i32 as f64;
            if l > u {
                return Err(cx.arg_error(2, "interval is empty"));
            }
            libm::floor(r * (u - l + 1.0)) + l
        }
        _ => return Err(cx.error(b"wrong number of arguments")),
    };
    cx.push(Value::Number(out))?;
    Ok(1)
}

/// `math.randomseed(n)` on Redis's generator.
fn math_randomseed(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    if cx.host().scripting.run.is_none() {
        return Err(cx.error(b"math.randomseed can only be called inside a script invocation"));
    }
    let seed = cx.check_integer(1)? as i32;
    srand48(&mut cx.host().scripting.rand48, seed);
    Ok(0)
}

impl Engine {
    /// Runs a command for the running script (Redis's `scriptCall`): the
    /// script-specific checks, then the command's handler at the script's
    /// instant, as the script client (the engine's system client, which
    /// like Redis's Lua client has its own db and protocol and appears in
    /// no client list), with blocking turned into its non-blocking answer.
    /// A refusal is an error reply like any other.
    pub(crate) fn script_call(&mut self, argv: &[&[u8]]) -> Reply {
        let Some(run) = self.scripting.run.as_ref() else {
            return Reply::Error(Error::err("redis.call/pcall can only be called inside a script invocation"));
        };
        let (caller, now_us, run_flags, oom_at_start, resp3) = (run.caller, run.now_us, run.flags, run.oom_at_start, run.resp3);
        let (cmd, stat, pos) = match self.table.resolve(argv) {
            Ok(x) => x,
            Err(_) => return Reply::Error(Error::err("Unknown Redis command called from script")),
        };
        let argc = argv.len() as i32;
        if (cmd.arity > 0 && cmd.arity != argc) || argc < -cmd.arity {
            return Reply::Error(Error::err("Wrong number of args calling Redis command from script"));
        }
        use crate::cmd::flags::{DENYOOM, MAY_REPLICATE, NOSCRIPT, WRITE};
        if cmd.has(NOSCRIPT) {
            return Reply::Error(Error::err("This Redis command is not allowed from script"));
        }
        // The script runs with its caller's ACL user.
        if caller != SYSTEM_CLIENT {
            let user = self.clients.get(&caller).map_or(crate::acl::DEFAULT_USER, |c| c.user);
            if let Err(d) = self.acl_check(user, cmd, stat, pos, argv) {
                let _ = self.acl_refuse(caller, d, stat, argv, crate::acl::Context::Lua);
                let msg = alloc::format!("The user executing the script {}", crate::cmd::acl::denial_text(d));
                return Reply::Error(Error::err(&msg));
            }
        }
        if run_flags & rflags::READ_ONLY != 0 && cmd.flags & (WRITE | MAY_REPLICATE) != 0 {
            return Reply::Error(Error::err("Write commands are not allowed from read-only scripts."));
        }
        if cmd.has(WRITE) && run_flags & rflags::WRITE_DIRTY == 0 {
            if let Some(e) = self.write_denied(cmd, caller) {
                return Reply::Error(e);
            }
        }
        if run_flags & (rflags::ALLOW_OOM | rflags::WRITE_DIRTY) == 0 && self.config.maxmemory != 0 && oom_at_start && cmd.has(DENYOOM) {
            return Reply::Error(Error::msg(crate::evict::OOM_ERROR));
        }
        if cmd.has(WRITE) {
            if let Some(r) = self.scripting.run.as_mut() {
                r.flags |= rflags::WRITE_DIRTY;
            }
        }
        self.set_protocol(SYSTEM_CLIENT, if resp3 { Protocol::Resp3 } else { Protocol::Resp2 });
        self.dispatch(SYSTEM_CLIENT, cmd, stat, pos, argv, now_us, false, true).unwrap_or(Reply::NilArray)
    }
}
