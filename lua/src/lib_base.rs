//! The base library (lbaselib.c of Lua 5.1.5): `print`, `type`, `tostring`,
//! `tonumber`, `pairs`, `ipairs`, `next`, `select`, `unpack`, `error`,
//! `assert`, `pcall`, `xpcall`, the raw accessors, metatables, environments,
//! `load`/`loadstring`, `collectgarbage`, `_G`, `_VERSION` and, as in 5.1,
//! the `coroutine` table (`create resume yield status running wrap`).
//!
//! `pcall` and `xpcall` are markers the VM recognises (`NativeKind`): they
//! run as frames of the VM, so errors unwind to them without Rust recursion
//! and a run can pause inside them. Redis removes some of these functions
//! (`loadfile`, `dofile`): that is the embedder's business; this module
//! provides 5.1's set minus the file functions.

use alloc::vec::Vec;

use crate::api::{Ctx, Host, Lua};
use crate::heap::{Closure, NativeKind};
use crate::value::{LuaError, Value};

impl<H: Host> Lua<H> {
    /// Opens the base library into the globals (luaopen_base, without the
    /// file functions `dofile`/`loadfile`), with the `coroutine` table.
    pub fn open_base(&mut self) {
        let g = self.globals;
        let gs = self.new_string(b"_G");
        let _ = self.raw_set(g, Value::String(gs), Value::Table(g));
        let v = self.new_string(b"_VERSION");
        let vs = self.new_string(b"Lua 5.1");
        let _ = self.raw_set(g, Value::String(v), Value::String(vs));
        self.register(g, "assert", base_assert::<H>);
        self.register(g, "collectgarbage", base_collectgarbage::<H>);
        self.register(g, "error", base_error::<H>);
        self.register(g, "gcinfo", base_gcinfo::<H>);
        self.register(g, "getfenv", base_getfenv::<H>);
        self.register(g, "getmetatable", base_getmetatable::<H>);
        self.register(g, "loadstring", base_loadstring::<H>);
        self.register(g, "load", base_load::<H>);
        self.register(g, "next", base_next::<H>);
        self.register(g, "print", base_print::<H>);
        self.register(g, "rawequal", base_rawequal::<H>);
        self.register(g, "rawget", base_rawget::<H>);
        self.register(g, "rawset", base_rawset::<H>);
        self.register(g, "select", base_select::<H>);
        self.register(g, "setfenv", base_setfenv::<H>);
        self.register(g, "setmetatable", base_setmetatable::<H>);
        self.register(g, "tonumber", base_tonumber::<H>);
        self.register(g, "tostring", base_tostring::<H>);
        self.register(g, "type", base_type::<H>);
        self.register(g, "unpack", base_unpack::<H>);
        for (name, kind) in [("pcall", NativeKind::Pcall), ("xpcall", NativeKind::Xpcall)] {
            let f = self.alloc_func(Closure::Native { f: base_marker::<H>, kind, upvals: Default::default(), env: g });
            let k = self.new_string(name.as_bytes());
            let _ = self.raw_set(g, Value::String(k), Value::Function(f));
        }
        // pairs and ipairs carry their iterator as an upvalue, as in C Lua.
        let nk = self.new_string(b"next");
        let next = self.raw_get(g, Value::String(nk));
        let pairs = self.new_native(base_pairs::<H>, &[next]);
        let k = self.new_string(b"pairs");
        let _ = self.raw_set(g, Value::String(k), Value::Function(pairs));
        self.open_coroutine();
        let aux = self.new_native(base_ipairs_aux::<H>, &[]);
        let ipairs = self.new_native(base_ipairs::<H>, &[Value::Function(aux)]);
        let k = self.new_string(b"ipairs");
        let _ = self.raw_set(g, Value::String(k), Value::Function(ipairs));
    }
}

