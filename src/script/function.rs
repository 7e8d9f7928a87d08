//! Redis 7.0 functions: FUNCTION LOAD/DELETE/FLUSH/LIST/STATS/DUMP/RESTORE
//! and FCALL/FCALL_RO, on a Lua state of their own (Redis's functions
//! engine, separate from EVAL's).
//!
//! That state's globals are an empty read-only table whose metatable's
//! `__index` is the real globals (libraries and the `redis` object, all
//! read-only), so a function can neither create nor change a global. While
//! FUNCTION LOAD runs a library's code, `__index` points at the library
//! API instead: `redis.register_function`, `redis.log` and the version
//! constants, nothing else.
//!
//! Invariants: `funcs` names exactly the functions of `libs` (each in one
//! library); each function's callback sits in the registry under its
//! numeric `key`; `loading` is `Some` only while FUNCTION LOAD runs code.

use alloc::boxed::Box;
use alloc::vec::Vec;

use redlet_lua::api::{Ctx, Lua};
use redlet_lua::value::{LuaError, TableRef, Value};

use crate::cmd::Ctx as CmdCtx;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::num;
use crate::reply::Reply;
use crate::script::{convert, redis_api, sflags, Owner, Run};

/// How long FUNCTION LOAD may run a library's code (Redis's
/// `LOAD_TIMEOUT_MS`).
const LOAD_TIMEOUT_MS: u64 = 500;

/// Registry key of the library API table (Redis's `__library_api__`).
const LIBRARY_API: &[u8] = b"__library_api__";
/// Registry key of the real globals (Redis's `__globals__`).
const GLOBALS_API: &[u8] = b"__globals__";

/// One function of a library.
pub(crate) struct Func {
    /// `description` given to register_function.
    pub desc: Option<Vec<u8>>,
    /// Shebang-style flags ([`sflags`]).
    pub flags: u32,
    /// Registry key of the callback.
    key: f64,
}

/// Names to values, iterated in name order (FUNCTION LIST and DUMP list
/// libraries and functions sorted by name).
pub(crate) type NameMap<V> = crate::vecmap::VecMap<V>;

/// A loaded library.
pub(crate) struct Library {
    /// The whole payload given to FUNCTION LOAD, shebang included.
    pub code: Vec<u8>,
    /// Its functions by name.
    pub funcs: NameMap<Func>,
}

/// The functions engine's state.
#[derive(Default)]
pub(crate) struct Functions {
    /// The Lua state; `None` before first use and while a function runs.
    pub(super) lua: Option<Box<Lua<Engine>>>,
    /// Libraries by name.
    pub libs: NameMap<Library>,
    /// Function name -> library name.
    funcs: NameMap<Vec<u8>>,
    /// The library FUNCTION LOAD is running the code of.
    loading: Option<Library>,
    /// Next registry key for a callback.
    next_key: f64,
    /// While FUNCTION LOAD runs code: when it must stop (ms).
    pub load_deadline: Option<u64>,
}

impl Functions {
    /// Number of functions (INFO, FUNCTION STATS).
    pub fn functions(&self) -> usize {
        self.funcs.len()
    }
}

/// Redis's `functionsVerifyName`: letters, digits and `_`, at least one.
fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

const BAD_NAME: &str = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// A fresh functions-engine state (Redis's `luaEngineInitEngine`).
fn new_state() -> Box<Lua<Engine>> {
    let mut lua = redis_api::new_state(false);
    let real = lua.globals();
    // The library API: { redis = { register_function, log, LOG_*,
    // REDIS_VERSION* } }, both tables erroring on unknown names.
    let api = lua.new_table(0, 0);
    let redis = lua.new_table(0, 0);
    lua.register(redis, "register_function", register_function);
    redis_api::register_log_and_version(&mut lua, redis);
    redis_api::error_metatable(&mut lua, redis);
    redis_api::set(&mut lua, api, b"redis", Value::Table(redis));
    redis_api::error_metatable(&mut lua, api);
    redis_api::protect_recursively(&mut lua, api);
    let reg = lua.registry();
    redis_api::set(&mut lua, reg, LIBRARY_API, Value::Table(api));
    redis_api::set(&mut lua, reg, GLOBALS_API, Value::Table(real));
    // New globals: empty, read-only, reading through to the real ones.
    let g = lua.new_table(0, 0);
    let mt = lua.new_table(0, 0);
    redis_api::set(&mut lua, mt, b"__index", Value::Table(real));
    lua.set_readonly(mt, true);
    lua.set_metatable(g, Some(mt));
    lua.set_readonly(g, true);
    lua.set_globals(g);
    lua
}

