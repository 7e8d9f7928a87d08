//! Multi-client pub/sub scenarios: several clients on both sides, some in
//! RESP3 (HELLO 3), that (P|S)SUBSCRIBE and (P|S)UNSUBSCRIBE to a small pool
//! of channels and patterns while others PUBLISH / SPUBLISH and write keys
//! with `notify-keyspace-events KEA`, so keyspace notifications flow too.
//!
//! After every step both sides must agree on everything the acting client
//! got (its reply or replies, and any pushes before them) and on what every
//! other client received, in order. On a server the end of a client's
//! output is marked by a PING sent after it (answered `+PONG`, or
//! `["pong", ""]` by a RESP2 subscriber); on the engine it is the client's
//! outbox ([`super::clients`]). Where Redis's
//! order is unspecified the values are sorted first: PUBSUB CHANNELS /
//! SHARDCHANNELS replies, and the pmessages one publish delivers to one
//! client through several patterns (Redis walks its pattern dict).
#![allow(dead_code)]

use super::clients::Clients;
use super::gen::{Argv, Avail};
use super::multi::{argv, pick};
use super::redis::RedisServer;
use super::resp::{cli_line, show, V};
use super::rng::Rng;
use super::run::compare_keyspace;

/// Clients per scenario.
const CLIENTS: usize = 5;
/// Channels subscribed to and published on.
const CHANNELS: &[&str] = &["ch1", "ch2", "c11", "a1", "b", "__keyspace@0__:k1"];
/// Patterns.
const PATTERNS: &[&str] = &["ch*", "c?1", "[ab]*", "__keyspace@0__:*", "__keyevent@0__:*", "*"];
/// Keys written (keyspace notifications).
const KEYS: &[&str] = &["k1", "k2"];
/// Message payloads.
const MSGS: &[&str] = &["hi", "", "x\r\ny", "pong"];

thread_local! {
    /// Steps, publishes, values a subscriber received from others,
    /// (un)subscribe confirmations, PUBSUB queries, disconnects.
    static COUNTS: std::cell::RefCell<[u64; 6]> = const { std::cell::RefCell::new([0; 6]) };
}

fn count(i: usize, n: u64) {
    COUNTS.with(|c| c.borrow_mut()[i] += n);
}

/// What the pub/sub scenarios exercised so far.
pub fn counts() -> [u64; 6] {
    COUNTS.with(|c| *c.borrow())
}



fn kind_of(v: &V) -> Option<&[u8]> {
    match v {
        V::Array(x) | V::Push(x) => x.first().and_then(|k| k.bytes()),
        _ => None,
    }
}

/// Sorts each run of consecutive pmessages carrying the same channel and
/// payload (one publish matched several patterns of the client), also
/// inside arrays: Redis 7.0 writes a RESP3 client's own pushes raised
/// inside EXEC into the EXEC array, and redlet does the same.
fn normalize(vs: &mut [V]) {
    for v in vs.iter_mut() {
        if let V::Array(x) = v {
            normalize(x);
        }
    }
    let key = |v: &V| -> Option<(Vec<u8>, Vec<u8>)> {
        if kind_of(v) != Some(b"pmessage") {
            return None;
        }
        let x = v.items()?;
        Some((x.get(2)?.bytes()?.to_vec(), x.get(3)?.bytes()?.to_vec()))
    };
    // A run that starts at the end of an EXEC array and goes on after it
    // (Redis counted only part of the pushes in the array's length): sort
    // across the boundary, keeping how many sit inside.
    for i in 0..vs.len().saturating_sub(1) {
        let Some(k) = key(&vs[i + 1]) else { continue };
        let (inner, outer) = vs.split_at_mut(i + 1);
        let V::Array(x) = &mut inner[i] else { continue };
        let tail = x.iter().rev().take_while(|v| key(v).as_ref() == Some(&k)).count();
        if tail == 0 {
            continue;
        }
        let after = outer.iter().take_while(|v| key(v).as_ref() == Some(&k)).count();
        let start = x.len() - tail;
        let mut run: Vec<V> = x.drain(start..).chain(outer[..after].iter().cloned()).collect();
        run.sort();
        let rest = run.split_off(tail);
        x.extend(run);
        for (slot, v) in outer[..after].iter_mut().zip(rest) {
            *slot = v;
        }
    }
    let mut i = 0;
    while i < vs.len() {
        let Some(k) = key(&vs[i]) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < vs.len() && key(&vs[j]).as_ref() == Some(&k) {
            j += 1;
        }
        vs[i..j].sort();
        i = j;
    }
}

