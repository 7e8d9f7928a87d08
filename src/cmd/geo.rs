//! Geo commands: GEOADD GEODIST GEOHASH GEOPOS GEOSEARCH GEOSEARCHSTORE
//! GEORADIUS GEORADIUSBYMEMBER GEORADIUS_RO GEORADIUSBYMEMBER_RO.
//!
//! A geo index is a plain sorted set whose scores are 52-bit geohashes
//! ([`crate::geo`] holds the math). GEOADD is ZADD with computed scores
//! (same options, replies and `zadd` event). The searches follow Redis
//! 7.0.15's `georadiusGeneric`, including where each error is detected:
//! the source key is looked up first (WRONGTYPE wins), GEORADIUS* parse
//! their centre and radius before the options, a missing source skips the
//! member lookup but not the parsing, and the option loop reports errors in
//! argument order. Results are found by scanning the score ranges of the 9
//! cells around the centre, filtered by the exact shape, then ordered (a
//! stable sort of all results, or Redis's partial quicksort when COUNT cuts
//! them, so ties come out in Redis's order).

use alloc::boxed::Box;
use alloc::format;
use alloc::vec::Vec;

use crate::cmd::zsets::{parse_score, zadd_with, ZAddOptions, ZAddReply};
use crate::cmd::{flags::*, is_kw, Args, Command, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::geo::{self, Point, Shape, ShapeKind};
use crate::num;
use crate::reply::Reply;
use crate::types::zset::{AddFlags, Limits, ScoreRange, ZSet};
use crate::types::Value;

macro_rules! gcmd {
    ($name:expr, $arity:expr, $flags:expr, $acl:expr, $keys:expr, $summary:expr, $since:expr, $handler:expr) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: $acl,
            first_key: $keys.0,
            last_key: $keys.1,
            step: $keys.2,
            group: "geo",
            summary: $summary,
            since: $since,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

const R: &str = "@read @geo @slow";
const W: &str = "@write @geo @slow";

/// The geo family's command table (arity, flags, ACL categories and key
/// positions as Redis 7.0.15's COMMAND INFO reports them).
pub const COMMANDS: &[Command] = &[
    gcmd!("geoadd", -5, WRITE | DENYOOM, W, (1, 1, 1), "Add one or more geospatial items in the geospatial index represented using a sorted set", "3.2.0", geoadd_cmd),
    gcmd!("geodist", -4, READONLY, R, (1, 1, 1), "Returns the distance between two members of a geospatial index", "3.2.0", geodist_cmd),
    gcmd!("geohash", -2, READONLY, R, (1, 1, 1), "Returns members of a geospatial index as standard geohash strings", "3.2.0", geohash_cmd),
    gcmd!("geopos", -2, READONLY, R, (1, 1, 1), "Returns longitude and latitude of members of a geospatial index", "3.2.0", geopos_cmd),
    gcmd!("geosearch", -7, READONLY, R, (1, 1, 1), "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle.", "6.2.0", geosearch_cmd),
    gcmd!("geosearchstore", -8, WRITE | DENYOOM, W, (1, 2, 1), "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key.", "6.2.0", geosearchstore_cmd),
    gcmd!("georadius", -6, WRITE | DENYOOM | MOVABLE_KEYS, W, (1, 1, 1), "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point", "3.2.0", georadius_cmd),
    gcmd!("georadiusbymember", -5, WRITE | DENYOOM | MOVABLE_KEYS, W, (1, 1, 1), "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member", "3.2.0", georadiusbymember_cmd),
    gcmd!("georadius_ro", -6, READONLY, R, (1, 1, 1), "A read-only variant for GEORADIUS", "3.2.10", georadius_ro_cmd),
    gcmd!("georadiusbymember_ro", -5, READONLY, R, (1, 1, 1), "A read-only variant for GEORADIUSBYMEMBER", "3.2.10", georadiusbymember_ro_cmd),
];

// ---------------------------------------------------------------------------
// Lookups and argument helpers.
// ---------------------------------------------------------------------------

/// Read lookup of a sorted set: `None` when absent, WRONGTYPE otherwise.
fn read_zset<'c>(cx: &'c mut Ctx<'_>, key: &[u8]) -> Result<Option<&'c mut ZSet>> {
    let now = cx.now;
    match cx.db().read(key, now) {
        None => Ok(None),
        Some(e) => match &mut e.value {
            Value::ZSet(z) => Ok(Some(z)),
            _ => Err(Error::WrongType),
        },
    }
}

/// A sorted set already looked up this command.
fn peek_zset<'c>(cx: &'c mut Ctx<'_>, key: &[u8]) -> Option<&'c mut ZSet> {
    let now = cx.now;
    match cx.db().peek(key, now).map(|e| &mut e.value) {
        Some(Value::ZSet(z)) => Some(z),
        _ => None,
    }
}

/// `getDoubleFromObjectOrReply`: `strtod` rules, `msg` replaces the
/// generic error text when given.
fn parse_double(arg: &[u8], msg: Option<&'static str>) -> Result<f64> {
    parse_score(arg).ok_or(match msg {
        Some(m) => Error::err(m),
        None => Error::NotFloat,
    })
}

/// `extractLongLatOrReply`: two doubles, then the range check whose error
/// prints them with `%f`.
fn parse_lonlat(lon: &[u8], lat: &[u8]) -> Result<(f64, f64)> {
    let x = parse_double(lon, None)?;
    let y = parse_double(lat, None)?;
    check_lonlat(x, y)?;
    Ok((x, y))
}

fn check_lonlat(x: f64, y: f64) -> Result<()> {
    if !geo::valid_lonlat(x, y) {
        return Err(Error::err(&format!("invalid longitude,latitude pair {},{}", geo::fmt_f6(x), geo::fmt_f6(y))));
    }
    Ok(())
}

fn unit_error() -> Error {
    Error::err("unsupported unit provided. please use M, KM, FT, MI")
}

/// `extractUnitOrReply`: meters per unit.
fn parse_unit(arg: &[u8]) -> Result<f64> {
    geo::unit_meters(arg).ok_or_else(unit_error)
}

/// `extractDistanceOrReply`: `(radius, meters per unit)`.
fn parse_distance(radius: &[u8], unit: &[u8]) -> Result<(f64, f64)> {
    let d = parse_double(radius, Some("need numeric radius"))?;
    if d < 0.0 {
        return Err(Error::err("radius cannot be negative"));
    }
    Ok((d, parse_unit(unit)?))
}

/// `extractBoxOrReply`: `(width, height, meters per unit)`.
fn parse_box(w: &[u8], h: &[u8], unit: &[u8]) -> Result<(f64, f64, f64)> {
    let w = parse_double(w, Some("need numeric width"))?;
    let h = parse_double(h, Some("need numeric height"))?;
    if h < 0.0 || w < 0.0 {
        return Err(Error::err("height or width cannot be negative"));
    }
    Ok((w, h, parse_unit(unit)?))
}

fn member_error() -> Error {
    Error::err("could not decode requested zset member")
}

/// `longLatFromMember`: the decoded position of a member.
fn member_pos(z: &ZSet, member: &[u8]) -> Option<(f64, f64)> {
    geo::decode_score(z.score(member)?)
}

// ---------------------------------------------------------------------------
// The search itself.
// ---------------------------------------------------------------------------

/// Result ordering of a search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Discovery order (cell by cell, by score within a cell).
    #[default]
    None,
    /// Nearest first.
    Asc,
    /// Farthest first.
    Desc,
}

/// A resolved search: the shape around its centre and the result options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Query {
    /// Centre, shape and unit.
    pub shape: Shape,
    /// Ordering (COUNT without ANY implies [`Sort::Asc`] when none is given).
    pub sort: Sort,
    /// Maximum results; 0 = unlimited.
    pub count: u64,
    /// With `count`: stop scanning once that many were found.
    pub any: bool,
}

