//! Multi-client ACL scenarios: random users (random command, category,
//! first-argument, key-pattern with `%R~`/`%W~`, channel-pattern and
//! selector rules) are created on both sides; clients AUTH as them and run
//! random commands over keys and channels inside and outside their
//! patterns, inside MULTI and inside scripts, while the users' rules change
//! under them. Every reply (allowed or NOPERM, ACL DRYRUN's verdicts) and
//! every message must be equal, and so must ACL GETUSER and ACL LOG at the
//! end (less client-info and age, and with the single-command rules of a
//! description sorted: Redis emits those in its command dict's hash order,
//! which changes with every process's seed).
#![allow(dead_code)]

use super::clients::Clients;
use super::gen::Argv;
use super::multi::{argv, pick};
use super::redis::RedisServer;
use super::resp::{cli_line, show, V};
use super::rng::Rng;

/// Clients per scenario.
const CLIENTS: usize = 3;
/// Users (all with password `pw`).
const USERS: &[&str] = &["u0", "u1", "u2"];
/// Every user keeps PING: on a server the harness marks the end of a
/// client's output with one.
const PING: &str = "+ping";
/// Keys the commands name.
const KEYS: &[&str] = &["a:1", "a:2", "b:1", "ab", "x"];
/// Channels published and subscribed to.
const CHANNELS: &[&str] = &["ch1", "a:ch", "x"];
/// Command rules.
const CMD_RULES: &[&str] = &[
    "+@all", "-@all", "+@read", "+@write", "-@write", "-@dangerous", "+@string", "-@string", "+@hash", "+@list", "+@pubsub", "-@pubsub",
    "+@scripting", "+@keyspace", "-@keyspace", "+@transaction", "+@connection", "+get", "-get", "+set", "-set", "+eval", "+lmove", "+copy",
    "+acl|whoami", "+acl|dryrun", "-acl", "+client|id", "+object|encoding", "+select|0", "+publish", "+subscribe", "nocommands",
    "allcommands",
];
/// Key rules.
const KEY_RULES: &[&str] = &["~a:*", "%R~b:*", "%W~x", "%RW~a*", "~[ab]*", "allkeys", "resetkeys", "%R~*"];
/// Channel rules.
const CHANNEL_RULES: &[&str] = &["&ch*", "&a:*", "&x", "allchannels", "resetchannels"];

thread_local! {
    /// Commands run by clients, NOPERM refusals among them, other errors.
    static COUNTS: std::cell::RefCell<[u64; 3]> = const { std::cell::RefCell::new([0; 3]) };
}

/// What the ACL scenarios exercised so far: commands, NOPERM refusals,
/// other errors.
pub fn counts() -> [u64; 3] {
    COUNTS.with(|c| *c.borrow())
}



/// A random set of user rules: flags, commands, keys, channels, maybe a
/// selector.
fn user_rules(r: &mut Rng) -> Vec<String> {
    let mut v = vec![String::from("on"), String::from(">pw")];
    if r.chance(0.3) {
        v.push(String::from("reset"));
        v.push(String::from("on"));
        v.push(String::from(">pw"));
    }
    for _ in 0..r.below(5) + 1 {
        v.push(String::from(pick(r, CMD_RULES)));
    }
    for _ in 0..r.below(3) {
        v.push(String::from(pick(r, KEY_RULES)));
    }
    for _ in 0..r.below(3) {
        v.push(String::from(pick(r, CHANNEL_RULES)));
    }
    if r.chance(0.3) {
        v.push(format!("({} {})", pick(r, KEY_RULES), pick(r, CMD_RULES)));
    }
    v
}

/// A command over the key and channel pools.
fn command(r: &mut Rng) -> Argv {
    let k = pick(r, KEYS);
    let k2 = pick(r, KEYS);
    match r.below(22) {
        0 | 1 => argv(&["GET", k]),
        2 | 3 => argv(&["SET", k, "v"]),
        4 => argv(&["SET", k, "v", "GET"]),
        5 => argv(&["DEL", k, k2]),
        6 => argv(&["MGET", k, k2]),
        7 => argv(&["HSET", k, "f", "v"]),
        8 => argv(&["LPUSH", k, "e"]),
        9 => argv(&["LMOVE", k, k2, "LEFT", "RIGHT"]),
        10 => argv(&["COPY", k, k2, "REPLACE"]),
        11 => argv(&["EXISTS", k]),
        12 => argv(&["SORT", k, "STORE", k2]),
        13 => argv(&["PUBLISH", pick(r, CHANNELS), "m"]),
        14 => argv(&["EVAL", "return redis.pcall('get', KEYS[1])", "1", k]),
        15 => argv(&["EVAL", "return redis.pcall('set', ARGV[1], 'v')", "0", k]),
        16 => argv(&["ACL", "WHOAMI"]),
        17 => argv(&["ACL", "DRYRUN", pick(r, USERS), "get", k]),
        18 => argv(&["OBJECT", "ENCODING", k]),
        19 => argv(&["SELECT", pick(r, &["0", "1"])]),
        20 => argv(&["CONFIG", "GET", "maxmemory"]),
        _ => argv(&["ACL", "DRYRUN", pick(r, USERS), "publish", pick(r, CHANNELS), "m"]),
    }
}

