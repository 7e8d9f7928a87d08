//! Multi-client scenarios: several clients on both sides (TCP connections to
//! Redis, `Engine::open_client` ids on redlet, or TCP connections when
//! redlet's side is remote: [`super::clients`]) running blocking list
//! commands, pushes from other clients that serve them in blocking order,
//! BLMOVE chains, short real timeouts, CLIENT UNBLOCK and blocked clients
//! disconnecting.
//!
//! Scenarios are generated step by step from a seed; a step's acting client
//! is chosen among the clients that are not blocked. After every step both
//! sides must agree on the acting client's outcome (a reply, or blocked),
//! on which other clients were served and with what, and on the set of
//! blocked clients. A server's blocked state is observed through `INFO
//! clients` (blocked_clients) and `CLIENT LIST` (flag `b`).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Instant;

use super::clients::{Clients, Outcome};
use super::gen::Argv;
use super::redis::RedisServer;
use super::resp::{cli_line, show, V};
use super::rng::{mix, Rng};
use super::run::{compare_keyspace, RedletSide, Settings};

/// Clients per scenario.
const CLIENTS: usize = 4;
/// Keys the scenarios block on and push to.
const QKEYS: &[&str] = &["q1", "q2", "q3"];
/// Elements pushed.
const ELEMS: &[&str] = &["a", "b", "c", "1", "x\r\ny"];

thread_local! {
    /// blocked, served by another client, timed out, unblocked by CLIENT
    /// UNBLOCK, disconnected while blocked: how much each scenario exercised.
    static COUNTS: std::cell::RefCell<[u64; 5]> = const { std::cell::RefCell::new([0; 5]) };
}

fn count(i: usize) {
    COUNTS.with(|c| c.borrow_mut()[i] += 1);
}

thread_local! {
    /// Stream scenarios: XREAD blocks, XREADGROUP blocks, readers served
    /// with entries, served with an error (key deleted, group destroyed),
    /// timeouts.
    static STREAM_COUNTS: std::cell::RefCell<[u64; 5]> = const { std::cell::RefCell::new([0; 5]) };
}

thread_local! {
    /// CLIENT PAUSE WRITE, CLIENT UNPAUSE sent in blocking scenarios.
    static PAUSE_COUNTS: std::cell::RefCell<[u64; 2]> = const { std::cell::RefCell::new([0; 2]) };
}

fn count_pause(i: usize) {
    PAUSE_COUNTS.with(|c| c.borrow_mut()[i] += 1);
}

fn scount(i: usize) {
    STREAM_COUNTS.with(|c| c.borrow_mut()[i] += 1);
}

fn show_outcome(o: &Outcome) -> String {
    match o {
        Outcome::Reply(v) => show(v),
        Outcome::Blocked => "<blocked>".into(),
    }
}

/// A failed scenario's report: its steps (`log`), then the mismatch.
pub fn report(log: &[String], what: &str) -> String {
    let mut s = String::from("    steps (client: command):\n");
    for l in log {
        s.push_str("      ");
        s.push_str(l);
        s.push('\n');
    }
    s.push_str("    mismatch: ");
    s.push_str(what);
    s
}

/// A command line from words.
pub fn argv(parts: &[&str]) -> Argv {
    parts.iter().map(|s| s.as_bytes().to_vec()).collect()
}

/// One scenario's clients on both sides.
struct World {
    redis: Clients,
    redlet: Clients,
    /// Which clients are blocked (both sides agree after every step).
    blocked: Vec<bool>,
    /// Stream scenario (counted apart).
    streams: bool,
    /// Clients that speak RESP3 (HELLO 3 on both sides, again after a
    /// reconnect).
    resp3: Vec<bool>,
    /// Human-readable log of the steps so far (the repro).
    log: Vec<String>,
}

impl World {
    fn new(srv: &RedisServer) -> World {
        let (mut redis, mut redlet) = (Clients::redis(srv), Clients::redlet(srv));
        for _ in 0..CLIENTS {
            redis.add(false);
            redlet.add(false);
        }
        World { redis, redlet, blocked: vec![false; CLIENTS], streams: false, resp3: vec![false; CLIENTS], log: vec![] }
    }

