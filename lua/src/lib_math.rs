//! The math library (lmathlib.c of Lua 5.1.5), over `libm`.
//!
//! `math.random`/`math.randomseed` use glibc's `rand()`/`srand()` (the
//! TYPE_3 additive feedback generator), so sequences match `lua5.1` on
//! Linux; Redis replaces both with its own generator, which the embedder
//! registers over these.

use crate::api::{Ctx, Host, Lua};
use crate::lib_base::check_int;
use crate::value::{LuaError, Value};

/// glibc's `random_r` state for `rand()` (TYPE_3: degree 31, separation 3).
#[derive(Clone, Debug)]
pub(crate) struct GlibcRand {
    r: [i32; 34],
    f: usize,
    b: usize,
}

impl GlibcRand {
    /// srand(seed).
    pub(crate) fn new(seed: u32) -> GlibcRand {
        let mut r = [0i32; 34];
        r[0] = if seed == 0 { 1 } else { seed as i32 };
        for i in 1..31 {
            // 16807 * r[i-1] % 2147483647 without overflow (Schrage).
            let hi = r[i - 1] / 127_773;
            let lo = r[i - 1] % 127_773;
            let mut word = 16_807i32.wrapping_mul(lo).wrapping_sub(2_836i32.wrapping_mul(hi));
            if word < 0 {
                word = word.wrapping_add(2_147_483_647);
            }
            r[i] = word;
        }
        let mut g = GlibcRand { r, f: 3, b: 0 };
        // srandom_r discards 10 * 31 outputs.
        for _ in 0..310 {
            g.next();
        }
        g
    }

    /// rand(): the next value in 0..=RAND_MAX.
    pub(crate) fn next(&mut self) -> i32 {
        // state[f] += state[b]; result = state[f] >> 1 (over the 31 words).
        let s = &mut self.r;
        s[self.f] = s[self.f].wrapping_add(s[self.b]);
        let result = ((s[self.f] as u32) >> 1) as i32;
        self.f += 1;
        if self.f >= 31 {
            self.f = 0;
        }
        self.b += 1;
        if self.b >= 31 {
            self.b = 0;
        }
        result
    }
}

impl Default for GlibcRand {
    fn default() -> Self {
        GlibcRand::new(1)
    }
}

const RAND_MAX: i32 = 2_147_483_647;

impl<H: Host> Lua<H> {
    /// Opens the `math` library (luaopen_math, with 5.1's `math.mod`).
    pub fn open_math(&mut self) {
        let t = self.new_table(0, 32);
        self.register(t, "abs", m_abs::<H>);
        self.register(t, "acos", m_acos::<H>);
        self.register(t, "asin", m_asin::<H>);
        self.register(t, "atan2", m_atan2::<H>);
        self.register(t, "atan", m_atan::<H>);
        self.register(t, "ceil", m_ceil::<H>);
        self.register(t, "cosh", m_cosh::<H>);
        self.register(t, "cos", m_cos::<H>);
        self.register(t, "deg", m_deg::<H>);
        self.register(t, "exp", m_exp::<H>);
        self.register(t, "floor", m_floor::<H>);
        self.register(t, "fmod", m_fmod::<H>);
        self.register(t, "frexp", m_frexp::<H>);
        self.register(t, "ldexp", m_ldexp::<H>);
        self.register(t, "log10", m_log10::<H>);
        self.register(t, "log", m_log::<H>);
        self.register(t, "max", m_max::<H>);
        self.register(t, "min", m_min::<H>);
        self.register(t, "modf", m_modf::<H>);
        self.register(t, "pow", m_pow::<H>);
        self.register(t, "rad", m_rad::<H>);
        self.register(t, "random", m_random::<H>);
        self.register(t, "randomseed", m_randomseed::<H>);
        self.register(t, "sinh", m_sinh::<H>);
        self.register(t, "sin", m_sin::<H>);
        self.register(t, "sqrt", m_sqrt::<H>);
        self.register(t, "tanh", m_tanh::<H>);
        self.register(t, "tan", m_tan::<H>);
        let pi = self.new_string(b"pi");
        let _ = self.raw_set(t, Value::String(pi), Value::Number(core::f64::consts::PI));
        let huge = self.new_string(b"huge");
        let _ = self.raw_set(t, Value::String(huge), Value::Number(f64::INFINITY));
        let fk = self.new_string(b"fmod");
        let fmod = self.raw_get(t, Value::String(fk));
        let m = self.new_string(b"mod");
        let _ = self.raw_set(t, Value::String(m), fmod);
        let g = self.globals;
        let k = self.new_string(b"math");
        let _ = self.raw_set(g, Value::String(k), Value::Table(t));
    }
}

macro_rules! math1 {
    ($name:ident, $f:expr) => {
        fn $name<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
            let x = ctx.check_number(1)?;
            let f: fn(f64) -> f64 = $f;
            // x86-64 glibc's NaN: the argument's own, else the default
            // (negative) one; see `positive_nan` for the exceptions.
            ctx.push(Value::Number(crate::number::x86_nan(f(x), x, x)))?;
            Ok(1)
        }
    };
}

