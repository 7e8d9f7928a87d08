//! One side's clients in a multi-client scenario: TCP connections to a
//! server ([`Tcp`]: Redis always, redlet too when its side is remote) or
//! clients of an in-process engine ([`Local`]). Both answer the questions
//! the scenarios ask the same way, so a scenario calls each function once
//! per side: run a command (it answers or blocks), which clients are
//! blocked, what blocked clients were served, what a client was sent,
//! replace a client.
//!
//! A server's blocked clients are observed through `INFO clients`
//! (`blocked_clients`) and `CLIENT LIST` (flag `b`), on a control
//! connection that is none of the scenario's clients; the end of what a
//! server sent a client is marked by a PING ([`Conn::drain`]). A server
//! drives its own timers: waiting for a timeout is reading with a deadline.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use redlet::{ClientId, ClientInfo};

use super::gen::Argv;
use super::redis::{Conn, RedisServer};
use super::resp::{self, show, V};
use super::run::{catch, redis_dump, remote, reset, Dump, Redlet};

/// What happened to the client that sent a command.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Reply(V),
    Blocked,
}

/// One side's clients, by index: a scenario's client `c` is index `c` on
/// both sides.
pub enum Clients {
    /// Connections to a server.
    Tcp(Tcp),
    /// Clients of an in-process engine.
    Local(Box<Local>),
}

/// Clients connected to a server.
pub struct Tcp {
    /// `redis` or `redlet`, for messages.
    who: &'static str,
    addr: String,
    /// CLIENT LIST, INFO: never one of the scenario's clients.
    ctl: Conn,
    conns: Vec<Conn>,
    /// Each client's CLIENT ID.
    ids: Vec<i64>,
}

/// Clients of a fresh engine.
pub struct Local {
    redlet: Redlet,
    ids: Vec<ClientId>,
}

fn harness_err(what: String) -> V {
    V::Err(format!("HARNESS {what}").into_bytes())
}

/// The connection's CLIENT ID.
fn client_id(c: &mut Conn) -> i64 {
    match c.must(&["CLIENT", "ID"]) {
        V::Int(n) => n,
        v => panic!("CLIENT ID answered {}", show(&v)),
    }
}

/// Ids of the clients a server reports as blocked (flag `b` in CLIENT
/// LIST), and every id it lists.
fn listed_clients(ctl: &mut Conn) -> (Vec<i64>, Vec<i64>) {
    let list = ctl.must(&["CLIENT", "LIST"]);
    let text = String::from_utf8_lossy(list.bytes().unwrap_or_default()).into_owned();
    let (mut blocked, mut all) = (vec![], vec![]);
    for line in text.lines() {
        let mut id = None;
        let mut flags = "";
        for f in line.split(' ') {
            if let Some(v) = f.strip_prefix("id=") {
                id = v.parse().ok();
            } else if let Some(v) = f.strip_prefix("flags=") {
                flags = v;
            }
        }
        if let Some(id) = id {
            all.push(id);
            if flags.contains('b') {
                blocked.push(id);
            }
        }
    }
    (blocked, all)
}

/// `blocked_clients` of `INFO clients`.
fn blocked_count(ctl: &mut Conn) -> i64 {
    let info = ctl.must(&["INFO", "clients"]);
    let text = String::from_utf8_lossy(info.bytes().unwrap_or_default()).into_owned();
    text.lines().find_map(|l| l.strip_prefix("blocked_clients:")).and_then(|v| v.trim().parse().ok()).unwrap_or(-1)
}

impl Clients {
    /// No clients yet on Redis, after a [`reset`].
    pub fn redis(srv: &RedisServer) -> Clients {
        Clients::Tcp(Tcp::new("redis", srv.addr(), srv))
    }

    /// No clients yet on redlet's side: a fresh engine, or the remote
    /// server after a [`reset`] to `srv`'s defaults.
    pub fn redlet(srv: &RedisServer) -> Clients {
        match remote() {
            Some(addr) => Clients::Tcp(Tcp::new("redlet", addr, srv)),
            None => Clients::Local(Box::new(Local { redlet: Redlet::new(), ids: vec![] })),
        }
    }

