//! The table library (ltablib.c of Lua 5.1.5): `insert`, `remove`, `concat`,
//! `sort` (5.1's exact quicksort, so comparators see the same calls and
//! "invalid order function for sorting" fires at the same point), `getn`,
//! `maxn`, `foreach`, `foreachi`, `setn` (obsolete, as in 5.1).
//!
//! Values a function holds across a comparator call are kept on its own
//! stack slots (the collector may run inside the comparator).

use alloc::vec::Vec;

use crate::api::{Ctx, Host, Lua};
use crate::lib_base::{check_int, opt_int};
use crate::value::{LuaError, TableRef, Value};

impl<H: Host> Lua<H> {
    /// Opens the `table` library (luaopen_table).
    pub fn open_table(&mut self) {
        let t = self.new_table(0, 9);
        self.register(t, "concat", tab_concat::<H>);
        self.register(t, "foreach", tab_foreach::<H>);
        self.register(t, "foreachi", tab_foreachi::<H>);
        self.register(t, "getn", tab_getn::<H>);
        self.register(t, "maxn", tab_maxn::<H>);
        self.register(t, "insert", tab_insert::<H>);
        self.register(t, "remove", tab_remove::<H>);
        self.register(t, "setn", tab_setn::<H>);
        self.register(t, "sort", tab_sort::<H>);
        let g = self.globals;
        let k = self.new_string(b"table");
        let _ = self.raw_set(g, Value::String(k), Value::Table(t));
    }
}

/// aux_getn: checks a table argument and returns `#t` as a C int.
fn aux_getn<H: Host>(ctx: &mut Ctx<'_, H>, i: usize) -> Result<(TableRef, i64), LuaError> {
    let t = ctx.check_table(i)?;
    Ok((t, ctx.lua_ref().raw_len(t) as i32 as i64))
}

/// lua_rawseti, with Redis's read-only tables refused.
fn rawseti<H: Host>(ctx: &mut Ctx<'_, H>, t: TableRef, i: i64, v: Value) -> Result<(), LuaError> {
    if ctx.lua_ref().heap.table(t).readonly {
        return Err(ctx.lua().plain_error(b"Attempt to modify a readonly table"));
    }
    ctx.lua().raw_set_int(t, i, v)
}

fn rawgeti<H: Host>(ctx: &mut Ctx<'_, H>, t: TableRef, i: i64) -> Value {
    ctx.lua_ref().raw_get_int(t, i)
}

fn check_function<H: Host>(ctx: &mut Ctx<'_, H>, i: usize) -> Result<Value, LuaError> {
    match ctx.arg(i) {
        v @ Value::Function(_) => Ok(v),
        _ => Err(ctx.type_error(i, "function")),
    }
}

fn tab_foreachi<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, n) = aux_getn(ctx, 1)?;
    let f = check_function(ctx, 2)?;
    for i in 1..=n {
        let v = rawgeti(ctx, t, i);
        let r = ctx.call1(f, &[Value::Number(i as f64), v])?;
        if !r.is_nil() {
            ctx.push(r)?;
            return Ok(1);
        }
    }
    Ok(0)
}

fn tab_foreach<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let f = check_function(ctx, 2)?;
    // The current key lives on the stack, for the collector.
    ctx.push(Value::Nil)?;
    loop {
        let k = ctx.lua_ref().stack[ctx.lua_ref().top - 1];
        let next = ctx.lua().next(t, k);
        let Some((k, v)) = (match next {
            Ok(x) => x,
            Err(_) => return Err(ctx.lua().plain_error(b"invalid key to 'next'")),
        }) else {
            return Ok(0);
        };
        let top = ctx.lua_ref().top;
        ctx.lua().stack[top - 1] = k;
        let r = ctx.call1(f, &[k, v])?;
        if !r.is_nil() {
            ctx.push(r)?;
            return Ok(1);
        }
    }
}

fn tab_maxn<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let t = ctx.check_table(1)?;
    let mut max = 0.0f64;
    let mut k = Value::Nil;
    while let Ok(Some((nk, _))) = ctx.lua_ref().next(t, k) {
        if let Value::Number(v) = nk {
            if v > max {
                max = v;
            }
        }
        k = nk;
    }
    ctx.push(Value::Number(max))?;
    Ok(1)
}