impl<H: Host> Lua<H> {
    /// The `coroutine` table (part of luaopen_base in 5.1).
    fn open_coroutine(&mut self) {
        let g = self.globals;
        // co_funcs' order and size (luaL_register): `pairs` walks the
        // table as in C Lua only if it was built the same way.
        let t = self.new_table(0, 6);
        self.register(t, "create", co_create::<H>);
        let r = self.alloc_func(Closure::Native {
            f: base_marker::<H>,
            kind: NativeKind::Resume,
            upvals: Default::default(),
            env: g,
        });
        let k = self.new_string(b"resume");
        let _ = self.raw_set(t, Value::String(k), Value::Function(r));
        self.register(t, "running", co_running::<H>);
        self.register(t, "status", co_status::<H>);
        self.register(t, "wrap", co_wrap::<H>);
        let y = self.alloc_func(Closure::Native {
            f: base_marker::<H>,
            kind: NativeKind::Yield,
            upvals: Default::default(),
            env: g,
        });
        let k = self.new_string(b"yield");
        let _ = self.raw_set(t, Value::String(k), Value::Function(y));
        let k = self.new_string(b"coroutine");
        let _ = self.raw_set(g, Value::String(k), Value::Table(t));
    }
}

fn check_thread<H: Host>(ctx: &mut Ctx<'_, H>, i: usize) -> Result<crate::value::ThreadRef, LuaError> {
    match ctx.arg(i) {
        Value::Thread(t) => Ok(t),
        _ => Err(ctx.arg_error(i, "coroutine expected")),
    }
}

fn co_create<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let f = ctx.arg(1);
    let is_lua = match f {
        Value::Function(fr) => matches!(ctx.lua_ref().funcs.items[fr.0 as usize], Closure::Lua { .. }),
        _ => false,
    };
    if !is_lua {
        return Err(ctx.arg_error(1, "Lua function expected"));
    }
    let t = ctx.lua().new_thread(f);
    ctx.push(Value::Thread(t))?;
    Ok(1)
}

fn co_wrap<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    co_create(ctx)?;
    let top = ctx.lua_ref().top;
    let t = ctx.lua_ref().stack[top - 1];
    let env = ctx.lua_ref().globals;
    let f = ctx.lua().alloc_func(Closure::Native {
        f: base_marker::<H>,
        kind: NativeKind::Wrap,
        upvals: alloc::vec![t].into(),
        env,
    });
    ctx.push(Value::Function(f))?;
    Ok(1)
}

fn co_running<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let cur = ctx.lua_ref().cur_thread;
    if cur == crate::heap::MAIN_THREAD {
        ctx.push(Value::Nil)?;
    } else {
        ctx.push(Value::Thread(crate::value::ThreadRef(cur)))?;
    }
    Ok(1)
}

fn co_status<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let co = check_thread(ctx, 1)?;
    let name: &[u8] = match ctx.lua_ref().thread_status(co) {
        crate::heap::CoStatus::Suspended => b"suspended",
        crate::heap::CoStatus::Running => b"running",
        crate::heap::CoStatus::Normal => b"normal",
        crate::heap::CoStatus::Dead => b"dead",
    };
    ctx.push_bytes(name)?;
    Ok(1)
}

/// Never called: `pcall`/`xpcall` are executed by the VM.
fn base_marker<H: Host>(_ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    Ok(0)
}

/// Returns the arguments `from..=nargs` as results (they are already on the
/// stack; natives return the top `n` values).
fn return_args<H: Host>(ctx: &mut Ctx<'_, H>, from: usize) -> Result<usize, LuaError> {
    let n = ctx.nargs();
    Ok(if from > n { 0 } else { n - from + 1 })
}

/// luaL_checkint: a C `int` from luaL_checkinteger.
pub(crate) fn check_int<H: Host>(ctx: &mut Ctx<'_, H>, i: usize) -> Result<i64, LuaError> {
    Ok(ctx.check_integer(i)? as i32 as i64)
}