/// `geoGetPointsInRange` over the cell `[min, max)`: appends the members
/// inside the shape, stopping at `limit` (0 = none) results in total.
fn points_in_range(z: &ZSet, min: u64, max: u64, shape: &Shape, out: &mut Vec<Point>, limit: usize) {
    let range = ScoreRange { min: min as f64, max: max as f64, minex: false, maxex: true };
    let Some(first) = z.first_in_range(&range) else { return };
    for (member, score) in z.iter_from(first, false) {
        if !range.lte_max(score) {
            break;
        }
        if let Some((x, y)) = geo::decode_score(score) {
            if let Some(dist) = shape.contains(x, y) {
                out.push(Point { lon: x, lat: y, dist, score, member: member.to_vec() });
            }
        }
        if !out.is_empty() && limit != 0 && out.len() >= limit {
            break;
        }
    }
}

/// `membersOfAllNeighbors`: scans the centre cell and its neighbours,
/// skipping zeroed cells and a cell equal to the last one scanned (Redis
/// never compares with the centre cell itself).
fn scan(z: &ZSet, shape: &Shape, limit: usize) -> Vec<Point> {
    let area = geo::areas_by_shape(shape);
    let cells = area.cells();
    let mut out = Vec::new();
    let mut last_processed = 0usize;
    for (i, cell) in cells.iter().enumerate() {
        if cell.is_zero() {
            continue;
        }
        if last_processed != 0 && *cell == cells[last_processed] {
            continue;
        }
        if !out.is_empty() && limit != 0 && out.len() >= limit {
            break;
        }
        let (min, max) = geo::score_range(*cell);
        points_in_range(z, min, max, shape, &mut out, limit);
        last_processed = i;
    }
    out
}

