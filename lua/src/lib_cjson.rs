//! The `cjson` library Redis embeds (lua_cjson.c 2.1.0 with strbuf.c and
//! fpconv.c): `cjson.encode`, `cjson.decode` and their settings.
//!
//! Both directions are iterative with explicit stacks, so nesting depth is
//! bounded by the configured limits (`encode_max_depth`,
//! `decode_max_depth`, default 1000) and by the C original's Lua stack
//! checks (LUAI_MAXCSTACK = 8000 slots), never by the Rust stack. Every error
//! text is lua_cjson.c's ("Expected value but found invalid token at
//! character 1", "Cannot serialise table: excessively sparse array", ...).
//!
//! The encoder walks values through [`EncodeSource`] (the runtime's `next`
//! order decides key order and which error comes first, as in C) and the
//! decoder builds values through [`Builder`], so this file does not depend on
//! the runtime's internals.

use alloc::format;
use alloc::vec::Vec;

use crate::number::{double_to_int, format_float, FormatSpec};

/// Lua 5.1's LUAI_MAXCSTACK: the most stack slots a C function may use.
const MAX_C_STACK: usize = 8000;

/// `encode_invalid_numbers` settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidNumbers {
    /// Refuse NaN and Inf ("must not be NaN or Inf"): the default.
    Off,
    /// Write them as printf does (`inf`, `-inf`), NaN as `nan`.
    On,
    /// Write them as `null`.
    Null,
}

/// One cjson module's settings (`json_config_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// `encode_sparse_array` convert: sparse arrays become objects instead of an error.
    pub sparse_convert: bool,
    /// `encode_sparse_array` ratio (0 = always allow sparse arrays).
    pub sparse_ratio: i32,
    /// `encode_sparse_array` safe: arrays up to this index are never "sparse".
    pub sparse_safe: i32,
    /// Maximum nesting when encoding.
    pub encode_max_depth: i32,
    /// Maximum nesting when decoding.
    pub decode_max_depth: i32,
    /// What to do with NaN and Inf when encoding.
    pub encode_invalid_numbers: InvalidNumbers,
    /// Whether decoding accepts `nan`, `inf`, hex and `+` numbers.
    pub decode_invalid_numbers: bool,
    /// `encode_keep_buffer` (kept for its return value; no effect here).
    pub encode_keep_buffer: bool,
    /// Significant digits of encoded numbers (1..=14, `%.14g` by default).
    pub encode_number_precision: i32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            sparse_convert: false,
            sparse_ratio: 2,
            sparse_safe: 10,
            encode_max_depth: 1000,
            decode_max_depth: 1000,
            encode_invalid_numbers: InvalidNumbers::Off,
            decode_invalid_numbers: true,
            encode_keep_buffer: true,
            encode_number_precision: 14,
        }
    }
}