/// Points the globals' `__index` at the registry table `which`.
fn globals_index(lua: &mut Lua<Engine>, which: &[u8]) {
    let g = lua.globals();
    let Some(mt) = lua.metatable(g) else { return };
    let reg = lua.registry();
    let t = redis_api::get(lua, reg, which);
    lua.set_readonly(mt, false);
    redis_api::set(lua, mt, b"__index", t);
    lua.set_readonly(mt, true);
}

/// `#!<engine> name=<library>` (Redis's `functionExtractLibMetaData`):
/// (engine, name, code after the shebang's line feed excluded).
fn metadata(payload: &[u8]) -> Result<(Vec<u8>, Vec<u8>, usize)> {
    if !payload.starts_with(b"#!") {
        return Err(Error::err("Missing library metadata"));
    }
    let Some(end) = payload.iter().position(|&b| b == b'\n') else {
        return Err(Error::err("Invalid library metadata"));
    };
    let parts = crate::resp::split_args(&payload[..end]).unwrap_or_default();
    let Some(first) = parts.first() else {
        return Err(Error::err("Invalid library metadata"));
    };
    let engine = first.get(2..).unwrap_or_default().to_vec();
    let mut name: Option<Vec<u8>> = None;
    for p in &parts[1..] {
        if p.len() >= 5 && p[..5].eq_ignore_ascii_case(b"name=") {
            if name.is_some() {
                return Err(Error::err("Invalid metadata value, name argument was given multiple times"));
            }
            name = Some(p[5..].to_vec());
            continue;
        }
        let mut m = b"ERR Invalid metadata value given: ".to_vec();
        m.extend_from_slice(p);
        return Err(Error::msg(m));
    }
    let Some(name) = name else { return Err(Error::err("Library name was not given")) };
    Ok((engine, name, end))
}

/// FUNCTION LOAD [REPLACE] code (Redis's `functionsCreateWithLibraryCtx`):
/// the library's name.
pub(crate) fn load(eng: &mut Engine, payload: &[u8], replace: bool, timeout: bool) -> Result<Vec<u8>> {
    let (engine, name, end) = metadata(payload)?;
    if !valid_name(&name) {
        return Err(Error::err(BAD_NAME));
    }
    if !engine.eq_ignore_ascii_case(b"lua") {
        let mut m = b"ERR Engine '".to_vec();
        m.extend_from_slice(&engine);
        m.extend_from_slice(b"' not found");
        return Err(Error::msg(m));
    }
    if eng.functions.libs.contains_key(&name) && !replace {
        let mut m = b"ERR Library '".to_vec();
        m.extend_from_slice(&name);
        m.extend_from_slice(b"' already exists");
        return Err(Error::msg(m));
    }
    let mut lua = match eng.functions.lua.take() {
        Some(l) => l,
        None => new_state(),
    };
    let r = run_library(eng, &mut lua, &payload[end..], timeout);
    let lib = match r {
        Ok(funcs) => Library { code: payload.to_vec(), funcs },
        Err(e) => {
            eng.functions.lua = Some(lua);
            return Err(e);
        }
    };
    if lib.funcs.is_empty() {
        drop_callbacks(&mut lua, &lib);
        eng.functions.lua = Some(lua);
        return Err(Error::err("No functions registered"));
    }
    for f in lib.funcs.keys() {
        if eng.functions.funcs.get(f).is_some_and(|owner| *owner != name) {
            drop_callbacks(&mut lua, &lib);
            eng.functions.lua = Some(lua);
            let mut m = b"ERR Function ".to_vec();
            m.extend_from_slice(f);
            m.extend_from_slice(b" already exists");
            return Err(Error::msg(m));
        }
    }
    if let Some(old) = eng.functions.libs.remove(&name) {
        for f in old.funcs.keys() {
            eng.functions.funcs.remove(f);
        }
        drop_callbacks(&mut lua, &old);
    }
    for f in lib.funcs.keys() {
        eng.functions.funcs.insert(f.clone(), name.clone());
    }
    eng.functions.libs.insert(name.clone(), lib);
    eng.functions.lua = Some(lua);
    Ok(name)
}

