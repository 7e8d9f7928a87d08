//! Robustness: every function of the string, cjson, cmsgpack, bit and struct
//! libraries called with random arguments (numbers at the edges, random and
//! structured bytes, tables, functions), and the decoders fed random and
//! mutated input. Errors are expected; a panic or a hang is a failure.

use redlet_lua::api::Lua;
use redlet_lua::value::Value;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const NUMBERS: &[f64] = &[
    0.0, -0.0, 1.0, -1.0, 2.5, 255.0, 256.0, 1e10, -1e10, 2147483648.0, 4294967296.0, 9.2e18, 1.8e19, 1e300,
    f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 0.1, 33.0, 100.0, 7999.0, 8001.0, -2147483649.0,
];

const PIECES: &[&[u8]] = &[
    b"%", b"%d", b"%s", b"%5.2f", b"%q", b"%c", b"%x", b"%-+ #0", b"%99.99f", b"(", b")", b"()", b"%b()", b"%f[%w]",
    b"[", b"]", b"[^", b"%1", b"%0", b"*", b"+", b"-", b"?", b"^", b"$", b".", b"a", b"\0", b"\xff", b"{", b"}",
    b"\"", b"\\u", b"\\ud800", b"[1,", b"null", b"true", b"1e", b"0x", b"<", b">", b"!4", b"i", b"I16", b"c0",
    b"s", b"d", b"f", b"b", b"h", b"l", b"x", b"\x91", b"\x81", b"\xdc\xff\xff", b"\xdb\xff\xff\xff\xff", b"\xcb",
];

fn random_bytes(r: &mut Rng) -> Vec<u8> {
    let mut v = Vec::new();
    for _ in 0..r.below(8) {
        if r.below(3) == 0 {
            v.push(r.next() as u8);
        } else {
            v.extend_from_slice(PIECES[r.below(PIECES.len())]);
        }
    }
    v
}

fn random_value(lua: &mut Lua<()>, r: &mut Rng, depth: usize) -> Value {
    match r.below(9) {
        0 => Value::Nil,
        1 => Value::Boolean(r.below(2) == 0),
        2 | 3 => Value::Number(NUMBERS[r.below(NUMBERS.len())]),
        4 => Value::Number((r.next() % 2000) as f64 - 1000.0),
        5 | 6 => {
            let b = random_bytes(r);
            Value::String(lua.new_string(&b))
        }
        7 if depth < 3 => {
            let t = lua.new_table(0, 0);
            for _ in 0..r.below(6) {
                let k = random_value(lua, r, depth + 1);
                let v = random_value(lua, r, depth + 1);
                let _ = lua.raw_set(t, k, v);
            }
            Value::Table(t)
        }
        _ => Value::LightUserData(r.below(2)),
    }
}

fn field(lua: &mut Lua<()>, t: Value, name: &[u8]) -> Value {
    let Value::Table(t) = t else { return Value::Nil };
    let k = lua.new_string(name);
    lua.raw_get(t, Value::String(k))
}

#[test]
fn library_functions_survive_random_arguments() {
    let mut lua: Lua<()> = Lua::new();
    lua.open_base();
    redlet_lua::lib_string::open_string(&mut lua);
    redlet_lua::lib_cjson::open_cjson(&mut lua);
    redlet_lua::lib_cmsgpack::open_cmsgpack(&mut lua);
    redlet_lua::lib_bit::open_bit(&mut lua);
    redlet_lua::lib_struct::open_struct(&mut lua);
    lua.set_memory_limit(64 << 20);
    let g = Value::Table(lua.globals());
    let mut funcs = Vec::new();
    for lib in [&b"string"[..], b"cjson", b"cmsgpack", b"bit", b"struct"] {
        let t = field(&mut lua, g, lib);
        let mut k = Value::Nil;
        let Value::Table(tr) = t else { panic!("no library") };
        while let Some((key, v)) = lua.next(tr, k).unwrap() {
            if let Value::Function(_) = v {
                funcs.push((String::from_utf8_lossy(&lua.tostring(key)).into_owned(), v));
            }
            k = key;
        }
    }
    assert!(funcs.len() > 40);
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..20000 {
        let (_, f) = &funcs[r.below(funcs.len())];
        let n = r.below(5);
        let args: Vec<Value> = (0..n).map(|_| random_value(&mut lua, &mut r, 0)).collect();
        let _ = lua.call(&mut (), *f, &args);
        if round % 1000 == 0 {
            lua.gc_collect();
        }
    }
}