/// `json_append_string`: `s` quoted, with cjson's escapes (`char2escape`:
/// control characters, `"`, `\\`, `/` and DEL; bytes above 0x7f are copied
/// as they are).
pub fn append_string(out: &mut Vec<u8>, s: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(s.len() + 2);
    out.push(b'"');
    for &c in s {
        let short: &[u8] = match c {
            0x08 => b"\\b",
            b'\t' => b"\\t",
            b'\n' => b"\\n",
            0x0c => b"\\f",
            b'\r' => b"\\r",
            b'"' => b"\\\"",
            b'/' => b"\\/",
            b'\\' => b"\\\\",
            0..=0x1f | 0x7f => {
                out.extend_from_slice(b"\\u00");
                out.push(HEX[(c >> 4) as usize]);
                out.push(HEX[(c & 15) as usize]);
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        out.extend_from_slice(short);
    }
    out.push(b'"');
}

/// `json_append_number`: `%.<precision>g`, or the invalid-number policy.
/// `Err` carries the reason for "Cannot serialise number: ...".
pub fn append_number(cfg: &Config, n: f64, out: &mut Vec<u8>) -> Result<(), &'static str> {
    match cfg.encode_invalid_numbers {
        InvalidNumbers::Off if !n.is_finite() => return Err("must not be NaN or Inf"),
        InvalidNumbers::On if n.is_nan() => {
            out.extend_from_slice(b"nan");
            return Ok(());
        }
        InvalidNumbers::Null if !n.is_finite() => {
            out.extend_from_slice(b"null");
            return Ok(());
        }
        _ => {}
    }
    let precision = cfg.encode_number_precision.clamp(1, 14) as usize;
    if precision == 14 {
        // The default: %.14g is exactly tostring's format, and its fast paths.
        crate::number::fmt_number(n, out);
    } else {
        let spec = FormatSpec { precision: Some(precision), ..FormatSpec::default() };
        format_float(&spec, b'g', n, out);
    }
    Ok(())
}

/// A value as the encoder sees it.
pub enum Kind<'a> {
    /// A string's bytes.
    Str(&'a [u8]),
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// `nil` or `cjson.null` (light userdata NULL): `null`.
    Null,
    /// A table.
    Table,
    /// Anything else (its type name, for "Cannot serialise function: ...").
    Other(&'static str),
}

/// A key and its value, as `lua_next` gives them.
pub type Pair<V> = (V, V);

/// How the encoder reads Lua values.
pub trait EncodeSource {
    /// A value handle.
    type Val: Copy;
    /// The runtime's error.
    type Err;
    /// What `v` is.
    fn kind(&self, v: Self::Val) -> Kind<'_>;
    /// `nil`, to start a `next` walk.
    fn nil(&self) -> Self::Val;
    /// `lua_next`: the pair after key `k` of table `t`.
    fn next(&mut self, t: Self::Val, k: Self::Val) -> Result<Option<Pair<Self::Val>>, Self::Err>;
    /// `lua_rawgeti(t, i)`.
    fn raw_geti(&mut self, t: Self::Val, i: i64) -> Self::Val;
    /// Called as the output grows: the runtime refuses output that would
    /// take it over its memory limit.
    fn check_size(&mut self, len: usize) -> Result<(), Self::Err> {
        let _ = len;
        Ok(())
    }
}

/// Why encoding failed.
#[derive(Debug, PartialEq)]
pub enum EncodeError<E> {
    /// A `luaL_error` message ("Cannot serialise ...").
    Msg(Vec<u8>),
    /// The source failed (e.g. `next` on a key that vanished).
    Source(E),
}

fn cannot<E>(type_name: &str, reason: &str) -> EncodeError<E> {
    EncodeError::Msg(format!("Cannot serialise {}: {}", type_name, reason).into_bytes())
}

/// `lua_array_length`: `Some(max)` to encode table `t` as an array of
/// `max` elements (`max` may be 0 or negative: then it is an object, as in C),
/// `None` for an object.
fn array_length<S: EncodeSource>(cfg: &Config, src: &mut S, t: S::Val) -> Result<Option<i32>, EncodeError<S::Err>> {
    let mut max: i32 = 0;
    let mut items: i32 = 0;
    let mut k = src.nil();
    while let Some((key, _)) = src.next(t, k).map_err(EncodeError::Source)? {
        k = key;
        match src.kind(key) {
            Kind::Num(n) if n != 0.0 && libm::floor(n) == n && n >= 1.0 => {
                if n > max as f64 {
                    max = double_to_int(n);
                }
                items = items.wrapping_add(1);
            }
            _ => return Ok(None),
        }
    }
    if cfg.sparse_ratio > 0 && max > items.wrapping_mul(cfg.sparse_ratio) && max > cfg.sparse_safe {
        if !cfg.sparse_convert {
            return Err(cannot("table", "excessively sparse array"));
        }
        return Ok(None);
    }
    Ok(Some(max))
}

/// An open table while encoding.
enum Open<V> {
    Array { t: V, i: i32, len: i32 },
    Object { t: V, key: V, first: bool },
}

/// `json_encode`: the JSON text of `v`.
pub fn encode<S: EncodeSource>(cfg: &Config, src: &mut S, v: S::Val) -> Result<Vec<u8>, EncodeError<S::Err>> {
    let mut out = Vec::new();
    let mut open: Vec<Open<S::Val>> = Vec::new();
    // Lua stack slots in use as the C encoder would have them: the argument,
    // then per open array the element, per open object its key and value.
    let mut sp = 1usize;
    let mut cur = v;
    loop {
        // Append `cur` (json_append_data).
        let mut descend = None;
        match src.kind(cur) {
            Kind::Str(s) => {
                let n = s.len();
                append_string(&mut out, s);
                if n > 4096 {
                    src.check_size(out.len()).map_err(EncodeError::Source)?;
                }
            }
            Kind::Num(n) => append_number(cfg, n, &mut out).map_err(|r| cannot("number", r))?,
            Kind::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Kind::Null => out.extend_from_slice(b"null"),
            Kind::Other(name) => return Err(cannot(name, "type not supported")),
            Kind::Table => {
                src.check_size(out.len()).map_err(EncodeError::Source)?;
                let depth = open.len() as i64 + 1;
                if depth > cfg.encode_max_depth as i64 || sp + 3 > MAX_C_STACK {
                    return Err(EncodeError::Msg(format!("Cannot serialise, excessive nesting ({})", depth).into_bytes()));
                }
                match array_length(cfg, src, cur)? {
                    Some(len) if len > 0 => {
                        out.push(b'[');
                        descend = Some(Open::Array { t: cur, i: 0, len });
                    }
                    _ => {
                        out.push(b'{');
                        descend = Some(Open::Object { t: cur, key: src.nil(), first: true });
                    }
                }
            }
        }
        if let Some(frame) = descend {
            sp += if matches!(frame, Open::Array { .. }) { 1 } else { 2 };
            open.push(frame);
        }
        // Find the next value to append, closing finished tables.
        loop {
            let Some(top) = open.last_mut() else {
                return Ok(out);
            };
            match top {
                Open::Array { t, i, len } => {
                    if *i < *len {
                        if *i > 0 {
                            out.push(b',');
                        }
                        *i += 1;
                        // A sparse array (ratio 0) can hold 2^31 nulls.
                        if *i & 0xfff == 0 {
                            let (t, i) = (*t, *i);
                            src.check_size(out.len()).map_err(EncodeError::Source)?;
                            cur = src.raw_geti(t, i as i64);
                            break;
                        }
                        cur = src.raw_geti(*t, *i as i64);
                        break;
                    }
                    out.push(b']');
                    open.pop();
                    sp -= 1;
                }
                Open::Object { t, key, first } => {
                    let (t, k) = (*t, *key);
                    match src.next(t, k).map_err(EncodeError::Source)? {
                        Some((k, val)) => {
                            if !*first {
                                out.push(b',');
                            }
                            *first = false;
                            *key = k;
                            match src.kind(k) {
                                Kind::Num(n) => {
                                    out.push(b'"');
                                    append_number(cfg, n, &mut out).map_err(|r| cannot("number", r))?;
                                    out.extend_from_slice(b"\":");
                                }
                                Kind::Str(s) => {
                                    append_string(&mut out, s);
                                    out.push(b':');
                                }
                                _ => {
                                    let name = match src.kind(k) {
                                        Kind::Bool(_) => "boolean",
                                        Kind::Table => "table",
                                        Kind::Other(n) => n,
                                        _ => "userdata",
                                    };
                                    return Err(cannot(name, "table key must be a number or string"));
                                }
                            }
                            cur = val;
                            break;
                        }
                        None => {
                            out.push(b'}');
                            open.pop();
                            sp -= 2;
                        }
                    }
                }
            }
        }
    }
}

/// Builds Lua values for the decoder. `Val` is a value handle (`Copy`).
pub trait Builder {
    /// A value.
    type Val: Copy;
    /// The runtime's error (memory).
    type Err;
    /// A string.
    fn string(&mut self, s: &[u8]) -> Result<Self::Val, Self::Err>;
    /// A number.
    fn number(&mut self, n: f64) -> Self::Val;
    /// A boolean.
    fn boolean(&mut self, b: bool) -> Self::Val;
    /// JSON `null`: `cjson.null`, the light userdata NULL.
    fn null(&mut self) -> Self::Val;
    /// A new empty table.
    fn table(&mut self) -> Result<Self::Val, Self::Err>;
    /// `t[k] = v`, raw (`lua_rawset` / `lua_rawseti`).
    fn set(&mut self, t: Self::Val, k: Self::Val, v: Self::Val) -> Result<(), Self::Err>;
}

/// Why decoding failed.
#[derive(Debug, PartialEq)]
pub enum DecodeError<E> {
    /// A `luaL_error` message ("Expected value but found ...").
    Msg(Vec<u8>),
    /// The builder failed.
    Builder(E),
}

/// A token (`json_token_t`): what it is and where it starts (0-based).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tok {
    ObjBegin,
    ObjEnd,
    ArrBegin,
    ArrEnd,
    Str,
    Num(f64),
    Bool(bool),
    Null,
    Colon,
    Comma,
    End,
    /// An error token with its description ("invalid token", ...).
    Error(&'static str),
}

impl Tok {
    /// `json_token_type_name`, or the error text.
    fn name(self) -> &'static str {
        match self {
            Tok::ObjBegin => "T_OBJ_BEGIN",
            Tok::ObjEnd => "T_OBJ_END",
            Tok::ArrBegin => "T_ARR_BEGIN",
            Tok::ArrEnd => "T_ARR_END",
            Tok::Str => "T_STRING",
            Tok::Num(_) => "T_NUMBER",
            Tok::Bool(_) => "T_BOOLEAN",
            Tok::Null => "T_NULL",
            Tok::Colon => "T_COLON",
            Tok::Comma => "T_COMMA",
            Tok::End => "T_END",
            Tok::Error(e) => e,
        }
    }
}

/// The tokenizer state (`json_parse_t`).
struct Parser<'a> {
    data: &'a [u8],
    ptr: usize,
    cfg: &'a Config,
    /// The decoded bytes of the last string token.
    tmp: Vec<u8>,
}

