//! Geospatial math behind the GEO commands, following Redis 7.0.15's
//! `geohash.c`, `geohash_helper.c` and the numeric parts of `geo.c`:
//! the 52-bit interleaved geohash used as a sorted-set score, decoding a
//! score back to its cell centre, the 8 neighbours of a cell, the haversine
//! distance, the search-area computation (bounding box, step estimate, the
//! 9 cells to scan) and the shape tests, plus the number formats the
//! replies use.
//!
//! Invariants and fidelity: every floating-point expression is evaluated
//! with the same operations in the same order as Redis's C (no fused
//! multiply-add, same constant folding), so results agree to the last bit.
//! The transcendental functions come from the platform's libm when the
//! `std` feature is on (glibc on Linux, which Redis itself links) and from
//! [`crate::fmath`] otherwise (correctly rounded, which glibc's results are
//! in all but ~0.15% of calls). A score that is not a geohash (any double
//! a plain ZADD can store) decodes exactly as Redis's `(uint64_t)` cast
//! does on x86-64, so GEOPOS on foreign sets prints what Redis prints.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// Lowest latitude a geohash score can encode (EPSG:900913 limit).
pub const LAT_MIN: f64 = -85.05112878;
/// Highest latitude a geohash score can encode.
pub const LAT_MAX: f64 = 85.05112878;
/// Lowest longitude.
pub const LONG_MIN: f64 = -180.0;
/// Highest longitude.
pub const LONG_MAX: f64 = 180.0;
/// Steps (bits per coordinate) of a stored score: 26 * 2 = 52 bits.
pub const STEP_MAX: u8 = 26;
/// Earth's quadratic mean radius for WGS-84, in meters, as Redis uses it.
pub const EARTH_RADIUS_IN_METERS: f64 = 6372797.560856;
const MERCATOR_MAX: f64 = 20037726.37;
/// `M_PI / 180.0`, folded at compile time as C folds it.
const D_R: f64 = core::f64::consts::PI / 180.0;

#[cfg(feature = "std")]
mod m {
    pub fn sin(x: f64) -> f64 {
        std::primitive::f64::sin(x)
    }
    pub fn cos(x: f64) -> f64 {
        std::primitive::f64::cos(x)
    }
    pub fn asin(x: f64) -> f64 {
        std::primitive::f64::asin(x)
    }
    pub fn sqrt(x: f64) -> f64 {
        std::primitive::f64::sqrt(x)
    }
}

// Without std: correctly rounded, which is what glibc returns in all but
// ~0.15% of calls (see `crate::fmath`); sqrt is exact in both.
#[cfg(not(feature = "std"))]
mod m {
    pub use crate::fmath::{asin, cos, sin};
    pub fn sqrt(x: f64) -> f64 {
        libm::sqrt(x)
    }
}

fn deg_rad(ang: f64) -> f64 {
    ang * D_R
}

fn rad_deg(ang: f64) -> f64 {
    ang / D_R
}

/// A geohash: `step` bits per coordinate, interleaved in the low `2*step`
/// bits (latitude in the even bits, longitude in the odd ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HashBits {
    /// The interleaved bits.
    pub bits: u64,
    /// Bits per coordinate (1..=32; 0 only for the "zero" hash).
    pub step: u8,
}

impl HashBits {
    /// Redis's `HASHISZERO`: the marker of an excluded neighbour.
    pub fn is_zero(&self) -> bool {
        self.bits == 0 && self.step == 0
    }

    /// `geohashAlign52Bits`: the hash as a 52-bit score prefix.
    pub fn align52(&self) -> u64 {
        // step is at most 26 for every hash this module builds; shifting by
        // 52 - 2*step stays below 64.
        let sh = 52u32.saturating_sub(self.step as u32 * 2);
        self.bits << sh
    }
}

/// A closed interval of one coordinate.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Range {
    /// Lower end.
    pub min: f64,
    /// Upper end.
    pub max: f64,
}

