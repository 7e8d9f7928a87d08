//! The plugin example: a guest component that imports `redlet:engine` and
//! `wasi:keyvalue` and exports a fixed-window rate limiter and a
//! leaderboard (world `plugin-example` in `wit/plugin.wit`).
//!
//! The rate limiter counts with wasi:keyvalue's `increment` and gives each
//! counter a TTL through the engine's `expire`; the leaderboard is a sorted
//! set behind the engine's typed functions. Both reach one database: the
//! one whose storage space is `default`, which is what redlet's
//! wasi:keyvalue buckets are keyspaces of, so a counter the bucket
//! increments is a key the connection can expire.
//!
//! Built for `wasm32-unknown-unknown` and turned into a component by
//! `build.sh`; it imports only what the world names. Nothing here panics:
//! every failure of an import becomes the function's error string.

use std::cell::OnceCell;
use std::fmt::Write as _;

wit_bindgen::generate!({
    // The redlet package (and its wasi deps) first, so the plugin's own
    // package can refer to it.
    path: ["../../wit", "wit"],
    world: "redlet:plugin-example/plugin-example",
    generate_all,
});

use exports::redlet::plugin_example::plugin::{Decision, Entry, Guest};
use redlet::engine::engine::{Connection, Database, Options, Scored};
use redlet::engine::types::{Error as EngineError, Frame};
use wasi::keyvalue::store::{Bucket, Error as KvError};

/// What the plugin keeps between calls: the database handle, one
/// connection to it and the wasi:keyvalue bucket, opened on first use.
/// The instance is single-threaded, so a thread-local holds them.
struct Handles {
    /// Kept alive so the connection's database stays open.
    _db: Database,
    conn: Connection,
    bucket: Bucket,
}

thread_local! {
    static HANDLES: OnceCell<Handles> = const { OnceCell::new() };
}

/// Runs `f` with the handles, opening them on first use.
fn with_handles<R>(f: impl FnOnce(&Handles) -> Result<R, String>) -> Result<R, String> {
    HANDLES.with(|cell| {
        if cell.get().is_none() {
            let _ = cell.set(open_handles()?);
        }
        match cell.get() {
            Some(h) => f(h),
            None => Err("handles not open".to_string()),
        }
    })
}

/// Opens the `default` database (fixed seed, so nothing random differs
/// between runs) and bucket `""`, its keyspace 0.
fn open_handles() -> Result<Handles, String> {
    let db = Database::open(&Options {
        config: Vec::new(),
        storage: Some("default".to_string()),
        seed: Some(1),
    })
    .map_err(engine_err)?;
    let conn = db.connect("plugin-example");
    let bucket = wasi::keyvalue::store::open("").map_err(kv_err)?;
    Ok(Handles { _db: db, conn, bucket })
}

/// The one mapping of engine errors to the plugin's error strings.
fn engine_err(e: EngineError) -> String {
    match e {
        EngineError::Reply(s) => s,
        EngineError::Storage(s) => format!("storage: {s}"),
        EngineError::Config(s) => format!("config: {s}"),
    }
}

/// The one mapping of wasi:keyvalue errors to the plugin's error strings.
fn kv_err(e: KvError) -> String {
    match e {
        KvError::NoSuchStore => "no such store".to_string(),
        KvError::AccessDenied => "access denied".to_string(),
        KvError::Other(s) => s,
    }
}

