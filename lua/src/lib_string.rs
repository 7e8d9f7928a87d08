//! The `string` library (lstrlib.c of Lua 5.1.5): `byte char dump find
//! format gfind gmatch gsub len lower match rep reverse sub upper`, and the
//! string metatable whose `__index` is the library, so `s:upper()` works.
//!
//! Argument checks and messages are lstrlib's (via [`Ctx`]'s lauxlib
//! equivalents). The matcher lives in [`crate::pattern`] and the printf
//! pieces of `string.format` in [`crate::number`]; this file binds them.
//!
//! Memory: results that can grow without bound (`rep`, `gsub`, `format`,
//! `reverse`...) are reserved fallibly and checked against the state's memory
//! limit before they are built, so a script gets "not enough memory" instead
//! of the host aborting. Long matches poll [`Host::should_kill`].

use alloc::sync::Arc;
use alloc::vec::Vec;

use crate::api::{Ctx, Host, Lua};
use crate::number::{double_to_int, format_char, format_float, format_int, format_str, FormatSpec};
use crate::pattern::{posrelat, str_find_aux, Capture, Matcher, PatternError};
use crate::value::{LuaError, StrRef, Value};

/// Opens the string library: the global `string` table and the string
/// metatable (`__index` = `string`), as `luaopen_string`.
pub fn open_string<H: Host>(lua: &mut Lua<H>) {
    // strlib's order and size (luaL_register), so `pairs` walks the table
    // as in C Lua.
    let t = lua.new_table(0, 15);
    let funcs: [(&str, crate::api::NativeFn<H>); 15] = [
        ("byte", str_byte),
        ("char", str_char),
        ("dump", str_dump),
        ("find", str_find),
        ("format", str_format),
        ("gfind", gmatch),
        ("gmatch", gmatch),
        ("gsub", str_gsub),
        ("len", str_len),
        ("lower", str_lower),
        ("match", str_match),
        ("rep", str_rep),
        ("reverse", str_reverse),
        ("sub", str_sub),
        ("upper", str_upper),
    ];
    for (name, f) in funcs {
        lua.register(t, name, f);
    }
    // As luaopen_string under LUA_COMPAT_GFIND: `gfind` is the very same
    // function object as `gmatch` (its key was placed above).
    let gm = lua.new_string(b"gmatch");
    let gmatch_fn = lua.raw_get(t, Value::String(gm));
    let gf = lua.new_string(b"gfind");
    let _ = lua.raw_set(t, Value::String(gf), gmatch_fn);
    let g = lua.globals();
    let name = lua.new_string(b"string");
    // String keys are never nil or NaN: these sets cannot fail.
    let _ = lua.raw_set(g, Value::String(name), Value::Table(t));
    let mt = lua.new_table(0, 1);
    let index = lua.new_string(b"__index");
    let _ = lua.raw_set(mt, Value::String(index), Value::Table(t));
    lua.set_string_metatable(Some(mt));
}

/// Fails with "not enough memory" when `extra` more bytes would take the
/// state over its memory limit (0 = no limit), before anything is built.
/// Garbage counts too: for callers that hold values the collector cannot
/// see (decoders building tables).
pub(crate) fn check_memory<H: Host>(lua: &Lua<H>, extra: usize) -> Result<(), LuaError> {
    let limit = lua.memory_limit;
    if limit != 0 && lua.memory_used().saturating_add(extra) > limit {
        return Err(LuaError::Memory);
    }
    Ok(())
}

/// Like [`check_memory`], but when the limit would be crossed it first runs
/// a full collection (so garbage does not cause a false "not enough
/// memory"). Call it only while every Lua value the caller still needs is
/// rooted: an argument, a pushed result, or reachable from them.
pub(crate) fn reserve_memory<H: Host>(lua: &mut Lua<H>, extra: usize) -> Result<(), LuaError> {
    if check_memory(lua, extra).is_ok() {
        return Ok(());
    }
    lua.gc_collect();
    check_memory(lua, extra)
}

/// A buffer of `n` bytes reserved fallibly and within the memory limit.
fn buffer<H: Host>(lua: &mut Lua<H>, n: usize) -> Result<Vec<u8>, LuaError> {
    reserve_memory(lua, n)?;
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| LuaError::Memory)?;
    Ok(v)
}