/// Compiles and runs a library's code with the library API visible;
/// returns the functions it registered.
fn run_library(eng: &mut Engine, lua: &mut Lua<Engine>, code: &[u8], timeout: bool) -> Result<NameMap<Func>> {
    let f = match lua.load(code, b"@user_function") {
        Ok(f) => f,
        Err(e) => {
            let mut m = b"ERR Error compiling function: ".to_vec();
            m.extend_from_slice(&redis_api::error_text(lua, e));
            return Err(Error::msg(m));
        }
    };
    globals_index(lua, LIBRARY_API);
    eng.functions.loading = Some(Library { code: Vec::new(), funcs: NameMap::default() });
    eng.functions.load_deadline = timeout.then(|| eng.now_ms().saturating_add(LOAD_TIMEOUT_MS));
    let r = lua.call(eng, Value::Function(f), &[]);
    eng.functions.load_deadline = None;
    let lib = eng.functions.loading.take();
    globals_index(lua, GLOBALS_API);
    match r {
        Ok(_) => Ok(lib.map(|l| l.funcs).unwrap_or_default()),
        Err(e) => {
            if let Some(l) = lib {
                drop_callbacks(lua, &l);
            }
            let msg = match e {
                LuaError::Runtime(Value::Table(t)) => match redis_api::get(lua, t, b"err") {
                    v @ (Value::String(_) | Value::Number(_)) => lua.tostring(v),
                    _ => Vec::new(),
                },
                LuaError::Killed => b"ERR FUNCTION LOAD timeout".to_vec(),
                e => {
                    let mut m = b"ERR ".to_vec();
                    m.extend_from_slice(&redis_api::error_text(lua, e));
                    m
                }
            };
            let mut m = b"ERR Error registering functions: ".to_vec();
            m.extend_from_slice(&msg);
            Err(Error::msg(m))
        }
    }
}

/// Removes a library's callbacks from the registry.
fn drop_callbacks(lua: &mut Lua<Engine>, lib: &Library) {
    let reg = lua.registry();
    for f in lib.funcs.values() {
        let _ = lua.raw_set(reg, Value::Number(f.key), Value::Nil);
    }
}

/// Raises `{err="ERR <msg>"}`.
fn raise(cx: &mut Ctx<'_, Engine>, msg: &[u8]) -> LuaError {
    match convert::error_table(cx.lua(), msg, false) {
        Ok(t) => LuaError::Runtime(t),
        Err(e) => e,
    }
}

/// `lua_isstring` + `lua_tostring`: strings and numbers as bytes.
fn as_bytes(cx: &mut Ctx<'_, Engine>, v: Value) -> Option<Vec<u8>> {
    match v {
        Value::String(_) | Value::Number(_) => Some(cx.lua().tostring(v)),
        _ => None,
    }
}

