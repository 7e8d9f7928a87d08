//! The `cmsgpack` library Redis embeds (lua_cmsgpack.c, lua-cmsgpack 0.4.0):
//! MessagePack `pack`, `unpack`, `unpack_one` and `unpack_limit`.
//!
//! Encoding ([`Encoder`]) follows lua_cmsgpack.c byte for byte: numbers that
//! survive a round trip through `int64_t` are integers in the smallest
//! format, other numbers are a float32 when that is exact and a float64
//! otherwise; strings are str8/16/32 (fixstr below 32 bytes); tables are
//! arrays when their keys are exactly 1..n, maps otherwise; tables nested
//! 16 deep encode as nil (the original's guard against cycles).
//!
//! Decoding ([`decode`]) is iterative, so hostile input cannot overflow the
//! Rust stack, and it reproduces the C version's Lua stack checks
//! (`luaL_checkstack`, LUAI_MAXCSTACK = 8000 slots): more than ~8000 results,
//! or arrays nested ~4000 deep, fail with the same "stack overflow (...)"
//! messages. Values are built through the [`Builder`] trait so the decoder
//! does not depend on the runtime.

use alloc::vec::Vec;

/// Tables nested this deep are encoded as nil (LUACMSGPACK_MAX_NESTING).
pub const MAX_NESTING: usize = 16;
/// Lua 5.1's LUAI_MAXCSTACK: the most stack slots a C function may use.
pub const MAX_C_STACK: usize = 8000;

/// Appends MessagePack encodings to a byte buffer.
#[derive(Default)]
pub struct Encoder {
    /// The bytes written so far.
    pub buf: Vec<u8>,
}

impl Encoder {
    /// `mp_encode_bytes`: a string header (fixstr, str8, str16, str32) and
    /// the bytes.
    pub fn bytes(&mut self, s: &[u8]) {
        let len = s.len();
        if len < 32 {
            self.buf.push(0xa0 | len as u8);
        } else if len <= 0xff {
            self.buf.extend_from_slice(&[0xd9, len as u8]);
        } else if len <= 0xffff {
            self.buf.push(0xda);
            self.buf.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            self.buf.push(0xdb);
            // The C code writes the low 32 bits of the length.
            self.buf.extend_from_slice(&(len as u32).to_be_bytes());
        }
        self.buf.extend_from_slice(s);
    }

    /// `mp_encode_lua_number`: an integer when `(int64_t)n == n` (and `n`
    /// is finite), else [`Encoder::double`].
    pub fn number(&mut self, n: f64) {
        let i = crate::number::double_to_long(n);
        if !n.is_infinite() && i as f64 == n {
            self.int(i);
        } else {
            self.double(n);
        }
    }

    /// `mp_encode_double`: float32 when the double converts exactly.
    pub fn double(&mut self, d: f64) {
        let f = d as f32;
        if f as f64 == d {
            self.buf.push(0xca);
            self.buf.extend_from_slice(&f.to_bits().to_be_bytes());
        } else {
            self.buf.push(0xcb);
            self.buf.extend_from_slice(&d.to_bits().to_be_bytes());
        }
    }

    /// `mp_encode_int`: the smallest integer format.
    pub fn int(&mut self, n: i64) {
        let b = &mut self.buf;
        if n >= 0 {
            if n <= 127 {
                b.push(n as u8);
            } else if n <= 0xff {
                b.extend_from_slice(&[0xcc, n as u8]);
            } else if n <= 0xffff {
                b.push(0xcd);
                b.extend_from_slice(&(n as u16).to_be_bytes());
            } else if n <= 0xffff_ffff {
                b.push(0xce);
                b.extend_from_slice(&(n as u32).to_be_bytes());
            } else {
                b.push(0xcf);
                b.extend_from_slice(&(n as u64).to_be_bytes());
            }
        } else if n >= -32 {
            b.push(n as i8 as u8);
        } else if n >= -128 {
            b.extend_from_slice(&[0xd0, n as i8 as u8]);
        } else if n >= -32768 {
            b.push(0xd1);
            b.extend_from_slice(&(n as i16).to_be_bytes());
        } else if n >= -2147483648 {
            b.push(0xd2);
            b.extend_from_slice(&(n as i32).to_be_bytes());
        } else {
            b.push(0xd3);
            b.extend_from_slice(&n.to_be_bytes());
        }
    }

