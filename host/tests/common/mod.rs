//! Helpers shared by the persistence tests of the host: a RESP2 client and
//! reply tree, `redlet serve` and `redis-server` children, temp folders,
//! and a canonical dump of a keyspace to compare two servers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The `redlet` binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_redlet");

/// A parsed RESP2 reply.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Val {
    /// `+...`
    Status(Vec<u8>),
    /// `-...`
    Err(Vec<u8>),
    /// `:n`
    Int(i64),
    /// `$n` (None for `$-1`)
    Bulk(Option<Vec<u8>>),
    /// `*n` (None for `*-1`)
    Array(Option<Vec<Val>>),
}

impl Val {
    /// Bulk or status bytes as text (lossy), for messages.
    pub fn text(&self) -> String {
        match self {
            Val::Status(s) | Val::Err(s) | Val::Bulk(Some(s)) => String::from_utf8_lossy(s).into_owned(),
            Val::Int(n) => n.to_string(),
            other => format!("{other:?}"),
        }
    }

    /// The elements of an array reply.
    pub fn items(&self) -> Vec<Val> {
        match self {
            Val::Array(Some(v)) => v.clone(),
            other => panic!("not an array: {other:?}"),
        }
    }
}

/// Reads one reply from a buffered stream; `None` at EOF.
pub fn read_val(r: &mut impl BufRead) -> std::io::Result<Option<Val>> {
    let mut line = Vec::new();
    if r.read_until(b'\n', &mut line)? == 0 {
        return Ok(None);
    }
    if line.len() < 3 || !line.ends_with(b"\r\n") {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "torn reply line"));
    }
    let body = line[1..line.len() - 2].to_vec();
    let num = || std::str::from_utf8(&body).ok().and_then(|t| t.parse::<i64>().ok()).unwrap_or(-1);
    Ok(Some(match line[0] {
        b'+' => Val::Status(body.clone()),
        b'-' => Val::Err(body.clone()),
        b':' => Val::Int(num()),
        b'$' => {
            let n = num();
            if n < 0 {
                Val::Bulk(None)
            } else {
                let mut b = vec![0; n as usize + 2];
                r.read_exact(&mut b)?;
                b.truncate(n as usize);
                Val::Bulk(Some(b))
            }
        }
        b'*' => {
            let n = num();
            if n < 0 {
                Val::Array(None)
            } else {
                let mut v = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    v.push(read_val(r)?.ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "eof in array"))?);
                }
                Val::Array(Some(v))
            }
        }
        _ => return Err(std::io::Error::other(format!("bad reply line {:?}", String::from_utf8_lossy(&line)))),
    }))
}