/// `redis.register_function(name, callback)` or
/// `redis.register_function{function_name=..., callback=..., flags={...},
/// description=...}` (Redis's `luaRegisterFunction`).
fn register_function(cx: &mut Ctx<'_, Engine>) -> Result<usize, LuaError> {
    if cx.host().functions.loading.is_none() {
        return Err(raise(cx, b"redis.register_function can only be called on FUNCTION LOAD command"));
    }
    let n = cx.nargs();
    if !(1..=2).contains(&n) {
        return Err(raise(cx, b"wrong number of arguments to redis.register_function"));
    }
    let (name, desc, callback, flags) = if n == 1 {
        let Value::Table(t) = cx.arg(1) else {
            return Err(raise(
                cx,
                b"calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).",
            ));
        };
        let (mut name, mut desc, mut callback, mut flags) = (None, None, None, 0u32);
        let mut k = Value::Nil;
        loop {
            let (nk, v) = match cx.lua().next(t, k) {
                Ok(Some(kv)) => kv,
                Ok(None) => break,
                Err(e) => return Err(e),
            };
            k = nk;
            let Some(key) = as_bytes(cx, nk) else {
                return Err(raise(cx, b"named argument key given to redis.register_function is not a string"));
            };
            if key.eq_ignore_ascii_case(b"function_name") {
                match as_bytes(cx, v) {
                    Some(s) => name = Some(s),
                    None => return Err(raise(cx, b"function_name argument given to redis.register_function must be a string")),
                }
            } else if key.eq_ignore_ascii_case(b"description") {
                match as_bytes(cx, v) {
                    Some(s) => desc = Some(s),
                    None => return Err(raise(cx, b"description argument given to redis.register_function must be a string")),
                }
            } else if key.eq_ignore_ascii_case(b"callback") {
                if !matches!(v, Value::Function(_)) {
                    return Err(raise(cx, b"callback argument given to redis.register_function must be a function"));
                }
                callback = Some(v);
            } else if key.eq_ignore_ascii_case(b"flags") {
                let Value::Table(ft) = v else {
                    return Err(raise(cx, b"flags argument to redis.register_function must be a table representing function flags"));
                };
                match read_flags(cx, ft) {
                    Some(f) => flags = f,
                    None => return Err(raise(cx, b"unknown flag given")),
                }
            } else {
                return Err(raise(cx, b"unknown argument given to redis.register_function"));
            }
        }
        let Some(name) = name else {
            return Err(raise(cx, b"redis.register_function must get a function name argument"));
        };
        let Some(callback) = callback else {
            return Err(raise(cx, b"redis.register_function must get a callback argument"));
        };
        (name, desc, callback, flags)
    } else {
        let Some(name) = as_bytes(cx, cx.arg(1)) else {
            return Err(raise(cx, b"first argument to redis.register_function must be a string"));
        };
        let callback = cx.arg(2);
        if !matches!(callback, Value::Function(_)) {
            return Err(raise(cx, b"second argument to redis.register_function must be a function"));
        }
        (name, None, callback, 0)
    };
    if !valid_name(&name) {
        return Err(raise(cx, BAD_NAME.as_bytes()));
    }
    if cx.host().functions.loading.as_ref().is_some_and(|l| l.funcs.contains_key(&name)) {
        return Err(raise(cx, b"Function already exists in the library"));
    }
    let key = cx.host().functions.next_key + 1.0;
    cx.host().functions.next_key = key;
    let reg = cx.lua().registry();
    cx.lua().raw_set(reg, Value::Number(key), callback)?;
    if let Some(l) = cx.host().functions.loading.as_mut() {
        l.funcs.insert(name, Func { desc, flags, key });
    }
    Ok(0)
}

/// The flags table of register_function (case-insensitive names).
fn read_flags(cx: &mut Ctx<'_, Engine>, t: TableRef) -> Option<u32> {
    let mut flags = 0;
    let mut i = 1.0;
    loop {
        let v = cx.lua().raw_get(t, Value::Number(i));
        if v.is_nil() {
            return Some(flags);
        }
        let name = as_bytes(cx, v)?;
        let (bit, _) = sflags::NAMES.iter().find(|(_, n)| n.as_bytes().eq_ignore_ascii_case(&name))?;
        flags |= bit;
        i += 1.0;
    }
}