/// luaL_optint.
pub(crate) fn opt_int<H: Host>(ctx: &mut Ctx<'_, H>, i: usize, default: i64) -> Result<i64, LuaError> {
    if ctx.arg(i).is_nil() {
        Ok(default)
    } else {
        check_int(ctx, i)
    }
}

fn base_assert<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let v = ctx.check_any(1)?;
    if v.is_falsy() {
        let msg = match ctx.opt_bytes(2)? {
            Some(s) => ctx.lua_ref().str_bytes(s).to_vec(),
            None => b"assertion failed!".to_vec(),
        };
        return Err(ctx.error(&msg));
    }
    return_args(ctx, 1)
}

fn base_collectgarbage<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    const OPTS: [&[u8]; 7] = [b"stop", b"restart", b"collect", b"count", b"step", b"setpause", b"setstepmul"];
    let o = match ctx.opt_bytes(1)? {
        None => 2,
        Some(s) => {
            let name = ctx.lua_ref().str_bytes(s).to_vec();
            match OPTS.iter().position(|o| *o == &name[..]) {
                Some(i) => i,
                None => {
                    let mut m = b"invalid option '".to_vec();
                    m.extend_from_slice(&name);
                    m.push(b'\'');
                    return Err(ctx.arg_error_bytes(1, &m));
                }
            }
        }
    };
    let _ex = opt_int(ctx, 2, 0)?;
    match o {
        2 | 4 => {
            // A native's own stack is consistent: a safe point.
            ctx.lua().gc_collect();
            if o == 4 {
                // "step" reports whether it finished a cycle; ours always
                // does, but C Lua's default-sized step usually does not.
                ctx.push(Value::Boolean(_ex > 0))?;
            } else {
                ctx.push(Value::Number(0.0))?;
            }
        }
        3 => {
            let b = ctx.lua_ref().memory_used();
            ctx.push(Value::Number((b >> 10) as f64 + (b & 0x3ff) as f64 / 1024.0))?;
        }
        // setpause/setstepmul return the previous setting (200 by default
        // for both); there is no incremental collector to tune.
        5 | 6 => ctx.push(Value::Number(200.0))?,
        _ => ctx.push(Value::Number(0.0))?,
    }
    Ok(1)
}

fn base_gcinfo<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let b = ctx.lua_ref().memory_used();
    ctx.push(Value::Number((b >> 10) as f64))?;
    Ok(1)
}

fn base_error<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let level = opt_int(ctx, 2, 1)?;
    let v = ctx.arg(1);
    if matches!(v, Value::String(_) | Value::Number(_)) && level > 0 {
        let mut m = ctx.lua_ref().where_(level as usize);
        if m.is_empty() {
            // Nothing to add: the value stays as it is (a number stays a
            // number only if no position is prepended; C Lua concatenates,
            // which turns it into a string either way).
        }
        let lua = ctx.lua();
        lua.tostring_into(v, &mut m);
        let s = lua.new_string(&m);
        return Err(LuaError::Runtime(Value::String(s)));
    }
    Err(LuaError::Runtime(v))
}

/// getfunc: the function `getfenv`/`setfenv` refer to (argument 1 as a
/// function or a stack level).
fn getfunc<H: Host>(ctx: &mut Ctx<'_, H>, opt: bool) -> Result<Option<Value>, LuaError> {
    if let Value::Function(_) = ctx.arg(1) {
        return Ok(Some(ctx.arg(1)));
    }
    let level = if opt { opt_int(ctx, 1, 1)? } else { check_int(ctx, 1)? };
    if level < 0 {
        return Err(ctx.arg_error(1, "level must be non-negative"));
    }
    if level == 0 {
        return Ok(None);
    }
    let lua = ctx.lua_ref();
    // lua_getstack(level) from the running native.
    let mut lv = level;
    let mut idx = lua.cis.len() as i64 - 1;
    while lv > 0 && idx >= 0 {
        lv -= 1;
        let ci = &lua.cis[idx as usize];
        if ci.kind == crate::vm::CiKind::Lua {
            lv -= ci.tailcalls as i64;
        }
        idx -= 1;
    }
    if lv == 0 && idx >= 0 {
        return Ok(Some(Value::Function(lua.cis[idx as usize].func_ref)));
    }
    if lv < 0 {
        let mut m = b"no function environment for tail call at level ".to_vec();
        crate::debug::push_decimal(&mut m, level as u64);
        return Err(ctx.error(&m));
    }
    Err(ctx.arg_error(1, "invalid level"))
}