    fn fail(&self, what: String) -> String {
        report(&self.log, &what)
    }

    /// After a step: which previously blocked clients each side served
    /// (and with what), then the blocked sets.
    fn settle(&mut self, acting: Option<usize>, unblock: bool) -> Result<(), String> {
        let rblocked = self.redis.blocked();
        let served_r = self.redis.served(&self.blocked, &rblocked, acting);
        let lblocked = self.redlet.blocked();
        let served_l = self.redlet.served(&self.blocked, &lblocked, acting);
        if served_r != served_l {
            let f = |m: &BTreeMap<usize, Vec<V>>| {
                m.iter().map(|(i, vs)| format!("c{i}: {}", vs.iter().map(show).collect::<Vec<_>>().join(", "))).collect::<Vec<_>>().join("; ")
            };
            return Err(format!("served clients differ: redis {{{}}} / redlet {{{}}}", f(&served_r), f(&served_l)));
        }
        for _ in served_r.keys() {
            count(if unblock { 3 } else { 1 });
        }
        if self.streams && !unblock {
            for vs in served_r.values() {
                scount(if vs.iter().any(|v| v.is_err()) { 3 } else { 2 });
            }
        }
        for (i, vs) in &served_r {
            self.log.push(format!("  -> c{i} served: {}", vs.iter().map(show).collect::<Vec<_>>().join(", ")));
        }
        for i in 0..CLIENTS {
            let (rb, lb) = (rblocked[i], lblocked[i]);
            if rb != lb {
                return Err(format!("client c{i} blocked on redis: {rb}, on redlet: {lb}"));
            }
            self.blocked[i] = rb;
        }
        Ok(())
    }

    /// Client `c` runs a command (`r` on Redis, `l` on redlet: they differ
    /// only in client ids).
    fn command(&mut self, c: usize, r: &Argv, l: &Argv) -> Result<Outcome, String> {
        // A client blocked by an earlier command of a run (a transaction's
        // command postponed by CLIENT PAUSE) sends nothing more.
        if self.blocked[c] {
            self.log.push(format!("(c{c} is blocked: {} not sent)", cli_line(l)));
            return Ok(Outcome::Blocked);
        }
        self.log.push(format!("c{c}{}: {}", if self.resp3[c] { " (resp3)" } else { "" }, cli_line(l)));
        let before = self.blocked.iter().filter(|b| **b).count();
        let out_r = self.redis.run(c, r, before)?;
        let out_l = self.redlet.run(c, l, before)?;
        self.log.push(format!("  -> redis {} / redlet {}", show_outcome(&out_r), show_outcome(&out_l)));
        if out_r != out_l {
            return Err(format!("c{c} {}: redis {} / redlet {}", cli_line(l), show_outcome(&out_r), show_outcome(&out_l)));
        }
        if out_r == Outcome::Blocked {
            self.blocked[c] = true;
            count(0);
            if self.streams {
                scount(if l[0].eq_ignore_ascii_case(b"xread") { 0 } else { 1 });
            }
        }
        let unblock = l.get(1).is_some_and(|x| x.eq_ignore_ascii_case(b"unblock"));
        self.settle(Some(c), unblock)?;
        Ok(out_r)
    }

    /// Switches client `c` to RESP3 on both sides.
    fn hello3(&mut self, c: usize) {
        self.resp3[c] = true;
        self.redis.hello3(c);
        self.redlet.hello3(c);
    }

    /// Waits for a client blocked with a short timeout to time out.
    fn wait_timeout(&mut self, c: usize) -> Result<(), String> {
        self.log.push(format!("(wait for c{c} to time out)"));
        let vr = self.redis.timed_out(c)?;
        let vl = self.redlet.timed_out(c).map_err(|e| format!("{e} (redis answered {})", show(&vr)))?;
        self.log.push(format!("  -> redis {} / redlet {}", show(&vr), show(&vl)));
        if vr != vl {
            return Err(format!("timeout reply of c{c}: redis {} / redlet {}", show(&vr), show(&vl)));
        }
        self.blocked[c] = false;
        count(2);
        if self.streams {
            scount(4);
        }
        self.settle(None, false)
    }