fn tab_getn<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (_, n) = aux_getn(ctx, 1)?;
    ctx.push(Value::Number(n as f64))?;
    Ok(1)
}

fn tab_setn<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    ctx.check_table(1)?;
    Err(ctx.error(b"'setn' is obsolete"))
}

fn tab_insert<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, n) = aux_getn(ctx, 1)?;
    let mut e = n + 1;
    let pos;
    match ctx.nargs() {
        2 => pos = e,
        3 => {
            pos = check_int(ctx, 2)?;
            if pos > e {
                e = pos;
            }
            let mut i = e;
            while i > pos {
                let v = rawgeti(ctx, t, i - 1);
                rawseti(ctx, t, i, v)?;
                i -= 1;
            }
        }
        _ => return Err(ctx.error(b"wrong number of arguments to 'insert'")),
    }
    let v = ctx.arg(ctx.nargs());
    rawseti(ctx, t, pos, v)?;
    Ok(0)
}

fn tab_remove<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, e) = aux_getn(ctx, 1)?;
    let mut pos = opt_int(ctx, 2, e)?;
    if !(1 <= pos && pos <= e) {
        return Ok(0);
    }
    let r = rawgeti(ctx, t, pos);
    ctx.push(r)?;
    while pos < e {
        let v = rawgeti(ctx, t, pos + 1);
        rawseti(ctx, t, pos, v)?;
        pos += 1;
    }
    rawseti(ctx, t, e, Value::Nil)?;
    Ok(1)
}

fn tab_concat<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let sep = match ctx.opt_bytes(2)? {
        Some(s) => ctx.lua_ref().str_rc(s),
        None => alloc::sync::Arc::from(&b""[..]),
    };
    let t = ctx.check_table(1)?;
    let mut i = opt_int(ctx, 3, 1)?;
    let last = if ctx.arg(4).is_nil() { ctx.lua_ref().raw_len(t) as i32 as i64 } else { check_int(ctx, 4)? };
    let mut buf: Vec<u8> = Vec::new();
    let addfield = |ctx: &mut Ctx<'_, H>, buf: &mut Vec<u8>, i: i64| -> Result<(), LuaError> {
        let v = rawgeti(ctx, t, i);
        match v {
            Value::String(s) => buf.extend_from_slice(ctx.lua_ref().str_bytes(s)),
            Value::Number(n) => crate::vm::fmt_number(n, buf),
            other => {
                let mut m = b"invalid value (".to_vec();
                m.extend_from_slice(other.type_name().as_bytes());
                m.extend_from_slice(b") at index ");
                if i < 0 {
                    m.push(b'-');
                }
                crate::debug::push_decimal(&mut m, i.unsigned_abs());
                m.extend_from_slice(b" in table for 'concat'");
                return Err(ctx.error(&m));
            }
        }
        Ok(())
    };
    while i < last {
        addfield(ctx, &mut buf, i)?;
        buf.extend_from_slice(&sep);
        i += 1;
        // Stop before the buffer alone takes the state over its limit
        // (no collection here: the native holds the buffer).
        let lua = ctx.lua_ref();
        if lua.memory_limit != 0 && lua.memory_used().saturating_add(buf.len().saturating_mul(2)) > lua.memory_limit {
            return Err(LuaError::Memory);
        }
    }
    if i == last {
        addfield(ctx, &mut buf, i)?;
    }
    ctx.push_bytes(&buf)?;
    Ok(1)
}

/// The sort state: the table, the comparator (or nil), and the native's
/// stack slots used as C Lua's stack (so held values stay rooted).
struct Sorter {
    t: TableRef,
    comp: Value,
}