    /// A command outside the scenario's clients (setup).
    pub fn control(&mut self, argv: &[&str]) -> V {
        match self {
            Clients::Tcp(t) => t.ctl.must(argv),
            Clients::Local(l) => l.redlet.exec(&argv.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>()),
        }
    }

    /// A new client (switched to RESP3 if `resp3`) at the next index.
    pub fn add(&mut self, resp3: bool) {
        match self {
            Clients::Tcp(t) => {
                let (c, id) = t.open(resp3);
                t.conns.push(c);
                t.ids.push(id);
            }
            Clients::Local(l) => {
                let id = l.open(resp3);
                l.ids.push(id);
            }
        }
    }

    /// Client `c` switches to RESP3.
    pub fn hello3(&mut self, c: usize) {
        match self {
            Clients::Tcp(t) => {
                t.conns[c].must(&["HELLO", "3"]);
            }
            Clients::Local(l) => {
                let _ = l.redlet.exec_as(l.ids[c], &[b"HELLO".to_vec(), b"3".to_vec()]);
            }
        }
    }

    /// The id client `c` has on this side (for CLIENT UNBLOCK).
    pub fn id(&self, c: usize) -> u64 {
        match self {
            Clients::Tcp(t) => t.ids[c] as u64,
            Clients::Local(l) => l.ids[c],
        }
    }