/// Single-command rules of a description, sorted (their order is Redis's
/// hash order); the rest of the text is kept.
fn sort_rules(text: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(text);
    let mut out: Vec<String> = Vec::new();
    for part in s.split(" (") {
        let mut toks: Vec<&str> = part.split(' ').collect();
        toks.sort_unstable();
        out.push(toks.join(" "));
    }
    out.join(" (").into_bytes()
}

/// ACL GETUSER / LIST / LOG replies made comparable: rule lists sorted,
/// ACL LOG's client-info and age dropped.
fn normalize(v: &mut V) {
    match v {
        V::Bulk(b) if b.starts_with(b"user ") || b.starts_with(b"-@all") || b.starts_with(b"+@all") => *b = sort_rules(b),
        V::Map(kv) => {
            kv.retain(|(k, _)| !matches!(k, V::Bulk(k) if k == b"client-info" || k == b"age-seconds"));
            for (k, v) in kv.iter_mut() {
                normalize(k);
                normalize(v);
            }
        }
        V::Array(xs) | V::Set(xs) | V::Push(xs) => {
            let mut i = 0;
            while i < xs.len() {
                let drop = matches!(&xs[i], V::Bulk(k) if k == b"client-info" || k == b"age-seconds");
                if drop && i + 1 < xs.len() {
                    xs.drain(i..i + 2);
                    continue;
                }
                normalize(&mut xs[i]);
                i += 1;
            }
        }
        _ => {}
    }
}

fn show_all(vs: &[V]) -> String {
    vs.iter().map(show).collect::<Vec<_>>().join(" ")
}

struct World {
    redis: Clients,
    redlet: Clients,
    in_multi: Vec<bool>,
    subscribed: Vec<bool>,
    /// Clients opened so far.
    added: usize,
    log: Vec<String>,
}

impl World {
    fn fail(&self, what: String) -> String {
        super::multi::report(&self.log, &what)
    }

    /// The same setup command on both sides, replies compared.
    fn control(&mut self, a: &[&str]) -> Result<(), String> {
        let mut vr = self.redis.control(a);
        let mut vl = self.redlet.control(a);
        normalize(&mut vr);
        normalize(&mut vl);
        self.log.push(format!("control: {} -> {}", a.join(" "), show(&vr)));
        if vr != vl {
            return Err(format!("control {}: redis {} / redlet {}", a.join(" "), show(&vr), show(&vl)));
        }
        Ok(())
    }

    /// Client `c` runs a command; its output and everyone else's compared.
    fn command(&mut self, c: usize, a: &Argv) -> Result<(), String> {
        self.log.push(format!("c{c}: {}", cli_line(a)));
        let name = a[0].to_ascii_lowercase();
        let one = (self.in_multi[c] && name != b"exec" && name != b"discard") || name == b"multi";
        let mut got_r = self.redis.exchange(c, a, one);
        let mut got_l = self.redlet.exchange(c, a, one);
        got_r.iter_mut().for_each(normalize);
        got_l.iter_mut().for_each(normalize);
        match name.as_slice() {
            b"multi" => self.in_multi[c] = got_r.first() == Some(&V::Simple(b"OK".to_vec())) || self.in_multi[c],
            b"exec" | b"discard" => self.in_multi[c] = false,
            b"subscribe" | b"psubscribe" => self.subscribed[c] = true,
            _ => {}
        }
        self.log.push(format!("  -> redis {} / redlet {}", show_all(&got_r), show_all(&got_l)));
        COUNTS.with(|n| {
            let mut n = n.borrow_mut();
            n[0] += 1;
            for v in &got_r {
                match v {
                    V::Err(e) if e.starts_with(b"NOPERM") || e.starts_with(b"ERR The user executing") => n[1] += 1,
                    V::Err(_) => n[2] += 1,
                    _ => {}
                }
            }
        });
        if got_r != got_l {
            return Err(format!("c{c} {}: redis {} / redlet {}", cli_line(a), show_all(&got_r), show_all(&got_l)));
        }
        for i in 0..self.added {
            if i == c || self.in_multi[i] {
                continue;
            }
            let (vr, vl) = (self.redis.drain(i), self.redlet.drain(i));
            if vr != vl {
                return Err(format!("c{i} received: redis {} / redlet {}", show_all(&vr), show_all(&vl)));
            }
        }
        Ok(())
    }
}

