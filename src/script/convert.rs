//! Conversions between replies and Lua values, as Redis 7.0's
//! `redisProtocolToLuaType` (a command's reply, inside `redis.call`) and
//! `luaReplyToRedisReply` (the script's return value).
//!
//! A command's reply reaches Lua as its script client would read it: in
//! RESP2 (the default) maps are flat arrays, sets arrays, doubles bulk
//! strings, booleans integers and nulls `false`; after `redis.setresp(3)`
//! they become `{map=...}`, `{set=...}`, `{double=n}`, booleans and `nil`.

use alloc::vec::Vec;

use redlet_lua::api::Lua;
use redlet_lua::value::{LuaError, TableRef, Value};

use crate::engine::Engine;
use crate::error::Error;
use crate::num;
use crate::reply::Reply;

// Every table starts empty and grows as Redis's `lua_newtable` +
// `lua_settable` make it grow: a table's layout, and so the order `pairs`
// walks it in, depends on its growth, and scripts see that order.

/// How deep a returned table may nest before the conversion stops with
/// Redis's "reached lua stack limit" (Redis runs out of Lua stack at about
/// this depth; the limit keeps a self-referencing table from recursing
/// forever).
const MAX_DEPTH: usize = 1000;

/// A command's reply as the Lua value `redis.call` returns (an error reply
/// becomes the `{err=...}` table; the caller decides whether to raise it).
pub(crate) fn reply_to_lua(lua: &mut Lua<Engine>, r: &Reply, resp3: bool) -> Result<Value, LuaError> {
    Ok(match r {
        Reply::Status(s) => single_field(lua, b"ok", s.as_bytes())?,
        Reply::Error(e) => {
            // As the script client reads it off the wire: "-CODE message".
            let mut text = e.to_bytes();
            text.insert(0, b'-');
            error_table(lua, &text, true)?
        }
        Reply::Int(n) => Value::Number(*n as f64),
        Reply::Bulk(b) => Value::String(lua.new_string(b)),
        Reply::Nil | Reply::NilArray => {
            if resp3 {
                Value::Nil
            } else {
                Value::Boolean(false)
            }
        }
        Reply::Array(items) | Reply::Push(items) => array(lua, items, resp3)?,
        Reply::Set(items) if resp3 => {
            let inner = lua.new_table(0, 0);
            for it in items {
                let k = reply_to_lua(lua, it, resp3)?;
                lua.raw_set(inner, k, Value::Boolean(true))?;
            }
            wrap(lua, b"set", Value::Table(inner))?
        }
        Reply::Set(items) => array(lua, items, resp3)?,
        Reply::Map(pairs) if resp3 => {
            let inner = lua.new_table(0, 0);
            for (k, v) in pairs {
                let k = reply_to_lua(lua, k, resp3)?;
                let v = reply_to_lua(lua, v, resp3)?;
                lua.raw_set(inner, k, v)?;
            }
            wrap(lua, b"map", Value::Table(inner))?
        }
        Reply::Map(pairs) => {
            let t = lua.new_table(0, 0);
            let mut i = 1.0;
            for (k, v) in pairs {
                let k = reply_to_lua(lua, k, resp3)?;
                lua.raw_set(t, Value::Number(i), k)?;
                let v = reply_to_lua(lua, v, resp3)?;
                lua.raw_set(t, Value::Number(i + 1.0), v)?;
                i += 2.0;
            }
            Value::Table(t)
        }
        Reply::Double(d) if resp3 => wrap(lua, b"double", Value::Number(*d))?,
        Reply::Double(d) => Value::String(lua.new_string(num::fmt_double_reply(*d).as_bytes())),
        Reply::DoubleText(t) if resp3 => {
            let d = num::parse_f64(t).unwrap_or(0.0);
            wrap(lua, b"double", Value::Number(d))?
        }
        Reply::DoubleText(t) => Value::String(lua.new_string(t)),
        Reply::Bool(b) if resp3 => Value::Boolean(*b),
        Reply::Bool(b) => Value::Number(*b as u8 as f64),
        Reply::Verbatim(fmt, s) if resp3 => {
            let inner = lua.new_table(0, 0);
            let k = lua.new_string(b"string");
            let v = lua.new_string(s);
            lua.raw_set(inner, Value::String(k), Value::String(v))?;
            let k = lua.new_string(b"format");
            let v = lua.new_string(fmt.as_bytes());
            lua.raw_set(inner, Value::String(k), Value::String(v))?;
            wrap(lua, b"verbatim_string", Value::Table(inner))?
        }
        Reply::Verbatim(_, s) => Value::String(lua.new_string(s)),
        // Never for the script client (not a RESP connection's): the bytes.
        Reply::Encoded(b) => Value::String(lua.new_string(b)),
        Reply::BigNumber(t) if resp3 => {
            let v = Value::String(lua.new_string(t));
            wrap(lua, b"big_number", v)?
        }
        Reply::BigNumber(t) => Value::String(lua.new_string(t)),
        // Several replies (a command that answers more than once): scripts
        // cannot run those (SUBSCRIBE is refused); the last one stands.
        Reply::Seq(items) => match items.last() {
            Some(r) => reply_to_lua(lua, r, resp3)?,
            None => Value::Nil,
        },
    })
}