    /// Client `c` disconnects (blocked or not) and a new client takes its slot.
    fn reconnect(&mut self, c: usize) -> Result<(), String> {
        self.log.push(format!("(c{c} disconnects; a new client takes its place)"));
        if self.blocked[c] {
            count(4);
        }
        self.redis.replace(c, self.resp3[c])?;
        self.redlet.replace(c, self.resp3[c])?;
        self.blocked[c] = false;
        self.settle(None, false)
    }
}

/// One of `xs`, uniformly.
pub fn pick<'a>(r: &mut Rng, xs: &[&'a str]) -> &'a str {
    xs[r.below(xs.len())]
}

/// A non-blocking command on the queue keys (sorted-set ones too when
/// `zsets`).
fn plain_command(r: &mut Rng, zsets: bool) -> Argv {
    let k = pick(r, QKEYS);
    let k2 = pick(r, QKEYS);
    let side = |r: &mut Rng| pick(r, &["LEFT", "RIGHT"]);
    if zsets && r.chance(0.3) {
        return match r.below(4) {
            0 | 1 => argv(&["ZADD", k, pick(r, &["1", "2", "-1"]), pick(r, ELEMS), pick(r, &["3", "0"]), pick(r, ELEMS)]),
            2 => argv(&["ZPOPMIN", k]),
            _ => argv(&["ZUNIONSTORE", k, "2", k2, k]),
        };
    }
    match r.below(14) {
        0..=3 => {
            let mut a = argv(&[pick(r, &["LPUSH", "RPUSH"]), k]);
            for _ in 0..r.range(1, 3) {
                a.push(pick(r, ELEMS).as_bytes().to_vec());
            }
            a
        }
        4 => argv(&[pick(r, &["LPUSHX", "RPUSHX"]), k, pick(r, ELEMS)]),
        5 => argv(&[pick(r, &["LPOP", "RPOP"]), k]),
        6 => {
            let (s1, s2) = (side(r), side(r));
            argv(&["LMOVE", k, k2, s1, s2])
        }
        7 => argv(&["RPOPLPUSH", k, k2]),
        8 => argv(&["DEL", k]),
        9 => argv(&["SET", k, "str"]),
        10 => argv(&["LRANGE", k, "0", "-1"]),
        11 => argv(&["RENAME", k, k2]),
        12 => {
            let s = side(r);
            argv(&["LMPOP", "2", k, k2, s])
        }
        _ => argv(&["LLEN", k]),
    }
}

/// A blocking command and whether its timeout is short (real 0.1 s).
fn blocking_command(r: &mut Rng, zsets: bool) -> (Argv, bool) {
    let t = match r.below(18) {
        0..=9 => "0",
        10..=15 => "100",
        _ => "0.1",
    };
    let k = pick(r, QKEYS);
    let k2 = pick(r, QKEYS);
    let side = |r: &mut Rng| pick(r, &["LEFT", "RIGHT"]);
    if zsets && r.chance(0.3) {
        let a = match r.below(3) {
            0 => argv(&["BZPOPMIN", k, k2, t]),
            1 => argv(&["BZPOPMAX", k, t]),
            _ => argv(&["BZMPOP", t, "2", k, k2, pick(r, &["MIN", "MAX"]), "COUNT", "2"]),
        };
        return (a, t == "0.1");
    }
    let a = match r.below(6) {
        0 | 1 => {
            let mut a = argv(&[pick(r, &["BLPOP", "BRPOP"])]);
            for _ in 0..r.range(1, 3) {
                a.push(pick(r, QKEYS).as_bytes().to_vec());
            }
            a.push(t.as_bytes().to_vec());
            a
        }
        2 => argv(&["BRPOPLPUSH", k, k2, t]),
        3 | 4 => {
            let (s1, s2) = (side(r), side(r));
            argv(&["BLMOVE", k, k2, s1, s2, t])
        }
        _ => {
            let s = side(r);
            let mut a = argv(&["BLMPOP", t, "2", k, k2, s]);
            if r.chance(0.5) {
                a.extend(argv(&["COUNT", pick(r, &["1", "2", "5"])]));
            }
            a
        }
    };
    (a, t == "0.1")
}