/// FCALL / FCALL_RO function numkeys [key ...] [arg ...]
pub(crate) fn fcall(cx: &mut CmdCtx<'_>, argv: &[&[u8]], ro: bool) -> Result<Reply> {
    let eng = &mut *cx.eng;
    let name = argv[1];
    let Some(lib) = eng.functions.funcs.get(name) else {
        return Err(Error::err("Function not found"));
    };
    let Some(func) = eng.functions.libs.get(lib).and_then(|l| l.funcs.get(name)) else {
        return Err(Error::err("Function not found"));
    };
    let (flags, key) = (func.flags, func.key);
    let Some(numkeys) = num::parse_i64(argv[2]) else {
        return Err(Error::err("Bad number of keys provided"));
    };
    if numkeys > argv.len() as i64 - 3 {
        return Err(Error::err("Number of keys can't be greater than number of args"));
    }
    if numkeys < 0 {
        return Err(Error::err("Number of keys can't be negative"));
    }
    let numkeys = numkeys as usize;
    let run_flags = super::prepare(eng, flags, ro)?;
    let Some(mut lua) = eng.functions.lua.take() else {
        return Err(Error::err("Function not found"));
    };
    eng.scripting.run = Some(Run::new(eng, cx.client, run_flags, cx.now_us, &argv[3..3 + numkeys]));
    let saved = eng.enter_script_client(cx.db);
    let reg = lua.registry();
    let f = lua.raw_get(reg, Value::Number(key));
    let args = match make_array(&mut lua, &argv[3..3 + numkeys]).and_then(|k| Ok((k, make_array(&mut lua, &argv[3 + numkeys..])?))) {
        Ok((keys, args)) => [keys, args],
        Err(e) => {
            let r = Reply::Error(redis_api::run_error(&mut lua, e, name));
            eng.leave_script_client(saved);
            eng.scripting.run = None;
            eng.functions.lua = Some(lua);
            return Ok(r);
        }
    };
    match super::run_slices(eng, lua, f, &args, Owner::Function, name.to_vec(), cx.client, argv, saved, !cx.no_block) {
        Some(r) => Ok(r),
        None => {
            cx.block = Some(super::busy_block());
            Ok(Reply::Nil)
        }
    }
}

fn make_array(lua: &mut Lua<Engine>, items: &[&[u8]]) -> Result<Value, LuaError> {
    let t = lua.new_table(0, 0);
    for (i, it) in items.iter().enumerate() {
        let s = lua.new_string(it);
        lua.raw_set(t, Value::Number((i + 1) as f64), Value::String(s))?;
    }
    Ok(Value::Table(t))
}

/// FUNCTION DELETE library
pub(crate) fn delete(eng: &mut Engine, name: &[u8]) -> Result<()> {
    let Some(lib) = eng.functions.libs.remove(name) else {
        return Err(Error::err("Library not found"));
    };
    for f in lib.funcs.keys() {
        eng.functions.funcs.remove(f);
    }
    if let Some(lua) = eng.functions.lua.as_mut() {
        drop_callbacks(lua, &lib);
    }
    Ok(())
}

/// FUNCTION FLUSH: every library, and the state with them.
pub(crate) fn flush(eng: &mut Engine) {
    eng.functions.libs.clear();
    eng.functions.funcs.clear();
    eng.functions.lua = None;
}

/// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE]
pub(crate) fn list(eng: &Engine, pattern: Option<&[u8]>, with_code: bool) -> Reply {
    let mut out = Vec::new();
    for (name, lib) in eng.functions.libs.iter() {
        if pattern.is_some_and(|p| !crate::glob::matches(p, name, true)) {
            continue;
        }
        let funcs = lib
            .funcs
            .iter()
            .map(|(fname, f)| {
                let flags = sflags::NAMES.iter().filter(|(b, _)| f.flags & b != 0).map(|(_, n)| Reply::status(n)).collect();
                Reply::Map(alloc::vec![
                    (Reply::bulk(b"name"), Reply::bulk(fname)),
                    (Reply::bulk(b"description"), f.desc.as_deref().map_or(Reply::Nil, Reply::bulk)),
                    (Reply::bulk(b"flags"), Reply::Set(flags)),
                ])
            })
            .collect();
        let mut m = alloc::vec![
            (Reply::bulk(b"library_name"), Reply::bulk(name)),
            (Reply::bulk(b"engine"), Reply::bulk(b"LUA")),
            (Reply::bulk(b"functions"), Reply::Array(funcs)),
        ];
        if with_code {
            m.push((Reply::bulk(b"library_code"), Reply::bulk(&lib.code)));
        }
        out.push(Reply::Map(m));
    }
    Reply::Array(out)
}

