//! Running one command sequence on both sides and comparing, the final
//! keyspace comparison, shrinking a failing sequence (delta debugging) and
//! the per-family driver.
//!
//! Comparison is exact unless the command's reply is unordered (multiset
//! comparison), random (checked for size, distinctness and membership
//! against the container queried just before), a TTL (tolerance: both sides
//! read their own wall clock) or a SCAN (iterated to cursor 0 on each side,
//! the unions compared). After SPOP the redlet side is re-synchronised to
//! Redis's state so the sequence can go on.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard, Once};
use std::time::{Duration, Instant};

use redlet::clock::SystemClock;
use redlet::types::Value;
use redlet::{ClientId, ClientInfo, Config, Engine, Options};

use super::gen::{Argv, Avail, Family, Gen};
use super::redis::{prepare, Conn, RedisServer};
use super::resp::{self, cli_line, show, V};
use super::rng::mix;

/// Seed of redlet's engine in every sequence.
pub const ENGINE_SEED: u64 = 7;

/// Default base seed of the generators (`REDLET_DIFF_SEED` overrides).
pub const DEFAULT_SEED: u64 = 20240601;

// ---------------------------------------------------------------- panics

thread_local! {
    /// Per command: (runs, Redis error replies), for `REDLET_DIFF_STATS=1`.
    static STATS: RefCell<BTreeMap<String, (u64, u64)>> = const { RefCell::new(BTreeMap::new()) };
    static QUIET: RefCell<bool> = const { RefCell::new(false) };
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

static HOOK: Once = Once::new();

/// Runs `f`, turning a panic into `Err(message with location)` without
/// printing it (the harness reports it as a mismatch with a repro).
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    HOOK.call_once(|| {
        let prev = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(|q| *q.borrow()) {
                LAST_PANIC.with(|l| *l.borrow_mut() = info.to_string());
            } else {
                prev(info);
            }
        }));
    });
    QUIET.with(|q| *q.borrow_mut() = true);
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| *q.borrow_mut() = false);
    r.map_err(|_| LAST_PANIC.with(|l| l.borrow().replace('\n', " ")))
}

// ------------------------------------------------------------ the sides

thread_local! {
    /// Address of the server that is redlet's side in this thread's test:
    /// `REDLET_DIFF_TARGET`, or the self-test's second redis-server. `None`:
    /// an in-process engine. Set by [`RedletSide::new`].
    static REMOTE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The server redlet's side runs on in this thread's test, if not in process.
pub fn remote() -> Option<String> {
    REMOTE.with(|r| r.borrow().clone())
}

/// Held by each test while it uses the one `REDLET_DIFF_TARGET` server, so
/// tests running in parallel threads take turns on it.
static TARGET_LOCK: Mutex<()> = Mutex::new(());

/// Where redlet's side runs for one test, read from the environment, and
/// what must live as long as the test (the self-test's twin server, the
/// turn on the shared target). Dropping it returns the thread to the
/// in-process engine.
pub struct RedletSide {
    /// `REDLET_DIFF_SELFTEST=1`: a second redis-server stands in for redlet
    /// to check the harness itself (it must find no mismatch).
    pub selftest: bool,
    twin: Option<RedisServer>,
    _turn: Option<MutexGuard<'static, ()>>,
}

impl RedletSide {
    /// [`Settings::target`]: the server at that address (waits for this
    /// test's turn on it, then readies it with [`prepare`]);
    /// [`Settings::selftest`]: a second redis-server started with
    /// `twin_args`; neither: a fresh in-process engine per sequence.
    pub fn new(st: &Settings, twin_args: &[&str]) -> RedletSide {
        let selftest = st.selftest;
        let (addr, twin, turn) = match st.target.clone() {
            Some(_) if selftest => panic!("REDLET_DIFF_TARGET and REDLET_DIFF_SELFTEST exclude each other: set one"),
            Some(addr) => {
                let turn = TARGET_LOCK.lock().unwrap_or_else(|e| e.into_inner());
                let mut c = Conn::connect_to(addr.as_str()).unwrap_or_else(|e| {
                    panic!("REDLET_DIFF_TARGET={addr}: cannot connect ({e}); start the server first, e.g. `redlet serve --port 7001`")
                });
                if let Err(e) = prepare(&mut c) {
                    panic!(
                        "REDLET_DIFF_TARGET={addr}: {e} (the harness turns active expiry off with DEBUG SET-ACTIVE-EXPIRE 0: \
                         enable-debug-command must be `local` (redlet's default) over loopback, or `yes`)"
                    );
                }
                (Some(addr), None, Some(turn))
            }
            None if selftest => {
                let twin = RedisServer::start_with(twin_args);
                (Some(twin.addr()), Some(twin), None)
            }
            None => (None, None, None),
        };
        REMOTE.with(|r| *r.borrow_mut() = addr);
        RedletSide { selftest, twin, _turn: turn }
    }
}

impl Drop for RedletSide {
    fn drop(&mut self) {
        REMOTE.with(|r| *r.borrow_mut() = None);
    }
}

/// Brings a server to the state a fresh engine starts in: no keys, the
/// parameters the generators change back at Redis's defaults (`srv`'s),
/// statistics zeroed. Used on Redis and on a remote redlet alike.
pub fn reset(srv: &RedisServer, c: &mut Conn) {
    // A pause an earlier (failed) scenario left would postpone FLUSHALL.
    let _ = c.cmd_str(&["CLIENT", "UNPAUSE"]);
    c.must(&["FLUSHALL"]);
    // Redis keeps its script cache, its functions and their Lua states
    // across sequences.
    let _ = c.cmd_str(&["SCRIPT", "FLUSH"]);
    let _ = c.cmd_str(&["FUNCTION", "FLUSH"]);
    srv.reset_config(c);
    let _ = c.cmd_str(&["CONFIG", "RESETSTAT"]);
}

/// redlet's side of a pair: an in-process engine and one client, or a
/// connection to the server of [`remote`].
pub struct Redlet {
    /// Remote side only: the connection commands run on.
    pub remote: Option<Conn>,
    /// The engine (system clock, fixed seed); unused when remote.
    pub eng: Engine,
    /// The client commands run as.
    pub cid: ClientId,
    /// Set once the engine panicked; it is not trusted afterwards.
    pub poisoned: Option<String>,
}

impl Redlet {
    /// A fresh engine with one client, or a new connection to the remote
    /// side (not [`reset`]: that needs Redis's defaults).
    pub fn new() -> Redlet {
        let mut eng = Engine::new(Options { config: Config::default(), clock: Box::new(SystemClock), seed: ENGINE_SEED });
        let cid = eng.open_client(ClientInfo { addr: "127.0.0.1:40000".into(), laddr: "127.0.0.1:6379".into(), fd: 8 });
        let remote = remote().map(|addr| Conn::connect_to(addr.as_str()).unwrap_or_else(|e| panic!("connect to redlet's side at {addr}: {e}")));
        Redlet { remote, eng, cid, poisoned: None }
    }

    /// Runs a command for client `cid`; `None` when it blocked.
    pub fn exec_as(&mut self, cid: ClientId, argv: &[Vec<u8>]) -> Option<V> {
        if let Some(p) = &self.poisoned {
            return Some(V::Err(format!("HARNESS engine panicked earlier: {p}").into_bytes()));
        }
        let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
        let eng = &mut self.eng;
        match catch(|| eng.execute(cid, &refs)) {
            Ok(Some(reply)) => Some(self.render(cid, &reply)),
            Ok(None) => None,
            Err(msg) => {
                self.poisoned = Some(msg.clone());
                Some(V::Err(format!("PANIC {msg}").into_bytes()))
            }
        }
    }

    /// Renders a reply in the client's protocol and parses it back.
    pub fn render(&self, cid: ClientId, reply: &redlet::Reply) -> V {
        let bytes = reply.to_resp(self.eng.protocol(cid));
        resp::parse_one(&bytes).unwrap_or_else(|e| {
            V::Err(format!("HARNESS redlet rendered invalid RESP ({e}): {}", resp::quote(&bytes)).into_bytes())
        })
    }

    /// Runs a command for the main client (a blocked answer is shown as such).
    pub fn exec(&mut self, argv: &[Vec<u8>]) -> V {
        if let Some(t) = &mut self.remote {
            return t.cmd(argv).unwrap_or_else(|e| {
                // Go on with a new connection so the run reports instead of hanging.
                if let Some(c) = remote().and_then(|a| Conn::connect_to(a.as_str()).ok()) {
                    *t = c;
                }
                V::Err(format!("HARNESS redlet I/O error: {e}").into_bytes())
            });
        }
        let cid = self.cid;
        match self.exec_as(cid, argv) {
            Some(v) => v,
            None => {
                // Never expected in single-client sequences: unblock by
                // replacing the client so the run can report and go on.
                self.eng.close_client(cid);
                self.cid = self.eng.open_client(ClientInfo::default());
                V::Simple(b"<redlet blocked the client>".to_vec())
            }
        }
    }

    /// Every key of every db: read from the engine, or through commands
    /// like Redis's.
    pub fn dump(&mut self) -> Result<Dump, String> {
        match remote() {
            Some(addr) => remote_dump(&addr),
            None => redlet_dump(&mut self.eng),
        }
    }
}

/// [`redis_dump`] of the server at `addr`, on a connection of its own.
pub fn remote_dump(addr: &str) -> Result<Dump, String> {
    let mut c = Conn::connect_to(addr).map_err(|e| format!("connect to redlet's side at {addr}: {e}"))?;
    Ok(redis_dump(&mut c))
}

impl Default for Redlet {
    fn default() -> Self {
        Redlet::new()
    }
}

/// Both sides, fresh: Redis flushed, redlet a new engine.
pub struct Pair<'s> {
    srv: &'s RedisServer,
    /// The Redis connection.
    pub redis: Conn,
    /// The redlet side.
    pub redlet: Redlet,
    /// Inside MULTI (as Redis sees it): every reply is compared exactly.
    in_multi: bool,
    /// A `PSUBSCRIBE *` client on each side (when redlet has pub/sub):
    /// every command's keyspace notifications and messages are compared.
    sub: Option<Subscriber>,
    /// Notifications of the last command pair that differed.
    notify_diff: Option<(V, V)>,
    /// A harness-only command ran since the subscribers were last drained.
    sub_dirty: bool,
    /// The names of commands redlet has (for the extra queries the
    /// comparison needs).
    avail: &'s Avail,
}