fn hexdigit(c: u8) -> Option<u32> {
    (c as char).to_digit(16)
}

impl Parser<'_> {
    /// The byte at `i`, 0 past the end (C's terminating NUL).
    fn at(&self, i: usize) -> u8 {
        self.data.get(i).copied().unwrap_or(0)
    }

    fn decode_hex4(&self, i: usize) -> Option<u32> {
        let mut v = 0;
        for k in 0..4 {
            v = (v << 4) | hexdigit(self.at(i + k))?;
        }
        Some(v)
    }

    /// `json_append_unicode_escape` at `\u`: appends UTF-8, advances.
    fn unicode_escape(&mut self) -> Option<()> {
        let mut cp = self.decode_hex4(self.ptr + 2)?;
        let mut len = 6;
        if cp & 0xf800 == 0xd800 {
            if cp & 0x400 != 0 {
                return None; // a low surrogate first
            }
            if self.at(self.ptr + 6) != b'\\' || self.at(self.ptr + 7) != b'u' {
                return None;
            }
            let low = self.decode_hex4(self.ptr + 8)?;
            if low & 0xfc00 != 0xdc00 {
                return None;
            }
            cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
            len = 12;
        }
        let t = &mut self.tmp;
        if cp <= 0x7f {
            t.push(cp as u8);
        } else if cp <= 0x7ff {
            t.extend_from_slice(&[(cp >> 6) as u8 | 0xc0, (cp & 0x3f) as u8 | 0x80]);
        } else if cp <= 0xffff {
            t.extend_from_slice(&[(cp >> 12) as u8 | 0xe0, ((cp >> 6) & 0x3f) as u8 | 0x80, (cp & 0x3f) as u8 | 0x80]);
        } else {
            t.extend_from_slice(&[
                (cp >> 18) as u8 | 0xf0,
                ((cp >> 12) & 0x3f) as u8 | 0x80,
                ((cp >> 6) & 0x3f) as u8 | 0x80,
                (cp & 0x3f) as u8 | 0x80,
            ]);
        }
        self.ptr += len;
        Some(())
    }

    /// `json_next_string_token` (ptr at the opening quote). Errors leave
    /// `ptr` where they happened, which becomes the token's position.
    fn string_token(&mut self) -> Tok {
        self.ptr += 1;
        self.tmp.clear();
        loop {
            let ch = self.at(self.ptr);
            if ch == b'"' {
                break;
            }
            if ch == 0 {
                return Tok::Error("unexpected end of string");
            }
            let mut out = ch;
            if ch == b'\\' {
                out = match self.at(self.ptr + 1) {
                    b'"' => b'"',
                    b'\\' => b'\\',
                    b'/' => b'/',
                    b'b' => 8,
                    b't' => b'\t',
                    b'n' => b'\n',
                    b'f' => 12,
                    b'r' => b'\r',
                    b'u' => {
                        if self.unicode_escape().is_some() {
                            continue;
                        }
                        return Tok::Error("invalid unicode escape code");
                    }
                    _ => return Tok::Error("invalid escape code"),
                };
                self.ptr += 1;
            }
            self.tmp.push(out);
            self.ptr += 1;
        }
        self.ptr += 1;
        Tok::Str
    }

    /// `json_is_invalid_number`: forms strtod takes but JSON does not.
    fn is_invalid_number(&self) -> bool {
        let mut p = self.ptr;
        if self.at(p) == b'+' {
            return true;
        }
        if self.at(p) == b'-' {
            p += 1;
        }
        let c = self.at(p);
        if c == b'0' {
            let c2 = self.at(p + 1);
            return (c2 | 0x20) == b'x' || c2.is_ascii_digit();
        } else if c <= b'9' {
            return false;
        }
        let rest = self.data.get(p..).unwrap_or(&[]);
        let ci = |w: &[u8]| rest.len() >= 3 && rest.iter().zip(w).all(|(a, b)| a.to_ascii_lowercase() == *b);
        ci(b"inf") || ci(b"nan")
    }

    fn number_token(&mut self) -> Tok {
        // strtod stops at the first byte that cannot continue a number; a
        // NUL (where C's string would end) is one of them.
        let rest = self.data.get(self.ptr..).unwrap_or(&[]);
        match crate::number::strtod_prefix(rest) {
            Some((v, len)) => {
                self.ptr += len;
                Tok::Num(v)
            }
            None => Tok::Error("invalid number"),
        }
    }

    /// `json_next_token`: the next token and its 0-based position.
    fn next_token(&mut self) -> (Tok, usize) {
        while matches!(self.at(self.ptr), b' ' | b'\t' | b'\n' | b'\r') {
            self.ptr += 1;
        }
        let index = self.ptr;
        let ch = self.at(self.ptr);
        let single = match ch {
            b'{' => Some(Tok::ObjBegin),
            b'}' => Some(Tok::ObjEnd),
            b'[' => Some(Tok::ArrBegin),
            b']' => Some(Tok::ArrEnd),
            b',' => Some(Tok::Comma),
            b':' => Some(Tok::Colon),
            _ => None,
        };
        if let Some(t) = single {
            self.ptr += 1;
            return (t, index);
        }
        if ch == 0 {
            return (Tok::End, index);
        }
        let rest = self.data.get(self.ptr..).unwrap_or(&[]);
        let tok = if !matches!(ch, b'f' | b'i' | b'I' | b'n' | b'N' | b't' | b'"' | b'+' | b'-' | b'0'..=b'9') {
            Tok::Error("invalid token")
        } else if ch == b'"' {
            self.string_token()
        } else if ch == b'-' || ch.is_ascii_digit() {
            if !self.cfg.decode_invalid_numbers && self.is_invalid_number() {
                Tok::Error("invalid number")
            } else {
                self.number_token()
            }
        } else if rest.starts_with(b"true") {
            self.ptr += 4;
            Tok::Bool(true)
        } else if rest.starts_with(b"false") {
            self.ptr += 5;
            Tok::Bool(false)
        } else if rest.starts_with(b"null") {
            self.ptr += 4;
            Tok::Null
        } else if self.cfg.decode_invalid_numbers && self.is_invalid_number() {
            self.number_token()
        } else {
            Tok::Error("invalid token")
        };
        // Error tokens report where the error was found.
        let index = if let Tok::Error(_) = tok { self.ptr } else { index };
        (tok, index)
    }
}

