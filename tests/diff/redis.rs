//! The oracle: a real `redis-server` child process on a free loopback port,
//! killed when its guard drops, and plain blocking RESP connections to it
//! (or to any RESP server: a remote redlet side is reached the same way).
#![allow(dead_code)]

use std::io::{self, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::resp::{self, V};

/// A running `redis-server`; killed on drop.
pub struct RedisServer {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// CONFIG SET arguments restoring the parameters tests may change.
    defaults: Vec<Vec<u8>>,
}

/// Parameters the generators may CONFIG SET (restored before each sequence).
pub const TUNABLES: &[&str] = &[
    "hash-max-listpack-entries",
    "hash-max-listpack-value",
    "set-max-intset-entries",
    "zset-max-listpack-entries",
    "zset-max-listpack-value",
    "list-max-listpack-size",
    "maxmemory-policy",
    "notify-keyspace-events",
    // Not generated, but a wasm target starts with 3gb as a 32-bit
    // redis-server does; the comparison is against 64-bit Redis's 0.
    "maxmemory",
];

/// Finds `redis-server` in PATH, or fails the test with instructions.
fn redis_server_path() -> std::path::PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let p = dir.join("redis-server");
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "redis-server not found in PATH: the differential test needs Redis 7.0 as its oracle. \
         Run `bash scripts/test.sh` (it installs redis-server), or `apt-get install -y redis-server`."
    );
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    l.local_addr().expect("local addr").port()
}

impl RedisServer {
    /// Starts a fresh server (no persistence) and waits until it answers.
    pub fn start() -> RedisServer {
        Self::start_with(&[])
    }

    /// [`RedisServer::start`] with extra `--option value` arguments.
    pub fn start_with(extra: &[&str]) -> RedisServer {
        let bin = redis_server_path();
        let mut last_err = String::new();
        for _ in 0..5 {
            let port = free_port();
            let child = Command::new(&bin)
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                .args(["--daemonize", "no", "--protected-mode", "no", "--logfile", "", "--enable-debug-command", "yes"])
                .args(extra)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));
            let mut srv = RedisServer { child, port, defaults: vec![] };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(st)) = srv.child.try_wait() {
                    last_err = format!("redis-server exited early ({st}) on port {port}");
                    break;
                }
                if let Ok(mut c) = Conn::connect(port) {
                    // Another test may be handed the same free port: the
                    // server must be our child (its owner kills the other).
                    let pid = format!("process_id:{}\r\n", srv.child.id());
                    let ours = matches!(c.cmd_str(&["INFO", "server"]), Ok(V::Bulk(i)) if String::from_utf8_lossy(&i).contains(&pid));
                    if !ours {
                        last_err = format!("port {port} is answered by another redis-server");
                        break;
                    }
                    if prepare(&mut c).is_ok() {
                        let mut d = vec![b"CONFIG".to_vec(), b"SET".to_vec()];
                        for p in TUNABLES {
                            if let Ok(V::Array(kv)) = c.cmd_str(&["CONFIG", "GET", p]) {
                                if let [V::Bulk(k), V::Bulk(v)] = kv.as_slice() {
                                    d.push(k.clone());
                                    d.push(v.clone());
                                }
                            }
                        }
                        srv.defaults = d;
                        return srv;
                    }
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            if last_err.is_empty() {
                last_err = format!("redis-server did not answer on port {port}");
            }
            drop(srv);
        }
        panic!("{last_err}");
    }

    /// Its address, `127.0.0.1:port`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// A new connection to this server.
    pub fn connect(&self) -> Conn {
        Conn::connect(self.port).unwrap_or_else(|e| panic!("connect to redis-server on {}: {e}", self.port))
    }

    /// Restores the parameters tests may change to the server's defaults.
    pub fn reset_config(&self, c: &mut Conn) {
        if self.defaults.len() > 2 {
            let _ = c.cmd(&self.defaults);
        }
    }

    /// `redis-server --version` output of the binary used.
    pub fn version() -> String {
        let out = Command::new(redis_server_path()).arg("--version").output();
        out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Readies a server that just answered for comparison: it must answer PING,
/// and it expires keys only on access, as the in-process engine (which the
/// harness never ticks) does: keys expire, and their "expired" events fire,
/// at the same commands on both sides. `Err` with the server's answer when
/// either fails.
pub fn prepare(c: &mut Conn) -> Result<(), String> {
    match c.cmd_str(&["PING"]) {
        Ok(V::Simple(p)) if p == b"PONG" => {}
        Ok(v) => return Err(format!("PING answered {}", resp::show(&v))),
        Err(e) => return Err(format!("PING: {e}")),
    }
    match c.cmd_str(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]) {
        Ok(V::Simple(_)) => Ok(()),
        Ok(v) => Err(format!("DEBUG SET-ACTIVE-EXPIRE 0 answered {}", resp::show(&v))),
        Err(e) => Err(format!("DEBUG SET-ACTIVE-EXPIRE 0: {e}")),
    }
}