/// One difference between the two sides.
#[derive(Clone, Debug)]
pub struct Mismatch {
    /// Index of the command in the sequence (`len` for the final keyspace).
    pub idx: usize,
    /// The command (empty for the keyspace).
    pub argv: Argv,
    /// Redis's side, rendered.
    pub redis: String,
    /// redlet's side, rendered.
    pub redlet: String,
    /// What was compared and how it failed.
    pub note: String,
    /// What kind of mismatch this is (command name or `keyspace`): shrinking
    /// keeps candidates that fail with the same signature.
    pub sig: String,
}

impl Mismatch {
    /// What must stay the same while shrinking: the command, which side
    /// answered an error, and where in the reply the difference is (the
    /// first array index blurred), so shrinking does not drift to another
    /// bug of the same command.
    pub fn fingerprint(&self) -> String {
        let path = self.note.split(": ").next().unwrap_or("");
        let blurred = match (path.find('['), path.find(']')) {
            (Some(0), Some(e)) => format!("[]{}", &path[e + 1..]),
            _ => path.to_string(),
        };
        let err = |s: &str| s.starts_with("(error)");
        format!("{}|{}|{}|{}", self.sig, err(&self.redis), err(&self.redlet), blurred)
    }
}

fn lower(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_ascii_lowercase()
}

/// The command's name for reports: `get`, `object|encoding`.
pub fn signature(argv: &[Vec<u8>]) -> String {
    let Some(first) = argv.first() else { return String::from("<empty>") };
    let name = lower(first);
    let containers = ["object", "command", "config", "client", "xgroup", "xinfo", "script", "function"];
    if containers.contains(&name.as_str()) {
        if let Some(s) = argv.get(1) {
            return format!("{name}|{}", lower(s));
        }
    }
    if name.len() > 24 {
        return String::from("<junk>");
    }
    name
}

/// How a reply is compared.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Exact,
    /// Multiset of items; `pairs` keeps field/value pairs together.
    Unordered { pairs: bool },
    /// Only the length of the array.
    LenOnly,
    /// Integers within `tol` when both are non-negative.
    Ttl(i64),
    /// Iterate to cursor 0; cursor at argv[pos].
    Scan { pos: usize, pairs: bool },
    /// SRANDMEMBER / HRANDFIELD / RANDOMKEY / SPOP.
    Random,
    /// A blocking list command in a single-client sequence.
    Blocking,
    /// HELLO: the client id differs.
    Hello,
    /// COMMAND INFO: subcommands come in dict order.
    CommandInfo,
    /// Replies with idle times or delivery timestamps (XPENDING's extended
    /// form, XINFO CONSUMERS, XINFO STREAM FULL): integers within a tolerance.
    Timed,
    /// SORT that sorts: equal elements keep their input order, which for
    /// a set is its table order (and LIMIT uses an unstable partial sort).
    Sort,
}

fn classify(argv: &[Vec<u8>]) -> Kind {
    let sig = signature(argv);
    let has = |kw: &str| argv.iter().skip(1).any(|a| a.eq_ignore_ascii_case(kw.as_bytes()));
    match sig.as_str() {
        "smembers" | "sinter" | "sunion" | "sdiff" | "hkeys" | "hvals" | "keys" => Kind::Unordered { pairs: false },
        // Libraries come in dict order.
        "function|list" => Kind::Unordered { pairs: false },
        "hgetall" | "config|get" => Kind::Unordered { pairs: true },
        "ttl" | "expiretime" | "object|idletime" => Kind::Ttl(2),
        "pttl" | "pexpiretime" => Kind::Ttl(2000),
        "scan" => Kind::Scan { pos: 1, pairs: false },
        "sscan" => Kind::Scan { pos: 2, pairs: false },
        "hscan" => Kind::Scan { pos: 2, pairs: true },
        "srandmember" | "hrandfield" | "randomkey" | "spop" | "zrandmember" => Kind::Random,
        "zscan" => Kind::Scan { pos: 2, pairs: true },
        "blpop" | "brpop" | "brpoplpush" | "blmove" | "blmpop" | "bzpopmin" | "bzpopmax" | "bzmpop" => Kind::Blocking,
        "hello" => Kind::Hello,
        "command|info" => Kind::CommandInfo,
        "xinfo|consumers" | "xinfo|stream" | "xpending" => Kind::Timed,
        "sort" | "sort_ro" => {
            // BY without '*' skips sorting: a set comes back in its own order.
            let mut nosort = false;
            for w in argv.windows(2) {
                if w[0].eq_ignore_ascii_case(b"by") && !w[1].contains(&b'*') {
                    nosort = true;
                }
            }
            if nosort && !has("store") {
                if has("limit") {
                    Kind::LenOnly
                } else {
                    Kind::Unordered { pairs: false }
                }
            } else {
                Kind::Sort
            }
        }
        _ => Kind::Exact,
    }
}

/// Sorts the items of an unordered reply (pairs kept together).
fn normalize(v: &V, pairs: bool) -> V {
    match v {
        V::Array(xs) | V::Set(xs) => {
            let mut out: Vec<V> = if pairs && xs.len() % 2 == 0 && !xs.iter().any(|x| matches!(x, V::Array(_))) {
                let mut ps: Vec<(V, V)> = xs.chunks(2).map(|c| (c[0].clone(), c[1].clone())).collect();
                ps.sort();
                ps.into_iter().flat_map(|(a, b)| [a, b]).collect()
            } else {
                let mut s = xs.clone();
                s.sort();
                s
            };
            if let V::Set(_) = v {
                V::Set(std::mem::take(&mut out))
            } else {
                V::Array(out)
            }
        }
        V::Map(kv) => {
            let mut s = kv.clone();
            s.sort();
            V::Map(s)
        }
        other => other.clone(),
    }
}