fn parse_error<E>(expected: &str, tok: (Tok, usize)) -> DecodeError<E> {
    DecodeError::Msg(format!("Expected {} but found {} at character {}", expected, tok.0.name(), tok.1 + 1).into_bytes())
}

/// An open container while decoding.
enum Frame<V> {
    Array { t: V, i: i64 },
    Object { t: V, key: V },
}

/// `json_decode`: the value of the JSON text `data`.
pub fn decode<B: Builder>(cfg: &Config, b: &mut B, data: &[u8]) -> Result<B::Val, DecodeError<B::Err>> {
    if data.len() >= 2 && (data[0] == 0 || data[1] == 0) {
        return Err(DecodeError::Msg(b"JSON parser does not support UTF-16 or UTF-32".to_vec()));
    }
    let mut p = Parser { data, ptr: 0, cfg, tmp: Vec::new() };
    let mut frames: Vec<Frame<B::Val>> = Vec::new();
    // Lua stack slots in use as in C: the argument, a table per open
    // container and a key per open object.
    let mut sp = 1usize;
    let mut tok = p.next_token();
    let result = 'value: loop {
        // json_process_value(tok)
        let mut v = match tok.0 {
            Tok::Str => b.string(&p.tmp).map_err(DecodeError::Builder)?,
            Tok::Num(n) => b.number(n),
            Tok::Bool(x) => b.boolean(x),
            Tok::Null => b.null(),
            Tok::ObjBegin | Tok::ArrBegin => {
                let is_obj = tok.0 == Tok::ObjBegin;
                let depth = frames.len() + 1;
                let slots = if is_obj { 3 } else { 2 };
                if depth as i64 > cfg.decode_max_depth as i64 || sp + slots > MAX_C_STACK {
                    return Err(DecodeError::Msg(
                        format!("Found too many nested data structures ({}) at character {}", depth, p.ptr).into_bytes(),
                    ));
                }
                let t = b.table().map_err(DecodeError::Builder)?;
                tok = p.next_token();
                let empty = if is_obj { Tok::ObjEnd } else { Tok::ArrEnd };
                if tok.0 == empty {
                    t
                } else if is_obj {
                    let key = object_key(&mut p, b, tok)?;
                    tok = p.next_token();
                    frames.push(Frame::Object { t, key });
                    sp += 2;
                    continue 'value;
                } else {
                    frames.push(Frame::Array { t, i: 1 });
                    sp += 1;
                    continue 'value;
                }
            }
            _ => return Err(parse_error("value", tok)),
        };
        // Store `v` in its container; close the containers that end here.
        loop {
            match frames.last_mut() {
                None => break 'value v,
                Some(Frame::Array { t, i }) => {
                    let k = b.number(*i as f64);
                    b.set(*t, k, v).map_err(DecodeError::Builder)?;
                    *i += 1;
                    tok = p.next_token();
                    if tok.0 == Tok::ArrEnd {
                        v = *t;
                        frames.pop();
                        sp -= 1;
                        continue;
                    }
                    if tok.0 != Tok::Comma {
                        return Err(parse_error("comma or array end", tok));
                    }
                    tok = p.next_token();
                    continue 'value;
                }
                Some(Frame::Object { t, key }) => {
                    let t = *t;
                    b.set(t, *key, v).map_err(DecodeError::Builder)?;
                    tok = p.next_token();
                    if tok.0 == Tok::ObjEnd {
                        v = t;
                        frames.pop();
                        sp -= 2;
                        continue;
                    }
                    if tok.0 != Tok::Comma {
                        return Err(parse_error("comma or object end", tok));
                    }
                    tok = p.next_token();
                    *key = object_key(&mut p, b, tok)?;
                    tok = p.next_token();
                    continue 'value;
                }
            }
        }
    };
    let end = p.next_token();
    if end.0 != Tok::End {
        return Err(parse_error("the end", end));
    }
    Ok(result)
}