/// Runs a query on a sorted set: the returned points, ordered and cut to
/// COUNT, distances converted to the query's unit.
pub fn run_query(z: &ZSet, q: &Query) -> Vec<Point> {
    let limit = if q.any { usize::try_from(q.count).unwrap_or(usize::MAX) } else { 0 };
    let mut pts = scan(z, &q.shape, limit);
    let mut sort = q.sort;
    if q.count != 0 && sort == Sort::None && !q.any {
        sort = Sort::Asc;
    }
    let len = pts.len();
    let returned = if q.count == 0 || (len as u64) < q.count { len } else { q.count as usize };
    if sort != Sort::None && len > 0 {
        let desc = sort == Sort::Desc;
        if returned == len {
            geo::sort_all(&mut pts, desc);
        } else if returned > 0 {
            geo::partial_sort(&mut pts, desc, returned - 1);
        }
    }
    pts.truncate(returned);
    for p in &mut pts {
        p.dist /= q.shape.conversion;
    }
    pts
}

/// What the search replies carry besides the member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct With {
    /// WITHDIST.
    pub dist: bool,
    /// WITHHASH.
    pub hash: bool,
    /// WITHCOORD.
    pub coord: bool,
}

/// The reply of a non-storing search.
pub fn points_reply(pts: Vec<Point>, with: With) -> Reply {
    let extra = with.dist || with.hash || with.coord;
    Reply::Array(
        pts.into_iter()
            .map(|p| {
                if !extra {
                    return Reply::Bulk(p.member);
                }
                let mut item = Vec::with_capacity(4);
                item.push(Reply::Bulk(p.member));
                if with.dist {
                    item.push(Reply::Bulk(geo::fmt_distance(p.dist)));
                }
                if with.hash {
                    item.push(Reply::Int(p.score as i64));
                }
                if with.coord {
                    item.push(Reply::Array(alloc::vec![Reply::DoubleText(geo::fmt_human(p.lon)), Reply::DoubleText(geo::fmt_human(p.lat))]));
                }
                Reply::Array(item)
            })
            .collect(),
    )
}