/// Appends to a result buffer, checking the memory limit as it grows.
fn add<H: Host>(lua: &mut Lua<H>, out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), LuaError> {
    if out.capacity() - out.len() < bytes.len() {
        let want = (out.len() + bytes.len()).max(out.capacity() * 2);
        reserve_memory(lua, want)?;
        out.try_reserve(want - out.len()).map_err(|_| LuaError::Memory)?;
    }
    out.extend_from_slice(bytes);
    Ok(())
}

/// `luaL_checkint`: `luaL_checkinteger` cast to C `int` (the low 32 bits).
fn check_int<H: Host>(ctx: &mut Ctx<'_, H>, i: usize) -> Result<i32, LuaError> {
    ctx.check_integer(i).map(|n| n as i32)
}

/// An argument string as a shared handle (so the bytes stay readable while
/// the state changes).
fn arg_rc<H: Host>(ctx: &mut Ctx<'_, H>, i: usize) -> Result<(StrRef, Arc<[u8]>), LuaError> {
    let s = ctx.check_bytes(i)?;
    Ok((s, ctx.lua_ref().str_rc(s)))
}

fn str_len<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let s = ctx.check_bytes(1)?;
    let n = ctx.str_bytes(s).len();
    ctx.push(Value::Number(n as f64))?;
    Ok(1)
}

fn str_sub<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let s = ctx.check_bytes(1)?;
    let l = ctx.str_bytes(s).len();
    let start = posrelat(ctx.check_integer(2)?, l).max(1);
    let end = posrelat(ctx.opt_integer(3, -1)?, l).min(l as i64);
    let r = if start <= end {
        ctx.lua().new_substring(s, start as usize - 1, end as usize)
    } else {
        ctx.lua().new_string(b"")
    };
    ctx.push(Value::String(r))?;
    Ok(1)
}

/// `reverse`, `lower`, `upper`: a byte-wise map of argument 1.
fn map_bytes<H: Host>(ctx: &mut Ctx<'_, H>, f: impl Fn(&[u8], &mut Vec<u8>)) -> Result<usize, LuaError> {
    let (_, s) = arg_rc(ctx, 1)?;
    let mut out = buffer(ctx.lua(), s.len())?;
    f(&s, &mut out);
    ctx.push_bytes(&out)?;
    Ok(1)
}

fn str_reverse<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    map_bytes(ctx, |s, out| out.extend(s.iter().rev()))
}

fn str_lower<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    map_bytes(ctx, |s, out| out.extend(s.iter().map(|c| c.to_ascii_lowercase())))
}

fn str_upper<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    map_bytes(ctx, |s, out| out.extend(s.iter().map(|c| c.to_ascii_uppercase())))
}

fn str_rep<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (_, s) = arg_rc(ctx, 1)?;
    let n = check_int(ctx, 2)?;
    let n = if n > 0 { n as usize } else { 0 };
    let total = s.len().checked_mul(n).ok_or(LuaError::Memory)?;
    let mut out = buffer(ctx.lua(), total)?;
    for _ in 0..n {
        out.extend_from_slice(&s);
    }
    ctx.push_bytes(&out)?;
    Ok(1)
}

fn str_byte<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let s = ctx.check_bytes(1)?;
    let l = ctx.str_bytes(s).len();
    let posi = posrelat(ctx.opt_integer(2, 1)?, l);
    let pose = posrelat(ctx.opt_integer(3, posi)?, l);
    let posi = posi.max(1);
    let pose = pose.min(l as i64);
    if posi > pose {
        return Ok(0);
    }
    let n = (pose - posi + 1) as usize;
    if !ctx.check_stack(n) {
        return Err(ctx.error(b"stack overflow (string slice too long)"));
    }
    for i in 0..n {
        let c = ctx.str_bytes(s).get(posi as usize - 1 + i).copied().unwrap_or(0);
        ctx.push(Value::Number(c as f64))?;
    }
    Ok(n)
}

fn str_char<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let n = ctx.nargs();
    let mut out = buffer(ctx.lua(), n)?;
    for i in 1..=n {
        let c = check_int(ctx, i)?;
        if c as u8 as i32 != c {
            return Err(ctx.arg_error(i, "invalid value"));
        }
        out.push(c as u8);
    }
    ctx.push_bytes(&out)?;
    Ok(1)
}