/// The cell a hash covers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Area {
    /// Longitude interval.
    pub longitude: Range,
    /// Latitude interval.
    pub latitude: Range,
}

/// The coordinate ranges of stored scores.
pub const WGS84_LONG: Range = Range { min: LONG_MIN, max: LONG_MAX };
/// The latitude range of stored scores (Web Mercator's limit).
pub const WGS84_LAT: Range = Range { min: LAT_MIN, max: LAT_MAX };
/// The standard geohash latitude range GEOHASH re-encodes with.
pub const STD_LAT: Range = Range { min: -90.0, max: 90.0 };

fn interleave64(xlo: u32, ylo: u32) -> u64 {
    const B: [u64; 5] = [0x5555555555555555, 0x3333333333333333, 0x0F0F0F0F0F0F0F0F, 0x00FF00FF00FF00FF, 0x0000FFFF0000FFFF];
    const S: [u32; 5] = [1, 2, 4, 8, 16];
    let mut x = xlo as u64;
    let mut y = ylo as u64;
    for i in (0..5).rev() {
        x = (x | (x << S[i])) & B[i];
        y = (y | (y << S[i])) & B[i];
    }
    x | (y << 1)
}

fn deinterleave64(interleaved: u64) -> u64 {
    const B: [u64; 6] = [
        0x5555555555555555,
        0x3333333333333333,
        0x0F0F0F0F0F0F0F0F,
        0x00FF00FF00FF00FF,
        0x0000FFFF0000FFFF,
        0x00000000FFFFFFFF,
    ];
    const S: [u32; 6] = [0, 1, 2, 4, 8, 16];
    let mut x = interleaved;
    let mut y = interleaved >> 1;
    for i in 0..6 {
        x = (x | (x >> S[i])) & B[i];
        y = (y | (y >> S[i])) & B[i];
    }
    x | (y << 32)
}

/// `geohashEncode`: the `step`-bit hash of a point, `None` when the point
/// is outside the WGS-84 limits or the given ranges, or `step` is not in
/// 1..=32.
pub fn encode(long_range: Range, lat_range: Range, longitude: f64, latitude: f64, step: u8) -> Option<HashBits> {
    if step > 32 || step == 0 {
        return None;
    }
    if !(LONG_MIN..=LONG_MAX).contains(&longitude) || !(LAT_MIN..=LAT_MAX).contains(&latitude) {
        return None;
    }
    if latitude < lat_range.min || latitude > lat_range.max || longitude < long_range.min || longitude > long_range.max {
        return None;
    }
    let mut lat_offset = (latitude - lat_range.min) / (lat_range.max - lat_range.min);
    let mut long_offset = (longitude - long_range.min) / (long_range.max - long_range.min);
    lat_offset *= (1u64 << step) as f64;
    long_offset *= (1u64 << step) as f64;
    // C converts the doubles to uint32_t by truncation; both are in
    // [0, 2^step] here.
    Some(HashBits { bits: interleave64(lat_offset as u32, long_offset as u32), step })
}

/// `geohashDecode`: the cell of a hash (`None` for the zero hash).
pub fn decode(long_range: Range, lat_range: Range, hash: HashBits) -> Option<Area> {
    if hash.is_zero() {
        return None;
    }
    let sep = deinterleave64(hash.bits);
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = long_range.max - long_range.min;
    let ilato = sep as u32;
    let ilono = (sep >> 32) as u32;
    let div = (1u64 << (hash.step as u32).min(63)) as f64;
    Some(Area {
        latitude: Range {
            min: lat_range.min + (ilato as f64 * 1.0 / div) * lat_scale,
            max: lat_range.min + ((ilato as u64 + 1) as f64 * 1.0 / div) * lat_scale,
        },
        longitude: Range {
            min: long_range.min + (ilono as f64 * 1.0 / div) * long_scale,
            max: long_range.min + ((ilono as u64 + 1) as f64 * 1.0 / div) * long_scale,
        },
    })
}