fn base_getfenv<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let f = getfunc(ctx, true)?;
    let lua = ctx.lua();
    let env = match f {
        Some(Value::Function(f)) => match &lua.funcs.items[f.0 as usize] {
            Closure::Lua { env, .. } => *env,
            _ => lua.globals,
        },
        _ => lua.globals,
    };
    ctx.push(Value::Table(env))?;
    Ok(1)
}

fn base_setfenv<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(2)?;
    let f = getfunc(ctx, false)?;
    if let Value::Number(n) = ctx.arg(1) {
        if n == 0.0 {
            ctx.lua().globals = t;
            return Ok(0);
        }
    }
    match f {
        Some(Value::Function(fr)) => {
            if let Closure::Lua { env, .. } = &mut ctx.lua().funcs.items[fr.0 as usize] {
                *env = t;
                ctx.push(Value::Function(fr))?;
                return Ok(1);
            }
            Err(ctx.error(b"'setfenv' cannot change environment of given object"))
        }
        _ => Err(ctx.error(b"'setfenv' cannot change environment of given object")),
    }
}

fn base_getmetatable<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let v = ctx.check_any(1)?;
    let lua = ctx.lua();
    let r = match lua.metatable_of(v) {
        None => Value::Nil,
        Some(mt) => {
            let protected = lua.get_metafield(v, b"__metatable");
            if protected.is_nil() {
                Value::Table(mt)
            } else {
                protected
            }
        }
    };
    ctx.push(r)?;
    Ok(1)
}

fn base_setmetatable<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let mt = ctx.arg(2);
    let t = ctx.check_table(1)?;
    let mt = match mt {
        Value::Nil => None,
        Value::Table(m) => Some(m),
        _ => return Err(ctx.arg_error(2, "nil or table expected")),
    };
    if !ctx.lua().get_metafield(Value::Table(t), b"__metatable").is_nil() {
        return Err(ctx.error(b"cannot change a protected metatable"));
    }
    if ctx.lua_ref().heap.table(t).readonly {
        return Err(ctx.lua().plain_error(b"Attempt to modify a readonly table"));
    }
    ctx.lua().set_metatable(t, mt);
    ctx.push(Value::Table(t))?;
    Ok(1)
}

/// load_aux: the function, or nil plus the message.
fn load_result<H: Host>(ctx: &mut Ctx<'_, H>, r: Result<crate::value::FuncRef, LuaError>) -> Result<usize, LuaError> {
    match r {
        Ok(f) => {
            ctx.push(Value::Function(f))?;
            Ok(1)
        }
        Err(LuaError::Runtime(v)) => {
            ctx.push(Value::Nil)?;
            ctx.push(v)?;
            Ok(2)
        }
        Err(e) => Err(e),
    }
}

fn base_loadstring<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let s = ctx.check_bytes(1)?;
    let name = match ctx.opt_bytes(2)? {
        Some(n) => n,
        None => s,
    };
    let lua = ctx.lua();
    let src = lua.str_rc(s);
    let chunk = lua.str_rc(name);
    let r = lua.load(&src, &chunk);
    load_result(ctx, r)
}