fn str_dump<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let Value::Function(f) = ctx.arg(1) else {
        return Err(ctx.type_error(1, "function"));
    };
    let proto = match ctx.lua_ref().funcs.items.get(f.0 as usize) {
        Some(crate::heap::Closure::Lua { p, .. }) => p.p.clone(),
        // lua_dump refuses C functions.
        _ => return Err(ctx.error(b"unable to dump given function")),
    };
    let mut out = Vec::new();
    // luaU_header: "\x1bLua", version 5.1, official format, little endian,
    // sizeof int, size_t, Instruction, lua_Number, and "not integral".
    out.extend_from_slice(b"\x1bLua\x51\x00\x01\x04\x08\x04\x08\x00");
    dump_function(&proto, None, &mut out);
    reserve_memory(ctx.lua(), out.len())?;
    ctx.push_bytes(&out)?;
    Ok(1)
}

/// ldump.c's `DumpString`: a size_t length counting a trailing NUL, the
/// bytes and the NUL; length 0 for "no string".
fn dump_string(s: Option<&[u8]>, out: &mut Vec<u8>) {
    match s {
        None => out.extend_from_slice(&0u64.to_le_bytes()),
        Some(s) => {
            out.extend_from_slice(&(s.len() as u64 + 1).to_le_bytes());
            out.extend_from_slice(s);
            out.push(0);
        }
    }
}

fn dump_int(n: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(&(n as i32).to_le_bytes());
}

/// ldump.c's `DumpFunction` (not stripped): a nested function's source is
/// omitted when it equals its parent's, as C compares the interned strings.
fn dump_function(f: &crate::proto::Proto, parent_source: Option<&[u8]>, out: &mut Vec<u8>) {
    use crate::proto::Constant;
    let source: &[u8] = &f.source;
    dump_string(if parent_source == Some(source) { None } else { Some(source) }, out);
    dump_int(f.linedefined as usize, out);
    dump_int(f.lastlinedefined as usize, out);
    out.extend_from_slice(&[f.nups, f.numparams, f.is_vararg, f.maxstacksize]);
    dump_int(f.code.len(), out);
    for i in &f.code {
        out.extend_from_slice(&i.to_le_bytes());
    }
    dump_int(f.constants.len(), out);
    for k in &f.constants {
        match k {
            Constant::Nil => out.push(0),
            Constant::Boolean(b) => out.extend_from_slice(&[1, *b as u8]),
            Constant::Number(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_bits().to_le_bytes());
            }
            Constant::String(s) => {
                out.push(4);
                dump_string(Some(s), out);
            }
        }
    }
    dump_int(f.protos.len(), out);
    for p in &f.protos {
        dump_function(p, Some(source), out);
    }
    dump_int(f.lineinfo.len(), out);
    for l in &f.lineinfo {
        out.extend_from_slice(&l.to_le_bytes());
    }
    dump_int(f.locvars.len(), out);
    for v in &f.locvars {
        dump_string(Some(&v.name), out);
        dump_int(v.startpc as usize, out);
        dump_int(v.endpc as usize, out);
    }
    dump_int(f.upvalue_names.len(), out);
    for u in &f.upvalue_names {
        dump_string(Some(u), out);
    }
}

/// A pattern error as `luaL_error` raises it, or the host's kill.
fn pattern_error<H: Host>(ctx: &mut Ctx<'_, H>, e: PatternError) -> LuaError {
    match e {
        PatternError::Interrupted => LuaError::Killed,
        e => ctx.error(e.message().as_bytes()),
    }
}

/// Pushes one capture (a substring of `s` or a position).
fn capture_value<H: Host>(ctx: &mut Ctx<'_, H>, s: StrRef, c: Capture) -> Value {
    match c {
        Capture::Str { start, end } => Value::String(ctx.lua().new_substring(s, start, end)),
        Capture::Position(p) => Value::Number(p as f64),
    }
}

fn find_aux<H: Host>(ctx: &mut Ctx<'_, H>, find: bool) -> Result<usize, LuaError> {
    let (sref, s) = arg_rc(ctx, 1)?;
    let (_, p) = arg_rc(ctx, 2)?;
    let init = ctx.opt_integer(3, 1)?;
    let plain = !ctx.arg(4).is_falsy();
    let found = {
        let host = ctx.host();
        let mut keep_going = || !host.should_kill();
        str_find_aux(&s, &p, init, find, plain, &mut keep_going)
    };
    let found = match found {
        Ok(f) => f,
        Err(e) => return Err(pattern_error(ctx, e)),
    };
    let Some(f) = found else {
        ctx.push(Value::Nil)?;
        return Ok(1);
    };
    let mut n = 0;
    if find {
        ctx.push(Value::Number((f.start + 1) as f64))?;
        ctx.push(Value::Number(f.end as f64))?;
        n = 2;
    }
    if !ctx.check_stack(f.captures.len()) {
        return Err(ctx.error(b"stack overflow (too many captures)"));
    }
    for c in f.captures {
        let v = capture_value(ctx, sref, c);
        ctx.push(v)?;
        n += 1;
    }
    Ok(n)
}