impl Sorter {
    /// sort_comp: `a < b` by the comparator or by `<` with metamethods.
    fn lt<H: Host>(&self, ctx: &mut Ctx<'_, H>, a: Value, b: Value) -> Result<bool, LuaError> {
        if !self.comp.is_nil() {
            Ok(!ctx.call1(self.comp, &[a, b])?.is_falsy())
        } else {
            if let (Value::Number(x), Value::Number(y)) = (a, b) {
                return Ok(x < y);
            }
            // Operands go on the stack for the collector and for metamethods.
            let top = ctx.lua_ref().top;
            ctx.push(a)?;
            ctx.push(b)?;
            let host = &mut *ctx.host;
            let r = ctx.lua.less_than(host, a, b);
            ctx.lua.top = top;
            r
        }
    }

    fn get<H: Host>(&self, ctx: &mut Ctx<'_, H>, i: i64) -> Value {
        ctx.lua_ref().raw_get_int(self.t, i)
    }

    fn set<H: Host>(&self, ctx: &mut Ctx<'_, H>, i: i64, v: Value) -> Result<(), LuaError> {
        rawseti(ctx, self.t, i, v)
    }

    /// auxsort, with its tail recursion as a loop and its recursion on the
    /// smaller half (depth at most log2(n)).
    fn auxsort<H: Host>(&self, ctx: &mut Ctx<'_, H>, mut l: i64, mut u: i64, pivot_slot: usize) -> Result<(), LuaError> {
        while l < u {
            // sort elements a[l], a[(l+u)/2] and a[u]
            let al = self.get(ctx, l);
            let au = self.get(ctx, u);
            if self.lt(ctx, au, al)? {
                self.set(ctx, l, au)?;
                self.set(ctx, u, al)?;
            }
            if u - l == 1 {
                break;
            }
            let mut i = (l + u) / 2;
            let ai = self.get(ctx, i);
            let al = self.get(ctx, l);
            if self.lt(ctx, ai, al)? {
                self.set(ctx, i, al)?;
                self.set(ctx, l, ai)?;
            } else {
                let au = self.get(ctx, u);
                if self.lt(ctx, au, ai)? {
                    self.set(ctx, i, au)?;
                    self.set(ctx, u, ai)?;
                }
            }
            if u - l == 2 {
                break;
            }
            let p = self.get(ctx, i);
            ctx.lua().stack[pivot_slot] = p;
            let au1 = self.get(ctx, u - 1);
            self.set(ctx, i, au1)?;
            self.set(ctx, u - 1, p)?;
            i = l;
            let mut j = u - 1;
            loop {
                loop {
                    i += 1;
                    let ai = self.get(ctx, i);
                    if !self.lt(ctx, ai, p)? {
                        break;
                    }
                    if i > u {
                        return Err(ctx.error(b"invalid order function for sorting"));
                    }
                }
                loop {
                    j -= 1;
                    let aj = self.get(ctx, j);
                    if !self.lt(ctx, p, aj)? {
                        break;
                    }
                    if j < l {
                        return Err(ctx.error(b"invalid order function for sorting"));
                    }
                }
                if j < i {
                    break;
                }
                let ai = self.get(ctx, i);
                let aj = self.get(ctx, j);
                self.set(ctx, i, aj)?;
                self.set(ctx, j, ai)?;
            }
            let au1 = self.get(ctx, u - 1);
            let ai = self.get(ctx, i);
            self.set(ctx, u - 1, ai)?;
            self.set(ctx, i, au1)?;
            let (nj, ni);
            if i - l < u - i {
                nj = l;
                ni = i - 1;
                l = i + 1;
            } else {
                nj = i + 1;
                ni = u;
                u = i - 1;
            }
            self.auxsort(ctx, nj, ni, pivot_slot + 1)?;
        }
        Ok(())
    }
}

fn tab_sort<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let (t, n) = aux_getn(ctx, 1)?;
    let comp = ctx.arg(2);
    if !comp.is_nil() {
        check_function(ctx, 2)?;
    }
    // One stack slot per recursion level for the pivot (at most 40 levels
    // for any array that fits in memory, as ltablib assumes).
    let pivot_base = ctx.lua_ref().top;
    for _ in 0..64 {
        ctx.push(Value::Nil)?;
    }
    let s = Sorter { t, comp };
    s.auxsort(ctx, 1, n, pivot_base)?;
    Ok(0)
}