fn base_load<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let name = match ctx.opt_bytes(2)? {
        Some(n) => ctx.lua_ref().str_bytes(n).to_vec(),
        None => b"=(load)".to_vec(),
    };
    match ctx.arg(1) {
        Value::Function(_) => {}
        _ => return Err(ctx.type_error(1, "function")),
    }
    let f = ctx.arg(1);
    let mut src = Vec::new();
    // lua_load runs the reader protected: its errors become `nil, msg`.
    loop {
        let piece = match ctx.call1(f, &[]) {
            Ok(p) => p,
            Err(LuaError::Runtime(e)) => return load_result(ctx, Err(LuaError::Runtime(e))),
            Err(e) => return Err(e),
        };
        match piece {
            Value::Nil => break,
            Value::String(s) => {
                let b = ctx.lua_ref().str_bytes(s);
                if b.is_empty() {
                    break;
                }
                src.extend_from_slice(b);
            }
            Value::Number(n) => crate::vm::fmt_number(n, &mut src),
            _ => {
                let e = ctx.error(b"reader function must return a string");
                return load_result(ctx, Err(e));
            }
        }
    }
    let r = ctx.lua().load(&src, &name);
    load_result(ctx, r)
}

fn base_next<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let k = ctx.arg(2);
    match ctx.lua_ref().heap.table(t).next(&k) {
        Ok(Some((k, v))) => {
            ctx.push(k)?;
            ctx.push(v)?;
            Ok(2)
        }
        Ok(None) => {
            ctx.push(Value::Nil)?;
            Ok(1)
        }
        Err(()) => Err(ctx.lua().plain_error(b"invalid key to 'next'")),
    }
}

fn base_pairs<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let next = ctx.upvalue(1);
    ctx.push(next)?;
    ctx.push(Value::Table(t))?;
    ctx.push(Value::Nil)?;
    Ok(3)
}

fn base_ipairs_aux<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let i = check_int(ctx, 2)? + 1;
    let t = ctx.check_table(1)?;
    let v = ctx.lua_ref().raw_get_int(t, i);
    if v.is_nil() {
        return Ok(0);
    }
    ctx.push(Value::Number(i as f64))?;
    ctx.push(v)?;
    Ok(2)
}

fn base_ipairs<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let aux = ctx.upvalue(1);
    ctx.push(aux)?;
    ctx.push(Value::Table(t))?;
    ctx.push(Value::Number(0.0))?;
    Ok(3)
}

fn base_print<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let n = ctx.nargs();
    let lua = ctx.lua();
    let g = lua.globals;
    let key = lua.new_string(b"tostring");
    let tostring = lua.raw_get(g, Value::String(key));
    let tostring = if tostring.is_nil() && lua.heap.table(g).metatable.is_some() {
        ctx.index(Value::Table(g), Value::String(key))?
    } else {
        tostring
    };
    let mut line = Vec::new();
    for i in 1..=n {
        let v = ctx.arg(i);
        let r = ctx.call1(tostring, &[v])?;
        match r {
            Value::String(s) => {
                if i > 1 {
                    line.push(b'\t');
                }
                line.extend_from_slice(ctx.lua_ref().str_bytes(s));
            }
            Value::Number(x) => {
                if i > 1 {
                    line.push(b'\t');
                }
                crate::vm::fmt_number(x, &mut line);
            }
            _ => return Err(ctx.error(b"'tostring' must return a string to 'print'")),
        }
    }
    line.push(b'\n');
    ctx.host().write_out(&line);
    Ok(0)
}

fn base_rawequal<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let a = ctx.check_any(1)?;
    let b = ctx.check_any(2)?;
    ctx.push(Value::Boolean(a == b))?;
    Ok(1)
}

fn base_rawget<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let k = ctx.check_any(2)?;
    let v = ctx.lua_ref().raw_get(t, k);
    ctx.push(v)?;
    Ok(1)
}

fn base_rawset<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let k = ctx.check_any(2)?;
    let v = ctx.check_any(3)?;
    let lua = ctx.lua();
    if lua.heap.table(t).readonly {
        // luaG_runerror from inside the native: no position.
        return Err(ctx.lua().plain_error(b"Attempt to modify a readonly table"));
    }
    let r = lua.heap.with_table(t, |tab| tab.raw_set(k, v));
    if let Err(e) = r {
        return Err(ctx.lua().plain_error(e.message().as_bytes()));
    }
    ctx.push(Value::Table(t))?;
    Ok(1)
}