/// `geohashDecodeAreaToLongLat`: the cell centre, clamped to the limits.
pub fn area_center(area: &Area) -> (f64, f64) {
    let x = ((area.longitude.min + area.longitude.max) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let y = ((area.latitude.min + area.latitude.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (x, y)
}

/// 2^63 as a double.
const TWO63: f64 = (1u64 << 63) as f64;

/// C's `(uint64_t)score` as gcc compiles it for x86-64 (`cvttsd2si`, with
/// the 2^63 split): out-of-range values give the "integer indefinite"
/// pattern, so any score decodes to the same point as in Redis.
pub fn score_to_bits(score: f64) -> u64 {
    let cvt = |v: f64| -> u64 {
        if (-TWO63..TWO63).contains(&v) {
            v as i64 as u64
        } else {
            1u64 << 63
        }
    };
    if score >= TWO63 {
        cvt(score - TWO63) ^ (1u64 << 63)
    } else {
        cvt(score)
    }
}

/// `decodeGeohash`: the point (longitude, latitude) a sorted-set score
/// stands for. Always succeeds for a 26-step hash, as in Redis.
pub fn decode_score(score: f64) -> Option<(f64, f64)> {
    let hash = HashBits { bits: score_to_bits(score), step: STEP_MAX };
    decode(WGS84_LONG, WGS84_LAT, hash).map(|a| area_center(&a))
}

/// GEOADD's score of a point (`None` outside the limits).
pub fn encode_score(longitude: f64, latitude: f64) -> Option<u64> {
    encode(WGS84_LONG, WGS84_LAT, longitude, latitude, STEP_MAX).map(|h| h.align52())
}

/// True if the point is inside the limits GEOADD and the searches accept.
pub fn valid_lonlat(longitude: f64, latitude: f64) -> bool {
    (LONG_MIN..=LONG_MAX).contains(&longitude) && (LAT_MIN..=LAT_MAX).contains(&latitude)
}

const GEOALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";

/// GEOHASH's 11-character string of a score: decoded, then re-encoded on
/// the standard ±90 latitude range; the 11th character stands for bits
/// Redis does not have and is always `0`.
pub fn hash_string(score: f64) -> Option<[u8; 11]> {
    let (x, y) = decode_score(score)?;
    let h = encode(WGS84_LONG, STD_LAT, x, y, 26)?;
    let mut buf = [b'0'; 11];
    for (i, c) in buf.iter_mut().enumerate().take(10) {
        let idx = (h.bits >> (52 - (i + 1) * 5)) & 0x1f;
        *c = GEOALPHABET[idx as usize];
    }
    Some(buf)
}

fn move_x(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let mut x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let y = hash.bits & 0x5555555555555555;
    let sh = 64u32.saturating_sub(hash.step as u32 * 2).min(63);
    let zz = 0x5555555555555555u64 >> sh;
    if d > 0 {
        x = x.wrapping_add(zz.wrapping_add(1));
    } else {
        x |= zz;
        x = x.wrapping_sub(zz.wrapping_add(1));
    }
    x &= 0xaaaaaaaaaaaaaaaau64 >> sh;
    hash.bits = x | y;
}

fn move_y(hash: &mut HashBits, d: i8) {
    if d == 0 {
        return;
    }
    let x = hash.bits & 0xaaaaaaaaaaaaaaaa;
    let mut y = hash.bits & 0x5555555555555555;
    let sh = 64u32.saturating_sub(hash.step as u32 * 2).min(63);
    let zz = 0xaaaaaaaaaaaaaaaau64 >> sh;
    if d > 0 {
        y = y.wrapping_add(zz.wrapping_add(1));
    } else {
        y |= zz;
        y = y.wrapping_sub(zz.wrapping_add(1));
    }
    y &= 0x5555555555555555u64 >> sh;
    hash.bits = x | y;
}

/// The 8 neighbours of a cell (wrapping around at the edges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Neighbors {
    /// North.
    pub north: HashBits,
    /// East.
    pub east: HashBits,
    /// West.
    pub west: HashBits,
    /// South.
    pub south: HashBits,
    /// North-east.
    pub north_east: HashBits,
    /// South-east.
    pub south_east: HashBits,
    /// North-west.
    pub north_west: HashBits,
    /// South-west.
    pub south_west: HashBits,
}

/// `geohashNeighbors`.
pub fn neighbors(hash: &HashBits) -> Neighbors {
    let mv = |dx: i8, dy: i8| {
        let mut h = *hash;
        move_x(&mut h, dx);
        move_y(&mut h, dy);
        h
    };
    Neighbors {
        east: mv(1, 0),
        west: mv(-1, 0),
        south: mv(0, -1),
        north: mv(0, 1),
        north_west: mv(-1, 1),
        north_east: mv(1, 1),
        south_east: mv(1, -1),
        south_west: mv(-1, -1),
    }
}

/// `geohashEstimateStepsByRadius`: the cell size for a search of this
/// radius (meters) around this latitude.
pub fn estimate_steps_by_radius(range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return 26;
    }
    let mut range = range_meters;
    let mut step: i32 = 1;
    // A tiny radius doubles at most ~1100 times before passing the limit.
    while range < MERCATOR_MAX {
        range *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// What a search covers: a circle or an axis-aligned box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShapeKind {
    /// BYRADIUS (in the shape's unit).
    Circle {
        /// Radius.
        radius: f64,
    },
    /// BYBOX (in the shape's unit).
    Rect {
        /// Full width.
        width: f64,
        /// Full height.
        height: f64,
    },
}

/// A search shape around a centre (`GeoShape`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// Circle or box, in the unit of `conversion`.
    pub kind: ShapeKind,
    /// Centre longitude.
    pub lon: f64,
    /// Centre latitude.
    pub lat: f64,
    /// Meters per unit.
    pub conversion: f64,
}

impl Shape {
    /// `geohashBoundingBox`: `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bounding_box(&self) -> [f64; 4] {
        let (longitude, latitude) = (self.lon, self.lat);
        let (height, width) = match self.kind {
            ShapeKind::Circle { radius } => (self.conversion * radius, self.conversion * radius),
            ShapeKind::Rect { width, height } => (self.conversion * (height / 2.0), self.conversion * (width / 2.0)),
        };
        let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
        let long_delta_top = rad_deg(width / EARTH_RADIUS_IN_METERS / m::cos(deg_rad(latitude + lat_delta)));
        let long_delta_bottom = rad_deg(width / EARTH_RADIUS_IN_METERS / m::cos(deg_rad(latitude - lat_delta)));
        let southern = latitude < 0.0;
        [
            if southern { longitude - long_delta_bottom } else { longitude - long_delta_top },
            latitude - lat_delta,
            if southern { longitude + long_delta_bottom } else { longitude + long_delta_top },
            latitude + lat_delta,
        ]
    }

    /// `geoWithinShape` after decoding: the distance (meters) from the
    /// centre when `(x, y)` is inside the shape.
    pub fn contains(&self, x: f64, y: f64) -> Option<f64> {
        match self.kind {
            ShapeKind::Circle { radius } => {
                let d = distance(self.lon, self.lat, x, y);
                (d <= radius * self.conversion).then_some(d)
            }
            ShapeKind::Rect { width, height } => {
                let (width_m, height_m) = (width * self.conversion, height * self.conversion);
                if lat_distance(self.lat, y) > height_m / 2.0 {
                    return None;
                }
                if distance(x, y, self.lon, y) > width_m / 2.0 {
                    return None;
                }
                Some(distance(self.lon, self.lat, x, y))
            }
        }
    }
}