/// An object key: a string token followed by a colon.
fn object_key<B: Builder>(p: &mut Parser<'_>, b: &mut B, tok: (Tok, usize)) -> Result<B::Val, DecodeError<B::Err>> {
    if tok.0 != Tok::Str {
        return Err(parse_error("object key string", tok));
    }
    let key = b.string(&p.tmp).map_err(DecodeError::Builder)?;
    let colon = p.next_token();
    if colon.0 != Tok::Colon {
        return Err(parse_error("colon", colon));
    }
    Ok(key)
}

// ---------------------------------------------------------------------------
// Binding

use crate::api::{Ctx, Host, Lua, NativeFn};
use crate::value::{LuaError, StrRef, TableRef, Value};

/// Opens the `cjson` library (global `cjson`, as Redis builds lua_cjson
/// with ENABLE_CJSON_GLOBAL).
pub fn open_cjson<H: Host>(lua: &mut Lua<H>) {
    let t = cjson_new_table(lua);
    let g = lua.globals();
    let k = lua.new_string(b"cjson");
    // A string key is never nil or NaN: this cannot fail.
    let _ = lua.raw_set(g, Value::String(k), Value::Table(t));
}

/// `lua_cjson_new`: a module table whose functions share a fresh [`Config`]
/// (kept in a hidden table, their first upvalue).
fn cjson_new_table<H: Host>(lua: &mut Lua<H>) -> TableRef {
    let cfg = lua.new_table(9, 0);
    store_config(lua, cfg, &Config::default());
    let t = lua.new_table(0, 13);
    let funcs: [(&str, NativeFn<H>); 10] = [
        ("encode", json_encode),
        ("decode", json_decode),
        ("encode_sparse_array", cfg_encode_sparse_array),
        ("encode_max_depth", cfg_encode_max_depth),
        ("decode_max_depth", cfg_decode_max_depth),
        ("encode_number_precision", cfg_encode_number_precision),
        ("encode_keep_buffer", cfg_encode_keep_buffer),
        ("encode_invalid_numbers", cfg_encode_invalid_numbers),
        ("decode_invalid_numbers", cfg_decode_invalid_numbers),
        ("new", cjson_new),
    ];
    for (name, f) in funcs {
        let func = lua.new_native(f, &[Value::Table(cfg)]);
        let k = lua.new_string(name.as_bytes());
        let _ = lua.raw_set(t, Value::String(k), Value::Function(func));
    }
    let null = lua.new_string(b"null");
    let _ = lua.raw_set(t, Value::String(null), Value::LightUserData(0));
    for (k, v) in [(&b"_NAME"[..], &b"cjson"[..]), (b"_VERSION", b"2.1.0")] {
        let (k, v) = (lua.new_string(k), lua.new_string(v));
        let _ = lua.raw_set(t, Value::String(k), Value::String(v));
    }
    t
}

/// Writes the settings into the hidden config table (integer slots 1..9).
fn store_config<H: Host>(lua: &mut Lua<H>, t: TableRef, c: &Config) {
    let inv = match c.encode_invalid_numbers {
        InvalidNumbers::Off => 0.0,
        InvalidNumbers::On => 1.0,
        InvalidNumbers::Null => 2.0,
    };
    let vals = [
        c.sparse_convert as i32 as f64,
        c.sparse_ratio as f64,
        c.sparse_safe as f64,
        c.encode_max_depth as f64,
        c.decode_max_depth as f64,
        inv,
        c.decode_invalid_numbers as i32 as f64,
        c.encode_keep_buffer as i32 as f64,
        c.encode_number_precision as f64,
    ];
    for (i, v) in vals.iter().enumerate() {
        // Integer keys 1..9 are never nil or NaN.
        let _ = lua.raw_set_int(t, i as i64 + 1, Value::Number(*v));
    }
}

/// The running function's config table and settings.
fn fetch_config<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<(TableRef, Config), LuaError> {
    let Value::Table(t) = ctx.upvalue(1) else {
        return Err(ctx.error(b"BUG: Unable to fetch CJSON configuration"));
    };
    let lua = ctx.lua_ref();
    let get = |i: i64| match lua.raw_get_int(t, i) {
        Value::Number(n) => n as i32,
        _ => 0,
    };
    let c = Config {
        sparse_convert: get(1) != 0,
        sparse_ratio: get(2),
        sparse_safe: get(3),
        encode_max_depth: get(4),
        decode_max_depth: get(5),
        encode_invalid_numbers: match get(6) {
            0 => InvalidNumbers::Off,
            1 => InvalidNumbers::On,
            _ => InvalidNumbers::Null,
        },
        decode_invalid_numbers: get(7) != 0,
        encode_keep_buffer: get(8) != 0,
        encode_number_precision: get(9),
    };
    Ok((t, c))
}

/// `json_arg_init`: at most `args` arguments.
fn arg_init<H: Host>(ctx: &mut Ctx<'_, H>, args: usize) -> Result<(TableRef, Config), LuaError> {
    if ctx.nargs() > args {
        return Err(ctx.arg_error(args + 1, "found too many arguments"));
    }
    fetch_config(ctx)
}