/// FUNCTION STATS: the running (busy) function, if any, and the engine's
/// counts; a busy EVAL script makes it BUSY, as in Redis.
pub(crate) fn stats(eng: &Engine) -> Result<Reply> {
    let running = match eng.scripting.busy.as_ref() {
        None => Reply::Nil,
        Some(b) if b.is_eval() => return Err(super::busy_error(Owner::Eval)),
        Some(b) => Reply::Map(alloc::vec![
            (Reply::bulk(b"name"), Reply::bulk(&b.name)),
            (Reply::bulk(b"command"), Reply::Array(b.argv.iter().map(|a| Reply::bulk(a)).collect())),
            (Reply::bulk(b"duration_ms"), Reply::Int(eng.now_ms().saturating_sub(b.started_ms) as i64)),
        ]),
    };
    let lua = Reply::Map(alloc::vec![
        (Reply::bulk(b"libraries_count"), Reply::Int(eng.functions.libs.len() as i64)),
        (Reply::bulk(b"functions_count"), Reply::Int(eng.functions.funcs.len() as i64)),
    ]);
    Ok(Reply::Map(alloc::vec![
        (Reply::bulk(b"running_script"), running),
        (Reply::bulk(b"engines"), Reply::Map(alloc::vec![(Reply::bulk(b"LUA"), lua)])),
    ]))
}

/// RDB's opcode for a library in a functions payload (`RDB_OPCODE_FUNCTION2`).
const RDB_OPCODE_FUNCTION2: u8 = 245;
/// The RDB version Redis 7.0 writes.
const RDB_VERSION: u16 = 10;

/// An RDB length (`rdbSaveLen`).
fn rdb_len(out: &mut Vec<u8>, n: usize) {
    if n < 1 << 6 {
        out.push(n as u8);
    } else if n < 1 << 14 {
        out.push(0x40 | (n >> 8) as u8);
        out.push(n as u8);
    } else if n <= u32::MAX as usize {
        out.push(0x80);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&(n as u64).to_be_bytes());
    }
}

/// FUNCTION DUMP: every library's code as RDB strings (uncompressed: see
/// the README's deviations), the RDB version and the CRC-64.
pub(crate) fn dump(eng: &Engine) -> Vec<u8> {
    let mut out = Vec::new();
    for lib in eng.functions.libs.values() {
        out.push(RDB_OPCODE_FUNCTION2);
        rdb_len(&mut out, lib.code.len());
        out.extend_from_slice(&lib.code);
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crate::rdb::crc64::crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// A reader over an RDB payload.
struct Rdb<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Rdb<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    /// (length, is an encoded special) as `rdbLoadLenByRef`.
    fn len(&mut self) -> Option<(usize, bool)> {
        let b = self.byte()?;
        match b >> 6 {
            0 => Some(((b & 0x3F) as usize, false)),
            1 => Some(((((b & 0x3F) as usize) << 8) | self.byte()? as usize, false)),
            2 if b == 0x80 => {
                let s = self.take(4)?;
                Some((u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize, false))
            }
            2 if b == 0x81 => {
                let s = self.take(8)?;
                usize::try_from(u64::from_be_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])).ok().map(|n| (n, false))
            }
            3 => Some(((b & 0x3F) as usize, true)),
            _ => None,
        }
    }

    /// An RDB string: raw, integer-encoded or LZF-compressed.
    fn string(&mut self) -> Option<Vec<u8>> {
        let (n, enc) = self.len()?;
        if !enc {
            return self.take(n).map(<[u8]>::to_vec);
        }
        match n {
            0 => Some(num::fmt_i64(self.byte()? as i8 as i64).into_bytes()),
            1 => {
                let s = self.take(2)?;
                Some(num::fmt_i64(i16::from_le_bytes([s[0], s[1]]) as i64).into_bytes())
            }
            2 => {
                let s = self.take(4)?;
                Some(num::fmt_i64(i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as i64).into_bytes())
            }
            3 => {
                let (clen, _) = self.len()?;
                let (ulen, _) = self.len()?;
                let src = self.take(clen)?;
                // No valid stream expands more than MAX_RATIO: a larger
                // claim is refused before anything is allocated.
                if ulen > clen.saturating_mul(crate::rdb::lzf::MAX_RATIO) {
                    return None;
                }
                crate::rdb::lzf::decompress(src, ulen)
            }
            _ => None,
        }
    }
}