/// The cells a search scans: the centre cell and its neighbours, some
/// zeroed when they cannot intersect the shape (`GeoHashRadius`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchArea {
    /// The centre's cell.
    pub hash: HashBits,
    /// Its neighbours (zero hash = skipped).
    pub neighbors: Neighbors,
}

impl SearchArea {
    /// The 9 cells in Redis's scan order: self, N, S, E, W, NE, NW, SE, SW.
    pub fn cells(&self) -> [HashBits; 9] {
        let n = &self.neighbors;
        [self.hash, n.north, n.south, n.east, n.west, n.north_east, n.north_west, n.south_east, n.south_west]
    }
}

/// `geohashCalculateAreasByShapeWGS84`.
pub fn areas_by_shape(shape: &Shape) -> SearchArea {
    let [min_lon, min_lat, max_lon, max_lat] = shape.bounding_box();
    let (longitude, latitude) = (shape.lon, shape.lat);
    let mut radius_meters = match shape.kind {
        ShapeKind::Circle { radius } => radius,
        ShapeKind::Rect { width, height } => m::sqrt((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)),
    };
    radius_meters *= shape.conversion;
    let mut steps = estimate_steps_by_radius(radius_meters, latitude);
    let at = |steps: u8| {
        let hash = encode(WGS84_LONG, WGS84_LAT, longitude, latitude, steps).unwrap_or(HashBits { bits: 0, step: steps });
        let nb = neighbors(&hash);
        let area = decode(WGS84_LONG, WGS84_LAT, hash).unwrap_or_default();
        (hash, nb, area)
    };
    let (mut hash, mut nb, mut area) = at(steps);
    let dec = |h: HashBits| decode(WGS84_LONG, WGS84_LAT, h).unwrap_or_default();
    let (north, south, east, west) = (dec(nb.north), dec(nb.south), dec(nb.east), dec(nb.west));
    let decrease_step = north.latitude.max < max_lat
        || south.latitude.min > min_lat
        || east.longitude.max < max_lon
        || west.longitude.min > min_lon;
    if steps > 1 && decrease_step {
        steps -= 1;
        (hash, nb, area) = at(steps);
    }
    if steps >= 2 {
        let z = HashBits::default();
        if area.latitude.min < min_lat {
            nb.south = z;
            nb.south_west = z;
            nb.south_east = z;
        }
        if area.latitude.max > max_lat {
            nb.north = z;
            nb.north_east = z;
            nb.north_west = z;
        }
        if area.longitude.min < min_lon {
            nb.west = z;
            nb.south_west = z;
            nb.north_west = z;
        }
        if area.longitude.max > max_lon {
            nb.east = z;
            nb.south_east = z;
            nb.north_east = z;
        }
    }
    SearchArea { hash, neighbors: nb }
}

