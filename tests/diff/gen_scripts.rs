//! The `scripts` family: random Lua scripts run with EVAL, EVALSHA, EVAL_RO
//! and EVALSHA_RO, and the SCRIPT LOAD/EXISTS/FLUSH that manage the cache.
//!
//! A script is a few fragments, each a Lua expression of one kind:
//! arithmetic and number printing (`%.14g`, the constant table's -0, NaN's
//! sign), the string library and its patterns, tables (`#`, insert, remove,
//! concat, sort, unpack, `pairs` order), cjson and cmsgpack round trips, bit
//! and struct, closures, varargs, metatables, coroutines, and `redis.call` /
//! `redis.pcall` of the other families' commands on the shared keys (wrong
//! types, bad arguments and wrong arity included, keys and values passed
//! through `KEYS` and `ARGV` or as Lua numbers). Scripts either return one
//! fragment (an error ends the script: Redis's error texts are compared) or
//! collect them all through `P`, a `pcall` wrapper that turns an error into
//! a string, so one script checks many things. Return values cover the
//! conversions: nested tables, booleans, nil, floats (truncated), holes,
//! `{ok=}`, `{err=}`, `redis.error_reply`, RESP3's `{map=}`, `{set=}`,
//! `{double=}`, `{big_number=}`, after `redis.setresp(3)` too.
//!
//! Determinism: nothing reads the clock or `math.random`, no `tostring` of a
//! table or function (addresses), replies whose order is a hash table's
//! (SMEMBERS, HGETALL, KEYS, ...) are sorted inside the script by `S`, and
//! random or timed commands (SPOP, TTL, SCAN, SORT, XPENDING, ...) are never
//! called. `error({})` is never generated: it crashes redis-server 7.0.15.
//! The cjson configuration functions are not called (their settings outlive
//! the script). The runner flushes Redis's script cache before every
//! sequence (`run::reset`).

use super::*;

/// Helpers some scripts start with, on line 1. `P(f)`: `f()`, or the error
/// as a string (`E:` + a message, `T:` + the `err` field of an error table:
/// Redis's pcall turns `{err=...}` errors into their message).
/// `L`: a byte-wise `<` on `tostring` (locale-free). `N`: RESP3 maps and
/// sets as sorted arrays. `S`: an unordered reply (array, map or set) sorted.
const PRELUDE: &str = "local function P(f, ...) local ok, v = pcall(f, ...) if ok then return v end if type(v) == 'table' then return 'T:' .. tostring(v.err) end return 'E:' .. tostring(v) end \
local function L(a, b) a, b = tostring(a), tostring(b) for i = 1, math.min(#a, #b) do local x, y = a:byte(i), b:byte(i) if x ~= y then return x < y end end return #a < #b end \
local function N(x) if type(x) ~= 'table' then return x end \
if x.map then local ks = {} for k in pairs(x.map) do ks[#ks + 1] = k end table.sort(ks, L) local out = {} for _, k in ipairs(ks) do out[#out + 1] = k out[#out + 1] = N(x.map[k]) end return out end \
if x.set then local ks = {} for k in pairs(x.set) do ks[#ks + 1] = k end table.sort(ks, L) return ks end return x end \
local function S(x) x = N(x) if type(x) == 'table' and not x.err then table.sort(x, L) end return x end\n";

/// Libraries `lib0`.. each register one function, `f0`..: FCALL names
/// one of them, FUNCTION LIST asks for one library (several would come in
/// dict order).
const LIBRARIES: usize = 4;

/// Commands a script never calls: their replies are random or depend on
/// the clock, a cursor or a hash table's order in a way sorting cannot fix.
const NEVER_CALLED: &[&str] = &[
    "spop",
    "srandmember",
    "hrandfield",
    "zrandmember",
    "randomkey",
    "ttl",
    "pttl",
    "expiretime",
    "pexpiretime",
    "object|idletime",
    "object|freq",
    "scan",
    "sscan",
    "hscan",
    "zscan",
    "sort",
    "sort_ro",
    "xinfo|stream",
    "xinfo|consumers",
    "xpending",
    "config|get",
    "config|set",
    "command|info",
    "command|count",
    "command|getkeys",
    "hello",
    "lastsave",
    "role",
];

/// Commands whose reply a script sorts (`S`) before returning it.
const UNORDERED: &[&str] = &["smembers", "sinter", "sunion", "sdiff", "hkeys", "hvals", "hgetall", "keys"];

/// Families whose commands scripts call.
const CALLED_FAMILIES: &[Family] = &[
    Family::Strings,
    Family::Strings,
    Family::Hashes,
    Family::Lists,
    Family::Lists,
    Family::Sets,
    Family::Zsets,
    Family::Zsets,
    Family::Keys,
    Family::Bitmaps,
    Family::Hll,
    Family::Geo,
    Family::Streams,
];

/// Number literals: edges of `%.14g`, integers past 2^53, specials.
const NUMS: &[&str] = &[
    "0", "1", "2", "3", "7", "10", "-1", "-7", "0.1", "0.2", "0.5", "1.5", "-2.5", "1e15", "1e16", "1e100", "2^53", "2^63",
    "2^31", "1e308", "1e-310", "123456789012345678", "3.14159", "1/3", "-0", "0/0", "1/0", "-1/0", "math.huge",
    "-math.huge", "math.pi", "100", "255", "65535", "4294967295", "4294967296", "0x10", "0xff", "1e-5", "12.5",
    "99999999999999", "999999999999999", "0.1 + 0.2", "5e-324",
];

/// Strings that arithmetic coerces (or fails to).
const NUM_STRS: &[&str] = &["'10'", "'0x10'", "' 5 '", "'1e2'", "'abc'", "''", "'3.5'", "'-0'", "'0x1p4'", "'inf'", "'1e500'"];

/// Subjects of the string library.
const SUBJECTS: &[&[u8]] = &[
    b"hello world",
    b"The quick brown fox 123",
    b"  trim me  ",
    b"a,b,,c",
    b"key:42:value",
    b"",
    b"aaa",
    b"x(y)z",
    b"a\x00b",
    b"THE END",
    b"2024-06-01T12:30:00Z",
    b"\xc3\xa9t\xc3\xa9",
    b"one two  three",
    b"%d+",
    b"[[nested]]",
    b"f(a(b)c)d",
    b"user:1000:name",
    b"abc123def456",
];

/// Patterns: classes, sets, captures, anchors, %b, %f, and broken ones.
const PATTERNS_LUA: &[&[u8]] = &[
    b"%d+",
    b"(%a+)",
    b"^(%w+)",
    b"^%s*(.-)%s*$",
    b"[aeiou]",
    b"[^%s]+",
    b"(%d)(%d)",
    b"%b()",
    b"%f[%w]%w+",
    b"a-",
    b"a*",
    b".?",
    b"(h)(e)",
    b"%((%w+)%)",
    b"()o()",
    b"[%a_][%w_]*",
    b"(%w+):(%d+)",
    b"%s",
    b"[a-f]+",
    b"$",
    b"^",
    b".",
    b"(.)%1",
    b"[%]]",
    b"[a",
    b"%",
    b"(()",
    b"%g",
    b"(",
    b")",
    b"%1",
    b"[^]",
    b"[]",
    b"%z",
    b"x*$",
];