/// Runs one ACL scenario of `steps` steps against `srv`.
pub fn scenario(srv: &RedisServer, seed: u64, steps: usize) -> Result<(), String> {
    let mut r = Rng::new(seed ^ 0xac1_5eed);
    let mut w = World { redis: Clients::redis(srv), redlet: Clients::redlet(srv), in_multi: vec![false; CLIENTS], subscribed: vec![false; CLIENTS], added: 0, log: vec![] };
    // Servers outlive a scenario (redis-server always; redlet's side too
    // with REDLET_DIFF_TARGET): no users or log from another one, before
    // and after.
    let mut cleanup = vec!["ACL", "DELUSER"];
    cleanup.extend_from_slice(USERS);
    for side in [&mut w.redis, &mut w.redlet] {
        side.control(&cleanup);
        side.control(&["ACL", "LOG", "RESET"]);
    }
    let res = run(&mut w, &mut r, steps);
    for side in [&mut w.redis, &mut w.redlet] {
        side.control(&cleanup);
        side.control(&["ACL", "LOG", "RESET"]);
    }
    res.map_err(|e| w.fail(e))
}

fn run(w: &mut World, r: &mut Rng, steps: usize) -> Result<(), String> {
    w.control(&["ACL", "LOG", "RESET"])?;
    for u in USERS {
        let rules = user_rules(r);
        let mut a = vec!["ACL", "SETUSER", u];
        a.extend(rules.iter().map(String::as_str));
        a.push(PING);
        w.control(&a)?;
        w.control(&["ACL", "GETUSER", u])?;
    }
    w.control(&["ACL", "LIST"])?;
    for c in 0..CLIENTS {
        w.redis.add(false);
        w.redlet.add(false);
        w.added += 1;
        let auth = argv(&["AUTH", pick(r, USERS), if r.chance(0.9) { "pw" } else { "wrong" }]);
        w.command(c, &auth)?;
    }
    for _ in 0..steps {
        let c = r.below(CLIENTS);
        let roll = r.below(100);
        if w.subscribed[c] {
            // A RESP2 subscriber may only (un)subscribe or PING.
            let a = argv(&["UNSUBSCRIBE"]);
            w.command(c, &a)?;
            let a = argv(&["PUNSUBSCRIBE"]);
            w.command(c, &a)?;
            w.subscribed[c] = false;
            continue;
        }
        if roll < 70 {
            let a = command(r);
            w.command(c, &a)?;
        } else if roll < 78 {
            let a = if r.chance(0.5) { argv(&["SUBSCRIBE", pick(r, CHANNELS)]) } else { argv(&["PSUBSCRIBE", pick(r, &["ch*", "a:*", "x"])]) };
            w.command(c, &a)?;
        } else if roll < 86 {
            // A transaction, maybe with the user's rules changed before EXEC.
            w.command(c, &argv(&["MULTI"]))?;
            let (a, b) = (command(r), command(r));
            w.command(c, &a)?;
            w.command(c, &b)?;
            if r.chance(0.4) {
                let u = pick(r, USERS);
                let rule = pick(r, CMD_RULES);
                w.control(&["ACL", "SETUSER", u, rule, PING])?;
            }
            w.command(c, &argv(&["EXEC"]))?;
        } else if roll < 93 {
            // Command or key rules change (channel rules would close
            // subscribers, which the scenario does not follow).
            let u = pick(r, USERS);
            let rule = if r.chance(0.6) { pick(r, CMD_RULES) } else { pick(r, KEY_RULES) };
            w.control(&["ACL", "SETUSER", u, rule, PING])?;
            w.control(&["ACL", "GETUSER", u])?;
        } else {
            let a = argv(&["AUTH", pick(r, USERS), if r.chance(0.85) { "pw" } else { "nope" }]);
            w.command(c, &a)?;
        }
    }
    w.control(&["ACL", "LIST"])?;
    w.control(&["ACL", "LOG"])?;
    Ok(())
}