/// `scoresOfGeoHashBox`: the score interval `[min, max)` of a cell.
pub fn score_range(hash: HashBits) -> (u64, u64) {
    let min = hash.align52();
    let next = HashBits { bits: hash.bits.wrapping_add(1), step: hash.step };
    (min, next.align52())
}

/// `geohashGetLatDistance`: meters between two latitudes on a meridian.
pub fn lat_distance(lat1d: f64, lat2d: f64) -> f64 {
    EARTH_RADIUS_IN_METERS * (deg_rad(lat2d) - deg_rad(lat1d)).abs()
}

/// `geohashGetDistance`: haversine great-circle distance in meters.
pub fn distance(lon1d: f64, lat1d: f64, lon2d: f64, lat2d: f64) -> f64 {
    let lon1r = deg_rad(lon1d);
    let lon2r = deg_rad(lon2d);
    let v = m::sin((lon2r - lon1r) / 2.0);
    if v == 0.0 {
        return lat_distance(lat1d, lat2d);
    }
    let lat1r = deg_rad(lat1d);
    let lat2r = deg_rad(lat2d);
    let u = m::sin((lat2r - lat1r) / 2.0);
    let a = u * u + m::cos(lat1r) * m::cos(lat2r) * v * v;
    2.0 * EARTH_RADIUS_IN_METERS * m::asin(m::sqrt(a))
}

/// The units GEODIST and the searches accept (`extractUnitOrReply`),
/// case-insensitive: meters per unit.
pub fn unit_meters(unit: &[u8]) -> Option<f64> {
    if unit.eq_ignore_ascii_case(b"m") {
        Some(1.0)
    } else if unit.eq_ignore_ascii_case(b"km") {
        Some(1000.0)
    } else if unit.eq_ignore_ascii_case(b"ft") {
        Some(0.3048)
    } else if unit.eq_ignore_ascii_case(b"mi") {
        Some(1609.34)
    } else {
        None
    }
}