    /// Client `c` disconnects and a new client (RESP3 if `resp3`) takes its
    /// index; on a server, once the server no longer lists the old one.
    pub fn replace(&mut self, c: usize, resp3: bool) -> Result<(), String> {
        match self {
            Clients::Tcp(t) => {
                let old = t.ids[c];
                let (fresh, id) = t.open(resp3);
                t.ids[c] = id;
                drop(std::mem::replace(&mut t.conns[c], fresh));
                let deadline = Instant::now() + Duration::from_secs(5);
                while listed_clients(&mut t.ctl).1.contains(&old) {
                    if Instant::now() > deadline {
                        return Err(format!("{} did not notice a closed connection within 5s", t.who));
                    }
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
            Clients::Local(l) => {
                let id = l.open(resp3);
                l.redlet.eng.close_client(l.ids[c]);
                l.ids[c] = id;
            }
        }
        Ok(())
    }

    // ------------------------------------------------- blocking commands

    /// Client `c` sends a command: its reply, or `Blocked` (on a server:
    /// once more than `before` clients are blocked).
    pub fn run(&mut self, c: usize, argv: &Argv, before: usize) -> Result<Outcome, String> {
        match self {
            Clients::Tcp(t) => {
                let who = t.who;
                let conn = &mut t.conns[c];
                conn.send(argv).map_err(|e| format!("{who} send: {e}"))?;
                let deadline = Instant::now() + Duration::from_secs(10);
                loop {
                    match conn.poll(Duration::from_millis(1)) {
                        Ok(Some(v)) => return Ok(Outcome::Reply(v)),
                        Ok(None) => {}
                        Err(e) => return Ok(Outcome::Reply(harness_err(format!("{who} read: {e}")))),
                    }
                    if blocked_count(&mut t.ctl) > before as i64 {
                        return Ok(Outcome::Blocked);
                    }
                    if Instant::now() > deadline {
                        return Err(format!("{who} neither answered nor blocked within 10s"));
                    }
                }
            }
            Clients::Local(l) => Ok(match l.redlet.exec_as(l.ids[c], argv) {
                Some(v) => Outcome::Reply(v),
                None => Outcome::Blocked,
            }),
        }
    }

    /// Which clients are blocked.
    pub fn blocked(&mut self) -> Vec<bool> {
        match self {
            Clients::Tcp(t) => {
                let (blocked, _) = listed_clients(&mut t.ctl);
                t.ids.iter().map(|id| blocked.contains(id)).collect()
            }
            Clients::Local(l) => l.ids.iter().map(|&id| l.redlet.eng.is_blocked(id)).collect(),
        }
    }

    /// Replies sent to blocked clients since the last call, by index: on a
    /// server, those of the clients other than `acting` that `was` blocked
    /// and `now` are not; on the engine, its woken clients' output.
    pub fn served(&mut self, was: &[bool], now: &[bool], acting: Option<usize>) -> BTreeMap<usize, Vec<V>> {
        let mut out: BTreeMap<usize, Vec<V>> = BTreeMap::new();
        match self {
            Clients::Tcp(t) => {
                for i in 0..t.conns.len() {
                    if Some(i) != acting && was[i] && !now[i] {
                        let conn = &mut t.conns[i];
                        conn.set_read_timeout(Duration::from_secs(5));
                        let v = conn.recv().unwrap_or_else(|e| harness_err(format!("{} read: {e}", t.who)));
                        conn.set_read_timeout(Duration::from_secs(20));
                        out.entry(i).or_default().push(v);
                    }
                }
            }
            Clients::Local(l) => out = l.woken(),
        }
        out
    }

    /// The reply client `c`, blocked with a short timeout, gets when the
    /// timeout passes (within 5 s). The engine is ticked meanwhile, and
    /// must wake no other client.
    pub fn timed_out(&mut self, c: usize) -> Result<V, String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        match self {
            Clients::Tcp(t) => loop {
                match t.conns[c].poll(Duration::from_millis(5)) {
                    Ok(Some(v)) => return Ok(v),
                    Ok(None) if Instant::now() < deadline => {}
                    Ok(None) => return Err(format!("{} did not time out c{c} within 5s", t.who)),
                    Err(e) => return Err(format!("{} read: {e}", t.who)),
                }
            },
            Clients::Local(l) => {
                while Instant::now() < deadline {
                    l.redlet.eng.tick();
                    let mut w = l.woken();
                    if let Some(v) = w.remove(&c) {
                        if !w.is_empty() {
                            return Err(format!("other clients woken by a timeout: {:?}", w.keys().collect::<Vec<_>>()));
                        }
                        return v.into_iter().next().ok_or_else(|| format!("redlet woke c{c} without a reply"));
                    }
                    if !w.is_empty() {
                        return Err(format!("wrong clients woken by the timeout: {:?}", w.keys().collect::<Vec<_>>()));
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(format!("redlet did not time out c{c} within 5s"))
            }
        }
    }

    // ------------------------------------------------------------ pub/sub

    /// Client `c` sends a command; everything it gets back, pushes
    /// included. `one`: exactly one reply is read (a command queued inside
    /// MULTI, where the end-of-output PING would be queued too).
    pub fn exchange(&mut self, c: usize, argv: &Argv, one: bool) -> Vec<V> {
        match self {
            Clients::Tcp(t) => {
                let conn = &mut t.conns[c];
                if let Err(e) = conn.send(argv) {
                    return vec![harness_err(format!("send: {e}"))];
                }
                // The first value is read before the end-of-output PING
                // goes out: a server then has finished the command's turn
                // of its event loop (BCAST invalidations, written before
                // it sleeps, are out too), whatever the timing.
                let first = conn.recv().unwrap_or_else(|e| harness_err(format!("{} read: {e}", t.who)));
                let mut out = vec![first];
                if !one {
                    out.extend(conn.drain());
                }
                out
            }
            Clients::Local(l) => {
                let refs: Vec<&[u8]> = argv.iter().map(|x| x.as_slice()).collect();
                let id = l.ids[c];
                let eng = &mut l.redlet.eng;
                let mut out = match catch(|| eng.execute(id, &refs)) {
                    Ok(Some(reply)) => l.render_all(id, &reply),
                    Ok(None) => vec![V::Simple(b"<redlet blocked the client>".to_vec())],
                    Err(msg) => {
                        l.redlet.poisoned = Some(msg.clone());
                        vec![V::Err(format!("PANIC {msg}").into_bytes())]
                    }
                };
                out.extend(l.drain(c));
                out
            }
        }
    }

    /// Client `c` sends several commands back to back (a CLIENT REPLY
    /// OFF/SKIP run that ends with replies on again); everything it gets
    /// back, in order.
    pub fn exchange_batch(&mut self, c: usize, batch: &[Argv]) -> Vec<V> {
        match self {
            Clients::Tcp(t) => {
                let conn = &mut t.conns[c];
                for a in batch {
                    if let Err(e) = conn.send(a) {
                        return vec![harness_err(format!("send: {e}"))];
                    }
                }
                conn.drain()
            }
            Clients::Local(_) => batch.iter().flat_map(|a| self.exchange(c, a, false)).collect(),
        }
    }

    /// Everything client `c` was sent and has not read yet.
    pub fn drain(&mut self, c: usize) -> Vec<V> {
        match self {
            Clients::Tcp(t) => t.conns[c].drain(),
            Clients::Local(l) => l.drain(c),
        }
    }

    // ------------------------------------------------------------ the end

    /// Why the engine is not trusted any more, if it panicked.
    pub fn poisoned(&self) -> Option<&str> {
        match self {
            Clients::Tcp(_) => None,
            Clients::Local(l) => l.redlet.poisoned.as_deref(),
        }
    }

    /// Every key of every db (see [`super::run::compare_keyspace`]).
    pub fn dump(&mut self) -> Result<Dump, String> {
        match self {
            Clients::Tcp(t) => Ok(redis_dump(&mut t.connect())),
            Clients::Local(l) => l.redlet.dump(),
        }
    }
}

impl Tcp {
    fn new(who: &'static str, addr: String, srv: &RedisServer) -> Tcp {
        let mut ctl = Conn::connect_to(addr.as_str()).unwrap_or_else(|e| panic!("connect to {who} at {addr}: {e}"));
        reset(srv, &mut ctl);
        // Blocked clients of an earlier failed scenario are gone once the
        // server has seen their connections close.
        let deadline = Instant::now() + Duration::from_secs(5);
        while blocked_count(&mut ctl) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
        }
        Tcp { who, addr, ctl, conns: vec![], ids: vec![] }
    }

    fn connect(&self) -> Conn {
        Conn::connect_to(self.addr.as_str()).unwrap_or_else(|e| panic!("connect to {} at {}: {e}", self.who, self.addr))
    }

    fn open(&self, resp3: bool) -> (Conn, i64) {
        let mut c = self.connect();
        if resp3 {
            c.must(&["HELLO", "3"]);
        }
        let id = client_id(&mut c);
        (c, id)
    }
}

impl Local {
    /// Output of the clients the engine woke since the last call, by index.
    fn woken(&mut self) -> BTreeMap<usize, Vec<V>> {
        let mut out: BTreeMap<usize, Vec<V>> = BTreeMap::new();
        for id in self.redlet.eng.take_woken() {
            while let Some(r) = self.redlet.eng.pop_output(id) {
                let v = self.redlet.render(id, &r);
                // Not found: a closed client.
                if let Some(i) = self.ids.iter().position(|&x| x == id) {
                    out.entry(i).or_default().push(v);
                }
            }
        }
        out
    }

    fn drain(&mut self, c: usize) -> Vec<V> {
        let id = self.ids[c];
        let mut out = vec![];
        while let Some(r) = self.redlet.eng.pop_output(id) {
            out.extend(self.render_all(id, &r));
        }
        // Nobody blocks in pub/sub scenarios: forget who was woken.
        let _ = self.redlet.eng.take_woken();
        out
    }

    fn open(&mut self, resp3: bool) -> ClientId {
        let id = self.redlet.eng.open_client(ClientInfo::default());
        if resp3 {
            let _ = self.redlet.exec_as(id, &[b"HELLO".to_vec(), b"3".to_vec()]);
        }
        id
    }

    /// A reply rendered in the client's protocol, split into the values a
    /// client would read (one reply may carry several pushes).
    fn render_all(&self, id: ClientId, reply: &redlet::Reply) -> Vec<V> {
        let bytes = reply.to_resp(self.redlet.eng.protocol(id));
        let mut s = bytes.as_slice();
        let mut out = vec![];
        while !s.is_empty() {
            match resp::read(&mut s) {
                Ok(v) => out.push(v),
                Err(e) => {
                    out.push(harness_err(format!("redlet rendered invalid RESP ({e})")));
                    break;
                }
            }
        }
        out
    }
}