/// A short description of where two replies first differ.
pub fn first_diff(a: &V, b: &V) -> String {
    fn go(a: &V, b: &V, path: &mut String) -> Option<String> {
        if a == b {
            return None;
        }
        match (a.items(), b.items()) {
            (Some(xs), Some(ys)) if std::mem::discriminant(a) == std::mem::discriminant(b) => {
                for (i, (x, y)) in xs.iter().zip(ys).enumerate() {
                    let l = path.len();
                    path.push_str(&format!("[{i}]"));
                    if let Some(d) = go(x, y, path) {
                        return Some(d);
                    }
                    path.truncate(l);
                }
                Some(format!("{path}: lengths {} vs {}", xs.len(), ys.len()))
            }
            _ => Some(format!("{}: {} vs {}", if path.is_empty() { "reply" } else { path }, show(a), show(b))),
        }
    }
    go(a, b, &mut String::new()).unwrap_or_default()
}

fn mism(argv: &[Vec<u8>], r: &V, l: &V, note: impl Into<String>) -> Mismatch {
    Mismatch { idx: 0, argv: argv.to_vec(), redis: show(r), redlet: show(l), note: note.into(), sig: signature(argv) }
}

fn check(argv: &[Vec<u8>], r: &V, l: &V) -> Result<(), Mismatch> {
    if r == l {
        Ok(())
    } else {
        Err(mism(argv, r, l, first_diff(r, l)))
    }
}

/// An argv from string slices.
pub fn strs(xs: &[&str]) -> Argv {
    xs.iter().map(|s| s.as_bytes().to_vec()).collect()
}

fn int_arg(a: &[u8]) -> Option<i64> {
    std::str::from_utf8(a).ok()?.parse().ok()
}

/// A multiset of replies.
type Bag = BTreeMap<V, usize>;

fn bag(items: &[V]) -> Bag {
    let mut b = Bag::new();
    for x in items {
        *b.entry(x.clone()).or_default() += 1;
    }
    b
}

/// What a random command may draw from.
#[derive(Debug)]
enum Source {
    /// Set members or keys.
    Members(BTreeSet<V>),
    /// Hash fields and their values.
    Fields(BTreeMap<V, V>),
}

fn source_of(pre: &V, hash: bool) -> Option<Source> {
    match pre {
        V::Array(xs) | V::Set(xs) if !hash => Some(Source::Members(xs.iter().cloned().collect())),
        // RESP3 WITHSCORES: nested [member, score] pairs.
        V::Array(xs) if hash && !xs.is_empty() && xs.iter().all(|x| matches!(x, V::Array(p) if p.len() == 2)) => Some(Source::Fields(
            xs.iter().filter_map(|x| x.items().map(|p| (p[0].clone(), p[1].clone()))).collect(),
        )),
        V::Array(xs) if hash && xs.len() % 2 == 0 => {
            Some(Source::Fields(xs.chunks(2).map(|c| (c[0].clone(), c[1].clone())).collect()))
        }
        V::Map(kv) if hash => Some(Source::Fields(kv.iter().cloned().collect())),
        _ => None,
    }
}

/// Checks a random reply against its source; returns the drawn items.
fn validate_random(argv: &[Vec<u8>], v: &V, src: &Source) -> Result<Vec<V>, String> {
    let name = signature(argv);
    let (size, contains): (usize, Box<dyn Fn(&V) -> bool + '_>) = match src {
        Source::Members(m) => (m.len(), Box::new(move |x: &V| m.contains(x))),
        Source::Fields(f) => (f.len(), Box::new(move |x: &V| f.contains_key(x))),
    };
    let count_arg = if name == "randomkey" { None } else { argv.get(2) };
    let Some(count_arg) = count_arg else {
        return match v {
            V::Nil | V::Null if size == 0 => Ok(vec![]),
            V::Bulk(_) if contains(v) => Ok(vec![v.clone()]),
            _ => Err(format!("single pick {} not in source of {size}", show(v))),
        };
    };
    let Some(count) = int_arg(count_arg) else { return Err("count did not parse but no error".into()) };
    let withvalues = argv.get(3).is_some_and(|a| a.eq_ignore_ascii_case(b"withvalues") || a.eq_ignore_ascii_case(b"withscores"));
    let items = v.items().ok_or_else(|| format!("expected an array, got {}", show(v)))?;
    // Field/value pairs: flat in RESP2, nested in RESP3.
    let mut picks: Vec<(V, Option<V>)> = Vec::new();
    if withvalues {
        if items.iter().all(|x| x.items().is_some_and(|p| p.len() == 2)) && !items.is_empty() && matches!(items[0], V::Array(_)) {
            for x in items {
                let p = x.items().unwrap_or_default();
                picks.push((p[0].clone(), Some(p[1].clone())));
            }
        } else {
            if items.len() % 2 != 0 {
                return Err("odd number of items WITHVALUES".into());
            }
            for c in items.chunks(2) {
                picks.push((c[0].clone(), Some(c[1].clone())));
            }
        }
    } else {
        picks = items.iter().map(|x| (x.clone(), None)).collect();
    }
    let want = if size == 0 {
        0
    } else if count >= 0 {
        (count as u64).min(size as u64) as usize
    } else {
        count.unsigned_abs() as usize
    };
    if picks.len() != want {
        return Err(format!("{} items, expected {want} (count {count}, source of {size})", picks.len()));
    }
    for (x, val) in &picks {
        if !contains(x) {
            return Err(format!("{} is not in the source", show(x)));
        }
        if let (Some(val), Source::Fields(f)) = (val, src) {
            if f.get(x) != Some(val) {
                return Err(format!("field {} paired with wrong value {}", show(x), show(val)));
            }
        }
    }
    if count >= 0 {
        let distinct: BTreeSet<&V> = picks.iter().map(|(x, _)| x).collect();
        if distinct.len() != picks.len() {
            return Err("repeated items with a positive count".into());
        }
    }
    Ok(picks.into_iter().map(|(x, _)| x).collect())
}