/// FUNCTION RESTORE payload [FLUSH|APPEND|REPLACE]
pub(crate) fn restore(eng: &mut Engine, data: &[u8], policy: &[u8]) -> Result<()> {
    let (flush, replace) = if policy.eq_ignore_ascii_case(b"append") {
        (false, false)
    } else if policy.eq_ignore_ascii_case(b"replace") {
        (false, true)
    } else if policy.eq_ignore_ascii_case(b"flush") {
        (true, false)
    } else {
        return Err(Error::err("Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."));
    };
    // verifyDumpPayload: a footer of version (<= ours) and CRC-64.
    let bad = || Error::err("DUMP payload version or checksum are wrong");
    if data.len() < 10 {
        return Err(bad());
    }
    let body = &data[..data.len() - 10];
    let ver = u16::from_le_bytes([data[data.len() - 10], data[data.len() - 9]]);
    let mut c = [0u8; 8];
    c.copy_from_slice(&data[data.len() - 8..]);
    if ver > RDB_VERSION || crate::rdb::crc64::crc64(0, &data[..data.len() - 8]) != u64::from_le_bytes(c) {
        return Err(bad());
    }
    let mut r = Rdb { data: body, pos: 0 };
    let mut codes = Vec::new();
    while r.pos < body.len() {
        match r.byte() {
            Some(RDB_OPCODE_FUNCTION2) => {}
            Some(_) => return Err(Error::err("given type is not a function")),
            None => return Err(Error::err("can not read data type")),
        }
        match r.string() {
            Some(code) => codes.push(code),
            None => return Err(Error::err("failed loading the given functions payload")),
        }
    }
    // Load into a scratch engine state first so a failure changes nothing:
    // swap the current libraries out, load, and put them back on error.
    let old_libs = core::mem::take(&mut eng.functions.libs);
    let old_funcs = core::mem::take(&mut eng.functions.funcs);
    let old_lua = eng.functions.lua.take();
    let mut loaded = Vec::new();
    for code in &codes {
        match load(eng, code, false, false) {
            Ok(name) => loaded.push(name),
            Err(e) => {
                let l = core::mem::take(&mut eng.functions.libs);
                drop(l);
                eng.functions.libs = old_libs;
                eng.functions.funcs = old_funcs;
                eng.functions.lua = old_lua;
                return Err(e);
            }
        }
    }
    if flush {
        return Ok(());
    }
    // Join: the restored libraries (in their own state) are re-loaded into
    // the old one, so callbacks live in one state.
    let new_libs = core::mem::replace(&mut eng.functions.libs, old_libs);
    eng.functions.funcs = old_funcs;
    eng.functions.lua = old_lua;
    for name in new_libs.keys() {
        if eng.functions.libs.contains_key(name) && !replace {
            let mut m = b"ERR Library ".to_vec();
            m.extend_from_slice(name);
            m.extend_from_slice(b" already exists");
            return Err(Error::msg(m));
        }
    }
    for lib in new_libs.values() {
        for f in lib.funcs.keys() {
            let owner = eng.functions.funcs.get(f);
            if owner.is_some_and(|o| !new_libs.contains_key(o) || !replace) {
                let mut m = b"ERR Function ".to_vec();
                m.extend_from_slice(f);
                m.extend_from_slice(b" already exists");
                return Err(Error::msg(m));
            }
        }
    }
    for lib in new_libs.values() {
        load(eng, &lib.code, true, false)?;
    }
    Ok(())
}

impl Engine {
    /// Whether FUNCTION LOAD's time is up.
    pub(crate) fn function_load_expired(&self) -> bool {
        self.functions.load_deadline.is_some_and(|d| self.now_ms() > d)
    }
}