/// C's `llrint` in the default rounding mode (ties to even) for values
/// that fit an `i64`; others give `i64::MIN` as x86-64 does.
fn llrint(v: f64) -> i64 {
    const TWO52: f64 = 4503599627370496.0;
    if v.is_nan() || !(-TWO63..TWO63).contains(&v) {
        return i64::MIN;
    }
    if v.abs() >= TWO52 {
        return v as i64; // already an integer
    }
    // Adding and subtracting 2^52 rounds to an integer, ties to even.
    let r = if v >= 0.0 { (v + TWO52) - TWO52 } else { (v - TWO52) + TWO52 };
    r as i64
}

/// `fixedpoint_d2string(d, 4)`: how distances are printed (`%.4f`-like,
/// rounded half to even on the scaled value).
pub fn fmt_distance(d: f64) -> Vec<u8> {
    if d == 0.0 {
        return b"0.0000".to_vec();
    }
    let sv = llrint(d * 10000.0);
    let neg = sv < 0;
    let value = sv.unsigned_abs();
    let mut digits = Vec::new();
    let _ = write!(Buf(&mut digits), "{value}");
    while digits.len() < 5 {
        digits.insert(0, b'0');
    }
    let int_len = digits.len() - 4;
    let mut out = Vec::with_capacity(digits.len() + 2);
    if neg {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[..int_len]);
    out.push(b'.');
    out.extend_from_slice(&digits[int_len..]);
    out
}

/// `ld2string(.., LD_STR_HUMAN)` of a double: `%.17Lf` with trailing
/// zeros and point removed, `-0` as `0`. (A double widened to `long
/// double` keeps its value, and Rust's exact formatting rounds ties to
/// even as glibc does.)
pub fn fmt_human(d: f64) -> Vec<u8> {
    if d.is_infinite() {
        return if d > 0.0 { b"inf".to_vec() } else { b"-inf".to_vec() };
    }
    let mut s = String::new();
    let _ = write!(s, "{d:.17}");
    let mut out = s.into_bytes();
    if out.contains(&b'.') {
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
    }
    if out == b"-0" {
        out = b"0".to_vec();
    }
    out
}

/// C's `%f` (six decimals, exact expansion), as the invalid-pair error
/// message prints coordinates.
pub fn fmt_f6(d: f64) -> String {
    let mut s = String::new();
    if d.is_nan() {
        s.push_str(if d.is_sign_negative() { "-nan" } else { "nan" });
    } else {
        let _ = write!(s, "{d:.6}");
    }
    s
}

struct Buf<'a>(&'a mut Vec<u8>);

impl Write for Buf<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// One search hit (`geoPoint`).
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Decoded longitude.
    pub lon: f64,
    /// Decoded latitude.
    pub lat: f64,
    /// Distance from the centre (meters until the reply divides it).
    pub dist: f64,
    /// The sorted-set score.
    pub score: f64,
    /// The member.
    pub member: Vec<u8>,
}

/// The comparator of GEO sorting (`sort_gp_asc`): NaN compares less.
fn cmp_asc(a: &Point, b: &Point) -> i32 {
    if a.dist > b.dist {
        1
    } else if a.dist == b.dist {
        0
    } else {
        -1
    }
}

/// Sorts all points by distance as glibc's `qsort` does here (a stable
/// merge sort).
pub fn sort_all(v: &mut [Point], desc: bool) {
    let sign = if desc { -1 } else { 1 };
    v.sort_by(|a, b| (sign * cmp_asc(a, b)).cmp(&0));
}