impl<'s> Pair<'s> {
    /// Fresh sides: a new Redis connection after a [`reset`], a new engine
    /// (or a new connection to the remote side after a [`reset`]).
    pub fn new(srv: &'s RedisServer, avail: &'s Avail) -> Pair<'s> {
        let mut redis = srv.connect();
        reset(srv, &mut redis);
        let mut redlet = Redlet::new();
        if let Some(t) = &mut redlet.remote {
            reset(srv, t);
        }
        let sub = Subscriber::open(srv, &mut redlet, avail);
        Pair { srv, redis, redlet, in_multi: false, avail, sub, notify_diff: None, sub_dirty: false }
    }

    /// Runs on Redis; an I/O error (timeout, closed) reconnects and answers
    /// a harness error so the run reports instead of hanging.
    pub fn on_redis(&mut self, argv: &[Vec<u8>]) -> V {
        self.sub_dirty = true;
        match self.redis.cmd(argv) {
            Ok(v) => v,
            Err(e) => {
                self.redis = self.srv.connect();
                V::Err(format!("HARNESS redis I/O error: {e}").into_bytes())
            }
        }
    }

    /// Runs on redlet.
    pub fn on_redlet(&mut self, argv: &[Vec<u8>]) -> V {
        self.sub_dirty = true;
        self.redlet.exec(argv)
    }

    fn both(&mut self, argv: &[Vec<u8>]) -> (V, V) {
        // Drop what the subscribers got from harness-only commands (queries
        // before a random pick, re-synchronisation after SPOP or SORT).
        if self.sub_dirty {
            if let Some(sub) = &mut self.sub {
                sub.drain_redis();
                sub.drain_redlet(&mut self.redlet);
            }
        }
        let r = self.on_redis(argv);
        STATS.with(|s| {
            let mut s = s.borrow_mut();
            let e = s.entry(signature(argv)).or_default();
            e.0 += 1;
            e.1 += r.is_err() as u64;
        });
        let l = self.on_redlet(argv);
        self.track_multi(argv, &r);
        if let Some(sub) = &mut self.sub {
            let (mut nr, mut nl) = (sub.drain_redis(), sub.drain_redlet(&mut self.redlet));
            if matches!(signature(argv).as_str(), "sort" | "sort_ro") {
                // BY/GET lookups (keymiss events) follow a set's table order.
                nr.sort();
                nl.sort();
            }
            if nr != nl && self.notify_diff.is_none() {
                self.notify_diff = Some((V::Array(nr), V::Array(nl)));
            }
        }
        self.sub_dirty = false;
        (r, l)
    }

    fn track_multi(&mut self, argv: &[Vec<u8>], r: &V) {
        let name = signature(argv);
        match name.as_str() {
            "multi" if *r == V::Simple(b"OK".to_vec()) => self.in_multi = true,
            "exec" | "discard" | "reset" => self.in_multi = false,
            _ => {}
        }
    }

    /// Runs one command on both sides and compares its replies, then the
    /// notifications it published.
    pub fn exec(&mut self, argv: &[Vec<u8>]) -> Result<(), Mismatch> {
        self.exec_replies(argv)?;
        match self.notify_diff.take() {
            None => Ok(()),
            Some((r, l)) => {
                let mut m = mism(argv, &r, &l, format!("notifications: {}", first_diff(&r, &l)));
                m.sig = format!("{}/notify", m.sig);
                Err(m)
            }
        }
    }

    fn exec_replies(&mut self, argv: &[Vec<u8>]) -> Result<(), Mismatch> {
        if self.in_multi {
            let (r, l) = self.both(argv);
            return check(argv, &r, &l);
        }
        match classify(argv) {
            Kind::Exact => {
                let (r, l) = self.both(argv);
                check(argv, &r, &l)
            }
            Kind::Unordered { pairs } => {
                let (r, l) = self.both(argv);
                let (nr, nl) = (normalize(&r, pairs), normalize(&l, pairs));
                if nr == nl {
                    Ok(())
                } else {
                    Err(mism(argv, &r, &l, format!("unordered: {}", first_diff(&nr, &nl))))
                }
            }
            Kind::LenOnly => {
                let (r, l) = self.both(argv);
                match (r.items(), l.items()) {
                    (Some(a), Some(b)) if a.len() == b.len() => Ok(()),
                    _ if r == l => Ok(()),
                    _ => Err(mism(argv, &r, &l, "length")),
                }
            }
            Kind::Ttl(tol) => {
                let (r, l) = self.both(argv);
                match (&r, &l) {
                    (V::Int(a), V::Int(b)) if *a >= 0 && *b >= 0 && (a - b).abs() <= tol => Ok(()),
                    _ => check(argv, &r, &l),
                }
            }
            Kind::Hello => {
                let (r, l) = self.both(argv);
                let (mr, ml) = (mask_hello(&r), mask_hello(&l));
                check(argv, &mr, &ml)
            }
            Kind::CommandInfo => {
                let (r, l) = self.both(argv);
                let (nr, nl) = (sort_subcommands(&r, self.avail), sort_subcommands(&l, self.avail));
                check(argv, &nr, &nl)
            }
            Kind::Sort => self.sort(argv),
            Kind::Timed => {
                let (r, l) = self.both(argv);
                if close_ints(&r, &l, 2000) {
                    Ok(())
                } else {
                    Err(mism(argv, &r, &l, format!("(integers within 2 s) {}", first_diff(&r, &l))))
                }
            }
            Kind::Scan { pos, pairs } => self.scan(argv, pos, pairs),
            Kind::Random => self.random(argv),
            Kind::Blocking => self.blocking(argv),
        }
    }

    fn scan(&mut self, argv: &[Vec<u8>], pos: usize, pairs: bool) -> Result<(), Mismatch> {
        // Cursors Redis reads as 0 ("", "00", "+0") start an iteration.
        let zero = argv.get(pos).is_some_and(|c| {
            let d = c.strip_prefix(b"+").or_else(|| c.strip_prefix(b"-")).unwrap_or(c);
            d.iter().all(|&x| x == b'0') && (c.is_empty() || !d.is_empty())
        });
        if !zero {
            // A cursor into a hash table depends on its layout: only the
            // reply's shape is comparable. Small encodings (listpack,
            // intset) answer everything whatever the cursor.
            let layout = if pos == 1 {
                true
            } else {
                let q = vec![b"OBJECT".to_vec(), b"ENCODING".to_vec(), argv.get(1).cloned().unwrap_or_default()];
                matches!(self.on_redis(&q).bytes(), Some(b"hashtable" | b"skiplist"))
            };
            let (r, l) = self.both(argv);
            let shape = |v: &V| matches!(v.items(), Some([V::Bulk(_), V::Array(_)]));
            if layout && shape(&r) && shape(&l) {
                return Ok(());
            }
            return check(argv, &r, &l);
        }
        let r = scan_all(argv, pos, pairs, |a| self.on_redis(a));
        let l = scan_all(argv, pos, pairs, |a| self.on_redlet(a));
        match (r, l) {
            (Ok(a), Ok(b)) if a == b => Ok(()),
            (Ok(a), Ok(b)) => {
                let only_r: Vec<String> = a.difference(&b).take(5).map(|x| show(&V::Array(x.clone()))).collect();
                let only_l: Vec<String> = b.difference(&a).take(5).map(|x| show(&V::Array(x.clone()))).collect();
                Err(mism(
                    argv,
                    &V::Int(a.len() as i64),
                    &V::Int(b.len() as i64),
                    format!("scan unions differ: only in redis {only_r:?}, only in redlet {only_l:?}"),
                ))
            }
            (Err(a), Err(b)) if a == b => Ok(()),
            (a, b) => {
                let f = |x: Result<BTreeSet<Vec<V>>, V>| match x {
                    Ok(s) => V::Simple(format!("<{} items>", s.len()).into_bytes()),
                    Err(v) => v,
                };
                let (a, b) = (f(a), f(b));
                Err(mism(argv, &a, &b, "scan"))
            }
        }
    }

    /// SORT: exact, unless ties may be ordered by the input's layout: a set
    /// source (or LIMIT's unstable partial sort) sorted by BY weights (ties
    /// when weights are equal or missing) or ALPHA (strcoll stops at NUL).
    /// Then the reply is compared as a multiset and a STOREd list is copied
    /// from Redis to redlet once their contents agree.
    fn sort(&mut self, argv: &[Vec<u8>]) -> Result<(), Mismatch> {
        let has = |kw: &str| argv.iter().skip(2).any(|a| a.eq_ignore_ascii_case(kw.as_bytes()));
        let by = argv.windows(2).skip(1).any(|w| w[0].eq_ignore_ascii_case(b"by") && w[1].contains(&b'*'));
        let ty = self.on_redis(&[b"TYPE".to_vec(), argv.get(1).cloned().unwrap_or_default()]);
        let tie_prone = (by || has("alpha")) && (ty == V::Simple(b"set".to_vec()) || has("limit"));
        // Redis 7.0.15's SORT tests a stale errno after strtod, left ERANGE
        // by an earlier failed conversion in any command (SCAN with an
        // overflowing cursor, ...): clear it with a read that sets errno = 0
        // (GEOSEARCH parses its coordinates with getDoubleFromObject).
        self.on_redis(&strs(&["GEOSEARCH", "{redlet-harness}nokey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"]));
        let (r, l) = self.both(argv);
        if !tie_prone || r.is_err() || l.is_err() {
            return check(argv, &r, &l);
        }
        if has("limit") && !has("store") {
            // Which of the tied elements fall inside the window differs.
            return match (r.items(), l.items()) {
                (Some(a), Some(b)) if a.len() == b.len() => Ok(()),
                _ => Err(mism(argv, &r, &l, "sort with LIMIT and ties: lengths")),
            };
        }
        let store = argv.windows(2).skip(1).filter(|w| w[0].eq_ignore_ascii_case(b"store")).map(|w| w[1].clone()).last();
        let Some(dst) = store else {
            let (nr, nl) = (normalize(&r, false), normalize(&l, false));
            return if nr == nl { Ok(()) } else { Err(mism(argv, &r, &l, format!("sort (ties unordered): {}", first_diff(&nr, &nl)))) };
        };
        check(argv, &r, &l)?;
        let q = vec![b"LRANGE".to_vec(), dst.clone(), b"0".to_vec(), b"-1".to_vec()];
        let (lr, ll) = (self.on_redis(&q), self.on_redlet(&q));
        if normalize(&lr, false) != normalize(&ll, false) && !has("limit") {
            return Err(mism(argv, &lr, &ll, "sorted STORE result differs (as a multiset)"));
        }
        if lr != ll {
            let items: Vec<Vec<u8>> = lr.items().unwrap_or_default().iter().filter_map(|x| x.bytes().map(|b| b.to_vec())).collect();
            self.on_redlet(&[b"DEL".to_vec(), dst.clone()]);
            if !items.is_empty() {
                let mut push = vec![b"RPUSH".to_vec(), dst];
                push.extend(items);
                self.on_redlet(&push);
            }
        }
        Ok(())
    }

    fn random(&mut self, argv: &[Vec<u8>]) -> Result<(), Mismatch> {
        let name = signature(argv);
        let key = argv.get(1).cloned().unwrap_or_default();
        let (pre, hash): (Argv, bool) = match name.as_str() {
            "randomkey" => (vec![b"KEYS".to_vec(), b"*".to_vec()], false),
            "zrandmember" => (strs(&["ZRANGE", "", "0", "-1", "WITHSCORES"]).into_iter().enumerate().map(|(i, a)| if i == 1 { key.clone() } else { a }).collect(), true),
            "hrandfield" => (vec![b"HGETALL".to_vec(), key.clone()], true),
            _ => (vec![b"SMEMBERS".to_vec(), key.clone()], false),
        };
        let pre_ok = match name.as_str() {
            "randomkey" => self.avail.has("keys"),
            "hrandfield" => self.avail.has("hgetall"),
            "zrandmember" => self.avail.has("zrange"),
            _ => self.avail.has("smembers"),
        };
        let (pr, pl) = if pre_ok && argv.len() >= 2 || name == "randomkey" && pre_ok {
            let (pr, pl) = (self.on_redis(&pre), self.on_redlet(&pre));
            if normalize(&pr, hash) != normalize(&pl, hash) {
                return Err(mism(argv, &pr, &pl, format!("container before {} differs", cli_line(&pre))));
            }
            (pr, pl)
        } else {
            (V::Nil, V::Nil)
        };
        let (r, l) = self.both(argv);
        let ok_shape = |v: &V| !matches!(v, V::Err(_));
        let (src_r, src_l) = (source_of(&pr, hash), source_of(&pl, hash));
        if !ok_shape(&r) || !ok_shape(&l) || src_r.is_none() || src_l.is_none() {
            return check(argv, &r, &l);
        }
        if std::mem::discriminant(&r) != std::mem::discriminant(&l) {
            return Err(mism(argv, &r, &l, "different reply types"));
        }
        let got_r = validate_random(argv, &r, src_r.as_ref().unwrap_or(&Source::Members(BTreeSet::new())))
            .map_err(|e| mism(argv, &r, &l, format!("HARNESS: redis's own reply fails validation: {e}")))?;
        let got_l = validate_random(argv, &l, src_l.as_ref().unwrap_or(&Source::Members(BTreeSet::new())))
            .map_err(|e| mism(argv, &r, &l, format!("redlet's random reply is invalid: {e}")))?;
        if name == "spop" {
            // Re-synchronise redlet's set to Redis's: put back what only
            // redlet popped, remove what only Redis popped.
            let (br, bl) = (bag(&got_r), bag(&got_l));
            let add: Vec<Vec<u8>> = bl.keys().filter(|x| !br.contains_key(*x)).filter_map(|x| x.bytes().map(|b| b.to_vec())).collect();
            let rem: Vec<Vec<u8>> = br.keys().filter(|x| !bl.contains_key(*x)).filter_map(|x| x.bytes().map(|b| b.to_vec())).collect();
            if !add.is_empty() {
                let mut a = vec![b"SADD".to_vec(), key.clone()];
                a.extend(add);
                self.on_redlet(&a);
            }
            if !rem.is_empty() {
                let mut a = vec![b"SREM".to_vec(), key.clone()];
                a.extend(rem);
                self.on_redlet(&a);
            }
            self.resync_encoding(&key);
        }
        Ok(())
    }

    /// SPOP with a count rebuilds the rest of the set from its remaining
    /// (random) members, so the encoding depends on the draw: after the
    /// members were synchronised, rebuild redlet's set the same way when
    /// the encodings differ (TTL kept).
    fn resync_encoding(&mut self, key: &[u8]) {
        let enc = vec![b"OBJECT".to_vec(), b"ENCODING".to_vec(), key.to_vec()];
        if !self.avail.has("object|encoding") || !self.avail.has("pexpiretime") {
            return;
        }
        let (er, el) = (self.on_redis(&enc), self.on_redlet(&enc));
        if er == el || er.is_err() {
            return;
        }
        if er == V::Bulk(b"hashtable".to_vec()) {
            // Conversions to hashtable stick: add and remove a non-integer.
            let tmp = b"{redlet-harness}".to_vec();
            self.on_redlet(&[b"SADD".to_vec(), key.to_vec(), tmp.clone()]);
            self.on_redlet(&[b"SREM".to_vec(), key.to_vec(), tmp]);
            return;
        }
        let members = self.on_redis(&[b"SMEMBERS".to_vec(), key.to_vec()]);
        let ttl = self.on_redlet(&[b"PEXPIRETIME".to_vec(), key.to_vec()]);
        self.on_redlet(&[b"DEL".to_vec(), key.to_vec()]);
        let mut add = vec![b"SADD".to_vec(), key.to_vec()];
        add.extend(members.items().unwrap_or_default().iter().filter_map(|x| x.bytes().map(|b| b.to_vec())));
        self.on_redlet(&add);
        if let V::Int(t) = ttl {
            if t > 0 {
                self.on_redlet(&[b"PEXPIREAT".to_vec(), key.to_vec(), t.to_string().into_bytes()]);
            }
        }
    }

    /// Keys a blocking command waits on, when the argv is well formed.
    fn blocking_keys(argv: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
        let name = signature(argv);
        match name.as_str() {
            "blpop" | "brpop" | "bzpopmin" | "bzpopmax" if argv.len() >= 3 => Some(argv[1..argv.len() - 1].to_vec()),
            "brpoplpush" if argv.len() == 4 => Some(vec![argv[1].clone()]),
            "blmove" if argv.len() == 6 => Some(vec![argv[1].clone()]),
            "blmpop" | "bzmpop" => {
                let n = int_arg(argv.get(2)?)?;
                if n < 1 || argv.len() < 3 + n as usize {
                    return None;
                }
                Some(argv[3..3 + n as usize].to_vec())
            }
            _ => None,
        }
    }

    /// A blocking command in a single-client run must not block: it runs
    /// directly when one of its keys exists (it answers at once), else
    /// inside MULTI (where it cannot block), else not at all.
    fn blocking(&mut self, argv: &[Vec<u8>]) -> Result<(), Mismatch> {
        let keys = Self::blocking_keys(argv);
        let exists = match &keys {
            Some(ks) => {
                let mut q = vec![b"EXISTS".to_vec()];
                q.extend(ks.iter().cloned());
                matches!(self.on_redis(&q), V::Int(n) if n > 0)
            }
            None => false,
        };
        if exists {
            let (r, l) = self.both(argv);
            return check(argv, &r, &l);
        }
        if !self.avail.has("multi") || !self.avail.has("exec") {
            return Ok(());
        }
        for c in [vec![b"MULTI".to_vec()], argv.to_vec(), vec![b"EXEC".to_vec()]] {
            let (r, l) = self.both(&c);
            check(&c, &r, &l).map_err(|mut m| {
                m.argv = argv.to_vec();
                m.sig = signature(argv);
                m.note = format!("inside MULTI: {} ({})", cli_line(&c), m.note);
                m
            })?;
        }
        Ok(())
    }

    /// Compares every db's keys, types, values and TTL presence.
    pub fn keyspace(&mut self) -> Result<(), Mismatch> {
        if let Some(p) = &self.redlet.poisoned {
            return Err(ks_mismatch(String::new(), format!("engine panicked: {p}")));
        }
        let redlet = &mut self.redlet;
        compare_keyspace(self.srv, || redlet.dump())
    }
}