/// The engine's clock in Unix milliseconds, from TIME through `call`.
fn engine_now_ms(conn: &Connection) -> Result<u64, String> {
    let args: Vec<Vec<u8>> = vec![b"TIME".to_vec()];
    let reply = match conn.call(&args) {
        redlet::engine::engine::Outcome::Done(r) => r,
        redlet::engine::engine::Outcome::Blocked => return Err("TIME blocked".to_string()),
    };
    // TIME answers `*2 $secs $micros`.
    let num = |f: Option<&Frame>| -> Option<u64> {
        match f {
            Some(Frame::Bulk(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
            _ => None,
        }
    };
    match (reply.first(), num(reply.get(1)), num(reply.get(2))) {
        (Some(Frame::Array(2)), Some(s), Some(us)) => Ok(s.saturating_mul(1000).saturating_add(us / 1000)),
        _ => Err(format!("unexpected TIME reply: {reply:?}")),
    }
}

fn rate_limit(h: &Handles, client: &str, limit: u64, window_ms: u64, now_ms: Option<u64>) -> Result<Decision, String> {
    if window_ms == 0 || window_ms > i64::MAX as u64 {
        return Err("window-ms must be between 1 and 2^63-1".to_string());
    }
    let now = match now_ms {
        Some(t) => t,
        None => engine_now_ms(&h.conn)?,
    };
    let window = now / window_ms;
    let key = format!("rl:{client}:{window}");
    let count = wasi::keyvalue::atomics::increment(&h.bucket, &key, 1).map_err(kv_err)?;
    if count == 1 {
        // First request of the window: the counter lives as long as the
        // window (window_ms <= i64::MAX was checked above).
        h.conn.expire(key.as_bytes(), window_ms as i64).map_err(engine_err)?;
    }
    Ok(Decision {
        allowed: count <= limit,
        count,
        remaining: limit.saturating_sub(count),
        reset_at_ms: window.saturating_add(1).saturating_mul(window_ms),
    })
}

fn board_key(board: &str) -> Vec<u8> {
    format!("lb:{board}").into_bytes()
}

fn leaderboard_top(h: &Handles, board: &str, n: u32) -> Result<Vec<Entry>, String> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let scored = h.conn.zrange(&board_key(board), 0, i64::from(n) - 1, true).map_err(engine_err)?;
    Ok(scored
        .into_iter()
        .map(|Scored { member, score }| Entry { player: String::from_utf8_lossy(&member).into_owned(), score })
        .collect())
}

fn leaderboard_rank(h: &Handles, board: &str, player: &str) -> Result<Option<u64>, String> {
    let rank = h.conn.zrank(&board_key(board), player.as_bytes(), true).map_err(engine_err)?;
    Ok(rank.map(|r| r + 1))
}

/// A reply as one line, redis-cli style for the frames the demo meets.
fn render(reply: &[Frame]) -> String {
    let parts: Vec<String> = reply
        .iter()
        .map(|f| match f {
            Frame::Integer(n) => format!("(integer) {n}"),
            Frame::Bulk(b) => format!("{:?}", String::from_utf8_lossy(b)),
            Frame::Simple(s) => s.clone(),
            Frame::Error(e) => format!("(error) {e}"),
            Frame::Null | Frame::NullArray => "(nil)".to_string(),
            Frame::Array(n) => format!("*{n}"),
            other => format!("{other:?}"),
        })
        .collect();
    parts.join(" ")
}

/// The scenario of `demo`: every step appends one line.
fn demo(h: &Handles, out: &mut Vec<String>) -> Result<(), String> {
    // A clean keyspace, so a host that already ran the demo (or shares the
    // database) still gets the same transcript.
    let flush: Vec<Vec<u8>> = vec![b"FLUSHDB".to_vec()];
    let _ = h.conn.call(&flush);
    let now = engine_now_ms(&h.conn)?;
    // Times relative to the start of a 1-second window, so the transcript
    // does not depend on where in its window the clock is.
    let window_ms = 1000;
    let t0 = now - now % window_ms;
    out.push("rate limiter: 3 requests per 1000 ms window".to_string());
    let requests: [(&str, u64); 8] = [
        ("alice", 0),
        ("alice", 100),
        ("bob", 150),
        ("alice", 200),
        ("alice", 300),
        ("bob", 400),
        ("alice", 999),
        ("alice", 1000),
    ];
    for (client, dt) in requests {
        let d = rate_limit(h, client, 3, window_ms, Some(t0 + dt))?;
        out.push(format!(
            "  t+{dt:>4} {client:<5} {} count={} remaining={} resets in {} ms",
            if d.allowed { "allowed" } else { "DENIED " },
            d.count,
            d.remaining,
            d.reset_at_ms.saturating_sub(t0 + dt),
        ));
    }
    // What the counters look like from each side: wasi:keyvalue sees the
    // count, the engine sees the TTL the first request set.
    let w0 = t0 / window_ms;
    let rel = |k: &str| k.replace(&format!(":{}", w0 + 1), ":<w0+1>").replace(&format!(":{w0}"), ":<w0>");
    let first = format!("rl:alice:{w0}");
    let v = h.bucket.get(&first).map_err(kv_err)?;
    let v = v.map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_else(|| "none".into());
    out.push(format!("  keyvalue get {} -> {v}", rel(&first)));
    let ttl = h.conn.ttl(first.as_bytes()).map_err(engine_err)?;
    out.push(format!("  engine pttl {} -> {ttl}", rel(&first)));
    for k in [format!("rl:bob:{w0}"), format!("rl:bob:{}", w0 + 1)] {
        let exists = h.bucket.exists(&k).map_err(kv_err)?;
        out.push(format!("  keyvalue exists {} -> {exists}", rel(&k)));
    }
    // The engine clock, not a caller's time: carol's first request.
    let d = rate_limit(h, "carol", 1, 60_000, None)?;
    out.push(format!("  carol (engine clock, 1 per minute) allowed={} count={}", d.allowed, d.count));
    let d = rate_limit(h, "carol", 1, 60_000, None)?;
    out.push(format!("  carol again allowed={} count={}", d.allowed, d.count));

    out.push("leaderboard: season-1".to_string());
    let seed: Vec<Scored> = [("ann", 120.0), ("ben", 95.5), ("cid", 300.0)]
        .iter()
        .map(|(m, s)| Scored { member: m.as_bytes().to_vec(), score: *s })
        .collect();
    let added = h.conn.zadd(&board_key("season-1"), &seed).map_err(engine_err)?;
    out.push(format!("  zadd ann=120 ben=95.5 cid=300 -> {added} added"));
    for (player, points) in [("ben", 250.0), ("dee", 42.25), ("ann", -20.0), ("ben", 0.5)] {
        let s = h.conn.zincrby(&board_key("season-1"), points, player.as_bytes()).map_err(engine_err)?;
        out.push(format!("  {player} {points:+} -> {s}"));
    }
    let top = leaderboard_top(h, "season-1", 3)?;
    let line = top.iter().map(|e| format!("{}={}", e.player, e.score)).collect::<Vec<_>>().join(" ");
    out.push(format!("  top 3: {line}"));
    let mut ranks = String::new();
    for player in ["ann", "ben", "cid", "dee", "eve"] {
        let r = leaderboard_rank(h, "season-1", player)?;
        let _ = write!(ranks, " {player}={}", r.map(|r| r.to_string()).unwrap_or_else(|| "-".into()));
    }
    out.push(format!("  ranks:{ranks}"));
    // The generic path: any command through `call`.
    let zcard: Vec<Vec<u8>> = vec![b"ZCARD".to_vec(), board_key("season-1")];
    let card = match h.conn.call(&zcard) {
        redlet::engine::engine::Outcome::Done(r) => render(&r),
        redlet::engine::engine::Outcome::Blocked => "blocked".to_string(),
    };
    out.push(format!("  call ZCARD lb:season-1 -> {card}"));
    // A mistake gets Redis's error text, not a trap.
    let wrong = h.conn.zincrby(first.as_bytes(), 1.0, b"x").map_err(engine_err);
    out.push(format!("  zincrby on a counter -> {}", wrong.err().unwrap_or_default()));
    let wrong = wasi::keyvalue::atomics::increment(&h.bucket, "lb:season-1", 1).map_err(kv_err);
    out.push(format!("  keyvalue increment on the board -> {}", wrong.err().unwrap_or_default()));
    // Every key, as wasi:keyvalue lists them (cursor followed to the end;
    // sorted, since SCAN order is the engine's business).
    let mut keys = Vec::new();
    let mut cursor = None;
    loop {
        let page = h.bucket.list_keys(cursor).map_err(kv_err)?;
        keys.extend(page.keys);
        match page.cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    let mut keys: Vec<String> = keys.iter().map(|k| rel(k)).collect();
    keys.sort();
    out.push(format!("keys: {}", keys.join(" ")));
    Ok(())
}

/// The exported interface.
struct Plugin;

impl Guest for Plugin {
    fn rate_limit(client: String, limit: u64, window_ms: u64, now_ms: Option<u64>) -> Result<Decision, String> {
        with_handles(|h| rate_limit(h, &client, limit, window_ms, now_ms))
    }

    fn leaderboard_add(board: String, player: String, points: f64) -> Result<f64, String> {
        with_handles(|h| h.conn.zincrby(&board_key(&board), points, player.as_bytes()).map_err(engine_err))
    }

    fn leaderboard_top(board: String, n: u32) -> Result<Vec<Entry>, String> {
        with_handles(|h| leaderboard_top(h, &board, n))
    }

    fn leaderboard_rank(board: String, player: String) -> Result<Option<u64>, String> {
        with_handles(|h| leaderboard_rank(h, &board, &player))
    }

    fn demo() -> Vec<String> {
        let mut out = Vec::new();
        if let Err(e) = with_handles(|h| demo(h, &mut out)) {
            out.push(format!("error: {e}"));
        }
        out
    }
}

export!(Plugin);