/// Stream keys the stream scenarios block on and add to.
const SKEYS: &[&str] = &["s1", "s2"];
/// Consumer groups of the stream scenarios.
const GROUPS: &[&str] = &["g1", "g2"];

/// A non-blocking stream command. `ids` counts XADDs so entry ids are
/// explicit and increasing (`*` would differ between the sides).
fn stream_plain(r: &mut Rng, ids: &mut u64) -> Argv {
    let k = pick(r, SKEYS);
    let g = pick(r, GROUPS);
    let old = format!("{}-1", r.range(0, *ids as i64 + 1));
    match r.below(20) {
        0..=6 => {
            *ids += 1;
            let id = if r.chance(0.2) { format!("{}-*", *ids) } else { format!("{}-1", *ids) };
            if r.chance(0.15) {
                argv(&["XADD", k, "MAXLEN", "2", &id, "f", pick(r, ELEMS)])
            } else {
                argv(&["XADD", k, &id, "f", pick(r, ELEMS), "g", "1"])
            }
        }
        7 | 8 => argv(&["XGROUP", "CREATE", k, g, pick(r, &["$", "0"]), "MKSTREAM"]),
        9 if r.chance(0.5) => argv(&["XGROUP", "CREATECONSUMER", k, g, "c9"]),
        9 => argv(&["XGROUP", "DESTROY", k, g]),
        10 => argv(&["DEL", k]),
        11 => argv(&["XDEL", k, &old]),
        12 => argv(&["XACK", k, g, &old]),
        13 => argv(&["XTRIM", k, "MAXLEN", "1"]),
        14 => argv(&["XRANGE", k, "-", "+"]),
        15 => argv(&["XLEN", k]),
        16 => argv(&["XGROUP", "SETID", k, g, pick(r, &["$", "0"])]),
        17 => argv(&["SET", k, "str"]),
        18 => argv(&["XREAD", "COUNT", "2", "STREAMS", k, "0"]),
        _ => argv(&["XPENDING", k, g]),
    }
}

/// A blocking stream read and whether its timeout is short (real 0.1 s).
fn stream_blocking(r: &mut Rng, ids: u64) -> (Argv, bool) {
    let t = match r.below(18) {
        0..=9 => "0",
        10..=15 => "100000",
        _ => "100",
    };
    let k = pick(r, SKEYS);
    let k2 = if k == "s1" { "s2" } else { "s1" };
    let mut a = if r.chance(0.35) {
        argv(&["XREAD"])
    } else {
        let consumer = format!("c{}", r.below(3));
        argv(&["XREADGROUP", "GROUP", pick(r, GROUPS), &consumer])
    };
    let group = a.len() > 1;
    if r.chance(0.4) {
        a.extend(argv(&["COUNT", pick(r, &["1", "2"])]));
    }
    a.extend(argv(&["BLOCK", t]));
    if group && r.chance(0.15) {
        a.push(b"NOACK".to_vec());
    }
    a.push(b"STREAMS".to_vec());
    let two = r.chance(0.3);
    a.push(k.as_bytes().to_vec());
    if two {
        a.push(k2.as_bytes().to_vec());
    }
    for _ in 0..(1 + two as usize) {
        let id = if group {
            if r.chance(0.9) { ">".to_string() } else { "0".to_string() }
        } else {
            match r.below(3) {
                0 | 1 => "$".to_string(),
                _ => format!("{}-1", r.range(0, ids as i64 + 1)),
            }
        };
        a.push(id.into_bytes());
    }
    (a, t == "100")
}

/// What a scenario's clients do.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Blocking list and sorted-set pops.
    Lists,
    /// XREAD / XREADGROUP BLOCK served by XADD.
    Streams,
}