/// Formats for string.format, with how many numeric (n) or string (s)
/// arguments they take.
const FORMATS: &[(&str, &str)] = &[
    ("%d", "n"),
    ("%5d|%-5d|%05d", "nnn"),
    ("%x %X %o", "nnn"),
    ("%5.2f", "n"),
    ("%.3f", "n"),
    ("%g", "n"),
    ("%.14g", "n"),
    ("%.17g", "n"),
    ("%e", "n"),
    ("%10.4e", "n"),
    ("%s", "s"),
    ("%10s|%-10s|", "ss"),
    ("%.2s", "s"),
    ("%q", "s"),
    ("%c%c", "nn"),
    ("%i %u", "nn"),
    ("%%|%s|%d", "sn"),
    ("%s %s", "ns"),
    ("%+d % d", "nn"),
    ("%#x %#o", "nn"),
    ("%5", "n"),
    ("%y", "n"),
    ("%d", "s"),
    ("%s %s %s", "s"),
];

/// JSON texts for cjson.decode: valid, edge and invalid.
const JSON_TEXTS: &[&str] = &[
    "[1,2,3]",
    "{\"a\":1,\"b\":[true,false,null]}",
    "\"\\u00e9\\n\\/\"",
    "1e400",
    "-0",
    "0.1",
    "[]",
    "{}",
    "[1,[2,[3,[4]]]]",
    "{\"x\":{\"y\":{\"z\":\"deep\"}}}",
    "12345678901234567890",
    "[1,]",
    "{\"a\":}",
    "nul",
    "",
    "  [ 1 , 2 ]  ",
    "\"\\ud83d\\ude00\"",
    "[\"a\",\"b\"]x",
    "{\"k\":1,\"k\":2}",
    "NaN",
    "[1e2, -1.5e-3, 0]",
    "\"unterminated",
    "{1:2}",
    "true",
    "\"\\x41\"",
];

/// Byte strings for cmsgpack.unpack: valid, truncated and invalid.
const MSGPACK_BYTES: &[&[u8]] = &[
    b"\x93\x01\x02\x03",
    b"\x82\xa1a\x01\xa1b\x02",
    b"\xc0",
    b"\xc2\xc3",
    b"\xcb\x3f\xf8\x00\x00\x00\x00\x00\x00",
    b"\xca\x3f\xc0\x00\x00",
    b"\xcd\x01\x00",
    b"\xd0\xff",
    b"\xcf\xff\xff\xff\xff\xff\xff\xff\xff",
    b"\xd3\x80\x00\x00\x00\x00\x00\x00\x00",
    b"\xa5hello",
    b"\xa5hel",
    b"\xc1",
    b"\x91",
    b"",
    b"\x01\x02\x03",
    b"\xdc\x00\x02\x01\x02",
    b"\xc4\x03abc",
    b"\xff",
];

/// struct formats with their argument kinds (n number, s string).
const STRUCT_FMTS: &[(&str, &str)] = &[
    (">I2", "n"),
    ("<i4", "n"),
    ("b", "n"),
    ("B", "n"),
    (">h", "n"),
    ("<H", "n"),
    ("l", "n"),
    ("<L", "n"),
    (">i8", "n"),
    ("<I3", "n"),
    ("f", "n"),
    ("<d", "n"),
    ("s", "s"),
    ("z", "s"),
    ("c3", "s"),
    ("<i2 x i2", "nn"),
    ("!4 b i4", "nn"),
    (">I2 I2 I2", "nnn"),
    ("c0", "ns"),
    ("i17", "n"),
    ("y", "n"),
    (">i4", "s"),
];

fn lua_str(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() + 2);
    s.push('"');
    for &c in b {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\{c:03}")),
        }
    }
    s.push('"');
    s
}

/// The SHA-1 of `data` in lowercase hex (as SCRIPT LOAD answers it).
pub fn sha1_hex(data: &[u8]) -> String {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64).wrapping_mul(8)).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 80];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// A script being built: its lines, and the KEYS and ARGV it reads.
struct Script {
    lines: Vec<String>,
    keys: Vec<Vec<u8>>,
    args: Vec<Vec<u8>>,
    prelude: bool,
}

impl Script {
    /// `KEYS[i]` for `k`, adding it.
    fn key_ref(&mut self, k: Vec<u8>) -> String {
        if let Some(i) = self.keys.iter().position(|x| *x == k) {
            return format!("KEYS[{}]", i + 1);
        }
        self.keys.push(k);
        format!("KEYS[{}]", self.keys.len())
    }

    /// `ARGV[i]` for `a`, adding it.
    fn arg_ref(&mut self, a: Vec<u8>) -> String {
        self.args.push(a);
        format!("ARGV[{}]", self.args.len())
    }
}

