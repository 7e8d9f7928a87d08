//! Correctly rounded `sin`, `cos` and `asin` in pure `core` Rust, for the
//! GEO commands of builds without `std` (see [`crate::geo`]).
//!
//! Why: with `std`, GEO distances use the platform's libm, which on Linux is
//! glibc, the libm Redis links. Without `std` the only libm is the `libm`
//! crate (a port of musl/fdlibm): faithful (< 1 ulp), but over the GEO
//! ranges it returns the wrong neighbour of the true value in about 3% of
//! `sin`/`cos` calls and 6% of `asin` calls. glibc 2.36 is wrong in about
//! 0.15% (measured against a 250-bit evaluation), so the correctly rounded
//! result is as close as a from-the-math implementation gets to Redis's
//! numbers, but not identical to them. Nothing short of glibc's own code
//! can be: on x86-64, glibc picks one of two builds of these functions at
//! run time (with or without FMA), and those disagree with each other in
//! about 0.06% of calls, so Redis's own last bits depend on the CPU.
//!
//! How (Ziv's strategy, as CORE-MATH does it, MIT-licensed,
//! <https://core-math.gitlabpages.inria.fr/>; no code is taken from it or
//! from any libm):
//!
//! - Values are double-doubles (`hi + lo`, `|lo| <= ulp(hi)/2`), built from
//!   error-free transformations (Knuth's two-sum, Dekker's product).
//!   Nothing uses `mul_add`: the results are the same on every target,
//!   with or without FMA hardware.
//! - `sin`/`cos`: `x = k*pi/2 + r` with `pi/2` in four parts (~168 bits;
//!   the first two have 30 significant bits so `k*part` is exact), which
//!   gives `r` to ~2^-145 absolute for `|x| < 2^20`. Then `r = a + s` with
//!   `a = j/64` and `|s| <= 1/128`; `sin(a)`, `cos(a)` come from a table
//!   of double-doubles, `sin(s)` and `cos(s) - 1` from Taylor series, and
//!   `sin(a + s)`, `cos(a + s)` from the addition formulas.
//! - `asin`: one Newton step `t + (x - sin t) / cos t` from the `libm`
//!   crate's estimate `t` (error < 1 ulp, so the step leaves ~2^-104).
//!   Above 1/2, `asin x = pi/2 - 2 asin(sqrt((1 - x)/2))` with the square
//!   root as a double-double, so there is no loss near 1.
//! - Fast path: the series in plain double around an exact leading
//!   product, relative error at most 2^-66 (measured), bounded by 2^-60.
//!   When every value within that bound rounds to the same double, that
//!   double is the answer (~99% of calls).
//! - Otherwise the accurate path: the leading series terms and the
//!   addition formulas in double-double, relative error (measured against
//!   mpmath on 200,000 inputs per function) at most 2^-104.7 for `sin`
//!   and `cos` and 2^-103 for `asin`, rounded once to nearest. It can only
//!   round the wrong way when the true value lies that close to a midpoint
//!   between two doubles, which a random input does with odds of ~2^-50.
//!
//! Outside the accurate range (`|x| >= 2^20` for `sin`/`cos`, NaN and
//! infinities, `|x| > 1` for `asin`) the functions return the `libm`
//! crate's result. `|x| < 2^-26` (`2^-27` for `cos`) returns the value the
//! Taylor series rounds to (`x`, `1.0`), signed zeros included.
//!
//! The tables and constants were printed by a 400-bit mpmath evaluation:
//! each double-double is `hi = round(v)`, `lo = round(v - hi)`.

/// An unevaluated sum `hi + lo` with `|lo| <= ulp(hi) / 2`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Dd {
    /// The leading double: the value rounded to nearest.
    hi: f64,
    /// The remainder.
    lo: f64,
}

/// `a + b` exactly, as `(s, e)`, when `|a| >= |b|` (or `a == 0`).
#[inline(always)]
fn fast_two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    Dd { hi: s, lo: b - (s - a) }
}

/// `a + b` exactly, as `(s, e)`, whatever the magnitudes (Knuth).
#[inline(always)]
fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd { hi: s, lo: (a - (s - bb)) + (b - bb) }
}