/// `json_integer_option`: sets `*setting` from argument `i` when given (the
/// range error names argument #1 whatever `i` is, as lua_cjson.c does) and
/// pushes the setting.
fn integer_option<H: Host>(ctx: &mut Ctx<'_, H>, i: usize, setting: &mut i32, min: i32, max: i32) -> Result<(), LuaError> {
    if !ctx.arg(i).is_nil() {
        // `int value = luaL_checkinteger(...)`: the low 32 bits.
        let value = ctx.check_integer(i)? as i32;
        if !(min <= value && value <= max) {
            let msg = format!("expected integer between {} and {}", min, max);
            return Err(ctx.arg_error(1, &msg));
        }
        *setting = value;
    }
    ctx.push(Value::Number(*setting as f64))
}

/// `json_enum_option` with the options "off"/"on" (booleans accepted) or
/// "off"/"on"/"null"; pushes the setting back.
fn enum_option<H: Host>(ctx: &mut Ctx<'_, H>, i: usize, setting: &mut i32, options: &[&str]) -> Result<(), LuaError> {
    match ctx.arg(i) {
        Value::Nil => {}
        Value::Boolean(b) => *setting = b as i32,
        _ => {
            // luaL_checkoption(L, i, NULL, options)
            let s = ctx.check_bytes(i)?;
            let name: Vec<u8> = ctx.str_bytes(s).to_vec();
            match options.iter().position(|o| o.as_bytes() == name.as_slice()) {
                Some(k) => *setting = k as i32,
                None => {
                    let mut msg = b"invalid option '".to_vec();
                    msg.extend_from_slice(&name);
                    msg.push(b'\'');
                    return Err(ctx.arg_error_bytes(i, &msg));
                }
            }
        }
    }
    if *setting == 0 || *setting == 1 {
        ctx.push(Value::Boolean(*setting == 1))
    } else {
        let name = options.get(*setting as usize).copied().unwrap_or("");
        ctx.push_bytes(name.as_bytes())
    }
}

const BOOL_OPTIONS: &[&str] = &["off", "on"];

fn cfg_encode_sparse_array<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, mut c) = arg_init(ctx, 3)?;
    let mut convert = c.sparse_convert as i32;
    enum_option(ctx, 1, &mut convert, BOOL_OPTIONS)?;
    c.sparse_convert = convert != 0;
    store_config(ctx.lua(), t, &c);
    integer_option(ctx, 2, &mut c.sparse_ratio, 0, i32::MAX)?;
    store_config(ctx.lua(), t, &c);
    integer_option(ctx, 3, &mut c.sparse_safe, 0, i32::MAX)?;
    store_config(ctx.lua(), t, &c);
    Ok(3)
}

/// A one-integer setting (`encode_max_depth`, ...).
fn int_setting<H: Host>(
    ctx: &mut Ctx<'_, H>,
    field: fn(&mut Config) -> &mut i32,
    min: i32,
    max: i32,
) -> Result<usize, LuaError> {
    let (t, mut c) = arg_init(ctx, 1)?;
    integer_option(ctx, 1, field(&mut c), min, max)?;
    store_config(ctx.lua(), t, &c);
    Ok(1)
}

fn cfg_encode_max_depth<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    int_setting(ctx, |c| &mut c.encode_max_depth, 1, i32::MAX)
}

fn cfg_decode_max_depth<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    int_setting(ctx, |c| &mut c.decode_max_depth, 1, i32::MAX)
}

fn cfg_encode_number_precision<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    int_setting(ctx, |c| &mut c.encode_number_precision, 1, 14)
}

fn cfg_encode_keep_buffer<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, mut c) = arg_init(ctx, 1)?;
    let mut v = c.encode_keep_buffer as i32;
    enum_option(ctx, 1, &mut v, BOOL_OPTIONS)?;
    c.encode_keep_buffer = v != 0;
    store_config(ctx.lua(), t, &c);
    Ok(1)
}

fn cfg_encode_invalid_numbers<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, mut c) = arg_init(ctx, 1)?;
    let mut v = match c.encode_invalid_numbers {
        InvalidNumbers::Off => 0,
        InvalidNumbers::On => 1,
        InvalidNumbers::Null => 2,
    };
    enum_option(ctx, 1, &mut v, &["off", "on", "null"])?;
    c.encode_invalid_numbers = match v {
        0 => InvalidNumbers::Off,
        1 => InvalidNumbers::On,
        _ => InvalidNumbers::Null,
    };
    store_config(ctx.lua(), t, &c);
    Ok(1)
}

fn cfg_decode_invalid_numbers<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, mut c) = arg_init(ctx, 1)?;
    let mut v = c.decode_invalid_numbers as i32;
    enum_option(ctx, 1, &mut v, BOOL_OPTIONS)?;
    c.decode_invalid_numbers = v != 0;
    store_config(ctx.lua(), t, &c);
    Ok(1)
}

fn cjson_new<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = cjson_new_table(ctx.lua());
    ctx.push(Value::Table(t))?;
    Ok(1)
}

/// Reads Lua values for the encoder. Everything it walks is reachable from
/// the argument (raw access only), so collecting on the way is safe.
struct LuaSource<'c, H> {
    lua: &'c mut Lua<H>,
}

impl<H: Host> EncodeSource for LuaSource<'_, H> {
    type Val = Value;
    type Err = LuaError;
    fn kind(&self, v: Value) -> Kind<'_> {
        match v {
            Value::String(s) => Kind::Str(self.lua.str_bytes(s)),
            Value::Number(n) => Kind::Num(n),
            Value::Boolean(b) => Kind::Bool(b),
            Value::Nil | Value::LightUserData(0) => Kind::Null,
            Value::Table(_) => Kind::Table,
            other => Kind::Other(other.type_name()),
        }
    }
    fn nil(&self) -> Value {
        Value::Nil
    }
    fn next(&mut self, t: Value, k: Value) -> Result<Option<(Value, Value)>, LuaError> {
        match t {
            Value::Table(t) => self.lua.next(t, k),
            _ => Ok(None),
        }
    }
    fn raw_geti(&mut self, t: Value, i: i64) -> Value {
        match t {
            Value::Table(t) => self.lua.raw_get_int(t, i),
            _ => Value::Nil,
        }
    }
    fn check_size(&mut self, len: usize) -> Result<(), LuaError> {
        crate::lib_string::reserve_memory(self.lua, len)
    }
}

