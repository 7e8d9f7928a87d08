//! Multi-client scenarios for the server surface around the data: client-
//! side caching (CLIENT TRACKING in every mode, CLIENT CACHING, GETREDIR,
//! TRACKINGINFO, invalidations by writes, expiry, scripts, functions,
//! MULTI, FLUSHALL, SWAPDB, MOVE and redirects to RESP2 subscribers of
//! `__redis__:invalidate`), MONITOR streams (scripts' and transactions'
//! commands included) and CLIENT REPLY OFF/SKIP runs, several clients on
//! both sides, some in RESP3.
//!
//! After every step both sides must agree on everything the acting client
//! got and on what every other client received, in order (as in
//! [`super::multi_pubsub`], whose end-of-output marker this reuses).
//!
//! Client ids differ between the sides: a command naming a client (CLIENT
//! TRACKING ... REDIRECT) is written with a placeholder that each side
//! fills with its own id, and the ids a reply carries (CLIENT GETREDIR,
//! CLIENT TRACKINGINFO's `redirect`, a `tracking-redir-broken` push) are
//! turned back into client names before comparing. MONITOR lines lose
//! their timestamp and peer address (`lua` stays), and the lines of the
//! harness's own commands (the bare PING end marker, HELLO 3 and CLIENT ID
//! of a reconnect) are left out on both sides.
#![allow(dead_code)]

use super::clients::Clients;
use super::gen::{Argv, Avail};
use super::multi::{argv, pick};
use super::multi_pubsub::mask_hello;
use super::redis::RedisServer;
use super::resp::{cli_line, show, V};
use super::rng::Rng;
use super::run::compare_keyspace;

/// Clients per scenario.
const CLIENTS: usize = 5;
/// Keys read and written.
const KEYS: &[&str] = &["k1", "k2", "p:a", "p:b"];
/// BCAST prefixes ("" is every key).
const PREFIXES: &[&str] = &["p:", "k", "k1", ""];
/// Values written.
const VALS: &[&str] = &["1", "v", ""];
/// The invalidation channel of RESP2 redirect targets.
const INVALIDATE: &str = "__redis__:invalidate";
/// Placeholder for "the id of client N" in a command (N follows).
const ID_OF: &str = "\u{1}id";
/// A library loaded at the start of every scenario: a read and a write
/// function, and a read marked `no-writes` (called with FCALL_RO).
const LIBRARY: &str = "#!lua name=trk\n\
redis.register_function('rd', function(k) return redis.call('GET', k[1]) end)\n\
redis.register_function('wr', function(k, a) return redis.call('SET', k[1], a[1]) end)\n\
redis.register_function{function_name='rdro', callback=function(k) return redis.call('GET', k[1]) end, flags={'no-writes'}}";

thread_local! {
    /// Steps, invalidation messages received, monitor lines received,
    /// CLIENT REPLY runs, tracking commands, scripts run.
    static COUNTS: std::cell::RefCell<[u64; 6]> = const { std::cell::RefCell::new([0; 6]) };
}

fn count(i: usize, n: u64) {
    COUNTS.with(|c| c.borrow_mut()[i] += n);
}

/// What the scenarios exercised so far.
pub fn counts() -> [u64; 6] {
    COUNTS.with(|c| *c.borrow())
}

/// One side's client ids, every id a slot ever had (newest last), to name
/// them in replies.
#[derive(Default)]
struct Ids(Vec<Vec<i64>>);

impl Ids {
    /// The name of `id`: `c3` for client 3's current id, `c3~` for an
    /// earlier one, `?` for an unknown one (0 is "none" in Redis's replies
    /// and stays 0).
    fn name(&self, id: i64) -> V {
        if id == 0 || id == -1 {
            return V::Int(id);
        }
        for (i, hist) in self.0.iter().enumerate() {
            if let Some(p) = hist.iter().position(|&x| x == id) {
                let old = if p + 1 == hist.len() { "" } else { "~" };
                return V::Simple(format!("c{i}{old}").into_bytes());
            }
        }
        V::Simple(b"?".to_vec())
    }