/// Dekker's split of `a` into two halves of 26 bits (exact; `|a| < 2^995`).
#[inline(always)]
fn split(a: f64) -> (f64, f64) {
    let t = 134217729.0 * a; // 2^27 + 1
    let hi = t - (t - a);
    (hi, a - hi)
}

/// `a * b` exactly, as `(p, e)` (Dekker; no FMA, so it is the same
/// everywhere).
#[inline(always)]
fn two_prod(a: f64, b: f64) -> Dd {
    let p = a * b;
    let (ah, al) = split(a);
    let (bh, bl) = split(b);
    Dd { hi: p, lo: ((ah * bh - p) + ah * bl + al * bh) + al * bl }
}

impl Dd {
    const fn new(hi: f64, lo: f64) -> Dd {
        Dd { hi, lo }
    }

    #[inline(always)]
    fn neg(self) -> Dd {
        Dd { hi: -self.hi, lo: -self.lo }
    }

    /// `self * b`, relative error ~2^-104.
    #[inline(always)]
    fn mul(self, b: Dd) -> Dd {
        let p = two_prod(self.hi, b.hi);
        fast_two_sum(p.hi, p.lo + (self.hi * b.lo + self.lo * b.hi))
    }

    /// `self + b` (accurate even under cancellation).
    #[inline(always)]
    fn add(self, b: Dd) -> Dd {
        let s = two_sum(self.hi, b.hi);
        let t = two_sum(self.lo, b.lo);
        let u = fast_two_sum(s.hi, s.lo + t.hi);
        fast_two_sum(u.hi, u.lo + t.lo)
    }

    /// `self + b` for a double `b`.
    #[inline(always)]
    fn add_f(self, b: f64) -> Dd {
        let s = two_sum(self.hi, b);
        fast_two_sum(s.hi, s.lo + self.lo)
    }

    /// The nearest double.
    #[inline(always)]
    fn round(self) -> f64 {
        self.hi + self.lo
    }
}

/// `v` rounded to the nearest integer (ties to even), for `|v| < 2^51`.
#[inline(always)]
fn round_int(v: f64) -> f64 {
    const MAGIC: f64 = 6755399441055744.0; // 1.5 * 2^52
    (v + MAGIC) - MAGIC
}

