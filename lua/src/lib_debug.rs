//! A part of the debug library (ldblib.c of Lua 5.1.5): `debug.getinfo` and
//! `debug.traceback`, over the running thread's frames. Redis's error
//! handler reads `source` and `currentline` with `getinfo`; embedders can
//! use [`Ctx::frame_info`] for the same facts without Lua.
//!
//! Levels count as lua_getstack does: 0 is the running function (the native
//! that asks), 1 its caller, and so on; tail calls that replaced frames
//! count as one "tail" level each.

use alloc::vec::Vec;

use crate::api::{Ctx, Host, Lua};
use crate::heap::Closure;
use crate::value::{LuaError, Value};
use crate::vm::CiKind;

/// What lua_getinfo reports about one stack level.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameInfo {
    /// `source` (`"@user_script"`, `"=[C]"`, `"=(tail call)"`, or the chunk text).
    pub source: Vec<u8>,
    /// luaO_chunkid of the source (`"user_script"`, `"[C]"`).
    pub short_src: Vec<u8>,
    /// "Lua", "main", "C" or "tail".
    pub what: &'static str,
    /// The line being executed (-1 when unknown: natives, tail calls).
    pub currentline: i64,
    /// Where the function's definition starts (-1 for natives).
    pub linedefined: i64,
    /// Where it ends (-1 for natives).
    pub lastlinedefined: i64,
    /// How the caller named it ("global", "local", "method", "field",
    /// "upvalue" or "" when unknown).
    pub namewhat: &'static str,
    /// The name, when `namewhat` is not empty.
    pub name: Option<Vec<u8>>,
    /// Number of upvalues.
    pub nups: usize,
    /// The function (`None` for a tail call level).
    pub func: Option<Value>,
}

impl<H: Host> Lua<H> {
    /// lua_getstack: the frame index for `level`, `Some(None)` for a lost
    /// tail call, `None` past the bottom.
    fn stack_level(&self, level: usize) -> Option<Option<usize>> {
        let mut level = level as i64;
        let mut idx = self.cis.len() as i64 - 1;
        while level > 0 && idx >= 0 {
            level -= 1;
            let ci = &self.cis[idx as usize];
            if ci.kind == CiKind::Lua {
                level -= ci.tailcalls as i64;
            }
            idx -= 1;
        }
        if level == 0 && idx >= 0 {
            Some(Some(idx as usize))
        } else if level < 0 {
            Some(None)
        } else {
            None
        }
    }

    /// lua_getinfo("nSlu f") for a stack level of the running thread.
    pub fn frame_info(&self, level: usize) -> Option<FrameInfo> {
        match self.stack_level(level)? {
            None => Some(FrameInfo {
                source: b"=(tail call)".to_vec(),
                short_src: b"(tail call)".to_vec(),
                what: "tail",
                currentline: -1,
                linedefined: -1,
                lastlinedefined: -1,
                namewhat: "",
                name: None,
                nups: 0,
                func: None,
            }),
            Some(idx) => {
                let ci = self.cis[idx];
                let mut info = self.function_info(Value::Function(ci.func_ref));
                if ci.kind == CiKind::Lua {
                    info.currentline = self.frame_line(idx).map(|l| l as i64).unwrap_or(-1);
                }
                if let Some((kind, name)) = self.frame_name(idx) {
                    info.namewhat = kind;
                    info.name = Some(name);
                }
                Some(info)
            }
        }
    }

    /// lua_getinfo(">S u f") for a function value.
    pub fn function_info(&self, f: Value) -> FrameInfo {
        let c_info = |nups: usize| FrameInfo {
            source: b"=[C]".to_vec(),
            short_src: b"[C]".to_vec(),
            what: "C",
            currentline: -1,
            linedefined: -1,
            lastlinedefined: -1,
            namewhat: "",
            name: None,
            nups,
            func: Some(f),
        };
        let Value::Function(fr) = f else { return c_info(0) };
        match &self.funcs.items[fr.0 as usize] {
            Closure::Lua { p, upvals, .. } => {
                let p = &p.p;
                FrameInfo {
                    source: p.source.to_vec(),
                    short_src: crate::proto::chunk_id(&p.source),
                    what: if p.linedefined == 0 { "main" } else { "Lua" },
                    currentline: -1,
                    linedefined: p.linedefined as i64,
                    lastlinedefined: p.lastlinedefined as i64,
                    namewhat: "",
                    name: None,
                    nups: upvals.len(),
                    func: Some(f),
                }
            }
            Closure::Native { upvals, .. } => c_info(upvals.len()),
            Closure::Dead => c_info(0),
        }
    }

    /// Opens the `debug` table with `getinfo` and `traceback`.
    pub fn open_debug(&mut self) {
        let t = self.new_table(0, 2);
        self.register(t, "getinfo", db_getinfo::<H>);
        self.register(t, "traceback", db_traceback::<H>);
        let g = self.globals;
        let k = self.new_string(b"debug");
        let _ = self.raw_set(g, Value::String(k), Value::Table(t));
    }
}