    /// `a` with each placeholder argument replaced by this side's id.
    fn fill(&self, a: &Argv) -> Argv {
        a.iter()
            .map(|x| match std::str::from_utf8(x).ok().and_then(|s| s.strip_prefix(ID_OF)) {
                Some(rest) => {
                    let (n, old) = match rest.strip_suffix('~') {
                        Some(n) => (n, true),
                        None => (rest, false),
                    };
                    let hist = n.parse::<usize>().ok().and_then(|i| self.0.get(i));
                    let id = match hist {
                        Some(h) if old && h.len() > 1 => h[h.len() - 2],
                        Some(h) => *h.last().unwrap_or(&0),
                        None => 999_999,
                    };
                    id.to_string().into_bytes()
                }
                None => x.clone(),
            })
            .collect()
    }

    /// Client ids in `vs` replaced by names where a reply carries one.
    fn name_all(&self, a: &Argv, vs: &mut [V]) {
        let sub = |i: usize| a.get(i).map(|x| x.to_ascii_lowercase());
        let getredir = sub(0).as_deref() == Some(b"client") && sub(1).as_deref() == Some(b"getredir");
        let info = sub(0).as_deref() == Some(b"client") && sub(1).as_deref() == Some(b"trackinginfo");
        for v in vs.iter_mut() {
            match v {
                V::Int(n) if getredir => *v = self.name(*n),
                V::Push(x) if x.first().and_then(|k| k.bytes()) == Some(b"tracking-redir-broken") => {
                    if let Some(V::Int(n)) = x.get(1) {
                        x[1] = self.name(*n);
                    }
                }
                V::Map(kv) if info => {
                    for (k, v) in kv.iter_mut() {
                        if let (Some(b"redirect"), V::Int(n)) = (k.bytes(), &*v) {
                            *v = self.name(*n);
                        }
                    }
                }
                V::Array(x) if info => {
                    for i in (0..x.len().saturating_sub(1)).step_by(2) {
                        if let (Some(b"redirect"), V::Int(n)) = (x[i].bytes(), &x[i + 1]) {
                            x[i + 1] = self.name(*n);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Whether `v` is a tracking message: an `invalidate` or
/// `tracking-redir-broken` push, or a `__redis__:invalidate` message.
fn is_tracking(v: &V) -> bool {
    match v {
        V::Push(x) | V::Array(x) => match x.first().and_then(|k| k.bytes()) {
            Some(b"invalidate") | Some(b"tracking-redir-broken") => true,
            Some(b"message") => x.get(1).and_then(|c| c.bytes()) == Some(INVALIDATE.as_bytes()),
            _ => false,
        },
        _ => false,
    }
}

/// Makes tracking messages comparable:
/// - a flush's "everything" null is written by Redis in the protocol of the
///   tracking client, not of the receiver (a `$-1` inside a RESP3 push, a
///   `_` inside a RESP2 message); redlet writes the receiver's null, a
///   deliberate difference the README states, so both nulls compare equal;
/// - one change reaching a client through several tracking clients comes
///   in the order of the tracking clients' ids (Redis walks them as bytes),
///   and ids differ between the sides: runs of tracking messages are sorted.
fn normalize_tracking(vs: &mut [V]) {
    for v in vs.iter_mut() {
        match v {
            V::Push(x) | V::Array(x) => {
                let kind = x.first().and_then(|k| k.bytes()).map(<[u8]>::to_vec);
                let at = match kind.as_deref() {
                    Some(b"invalidate") => 1,
                    Some(b"message") if x.get(1).and_then(|c| c.bytes()) == Some(INVALIDATE.as_bytes()) => 2,
                    _ => {
                        normalize_tracking(x);
                        continue;
                    }
                };
                if x.get(at) == Some(&V::Nil) {
                    x[at] = V::Null;
                }
            }
            _ => {}
        }
    }
    let mut i = 0;
    while i < vs.len() {
        if !is_tracking(&vs[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < vs.len() && is_tracking(&vs[j]) {
            j += 1;
        }
        vs[i..j].sort();
        i = j;
    }
}

/// A MONITOR line without its timestamp and peer, the client id after
/// REDIRECT named, or `None` for the lines of the harness's own commands.
fn monitor_line(s: &[u8], ids: &Ids) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(s).ok()?;
    let (_, rest) = text.split_once(" [")?;
    let (peer, cmd) = rest.split_once("] ")?;
    let (db, addr) = peer.split_once(' ')?;
    if matches!(cmd, "\"PING\"" | "\"HELLO\" \"3\"" | "\"CLIENT\" \"ID\"") {
        return None;
    }
    let addr = if addr == "lua" { "lua" } else { "addr" };
    let mut out = format!("[{db} {addr}]");
    let args: Vec<&str> = cmd.split(' ').collect();
    for (i, a) in args.iter().enumerate() {
        let after_redirect = i > 0 && args[i - 1].eq_ignore_ascii_case("\"redirect\"");
        match a.trim_matches('"').parse::<i64>() {
            Ok(id) if after_redirect => out.push_str(&format!(" {}", show(&ids.name(id)))),
            _ => {
                out.push(' ');
                out.push_str(a);
            }
        }
    }
    Some(out.into_bytes())
}

/// Monitor lines normalized (see [`monitor_line`]), harness lines dropped.
fn normalize_monitor(vs: &mut Vec<V>, ids: &Ids) {
    vs.retain_mut(|v| {
        let V::Simple(s) = v else { return true };
        if !s.first().is_some_and(u8::is_ascii_digit) || !s.windows(2).any(|w| w == b" [") {
            return true;
        }
        match monitor_line(s, ids) {
            Some(line) => {
                count(2, 1);
                *s = line;
                true
            }
            None => false,
        }
    });
}

fn show_all(vs: &[V]) -> String {
    if vs.is_empty() {
        return "(nothing)".into();
    }
    vs.iter().map(show).collect::<Vec<_>>().join(", ")
}

/// Invalidation messages among `vs` (pushes, or `__redis__:invalidate`
/// messages).
fn invalidations(vs: &[V]) -> u64 {
    vs.iter()
        .filter(|v| match v {
            V::Push(x) | V::Array(x) => {
                x.first().and_then(|k| k.bytes()) == Some(b"invalidate")
                    || (x.first().and_then(|k| k.bytes()) == Some(b"message") && x.get(1).and_then(|c| c.bytes()) == Some(INVALIDATE.as_bytes()))
            }
            _ => false,
        })
        .count() as u64
}

struct World {
    redis: Clients,
    redlet: Clients,
    ids_r: Ids,
    ids_l: Ids,
    resp3: Vec<bool>,
    /// In MONITOR mode: the client only receives.
    monitor: Vec<bool>,
    /// Inside MULTI (the end-of-output PING would be queued).
    in_multi: Vec<bool>,
    /// In BCAST mode: invalidations go out when a server's event loop
    /// sleeps, after a whole pipelined run, collected by prefix, so nobody
    /// pipelines commands (CLIENT REPLY runs, CLIENT CACHING and its
    /// command) while a client is in BCAST mode.
    bcast: Vec<bool>,
    /// A SET ... PX 1 was sent and has yet to run out.
    px_pending: bool,
    log: Vec<String>,
}

impl World {
    fn new(srv: &RedisServer, r: &mut Rng, functions: bool) -> World {
        let (mut redis, mut redlet) = (Clients::redis(srv), Clients::redlet(srv));
        if functions {
            for side in [&mut redis, &mut redlet] {
                let v = side.control(&["FUNCTION", "LOAD", "REPLACE", LIBRARY]);
                assert!(!v.is_err(), "FUNCTION LOAD: {}", show(&v));
            }
        }
        let mut w = World { redis, redlet, ids_r: Ids::default(), ids_l: Ids::default(), resp3: vec![], monitor: vec![false; CLIENTS], in_multi: vec![false; CLIENTS], bcast: vec![false; CLIENTS], px_pending: false, log: vec![] };
        for _ in 0..CLIENTS {
            let three = r.chance(0.5);
            w.redis.add(three);
            w.redlet.add(three);
            w.resp3.push(three);
        }
        for c in 0..CLIENTS {
            w.ids_r.0.push(vec![w.redis.id(c) as i64]);
            w.ids_l.0.push(vec![w.redlet.id(c) as i64]);
        }
        w
    }

    fn fail(&self, what: String) -> String {
        super::multi::report(&self.log, &what)
    }

    /// Client `c` sends `batch` (one command, or a CLIENT REPLY run);
    /// then every client's output is compared.
    fn run(&mut self, c: usize, batch: &[Argv]) -> Result<(), String> {
        let line = batch.iter().map(|a| cli_line(a)).collect::<Vec<_>>().join(" ; ");
        self.log.push(format!("c{c}{}: {line}", if self.resp3[c] { " (resp3)" } else { "" }));
        count(0, 1);
        let br: Vec<Argv> = batch.iter().map(|a| self.ids_r.fill(a)).collect();
        let bl: Vec<Argv> = batch.iter().map(|a| self.ids_l.fill(a)).collect();
        let first = batch[0][0].to_ascii_lowercase();
        // One reply (QUEUED, or MULTI's OK) while the client is in MULTI.
        let one = (self.in_multi[c] && first != b"exec" && first != b"discard") || first == b"multi";
        let (mut got_r, mut got_l) = if batch.len() == 1 {
            (self.redis.exchange(c, &br[0], one), self.redlet.exchange(c, &bl[0], one))
        } else {
            (self.redis.exchange_batch(c, &br), self.redlet.exchange_batch(c, &bl))
        };
        let last = &batch[batch.len() - 1];
        self.ids_r.name_all(last, &mut got_r);
        self.ids_l.name_all(last, &mut got_l);
        for a in batch {
            let name = a[0].to_ascii_lowercase();
            match name.as_slice() {
                b"hello" => self.resp3[c] = a.get(1).map(|v| v.as_slice()) == Some(b"3"),
                b"reset" => {
                    self.resp3[c] = false;
                    self.monitor[c] = false;
                    self.bcast[c] = false;
                }
                b"client" if got_r.first() == Some(&V::Simple(b"OK".to_vec())) && a.get(1).is_some_and(|s| s.eq_ignore_ascii_case(b"tracking")) => {
                    self.bcast[c] = a.iter().any(|x| x.eq_ignore_ascii_case(b"bcast"));
                }
                b"monitor" => self.monitor[c] = true,
                b"multi" => self.in_multi[c] = true,
                b"exec" | b"discard" => self.in_multi[c] = false,
                _ => {}
            }
        }
        mask_hello(&mut got_r);
        mask_hello(&mut got_l);
        normalize_monitor(&mut got_r, &self.ids_r);
        normalize_monitor(&mut got_l, &self.ids_l);
        normalize_tracking(&mut got_r);
        normalize_tracking(&mut got_l);
        self.log.push(format!("  -> redis {} / redlet {}", show_all(&got_r), show_all(&got_l)));
        if got_r != got_l {
            return Err(format!("c{c} {line}: redis {} / redlet {}", show_all(&got_r), show_all(&got_l)));
        }
        count(1, invalidations(&got_r));
        // A key set to expire in 1 ms (maybe by a transaction's queued
        // SET, run at EXEC) is gone on both sides before the next step.
        self.px_pending |= batch.iter().any(|a| a.iter().any(|x| x.as_slice() == b"PX"));
        if self.px_pending && !self.in_multi[c] {
            std::thread::sleep(std::time::Duration::from_millis(2));
            self.px_pending = false;
        }
        self.settle(c)
    }

    /// Compares what every other client received.
    fn settle(&mut self, acting: usize) -> Result<(), String> {
        for i in 0..CLIENTS {
            if i == acting {
                continue;
            }
            let mut vr = self.redis.drain(i);
            let mut vl = self.redlet.drain(i);
            self.ids_r.name_all(&vec![], &mut vr);
            self.ids_l.name_all(&vec![], &mut vl);
            normalize_monitor(&mut vr, &self.ids_r);
            normalize_monitor(&mut vl, &self.ids_l);
            normalize_tracking(&mut vr);
            normalize_tracking(&mut vl);
            if !vr.is_empty() || !vl.is_empty() {
                self.log.push(format!("  -> c{i} received: redis {} / redlet {}", show_all(&vr), show_all(&vl)));
            }
            if vr != vl {
                return Err(format!("c{i} received: redis {} / redlet {}", show_all(&vr), show_all(&vl)));
            }
            count(1, invalidations(&vr));
        }
        Ok(())
    }

    /// Client `c` disconnects; a new client takes its slot.
    fn reconnect(&mut self, c: usize, resp3: bool) -> Result<(), String> {
        self.log.push(format!("(c{c} disconnects; a new{} client takes its place)", if resp3 { " resp3" } else { "" }));
        self.redis.replace(c, resp3)?;
        self.redlet.replace(c, resp3)?;
        self.ids_r.0[c].push(self.redis.id(c) as i64);
        self.ids_l.0[c].push(self.redlet.id(c) as i64);
        self.resp3[c] = resp3;
        self.monitor[c] = false;
        self.in_multi[c] = false;
        self.bcast[c] = false;
        // The acting slot is the new client: it has received nothing.
        self.settle(c)
    }
}

fn id_of(c: usize, old: bool) -> String {
    format!("{ID_OF}{c}{}", if old { "~" } else { "" })
}

/// CLIENT TRACKING ON with random options, or OFF.
fn tracking_command(r: &mut Rng) -> Argv {
    if r.chance(0.15) {
        return argv(&["CLIENT", "TRACKING", "OFF"]);
    }
    let mut a = argv(&["CLIENT", "TRACKING", pick(r, &["ON", "on"])]);
    if r.chance(0.4) {
        a.extend(argv(&["REDIRECT", &id_of(r.below(CLIENTS), r.chance(0.2))]));
    }
    if r.chance(0.3) {
        a.extend(argv(&["BCAST"]));
        for _ in 0..r.below(3) {
            a.extend(argv(&["PREFIX", pick(r, PREFIXES)]));
        }
    } else if r.chance(0.1) {
        // PREFIX without BCAST: an error.
        a.extend(argv(&["PREFIX", pick(r, PREFIXES)]));
    }
    match r.below(5) {
        0 => a.extend(argv(&["OPTIN"])),
        1 => a.extend(argv(&["OPTOUT"])),
        _ => {}
    }
    if r.chance(0.3) {
        a.extend(argv(&["NOLOOP"]));
    }
    a
}

/// A read of tracked keys.
fn read(r: &mut Rng) -> Argv {
    let k = pick(r, KEYS);
    match r.below(9) {
        0..=2 => argv(&["GET", k]),
        3 => argv(&["MGET", k, pick(r, KEYS)]),
        4 => argv(&["EXISTS", k]),
        5 => argv(&["STRLEN", k]),
        6 => argv(&["TTL", k]),
        7 => argv(&["TYPE", k]),
        _ => argv(&["HGET", k, "f"]),
    }
}

/// A write (or a keyspace-wide change) that invalidates.
fn write(r: &mut Rng) -> Argv {
    let k = pick(r, KEYS);
    match r.below(23) {
        0..=4 => argv(&["SET", k, pick(r, VALS)]),
        5 | 6 => argv(&["DEL", k]),
        7 => argv(&["INCR", k]),
        8 => argv(&["APPEND", k, "x"]),
        9 => argv(&["EXPIRE", k, "100"]),
        10 => argv(&["PERSIST", k]),
        // A past instant deletes the key.
        11 => argv(&["PEXPIREAT", k, "1"]),
        12 => argv(&["RENAME", k, pick(r, KEYS)]),
        13 => argv(&["HSET", k, "f", pick(r, VALS)]),
        14 => argv(&["LPUSH", k, "x"]),
        15 => argv(&["COPY", k, pick(r, KEYS), "REPLACE"]),
        16 => argv(&["MOVE", k, "1"]),
        17 => argv(&["SELECT", pick(r, &["0", "1"])]),
        18 => argv(&["SWAPDB", "0", "1"]),
        19 => argv(&[pick(r, &["FLUSHDB", "FLUSHALL"])]),
        20 => argv(&["GETDEL", k]),
        // Gone 1 ms later (the step waits): the next access expires it,
        // on both sides, active expiry being off.
        21 if r.chance(0.5) => argv(&["SET", k, pick(r, VALS), "PX", "1"]),
        _ => argv(&["SET", k, pick(r, VALS), "GET"]),
    }
}

/// A script or function call: reads of declared and undeclared keys,
/// writes, nothing at all.
fn script(r: &mut Rng, functions: bool) -> Argv {
    let (k, k2) = (pick(r, KEYS), pick(r, KEYS));
    if functions && r.chance(0.35) {
        return match r.below(4) {
            0 => argv(&["FCALL", "rd", "1", k]),
            1 => argv(&["FCALL", "wr", "1", k, pick(r, VALS)]),
            2 => argv(&["FCALL_RO", "rdro", "1", k]),
            _ => argv(&["FCALL", "rdro", "1", k]),
        };
    }
    let (cmd, body) = match r.below(7) {
        0 => ("EVAL", "return redis.call('GET', KEYS[1])"),
        1 => ("EVAL_RO", "return redis.call('GET', KEYS[1])"),
        2 => ("EVAL", "return redis.call('SET', KEYS[1], ARGV[1])"),
        // Reads a key it did not declare: the declared one is remembered.
        3 => ("EVAL", "return redis.call('GET', ARGV[1])"),
        4 => ("EVAL", "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('GET', KEYS[1])"),
        5 => ("EVAL", "return redis.call('EXISTS', KEYS[1], ARGV[1])"),
        _ => ("EVAL", "return 1"),
    };
    match r.below(3) {
        0 => argv(&[cmd, body, "0", k2]),
        1 => argv(&[cmd, body, "2", k, k2, k2]),
        _ => argv(&[cmd, body, "1", k, k2]),
    }
}

/// A CLIENT REPLY run: OFF or SKIP, commands, replies on again.
fn reply_run(r: &mut Rng, functions: bool) -> Vec<Argv> {
    let mut b = vec![];
    for _ in 0..r.range(1, 3) {
        b.push(argv(&["CLIENT", "REPLY", pick(r, &["OFF", "SKIP", "ON"])]));
        for _ in 0..r.range(0, 3) {
            b.push(match r.below(4) {
                0 => write(r),
                1 if functions => script(r, true),
                _ => read(r),
            });
        }
    }
    b.push(argv(&["CLIENT", "REPLY", "ON"]));
    b
}

/// Runs one scenario of `steps` steps.
pub fn scenario(srv: &RedisServer, avail: &Avail, seed: u64, steps: usize) -> Result<(), String> {
    let mut r = Rng::new(seed ^ 0x7ac4_1e55);
    let functions = avail.has("fcall") && avail.has("eval");
    let mut w = World::new(srv, &mut r, functions);
    run_steps(&mut w, &mut r, functions, steps)?;
    if let Some(p) = w.redlet.poisoned() {
        return Err(w.fail(format!("engine panicked: {p}")));
    }
    let redlet = &mut w.redlet;
    let res = compare_keyspace(srv, || redlet.dump());
    res.map_err(|m| w.fail(format!("final keyspace: {} {}", m.redis, m.note)))
}

fn run_steps(w: &mut World, r: &mut Rng, functions: bool, steps: usize) -> Result<(), String> {
    for _ in 0..steps {
        let free: Vec<usize> = (0..CLIENTS).filter(|&i| !w.monitor[i]).collect();
        if free.is_empty() || r.chance(0.03) {
            let c = r.below(CLIENTS);
            let three = r.chance(0.5);
            w.reconnect(c, three).map_err(|e| w.fail(e))?;
            continue;
        }
        let c = free[r.below(free.len())];
        let roll = r.below(100);
        let batch = if roll < 16 {
            count(4, 1);
            vec![tracking_command(r)]
        } else if roll < 22 {
            count(4, 1);
            vec![match r.below(4) {
                // CLIENT CACHING lasts one command: the next one goes in the
                // same write, before a server sees the end-of-output PING
                // (pipelined, so not while a client is in BCAST mode).
                0 if !w.bcast.iter().any(|&b| b) => {
                    let next = if functions && r.chance(0.3) { script(r, true) } else { read(r) };
                    w.run(c, &[argv(&["CLIENT", "CACHING", pick(r, &["YES", "NO"])]), next]).map_err(|e| w.fail(e))?;
                    continue;
                }
                1 => argv(&["CLIENT", "GETREDIR"]),
                2 => argv(&["CLIENT", "TRACKINGINFO"]),
                _ => argv(&[pick(r, &["SUBSCRIBE", "UNSUBSCRIBE"]), INVALIDATE]),
            }]
        } else if roll < 50 {
            vec![read(r)]
        } else if roll < 72 {
            vec![write(r)]
        } else if roll < 84 && functions {
            count(5, 1);
            vec![script(r, true)]
        } else if roll < 89 {
            vec![argv(&["MULTI"]), read(r), write(r), argv(&["EXEC"])]
        } else if roll < 94 && !w.bcast.iter().any(|&b| b) {
            count(3, 1);
            reply_run(r, functions)
        } else if roll < 96 {
            vec![argv(&["MONITOR"])]
        } else if roll < 98 {
            vec![match r.below(3) {
                0 => argv(&["RESET"]),
                1 => argv(&["HELLO", pick(r, &["2", "3"])]),
                _ => argv(&["PING", "hi"]),
            }]
        } else {
            vec![argv(&["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p:", "PREFIX", "k"])]
        };
        // MULTI's commands go one by one (each answered QUEUED).
        if batch.first().is_some_and(|a| a[0] == b"MULTI") {
            for a in batch {
                w.run(c, &[a]).map_err(|e| w.fail(e))?;
            }
        } else {
            w.run(c, &batch).map_err(|e| w.fail(e))?;
        }
    }
    Ok(())
}