fn array(lua: &mut Lua<Engine>, items: &[Reply], resp3: bool) -> Result<Value, LuaError> {
    let t = lua.new_table(0, 0);
    for (i, it) in items.iter().enumerate() {
        let v = reply_to_lua(lua, it, resp3)?;
        lua.raw_set(t, Value::Number((i + 1) as f64), v)?;
    }
    Ok(Value::Table(t))
}

fn wrap(lua: &mut Lua<Engine>, field: &[u8], v: Value) -> Result<Value, LuaError> {
    let t = lua.new_table(0, 0);
    let k = lua.new_string(field);
    lua.raw_set(t, Value::String(k), v)?;
    Ok(Value::Table(t))
}

fn single_field(lua: &mut Lua<Engine>, field: &[u8], s: &[u8]) -> Result<Value, LuaError> {
    let v = Value::String(lua.new_string(s));
    wrap(lua, field, v)
}

/// Redis's `luaPushErrorBuff`: `{err="CODE message"}` from an error text
/// with or without its leading `-` (no code: `ERR`), trailing CR/LF
/// trimmed; `ignore_stats` adds `ignore_error_stats_update=true` (the error
/// was counted when the command ran).
pub(crate) fn error_table(lua: &mut Lua<Engine>, text: &[u8], ignore_stats: bool) -> Result<Value, LuaError> {
    let mut out = Vec::with_capacity(text.len() + 4);
    match text.strip_prefix(b"-") {
        Some(rest) => match rest.iter().position(|&b| b == b' ') {
            Some(sp) => {
                out.extend_from_slice(&rest[..sp]);
                out.push(b' ');
                out.extend_from_slice(trim_crlf(&rest[sp + 1..]));
            }
            None => {
                out.extend_from_slice(b"ERR ");
                out.extend_from_slice(trim_crlf(rest));
            }
        },
        None => {
            out.extend_from_slice(b"ERR ");
            out.extend_from_slice(trim_crlf(text));
        }
    }
    let t = wrap(lua, b"err", Value::Nil)?;
    let Value::Table(tr) = t else { return Ok(t) };
    let k = lua.new_string(b"err");
    let v = lua.new_string(&out);
    lua.raw_set(tr, Value::String(k), Value::String(v))?;
    if ignore_stats {
        let k = lua.new_string(b"ignore_error_stats_update");
        lua.raw_set(tr, Value::String(k), Value::Boolean(true))?;
    }
    Ok(t)
}

/// `sdstrim(msg, "\r\n")`: strips CR and LF from both ends.
fn trim_crlf(mut s: &[u8]) -> &[u8] {
    while let [b'\r' | b'\n', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b'\r' | b'\n'] = s {
        s = rest;
    }
    s
}

/// A field of a table by string key, without metamethods (`lua_rawget`).
fn field(lua: &mut Lua<Engine>, t: TableRef, name: &[u8]) -> Value {
    let k = lua.new_string(name);
    lua.raw_get(t, Value::String(k))
}