// pi/2 = PIO2_1 + PIO2_2 + PIO2_3 + PIO2_4 + C2 + C3 + C4 + O(2^-168)
const PIO2_1: f64 = 1.570796325802803;
const PIO2_2: f64 = 9.920935791635221e-10;
const PIO2_3: f64 = 5.170182981794105e-19;
const PIO2_4: f64 = 4.3359050650618903e-35;
const INV_PIO2: f64 = core::f64::consts::FRAC_2_PI;
const PIO2: Dd = Dd { hi: core::f64::consts::FRAC_PI_2, lo: 6.123233995736766e-17 };
const INV6: Dd = Dd { hi: 0.16666666666666666, lo: 9.25185853854297e-18 };
const INV120: Dd = Dd { hi: 0.008333333333333333, lo: 1.1564823173178714e-19 };
const INV24: Dd = Dd { hi: 0.041666666666666664, lo: 2.3129646346357427e-18 };
const INV720: Dd = Dd { hi: 0.001388888888888889, lo: -5.300543954373577e-20 };
/// `[sin hi, sin lo, cos hi, cos lo]` of `j/64`, `j = 0..=52`.
const TABLE: [[f64; 4]; 53] = [
    [0.0, 0.0, 1.0, 0.0],
    [0.015624364224883372, -1.2650937552759816e-19, 0.9998779321710066, 3.216122229972341e-17],
    [0.03124491398532608, -1.562781562225433e-18, 0.9995117584851364, -3.418806487972947e-17],
    [0.04685783574813424, -2.3419368365610254e-18, 0.9989015683384429, -2.1425557800399754e-17],
    [0.0624593178423802, -2.040259504585711e-18, 0.9980475107000991, 3.3232291674141346e-17],
    [0.07804555138996731, -5.449443782005793e-18, 0.9969497940760287, -1.2467075728553626e-17],
    [0.09361273123551289, 1.4628632005878733e-18, 0.9956086864580017, 3.312922430932991e-17],
    [0.10915705687532236, 6.6284699502736666e-18, 0.9940245152582091, 1.3287985046260087e-17],
    [0.12467473338522769, -2.925947496057858e-18, 0.992197667229329, 4.754870575189364e-17],
    [0.1401619723470637, -9.946847113883478e-18, 0.9901285883701071, -4.589906353553811e-18],
    [0.15561499277355603, 8.886053372342288e-18, 0.9878177838164719, 4.91917302237681e-17],
    [0.17103002203139503, -9.954774726452923e-18, 0.9852658177182139, -4.925721262944555e-17],
    [0.18640329676226988, 2.3493796901281573e-18, 0.9824733131012553, -3.919920375420088e-17],
    [0.2017310638016388, 5.587232815460113e-18, 0.9794409517155483, 1.3108769521526758e-17],
    [0.21700958109501015, 1.1170071073364376e-17, 0.9761694738686353, -7.850690609285027e-18],
    [0.23223511861151147, -8.318080852687206e-18, 0.9726596782449127, 2.3920264546490165e-17],
    [0.24740395925452294, -7.53102495590706e-18, 0.9689124217106447, 5.071436662403936e-17],
    [0.2625123997691533, -2.2534597527902125e-17, 0.964928619104771, -3.0345542681018625e-18],
    [0.2775567516463363, 1.7674070262791822e-17, 0.9607092430155619, -2.807827063516729e-17],
    [0.29253334202332754, 7.516944930327352e-18, 0.9562553235431753, -3.148450868841629e-17],
    [0.30743851458038085, 1.1004366442765296e-19, 0.9515679480481722, -3.8614834675674123e-17],
    [0.3222686304333866, 2.093773358126606e-17, 0.9466482608860534, -3.911683334934152e-17],
    [0.33702006902225307, 1.0312279860787216e-17, 0.9414974631278811, -4.8523830236797095e-18],
    [0.3516892289948141, -2.5616208736069942e-17, 0.9361168122670553, -5.2350302039683216e-17],
    [0.36627252908604757, -9.938814562106524e-18, 0.9305076219123143, 4.488760003328074e-18],
    [0.38076640899239017, 2.1372528646211374e-17, 0.924671261467036, 5.5444125388034563e-17],
    [0.39516733024093426, -1.9613487871414228e-17, 0.9186091557949183, -4.0564150104514996e-17],
    [0.40947177705329507, -5.679403000091266e-18, 0.9123227848721178, 2.6349040211413332e-17],
    [0.42367625720393803, -2.331800700068871e-17, 0.9058136834259364, 4.2864666490805214e-17],
    [0.4377773028727551, 7.64345629962023e-18, 0.8990834405601384, 9.076951775075616e-18],
    [0.4517714714916838, -8.234073942098903e-18, 0.8921336993669944, 2.3160655211380166e-17],
    [0.46565534658516017, 1.459870391051426e-17, 0.8849661565261433, -7.690557775987357e-18],
    [0.479425538604203, -5.103969860556013e-18, 0.8775825618903728, -4.2623149864279997e-17],
    [0.49307868575392305, 5.605083973871755e-18, 0.8699847180584174, 1.657385110740923e-17],
    [0.5066114548142574, -3.269413423618168e-17, 0.8621744799348805, 4.4132427578105805e-18],
    [0.520020541953727, -3.983266745698455e-17, 0.8541537542773854, 5.420565102675286e-18],
    [0.5333026735360201, 5.129318115032044e-17, 0.8459244992310679, 1.549506647350329e-17],
    [0.5464546069192036, 8.399754840929507e-18, 0.8374887238505236, 4.3337026043948396e-17],
    [0.5594731312473669, 1.575565514488728e-17, 0.8288484876093257, 1.1163935406617444e-17],
    [0.5723550682345072, 2.6575872357215316e-17, 0.820005899897234, -3.912431748209128e-17],
    [0.5850972729404622, -5.4883972461161805e-17, 0.8109631195052179, -3.091333486122179e-17],
    [0.5976966345387015, 5.450323593054385e-17, 0.8017223540984184, 4.0134533311087014e-17],
    [0.6101500770757914, -1.479826990758988e-17, 0.7922858596771786, -2.9049779312834576e-17],
    [0.6224545602223437, -6.049035765709707e-18, 0.7826559400262728, -1.474071641211487e-17],
    [0.6346070800152693, -3.4568582392624965e-17, 0.7728349461524715, 4.231014921891023e-17],
    [0.6466046695911524, 4.567647714393289e-19, 0.7628252757105762, 1.6672995021546628e-17],
    [0.6584443999105676, -3.7736386700306717e-17, 0.7526293724180665, -1.2970993013150526e-17],
    [0.6701233804731629, 6.183536725574959e-18, 0.7422497254585013, -1.2339303604869521e-17],
    [0.6816387600233341, 4.410467313197903e-17, 0.7316888688738209, -1.0475824306512768e-17],
    [0.692987727246318, -5.3543290798909455e-17, 0.7209493809456964, 3.494986701478816e-17],
    [0.7041675114545337, -3.94095700584825e-17, 0.7100338835660797, 1.505272211891291e-17],
    [0.7151753832640076, -1.466099578328228e-17, 0.6989450415971057, -5.5261332036460915e-18],
    [0.7260086552607126, -1.573621815339587e-17, 0.6876855622205048, 3.5430696752823923e-17],
];