    /// `mp_encode_array`: an array header for `n` elements.
    pub fn array_header(&mut self, n: u64) {
        self.container_header(n, 0x90, 0xdc);
    }

    /// `mp_encode_map`: a map header for `n` pairs.
    pub fn map_header(&mut self, n: u64) {
        self.container_header(n, 0x80, 0xde);
    }

    fn container_header(&mut self, n: u64, fix: u8, tag16: u8) {
        if n <= 15 {
            self.buf.push(fix | n as u8);
        } else if n <= 65535 {
            self.buf.push(tag16);
            self.buf.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.buf.push(tag16 + 1);
            self.buf.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }

    /// A boolean.
    pub fn boolean(&mut self, b: bool) {
        self.buf.push(if b { 0xc3 } else { 0xc2 });
    }

    /// nil (also what functions and other unsupported values encode as).
    pub fn nil(&mut self) {
        self.buf.push(0xc0);
    }
}

/// What a table walk needs to decide between array and map:
/// `table_is_an_array` over the keys in `next` order. `key_numbers` yields
/// `Some(n)` for a number key and `None` for any other key.
pub fn keys_form_array(keys: impl IntoIterator<Item = Option<f64>>) -> bool {
    let mut count: i32 = 0;
    let mut max: i32 = 0;
    for k in keys {
        match k {
            // IS_INT_EQUIVALENT: (int)n == n, with x86's int conversion.
            Some(n) if n > 0.0 && !n.is_infinite() && crate::number::double_to_int(n) as f64 == n => {
                let n = n as i32;
                if n > max {
                    max = n;
                }
                count = count.wrapping_add(1);
            }
            _ => return false,
        }
    }
    max == count
}

/// Builds Lua values for the decoder. `Val` is a value handle (`Copy`).
pub trait Builder {
    /// A value.
    type Val: Copy;
    /// The runtime's error (memory, "table index is nil", ...).
    type Err;
    /// `nil`.
    fn nil(&mut self) -> Self::Val;
    /// A boolean.
    fn boolean(&mut self, b: bool) -> Self::Val;
    /// A number.
    fn number(&mut self, n: f64) -> Self::Val;
    /// A string.
    fn string(&mut self, s: &[u8]) -> Result<Self::Val, Self::Err>;
    /// A new empty table (`lua_newtable`).
    fn table(&mut self) -> Result<Self::Val, Self::Err>;
    /// `t[k] = v` (`lua_settable` on a fresh table: raw, nil/NaN keys fail).
    fn set(&mut self, t: Self::Val, k: Self::Val, v: Self::Val) -> Result<(), Self::Err>;
}

/// Why [`decode`] failed.
#[derive(Debug, PartialEq)]
pub enum DecodeError<E> {
    /// A message for `luaL_error` (prefixed with the caller's position).
    Msg(&'static str),
    /// The builder failed (its error as is).
    Builder(E),
}

/// What [`decode`] returns: the values and how many input bytes remain.
pub type Decoded<V> = (Vec<V>, usize);

/// An open container while decoding.
enum Frame<V> {
    Array { t: V, next: u64, left: u64 },
    Map { t: V, key: Option<V>, left: u64 },
}

/// Decodes up to `limit` top-level values (`None`: all) from `data`
/// starting at `offset`, as `mp_unpack_full`. `base_slots` is how many
/// stack slots the call already uses (its arguments). Returns the values
/// and how many input bytes remain unread.
pub fn decode<B: Builder>(
    b: &mut B,
    data: &[u8],
    offset: usize,
    limit: Option<u64>,
    base_slots: usize,
) -> Result<Decoded<B::Val>, DecodeError<B::Err>> {
    let mut pos = offset;
    let mut out: Vec<B::Val> = Vec::new();
    let limit = limit.unwrap_or(i32::MAX as u64);
    let mut frames: Vec<Frame<B::Val>> = Vec::new();
    // Lua stack slots in use, as the C code would have them.
    let mut sp = base_slots;
    while pos < data.len() && (out.len() as u64) < limit {
        // Decode one top-level value, iteratively.
        loop {
            // mp_cur_need(c, 1), then luaL_checkstack(L, 1, ...).
            let Some(&tag) = data.get(pos) else {
                return Err(DecodeError::Msg("Missing bytes in input."));
            };
            if sp + 1 > MAX_C_STACK {
                return Err(DecodeError::Msg(
                    "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)",
                ));
            }
            let need = |n: usize| -> Result<&[u8], DecodeError<B::Err>> {
                data.get(pos..pos + n).ok_or(DecodeError::Msg("Missing bytes in input."))
            };
            let be = |s: &[u8]| s.iter().fold(0u64, |a, &c| (a << 8) | c as u64);
            // Either a finished scalar, or a container header (count, is_map).
            let mut container: Option<(u64, bool)> = None;
            let value = match tag {
                0xcc..=0xcf => {
                    let n = 1 << (tag - 0xcc);
                    let v = be(need(1 + n)?.get(1..).unwrap_or(&[]));
                    pos += 1 + n;
                    // lua_pushunsigned is lua_pushinteger on 64-bit: a
                    // uint64 above 2^63 turns negative.
                    Some(b.number(v as i64 as f64))
                }
                0xd0..=0xd3 => {
                    let n = 1 << (tag - 0xd0);
                    let v = be(need(1 + n)?.get(1..).unwrap_or(&[]));
                    pos += 1 + n;
                    let shift = 64 - 8 * n as u32;
                    Some(b.number(((v << shift) as i64 >> shift) as f64))
                }
                0xc0 => {
                    pos += 1;
                    Some(b.nil())
                }
                0xc2 | 0xc3 => {
                    pos += 1;
                    Some(b.boolean(tag == 0xc3))
                }
                0xca => {
                    let v = be(need(5)?.get(1..).unwrap_or(&[]));
                    pos += 5;
                    Some(b.number(f32::from_bits(v as u32) as f64))
                }
                0xcb => {
                    let v = be(need(9)?.get(1..).unwrap_or(&[]));
                    pos += 9;
                    Some(b.number(f64::from_bits(v)))
                }
                0xd9..=0xdb => {
                    let n = 1 << (tag - 0xd9);
                    let l = be(need(1 + n)?.get(1..).unwrap_or(&[])) as usize;
                    let s = data.get(pos + 1 + n..).and_then(|r| r.get(..l));
                    let s = s.ok_or(DecodeError::Msg("Missing bytes in input."))?;
                    pos += 1 + n + l;
                    Some(b.string(s).map_err(DecodeError::Builder)?)
                }
                0xdc..=0xdf => {
                    let n = if tag & 1 == 0 { 2 } else { 4 };
                    let l = be(need(1 + n)?.get(1..).unwrap_or(&[]));
                    pos += 1 + n;
                    container = Some((l, tag >= 0xde));
                    None
                }
                _ if tag & 0x80 == 0 => {
                    pos += 1;
                    Some(b.number(tag as f64))
                }
                _ if tag & 0xe0 == 0xe0 => {
                    pos += 1;
                    Some(b.number(tag as i8 as f64))
                }
                _ if tag & 0xe0 == 0xa0 => {
                    let l = (tag & 0x1f) as usize;
                    let s = need(1 + l)?.get(1..).unwrap_or(&[]);
                    pos += 1 + l;
                    Some(b.string(s).map_err(DecodeError::Builder)?)
                }
                _ if tag & 0xf0 == 0x90 || tag & 0xf0 == 0x80 => {
                    pos += 1;
                    container = Some(((tag & 0xf) as u64, tag & 0xf0 == 0x80));
                    None
                }
                _ => return Err(DecodeError::Msg("Bad data format in input.")),
            };
            let mut value = match (value, container) {
                (Some(v), _) => v,
                (None, Some((len, is_map))) => {
                    let t = b.table().map_err(DecodeError::Builder)?;
                    sp += 1;
                    if !is_map {
                        // luaL_checkstack(L, 1, "in function mp_decode_to_lua_array")
                        if sp + 1 > MAX_C_STACK {
                            return Err(DecodeError::Msg("stack overflow (in function mp_decode_to_lua_array)"));
                        }
                    }
                    if len > 0 {
                        if is_map {
                            frames.push(Frame::Map { t, key: None, left: len });
                        } else {
                            frames.push(Frame::Array { t, next: 1, left: len });
                            sp += 1; // the index pushed before each element
                        }
                        continue;
                    }
                    sp -= 1;
                    t
                }
                (None, None) => return Err(DecodeError::Msg("Bad data format in input.")),
            };
            // A value is complete: store it into the open containers,
            // closing those that are full.
            loop {
                match frames.last_mut() {
                    None => {
                        out.push(value);
                        sp += 1;
                        break;
                    }
                    Some(Frame::Array { t, next, left }) => {
                        let k = b.number(*next as f64);
                        b.set(*t, k, value).map_err(DecodeError::Builder)?;
                        *next += 1;
                        *left -= 1;
                        if *left > 0 {
                            break;
                        }
                        value = *t;
                        frames.pop();
                        sp -= 2;
                    }
                    Some(Frame::Map { t, key, left }) => match key.take() {
                        None => {
                            *key = Some(value);
                            sp += 1;
                            break;
                        }
                        Some(k) => {
                            b.set(*t, k, value).map_err(DecodeError::Builder)?;
                            sp -= 1;
                            *left -= 1;
                            if *left > 0 {
                                break;
                            }
                            value = *t;
                            frames.pop();
                            sp -= 1;
                        }
                    },
                }
            }
            if frames.is_empty() {
                break;
            }
        }
    }
    Ok((out, data.len() - pos.min(data.len())))
}

// ---------------------------------------------------------------------------
// Binding

use crate::api::{Ctx, Host, Lua, NativeFn};
use crate::value::{LuaError, Value};

/// Opens the `cmsgpack` library (global `cmsgpack`, as `luaopen_cmsgpack`).
pub fn open_cmsgpack<H: Host>(lua: &mut Lua<H>) {
    let t = lua.new_table(0, 8);
    let funcs: [(&str, NativeFn<H>); 4] =
        [("pack", mp_pack), ("unpack", mp_unpack), ("unpack_one", mp_unpack_one), ("unpack_limit", mp_unpack_limit)];
    for (name, f) in funcs {
        lua.register(t, name, f);
    }
    let fields: [(&[u8], &[u8]); 4] = [
        (b"_NAME", b"cmsgpack"),
        (b"_VERSION", b"lua-cmsgpack 0.4.0"),
        (b"_COPYRIGHT", b"Copyright (C) 2012, Salvatore Sanfilippo"),
        (b"_DESCRIPTION", b"MessagePack C implementation for Lua"),
    ];
    for (k, v) in fields {
        let (k, v) = (lua.new_string(k), lua.new_string(v));
        // String keys are never nil or NaN: these sets cannot fail.
        let _ = lua.raw_set(t, Value::String(k), Value::String(v));
    }
    let g = lua.globals();
    let k = lua.new_string(b"cmsgpack");
    let _ = lua.raw_set(g, Value::String(k), Value::Table(t));
}

/// `mp_encode_lua_type`: appends `v` (tables nested [`MAX_NESTING`] deep
/// become nil). Recursion is bounded by that depth.
fn encode_value<H: Host>(ctx: &mut Ctx<'_, H>, enc: &mut Encoder, v: Value, level: usize) -> Result<(), LuaError> {
    match v {
        Value::String(s) => {
            let n = ctx.str_bytes(s).len();
            crate::lib_string::reserve_memory(ctx.lua(), enc.buf.len() + n)?;
            enc.bytes(ctx.str_bytes(s));
        }
        Value::Boolean(b) => enc.boolean(b),
        Value::Number(n) => enc.number(n),
        Value::Table(t) if level < MAX_NESTING => {
            crate::lib_string::reserve_memory(ctx.lua(), enc.buf.len())?;
            // table_is_an_array: number keys 1..n without holes.
            let mut keys = Vec::new();
            let mut k = Value::Nil;
            while let Some((key, _)) = ctx.lua_ref().next(t, k)? {
                keys.push(key.as_number());
                k = key;
                if key.as_number().is_none() {
                    break;
                }
            }
            if keys_form_array(keys) {
                let len = ctx.lua_ref().raw_len(t);
                enc.array_header(len as u64);
                for j in 1..=len {
                    // C reads with lua_gettable, but every key 1..len is
                    // present (that is what made it an array), so `__index`
                    // never runs: a raw read gives the same value.
                    let item = ctx.lua_ref().raw_get_int(t, j as i64);
                    encode_value(ctx, enc, item, level + 1)?;
                }
            } else {
                let mut count = 0u64;
                let mut k = Value::Nil;
                while let Some((key, _)) = ctx.lua_ref().next(t, k)? {
                    count += 1;
                    k = key;
                }
                enc.map_header(count);
                let mut k = Value::Nil;
                while let Some((key, val)) = ctx.lua_ref().next(t, k)? {
                    encode_value(ctx, enc, key, level + 1)?;
                    encode_value(ctx, enc, val, level + 1)?;
                    k = key;
                }
            }
        }
        _ => enc.nil(),
    }
    Ok(())
}

fn mp_pack<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let nargs = ctx.nargs();
    if nargs == 0 {
        return Err(ctx.arg_error(0, "MessagePack pack needs input."));
    }
    let mut enc = Encoder::default();
    for i in 1..=nargs {
        let v = ctx.arg(i);
        encode_value(ctx, &mut enc, v, 0)?;
    }
    crate::lib_string::reserve_memory(ctx.lua(), enc.buf.len())?;
    ctx.push_bytes(&enc.buf)?;
    Ok(1)
}

/// Builds decoded values directly in the state.
struct LuaBuilder<'c, H>(&'c mut Lua<H>);