fn json_encode<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (_, c) = fetch_config(ctx)?;
    if ctx.nargs() != 1 {
        return Err(ctx.arg_error(1, "expected 1 argument"));
    }
    let v = ctx.arg(1);
    let r = encode(&c, &mut LuaSource { lua: ctx.lua() }, v);
    match r {
        Ok(out) => {
            ctx.push_bytes(&out)?;
            Ok(1)
        }
        Err(EncodeError::Msg(m)) => Err(ctx.error(&m)),
        Err(EncodeError::Source(e)) => Err(e),
    }
}

/// Builds decoded values in the state.
struct LuaBuilder<'c, H>(&'c mut Lua<H>);

impl<H: Host> Builder for LuaBuilder<'_, H> {
    type Val = Value;
    type Err = LuaError;
    fn string(&mut self, s: &[u8]) -> Result<Value, LuaError> {
        crate::lib_string::check_memory(self.0, s.len())?;
        let r: StrRef = self.0.new_string(s);
        Ok(Value::String(r))
    }
    fn number(&mut self, n: f64) -> Value {
        Value::Number(n)
    }
    fn boolean(&mut self, b: bool) -> Value {
        Value::Boolean(b)
    }
    fn null(&mut self) -> Value {
        Value::LightUserData(0)
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

fn json_decode<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    if ctx.nargs() != 1 {
        return Err(ctx.arg_error(1, "expected 1 argument"));
    }
    let (_, c) = fetch_config(ctx)?;
    let s = ctx.check_bytes(1)?;
    let data = ctx.lua_ref().str_rc(s);
    let r = decode(&c, &mut LuaBuilder(ctx.lua()), &data);
    match r {
        Ok(v) => {
            ctx.push(v)?;
            Ok(1)
        }
        Err(DecodeError::Msg(m)) => Err(ctx.error(&m)),
        Err(DecodeError::Builder(e)) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use alloc::vec;

    /// A toy value model: tables keep insertion order (enough for these
    /// tests; key order proper is the runtime's).
    #[derive(Clone, Debug, PartialEq)]
    enum V {
        S(Vec<u8>),
        N(f64),
        B(bool),
        Null,
        Nil,
        T(usize),
        F,
    }
    #[derive(Default)]
    struct Heap {
        vals: Vec<V>,
        tables: Vec<Vec<(usize, usize)>>,
    }
    impl Heap {
        fn add(&mut self, v: V) -> usize {
            self.vals.push(v);
            self.vals.len() - 1
        }
        fn show(&self, v: usize) -> String {
            match &self.vals[v] {
                V::S(s) => format!("{:?}", String::from_utf8_lossy(s)),
                V::N(n) => format!("{n}"),
                V::B(b) => format!("{b}"),
                V::Null => "null".into(),
                V::Nil => "nil".into(),
                V::F => "fn".into(),
                V::T(t) => {
                    let parts: Vec<String> =
                        self.tables[*t].iter().map(|&(k, v)| format!("{}={}", self.show(k), self.show(v))).collect();
                    format!("{{{}}}", parts.join(","))
                }
            }
        }
        fn table(&mut self, pairs: Vec<(V, V)>) -> usize {
            let t = self.tables.len();
            self.tables.push(Vec::new());
            for (k, v) in pairs {
                let (k, v) = (self.add(k), self.add(v));
                self.tables[t].push((k, v));
            }
            self.add(V::T(t))
        }
    }
    impl Builder for Heap {
        type Val = usize;
        type Err = ();
        fn string(&mut self, s: &[u8]) -> Result<usize, ()> {
            Ok(self.add(V::S(s.to_vec())))
        }
        fn number(&mut self, n: f64) -> usize {
            self.add(V::N(n))
        }
        fn boolean(&mut self, b: bool) -> usize {
            self.add(V::B(b))
        }
        fn null(&mut self) -> usize {
            self.add(V::Null)
        }
        fn table(&mut self) -> Result<usize, ()> {
            Ok(self.table(vec![]))
        }
        fn set(&mut self, t: usize, k: usize, v: usize) -> Result<(), ()> {
            let V::T(ti) = self.vals[t] else { return Err(()) };
            self.tables[ti].push((k, v));
            Ok(())
        }
    }
    impl EncodeSource for Heap {
        type Val = usize;
        type Err = ();
        fn kind(&self, v: usize) -> Kind<'_> {
            match &self.vals[v] {
                V::S(s) => Kind::Str(s),
                V::N(n) => Kind::Num(*n),
                V::B(b) => Kind::Bool(*b),
                V::Null | V::Nil => Kind::Null,
                V::T(_) => Kind::Table,
                V::F => Kind::Other("function"),
            }
        }
        fn nil(&self) -> usize {
            usize::MAX
        }
        fn next(&mut self, t: usize, k: usize) -> Result<Option<(usize, usize)>, ()> {
            let V::T(ti) = self.vals[t] else { return Err(()) };
            let pairs = &self.tables[ti];
            let idx = if k == usize::MAX { 0 } else { pairs.iter().position(|&(kk, _)| kk == k).ok_or(())? + 1 };
            Ok(pairs.get(idx).copied())
        }
        fn raw_geti(&mut self, t: usize, i: i64) -> usize {
            let V::T(ti) = self.vals[t] else { return usize::MAX };
            for &(k, v) in &self.tables[ti] {
                if self.vals[k] == V::N(i as f64) {
                    return v;
                }
            }
            self.vals.push(V::Nil);
            self.vals.len() - 1
        }
    }

    fn dec(s: &str) -> Result<String, String> {
        let mut h = Heap::default();
        match decode(&Config::default(), &mut h, s.as_bytes()) {
            Ok(v) => Ok(h.show(v)),
            Err(DecodeError::Msg(m)) => Err(String::from_utf8(m).unwrap()),
            Err(DecodeError::Builder(())) => Err("builder".into()),
        }
    }

    #[test]
    fn decode_errors_match_redis() {
        // Messages from redis-cli EVAL "return cjson.decode(...)" on 7.0.15.
        let cases = [
            ("[1,]", "Expected value but found T_ARR_END at character 4"),
            ("{\"a\":1,}", "Expected object key string but found T_OBJ_END at character 8"),
            ("\"abc", "Expected value but found unexpected end of string at character 5"),
            ("\"a\\qb\"", "Expected value but found invalid escape code at character 3"),
            ("[1 2]", "Expected comma or array end but found T_NUMBER at character 4"),
            ("  x", "Expected value but found invalid token at character 3"),
            ("1 2", "Expected the end but found T_NUMBER at character 3"),
            ("{1:2}", "Expected object key string but found T_NUMBER at character 2"),
            ("{\"a\" 2}", "Expected colon but found T_NUMBER at character 6"),
            ("", "Expected value but found T_END at character 1"),
            ("\"\\ud800\"", "Expected value but found invalid unicode escape code at character 2"),
            ("-", "Expected value but found invalid number at character 1"),
            ("tru", "Expected value but found invalid token at character 1"),
            ("1.5e", "Expected the end but found invalid token at character 4"),
            ("\"a\0b\"", "Expected value but found unexpected end of string at character 3"),
            ("\0a", "JSON parser does not support UTF-16 or UTF-32"),
        ];
        for (input, want) in cases {
            assert_eq!(dec(input), Err(want.into()), "{input:?}");
        }
        let deep = "[".repeat(1001);
        assert_eq!(dec(&deep), Err("Found too many nested data structures (1001) at character 1001".into()));
        assert!(dec(&"[".repeat(1000)).unwrap_err().starts_with("Expected value but found T_END"));
    }

    #[test]
    fn decode_values() {
        assert_eq!(dec("[1,\"a\",true,null,{\"k\":[]}]"), Ok("{1=1,2=\"a\",3=true,4=null,5={\"k\"={}}}".into()));
        assert_eq!(dec("\"\\u00e9\\ud83d\\ude00\""), Ok(format!("{:?}", "é😀")));
        assert_eq!(dec("0x10"), Ok("16".into()));
        assert_eq!(dec("+5"), Ok("5".into()));
        assert_eq!(dec(" -Infinity "), Ok("-inf".into()));
        assert_eq!(dec("[1]\0garbage"), Ok("{1=1}".into()));
        assert_eq!(dec("{\"a\":{\"b\":1},\"c\":2}"), Ok("{\"a\"={\"b\"=1},\"c\"=2}".into()));
    }

    fn enc(h: &mut Heap, v: usize) -> Result<String, String> {
        match encode(&Config::default(), h, v) {
            Ok(b) => Ok(b.iter().map(|&c| c as char).collect()),
            Err(EncodeError::Msg(m)) => Err(String::from_utf8(m).unwrap()),
            Err(EncodeError::Source(())) => Err("source".into()),
        }
    }

    #[test]
    fn encode_matches_redis() {
        let mut h = Heap::default();
        let inner = h.table(vec![(V::S(b"a".to_vec()), V::N(1.0))]);
        let t = h.table(vec![(V::N(1.0), V::N(1.0)), (V::N(2.0), V::N(2.0)), (V::N(3.0), V::N(3.0))]);
        let V::T(ti) = h.vals[t] else { unreachable!() };
        let k4 = h.add(V::N(4.0));
        h.tables[ti].push((k4, inner));
        assert_eq!(enc(&mut h, t), Ok("[1,2,3,{\"a\":1}]".into()));
        let sparse = h.table(vec![(V::N(1.0), V::N(1.0)), (V::N(12.0), V::N(2.0))]);
        assert_eq!(enc(&mut h, sparse), Err("Cannot serialise table: excessively sparse array".into()));
        let holes = h.table(vec![(V::N(1.0), V::N(1.0)), (V::N(10.0), V::N(2.0))]);
        assert_eq!(enc(&mut h, holes), Ok("[1,null,null,null,null,null,null,null,null,2]".into()));
        let infkey = h.table(vec![(V::N(f64::INFINITY), V::N(1.0))]);
        assert_eq!(enc(&mut h, infkey), Err("Cannot serialise number: must not be NaN or Inf".into()));
        let f = h.add(V::F);
        assert_eq!(enc(&mut h, f), Err("Cannot serialise function: type not supported".into()));
        let boolkey = h.table(vec![(V::B(true), V::N(1.0))]);
        assert_eq!(enc(&mut h, boolkey), Err("Cannot serialise boolean: table key must be a number or string".into()));
        let s = h.add(V::S(b"a/b\"\\\x00\x01\x08\x09\x0a\x0c\x0d\x1f\x7f\xc8".to_vec()));
        assert_eq!(enc(&mut h, s).unwrap(), "\"a\\/b\\\"\\\\\\u0000\\u0001\\b\\t\\n\\f\\r\\u001f\\u007f\u{c8}\"");
        let empty = h.table(vec![]);
        assert_eq!(enc(&mut h, empty), Ok("{}".into()));
        for (n, want) in [(0.1, "0.1"), (-0.0, "-0"), (123456789012345678.0, "1.2345678901235e+17")] {
            let v = h.add(V::N(n));
            assert_eq!(enc(&mut h, v), Ok(want.into()));
        }
        // Nesting: 1000 levels are fine, 1001 are not.
        let mut deep = h.table(vec![]);
        for _ in 0..1000 {
            let t = h.table(vec![]);
            let V::T(ti) = h.vals[t] else { unreachable!() };
            let k = h.add(V::N(1.0));
            h.tables[ti].push((k, deep));
            deep = t;
        }
        assert_eq!(enc(&mut h, deep), Err("Cannot serialise, excessive nesting (1001)".into()));
    }
}