/// `sin(r)` and `cos(r)` for `0 <= r <= 0.82` (a double-double), each to
/// ~2^-102 relative.
fn sin_cos_kernel(r: Dd) -> (Dd, Dd) {
    let jf = round_int(r.hi * 64.0);
    // r.hi - j/64 is exact (Sterbenz); |s| <= 1/128 + tiny.
    let s = two_sum(r.hi - jf * (1.0 / 64.0), r.lo);
    let u = {
        let p = two_prod(s.hi, s.hi);
        fast_two_sum(p.hi, p.lo + 2.0 * s.hi * s.lo)
    };
    let uh = u.hi;
    // sin(s) = s + s*u*Ps(u), Ps = -1/6 + u/120 + tail_s with tail_s =
    // -u^2/5040 + u^3/362880 - ... (< 2^-40: double is enough).
    let tail_s = uh * uh * (-1.0 / 5040.0 + uh * (1.0 / 362880.0 + uh * (-1.0 / 39916800.0 + uh * (1.0 / 6227020800.0))));
    let ps = INV120.mul(u).add_f(tail_s).add(INV6.neg());
    let sin_s = s.add(s.mul(u).mul(ps));
    // cos(s) - 1 = u*Pc(u), Pc = -1/2 + u*(1/24 + (-u/720 + tail_c)) with
    // tail_c = u^2/40320 - u^3/3628800 + ... (< 2^-43: double is enough).
    let tail_c = uh * uh * (1.0 / 40320.0 + uh * (-1.0 / 3628800.0 + uh * (1.0 / 479001600.0 + uh * (-1.0 / 87178291200.0))));
    let pc = INV720.neg().mul(u).add_f(tail_c).add(INV24).mul(u).add_f(-0.5);
    let cos_s1 = u.mul(pc);
    // 0 <= j <= 51 (r <= pi/4 + 2^-30); min() keeps the indexing panic-free.
    let j = (jf as usize).min(TABLE.len() - 1);
    if j == 0 {
        return (sin_s, cos_s1.add_f(1.0));
    }
    let [sh, sl, ch, cl] = TABLE[j];
    let (sa, ca) = (Dd::new(sh, sl), Dd::new(ch, cl));
    // sin(a + s) = sin a + (sin a (cos s - 1) + cos a sin s)
    // cos(a + s) = cos a + (cos a (cos s - 1) - sin a sin s)
    let sin_r = sa.add(sa.mul(cos_s1).add(ca.mul(sin_s)));
    let cos_r = ca.add(ca.mul(cos_s1).add(sa.mul(sin_s).neg()));
    (sin_r, cos_r)
}