impl<H: Host> Builder for LuaBuilder<'_, H> {
    type Val = Value;
    type Err = LuaError;
    fn nil(&mut self) -> Value {
        Value::Nil
    }
    fn boolean(&mut self, b: bool) -> Value {
        Value::Boolean(b)
    }
    fn number(&mut self, n: f64) -> Value {
        Value::Number(n)
    }
    fn string(&mut self, s: &[u8]) -> Result<Value, LuaError> {
        crate::lib_string::check_memory(self.0, s.len())?;
        Ok(Value::String(self.0.new_string(s)))
    }
    fn table(&mut self) -> Result<Value, LuaError> {
        Ok(Value::Table(self.0.new_table(0, 0)))
    }
    fn set(&mut self, t: Value, k: Value, v: Value) -> Result<(), LuaError> {
        match t {
            Value::Table(t) => self.0.raw_set(t, k, v),
            _ => Ok(()),
        }
    }
}

/// `mp_unpack_full`: `limit` 0 and `offset` 0 decode everything and return
/// only the values; otherwise the next offset (-1 at the end) comes first.
fn unpack_full<H: Host>(ctx: &mut Ctx<'_, H>, limit: i64, offset: i64, base_slots: usize) -> Result<usize, LuaError> {
    let s = ctx.check_bytes(1)?;
    let data = ctx.lua_ref().str_rc(s);
    let len = data.len();
    let decode_all = limit == 0 && offset == 0;
    if offset < 0 || limit < 0 {
        let msg = alloc::format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32,
            len as i32
        );
        return Err(ctx.error(msg.as_bytes()));
    } else if offset as u64 > len as u64 {
        let msg = alloc::format!("Start offset {} greater than input length {}.", offset as i32, len as i32);
        return Err(ctx.error(msg.as_bytes()));
    }
    let limit = if decode_all { None } else { Some(limit as u64) };
    let r = decode(&mut LuaBuilder(ctx.lua()), &data, offset as usize, limit, base_slots);
    let (vals, left) = match r {
        Ok(v) => v,
        Err(DecodeError::Msg(m)) => return Err(ctx.error(m.as_bytes())),
        Err(DecodeError::Builder(e)) => return Err(e),
    };
    let mut n = vals.len();
    if !decode_all {
        let next = if left == 0 { -1.0 } else { (len - left) as f64 };
        ctx.push(Value::Number(next))?;
        n += 1;
    }
    for v in vals {
        ctx.push(v)?;
    }
    Ok(n)
}