/// Sorts the reply of a command whose order Redis leaves unspecified:
/// PUBSUB CHANNELS / SHARDCHANNELS, and the channel names of an
/// unsubscribe-from-all (Redis walks the client's dict; the counts still
/// go down one by one).
fn sort_reply(a: &Argv, vs: &mut [V]) {
    let name = a[0].to_ascii_lowercase();
    if a.len() == 1 && name.ends_with(b"unsubscribe") {
        let idx: Vec<usize> = (0..vs.len()).filter(|&i| kind_of(&vs[i]) == Some(name.as_slice())).collect();
        let mut names: Vec<V> = idx.iter().filter_map(|&i| vs[i].items().and_then(|x| x.get(1)).cloned()).collect();
        names.sort();
        for (&i, n) in idx.iter().zip(names) {
            if let V::Array(x) | V::Push(x) = &mut vs[i] {
                if x.len() > 1 {
                    x[1] = n;
                }
            }
        }
    }
    let unordered = a.len() >= 2
        && a[0].eq_ignore_ascii_case(b"pubsub")
        && (a[1].eq_ignore_ascii_case(b"channels") || a[1].eq_ignore_ascii_case(b"shardchannels"));
    if unordered {
        for v in vs.iter_mut() {
            if let V::Array(x) | V::Set(x) = v {
                x.sort();
            }
        }
    }
}

/// HELLO's reply with the client id zeroed (ids differ between the sides).
pub fn mask_hello(vs: &mut [V]) {
    for v in vs.iter_mut() {
        match v {
            V::Map(kv) => {
                for (k, v) in kv.iter_mut() {
                    if k.bytes() == Some(b"id") {
                        *v = V::Int(0);
                    }
                }
            }
            V::Array(x) => {
                for i in (0..x.len().saturating_sub(1)).step_by(2) {
                    if x[i].bytes() == Some(b"id") {
                        x[i + 1] = V::Int(0);
                    }
                }
            }
            _ => {}
        }
    }
}

fn show_all(vs: &[V]) -> String {
    if vs.is_empty() {
        return "(nothing)".into();
    }
    vs.iter().map(show).collect::<Vec<_>>().join(", ")
}

struct World {
    redis: Clients,
    redlet: Clients,
    resp3: Vec<bool>,
    /// Inside MULTI (the PING end marker would be queued).
    in_multi: Vec<bool>,
    log: Vec<String>,
}