impl Gen<'_> {
    /// One command of the scripts family (`eval`, `evalsha`, `eval_ro`,
    /// `evalsha_ro`, `script|load`, `script|exists`, `script|flush`), or a
    /// plain write that fills the shared keys.
    pub(super) fn scripts_command(&mut self, name: &str) -> Argv {
        match name {
            "eval" | "eval_ro" => {
                let (body, keys, args) = self.script(name == "eval_ro");
                self.scripts.push(body.clone());
                let mut a = vec![v(name.to_ascii_uppercase().as_bytes()), body];
                self.numkeys(&mut a, keys, args);
                a
            }
            "evalsha" | "evalsha_ro" => {
                let (sha, keys, args) = self.known_sha();
                let mut a = vec![v(name.to_ascii_uppercase().as_bytes()), sha];
                self.numkeys(&mut a, keys, args);
                a
            }
            "script|load" => {
                let (body, _, _) = self.script(false);
                self.scripts.push(body.clone());
                vec![v(b"SCRIPT"), v(b"LOAD"), body]
            }
            "script|exists" => {
                let mut a = vec![v(b"SCRIPT"), v(b"EXISTS")];
                let lo = if self.r.chance(0.02) { 0 } else { 1 };
                for _ in 0..self.r.range(lo, 4) {
                    let (sha, _, _) = self.known_sha();
                    a.push(sha);
                }
                a
            }
            "script|flush" => {
                // Mostly, later EVALSHAs draw from what is sent after it.
                if self.r.chance(0.7) {
                    self.scripts.clear();
                }
                let mut a = vec![v(b"SCRIPT"), v(b"FLUSH")];
                match self.r.below(10) {
                    0..=2 => a.push(v(b"SYNC")),
                    3 => a.push(v(b"async")),
                    4 => a.push(v(b"BOGUS")),
                    _ => {}
                }
                a
            }
            "function|load" => {
                let mut a = vec![v(b"FUNCTION"), v(b"LOAD")];
                if self.r.chance(0.85) {
                    let opt = if self.r.chance(0.05) { b"BOGUS" as &[u8] } else { self.r.pick::<&[u8]>(&[b"REPLACE", b"replace"]) };
                    a.push(v(opt));
                }
                a.push(self.library());
                a
            }
            "fcall" | "fcall_ro" => {
                let f = if self.r.chance(0.95) { format!("f{}", self.r.below(LIBRARIES)) } else { "nosuch".into() };
                // Bodies read KEYS[1..2] and ARGV[1..3] as they were built.
                let keys: Vec<Vec<u8>> = (0..self.r.range(1, 3)).map(|_| self.key()).collect();
                let args: Vec<Vec<u8>> = (0..self.r.range(2, 4)).map(|_| self.val()).collect();
                let mut a = vec![v(name.to_ascii_uppercase().as_bytes()), f.into_bytes()];
                self.numkeys(&mut a, keys, args);
                a
            }
            // Deletes and flushes are rarer than their weight: FCALL needs loaded functions.
            "function|delete" if self.r.chance(0.6) => self.scripts_command("function|list"),
            "function|flush" if self.r.chance(0.75) => self.scripts_command("function|stats"),
            "function|delete" => vec![v(b"FUNCTION"), v(b"DELETE"), format!("lib{}", self.r.below(LIBRARIES + 1)).into_bytes()],
            "function|list" => {
                // One library at a time: several come in dict order.
                let mut a = vec![v(b"FUNCTION"), v(b"LIST"), v(b"LIBRARYNAME"), format!("lib{}", self.r.below(LIBRARIES + 1)).into_bytes()];
                if self.r.chance(0.3) {
                    a.push(v(b"WITHCODE"));
                }
                a
            }
            "function|stats" => vec![v(b"FUNCTION"), v(b"STATS")],
            "function|flush" => {
                let mut a = vec![v(b"FUNCTION"), v(b"FLUSH")];
                if self.r.chance(0.3) {
                    a.push(v(self.r.pick(&[b"SYNC" as &[u8], b"ASYNC", b"BOGUS"])));
                }
                a
            }
            _ => self.command(name),
        }
    }

    /// A library for FUNCTION LOAD: `libN` registering `fN`, whose body is
    /// built like a script's (KEYS and ARGV are locals bound to the
    /// function's `keys` and `args`: functions have no such globals).
    fn library(&mut self) -> Vec<u8> {
        let i = self.r.below(LIBRARIES);
        let mut s = Script { lines: vec![], keys: vec![], args: vec![], prelude: false };
        if self.r.chance(0.1) {
            s.lines.push("redis.setresp(3)".into());
        }
        match self.r.below(10) {
            0..=3 => {
                let e = self.fragment(&mut s, false);
                s.lines.push(format!("return {e}"));
            }
            4..=6 => {
                s.prelude = true;
                s.lines.push("local r = {}".into());
                for _ in 0..self.r.range(1, 4) {
                    let e = self.fragment(&mut s, false);
                    s.lines.push(format!("r[#r + 1] = P(function() return {e} end)"));
                }
                s.lines.push("return r".into());
            }
            7 => {
                let e = self.reply_value(&mut s);
                s.lines.push(format!("return {e}"));
            }
            8 => {
                let st = self.failing(&mut s);
                s.lines.push(st);
            }
            _ => self.user_pattern(&mut s),
        }
        let mut body = String::new();
        body.push_str(match self.r.below(40) {
            0 => "#!lua\n",
            1 => "#!luajit name=x\n",
            2 => "",
            _ => "",
        });
        if body.is_empty() {
            body.push_str(&format!("#!lua name=lib{i}\n"));
        }
        if s.prelude {
            body.push_str(PRELUDE);
        }
        let flags = match self.r.below(10) {
            0 | 6 | 7 => ", flags = {'no-writes'}",
            1 => ", flags = {'allow-oom', 'no-writes'}",
            2 => ", flags = {'allow-stale'}",
            3 => ", flags = {'bogus'}",
            4 => ", flags = {}",
            _ => "",
        };
        let callback = format!("function(keys, args) local KEYS, ARGV = keys, args\n{}\nend", s.lines.join("\n"));
        if self.r.chance(0.5) && flags.is_empty() {
            body.push_str(&format!("redis.register_function('f{i}', {callback})"));
        } else {
            body.push_str(&format!("redis.register_function{{function_name = 'f{i}', callback = {callback}{flags}}}"));
        }
        if self.r.chance(0.05) {
            // Registering outside the load, a second function, or junk.
            let extra = match self.r.below(5) {
                0 => "\nredis.call('set', 'x', 'y')".to_string(),
                1 => format!("\nredis.register_function('f{i}', function() return 2 end)"),
                2 => "\nreturn 1".into(),
                3 => "\nx = 1".into(),
                _ => " end".into(),
            };
            body.push_str(&extra);
        }
        body.into_bytes()
    }

    /// numkeys, the keys and the arguments; sometimes a bad numkeys.
    fn numkeys(&mut self, a: &mut Argv, mut keys: Vec<Vec<u8>>, mut args: Vec<Vec<u8>>) {
        // Extra keys and arguments the script does not read.
        if self.r.chance(0.1) {
            keys.push(self.key());
        }
        if self.r.chance(0.1) {
            args.push(self.val());
        }
        let nk = if self.r.chance(0.03) {
            v(self.r.pick(&[b"-1" as &[u8], b"abc", b"", b"1.5", b"9223372036854775807"]))
        } else if self.r.chance(0.02) {
            n((keys.len() + args.len() + 1) as i64)
        } else {
            n(keys.len() as i64)
        };
        a.push(nk);
        a.extend(keys);
        a.extend(args);
    }

    /// A sha1 for EVALSHA / SCRIPT EXISTS: mostly of a script this sequence
    /// sent, with that script's KEYS and ARGV when it can be rebuilt.
    fn known_sha(&mut self) -> (Vec<u8>, Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let keys: Vec<Vec<u8>> = (0..self.r.range(0, 2)).map(|_| self.key()).collect();
        let args: Vec<Vec<u8>> = (0..self.r.range(0, 3)).map(|_| self.val()).collect();
        if !self.scripts.is_empty() && self.r.chance(0.85) {
            let i = self.r.below(self.scripts.len());
            let sha = sha1_hex(&self.scripts[i]);
            let sha = if self.r.chance(0.1) { sha.to_ascii_uppercase() } else { sha };
            return (sha.into_bytes(), keys, args);
        }
        let sha = match self.r.below(4) {
            0 => v(b"abc"),
            1 => v(b""),
            2 => sha1_hex(b"return 'never sent'").into_bytes(),
            _ => sha1_hex(self.r.pick::<&[u8]>(&[b"return 1" as &[u8], b"return 2", b"return KEYS[1]", b"return ARGV[1]"])).into_bytes(),
        };
        (sha, keys, args)
    }

    /// A whole script: body, KEYS and ARGV.
    fn script(&mut self, read_only: bool) -> (Vec<u8>, Vec<Vec<u8>>, Vec<Vec<u8>>) {
        let mut s = Script { lines: vec![], keys: vec![], args: vec![], prelude: false };
        let resp3 = self.r.chance(0.12);
        if resp3 {
            s.lines.push("redis.setresp(3)".into());
        }
        match self.r.below(20) {
            // One fragment returned: its error, if any, ends the script.
            0..=6 => {
                let e = self.fragment(&mut s, read_only);
                s.lines.push(format!("return {e}"));
            }
            // Many fragments collected through P.
            7..=13 => {
                s.prelude = true;
                s.lines.push("local r = {}".into());
                for _ in 0..self.r.range(1, 6) {
                    let e = self.fragment(&mut s, read_only);
                    s.lines.push(format!("r[#r + 1] = P(function() return {e} end)"));
                }
                s.lines.push("return r".into());
            }
            // A reply-conversion case.
            14..=16 => {
                let e = self.reply_value(&mut s);
                s.lines.push(format!("return {e}"));
            }
            // Something that fails on purpose.
            17..=18 => {
                let st = self.failing(&mut s);
                s.lines.push(st);
            }
            // A user pattern over KEYS and ARGV.
            _ => self.user_pattern(&mut s),
        }
        let mut body = String::new();
        if self.r.chance(0.08) {
            body.push_str(self.r.pick::<&str>(&[
                "#!lua flags=no-writes\n",
                "#!lua\n",
                "#!lua flags=allow-oom\n",
                "#!lua flags=no-writes,allow-stale\n",
                "#!lua flags=no-cluster\n",
                "#!lua flags=allow-cross-slot-keys\n",
                "#!lua flags=bogus\n",
                "#!lua name=x\n",
                "#!luajit\n",
                "#!lua flags=\n",
            ]));
        }
        if s.prelude {
            body.push_str(PRELUDE);
        }
        body.push_str(&s.lines.join("\n"));
        let mut body = body.into_bytes();
        if self.r.chance(0.03) {
            // A compile error: cut, or garbage appended.
            if self.r.chance(0.5) && body.len() > 2 {
                let cut = self.r.range(1, body.len() as i64 - 1) as usize;
                body.truncate(cut);
            } else {
                body.extend_from_slice(self.r.pick::<&[u8]>(&[b" end" as &[u8], b" )", b" local", b" = 1", b" 'open", b" [[x", b" 1e", b" ~"]));
            }
        }
        (body, s.keys, s.args)
    }

    /// One Lua expression of a random kind.
    fn fragment(&mut self, s: &mut Script, read_only: bool) -> String {
        match self.r.below(100) {
            0..=11 => self.num_expr_str(),
            12..=25 => self.str_expr(),
            26..=35 => self.table_expr(),
            36..=41 => self.json_expr(),
            42..=45 => self.msgpack_expr(),
            46..=48 => self.bit_expr(),
            49..=51 => self.struct_expr(),
            52..=81 => self.call_expr(s, read_only),
            82..=89 => self.misc_expr(),
            90..=94 => self.redis_lib_expr(s),
            _ => {
                let st = self.failing(s);
                format!("(function() {st} end)()")
            }
        }
    }

    fn num_lit(&mut self) -> String {
        if self.r.chance(0.08) {
            return self.r.pick(NUM_STRS).to_string();
        }
        if self.r.chance(0.2) {
            return self.r.range(-20, 20).to_string();
        }
        self.r.pick(NUMS).to_string()
    }

    fn num_expr(&mut self, depth: u32) -> String {
        if depth == 0 {
            return self.num_lit();
        }
        match self.r.below(12) {
            0..=3 => self.num_lit(),
            4..=6 => {
                let op = self.r.pick(&["+", "-", "*", "/", "%", "^", "+", "-", "*"]);
                let (a, b) = (self.num_expr(depth - 1), self.num_expr(depth - 1));
                format!("({a} {op} {b})")
            }
            7 => format!("(-{})", self.num_expr(depth - 1)),
            8 => {
                let f = self.r.pick(&["floor", "ceil", "abs", "sqrt", "floor", "ceil", "abs", "log", "exp", "log10", "sin", "cos"]);
                format!("math.{f}({})", self.num_expr(depth - 1))
            }
            9 => {
                let f = self.r.pick(&["fmod", "max", "min", "pow", "ldexp", "mod", "atan2"]);
                let (a, b) = (self.num_expr(depth - 1), self.num_expr(depth - 1));
                format!("math.{f}({a}, {b})")
            }
            10 => {
                let f = self.r.pick(&["modf", "frexp"]);
                format!("select({}, math.{f}({}))", self.r.range(1, 2), self.num_expr(depth - 1))
            }
            _ => {
                let s = self.r.pick(&["'10'", "'0x1A'", "' 12 '", "'1e3'", "'z'", "'8'", "'7fffffff'", "'-10'", "'1.5'"]);
                let base = if self.r.chance(0.5) { String::new() } else { format!(", {}", self.r.pick(&["2", "8", "10", "16", "36", "1", "37"])) };
                format!("(tonumber({s}{base}) or -999)")
            }
        }
    }

    /// A number expression shown as a string (replies truncate numbers).
    fn num_expr_str(&mut self) -> String {
        let d = self.r.range(0, 3) as u32;
        let e = self.num_expr(d);
        match self.r.below(10) {
            0..=4 => format!("tostring({e})"),
            5 => format!("({e}) .. ''"),
            6 => {
                let (f, _) = *self.r.pick(&FORMATS[..10]);
                format!("string.format('{f}', {e}, {e}, {e})")
            }
            7 => {
                let op = self.r.pick(&["<", "<=", "==", "~=", ">", ">="]);
                let b = self.num_expr(1);
                format!("tostring({e} {op} {b})")
            }
            8 => e,
            _ => format!("{{{e}, tostring({e})}}"),
        }
    }

    fn subject(&mut self) -> String {
        if self.r.chance(0.1) {
            let b = self.val();
            return lua_str(&b[..b.len().min(40)]);
        }
        lua_str(self.r.pick::<&[u8]>(SUBJECTS))
    }

    fn pat(&mut self) -> String {
        lua_str(self.r.pick::<&[u8]>(PATTERNS_LUA))
    }

    fn small_int(&mut self) -> i64 {
        if self.r.chance(0.1) {
            *self.r.pick(&[0i64, -100, 100, 2147483647, -2147483648])
        } else {
            self.r.range(-8, 8)
        }
    }

    fn str_expr(&mut self) -> String {
        let s = self.subject();
        match self.r.below(22) {
            0 => format!("string.len({s})"),
            1 => format!("#{s}"),
            2 => format!("({s}):sub({}, {})", self.small_int(), self.small_int()),
            3 => format!("string.sub({s}, {})", self.small_int()),
            4 => format!("({s}):{}()", self.r.pick(&["upper", "lower", "reverse"])),
            5 => format!("string.rep({s}, {})", self.r.range(-1, 4)),
            6 => format!("{{({s}):byte({}, {})}}", self.small_int(), self.small_int()),
            7 => {
                let k = self.r.range(0, 4);
                let cs: Vec<String> = (0..k).map(|_| if self.r.chance(0.95) { self.r.range(0, 255) } else { *self.r.pick(&[256i64, -1]) }.to_string()).collect();
                format!("string.char({})", cs.join(", "))
            }
            8 | 9 => {
                let p = self.pat();
                let init = if self.r.chance(0.3) { format!(", {}", self.small_int()) } else { String::new() };
                let plain = if !init.is_empty() && self.r.chance(0.3) { ", true" } else { "" };
                format!("{{string.find({s}, {p}{init}{plain})}}")
            }
            10 | 11 => {
                let p = self.pat();
                format!("{{string.match({s}, {p})}}")
            }
            12 | 13 => {
                let p = self.pat();
                format!("(function() local t = {{}} for a, b in string.gmatch({s}, {p}) do t[#t + 1] = a t[#t + 1] = b or '-' if #t > 40 then break end end return t end)()")
            }
            14..=16 => {
                let p = self.pat();
                let repl = match self.r.below(6) {
                    0 => lua_str(self.r.pick::<&[u8]>(&[b"<%0>" as &[u8], b"%1-%1", b"%%", b"X", b"%2", b"%9", b""])),
                    1 => "{hello = 'HI', a = 'A', [\"1\"] = 'one', the = false}".into(),
                    2 => "function(c) return c:upper() end".into(),
                    3 => "function(c) if #c > 1 then return nil end return '[' .. c .. ']' end".into(),
                    4 => "function() return {} end".into(),
                    _ => lua_str(b"%1"),
                };
                let nn = if self.r.chance(0.3) { format!(", {}", self.r.range(-1, 3)) } else { String::new() };
                format!("{{string.gsub({s}, {p}, {repl}{nn})}}")
            }
            17 | 18 => {
                let (f, kinds) = *self.r.pick(FORMATS);
                let args: Vec<String> = kinds
                    .chars()
                    .map(|k| if k == 'n' { self.num_expr(1) } else if self.r.chance(0.9) { self.subject() } else { self.num_lit() })
                    .collect();
                let sep = if args.is_empty() { "" } else { ", " };
                format!("string.format({}{sep}{})", lua_str(f.as_bytes()), args.join(", "))
            }
            19 => {
                let t = self.subject();
                format!("{s} .. {t} .. {}", self.num_lit())
            }
            20 => {
                let t = self.subject();
                let op = self.r.pick(&["<", "<=", "==", ">"]);
                format!("tostring({s} {op} {t})")
            }
            _ => format!("{{tostring({s}), tonumber({s}), type({s})}}"),
        }
    }

    /// A Lua value constructor for cjson, cmsgpack and return values.
    fn lua_value(&mut self, depth: u32, allow_nil: bool) -> String {
        let leaf = depth == 0 || self.r.chance(0.45);
        if leaf {
            return match self.r.below(12) {
                0..=2 => self.r.range(-1000, 1000).to_string(),
                3 => self.r.pick(&["0.5", "-1.25", "1e20", "1/3", "2^53", "0.1", "-0", "3.99", "-3.99", "1e300"]).to_string(),
                4..=7 => {
                    let b = if self.r.chance(0.8) { v(self.r.pick(&[b"a" as &[u8], b"hello", b"", b"x y", b"quote\"s", b"back\\slash", b"/path", b"line\nbreak", b"\x01\x1f", b"\xc3\xa9"])) } else { self.val() };
                    lua_str(&b[..b.len().min(30)])
                }
                8 => self.r.pick(&["true", "false"]).to_string(),
                9 if allow_nil => "nil".into(),
                _ => "cjson.null".into(),
            };
        }
        let k = self.r.range(0, 5);
        match self.r.below(4) {
            0 | 1 => {
                let items: Vec<String> = (0..k).map(|_| self.lua_value(depth - 1, allow_nil)).collect();
                format!("{{{}}}", items.join(", "))
            }
            2 => {
                let items: Vec<String> = (0..k)
                    .map(|_| {
                        let key = self.r.pick(&["a", "b", "name", "id", "x", "list", "k1", "k2", "zz", "value", "_"]).to_string();
                        format!("{key} = {}", self.lua_value(depth - 1, false))
                    })
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
            _ => {
                let items: Vec<String> = (0..k)
                    .map(|_| {
                        let key = match self.r.below(4) {
                            0 => self.r.range(1, 6).to_string(),
                            1 => self.r.pick(&["10", "-1", "0", "1.5", "100"]).to_string(),
                            _ => lua_str(self.r.pick::<&[u8]>(&[b"with space" as &[u8], b"1", b"", b"\xc3\xa9", b"a\"b"])),
                        };
                        format!("[{key}] = {}", self.lua_value(depth - 1, false))
                    })
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
        }
    }

    fn table_expr(&mut self) -> String {
        let nums = |g: &mut Self| -> String {
            let k = g.r.range(0, 7);
            let xs: Vec<String> = (0..k).map(|_| g.r.range(-20, 20).to_string()).collect();
            xs.join(", ")
        };
        let strs = |g: &mut Self| -> String {
            let k = g.r.range(0, 7);
            let xs: Vec<String> = (0..k).map(|_| lua_str(g.r.pick::<&[u8]>(&[b"b" as &[u8], b"a", b"B", b"10", b"9", b"", b"ab", b"z", b"a\x00"]))).collect();
            xs.join(", ")
        };
        match self.r.below(16) {
            0 => format!("#{{{}}}", self.r.pick(&["1, nil, 3", "nil, nil, 3", "1, 2, nil", "nil", "1, 2, 3, nil, 5, nil", "nil, 2", "1, nil, nil, 4"])),
            1 => format!(
                "(function() local t = {{{}}} t[{}] = nil t[{}] = 'x' return #t end)()",
                nums(self),
                self.r.range(1, 6),
                self.r.range(1, 9)
            ),
            2 => format!("(function() local t = {{{}}} table.insert(t, {}) table.insert(t, 1, 'first') return t end)()", nums(self), self.r.range(-3, 3)),
            3 => format!("(function() local t = {{{}}} local x = table.remove(t{}) return {{x or 'none', #t, unpack(t)}} end)()", nums(self), self.r.pick(&["", ", 1", ", 2", ", #t", ", 10"])),
            4 => format!("table.concat({{{}}}, {}{})", strs(self), lua_str(self.r.pick::<&[u8]>(&[b"," as &[u8], b"", b" - "])), self.r.pick(&["", ", 2", ", 2, 3", ", 3, 2", ", 1, 10"])),
            5 => format!("table.concat({{{}}}, ',')", nums(self)),
            6 => format!("(function() local t = {{{}}} table.sort(t) return t end)()", nums(self)),
            7 => format!("(function() local t = {{{}}} table.sort(t) return t end)()", strs(self)),
            8 => format!("(function() local t = {{{}}} table.sort(t, function(a, b) return a > b end) return t end)()", nums(self)),
            9 => format!("(function() local t = {{{}, 'x'}} table.sort(t) return t end)()", nums(self)),
            10 => format!("{{unpack({{{}}}, {}, {})}}", nums(self), self.r.range(-1, 3), self.r.range(0, 5)),
            11 => format!("select('#', {})", self.r.pick(&["1, nil, 3", "nil", "", "nil, nil", "unpack({1, 2, 3})"])),
            12 => format!("{{table.getn({{{}}}), table.maxn({{[1] = 1, [7] = 2, [3.5] = 3}})}}", nums(self)),
            13 => {
                let v = self.lua_value(2, false);
                format!("(function() local ks = {{}} for k, v in pairs({v}) do if type(k) ~= 'table' then ks[#ks + 1] = k end end return ks end)()")
            }
            14 => format!(
                "(function() local t = {{}} for i = 1, {} do t[i] = i * i end for i = 1, {} do t[i] = nil end local ks = {{}} for k in pairs(t) do ks[#ks + 1] = k end return {{#t, unpack(ks)}} end)()",
                self.r.range(0, 40),
                self.r.range(0, 10)
            ),
            _ => format!(
                "(function() local t = {{}} for _, k in ipairs({{'x', 'y', 'name', 'a', 'id', 'b', 'zz', 'k1', 'value'}}) do t[k] = #k end t.{} = nil local ks = {{}} for k, v in pairs(t) do ks[#ks + 1] = k .. '=' .. v end return ks end)()",
                self.r.pick(&["x", "a", "name", "none"])
            ),
        }
    }

    fn json_expr(&mut self) -> String {
        match self.r.below(8) {
            0..=2 => format!("cjson.encode({})", self.lua_value(3, false)),
            3 => format!("cjson.encode(cjson.decode(cjson.encode({})))", self.lua_value(3, false)),
            4 | 5 => {
                let t = self.r.pick(JSON_TEXTS);
                format!("cjson.encode(cjson.decode({}))", lua_str(t.as_bytes()))
            }
            6 => {
                let t = self.r.pick(JSON_TEXTS);
                format!("(function() local x = cjson.decode({}) if type(x) == 'table' then return #x end return x end)()", lua_str(t.as_bytes()))
            }
            _ => format!(
                "cjson.encode({})",
                self.r.pick(&[
                    "{[1] = 1, [2] = 2, [4] = 4}",
                    "{[1] = 1, [20] = 2}",
                    "{1, 2, x = 3}",
                    "{1/0}",
                    "{0/0}",
                    "function() end",
                    "{[true] = 1}",
                    "{[1.5] = 1}",
                    "{{{{{{{{{{1}}}}}}}}}}",
                    "{}",
                    "''",
                    "1e15",
                    "123456789012345",
                    "-0",
                ])
            ),
        }
    }

    fn msgpack_expr(&mut self) -> String {
        match self.r.below(6) {
            0 | 1 => format!("cmsgpack.pack({})", self.lua_value(3, false)),
            2 => format!("cmsgpack.pack({}, {})", self.lua_value(1, false), self.lua_value(2, false)),
            3 => format!("cjson.encode({{cmsgpack.unpack(cmsgpack.pack({}))}})", self.lua_value(3, false)),
            4 => format!("{{cmsgpack.unpack({})}}", lua_str(self.r.pick::<&[u8]>(MSGPACK_BYTES))),
            _ => format!(
                "{{cmsgpack.{}({}{})}}",
                self.r.pick(&["unpack_one", "unpack_limit"]),
                lua_str(self.r.pick::<&[u8]>(MSGPACK_BYTES)),
                self.r.pick(&["", ", 1", ", 0", ", -1", ", 1, 1", ", 2, 0", ", 1, 5"])
            ),
        }
    }

    fn bit_expr(&mut self) -> String {
        let x = |g: &mut Self| -> String {
            g.r.pick(&["0", "1", "-1", "255", "0x7fffffff", "0xffffffff", "2^32", "2^32 + 5", "-2^31", "1.5", "-1.5", "2^53", "0x12345678", "'10'", "'abc'"]).to_string()
        };
        let f = self.r.pick(&["tobit", "bnot", "bswap", "tohex", "band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror", "tohex"]);
        match *f {
            "tobit" | "bnot" | "bswap" => format!("bit.{f}({})", x(self)),
            "tohex" => {
                if self.r.chance(0.5) {
                    format!("bit.tohex({})", x(self))
                } else {
                    format!("bit.tohex({}, {})", x(self), self.r.pick(&["2", "-4", "8", "0", "9", "-8"]))
                }
            }
            "band" | "bor" | "bxor" => {
                let k = self.r.range(1, 3);
                let xs: Vec<String> = (0..k).map(|_| x(self)).collect();
                format!("bit.{f}({})", xs.join(", "))
            }
            _ => format!("bit.{f}({}, {})", x(self), self.r.pick(&["0", "1", "4", "31", "32", "33", "-1"])),
        }
    }

    fn struct_expr(&mut self) -> String {
        let (fmt, kinds) = *self.r.pick(STRUCT_FMTS);
        let args: Vec<String> = kinds
            .chars()
            .map(|k| if k == 'n' { self.r.pick(&["1", "258", "-1", "65535", "1.5", "2^31", "-2^63", "0"]).to_string() } else { lua_str(self.r.pick::<&[u8]>(&[b"abc" as &[u8], b"", b"x\x00y"])) })
            .collect();
        let sep = if args.is_empty() { "" } else { ", " };
        let packed = format!("struct.pack('{fmt}'{sep}{})", args.join(", "));
        match self.r.below(4) {
            0 => packed,
            1 => format!("{{struct.unpack('{fmt}', {packed})}}"),
            2 => format!("struct.size('{fmt}')"),
            _ => format!(
                "{{struct.unpack({}, {}{})}}",
                lua_str(self.r.pick::<&[u8]>(&[b">I2" as &[u8], b"<i4", b"b", b"z", b"c2", b"s", b"d"])),
                lua_str(self.r.pick::<&[u8]>(&[b"\x01\x02\x03\x04\x05\x06\x07\x08" as &[u8], b"ab\x00cd", b"", b"\x00"])),
                self.r.pick(&["", ", 2", ", 0", ", 10"])
            ),
        }
    }

    /// `redis.call` / `redis.pcall` of another family's command.
    fn call_expr(&mut self, s: &mut Script, read_only: bool) -> String {
        let mut name = "";
        for _ in 0..20 {
            let fam = *self.r.pick(CALLED_FAMILIES);
            let cmds = fam.commands();
            let total: u32 = cmds.iter().map(|(_, w)| w).sum();
            let mut x = self.r.below(total.max(1) as usize) as u32;
            for &(c, w) in cmds {
                if x < w {
                    name = c;
                    break;
                }
                x -= w;
            }
            if !name.is_empty() && self.avail.has(name) && !NEVER_CALLED.contains(&name) {
                break;
            }
            name = "";
        }
        if name.is_empty() {
            name = "get";
        }
        // A read-only script mostly reads (writes fail the same way each time).
        if read_only && self.r.chance(0.5) {
            name = *self.r.pick(&["get", "exists", "type", "llen", "strlen", "zcard", "hget"]);
        }
        let mut argv = self.command(name);
        if self.r.chance(0.04) {
            self.mutate_arity(&mut argv);
        }
        let mut parts = Vec::with_capacity(argv.len());
        for (i, a) in argv.iter().enumerate() {
            if i == 0 {
                let cmd = match self.r.below(4) {
                    0 => a.to_ascii_lowercase(),
                    _ => a.clone(),
                };
                parts.push(lua_str(&cmd));
                continue;
            }
            let num = std::str::from_utf8(a).ok().and_then(|t| t.parse::<f64>().ok()).filter(|f| f.is_finite() && a.len() < 18 && !a.starts_with(b"+") && !a.starts_with(b" ") && !a.ends_with(b" "));
            let x = self.r.below(20);
            if x < 4 && KEYS.contains(&a.as_slice()) {
                parts.push(s.key_ref(a.clone()));
            } else if x < 6 {
                parts.push(s.arg_ref(a.clone()));
            } else if x < 7 && num.is_some() {
                // A Lua number: redis.call formats it with %.17g.
                parts.push(String::from_utf8_lossy(a).into_owned());
            } else {
                parts.push(lua_str(a));
            }
        }
        if self.r.chance(0.02) {
            parts.push(self.r.pick(&["nil", "{}", "true", "0.1", "1e20", "-0"]).to_string());
        }
        let call = if self.r.chance(0.3) { "redis.pcall" } else { "redis.call" };
        let e = format!("{call}({})", parts.join(", "));
        if UNORDERED.contains(&name) {
            s.prelude = true;
            return format!("S({e})");
        }
        e
    }

    fn misc_expr(&mut self) -> String {
        let k = self.r.range(0, 15);
        match self.r.below(20) {
            0 => format!("(function(...) return select('#', ...) end)({})", self.r.pick(&["1, nil, 3", "", "nil", "nil, nil, nil"])),
            1 => format!("(function() local c = 0 local function inc() c = c + {k} return c end inc() inc() return inc() end)()"),
            2 => format!("(function() local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end return fib({k}) end)()"),
            3 => format!("(function() local mt = {{__add = function(a, b) return a.v + b.v end, __concat = function(a, b) return 'cat' end, __eq = function() return true end, __lt = function(a, b) return a.v < b.v end, __index = function(t, k) return k .. '!' end, __call = function(self, x) return x * 2 end, __len = function() return 99 end, __tostring = function() return 'OBJ' end}} local a = setmetatable({{v = {k}}}, mt) local b = setmetatable({{v = 2}}, mt) return {{a + b, a .. 'x', tostring(a == b), tostring(a < b), a.foo, a({k}), #a, tostring(a)}} end)()"),
            4 => format!("(function() local t = {{}} for i = 1, 2, 0.25 do t[#t + 1] = tostring(i) end for i = {k}, 1, -3 do t[#t + 1] = i end return t end)()"),
            5 => format!("(function() local i, s = 0, '' while i < {k} do i = i + 1 s = s .. i end repeat i = i - 2 until i < 0 return {{s, i}} end)()"),
            6 => "(function() local function f(...) local a, b = ... return {a or 'nil', b or 'nil', select('#', ...)} end return f(1, nil, 3) end)()".into(),
            7 => format!("(function() local function f(n) if n == 0 then return 'done' end return f(n - 1) end return f({}) end)()", self.r.pick(&["10", "1000", "50000"])),
            8 => "(function() local goto = 5 return goto * 2 end)()".into(),
            9 => "{type(nil), type(true), type(1), type('x'), type({}), type(print == nil), tostring(nil), tostring(true), tostring(false)}".into(),
            10 => "{xpcall(function() error('z') end, function(m) return 'H:' .. m end)}".into(),
            11 => format!("{{pcall(error, {})}}", self.r.pick(&["'msg'", "'msg', 0", "nil", "12", "{err = 'T'}"])),
            12 => "(function() local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y, coroutine.status(co), tostring(coroutine.resume(co))} end)()".into(),
            13 => "(function() local t = {} t[1.0] = 'a' t[2] = 'b' t['1'] = 'c' return {t[1], t[2.0], t['1'], #t} end)()".into(),
            14 => format!("loadstring({})()", lua_str(self.r.pick::<&[u8]>(&[b"return 1 + 1" as &[u8], b"return 'x' .. 2", b"return", b"return (", b"x = 1"]))),
            15 => "{(loadstring('return (')) == nil, select(2, loadstring('return ('))}".into(),
            16 => format!("{{rawequal({k}, {k}), rawget({{{k}}}, 1), rawequal('a', 'b'), #rawget(_G, 'KEYS')}}"),
            17 => format!("(function() local t = setmetatable({{}}, {{__newindex = function(t, k, v) rawset(t, k, v * 2) end}}) t.a = {k} t.b = 1 return {{t.a, t.b}} end)()"),
            18 => "(function() local s = 0 for i, v in ipairs({10, 20, nil, 40}) do s = s + i * v end return s end)()".into(),
            _ => format!("(function() local s = {{}} for i = 1, {} do s[#s + 1] = string.format('%03d', i) end return table.concat(s, ';') end)()", self.r.range(0, 30)),
        }
    }

    /// The `redis` library's helpers (not call/pcall).
    fn redis_lib_expr(&mut self, s: &mut Script) -> String {
        match self.r.below(12) {
            0 => format!("redis.sha1hex({})", self.subject()),
            1 => "redis.sha1hex()".into(),
            2 => "redis.REDIS_VERSION .. ' ' .. redis.REDIS_VERSION_NUM".into(),
            3 => "{redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING, redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}".into(),
            4 => format!("redis.error_reply({})", self.subject()),
            5 => format!("redis.status_reply({})", self.subject()),
            6 => "redis.setresp(4)".into(),
            7 => format!("redis.acl_check_cmd({})", self.r.pick(&["'get', 'x'", "'set'", "'nosuch'", "'hset', 'h', 'f', 'v'", ""])),
            8 => "(function() redis.log(redis.LOG_WARNING, 'from a script') return 'logged' end)()".into(),
            9 => "redis.replicate_commands()".into(),
            10 => {
                let k = self.key();
                let kr = s.key_ref(k);
                format!("#KEYS + #ARGV + #{kr}")
            }
            _ => format!("{{redis.set_repl(redis.REPL_ALL), redis.set_repl({})}}", self.r.pick(&["99", "'x'", "redis.REPL_NONE"])),
        }
    }

    /// A value at the return position: the reply conversions.
    fn reply_value(&mut self, s: &mut Script) -> String {
        match self.r.below(24) {
            0 => format!("redis.error_reply({})", lua_str(self.r.pick::<&[u8]>(&[b"My error" as &[u8], b"-ERR with dash", b"", b"WRONG code"]))),
            1 => format!("redis.status_reply({})", lua_str(self.r.pick::<&[u8]>(&[b"FINE" as &[u8], b"", b"two words"]))),
            2 => format!("{{err = {}}}", lua_str(self.r.pick::<&[u8]>(&[b"MYERR custom" as &[u8], b"plain", b"", b"-dash"]))),
            3 => format!("{{ok = {}}}", lua_str(self.r.pick::<&[u8]>(&[b"DONE" as &[u8], b""]))),
            4..=7 => self.lua_value(3, true),
            8 => self.r.pick(&["true", "false", "nil", "3.99", "-3.99", "0.5", "2^63", "-2^63", "1e300", "0/0", "1/0", "-0", "''"]).to_string(),
            9 => format!("{{double = {}}}", self.r.pick(&["3.14", "0.1", "1/0", "-1/0", "0/0", "1e300", "-0", "5", "'2.5'", "'abc'"])),
            10 => format!("{{map = {}}}", self.r.pick(&["{a = 1}", "{a = 1, b = 'x', c = {1, 2}}", "{}", "{[1] = 2, [true] = false}", "{name = 'n', id = 7, k1 = cjson.null}"])),
            11 => format!("{{set = {}}}", self.r.pick(&["{a = true}", "{a = true, b = true, c = true}", "{}", "{1, 2}", "{x = false}"])),
            12 => format!("{{big_number = {}}}", self.r.pick(&["'12345678901234567890'", "'-1'", "123", "''"])),
            13 => "{verbatim_string = {format = 'txt', string = 'hello'}}".into(),
            14 => "{1, {err = 'inner'}, {ok = 'fine'}, {double = 1.5}, {map = {a = 1}}}".into(),
            15 => {
                // RESP3 replies converted to Lua and back.
                let k = s.key_ref(v(b"{sc}h"));
                format!("(function() redis.call('del', {k}) redis.call('hset', {k}, 'a', '1', 'b', '2', 'c', '3') redis.setresp(3) return redis.call('hgetall', {k}) end)()")
            }
            16 => {
                let k = s.key_ref(v(b"{sc}z"));
                format!("(function() redis.call('del', {k}) redis.call('zadd', {k}, 1, 'a', 2.5, 'b', '-inf', 'c') redis.setresp(3) return {{redis.call('zrange', {k}, 0, -1, 'withscores'), redis.call('zscore', {k}, 'b'), redis.call('zscore', {k}, 'nope')}} end)()")
            }
            17 => {
                let k = s.key_ref(v(b"{sc}s"));
                format!("(function() redis.call('del', {k}) redis.call('sadd', {k}, 'only') redis.setresp(3) return redis.call('smembers', {k}) end)()")
            }
            18 => "(function() redis.setresp(3) return {redis.call('ping'), redis.call('get', 'nosuchkey{sc}'), redis.call('exists', 'x'), redis.pcall('incr', 'nosuchkey{sc}'), redis.call('echo', 'e')} end)()".into(),
            19 => "(function() redis.setresp(3) local t = redis.call('hgetall', 'nosuchkey{sc}') return cjson.encode(t) end)()".into(),
            20 => "{1, 2, nil, 4}".into(),
            21 => "{1, false, 'x', true}".into(),
            22 => format!("{{k = 1, {}}}", self.lua_value(1, false)),
            _ => format!("{{{{{{{}}}}}}}", self.lua_value(2, true)),
        }
    }

    /// A statement that fails on purpose.
    fn failing(&mut self, s: &mut Script) -> String {
        match self.r.below(30) {
            0 => "return undefined_global_x".into(),
            1 => "newglobal = 1".into(),
            2 => "local t = nil return t.x".into(),
            3 => "return 1 + {}".into(),
            4 => "return #5".into(),
            5 => "return 'a' < 1".into(),
            6 => "return ('x'):bad()".into(),
            7 => "return string.rep()".into(),
            8 => "return math.floor('a')".into(),
            9 => format!("error({})", self.r.pick(&["'boom'", "'boom', 0", "'boom', 2", "{err = 'MY custom error'}", "{err = 'ERR starts with ERR'}", "nil", "42", "true"])),
            10 => "assert(false)".into(),
            11 => "assert(nil, 'assert message')".into(),
            12 => format!("return redis.call({})", self.r.pick(&["'set'", "'nosuch'", "'multi'", "'eval', 'return 1', '0'", "'get', {}", "'get', nil", "", "1", "'subscribe', 'c'", "'blpop', 'x', '0'", "'script', 'load', 'return 1'", "'client', 'list'", "'set', 'k'"])),
            13 => "string.x = 1".into(),
            14 => "rawset(_G, 'x', 1)".into(),
            15 => "setmetatable(_G, nil)".into(),
            16 => "local f = nil f()".into(),
            17 => "return nosuchfn()".into(),
            18 => "return {} .. 'x'".into(),
            19 => "local t = {} t[nil] = 1".into(),
            20 => "local t = {} t[0/0] = 1".into(),
            21 => "return (function() local function f(n) return 1 + f(n + 1) end return f(1) end)()".into(),
            22 => "return string.rep('x', -1) .. math.huge".into(),
            23 => "return (1)()".into(),
            24 => "return select(0, 1)".into(),
            25 => "return ('x'):rep(3, 'sep')".into(),
            26 => {
                let k = s.key_ref(self.key());
                format!("redis.call('set', {k}, 'before error') error('after a write')")
            }
            27 => "return loadstring('x = ')()".into(),
            28 => "return tostring(setmetatable({}, {__tostring = function() return 1 end}))".into(),
            _ => "return KEYS[1] .. ARGV[1]".into(),
        }
    }

    /// Scripts as users write them, over KEYS and ARGV.
    fn user_pattern(&mut self, s: &mut Script) {
        let k = self.key();
        let kr = s.key_ref(k);
        match self.r.below(10) {
            0 => {
                // Lock release.
                let tok = v(self.r.pick(&[b"tok1" as &[u8], b"tok2", b"1"]));
                let ar = s.arg_ref(tok);
                s.lines.push(format!("if redis.call('get', {kr}) == {ar} then return redis.call('del', {kr}) else return 0 end"));
            }
            1 => {
                // Lock acquire.
                let tok = v(self.r.pick(&[b"tok1" as &[u8], b"tok2"]));
                let ar = s.arg_ref(tok);
                let ttl = s.arg_ref(n(self.r.range(100_000, 900_000)));
                s.lines.push(format!("return redis.call('set', {kr}, {ar}, 'NX', 'PX', {ttl})"));
            }
            2 => {
                // Counter with a cap.
                let cap = s.arg_ref(n(self.r.range(0, 5)));
                s.lines.push(format!("local c = tonumber(redis.call('get', {kr}) or '0') if c >= tonumber({cap}) then return -1 end return redis.call('incr', {kr})"));
            }
            3 => {
                // Read-modify-write of a JSON document.
                let f = s.arg_ref(v(self.r.pick(&[b"a" as &[u8], b"b"])));
                s.lines.push(format!("local doc = cjson.decode(redis.call('get', {kr}) or '{{}}') doc[{f}] = (doc[{f}] or 0) + 1 redis.call('set', {kr}, cjson.encode(doc)) return cjson.encode(doc)"));
            }
            4 => {
                // Sliding window with explicit times (no clock).
                let now = s.arg_ref(n(self.r.range(1000, 1010)));
                let win = s.arg_ref(n(self.r.range(1, 5)));
                let lim = s.arg_ref(n(self.r.range(1, 4)));
                let mem = s.arg_ref(n(self.r.range(0, 1_000_000)));
                s.lines.push(format!(
                    "redis.call('zremrangebyscore', {kr}, 0, {now} - {win}) local c = redis.call('zcard', {kr}) if c < tonumber({lim}) then redis.call('zadd', {kr}, {now}, {mem}) redis.call('pexpire', {kr}, 100000000) return 1 end return 0"
                ));
            }
            6 => {
                // Cache-aside: read, or fill with a TTL.
                let val = s.arg_ref(self.val());
                let ttl = s.arg_ref(n(self.r.range(100_000, 900_000)));
                s.lines.push(format!("local v = redis.call('get', {kr}) if v then return v end redis.call('set', {kr}, {val}, 'PX', {ttl}) return {val}"));
            }
            7 => {
                // A job queue's move to "active" (BullMQ's shape).
                let k2 = s.key_ref(self.key());
                let k3 = s.key_ref(self.key());
                let stamp = s.arg_ref(n(self.r.range(1, 1000)));
                s.lines.push(format!(
                    "local job = redis.call('rpoplpush', {kr}, {k2}) if job then redis.call('hset', {k3}, job, {stamp}) redis.call('zadd', {k3} .. ':z', {stamp}, job) end return job"
                ));
            }
            8 => {
                // A counting semaphore over a sorted set, explicit times.
                let now = s.arg_ref(n(self.r.range(1000, 1010)));
                let id = s.arg_ref(v(self.r.pick::<&[u8]>(&[b"a", b"b", b"c", b"d"])));
                let lim = s.arg_ref(n(self.r.range(1, 3)));
                s.lines.push(format!(
                    "redis.call('zremrangebyscore', {kr}, '-inf', {now} - 5) if redis.call('zcard', {kr}) >= tonumber({lim}) then return redis.error_reply('SEMFULL') end return redis.call('zadd', {kr}, 'NX', {now}, {id})"
                ));
            }
            9 => {
                // A token bucket in a hash (HMGET/HSET, math.min/floor).
                let now = s.arg_ref(n(self.r.range(1000, 1100)));
                let rate = s.arg_ref(n(self.r.range(1, 5)));
                let cap = s.arg_ref(n(self.r.range(1, 10)));
                s.lines.push(format!(
                    "local b = redis.call('hmget', {kr}, 'tokens', 'ts') local tokens = tonumber(b[1]) or tonumber({cap}) local ts = tonumber(b[2]) or tonumber({now}) tokens = math.min(tonumber({cap}), tokens + math.max(0, tonumber({now}) - ts) * tonumber({rate}) / 10) local ok = tokens >= 1 if ok then tokens = tokens - 1 end redis.call('hset', {kr}, 'tokens', tokens, 'ts', {now}) return {{ok and 1 or 0, tostring(tokens)}}"
                ));
            }
            _ => {
                // Move list items to a hash.
                let k2 = s.key_ref(self.key());
                s.lines.push(format!(
                    "local items = redis.call('lrange', {kr}, 0, 4) for i, x in ipairs(items) do redis.call('hset', {k2}, 'f' .. i, x) end return #items"
                ));
            }
        }
    }
}