/// Stores search results at `dst` as Redis does: a new sorted set (scores
/// are the geohashes, or the distances with STOREDIST) replacing `dst`, or
/// `dst` deleted when there is no result. Returns the stored count.
fn store_points(cx: &mut Ctx<'_>, dst: &[u8], pts: Vec<Point>, storedist: bool, event: &str) -> usize {
    let n = pts.len();
    let now = cx.now;
    if n > 0 {
        let lim = Limits::of(cx.config());
        let seed = cx.seed();
        let mut z = ZSet::new_skiplist(seed);
        let (mut maxelelen, mut totelelen) = (0usize, 0usize);
        for p in &pts {
            maxelelen = maxelelen.max(p.member.len());
            totelelen = totelelen.saturating_add(p.member.len());
            let _ = z.add(if storedist { p.dist } else { p.score }, &p.member, AddFlags::default(), lim);
        }
        z.convert_to_listpack_if_needed(maxelelen, totelelen, lim);
        cx.db().set(dst, Value::ZSet(Box::new(z)), false, now);
        cx.touched(dst);
        cx.notify(notify::ZSET, event, dst);
        cx.dirty(n as u64);
    } else {
        delete_dst(cx, dst);
    }
    n
}

/// `dbDelete` of a store destination, with its `del` event.
fn delete_dst(cx: &mut Ctx<'_>, dst: &[u8]) {
    if cx.db().remove_raw(dst).is_some() {
        cx.touched(dst);
        cx.notify(notify::GENERIC, "del", dst);
        cx.dirty(1);
    }
}

// ---------------------------------------------------------------------------
// Typed operations.
// ---------------------------------------------------------------------------

/// GEOADD: `points` are `(longitude, latitude, member)`; returns ZADD's
/// reply (added, or added and changed with CH).
pub fn geoadd(cx: &mut Ctx<'_>, key: &[u8], nx: bool, xx: bool, ch: bool, points: &[(f64, f64, &[u8])]) -> Result<usize> {
    if xx && nx {
        return Err(Error::Syntax);
    }
    let mut pairs = Vec::with_capacity(points.len());
    for &(x, y, m) in points {
        check_lonlat(x, y)?;
        let score = geo::encode_score(x, y).ok_or_else(member_error)?;
        pairs.push((score as f64, m));
    }
    let o = ZAddOptions { nx, xx, ch, ..ZAddOptions::default() };
    match zadd_with(cx, key, o, &pairs)? {
        ZAddReply::Count(n) => Ok(n),
        ZAddReply::Score(_) => Ok(0),
    }
}

/// GEODIST: meters (divided by `to_meter`) between two members; `None`
/// when the key or either member is missing.
pub fn geodist(cx: &mut Ctx<'_>, key: &[u8], m1: &[u8], m2: &[u8], to_meter: f64) -> Result<Option<f64>> {
    let Some(z) = read_zset(cx, key)? else { return Ok(None) };
    let (Some(s1), Some(s2)) = (z.score(m1), z.score(m2)) else { return Ok(None) };
    let (Some((x1, y1)), Some((x2, y2))) = (geo::decode_score(s1), geo::decode_score(s2)) else { return Ok(None) };
    Ok(Some(geo::distance(x1, y1, x2, y2) / to_meter))
}