impl World {
    fn new(srv: &RedisServer, r: &mut Rng) -> World {
        let (mut redis, mut redlet) = (Clients::redis(srv), Clients::redlet(srv));
        redis.control(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
        redlet.control(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
        let mut resp3 = vec![];
        for _ in 0..CLIENTS {
            let three = r.chance(0.4);
            redis.add(three);
            redlet.add(three);
            resp3.push(three);
        }
        World { redis, redlet, resp3, in_multi: vec![false; CLIENTS], log: vec![] }
    }

    fn fail(&self, what: String) -> String {
        super::multi::report(&self.log, &what)
    }

    /// Client `c` runs a command; then every client's output is compared.
    fn command(&mut self, c: usize, a: &Argv) -> Result<(), String> {
        self.log.push(format!("c{c}{}: {}", if self.resp3[c] { " (resp3)" } else { "" }, cli_line(a)));
        count(0, 1);
        let name = a[0].to_ascii_lowercase();
        // One reply (queued, or the MULTI's OK); no pushes can come
        // between, since every other client is idle.
        let one = (self.in_multi[c] && name != b"exec" && name != b"discard") || name == b"multi";
        let mut got_r = self.redis.exchange(c, a, one);
        let mut got_l = self.redlet.exchange(c, a, one);
        if name == b"hello" {
            mask_hello(&mut got_r);
            mask_hello(&mut got_l);
            if let Some(V::Map(_)) = got_r.first() {
                self.resp3[c] = true;
            } else if let Some(V::Array(_)) = got_r.first() {
                self.resp3[c] = false;
            }
        }
        match name.as_slice() {
            b"reset" => {
                self.in_multi[c] = false;
                self.resp3[c] = false;
            }
            b"multi" => self.in_multi[c] = got_r.first() == Some(&V::Simple(b"OK".to_vec())) || self.in_multi[c],
            b"exec" | b"discard" => self.in_multi[c] = false,
            _ => {}
        }
        sort_reply(a, &mut got_r);
        sort_reply(a, &mut got_l);
        normalize(&mut got_r);
        normalize(&mut got_l);
        self.log.push(format!("  -> redis {} / redlet {}", show_all(&got_r), show_all(&got_l)));
        if got_r != got_l {
            return Err(format!("c{c} {}: redis {} / redlet {}", cli_line(a), show_all(&got_r), show_all(&got_l)));
        }
        if name == b"publish" || name == b"spublish" {
            count(1, 1);
        }
        if name.ends_with(b"subscribe") {
            count(3, got_r.len() as u64);
        }
        if name == b"pubsub" {
            count(4, 1);
        }
        self.settle(Some(c))
    }

    /// Compares what every other client received.
    fn settle(&mut self, acting: Option<usize>) -> Result<(), String> {
        for i in 0..CLIENTS {
            if Some(i) == acting || self.in_multi[i] {
                continue;
            }
            let mut vr = self.redis.drain(i);
            let mut vl = self.redlet.drain(i);
            normalize(&mut vr);
            normalize(&mut vl);
            if !vr.is_empty() || !vl.is_empty() {
                self.log.push(format!("  -> c{i} received: redis {} / redlet {}", show_all(&vr), show_all(&vl)));
            }
            if vr != vl {
                return Err(format!("c{i} received: redis {} / redlet {}", show_all(&vr), show_all(&vl)));
            }
            count(2, vr.len() as u64);
        }
        Ok(())
    }

    /// Client `c` disconnects; a new client (maybe RESP3) takes its slot.
    fn reconnect(&mut self, c: usize, resp3: bool) -> Result<(), String> {
        self.log.push(format!("(c{c} disconnects; a new{} client takes its place)", if resp3 { " resp3" } else { "" }));
        count(5, 1);
        self.redis.replace(c, resp3)?;
        self.redlet.replace(c, resp3)?;
        self.resp3[c] = resp3;
        self.in_multi[c] = false;
        self.settle(None)
    }
}

/// Some channels (or patterns), maybe none.
fn some(r: &mut Rng, pool: &[&str], min: usize) -> Vec<String> {
    (0..r.range(min as i64, 3)).map(|_| pick(r, pool).to_string()).collect()
}

fn with(head: &[&str], rest: Vec<String>) -> Argv {
    let mut a = argv(head);
    a.extend(rest.into_iter().map(String::into_bytes));
    a
}

/// A key write (keyspace notifications), or a read.
fn key_command(r: &mut Rng) -> Argv {
    let k = pick(r, KEYS);
    match r.below(8) {
        0 | 1 => argv(&["SET", k, pick(r, MSGS)]),
        2 => argv(&["DEL", k, pick(r, KEYS)]),
        3 => argv(&["LPUSH", k, "x"]),
        4 => argv(&["INCR", k]),
        5 => argv(&["EXPIRE", k, "100"]),
        6 => argv(&["HSET", k, "f", "v"]),
        _ => argv(&["GET", k]),
    }
}

fn publish(r: &mut Rng) -> Argv {
    let cmd = if r.chance(0.25) { "SPUBLISH" } else { "PUBLISH" };
    argv(&[cmd, pick(r, CHANNELS), pick(r, MSGS)])
}

/// One pub/sub command.
fn pubsub_command(r: &mut Rng) -> Argv {
    match r.below(20) {
        0..=3 => with(&["SUBSCRIBE"], some(r, CHANNELS, 1)),
        4..=6 => with(&["PSUBSCRIBE"], some(r, PATTERNS, 1)),
        7 | 8 => with(&["SSUBSCRIBE"], some(r, CHANNELS, 1)),
        9 | 10 => with(&["UNSUBSCRIBE"], some(r, CHANNELS, 0)),
        11 | 12 => with(&["PUNSUBSCRIBE"], some(r, PATTERNS, 0)),
        13 => with(&["SUNSUBSCRIBE"], some(r, CHANNELS, 0)),
        14 => with(&["PUBSUB", "CHANNELS"], if r.chance(0.5) { vec![pick(r, PATTERNS).to_string()] } else { vec![] }),
        15 => with(&["PUBSUB", "NUMSUB"], some(r, CHANNELS, 0)),
        16 => argv(&["PUBSUB", "NUMPAT"]),
        17 => with(&["PUBSUB", "SHARDCHANNELS"], if r.chance(0.5) { vec![pick(r, PATTERNS).to_string()] } else { vec![] }),
        18 => with(&["PUBSUB", "SHARDNUMSUB"], some(r, CHANNELS, 0)),
        _ => argv(&["PUBSUB", "NUMPAT"]),
    }
}

/// Runs one pub/sub scenario of `steps` steps.
pub fn scenario(srv: &RedisServer, avail: &Avail, seed: u64, steps: usize) -> Result<(), String> {
    let mut r = Rng::new(seed ^ 0x5eed_9b5b);
    let mut w = World::new(srv, &mut r);
    run_steps(&mut w, &mut r, avail, steps)?;
    if let Some(p) = w.redlet.poisoned() {
        return Err(w.fail(format!("engine panicked: {p}")));
    }
    let redlet = &mut w.redlet;
    let res = compare_keyspace(srv, || redlet.dump());
    res.map_err(|m| w.fail(format!("final keyspace: {} {}", m.redis, m.note)))
}

fn run_steps(w: &mut World, r: &mut Rng, avail: &Avail, steps: usize) -> Result<(), String> {
    let has_multi = avail.has("multi");
    for _ in 0..steps {
        let c = r.below(CLIENTS);
        let roll = r.below(100);
        if roll < 45 {
            let a = pubsub_command(r);
            w.command(c, &a).map_err(|e| w.fail(e))?;
        } else if roll < 72 {
            let a = publish(r);
            w.command(c, &a).map_err(|e| w.fail(e))?;
        } else if roll < 92 {
            let a = key_command(r);
            w.command(c, &a).map_err(|e| w.fail(e))?;
        } else if roll < 94 {
            // Protocol switches, RESET (leaves every subscription, back to
            // RESP2) and PING with a payload (a RESP2 subscriber answers
            // ["pong", payload]; the harness's bare PING marker stays apart).
            let a = match r.below(4) {
                0 if avail.has("reset") => argv(&["RESET"]),
                1 if avail.has("hello") => argv(&["HELLO", pick(r, &["2", "3"])]),
                _ => argv(&["PING", pick(r, &["hi", "pong"])]),
            };
            w.command(c, &a).map_err(|e| w.fail(e))?;
        } else if roll < 97 && has_multi {
            let body = [publish(r), key_command(r)];
            for a in [argv(&["MULTI"]), body[0].clone(), body[1].clone(), argv(&["EXEC"])] {
                w.command(c, &a).map_err(|e| w.fail(e))?;
            }
        } else {
            let three = r.chance(0.4);
            w.reconnect(c, three).map_err(|e| w.fail(e))?;
        }
    }
    Ok(())
}