/// Runs one scenario of `steps` steps.
fn scenario(srv: &RedisServer, avail: &super::gen::Avail, seed: u64, steps: usize, kind: Kind) -> Result<(), String> {
    let mut r = Rng::new(seed);
    let mut w = World::new(srv);
    let mut ids = 0u64;
    let streams = kind == Kind::Streams;
    w.streams = streams;
    if streams {
        // Stream replies differ by protocol (XREAD's map, the null of a
        // timeout): clients 1 and 3 speak RESP3.
        for c in [1, 3] {
            w.hello3(c);
        }
    }
    if streams {
        // Most groups exist from the start, so XREADGROUP mostly blocks.
        for k in SKEYS {
            for g in GROUPS {
                if r.chance(0.7) {
                    let a = argv(&["XGROUP", "CREATE", k, g, "$", "MKSTREAM"]);
                    w.command(0, &a, &a).map_err(|e| w.fail(e))?;
                }
            }
        }
    }
    let has_unblock = avail.has("client|unblock");
    let has_pause = avail.has("client|pause") && avail.has("client|unpause");
    let mut paused = false;
    let has_multi = avail.has("multi");
    let has_watch = has_multi && avail.has("watch");
    let zsets = ["zadd", "bzpopmin", "bzpopmax", "bzmpop", "zpopmin", "zunionstore"].iter().all(|c| avail.has(c));
    for _ in 0..steps {
        let free: Vec<usize> = (0..CLIENTS).filter(|&i| !w.blocked[i]).collect();
        let blocked: Vec<usize> = (0..CLIENTS).filter(|&i| w.blocked[i]).collect();
        if free.is_empty() {
            // Everyone waits: free one by disconnecting it.
            let c = blocked[r.below(blocked.len())];
            w.reconnect(c).map_err(|e| w.fail(e))?;
            continue;
        }
        let c = free[r.below(free.len())];
        let roll = if paused && r.chance(0.1) { 93 } else { r.below(100) };
        if roll < 28 {
            let (a, short) = if streams { stream_blocking(&mut r, ids) } else { blocking_command(&mut r, zsets) };
            // A short timeout would start counting when an UNPAUSE runs the
            // command: not while paused.
            if short && paused {
                continue;
            }
            let out = w.command(c, &a, &a).map_err(|e| w.fail(e))?;
            if short && out == Outcome::Blocked {
                w.wait_timeout(c).map_err(|e| w.fail(e))?;
            }
        } else if roll < 85 {
            let a = if streams { stream_plain(&mut r, &mut ids) } else { plain_command(&mut r, zsets) };
            w.command(c, &a, &a).map_err(|e| w.fail(e))?;
        } else if roll < 90 && has_multi && streams {
            // XADDs inside a transaction serve readers after EXEC.
            let body = [stream_plain(&mut r, &mut ids), stream_plain(&mut r, &mut ids)];
            for a in [argv(&["MULTI"]), body[0].clone(), body[1].clone(), argv(&["EXEC"])] {
                w.command(c, &a, &a).map_err(|e| w.fail(e))?;
            }
        } else if roll < 90 && has_multi {
            // Pushes inside a transaction serve waiters after EXEC.
            let k = pick(&mut r, QKEYS);
            let k2 = pick(&mut r, QKEYS);
            for a in [argv(&["MULTI"]), argv(&["RPUSH", k, "m1", "m2"]), argv(&["LPUSH", k2, "m3"]), argv(&["EXEC"])] {
                w.command(c, &a, &a).map_err(|e| w.fail(e))?;
            }
        } else if roll < 92 && has_watch && free.len() >= 2 {
            // WATCH by one client, maybe a write by another, then EXEC:
            // a touched watched key aborts the transaction (nil).
            let other = free[(free.iter().position(|&x| x == c).unwrap_or(0) + 1) % free.len()];
            let k = pick(&mut r, if streams { SKEYS } else { QKEYS });
            w.command(c, &argv(&["WATCH", k]), &argv(&["WATCH", k])).map_err(|e| w.fail(e))?;
            if r.chance(0.6) {
                let a = if streams { stream_plain(&mut r, &mut ids) } else { plain_command(&mut r, zsets) };
                w.command(other, &a, &a).map_err(|e| w.fail(e))?;
            }
            let body = if streams { stream_plain(&mut r, &mut ids) } else { plain_command(&mut r, zsets) };
            for a in [argv(&["MULTI"]), body, argv(&["EXEC"])] {
                w.command(c, &a, &a).map_err(|e| w.fail(e))?;
            }
        } else if roll < 95 && has_pause && (paused || r.chance(0.35)) {
            // CLIENT PAUSE WRITE (long: only UNPAUSE ends it) postpones
            // every client's writes and blocking commands (queued ones in
            // a transaction too), the pausing client's as well; UNPAUSE
            // runs them in order.
            let a = if paused { argv(&["CLIENT", "UNPAUSE"]) } else { argv(&["CLIENT", "PAUSE", "100000", "WRITE"]) };
            w.command(c, &a, &a).map_err(|e| w.fail(e))?;
            paused = !paused;
            count_pause(if paused { 0 } else { 1 });
        } else if roll < 95 && has_unblock {
            let target = r.below(CLIENTS + 1);
            let mode: &[&str] = match r.below(3) {
                0 => &[],
                1 => &["TIMEOUT"],
                _ => &["ERROR"],
            };
            let (rid, lid) = if target == CLIENTS { (999_999, 999_999) } else { (w.redis.id(target), w.redlet.id(target)) };
            let mut ar = argv(&["CLIENT", "UNBLOCK", &rid.to_string()]);
            let mut al = argv(&["CLIENT", "UNBLOCK", &lid.to_string()]);
            ar.extend(argv(mode));
            al.extend(argv(mode));
            w.log.push(format!("(c{c} unblocks c{target})"));
            w.command(c, &ar, &al).map_err(|e| w.fail(e))?;
        } else if !blocked.is_empty() {
            let t = blocked[r.below(blocked.len())];
            w.reconnect(t).map_err(|e| w.fail(e))?;
        }
    }
    // Lift a pause, free everyone (closing is the cleanup), then compare
    // the data.
    if paused {
        w.log.push("(the harness lifts the pause)".into());
        let _ = w.redis.control(&["CLIENT", "UNPAUSE"]);
        let _ = w.redlet.control(&["CLIENT", "UNPAUSE"]);
        w.settle(None, false).map_err(|e| w.fail(e))?;
    }
    for i in 0..CLIENTS {
        if w.blocked[i] {
            w.reconnect(i).map_err(|e| w.fail(e))?;
        }
    }
    if let Some(p) = w.redlet.poisoned() {
        return Err(w.fail(format!("engine panicked: {p}")));
    }
    let redlet = &mut w.redlet;
    let res = compare_keyspace(srv, || redlet.dump());
    res.map_err(|m| w.fail(format!("final keyspace: {} {}", m.redis, m.note)))
}