/// How to read a whole value of a type the dump does not inspect directly:
/// the same read command on both sides, every bulk string of the reply.
fn read_all(ty: &str, key: &[u8]) -> Option<Vec<Argv>> {
    let mut cmds = match ty {
        "zset" => vec![strs(&["ZRANGE", "", "0", "-1", "WITHSCORES"])],
        "stream" => vec![strs(&["XRANGE", "", "-", "+"]), strs(&["XINFO", "GROUPS", ""])],
        _ => return None,
    };
    for a in &mut cmds {
        let i = if a[0] == b"XINFO" { 2 } else { 1 };
        a[i] = key.to_vec();
    }
    Some(cmds)
}

/// Every bulk string (and double) of a reply, depth first.
fn flatten(v: &V, out: &mut Vec<Vec<u8>>) {
    match v {
        V::Bulk(b) | V::Simple(b) | V::Double(b) => out.push(b.clone()),
        V::Int(n) => out.push(n.to_string().into_bytes()),
        V::Array(xs) | V::Set(xs) | V::Push(xs) => xs.iter().for_each(|x| flatten(x, out)),
        V::Map(kv) => kv.iter().for_each(|(k, x)| {
            flatten(k, out);
            flatten(x, out)
        }),
        _ => out.push(show(v).into_bytes()),
    }
}