/// RESP encoding of one command.
pub fn encode(args: &[&[u8]], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

/// A blocking RESP2 connection.
pub struct Client {
    /// Write side.
    pub w: TcpStream,
    /// Buffered read side.
    pub r: BufReader<TcpStream>,
}

impl Client {
    /// Connects to 127.0.0.1:`port`, retrying for up to `wait`.
    pub fn connect(port: u16, wait: Duration) -> std::io::Result<Client> {
        let until = Instant::now() + wait;
        loop {
            match TcpStream::connect(("127.0.0.1", port)) {
                Ok(s) => {
                    s.set_nodelay(true)?;
                    s.set_read_timeout(Some(Duration::from_secs(30)))?;
                    return Ok(Client { r: BufReader::new(s.try_clone()?), w: s });
                }
                Err(e) if Instant::now() >= until => return Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    /// Runs one command (argv as bytes).
    pub fn call(&mut self, args: &[&[u8]]) -> Val {
        let mut b = Vec::new();
        encode(args, &mut b);
        self.w.write_all(&b).expect("send");
        read_val(&mut self.r).expect("reply").expect("connection closed")
    }

    /// Sends a command whose reply may never come (SHUTDOWN closes the
    /// connection): the reply, or `None` on EOF or a read error.
    pub fn try_call(&mut self, args: &[&[u8]]) -> Option<Val> {
        let mut b = Vec::new();
        encode(args, &mut b);
        self.w.write_all(&b).ok()?;
        read_val(&mut self.r).ok().flatten()
    }

    /// Runs one command given as space-separated words.
    pub fn cmd(&mut self, line: &str) -> Val {
        let words: Vec<&[u8]> = line.split(' ').filter(|w| !w.is_empty()).map(str::as_bytes).collect();
        self.call(&words)
    }
}

static DIRS: AtomicUsize = AtomicUsize::new(0);

/// A fresh empty temp folder for this test process.
pub fn tmpdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("redlet-{tag}-{}-{}", std::process::id(), DIRS.fetch_add(1, Ordering::Relaxed)));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// A running `redlet serve`, killed on drop.
pub struct Redlet {
    /// The child process.
    pub child: Child,
    /// Its port.
    pub port: u16,
    /// Its log lines so far are collected here by a thread.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Redlet {
    /// Starts `redlet serve --port 0 --dir <dir> <extra>` and waits until it
    /// accepts connections; `Err` with the log if it exits first.
    pub fn start(dir: &Path, extra: &[&str]) -> Result<Redlet, (Option<i32>, Vec<String>)> {
        Redlet::start_env(dir, extra, &[])
    }

    /// Like [`Redlet::start`] with extra environment variables (e.g.
    /// `REDLET_FAULTS`).
    pub fn start_env(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Result<Redlet, (Option<i32>, Vec<String>)> {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--dir"])
            .arg(dir)
            .args(extra)
            .env_remove("REDLET_FAULTS")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn redlet");
        let out = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(out).lines();
        let mut port = 0;
        let mut seen = Vec::new();
        let mut ready = false;
        for line in lines.by_ref() {
            let Ok(line) = line else { break };
            if let Some(p) = line.split("port=").nth(1) {
                port = p.trim_end_matches('.').parse().unwrap_or(0);
            }
            seen.push(line.clone());
            if line.contains("Ready to accept connections") {
                ready = true;
                break;
            }
        }
        if !ready {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            seen.extend(err.lines().map(String::from));
            let code = child.wait().ok().and_then(|s| s.code());
            return Err((code, seen));
        }
        let log = std::sync::Arc::new(std::sync::Mutex::new(seen));
        let l2 = log.clone();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                l2.lock().unwrap().push(line);
            }
        });
        Ok(Redlet { child, port, log })
    }

    /// A connection to it.
    pub fn client(&self) -> Client {
        Client::connect(self.port, Duration::from_secs(5)).expect("connect to redlet")
    }

    /// SIGKILL, then reap.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Sends `sig` (e.g. "TERM") and waits up to 10 s for the exit code.
    pub fn signal_and_wait(&mut self, sig: &str) -> Option<i32> {
        let _ = Command::new("kill").args([&format!("-{sig}"), &self.child.id().to_string()]).status();
        self.wait(Duration::from_secs(10))
    }

    /// Sends `sig` and waits up to `ms` for an exit (None: still running).
    pub fn signal_and_wait_ms(&mut self, sig: &str, ms: u64) -> Option<i32> {
        let _ = Command::new("kill").args([&format!("-{sig}"), &self.child.id().to_string()]).status();
        self.wait(Duration::from_millis(ms))
    }

    /// Waits for the process to exit; its code (None if still running or
    /// killed by a signal).
    pub fn wait(&mut self, d: Duration) -> Option<i32> {
        let until = Instant::now() + d;
        while Instant::now() < until {
            if let Ok(Some(st)) = self.child.try_wait() {
                return st.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Redlet {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A `redis-server` on `port` (no persistence), shut down on drop; `None`
/// when redis-server is not installed.
pub struct RedisServer {
    child: Child,
    /// Its port.
    pub port: u16,
    dir: PathBuf,
}

impl RedisServer {
    /// Starts it, waits for PING; `None` if `redis-server` is missing.
    pub fn start(port: u16) -> Option<RedisServer> {
        Self::start_in(port, tmpdir("redis"))
    }

    /// Like [`RedisServer::start`] in data folder `dir` (removed on drop):
    /// a `dump.rdb` there is loaded at start.
    pub fn start_in(port: u16, dir: PathBuf) -> Option<RedisServer> {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dbfilename", "dump.rdb", "--dir"])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let s = RedisServer { child, port, dir };
        let mut c = Client::connect(port, Duration::from_secs(5)).ok()?;
        // Two tests may be handed the same free port: the one whose server
        // lost the bind must not talk to the other's (which its owner kills).
        let pid = format!("process_id:{}\r\n", s.child.id());
        match c.try_call(&[b"INFO", b"server"]) {
            Some(Val::Bulk(Some(info))) if String::from_utf8_lossy(&info).contains(&pid) => Some(s),
            _ => None,
        }
    }

    /// Its data folder (SAVE writes `dump.rdb` there).
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// A connection to it.
    pub fn client(&self) -> Client {
        Client::connect(self.port, Duration::from_secs(5)).expect("connect to redis")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes the values that cannot survive a command-stream reload from an
/// `XINFO STREAM ... FULL` reply: radix tree sizes (internal layout) and
/// consumers' seen-time (set at load).
fn scrub_xinfo(v: Val) -> Val {
    match v {
        Val::Array(Some(items)) => {
            let mut out = Vec::with_capacity(items.len());
            let mut it = items.into_iter();
            while let Some(x) = it.next() {
                let drop_next = matches!(&x, Val::Bulk(Some(n)) if n == b"radix-tree-keys" || n == b"radix-tree-nodes" || n == b"seen-time");
                out.push(scrub_xinfo(x));
                if drop_next {
                    it.next();
                    out.push(Val::Bulk(None));
                }
            }
            Val::Array(Some(out))
        }
        other => other,
    }
}

/// A canonical, comparable description of databases `0..dbs` obtained
/// through `q` (one command -> reply): per db the sorted keys, each with its
/// type, value (order-free types sorted), and absolute expiry
/// (`PEXPIRETIME`).
pub fn dump(q: &mut dyn FnMut(&[&[u8]]) -> Val, dbs: usize) -> Vec<(usize, Vec<u8>, Vec<Val>)> {
    let mut out = Vec::new();
    for db in 0..dbs {
        q(&[b"SELECT", db.to_string().as_bytes()]);
        let mut keys: Vec<Vec<u8>> = q(&[b"KEYS", b"*"]).items().into_iter().map(|k| if let Val::Bulk(Some(k)) = k { k } else { panic!() }).collect();
        keys.sort();
        for k in keys {
            let t = q(&[b"TYPE", &k]);
            if t.text() == "none" {
                // Expired between KEYS and TYPE (a short TTL on a loaded
                // machine): it is gone on this side, as it will be on the
                // other.
                continue;
            }
            let mut desc = vec![t.clone(), q(&[b"PEXPIRETIME", &k])];
            match t.text().as_str() {
                "string" => desc.push(q(&[b"GET", &k])),
                "list" => desc.push(q(&[b"LRANGE", &k, b"0", b"-1"])),
                "hash" => {
                    let flat = q(&[b"HGETALL", &k]).items();
                    let mut pairs: Vec<Val> = flat.chunks(2).map(|c| Val::Array(Some(c.to_vec()))).collect();
                    pairs.sort();
                    desc.extend(pairs);
                }
                "set" => {
                    let mut m = q(&[b"SMEMBERS", &k]).items();
                    m.sort();
                    desc.extend(m);
                }
                "zset" => desc.push(q(&[b"ZRANGE", &k, b"0", b"-1", b"WITHSCORES"])),
                "stream" => desc.push(scrub_xinfo(q(&[b"XINFO", b"STREAM", &k, b"FULL"]))),
                other => panic!("unexpected type {other}"),
            }
            out.push((db, k, desc));
        }
    }
    q(&[b"SELECT", b"0"]);
    out
}