/// One client connection to Redis (or to a remote redlet).
pub struct Conn {
    w: TcpStream,
    r: BufReader<TcpStream>,
    buf: Vec<u8>,
}

impl Conn {
    /// Connects to 127.0.0.1:`port`.
    pub fn connect(port: u16) -> io::Result<Conn> {
        Self::connect_to(("127.0.0.1", port))
    }

    /// Connects to `addr` (`host:port`).
    pub fn connect_to(addr: impl std::net::ToSocketAddrs) -> io::Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(20)))?;
        let r = BufReader::with_capacity(1 << 16, s.try_clone()?);
        Ok(Conn { w: s, r, buf: Vec::new() })
    }

    /// Sends a command without waiting for its reply.
    pub fn send(&mut self, argv: &[Vec<u8>]) -> io::Result<()> {
        self.buf.clear();
        resp::encode_cmd(argv, &mut self.buf);
        self.w.write_all(&self.buf)
    }

    /// Reads one reply.
    pub fn recv(&mut self) -> io::Result<V> {
        resp::read(&mut self.r)
    }

    /// Sends a command and reads its reply.
    pub fn cmd(&mut self, argv: &[Vec<u8>]) -> io::Result<V> {
        self.send(argv)?;
        self.recv()
    }

    /// [`Conn::cmd`] with string arguments.
    pub fn cmd_str(&mut self, argv: &[&str]) -> io::Result<V> {
        let a: Vec<Vec<u8>> = argv.iter().map(|s| s.as_bytes().to_vec()).collect();
        self.cmd(&a)
    }

    /// Like [`Conn::cmd_str`], panicking on I/O errors (control traffic).
    pub fn must(&mut self, argv: &[&str]) -> V {
        self.cmd_str(argv).unwrap_or_else(|e| panic!("redis {:?}: {e}", argv))
    }

    /// A reply if one arrives within `wait`, else `None` (nothing consumed).
    pub fn poll(&mut self, wait: Duration) -> io::Result<Option<V>> {
        use std::io::BufRead;
        if self.r.buffer().is_empty() {
            let _ = self.w.set_read_timeout(Some(wait.max(Duration::from_micros(100))));
            let r = self.r.fill_buf().map(|b| b.len());
            let _ = self.w.set_read_timeout(Some(Duration::from_secs(20)));
            match r {
                Ok(0) => return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed")),
                Ok(_) => {}
                Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        self.recv().map(Some)
    }

    /// Changes the read timeout.
    pub fn set_read_timeout(&self, d: Duration) {
        let _ = self.w.set_read_timeout(Some(d));
    }

    /// Everything the server sent before answering a PING sent now: it
    /// answers in order, so the PING's answer marks the end (`+PONG`, or
    /// `["pong", ""]` to a RESP2 subscriber). An I/O error ends the list
    /// with a harness error value.
    pub fn drain(&mut self) -> Vec<V> {
        let mut out = vec![];
        if let Err(e) = self.send(&[b"PING".to_vec()]) {
            return vec![V::Err(format!("HARNESS send: {e}").into_bytes())];
        }
        for _ in 0..100_000 {
            match self.recv() {
                Ok(v) if is_pong(&v) => return out,
                Ok(v) => out.push(v),
                Err(e) => {
                    out.push(V::Err(format!("HARNESS read: {e}").into_bytes()));
                    return out;
                }
            }
        }
        out
    }
}

/// The answer to a bare PING, in either form.
fn is_pong(v: &V) -> bool {
    match v {
        V::Simple(s) => s == b"PONG",
        V::Array(x) => x.len() == 2 && x[0].bytes() == Some(b"pong") && x[1].bytes() == Some(b""),
        _ => false,
    }
}