/// GEOPOS: each member's decoded position.
pub fn geopos(cx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<(f64, f64)>>> {
    let z = read_zset(cx, key)?;
    Ok(members.iter().map(|m| z.as_ref().and_then(|z| member_pos(z, m))).collect())
}

/// GEOHASH: each member's 11-character standard geohash.
pub fn geohash(cx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<[u8; 11]>>> {
    let z = read_zset(cx, key)?;
    Ok(members.iter().map(|m| z.as_ref().and_then(|z| z.score(m)).and_then(geo::hash_string)).collect())
}

/// Where a search is centred.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Center<'a> {
    /// FROMMEMBER / GEORADIUSBYMEMBER.
    Member(&'a [u8]),
    /// FROMLONLAT / GEORADIUS.
    LonLat(f64, f64),
}

/// A search as the typed API takes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Search<'a> {
    /// The centre.
    pub center: Center<'a>,
    /// Radius or box, in `unit`s.
    pub by: ShapeKind,
    /// Meters per unit ([`geo::unit_meters`]).
    pub unit: f64,
    /// Ordering.
    pub sort: Sort,
    /// COUNT (0 = none).
    pub count: u64,
    /// ANY.
    pub any: bool,
}

fn resolve(z: &ZSet, s: &Search<'_>) -> Result<Query> {
    let (lon, lat) = match s.center {
        Center::Member(m) => member_pos(z, m).ok_or_else(member_error)?,
        Center::LonLat(x, y) => {
            check_lonlat(x, y)?;
            (x, y)
        }
    };
    if s.any && s.count == 0 {
        return Err(Error::err("the ANY argument requires COUNT argument"));
    }
    Ok(Query { shape: Shape { kind: s.by, lon, lat, conversion: s.unit }, sort: s.sort, count: s.count, any: s.any })
}

/// GEOSEARCH: the matching points (distances in the search's unit).
pub fn geosearch(cx: &mut Ctx<'_>, key: &[u8], s: &Search<'_>) -> Result<Vec<Point>> {
    let Some(z) = read_zset(cx, key)? else { return Ok(Vec::new()) };
    let q = resolve(z, s)?;
    Ok(run_query(z, &q))
}

/// GEOSEARCHSTORE: stores the matching members at `dst` (scores are
/// geohashes, or distances with `storedist`); returns how many.
pub fn geosearchstore(cx: &mut Ctx<'_>, dst: &[u8], src: &[u8], s: &Search<'_>, storedist: bool) -> Result<usize> {
    let pts = match read_zset(cx, src)? {
        None => Vec::new(),
        Some(z) => {
            let q = resolve(z, s)?;
            run_query(z, &q)
        }
    };
    Ok(store_points(cx, dst, pts, storedist, "geosearchstore"))
}

// ---------------------------------------------------------------------------
// Handlers.
// ---------------------------------------------------------------------------

fn geoadd_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let (mut nx, mut xx, mut ch) = (false, false, false);
    while let Some(opt) = a.peek() {
        if is_kw(opt, "nx") {
            nx = true;
        } else if is_kw(opt, "xx") {
            xx = true;
        } else if is_kw(opt, "ch") {
            ch = true;
        } else {
            break;
        }
        a.next();
    }
    let rest = a.rest();
    if !rest.len().is_multiple_of(3) || (xx && nx) {
        return Err(Error::Syntax);
    }
    let mut pts = Vec::with_capacity(rest.len() / 3);
    for t in rest.chunks_exact(3) {
        let (x, y) = parse_lonlat(t[0], t[1])?;
        pts.push((x, y, t[2]));
    }
    Ok(Reply::Int(geoadd(cx, key, nx, xx, ch, &pts)? as i64))
}

fn geodist_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let mut to_meter = 1.0;
    if argv.len() == 5 {
        to_meter = parse_unit(argv[4])?;
    } else if argv.len() > 5 {
        return Err(Error::Syntax);
    }
    Ok(match geodist(cx, argv[1], argv[2], argv[3], to_meter)? {
        Some(d) => Reply::Bulk(geo::fmt_distance(d)),
        None => Reply::Nil,
    })
}

fn geopos_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let r = geopos(cx, key, a.rest())?;
    Ok(Reply::Array(
        r.into_iter()
            .map(|p| match p {
                Some((x, y)) => Reply::Array(alloc::vec![Reply::DoubleText(geo::fmt_human(x)), Reply::DoubleText(geo::fmt_human(y))]),
                None => Reply::NilArray,
            })
            .collect(),
    ))
}

fn geohash_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let r = geohash(cx, key, a.rest())?;
    Ok(Reply::Array(r.into_iter().map(|h| h.map_or(Reply::Nil, |h| Reply::Bulk(h.to_vec()))).collect()))
}

const RADIUS_COORDS: u32 = 1 << 0;
const RADIUS_MEMBER: u32 = 1 << 1;
const RADIUS_NOSTORE: u32 = 1 << 2;
const GEOSEARCH: u32 = 1 << 3;
const GEOSEARCHSTORE: u32 = 1 << 4;