fn str_find<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    find_aux(ctx, true)
}

fn str_match<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    find_aux(ctx, false)
}

/// Runs the matcher at `s1` (pattern from `p0`), polling the host.
fn run_match<H: Host>(ctx: &mut Ctx<'_, H>, m: &mut Matcher<'_>, s1: usize, p0: usize) -> Result<Option<usize>, LuaError> {
    let r = {
        let host = ctx.host();
        let mut keep_going = || !host.should_kill();
        m.match_at(s1, p0, &mut keep_going)
    };
    r.map_err(|e| pattern_error(ctx, e))
}

/// The captures of the match `s1..e` as values (`push_captures`; the whole
/// match stands for them when there are none and `whole` is set), or the
/// first capture error.
fn capture_values<H: Host>(
    ctx: &mut Ctx<'_, H>,
    sref: StrRef,
    m: &Matcher<'_>,
    (s1, e): (usize, usize),
    whole: bool,
) -> Result<Vec<Value>, LuaError> {
    let n = m.num_captures(whole);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        match m.get_capture(i, s1, e) {
            Ok(c) => out.push(capture_value(ctx, sref, c)),
            Err(x) => return Err(pattern_error(ctx, x)),
        }
    }
    Ok(out)
}

fn gmatch<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let s = ctx.check_bytes(1)?;
    let p = ctx.check_bytes(2)?;
    let f = ctx.lua().new_native(gmatch_aux, &[Value::String(s), Value::String(p), Value::Number(0.0)]);
    ctx.push(Value::Function(f))?;
    Ok(1)
}

fn gmatch_aux<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (Value::String(sref), Value::String(pref)) = (ctx.upvalue(1), ctx.upvalue(2)) else {
        return Ok(0);
    };
    let start = match ctx.upvalue(3) {
        Value::Number(n) => n as usize,
        _ => 0,
    };
    let s = ctx.lua_ref().str_rc(sref);
    let p = ctx.lua_ref().str_rc(pref);
    let mut m = Matcher::new(&s, &p);
    let mut src = start;
    while src <= s.len() {
        if let Some(e) = run_match(ctx, &mut m, src, 0)? {
            let newstart = if e == src { e + 1 } else { e };
            ctx.set_upvalue(3, Value::Number(newstart as f64));
            if !ctx.check_stack(m.num_captures(true)) {
                return Err(ctx.error(b"stack overflow (too many captures)"));
            }
            let vals = capture_values(ctx, sref, &m, (src, e), true)?;
            for &v in &vals {
                ctx.push(v)?;
            }
            return Ok(vals.len());
        }
        src += 1;
    }
    Ok(0)
}

/// gsub's `add_s`: the replacement string with `%0`-`%9` and `%x` escapes.
fn add_s<H: Host>(
    ctx: &mut Ctx<'_, H>,
    out: &mut Vec<u8>,
    news: &[u8],
    s: &[u8],
    (s1, e): (usize, usize),
    m: &Matcher<'_>,
) -> Result<(), LuaError> {
    let mut i = 0;
    while i < news.len() {
        let c = news[i];
        if c != b'%' {
            add(ctx.lua(), out, &[c])?;
            i += 1;
            continue;
        }
        i += 1;
        // Past the end C reads the string's terminating NUL.
        let d = news.get(i).copied().unwrap_or(0);
        if !d.is_ascii_digit() {
            add(ctx.lua(), out, &[d])?;
        } else if d == b'0' {
            add(ctx.lua(), out, s.get(s1..e).unwrap_or(&[]))?;
        } else {
            // push_onecapture(d - '1'): the whole match stands for %1 when
            // the pattern has no captures.
            let cap = match m.get_capture((d - b'1') as usize, s1, e) {
                Ok(c) => c,
                Err(x) => return Err(pattern_error(ctx, x)),
            };
            match cap {
                Capture::Str { start, end } => add(ctx.lua(), out, s.get(start..end).unwrap_or(&[]))?,
                Capture::Position(p) => {
                    let mut b = Vec::new();
                    crate::number::fmt_number(p as f64, &mut b);
                    add(ctx.lua(), out, &b)?;
                }
            }
        }
        i += 1;
    }
    Ok(())
}

