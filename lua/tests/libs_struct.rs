//! struct against redis-server 7.0.15: `tests/data/libs_struct_vectors.tsv`
//! holds 2000 random formats (endianness, alignment, every option and size)
//! with random arguments and data, and what Redis's Lua returned for
//! `struct.pack`, `struct.unpack` and `struct.size` (values as `%.17g` or
//! hex), or the error. Regenerate with `libs_struct_vectors.py`.

use redlet_lua::api::Lua;
use redlet_lua::number::{fmt_number, format_float, str2number, FormatSpec};
use redlet_lua::value::Value;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

fn val(lua: &Lua<()>, v: Value) -> String {
    match v {
        Value::Number(n) => {
            let mut out = Vec::new();
            format_float(&FormatSpec { precision: Some(17), ..Default::default() }, b'g', n, &mut out);
            format!("n{}", String::from_utf8(out).unwrap())
        }
        Value::String(s) => format!("s{}", hex(lua.str_bytes(s))),
        other => format!("{other:?}"),
    }
}

#[test]
fn struct_vectors_match_redis() {
    let mut lua: Lua<()> = Lua::new();
    redlet_lua::lib_struct::open_struct(&mut lua);
    let g = lua.globals();
    let k = lua.new_string(b"struct");
    let Value::Table(st) = lua.raw_get(g, Value::String(k)) else { panic!() };
    let mut f = |name: &[u8]| {
        let k = lua.new_string(name);
        lua.raw_get(st, Value::String(k))
    };
    let (pack, unpack, size) = (f(b"pack"), f(b"unpack"), f(b"size"));
    let mut failures = Vec::new();
    for line in include_str!("data/libs_struct_vectors.tsv").lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "bad line {line:?}");
        let parts: Vec<&str> = cols[0].split('|').collect();
        let fmt = Value::String(lua.new_string(&unhex(parts[0])));
        let mut args = vec![fmt];
        let list = String::from_utf8(unhex(parts[1])).unwrap();
        for item in list.split(';').filter(|i| !i.is_empty()) {
            args.push(match item.split_at(1) {
                ("n", n) => Value::Number(str2number(n.as_bytes()).unwrap()),
                (_, s) => Value::String(lua.new_string(&unhex(s))),
            });
        }
        let err = |lua: &mut Lua<()>, e| format!("err {}", String::from_utf8_lossy(&lua.error_bytes(&e)));
        let p = match lua.call(&mut (), pack, &args) {
            Ok(v) => match v[0] {
                Value::String(s) => hex(lua.str_bytes(s)),
                other => format!("{other:?}"),
            },
            Err(e) => err(&mut lua, e),
        };
        let data = Value::String(lua.new_string(&unhex(parts[2])));
        let pos = Value::Number(parts[3].parse().unwrap());
        let u = match lua.call(&mut (), unpack, &[fmt, data, pos]) {
            Ok(v) => v.iter().map(|x| val(&lua, *x)).collect::<Vec<_>>().join(";"),
            Err(e) => err(&mut lua, e),
        };
        let z = match lua.call(&mut (), size, &[fmt]) {
            Ok(v) => match v[0] {
                Value::Number(n) => {
                    let mut out = Vec::new();
                    fmt_number(n, &mut out);
                    String::from_utf8(out).unwrap()
                }
                other => format!("{other:?}"),
            },
            Err(e) => err(&mut lua, e),
        };
        if p != cols[1] || u != cols[2] || z != cols[3] {
            failures.push(format!("{line}\n  got {p}\t{u}\t{z}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