/// `georadiusGeneric`: every search command, parsed in Redis's order.
fn radius_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, src_idx: usize, flags: u32) -> Result<Reply> {
    let argv = a.argv();
    let argc = argv.len();
    let src = argv.get(src_idx).copied().ok_or(Error::Syntax)?;
    let exists = read_zset(cx, src)?.is_some();
    let mut storekey: Option<&[u8]> = None;
    let mut storedist = false;
    let mut shape = Shape { kind: ShapeKind::Circle { radius: 0.0 }, lon: 0.0, lat: 0.0, conversion: 1.0 };
    let base_args;
    if flags & RADIUS_COORDS != 0 {
        base_args = 6;
        let (x, y) = parse_lonlat(argv[2], argv[3])?;
        let (radius, conv) = parse_distance(argv[4], argv[5])?;
        shape = Shape { kind: ShapeKind::Circle { radius }, lon: x, lat: y, conversion: conv };
    } else if flags & RADIUS_MEMBER != 0 && !exists {
        base_args = 5;
    } else if flags & RADIUS_MEMBER != 0 {
        base_args = 5;
        let pos = peek_zset(cx, src).and_then(|z| member_pos(z, argv[2]));
        let (x, y) = pos.ok_or_else(member_error)?;
        let (radius, conv) = parse_distance(argv[3], argv[4])?;
        shape = Shape { kind: ShapeKind::Circle { radius }, lon: x, lat: y, conversion: conv };
    } else {
        base_args = if flags & GEOSEARCHSTORE != 0 {
            storekey = Some(argv[1]);
            3
        } else {
            2
        };
    }

    let mut with = With::default();
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    let mut any = false;
    let mut count: i64 = 0;
    let search = flags & GEOSEARCH != 0;
    let can_store = flags & RADIUS_NOSTORE == 0 && !search;
    let remaining = argc.saturating_sub(base_args);
    let mut i = 0;
    while i < remaining {
        let arg = argv[base_args + i];
        let next = |k: usize| argv[base_args + i + k];
        if is_kw(arg, "withdist") {
            with.dist = true;
        } else if is_kw(arg, "withhash") {
            with.hash = true;
        } else if is_kw(arg, "withcoord") {
            with.coord = true;
        } else if is_kw(arg, "any") {
            any = true;
        } else if is_kw(arg, "asc") {
            sort = Sort::Asc;
        } else if is_kw(arg, "desc") {
            sort = Sort::Desc;
        } else if is_kw(arg, "count") && i + 1 < remaining {
            count = num::parse_i64(next(1)).ok_or(Error::NotInteger)?;
            if count <= 0 {
                return Err(Error::err("COUNT must be > 0"));
            }
            i += 1;
        } else if is_kw(arg, "store") && i + 1 < remaining && can_store {
            storekey = Some(next(1));
            storedist = false;
            i += 1;
        } else if is_kw(arg, "storedist") && i + 1 < remaining && can_store {
            storekey = Some(next(1));
            storedist = true;
            i += 1;
        } else if is_kw(arg, "storedist") && search && flags & GEOSEARCHSTORE != 0 {
            storedist = true;
        } else if is_kw(arg, "frommember") && i + 1 < remaining && search && !fromloc {
            if exists {
                let pos = peek_zset(cx, src).and_then(|z| member_pos(z, next(1)));
                let (x, y) = pos.ok_or_else(member_error)?;
                shape.lon = x;
                shape.lat = y;
            }
            frommember = true;
            i += 1;
        } else if is_kw(arg, "fromlonlat") && i + 2 < remaining && search && !frommember {
            let (x, y) = parse_lonlat(next(1), next(2))?;
            shape.lon = x;
            shape.lat = y;
            fromloc = true;
            i += 2;
        } else if is_kw(arg, "byradius") && i + 2 < remaining && search && !bybox {
            let (radius, conv) = parse_distance(next(1), next(2))?;
            shape.kind = ShapeKind::Circle { radius };
            shape.conversion = conv;
            byradius = true;
            i += 2;
        } else if is_kw(arg, "bybox") && i + 3 < remaining && search && !byradius {
            let (width, height, conv) = parse_box(next(1), next(2), next(3))?;
            shape.kind = ShapeKind::Rect { width, height };
            shape.conversion = conv;
            bybox = true;
            i += 3;
        } else {
            return Err(Error::Syntax);
        }
        i += 1;
    }

    if storekey.is_some() && (with.dist || with.hash || with.coord) {
        let what = if flags & GEOSEARCHSTORE != 0 { "GEOSEARCHSTORE" } else { "STORE option in GEORADIUS" };
        return Err(Error::err(&format!("{what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options")));
    }
    // Redis prints the command name as the client typed it.
    let named = |text: &str| {
        let mut m = Vec::from(&b"ERR "[..]);
        m.extend_from_slice(text.as_bytes());
        m.extend_from_slice(argv[0]);
        Error::msg(m)
    };
    if search && !(frommember || fromloc) {
        return Err(named("exactly one of FROMMEMBER or FROMLONLAT can be specified for "));
    }
    if search && !(byradius || bybox) {
        return Err(named("exactly one of BYRADIUS and BYBOX can be specified for "));
    }
    if any && count == 0 {
        return Err(Error::err("the ANY argument requires COUNT argument"));
    }

    if !exists {
        return Ok(match storekey {
            Some(dst) => {
                delete_dst(cx, dst);
                Reply::Int(0)
            }
            None => Reply::Array(Vec::new()),
        });
    }
    let q = Query { shape, sort, count: count as u64, any };
    let pts = match peek_zset(cx, src) {
        Some(z) => run_query(z, &q),
        None => Vec::new(),
    };
    match storekey {
        None => Ok(points_reply(pts, with)),
        Some(dst) => {
            let event = if search { "geosearchstore" } else { "georadiusstore" };
            Ok(Reply::Int(store_points(cx, dst, pts, storedist, event) as i64))
        }
    }
}