fn str_gsub<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (sref, src) = arg_rc(ctx, 1)?;
    let (_, p) = arg_rc(ctx, 2)?;
    let repl = ctx.arg(3);
    let srcl = src.len();
    let max_s = match ctx.arg(4) {
        Value::Nil => (srcl as i64 + 1) as i32,
        _ => check_int(ctx, 4)?,
    };
    if !matches!(repl, Value::Number(_) | Value::String(_) | Value::Function(_) | Value::Table(_)) {
        return Err(ctx.arg_error(3, "string/function/table expected"));
    }
    // A number replacement is used as its string (lua_tolstring).
    let news: Option<Arc<[u8]>> = match repl {
        Value::String(r) => Some(ctx.lua_ref().str_rc(r)),
        Value::Number(_) => {
            let r = ctx.check_bytes(3)?;
            Some(ctx.lua_ref().str_rc(r))
        }
        _ => None,
    };
    // The pattern as C sees it (up to a NUL), and its anchor.
    let pcut = p.iter().position(|&c| c == 0).unwrap_or(p.len());
    let anchor = p.first() == Some(&b'^') && pcut > 0;
    let p0 = anchor as usize;
    let mut out = buffer(ctx.lua(), srcl)?;
    let mut m = Matcher::new(&src, &p);
    let mut pos = 0usize;
    // Unmatched source bytes are copied in runs: src[copied..pos] is owed.
    let mut copied = 0usize;
    let mut n: i32 = 0;
    while n < max_s {
        let r = run_match(ctx, &mut m, pos, p0)?;
        if let Some(e) = r {
            n += 1;
            add(ctx.lua(), &mut out, src.get(copied..pos).unwrap_or(&[]))?;
            copied = e;
            match &news {
                Some(news) => add_s(ctx, &mut out, news, &src, (pos, e), &m)?,
                None => {
                    let v = match repl {
                        Value::Function(_) => {
                            let args = capture_values(ctx, sref, &m, (pos, e), true)?;
                            ctx.call1(repl, &args)?
                        }
                        _ => {
                            let k = match m.get_capture(0, pos, e) {
                                Ok(c) => capture_value(ctx, sref, c),
                                Err(x) => return Err(pattern_error(ctx, x)),
                            };
                            ctx.index(repl, k)?
                        }
                    };
                    match v {
                        Value::Nil | Value::Boolean(false) => add(ctx.lua(), &mut out, src.get(pos..e).unwrap_or(&[]))?,
                        Value::String(r) => {
                            let b = ctx.lua_ref().str_rc(r);
                            add(ctx.lua(), &mut out, &b)?
                        }
                        Value::Number(x) => {
                            let mut b = Vec::new();
                            crate::number::fmt_number(x, &mut b);
                            add(ctx.lua(), &mut out, &b)?
                        }
                        other => {
                            let mut msg = b"invalid replacement value (a ".to_vec();
                            msg.extend_from_slice(other.type_name().as_bytes());
                            msg.push(b')');
                            return Err(ctx.error(&msg));
                        }
                    }
                }
            }
        }
        match r {
            Some(e) if e > pos => pos = e,
            // This byte is kept: it joins the owed run.
            _ if pos < srcl => pos += 1,
            _ => break,
        }
        if anchor {
            break;
        }
    }
    add(ctx.lua(), &mut out, src.get(copied..).unwrap_or(&[]))?;
    ctx.push_bytes(&out)?;
    ctx.push(Value::Number(n as f64))?;
    Ok(2)
}

/// lstrlib's `addquoted` (`%q`).
fn add_quoted(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for &c in s {
        match c {
            b'"' | b'\\' | b'\n' => {
                out.push(b'\\');
                out.push(c);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            0 => out.extend_from_slice(b"\\000"),
            _ => out.push(c),
        }
    }
    out.push(b'"');
}

/// lstrlib's `scanformat`: the spec after a '%' (flags, up to two digits of
/// width and of precision) and the index of the conversion letter.
fn scan_format(f: &[u8], mut i: usize) -> Result<(FormatSpec, usize), &'static str> {
    let at = |i: usize| f.get(i).copied().unwrap_or(0);
    let mut spec = FormatSpec::default();
    let start = i;
    while matches!(at(i), b'-' | b'+' | b' ' | b'#' | b'0') {
        match at(i) {
            b'-' => spec.minus = true,
            b'+' => spec.plus = true,
            b' ' => spec.space = true,
            b'#' => spec.alt = true,
            _ => spec.zero = true,
        }
        i += 1;
    }
    if i - start >= 6 {
        return Err("invalid format (repeated flags)");
    }
    let digits = |i: &mut usize| {
        let mut v = 0;
        for _ in 0..2 {
            if at(*i).is_ascii_digit() {
                v = v * 10 + (at(*i) - b'0') as usize;
                *i += 1;
            }
        }
        v
    };
    spec.width = digits(&mut i);
    if at(i) == b'.' {
        i += 1;
        spec.precision = Some(digits(&mut i));
    }
    if at(i).is_ascii_digit() {
        return Err("invalid format (width or precision too long)");
    }
    Ok((spec, i))
}