/// Compares every db's keys, types, values and TTL presence of a Redis
/// server and redlet's side (`redlet` dumps it: [`Redlet::dump`]).
pub fn compare_keyspace(srv: &RedisServer, redlet: impl FnOnce() -> Result<Dump, String>) -> Result<(), Mismatch> {
    let mut c = srv.connect();
    let t = Instant::now();
    let r = redis_dump(&mut c);
    // Redis's PTTLs were read up to `lag` before redlet's clock is read.
    let lag = t.elapsed().as_millis() as i64;
    let l = match redlet() {
        Ok(l) => l,
        Err(e) => return Err(ks_mismatch(String::new(), e)),
    };
    let mut diffs = Vec::new();
    let all: BTreeSet<&(usize, Vec<u8>)> = r.keys().chain(l.keys()).collect();
    for k in all {
        let (a, b) = (r.get(k), l.get(k));
        let same = match (a, b) {
            (Some(a), Some(b)) => a.ty == b.ty && a.val == b.val && (a.ttl < 0) == (b.ttl < 0) && (a.ttl - b.ttl).abs() <= 2000 + lag,
            _ => false,
        };
        if !same {
            diffs.push(format!(
                "db{} {}: redis {} / redlet {}",
                k.0,
                resp::quote(&k.1),
                a.map_or("absent".into(), |x| x.show()),
                b.map_or("absent".into(), |x| x.show())
            ));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        let n = diffs.len();
        diffs.truncate(6);
        Err(ks_mismatch(format!("{n} keys differ"), diffs.join("; ")))
    }
}

/// The subscribers of a pair: Redis's (a connection) and redlet's (a client
/// id, or a connection to the remote side).
pub struct Subscriber {
    redis: Conn,
    redlet_id: ClientId,
    remote: Option<Conn>,
}

impl Subscriber {
    fn open(srv: &RedisServer, redlet: &mut Redlet, avail: &Avail) -> Option<Subscriber> {
        if !avail.has("psubscribe") {
            return None;
        }
        let psub = strs(&["PSUBSCRIBE", "*"]);
        let mut redis = srv.connect();
        redis.cmd(&psub).ok()?;
        let (mut redlet_id, mut remote) = (0, None);
        if let Some(addr) = self::remote() {
            let mut c = Conn::connect_to(addr.as_str()).ok()?;
            c.cmd(&psub).ok()?;
            remote = Some(c);
        } else {
            redlet_id = redlet.eng.open_client(ClientInfo::default());
            redlet.exec_as(redlet_id, &psub);
        }
        let mut s = Subscriber { redis, redlet_id, remote };
        s.drain_redlet(redlet);
        Some(s)
    }

    /// Everything Redis's subscriber received ([`Conn::drain`]: Redis
    /// queues notifications before it reads the next command).
    fn drain_redis(&mut self) -> Vec<V> {
        self.redis.drain()
    }

    fn drain_redlet(&mut self, redlet: &mut Redlet) -> Vec<V> {
        if let Some(c) = &mut self.remote {
            return c.drain();
        }
        let _ = redlet.eng.take_woken();
        let mut out = vec![];
        while let Some(r) = redlet.eng.pop_output(self.redlet_id) {
            out.push(redlet.render(self.redlet_id, &r));
        }
        out
    }
}

fn ks_mismatch(summary: String, detail: String) -> Mismatch {
    Mismatch { idx: 0, argv: vec![], redis: summary, redlet: String::new(), note: detail, sig: "keyspace".into() }
}

/// Equal, except that integers may differ by up to `tol`.
fn close_ints(a: &V, b: &V, tol: i64) -> bool {
    match (a, b) {
        (V::Int(x), V::Int(y)) => (x - y).abs() <= tol,
        (V::Array(xs), V::Array(ys)) | (V::Set(xs), V::Set(ys)) | (V::Push(xs), V::Push(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| close_ints(x, y, tol))
        }
        (V::Map(xs), V::Map(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|((k1, v1), (k2, v2))| k1 == k2 && close_ints(v1, v2, tol))
        }
        _ => a == b,
    }
}

/// COMMAND INFO/COMMAND entries with their subcommand lists sorted and
/// restricted to the subcommands redlet implements (a documented deviation).
fn sort_subcommands(v: &V, avail: &Avail) -> V {
    match v {
        V::Array(cmds) => V::Array(
            cmds.iter()
                .map(|c| match c {
                    V::Array(f) if f.len() >= 10 => {
                        let mut f = f.clone();
                        if let V::Array(subs) = &mut f[9] {
                            subs.retain(|s| {
                                let name = s.items().and_then(|x| x.first()).and_then(|n| n.bytes());
                                name.is_none_or(|n| avail.has(&String::from_utf8_lossy(n)))
                            });
                            subs.sort();
                        }
                        V::Array(f)
                    }
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn mask_hello(v: &V) -> V {
    let mut v = v.clone();
    match &mut v {
        V::Array(xs) => {
            for i in (0..xs.len().saturating_sub(1)).step_by(2) {
                if xs[i].bytes() == Some(b"id") {
                    xs[i + 1] = V::Int(0);
                }
            }
        }
        V::Map(kv) => {
            for (k, x) in kv.iter_mut() {
                if k.bytes() == Some(b"id") {
                    *x = V::Int(0);
                }
            }
        }
        _ => {}
    }
    v
}

fn scan_all(argv: &[Vec<u8>], pos: usize, pairs: bool, mut run: impl FnMut(&[Vec<u8>]) -> V) -> Result<BTreeSet<Vec<V>>, V> {
    let mut a = argv.to_vec();
    let mut seen = BTreeSet::new();
    for _ in 0..100_000 {
        let v = run(&a);
        let Some([cur, V::Array(items)]) = v.items().map(|x| x.to_vec()).as_deref().and_then(|x| <&[V; 2]>::try_from(x).ok()).cloned() else {
            return Err(v);
        };
        if pairs {
            for c in items.chunks(2) {
                seen.insert(c.to_vec());
            }
        } else {
            for x in items {
                seen.insert(vec![x]);
            }
        }
        match cur.bytes() {
            Some(b"0") => return Ok(seen),
            Some(c) => a[pos] = c.to_vec(),
            None => return Err(v),
        }
    }
    Err(V::Err(b"HARNESS scan did not finish in 100000 calls".to_vec()))
}

/// One key's contents, comparable across sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    ty: String,
    /// String: [value]; list: items; hash: sorted [f, v, ...]; set: sorted.
    val: Vec<Vec<u8>>,
    /// Remaining ms, or -1.
    ttl: i64,
}

impl Item {
    fn show(&self) -> String {
        let vals: Vec<String> = self.val.iter().take(8).map(|x| resp::quote(&x[..x.len().min(40)])).collect();
        let more = if self.val.len() > 8 { format!(" +{}", self.val.len() - 8) } else { String::new() };
        let ttl = if self.ttl < 0 { String::new() } else { format!(" ttl={}ms", self.ttl) };
        format!("{} [{}{more}]{ttl}", self.ty, vals.join(" "))
    }
}

/// Every key of every db: (db, key) -> contents.
pub type Dump = BTreeMap<(usize, Vec<u8>), Item>;

fn bulk_list(v: &V) -> Vec<Vec<u8>> {
    v.items().unwrap_or_default().iter().filter_map(|x| x.bytes().map(|b| b.to_vec())).collect()
}

/// Every key of the server `c` is connected to, read with commands (leaves
/// `c` in db 15).
pub fn redis_dump(c: &mut Conn) -> Dump {
    let mut out = Dump::new();
    for db in 0..16usize {
        c.must(&["SELECT", &db.to_string()]);
        if c.must(&["DBSIZE"]) == V::Int(0) {
            continue;
        }
        let keys = bulk_list(&c.must(&["KEYS", "*"]));
        for k in keys {
            let q = |c: &mut Conn, cmd: &str| c.cmd(&[cmd.as_bytes().to_vec(), k.clone()]).unwrap_or(V::Nil);
            let ty = q(c, "TYPE").bytes().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
            let val = match ty.as_str() {
                "string" => vec![q(c, "GET").bytes().unwrap_or_default().to_vec()],
                "list" => bulk_list(&c.cmd(&[b"LRANGE".to_vec(), k.clone(), b"0".to_vec(), b"-1".to_vec()]).unwrap_or(V::Nil)),
                "hash" => {
                    let flat = bulk_list(&q(c, "HGETALL"));
                    let mut ps: Vec<(Vec<u8>, Vec<u8>)> = flat.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
                    ps.sort();
                    ps.into_iter().flat_map(|(a, b)| [a, b]).collect()
                }
                "set" => {
                    let mut m = bulk_list(&q(c, "SMEMBERS"));
                    m.sort();
                    m
                }
                other => match read_all(other, &k) {
                    Some(cmds) => {
                        let mut out = vec![];
                        for a in cmds {
                            flatten(&c.cmd(&a).unwrap_or(V::Nil), &mut out);
                        }
                        out
                    }
                    None => vec![b"?".to_vec()],
                },
            };
            let ttl = match q(c, "PTTL") {
                V::Int(n) if n >= 0 => n,
                _ => -1,
            };
            out.insert((db, k), Item { ty, val, ttl });
        }
    }
    out
}

fn redlet_dump(e: &mut Engine) -> Result<Dump, String> {
    let now = e.now_ms();
    let mut out = Dump::new();
    let mut others: Vec<(usize, Vec<u8>, &'static str)> = vec![];
    for db in 0..e.databases() {
        let Some(d) = e.db(db) else { continue };
        for ent in d.iter() {
            if ent.expire().is_some_and(|t| t <= now) {
                continue;
            }
            let (ty, val) = match &ent.value {
                Value::Str(s) => ("string", vec![s.to_vec()]),
                Value::List(l) => ("list", l.iter().map(|x| x.to_vec()).collect()),
                Value::Hash(h) => {
                    let mut ps: Vec<(Vec<u8>, Vec<u8>)> = h.iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
                    ps.sort();
                    ("hash", ps.into_iter().flat_map(|(a, b)| [a, b]).collect())
                }
                Value::Set(s) => {
                    let mut m: Vec<Vec<u8>> = s.iter().map(|m| m.to_vec()).collect();
                    m.sort();
                    ("set", m)
                }
                // Other types are read through commands below.
                other => {
                    others.push((db, ent.key.to_vec(), other.type_name()));
                    (other.type_name(), vec![b"?".to_vec()])
                }
            };
            if ty != "string" && val.is_empty() {
                return Err(format!("db{db} {}: empty {ty} stored (containers must be deleted when emptied)", resp::quote(&ent.key)));
            }
            let ttl = ent.expire().map_or(-1, |t| t.saturating_sub(now) as i64);
            out.insert((db, ent.key.to_vec()), Item { ty: ty.into(), val, ttl });
        }
    }
    if !others.is_empty() {
        let id = e.open_client(ClientInfo::default());
        for (db, key, ty) in others {
            let Some(cmds) = read_all(ty, &key) else { continue };
            let sel = strs(&["SELECT", &db.to_string()]);
            let run = |e: &mut Engine, a: &Argv| {
                let refs: Vec<&[u8]> = a.iter().map(|x| x.as_slice()).collect();
                e.execute(id, &refs).map(|r| resp::parse_one(&r.to_resp(redlet::Protocol::Resp2)).unwrap_or(V::Nil)).unwrap_or(V::Nil)
            };
            run(e, &sel);
            let mut val = vec![];
            for a in cmds {
                flatten(&run(e, &a), &mut val);
            }
            if let Some(item) = out.get_mut(&(db, key)) {
                item.val = val;
            }
        }
        e.close_client(id);
    }
    Ok(out)
}

// ------------------------------------------------------------ sequences

/// Runs a sequence on fresh sides; the first mismatch, if any.
pub fn run_seq(srv: &RedisServer, avail: &Avail, cmds: &[Argv]) -> Option<Mismatch> {
    let mut p = Pair::new(srv, avail);
    for (i, c) in cmds.iter().enumerate() {
        if let Err(mut m) = p.exec(c) {
            m.idx = i;
            return Some(m);
        }
    }
    p.keyspace().err().map(|mut m| {
        m.idx = cmds.len();
        m
    })
}

/// Delta debugging: the smallest subsequence (1-minimal, within `budget`)
/// that still fails with the same signature.
pub fn shrink(srv: &RedisServer, avail: &Avail, cmds: &[Argv], first: &Mismatch, budget: Duration) -> (Vec<Argv>, Mismatch) {
    let start = Instant::now();
    let mut cur: Vec<Argv> = cmds[..(first.idx + 1).min(cmds.len())].to_vec();
    let mut best = first.clone();
    let fails = |c: &[Argv]| -> Option<Mismatch> { run_seq(srv, avail, c).filter(|m| m.fingerprint() == first.fingerprint()) };
    let mut n = 2usize;
    while cur.len() >= 2 && start.elapsed() < budget {
        let chunk = cur.len().div_ceil(n);
        let mut reduced = false;
        for i in 0..n {
            if start.elapsed() >= budget {
                break;
            }
            let lo = i * chunk;
            if lo >= cur.len() {
                break;
            }
            let hi = (lo + chunk).min(cur.len());
            let cand: Vec<Argv> = cur[..lo].iter().chain(&cur[hi..]).cloned().collect();
            if let Some(m) = fails(&cand) {
                // Keep only what precedes the (possibly earlier) failure.
                let end = (m.idx + 1).min(cand.len());
                cur = cand[..end].to_vec();
                best = m;
                n = (n - 1).max(2);
                reduced = true;
                break;
            }
        }
        if !reduced {
            if n >= cur.len() {
                break;
            }
            n = (n * 2).min(cur.len());
        }
    }
    // Then simplify arguments: drop each one, shorten long ones.
    let mut i = 0;
    while i < cur.len() && start.elapsed() < budget {
        let mut j = cur[i].len();
        while j > 1 && start.elapsed() < budget {
            j -= 1;
            let mut variants = vec![];
            let mut dropped = cur.clone();
            dropped[i].remove(j);
            variants.push(dropped);
            if j >= 2 {
                // Options with an argument go in pairs (EX 100).
                let mut pair = cur.clone();
                pair[i].drain(j - 1..=j);
                variants.push(pair);
            }
            if cur[i][j].len() > 12 {
                let mut short = cur.clone();
                let keep = short[i][j][..8].to_vec();
                short[i][j] = keep;
                variants.push(short);
            }
            for cand in variants {
                if let Some(m) = fails(&cand) {
                    let end = (m.idx + 1).min(cand.len());
                    cur = cand[..end].to_vec();
                    best = m;
                    break;
                }
            }
            if i >= cur.len() {
                break;
            }
            j = j.min(cur[i].len());
        }
        i += 1;
    }
    (cur, best)
}

/// Settings from the environment.
pub struct Settings {
    /// Base seed.
    pub seed: u64,
    /// Commands per family.
    pub per_family: usize,
    /// Only this family, if set.
    pub only: Option<String>,
    /// Seconds of shrinking per distinct mismatch.
    pub shrink_secs: u64,
    /// `REDLET_DIFF_TARGET=host:port`: redlet's side is the RESP server at
    /// that address (the wasm build served by `npx redlet serve`, the native
    /// `redlet serve`, ...) instead of an in-process engine. It is compared
    /// exactly as Redis is reached: replies, keyspace dumps through
    /// commands, subscribers and multi-client scenarios over TCP. Between
    /// sequences it is [`reset`] (FLUSHALL, the generators' CONFIG SET
    /// parameters back to Redis's defaults, CONFIG RESETSTAT); it must allow
    /// `DEBUG SET-ACTIVE-EXPIRE 0` from the harness. Tests take turns on it.
    /// The command set generated is still redlet's own table.
    pub target: Option<String>,
    /// `REDLET_DIFF_SELFTEST=1`: a second redis-server stands in for redlet
    /// (every command generated, none may differ): checks the harness.
    pub selftest: bool,
}

impl Settings {
    /// Reads `REDLET_DIFF_SEED`, `REDLET_DIFF_LONG`, `REDLET_DIFF_FAMILY`,
    /// `REDLET_DIFF_COMMANDS`, `REDLET_DIFF_SHRINK_SECS`,
    /// `REDLET_DIFF_TARGET`, `REDLET_DIFF_SELFTEST`.
    pub fn from_env() -> Settings {
        let var = |k: &str| std::env::var(k).ok().filter(|s| !s.is_empty());
        let long = var("REDLET_DIFF_LONG").is_some_and(|v| v != "0");
        Settings {
            target: var("REDLET_DIFF_TARGET"),
            selftest: var("REDLET_DIFF_SELFTEST").is_some_and(|v| v != "0"),
            seed: var("REDLET_DIFF_SEED").and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED),
            per_family: var("REDLET_DIFF_COMMANDS").and_then(|s| s.parse().ok()).unwrap_or(if long { 1_000_000 } else { 50_000 }),
            only: var("REDLET_DIFF_FAMILY").map(|s| s.to_ascii_lowercase()),
            shrink_secs: var("REDLET_DIFF_SHRINK_SECS").and_then(|s| s.parse().ok()).unwrap_or(20),
        }
    }

    /// True if `name` is to run.
    pub fn enabled(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|o| o.split(',').any(|x| x.trim() == name))
    }
}

/// Length of one generated sequence (keyspace compared at its end).
pub const SEQ_LEN: usize = 250;

/// Most distinct mismatches shrunk and printed per family.
const MAX_REPORTS: usize = 12;

/// A distinct mismatch and how often it was the first in a sequence.
struct Found {
    count: usize,
    seq: u64,
    repro: Vec<Argv>,
    m: Mismatch,
}

/// Formats a shrunk repro for the log.
pub fn format_repro(fam: &str, st: &Settings, seq: u64, repro: &[Argv], m: &Mismatch) -> String {
    let seed = st.seed;
    let side = match (&st.target, st.selftest) {
        (Some(addr), _) => format!("REDLET_DIFF_TARGET={addr} "),
        (None, true) => "REDLET_DIFF_SELFTEST=1 ".into(),
        (None, false) => String::new(),
    };
    let mut s = format!(
        "--- mismatch [{}] family={fam} seed={seed} sequence={seq}\n    rerun: {side}REDLET_DIFF_SEED={seed} REDLET_DIFF_FAMILY={fam} cargo test --test differential\n    repro (redis-cli, after FLUSHALL):\n",
        m.sig
    );
    for a in repro {
        s.push_str("      ");
        s.push_str(&cli_line(a));
        s.push('\n');
    }
    if m.argv.is_empty() {
        s.push_str(&format!("    final keyspace differs: {} {}\n", m.redis, m.note));
    } else {
        s.push_str(&format!(
            "    at: {}\n      redis:  {}\n      redlet: {}\n      diff:   {}\n",
            cli_line(&m.argv),
            m.redis,
            m.redlet,
            m.note
        ));
    }
    s
}

/// Runs a family: sequences until `per_family` commands ran, shrinking the
/// first occurrence of each distinct mismatch. Panics (fails the test) if
/// anything differed.
pub fn run_family(fam: Family) {
    let st = Settings::from_env();
    if !st.enabled(fam.name()) {
        eprintln!("differential[{}]: skipped (REDLET_DIFF_FAMILY)", fam.name());
        return;
    }
    let srv = RedisServer::start();
    let side = RedletSide::new(&st, &[]);
    let avail = if side.selftest {
        let all: Vec<&str> = Family::ALL.iter().flat_map(|f| f.commands().iter().map(|(c, _)| *c)).chain(["multi", "exec", "keys", "hgetall", "smembers", "zrange", "object|encoding", "pexpiretime", "del", "sadd", "srem", "rpush", "psubscribe", "config|set", "publish"]).collect();
        Avail::with(&all)
    } else {
        Avail::from_table()
    };
    let skipped = Gen::skipped(fam, &avail);
    if !skipped.is_empty() {
        eprintln!("differential[{}]: not in redlet's command table, not generated: {}", fam.name(), skipped.join(" "));
    }
    let t0 = Instant::now();
    let mut found: BTreeMap<String, Found> = BTreeMap::new();
    let (mut ran, mut seq, mut sequences_failed) = (0usize, 0u64, 0usize);
    while ran < st.per_family {
        let seed = mix(&[st.seed, fam as u64, seq]);
        let mut g = Gen::new(fam, seed, &avail);
        if g.is_empty() {
            eprintln!("differential[{}]: redlet has none of this family's commands yet", fam.name());
            break;
        }
        let cmds = g.sequence(SEQ_LEN);
        match run_seq(&srv, &avail, &cmds) {
            None => ran += cmds.len(),
            Some(m) => {
                ran += m.idx + 1;
                sequences_failed += 1;
                let reports = found.len();
                let e = found.entry(m.sig.clone()).or_insert_with(|| Found { count: 0, seq, repro: vec![], m: m.clone() });
                e.count += 1;
                if e.count == 1 {
                    if reports < MAX_REPORTS && t0.elapsed() < Duration::from_secs(st.shrink_secs * 4) {
                        let (repro, mm) = shrink(&srv, &avail, &cmds, &m, Duration::from_secs(st.shrink_secs));
                        e.repro = repro;
                        e.m = mm;
                    } else {
                        e.repro = cmds[..(m.idx + 1).min(cmds.len())].to_vec();
                    }
                }
            }
        }
        seq += 1;
    }
    let secs = t0.elapsed().as_secs_f64();
    if std::env::var("REDLET_DIFF_STATS").is_ok() {
        STATS.with(|s| {
            for (c, (n, e)) in s.borrow().iter() {
                eprintln!("differential[{}]: {c:>16} {n:>7} runs {:>5.1}% errors", fam.name(), 100.0 * *e as f64 / *n as f64);
            }
        });
    }
    eprintln!(
        "differential[{}]: {ran} commands in {seq} sequences, {sequences_failed} sequences with a mismatch, {:.1}s, seed {}",
        fam.name(),
        secs,
        st.seed
    );
    if found.is_empty() {
        return;
    }
    let mut report = String::new();
    for (sig, f) in &found {
        let q = super::known::known(sig).map_or(String::new(), |r| format!(" (quarantined: {r})"));
        report.push_str(&format!("differential[{}]: {sig}: first mismatch in {} sequences{q}\n", fam.name(), f.count));
    }
    for f in found.values() {
        report.push_str(&format_repro(fam.name(), &st, f.seq, &f.repro, &f.m));
    }
    eprintln!("{report}");
    found.retain(|sig, _| super::known::known(sig).is_none());
    if found.is_empty() {
        return;
    }
    panic!("differential[{}]: {} distinct mismatches against {} (see the repros above)", fam.name(), found.len(), RedisServer::version());
}