fn mp_unpack<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let base = ctx.nargs().max(1);
    unpack_full(ctx, 0, 0, base)
}

fn mp_unpack_one<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let offset = ctx.opt_integer(2, 0)?;
    unpack_full(ctx, 1, offset, 1)
}

fn mp_unpack_limit<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let limit = ctx.check_integer(2)?;
    let offset = ctx.opt_integer(3, 0)?;
    unpack_full(ctx, limit, offset, 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec;

    /// A builder producing a debug text of the values.
    #[derive(Default)]
    struct Texts {
        tables: Vec<Vec<(usize, usize)>>,
        vals: Vec<String>,
    }
    impl Builder for Texts {
        type Val = usize;
        type Err = &'static str;
        fn nil(&mut self) -> usize {
            self.vals.push("nil".into());
            self.vals.len() - 1
        }
        fn boolean(&mut self, b: bool) -> usize {
            self.vals.push(alloc::format!("{b}"));
            self.vals.len() - 1
        }
        fn number(&mut self, n: f64) -> usize {
            self.vals.push(alloc::format!("{n}"));
            self.vals.len() - 1
        }
        fn string(&mut self, s: &[u8]) -> Result<usize, &'static str> {
            self.vals.push(alloc::format!("{:?}", String::from_utf8_lossy(s)));
            Ok(self.vals.len() - 1)
        }
        fn table(&mut self) -> Result<usize, &'static str> {
            self.tables.push(Vec::new());
            self.vals.push(alloc::format!("T{}", self.tables.len() - 1));
            Ok(self.vals.len() - 1)
        }
        fn set(&mut self, t: usize, k: usize, v: usize) -> Result<(), &'static str> {
            if self.vals[k] == "nil" {
                return Err("table index is nil");
            }
            let ti: usize = self.vals[t][1..].parse().unwrap();
            self.tables[ti].push((k, v));
            Ok(())
        }
    }
    impl Texts {
        fn show(&self, v: usize) -> String {
            let s = &self.vals[v];
            if let Some(ti) = s.strip_prefix('T') {
                let ti: usize = ti.parse().unwrap();
                let parts: Vec<String> =
                    self.tables[ti].iter().map(|&(k, v)| alloc::format!("{}={}", self.show(k), self.show(v))).collect();
                alloc::format!("{{{}}}", parts.join(","))
            } else {
                s.clone()
            }
        }
    }

    fn unpack(data: &[u8]) -> Result<Vec<String>, DecodeError<&'static str>> {
        let mut b = Texts::default();
        let (vals, _) = decode(&mut b, data, 0, None, 1)?;
        Ok(vals.iter().map(|&v| b.show(v)).collect())
    }

    fn enc(f: impl FnOnce(&mut Encoder)) -> Vec<u8> {
        let mut e = Encoder::default();
        f(&mut e);
        e.buf
    }

    #[test]
    fn encodings_match_redis() {
        // Bytes from redis-cli EVAL "return cmsgpack.pack(...)" on 7.0.15.
        assert_eq!(enc(|e| e.number(1.0)), [1]);
        assert_eq!(enc(|e| e.number(-1.0)), [0xff]);
        assert_eq!(enc(|e| e.number(-33.0)), [0xd0, 0xdf]);
        assert_eq!(enc(|e| e.number(200.0)), [0xcc, 200]);
        assert_eq!(enc(|e| e.number(65536.0)), [0xce, 0, 1, 0, 0]);
        assert_eq!(enc(|e| e.number(4294967296.0)), [0xcf, 0, 0, 0, 1, 0, 0, 0, 0]);
        assert_eq!(enc(|e| e.number(-2147483649.0)), [0xd3, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff]);
        assert_eq!(enc(|e| e.number(1.5)), [0xca, 0x3f, 0xc0, 0, 0]);
        assert_eq!(enc(|e| e.number(0.1)), [0xcb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]);
        assert_eq!(enc(|e| e.number(f64::INFINITY)), [0xca, 0x7f, 0x80, 0, 0]);
        assert_eq!(enc(|e| e.number(-0.0)), [0]);
        assert_eq!(enc(|e| e.number(9223372036854775808.0)), [0xca, 0x5f, 0, 0, 0]);
        assert_eq!(enc(|e| e.bytes(&[b'x'; 32]))[..2], [0xd9, 32]);
        assert_eq!(enc(|e| e.bytes(&[b'x'; 256]))[..3], [0xda, 1, 0]);
        assert_eq!(enc(|e| e.array_header(16)), [0xdc, 0, 16]);
        assert_eq!(enc(|e| e.map_header(70000)), [0xdf, 0, 1, 0x11, 0x70]);
        assert!(keys_form_array([Some(2.0), Some(1.0)]));
        assert!(!keys_form_array([Some(1.0), Some(3.0)]));
        assert!(!keys_form_array([Some(1.0), None]));
        assert!(keys_form_array([]));
    }

    #[test]
    fn decoding_matches_redis() {
        assert_eq!(unpack(&[0x92, 1, 0xa1, b'x']), Ok(vec!["{1=1,2=\"x\"}".into()]));
        assert_eq!(unpack(&[0x81, 0xa1, b'k', 0xc3, 5]), Ok(vec!["{\"k\"=true}".into(), "5".into()]));
        assert_eq!(unpack(&[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), Ok(vec!["-1".into()]));
        assert_eq!(unpack(&[0xd1, 0xff, 0xfe]), Ok(vec!["-2".into()]));
        assert_eq!(unpack(&[0x90, 0x80]), Ok(vec!["{}".into(), "{}".into()]));
        assert_eq!(unpack(&[]), Ok(vec![]));
        assert_eq!(unpack(&[0x81, 0xc0, 1]), Err(DecodeError::Builder("table index is nil")));
        assert_eq!(unpack(&[0xc1]), Err(DecodeError::Msg("Bad data format in input.")));
        assert_eq!(unpack(&[0x92, 1]), Err(DecodeError::Msg("Missing bytes in input.")));
        assert_eq!(unpack(&[0xd9, 5, b'a']), Err(DecodeError::Msg("Missing bytes in input.")));
        let mut deep = vec![0x91; 5000];
        deep.push(1);
        assert_eq!(unpack(&deep), Err(DecodeError::Msg("stack overflow (in function mp_decode_to_lua_array)")));
        let mut ok = vec![0x91; 3999];
        ok.push(1);
        assert!(unpack(&ok).is_ok());
        let mut not_ok = vec![0x91; 4000];
        not_ok.push(1);
        assert!(unpack(&not_ok).is_err());
        assert_eq!(
            unpack(&[1; 9000]),
            Err(DecodeError::Msg(
                "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)"
            ))
        );
        assert_eq!(unpack(&[1; 7999]).map(|v| v.len()), Ok(7999));
        let mut b = Texts::default();
        let (vals, left) = decode(&mut b, &[1, 2, 3], 1, Some(1), 1).unwrap();
        assert_eq!((vals.len(), left), (1, 1));
    }
}