impl<H: Host> Ctx<'_, H> {
    /// lua_getinfo for stack level `level` counted from this native (1 = the
    /// function that called it).
    pub fn frame_info(&self, level: usize) -> Option<FrameInfo> {
        self.lua.frame_info(level)
    }
}

fn set_field<H: Host>(lua: &mut Lua<H>, t: crate::value::TableRef, k: &[u8], v: Value) {
    let k = lua.new_string(k);
    // String keys never fail.
    let _ = lua.raw_set(t, Value::String(k), v);
}

fn set_str<H: Host>(lua: &mut Lua<H>, t: crate::value::TableRef, k: &[u8], v: &[u8]) {
    let s = lua.new_string(v);
    set_field(lua, t, k, Value::String(s));
}

fn db_getinfo<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let options = match ctx.opt_bytes(2)? {
        Some(s) => ctx.lua_ref().str_bytes(s).to_vec(),
        None => b"flnSu".to_vec(),
    };
    let info = match ctx.arg(1) {
        // For a function value, 'l' and 'n' report "unknown" (-1, nil).
        f @ Value::Function(_) => ctx.lua_ref().function_info(f),
        v => match ctx.lua_ref().to_number(v) {
            Some(n) => {
                let level = n as i64;
                let found = if level < 0 { None } else { ctx.frame_info(level as usize) };
                match found {
                    Some(i) => i,
                    None => {
                        ctx.push(Value::Nil)?;
                        return Ok(1);
                    }
                }
            }
            None => return Err(ctx.arg_error(1, "function or level expected")),
        },
    };
    if options.iter().any(|c| !b"SlunfL>".contains(c)) {
        return Err(ctx.arg_error(2, "invalid option"));
    }
    let lua = ctx.lua();
    let t = lua.new_table(0, 2);
    if options.contains(&b'S') {
        set_str(lua, t, b"source", &info.source);
        set_str(lua, t, b"short_src", &info.short_src);
        set_field(lua, t, b"linedefined", Value::Number(info.linedefined as f64));
        set_field(lua, t, b"lastlinedefined", Value::Number(info.lastlinedefined as f64));
        set_str(lua, t, b"what", info.what.as_bytes());
    }
    if options.contains(&b'l') {
        set_field(lua, t, b"currentline", Value::Number(info.currentline as f64));
    }
    if options.contains(&b'u') {
        set_field(lua, t, b"nups", Value::Number(info.nups as f64));
    }
    if options.contains(&b'n') {
        if let Some(name) = &info.name {
            set_str(lua, t, b"name", name);
        }
        set_str(lua, t, b"namewhat", info.namewhat.as_bytes());
    }
    if options.contains(&b'f') {
        if let Some(f) = info.func {
            set_field(lua, t, b"func", f);
        }
    }
    ctx.push(Value::Table(t))?;
    Ok(1)
}

/// db_errorfb: "stack traceback:" with one line per level (the first 12 and
/// the last 10 when there are more).
fn db_traceback<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    const LEVELS1: usize = 12;
    const LEVELS2: usize = 10;
    let mut level = match ctx.arg(2) {
        Value::Number(n) if n >= 0.0 => n as usize,
        _ => 1,
    };
    let mut out = Vec::new();
    if ctx.nargs() >= 1 {
        match ctx.arg(1) {
            Value::String(s) => {
                out.extend_from_slice(ctx.lua_ref().str_bytes(s));
                out.push(b'\n');
            }
            Value::Number(n) => {
                crate::vm::fmt_number(n, &mut out);
                out.push(b'\n');
            }
            Value::Nil if ctx.nargs() == 1 => out.push(b'\n'),
            other => {
                // A message that is not a string comes back untouched.
                ctx.push(other)?;
                return Ok(1);
            }
        }
    }
    out.extend_from_slice(b"stack traceback:");
    let lua = ctx.lua_ref();
    let mut firstpart = true;
    while lua.stack_level(level).is_some() {
        level += 1;
        if level > LEVELS1 && firstpart {
            if lua.stack_level(level + LEVELS2).is_none() {
                level -= 1;
            } else {
                out.extend_from_slice(b"\n\t...");
                while lua.stack_level(level + LEVELS2).is_some() {
                    level += 1;
                }
            }
            firstpart = false;
            continue;
        }
        let Some(info) = lua.frame_info(level - 1) else { break };
        out.extend_from_slice(b"\n\t");
        out.extend_from_slice(&info.short_src);
        out.push(b':');
        if info.currentline > 0 {
            crate::debug::push_decimal(&mut out, info.currentline as u64);
            out.push(b':');
        }
        if !info.namewhat.is_empty() {
            out.extend_from_slice(b" in function '");
            out.extend_from_slice(info.name.as_deref().unwrap_or(b"?"));
            out.push(b'\'');
        } else if info.what == "main" {
            out.extend_from_slice(b" in main chunk");
        } else if info.what == "C" || info.what == "tail" {
            out.extend_from_slice(b" ?");
        } else {
            out.extend_from_slice(b" in function <");
            out.extend_from_slice(&info.short_src);
            out.push(b':');
            crate::debug::push_decimal(&mut out, info.linedefined.max(0) as u64);
            out.push(b'>');
        }
    }
    ctx.push_bytes(&out)?;
    Ok(1)
}