/// glibc answers the domain errors of asin, acos and log10 with a positive
/// NaN (`nan`), not the default negative one; a NaN argument comes out
/// unchanged.
macro_rules! math1p {
    ($name:ident, $f:expr) => {
        fn $name<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
            let x = ctx.check_number(1)?;
            let f: fn(f64) -> f64 = $f;
            let r = f(x);
            let r = if !r.is_nan() {
                r
            } else if x.is_nan() {
                x
            } else {
                f64::NAN
            };
            ctx.push(Value::Number(r))?;
            Ok(1)
        }
    };
}

macro_rules! math2 {
    ($name:ident, $f:expr) => {
        fn $name<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
            let x = ctx.check_number(1)?;
            let y = ctx.check_number(2)?;
            let f: fn(f64, f64) -> f64 = $f;
            ctx.push(Value::Number(f(x, y)))?;
            Ok(1)
        }
    };
}

const RADIANS_PER_DEGREE: f64 = core::f64::consts::PI / 180.0;

// fabs clears the sign bit, of a NaN too (`math.abs(0/0)` is `nan`).
fn m_abs<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let x = ctx.check_number(1)?;
    ctx.push(Value::Number(libm::fabs(x)))?;
    Ok(1)
}
math1!(m_sin, libm::sin);
math1!(m_sinh, libm::sinh);
math1!(m_cos, libm::cos);
math1!(m_cosh, libm::cosh);
math1!(m_tan, libm::tan);
math1!(m_tanh, libm::tanh);
math1p!(m_asin, libm::asin);
math1p!(m_acos, libm::acos);
math1!(m_atan, libm::atan);
math1!(m_ceil, libm::ceil);
math1!(m_floor, libm::floor);
math1!(m_sqrt, libm::sqrt);
math1!(m_log, libm::log);
math1p!(m_log10, libm::log10);
math1!(m_exp, libm::exp);
math1!(m_deg, |x| x / RADIANS_PER_DEGREE);
math1!(m_rad, |x| x * RADIANS_PER_DEGREE);
math2!(m_atan2, |x, y| crate::number::x86_nan(libm::atan2(x, y), x, y));
math2!(m_fmod, |x, y| crate::number::x86_nan(libm::fmod(x, y), x, y));
math2!(m_pow, crate::number::pow);


fn m_modf<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let x = ctx.check_number(1)?;
    let (fp, ip) = libm::modf(x);
    ctx.push(Value::Number(ip))?;
    ctx.push(Value::Number(fp))?;
    Ok(2)
}

fn m_frexp<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let x = ctx.check_number(1)?;
    let (m, e) = libm::frexp(x);
    ctx.push(Value::Number(m))?;
    ctx.push(Value::Number(e as f64))?;
    Ok(2)
}

fn m_ldexp<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let x = ctx.check_number(1)?;
    let e = check_int(ctx, 2)?;
    ctx.push(Value::Number(libm::ldexp(x, e as i32)))?;
    Ok(1)
}

fn m_min<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let n = ctx.nargs();
    let mut dmin = ctx.check_number(1)?;
    for i in 2..=n {
        let d = ctx.check_number(i)?;
        if d < dmin {
            dmin = d;
        }
    }
    ctx.push(Value::Number(dmin))?;
    Ok(1)
}

fn m_max<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let n = ctx.nargs();
    let mut dmax = ctx.check_number(1)?;
    for i in 2..=n {
        let d = ctx.check_number(i)?;
        if d > dmax {
            dmax = d;
        }
    }
    ctx.push(Value::Number(dmax))?;
    Ok(1)
}

fn m_random<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let raw = ctx.lua().rand_state.next();
    let r = (raw % RAND_MAX) as f64 / RAND_MAX as f64;
    match ctx.nargs() {
        0 => ctx.push(Value::Number(r))?,
        1 => {
            let u = check_int(ctx, 1)?;
            if u < 1 {
                return Err(ctx.arg_error(1, "interval is empty"));
            }
            ctx.push(Value::Number(libm::floor(r * u as f64) + 1.0))?;
        }
        2 => {
            let l = check_int(ctx, 1)?;
            let u = check_int(ctx, 2)?;
            if l > u {
                return Err(ctx.arg_error(2, "interval is empty"));
            }
            // (u-l+1) is computed in C int arithmetic.
            let span = (u as i32).wrapping_sub(l as i32).wrapping_add(1);
            ctx.push(Value::Number(libm::floor(r * span as f64) + l as f64))?;
        }
        _ => return Err(ctx.error(b"wrong number of arguments")),
    }
    Ok(1)
}

fn m_randomseed<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let seed = check_int(ctx, 1)?;
    ctx.lua().rand_state = GlibcRand::new(seed as i32 as u32);
    Ok(0)
}