/// `x = k*pi/2 + r` for `0 <= x < 2^20`: `(k mod 4, |r|, r < 0)`.
fn reduce(x: f64) -> (u32, Dd, bool) {
    if x <= 0.785 {
        return (0, Dd::new(x, 0.0), false);
    }
    let kf = round_int(x * INV_PIO2);
    // x - k*C1 is exact (k*C1 is, and Sterbenz); k*C2 is exact.
    let t = x - kf * PIO2_1;
    let s1 = two_sum(t, -(kf * PIO2_2));
    let p3 = two_prod(kf, PIO2_3);
    let s2 = two_sum(s1.hi, -p3.hi);
    let lo = ((s1.lo + s2.lo) - p3.lo) - kf * PIO2_4;
    let r = fast_two_sum(s2.hi, lo);
    let q = (kf as u32) & 3;
    if r.hi < 0.0 {
        (q, r.neg(), true)
    } else {
        (q, r, false)
    }
}

/// The fast path's `sin(r)` and `cos(r)` for `0 <= r <= 0.82`: the same
/// table, the polynomials in double around an exact `sin a + cos a * s`
/// (`cos a - sin a * s`). Relative error below [`FAST_ERR`].
fn sin_cos_fast(r: Dd) -> (Dd, Dd) {
    let jf = round_int(r.hi * 64.0);
    // r.hi - j/64 is exact and, unless 0, at least ulp(r.hi) >= 2|r.lo|.
    let s = fast_two_sum(r.hi - jf * (1.0 / 64.0), r.lo);
    let (sh, sl) = (s.hi, s.lo);
    let u = sh * sh;
    // sin(s) - s and cos(s) - 1, both relative to their size ~2^-52.
    let t = sh * u * (-1.0 / 6.0 + u * (1.0 / 120.0 + u * (-1.0 / 5040.0 + u * (1.0 / 362880.0))));
    let c1 = u * (-0.5 + u * (1.0 / 24.0 + u * (-1.0 / 720.0 + u * (1.0 / 40320.0)))) - sh * sl;
    // 0 <= j <= 51 (r <= pi/4 + 2^-30); min() keeps the indexing panic-free.
    let j = (jf as usize).min(TABLE.len() - 1);
    if j == 0 {
        return (fast_two_sum(sh, sl + t), fast_two_sum(1.0, c1));
    }
    let [sah, sal, cah, cal] = TABLE[j];
    // sin(a + s) = sin a + cos a * s + (sin a * c1 + cos a * t)
    let p = two_prod(cah, sh);
    let h = two_sum(sah, p.hi);
    let lo = (((h.lo + p.lo) + sal) + (cah * sl + cal * sh + cah * t)) + sah * c1;
    let sin_r = fast_two_sum(h.hi, lo);
    // cos(a + s) = cos a - sin a * s + (cos a * c1 - sin a * t)
    let p = two_prod(sah, sh);
    let h = two_sum(cah, -p.hi);
    let lo = (((h.lo - p.lo) + cal) - (sah * sl + sal * sh + sah * t)) + cah * c1;
    let cos_r = fast_two_sum(h.hi, lo);
    (sin_r, cos_r)
}

/// Bound on the fast path's relative error: the measured maximum is
/// 2^-66.0 (at `r` ~ 1/128 with `j = 1`, where `sin a * c1` is largest
/// against the result), so this leaves a factor of 64.
const FAST_ERR: f64 = 8.673617379884035e-19; // 2^-60

/// `v` rounded to nearest if every value within `FAST_ERR` of it rounds
/// the same way (Ziv's test).
#[inline(always)]
fn rounded(v: Dd) -> Option<f64> {
    let e = FAST_ERR * v.hi.abs();
    let (a, b) = (v.hi + (v.lo - e), v.hi + (v.lo + e));
    (a == b).then_some(a)
}

/// `(sin, cos)` of `k*pi/2 + r` from `k mod 4`, `|r|`'s sine and cosine
/// and the sign of `r`.
#[inline(always)]
fn quadrant(q: u32, neg: bool, s: Dd, c: Dd) -> (Dd, Dd) {
    let s = if neg { s.neg() } else { s };
    match q {
        0 => (s, c),
        1 => (c, s.neg()),
        2 => (s.neg(), c.neg()),
        _ => (c.neg(), s),
    }
}