/// Redis's `pqsort(v, .., 0, last)`: a Bentley-McIlroy quicksort that only
/// recurses into parts overlapping ranks `0..=last`. Ties are ordered
/// exactly as Redis orders them, so COUNT with equal distances agrees.
pub fn partial_sort(v: &mut [Point], desc: bool, last: usize) {
    let sign = if desc { -1 } else { 1 };
    let cmp = |v: &[Point], i: usize, j: usize| sign * cmp_asc(&v[i], &v[j]);
    let med3 = |v: &[Point], a: usize, b: usize, c: usize| -> usize {
        if cmp(v, a, b) < 0 {
            if cmp(v, b, c) < 0 {
                b
            } else if cmp(v, a, c) < 0 {
                c
            } else {
                a
            }
        } else if cmp(v, b, c) > 0 {
            b
        } else if cmp(v, a, c) < 0 {
            a
        } else {
            c
        }
    };
    let vecswap = |v: &mut [Point], a: usize, b: usize, n: usize| {
        for k in 0..n {
            v.swap(a + k, b + k);
        }
    };
    // Skips a part when the wanted ranks 0..=last are all before it (they
    // cannot all be after it: rank 0 is in every part starting at 0).
    let wanted = |s: usize, _len: usize| !(0 < s && last < s);
    let mut stack: Vec<(usize, usize)> = alloc::vec![(0, v.len())];
    while let Some((mut a, mut n)) = stack.pop() {
        loop {
            if n < 7 {
                for pm in a + 1..a + n {
                    let mut pl = pm;
                    while pl > a && cmp(v, pl - 1, pl) > 0 {
                        v.swap(pl, pl - 1);
                        pl -= 1;
                    }
                }
                break;
            }
            let mut pm = a + n / 2;
            if n > 7 {
                let mut pl = a;
                let mut pn = a + n - 1;
                if n > 40 {
                    let d = n / 8;
                    pl = med3(v, pl, pl + d, pl + 2 * d);
                    pm = med3(v, pm - d, pm, pm + d);
                    pn = med3(v, pn - 2 * d, pn - d, pn);
                }
                pm = med3(v, pl, pm, pn);
            }
            v.swap(a, pm);
            // Indices as isize: pc may step to just below pb.
            let (mut pa, mut pb) = (a as isize + 1, a as isize + 1);
            let (mut pc, mut pd) = ((a + n - 1) as isize, (a + n - 1) as isize);
            loop {
                while pb <= pc {
                    let r = cmp(v, pb as usize, a);
                    if r > 0 {
                        break;
                    }
                    if r == 0 {
                        v.swap(pa as usize, pb as usize);
                        pa += 1;
                    }
                    pb += 1;
                }
                while pb <= pc {
                    let r = cmp(v, pc as usize, a);
                    if r < 0 {
                        break;
                    }
                    if r == 0 {
                        v.swap(pc as usize, pd as usize);
                        pd -= 1;
                    }
                    pc -= 1;
                }
                if pb > pc {
                    break;
                }
                v.swap(pb as usize, pc as usize);
                pb += 1;
                pc -= 1;
            }
            let pn = (a + n) as isize;
            let r = (pa - a as isize).min(pb - pa);
            vecswap(v, a, (pb - r) as usize, r as usize);
            let r = (pd - pc).min(pn - pd - 1);
            vecswap(v, pb as usize, (pn - r) as usize, r as usize);
            let left = (pb - pa) as usize;
            if left > 1 && wanted(a, left) {
                stack.push((a, left));
            }
            let right = (pd - pc) as usize;
            if right > 1 {
                let s = pn as usize - right;
                if wanted(s, right) {
                    a = s;
                    n = right;
                    continue;
                }
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_matches_redis_scores() {
        // Verified with GEOADD + ZSCORE on redis-server 7.0.15.
        assert_eq!(encode_score(13.361389, 38.115556), Some(3479099956230698));
        assert_eq!(encode_score(15.087269, 37.502669), Some(3479447370796909));
        assert_eq!(encode_score(200.0, 1.0), None);
        assert_eq!(encode_score(0.0, 85.05112879), None);
    }

    #[test]
    fn decode_prints_like_redis() {
        let (x, y) = decode_score(3479099956230698.0).unwrap();
        assert_eq!(fmt_human(x), b"13.36138933897018433");
        assert_eq!(fmt_human(y), b"38.11555639549629859");
        // Foreign scores: x86-64's conversion of out-of-range doubles.
        let (x, y) = decode_score(-1.0).unwrap();
        assert_eq!((fmt_human(x), fmt_human(y)), (b"180".to_vec(), b"85.0511287799999991".to_vec()));
        let (x, y) = decode_score(f64::INFINITY).unwrap();
        assert_eq!(fmt_human(x), b"-179.99999731779098511");
        assert_eq!(fmt_human(y), b"-85.05112751263942528");
        let (x, _) = decode_score(f64::NEG_INFINITY).unwrap();
        assert_eq!(fmt_human(x), b"180");
    }

    #[test]
    fn hash_strings() {
        assert_eq!(&hash_string(3479099956230698.0).unwrap(), b"sqc8b49rny0");
        assert_eq!(&hash_string(3479447370796909.0).unwrap(), b"sqdtr74hyu0");
        assert_eq!(&hash_string(-1.0).unwrap(), b"bp05b5048p0");
        assert_eq!(&hash_string(3.5).unwrap(), b"00bh0hbj210");
    }

    #[test]
    fn distances() {
        let (x1, y1) = decode_score(3479099956230698.0).unwrap();
        let (x2, y2) = decode_score(3479447370796909.0).unwrap();
        let d = distance(x1, y1, x2, y2);
        assert_eq!(fmt_distance(d), b"166274.1516");
        assert_eq!(fmt_distance(d / 1000.0), b"166.2742");
        assert_eq!(fmt_distance(0.0), b"0.0000");
        assert_eq!(fmt_distance(0.00005), b"0.0000");
        assert_eq!(fmt_distance(1.23456), b"1.2346");
    }

    #[test]
    fn formats() {
        assert_eq!(fmt_f6(200.0), "200.000000");
        assert_eq!(fmt_f6(f64::NEG_INFINITY), "-inf");
        assert_eq!(fmt_f6(85.05112879), "85.051129");
        assert_eq!(fmt_human(-0.0), b"0");
        assert_eq!(fmt_human(180.0), b"180");
    }

    #[test]
    fn neighbours_wrap() {
        let h = HashBits { bits: 0, step: 1 };
        let n = neighbors(&h);
        assert_eq!(n.east, n.west);
        assert_eq!(n.north, n.south);
        assert_eq!(n.north_east.bits, 3);
    }

    #[test]
    fn steps() {
        assert_eq!(estimate_steps_by_radius(0.0, 0.0), 26);
        assert_eq!(estimate_steps_by_radius(1e9, 0.0), 1);
        assert_eq!(estimate_steps_by_radius(1e-300, 0.0), 26);
        assert!(estimate_steps_by_radius(200_000.0, 70.0) < estimate_steps_by_radius(200_000.0, 10.0));
    }

    fn pts(d: &[f64]) -> Vec<Point> {
        d.iter().enumerate().map(|(i, &x)| Point { lon: 0.0, lat: 0.0, dist: x, score: 0.0, member: alloc::vec![i as u8] }).collect()
    }

    #[test]
    fn partial_sort_orders_prefix() {
        let mut seed = 12345u64;
        for n in 0..120usize {
            let d: Vec<f64> = (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    ((seed >> 33) % 13) as f64
                })
                .collect();
            for last in [0usize, 1, 3, n / 2, n.saturating_sub(1)] {
                if last >= n {
                    continue;
                }
                let mut v = pts(&d);
                partial_sort(&mut v, false, last);
                let mut sorted = d.clone();
                sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
                for i in 0..=last {
                    assert_eq!(v[i].dist, sorted[i], "n={n} last={last}");
                }
                let mut v = pts(&d);
                partial_sort(&mut v, true, last);
                sorted.reverse();
                for i in 0..=last {
                    assert_eq!(v[i].dist, sorted[i]);
                }
            }
        }
    }
}