/// The bytes before the first NUL (a C string's view of them).
fn until_nul(s: &[u8]) -> &[u8] {
    s.iter().position(|&b| b == 0).map_or(s, |i| &s[..i])
}

/// `\r` and `\n` become spaces (Redis's `sdsmapchars` on status and big
/// number replies, which cannot hold line breaks).
fn no_newlines(s: &[u8]) -> Vec<u8> {
    s.iter().map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }).collect()
}

/// The script's return value as the reply to its caller
/// (`luaReplyToRedisReply`). `resp3` is the script client's protocol
/// (`redis.setresp`), which decides how booleans convert.
pub(crate) fn lua_to_reply(lua: &mut Lua<Engine>, v: Value, resp3: bool) -> Reply {
    to_reply(lua, v, resp3, 0)
}

fn to_reply(lua: &mut Lua<Engine>, v: Value, resp3: bool, depth: usize) -> Reply {
    if depth > MAX_DEPTH {
        return Reply::Error(Error::err("reached lua stack limit"));
    }
    match v {
        Value::String(s) => Reply::Bulk(lua.str_bytes(s).to_vec()),
        Value::Boolean(b) if resp3 => Reply::Bool(b),
        Value::Boolean(true) => Reply::Int(1),
        Value::Boolean(false) => Reply::Nil,
        // Redis's `(long long)` cast as x86-64 does it: out of range and
        // NaN give i64::MIN (`return 1/0` replies -9223372036854775808).
        Value::Number(n) => Reply::Int(redlet_lua::number::double_to_long(n)),
        Value::Table(t) => table_to_reply(lua, t, resp3, depth),
        _ => Reply::Nil,
    }
}

fn table_to_reply(lua: &mut Lua<Engine>, t: TableRef, resp3: bool, depth: usize) -> Reply {
    // Redis copies both with C string functions: they end at a NUL.
    if let Value::String(s) = field(lua, t, b"err") {
        let msg = until_nul(lua.str_bytes(s)).to_vec();
        return Reply::Error(Error::msg(msg));
    }
    if let Value::String(s) = field(lua, t, b"ok") {
        return Reply::Status(alloc::string::String::from_utf8_lossy(&no_newlines(until_nul(lua.str_bytes(s)))).into_owned().into());
    }
    if let Value::Number(d) = field(lua, t, b"double") {
        return Reply::Double(d);
    }
    if let Value::String(s) = field(lua, t, b"big_number") {
        return Reply::BigNumber(no_newlines(lua.str_bytes(s)));
    }
    if let Value::Table(vt) = field(lua, t, b"verbatim_string") {
        if let (Value::String(f), Value::String(s)) = (field(lua, vt, b"format"), field(lua, vt, b"string")) {
            let fmt = lua.str_bytes(f).to_vec();
            // The reply carries one of the formats Redis itself sends.
            let fmt = if fmt.as_slice() == b"mkd" { "mkd" } else { "txt" };
            return Reply::Verbatim(fmt, lua.str_bytes(s).to_vec());
        }
    }
    if let Value::Table(m) = field(lua, t, b"map") {
        let mut pairs = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((nk, nv))) = lua.next(m, k) {
            let rk = to_reply(lua, nk, resp3, depth + 1);
            let rv = to_reply(lua, nv, resp3, depth + 1);
            pairs.push((rk, rv));
            k = nk;
        }
        return Reply::Map(pairs);
    }
    if let Value::Table(s) = field(lua, t, b"set") {
        let mut items = Vec::new();
        let mut k = Value::Nil;
        while let Ok(Some((nk, _))) = lua.next(s, k) {
            items.push(to_reply(lua, nk, resp3, depth + 1));
            k = nk;
        }
        return Reply::Set(items);
    }
    let mut items = Vec::new();
    let mut i = 1.0;
    loop {
        let v = lua.raw_get(t, Value::Number(i));
        if v.is_nil() {
            break;
        }
        items.push(to_reply(lua, v, resp3, depth + 1));
        i += 1.0;
    }
    Reply::Array(items)
}