/// Runs a multi-client scenario family against one redis-server: 200
/// scenarios (2,000 with `REDLET_DIFF_LONG`), scenario `i` seeded from the
/// settings' seed, `tag` and `i`; prints `summary()` (what the scenarios
/// exercised) and the first failures with their steps, and fails the test
/// if any scenario differed.
fn run_scenarios(name: &str, tag: u64, mut scenario: impl FnMut(&RedisServer, u64) -> Result<(), String>, summary: impl FnOnce() -> String) {
    let st = Settings::from_env();
    if !st.enabled(name) {
        eprintln!("differential[{name}]: skipped (REDLET_DIFF_FAMILY)");
        return;
    }
    let srv = RedisServer::start();
    let _side = RedletSide::new(&st, &[]);
    let long = std::env::var("REDLET_DIFF_LONG").is_ok_and(|v| !v.is_empty() && v != "0");
    let count = if long { 2000 } else { 200 };
    let t0 = Instant::now();
    let mut failures = vec![];
    for i in 0..count {
        if let Err(e) = scenario(&srv, mix(&[st.seed, tag, i])) {
            failures.push(format!("--- {name} scenario {i} (seed {}) failed:\n{e}", st.seed));
            if failures.len() >= 3 {
                break;
            }
        }
    }
    eprintln!("differential[{name}]: {count} scenarios, {} failed, {:.1}s; {}", failures.len(), t0.elapsed().as_secs_f64(), summary());
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("{f}");
        }
        panic!("differential[{name}]: {} scenarios differ from {}", failures.len(), RedisServer::version());
    }
}

/// ACL scenarios ([`super::multi_acl`]) of 30 steps.
pub fn run_acl() {
    run_scenarios("acl", 77, |srv, seed| super::multi_acl::scenario(srv, seed, 30), || {
        let n = super::multi_acl::counts();
        format!("{} client commands, {} refused by ACLs, {} other errors", n[0], n[1], n[2])
    });
}