fn base_select<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let n = ctx.nargs() as i64;
    if let Value::String(s) = ctx.arg(1) {
        if ctx.lua_ref().str_bytes(s).first() == Some(&b'#') {
            ctx.push(Value::Number((n - 1) as f64))?;
            return Ok(1);
        }
    }
    let mut i = check_int(ctx, 1)?;
    if i < 0 {
        i += n;
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(ctx.arg_error(1, "index out of range"));
    }
    Ok((n - i) as usize)
}

fn base_tonumber<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let base = opt_int(ctx, 2, 10)?;
    if base == 10 {
        let v = ctx.check_any(1)?;
        if let Some(n) = ctx.lua_ref().to_number(v) {
            ctx.push(Value::Number(n))?;
            return Ok(1);
        }
    } else {
        let s = ctx.check_bytes(1)?;
        if !(2..=36).contains(&base) {
            return Err(ctx.arg_error(2, "base out of range"));
        }
        if let Some(n) = strtoul(ctx.lua_ref().str_bytes(s), base as u32) {
            ctx.push(Value::Number(n as f64))?;
            return Ok(1);
        }
    }
    ctx.push(Value::Nil)?;
    Ok(1)
}

/// strtoul plus tonumber's trailing-space check: `None` unless the whole
/// string (after leading spaces, an optional sign and, for base 16, an
/// optional `0x`) is digits of `base` followed only by spaces.
fn strtoul(s: &[u8], base: u32) -> Option<u64> {
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r');
    // C strings end at NUL.
    let s = match s.iter().position(|&c| c == 0) {
        Some(n) => &s[..n],
        None => s,
    };
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        neg = s[i] == b'-';
        i += 1;
    }
    if base == 16 && i + 1 < s.len() && s[i] == b'0' && (s[i + 1] | 0x20) == b'x' {
        let d = s.get(i + 2).and_then(|&c| (c as char).to_digit(16));
        if d.is_some() {
            i += 2;
        }
    }
    let start = i;
    let mut n: u64 = 0;
    let mut overflow = false;
    while i < s.len() {
        let Some(d) = (s[i] as char).to_digit(base) else { break };
        match n.checked_mul(base as u64).and_then(|x| x.checked_add(d as u64)) {
            Some(x) => n = x,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return None;
    }
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    if i != s.len() {
        return None;
    }
    if overflow {
        n = u64::MAX;
    }
    Some(if neg { n.wrapping_neg() } else { n })
}

fn base_tostring<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let v = ctx.check_any(1)?;
    let tm = ctx.lua().get_metafield(v, b"__tostring");
    if !tm.is_nil() {
        let r = ctx.call1(tm, &[v])?;
        ctx.push(r)?;
        return Ok(1);
    }
    let s = match v {
        Value::String(_) => v,
        _ => {
            let mut out = Vec::new();
            ctx.lua_ref().tostring_into(v, &mut out);
            Value::String(ctx.lua().new_string(&out))
        }
    };
    ctx.push(s)?;
    Ok(1)
}

fn base_type<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let v = ctx.check_any(1)?;
    let s = ctx.lua().new_string(v.type_name().as_bytes());
    ctx.push(Value::String(s))?;
    Ok(1)
}

fn base_unpack<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let i = opt_int(ctx, 2, 1)?;
    let e = if ctx.arg(3).is_nil() { ctx.lua_ref().raw_len(t) as i32 as i64 } else { check_int(ctx, 3)? };
    if i > e {
        return Ok(0);
    }
    let n = e - i + 1;
    if n <= 0 || n >= i32::MAX as i64 || !ctx.check_stack(n as usize) {
        return Err(ctx.error(b"too many results to unpack"));
    }
    for k in i..=e {
        let v = ctx.lua_ref().raw_get_int(t, k);
        ctx.push(v)?;
    }
    Ok(n as usize)
}