fn str_format<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let top = ctx.nargs();
    let (_, f) = arg_rc(ctx, 1)?;
    let mut arg = 1;
    let mut out = buffer(ctx.lua(), f.len())?;
    let mut item = Vec::new();
    let mut i = 0;
    while i < f.len() {
        let c = f[i];
        if c != b'%' {
            add(ctx.lua(), &mut out, &[c])?;
            i += 1;
            continue;
        }
        i += 1;
        if f.get(i) == Some(&b'%') {
            add(ctx.lua(), &mut out, b"%")?;
            i += 1;
            continue;
        }
        arg += 1;
        if arg > top {
            return Err(ctx.arg_error(arg, "no value"));
        }
        let (spec, ci) = match scan_format(&f, i) {
            Ok(r) => r,
            Err(msg) => return Err(ctx.error(msg.as_bytes())),
        };
        let conv = f.get(ci).copied().unwrap_or(0);
        i = ci + 1;
        item.clear();
        match conv {
            b'c' => {
                let n = ctx.check_number(arg)?;
                format_char(&spec, double_to_int(n) as f64, &mut item);
            }
            b'd' | b'i' | b'o' | b'u' | b'x' | b'X' => {
                let n = ctx.check_number(arg)?;
                format_int(&spec, conv, n, &mut item);
            }
            b'e' | b'E' | b'f' | b'g' | b'G' => {
                let n = ctx.check_number(arg)?;
                format_float(&spec, conv, n, &mut item);
            }
            b'q' => {
                let s = ctx.check_bytes(arg)?;
                let s = ctx.lua_ref().str_rc(s);
                reserve_memory(ctx.lua(), s.len() * 2)?;
                add_quoted(&mut item, &s);
                add(ctx.lua(), &mut out, &item)?;
                continue;
            }
            b's' => {
                let s = ctx.check_bytes(arg)?;
                let s = ctx.lua_ref().str_rc(s);
                if spec.precision.is_none() && s.len() >= 100 {
                    // Too long to format: kept whole, as lstrlib does.
                    add(ctx.lua(), &mut out, &s)?;
                    continue;
                }
                format_str(&spec, &s, &mut item);
            }
            _ => {
                // "%c" of the option: a NUL prints as nothing.
                let mut msg = b"invalid option '%".to_vec();
                if conv != 0 {
                    msg.push(conv);
                }
                msg.extend_from_slice(b"' to 'format'");
                return Err(ctx.error(&msg));
            }
        }
        // The item is a C string: it ends at its first NUL (strlen).
        let end = item.iter().position(|&c| c == 0).unwrap_or(item.len());
        add(ctx.lua(), &mut out, &item[..end])?;
    }
    ctx.push_bytes(&out)?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_format_limits() {
        assert_eq!(scan_format(b"-+ #0d", 0).map(|r| r.1), Ok(5));
        assert_eq!(scan_format(b"-+ #0-d", 0), Err("invalid format (repeated flags)"));
        assert_eq!(scan_format(b"123d", 0), Err("invalid format (width or precision too long)"));
        assert_eq!(scan_format(b"12.345f", 0), Err("invalid format (width or precision too long)"));
        let (spec, i) = scan_format(b"-12.3f", 0).unwrap();
        assert_eq!((spec.minus, spec.width, spec.precision, i), (true, 12, Some(3), 5));
        let (spec, _) = scan_format(b".f", 0).unwrap();
        assert_eq!(spec.precision, Some(0));
    }

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        add_quoted(&mut out, b"a\0\r\n\"\\");
        assert_eq!(out, b"\"a\\000\\r\\\n\\\"\\\\\"");
    }
}