#[test]
fn decoders_survive_random_input() {
    let mut lua: Lua<()> = Lua::new();
    redlet_lua::lib_cjson::open_cjson(&mut lua);
    redlet_lua::lib_cmsgpack::open_cmsgpack(&mut lua);
    redlet_lua::lib_struct::open_struct(&mut lua);
    let g = Value::Table(lua.globals());
    let cjson = field(&mut lua, g, b"cjson");
    let decode = field(&mut lua, cjson, b"decode");
    let cmsgpack = field(&mut lua, g, b"cmsgpack");
    let unpack = field(&mut lua, cmsgpack, b"unpack");
    let st = field(&mut lua, g, b"struct");
    let sunpack = field(&mut lua, st, b"unpack");
    let mut r = Rng(12345);
    let seeds: &[&[u8]] = &[
        b"{\"a\":[1,2,{\"b\":null}],\"c\":\"\\u00e9\"}",
        b"[1.5e3,-0,true,false,\"x\\n\"]",
        b"\x93\x01\xa1x\x81\xa1k\xc3",
        b"\xdc\x00\x03\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00\xd9\x02ab\xc0",
    ];
    for _ in 0..30000 {
        let mut b = seeds[r.below(seeds.len())].to_vec();
        for _ in 0..r.below(4) {
            match r.below(3) {
                0 if !b.is_empty() => {
                    let i = r.below(b.len());
                    b[i] = r.next() as u8;
                }
                1 if !b.is_empty() => {
                    let i = r.below(b.len());
                    b.truncate(i);
                }
                _ => b.extend_from_slice(&random_bytes(&mut r)),
            }
        }
        let s = Value::String(lua.new_string(&b));
        let _ = lua.call(&mut (), decode, &[s]);
        let _ = lua.call(&mut (), unpack, &[s]);
        let f = Value::String(lua.new_string(&random_bytes(&mut r)));
        let _ = lua.call(&mut (), sunpack, &[f, s]);
    }
    // Deep nesting stays within the limits and off the Rust stack.
    for input in [vec![b'['; 200_000], vec![0x91; 200_000], b"{\"a\":".repeat(50_000)] {
        let s = Value::String(lua.new_string(&input));
        assert!(lua.call(&mut (), decode, &[s]).is_err());
        let r = lua.call(&mut (), unpack, &[s]);
        assert!(r.is_err());
    }
}

#[test]
fn results_respect_the_memory_limit() {
    let mut lua: Lua<()> = Lua::new();
    lua.open_base();
    redlet_lua::lib_string::open_string(&mut lua);
    redlet_lua::lib_cjson::open_cjson(&mut lua);
    redlet_lua::lib_cmsgpack::open_cmsgpack(&mut lua);
    lua.set_memory_limit(8 << 20);
    for src in [
        &b"return string.rep('x', 1e9)"[..],
        b"return string.rep('abc', 2^31 - 1)",
        b"local s = string.rep('x', 1e6) return s:rep(100)",
        b"local s = string.rep('x', 1e6) return (s:gsub('x', 'yyyyyyyyyy'))",
        b"return string.format('%s%s', string.rep('x', 5e6), string.rep('y', 5e6))",
        b"local j = cjson.new() j.encode_sparse_array(false, 0) return j.encode({[2^31 - 1] = 1})",
        b"local s = string.rep('x', 1e5) local t = {} for i = 1, 200 do t[i] = s end return cjson.encode(t)",
        b"local s = string.rep('x', 1e5) local t = {} for i = 1, 200 do t[i] = s end return cmsgpack.pack(t)",
    ] {
        let f = lua.load(src, b"=t").unwrap();
        let e = lua.call(&mut (), Value::Function(f), &[]).unwrap_err();
        assert_eq!(lua.error_bytes(&e), b"not enough memory", "{}", String::from_utf8_lossy(src));
        lua.gc_collect();
    }
}