/// `(sin x, cos x)` for `0 <= x < 2^20` rounded to nearest, the one asked
/// for (`which`: 0 sine, 1 cosine).
fn sin_cos_rounded(x: f64, which: usize) -> f64 {
    let (q, r, neg) = reduce(x);
    let (s, c) = sin_cos_fast(r);
    let v = quadrant(q, neg, s, c);
    if let Some(y) = rounded(if which == 0 { v.0 } else { v.1 }) {
        return y;
    }
    let (s, c) = sin_cos_kernel(r);
    let v = quadrant(q, neg, s, c);
    if which == 0 { v.0 } else { v.1 }.round()
}

/// `sin(x)`, correctly rounded for `|x| < 2^20` (see the module docs).
pub fn sin(x: f64) -> f64 {
    let ax = x.abs();
    if ax < 1.4901161193847656e-8 {
        // |x| < 2^-26: x^3/6 is below half an ulp of x.
        return x;
    }
    if ax.is_nan() || ax >= 1048576.0 {
        return libm::sin(x);
    }
    let v = sin_cos_rounded(ax, 0);
    if x < 0.0 {
        -v
    } else {
        v
    }
}

/// `cos(x)`, correctly rounded for `|x| < 2^20` (see the module docs).
pub fn cos(x: f64) -> f64 {
    let ax = x.abs();
    if ax < 7.450580596923828e-9 {
        // |x| < 2^-27: 1 - x^2/2 rounds to 1.
        return 1.0;
    }
    if ax.is_nan() || ax >= 1048576.0 {
        return libm::cos(x);
    }
    sin_cos_rounded(ax, 1)
}

/// `asin(y)` for `0 <= y <= 0.5` (a double-double): one Newton step from
/// the `libm` crate's estimate `t` (< 1 ulp off, so the step leaves
/// ~2^-104), with `sin t` and `cos t` from `kernel`.
#[inline(always)]
fn asin_newton(y: Dd, kernel: fn(Dd) -> (Dd, Dd)) -> Dd {
    let t = libm::asin(y.hi);
    let (s, c) = kernel(Dd::new(t, 0.0));
    // y.hi - sin(t).hi is exact (Sterbenz): they are a few ulps apart.
    let d = ((y.hi - s.hi) - s.lo) + y.lo;
    fast_two_sum(t, d / c.hi)
}

/// `asin(x)` for `0 <= x <= 1`, as a double-double, with `sin`/`cos`
/// from `kernel` (its relative error carries over, times at most 2).
#[inline(always)]
fn asin_dd(x: f64, kernel: fn(Dd) -> (Dd, Dd)) -> Dd {
    if x <= 0.5 {
        return asin_newton(Dd::new(x, 0.0), kernel);
    }
    // asin x = pi/2 - 2 asin(sqrt(z)), z = (1 - x)/2 (exact).
    let z = (1.0 - x) * 0.5;
    if z == 0.0 {
        return PIO2;
    }
    let sh = libm::sqrt(z);
    let p = two_prod(sh, sh);
    // sqrt(z) = sh + (z - sh^2) / (2 sh) + O(2^-106 sh); z - p.hi is exact.
    let sl = ((z - p.hi) - p.lo) / (2.0 * sh);
    let w = asin_newton(fast_two_sum(sh, sl), kernel);
    let h = two_sum(PIO2.hi, -2.0 * w.hi);
    fast_two_sum(h.hi, h.lo + (PIO2.lo - 2.0 * w.lo))
}

/// `asin(x)`, correctly rounded on `[-1, 1]` (see the module docs).
pub fn asin(x: f64) -> f64 {
    let ax = x.abs();
    if ax < 1.4901161193847656e-8 {
        // |x| < 2^-26: x^3/6 is below half an ulp of x.
        return x;
    }
    if ax.is_nan() || ax > 1.0 {
        return libm::asin(x);
    }
    let v = match rounded(asin_dd(ax, sin_cos_fast)) {
        Some(v) => v,
        None => asin_dd(ax, sin_cos_kernel).round(),
    };
    if x < 0.0 {
        -v
    } else {
        v
    }
}