/// Tracking, MONITOR and CLIENT REPLY scenarios ([`super::multi_tracking`])
/// of 40 steps.
pub fn run_tracking() {
    let avail = super::gen::Avail::from_table();
    run_scenarios("tracking", 88, |srv, seed| super::multi_tracking::scenario(srv, &avail, seed, 40), || {
        let n = super::multi_tracking::counts();
        format!(
            "{} steps, {} invalidation messages, {} monitor lines, {} CLIENT REPLY runs, {} tracking commands, {} scripts",
            n[0], n[1], n[2], n[3], n[4], n[5]
        )
    });
}

/// The multi-client blocking test: `scenarios` scenarios (more with
/// `REDLET_DIFF_LONG`), every failing scenario reported with its steps.
pub fn run_blocking() {
    let st = Settings::from_env();
    if !st.enabled("blocking") {
        eprintln!("differential[blocking]: skipped (REDLET_DIFF_FAMILY)");
        return;
    }
    let avail = super::gen::Avail::from_table();
    let needed = ["blpop", "brpop", "blmove", "blmpop", "brpoplpush", "lpush", "rpush"];
    let missing: Vec<&str> = needed.iter().copied().filter(|c| !avail.has(c)).collect();
    if !missing.is_empty() {
        eprintln!("differential[blocking]: skipped, redlet lacks {}", missing.join(" "));
        return;
    }
    // hz 100: Redis checks blocked-client timeouts more often.
    let srv = RedisServer::start_with(&["--hz", "100"]);
    let _side = RedletSide::new(&st, &["--hz", "100"]);
    let long = std::env::var("REDLET_DIFF_LONG").is_ok_and(|v| !v.is_empty() && v != "0");
    // A third each: lists/zsets, streams, pub/sub.
    let count = if long { 3000 } else { 300 };
    let has_streams = ["xadd", "xread", "xreadgroup", "xgroup|create"].iter().all(|c| avail.has(c));
    let has_pubsub = ["subscribe", "psubscribe", "ssubscribe", "publish", "spublish", "pubsub|channels"].iter().all(|c| avail.has(c));
    let t0 = Instant::now();
    let mut failures = vec![];
    for i in 0..count {
        let seed = mix(&[st.seed, 99, i]);
        let kind = if has_streams && i % 3 == 1 { Kind::Streams } else { Kind::Lists };
        let res = if has_pubsub && i % 3 == 2 {
            super::multi_pubsub::scenario(&srv, &avail, seed, 40)
        } else {
            scenario(&srv, &avail, seed, 40, kind)
        };
        if let Err(e) = res {
            failures.push(format!("--- blocking scenario {i} (seed {}) failed:\n{e}", st.seed));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    let n = COUNTS.with(|c| *c.borrow());
    eprintln!(
        "differential[blocking]: {count} scenarios, {} failed, {:.1}s; {} blocks, {} served by pushes, {} timeouts, {} CLIENT UNBLOCKs, {} blocked clients disconnected",
        failures.len(),
        t0.elapsed().as_secs_f64(),
        n[0],
        n[1],
        n[2],
        n[3],
        n[4]
    );
    let x = STREAM_COUNTS.with(|c| *c.borrow());
    eprintln!(
        "differential[blocking]: streams: {} XREAD blocks, {} XREADGROUP blocks, {} readers served entries, {} served an error, {} timeouts",
        x[0], x[1], x[2], x[3], x[4]
    );
    let z = PAUSE_COUNTS.with(|c| *c.borrow());
    eprintln!("differential[blocking]: {} CLIENT PAUSE WRITE, {} CLIENT UNPAUSE", z[0], z[1]);
    let p = super::multi_pubsub::counts();
    eprintln!(
        "differential[blocking]: pub/sub: {} steps, {} publishes, {} values received by other clients, {} (un)subscribe replies, {} PUBSUB queries, {} disconnects",
        p[0], p[1], p[2], p[3], p[4], p[5]
    );
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("{f}");
        }
        panic!("differential[blocking]: {} scenarios differ from {}", failures.len(), RedisServer::version());
    }
}