fn georadius_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    radius_generic(cx, a, 1, RADIUS_COORDS)
}

fn georadiusbymember_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    radius_generic(cx, a, 1, RADIUS_MEMBER)
}

fn georadius_ro_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    radius_generic(cx, a, 1, RADIUS_COORDS | RADIUS_NOSTORE)
}

fn georadiusbymember_ro_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    radius_generic(cx, a, 1, RADIUS_MEMBER | RADIUS_NOSTORE)
}

fn geosearch_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    radius_generic(cx, a, 1, GEOSEARCH)
}

fn geosearchstore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    radius_generic(cx, a, 2, GEOSEARCH | GEOSEARCHSTORE)
}

impl Engine {
    /// `GEOADD key [NX|XX] [CH] lon lat member ...`; returns how many
    /// members were added (or added and changed, with `ch`).
    pub fn geoadd(&mut self, db: usize, key: &[u8], nx: bool, xx: bool, ch: bool, points: &[(f64, f64, &[u8])]) -> Result<usize> {
        self.with_ctx(db, |cx| geoadd(cx, key, nx, xx, ch, points))
    }

    /// `GEODIST key m1 m2 [unit]` with the unit's meters (`1.0` for M).
    pub fn geodist(&mut self, db: usize, key: &[u8], m1: &[u8], m2: &[u8], to_meter: f64) -> Result<Option<f64>> {
        self.with_ctx(db, |cx| geodist(cx, key, m1, m2, to_meter))
    }

    /// `GEOPOS key member ...`.
    pub fn geopos(&mut self, db: usize, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<(f64, f64)>>> {
        self.with_ctx(db, |cx| geopos(cx, key, members))
    }

    /// `GEOHASH key member ...`.
    pub fn geohash(&mut self, db: usize, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<[u8; 11]>>> {
        self.with_ctx(db, |cx| geohash(cx, key, members))
    }

    /// `GEOSEARCH key ...`: the matching points.
    pub fn geosearch(&mut self, db: usize, key: &[u8], s: &Search<'_>) -> Result<Vec<Point>> {
        self.with_ctx(db, |cx| geosearch(cx, key, s))
    }

    /// `GEOSEARCHSTORE dst src ... [STOREDIST]`: the stored count.
    pub fn geosearchstore(&mut self, db: usize, dst: &[u8], src: &[u8], s: &Search<'_>, storedist: bool) -> Result<usize> {
        self.with_ctx(db, |cx| geosearchstore(cx, dst, src, s, storedist))
    }
}
