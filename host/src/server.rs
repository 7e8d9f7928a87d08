//! The server: one thread, one [`Engine`], an epoll loop (mio, edge
//! triggered), like Redis's `ae` loop.
//!
//! Per connection: bytes are read into a query buffer and parsed in place by
//! [`Parser`] (arguments are slices of that buffer), each command runs
//! through [`Engine::execute`], and its reply is rendered into an output
//! buffer that is written once per loop iteration (pipelined replies go out
//! in one syscall).
//!
//! Invariants:
//! - A blocked client's buffered commands wait until the engine wakes it
//!   (`take_woken` then `is_blocked` false); its socket is still read so a
//!   disconnect is seen and the engine can forget the client.
//! - A client whose unsent output exceeds [`OUTPUT_PAUSE`] is neither read
//!   nor processed until the output drains (memory stays bounded).
//! - A connection slot freed during an iteration is reused only in the next
//!   one, so events and queues still naming it never reach a new client.
//! - Replies are written in order: direct replies and outbox (woken) replies
//!   go to the same buffer, outbox first when a client resumes.
//! - Group commit: output is written only at the end of an iteration, after
//!   [`Engine::flush_journal`], so no reply acknowledges a write the journal
//!   does not hold yet (with `appendfsync always`: on disk).

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use redlet::clock::SystemClock;
use redlet::config::HostInfo;
use redlet::session::{Resume, Session};
use redlet::output::Output;
use redlet::{ClientId, ClientInfo, Engine, Options};

use crate::config::Settings;
use crate::log::{log, Level};
use crate::storage::FileStorage;

/// Bytes asked of one `read` (Redis's `PROTO_IOBUF_LEN`); bigger only while
/// a large bulk argument is being received.
const READ_CHUNK: usize = 16 * 1024;
/// Reads per connection per loop iteration before others get a turn.
const MAX_READS_PER_EVENT: usize = 16;
/// Unparsed input beyond which a client is dropped (Redis's default
/// `client-query-buffer-limit`).
const QUERY_BUF_LIMIT: usize = 1 << 30;
/// Unsent output beyond which a client is not served until it reads.
const OUTPUT_PAUSE: usize = 64 << 20;
/// Buffers larger than this are shrunk once empty.
const BUF_KEEP: usize = 64 * 1024;
/// Listener `i` has token `LISTENER_BASE + i`; connections use their slot.
const LISTENER_BASE: usize = usize::MAX - 256;

/// One client connection.
struct Conn<S> {
    stream: TcpStream,
    /// Parsing, blocking and closing state (shared with every RESP host).
    session: S,
    /// Query buffer: unparsed bytes are `rbuf[rstart..rend]`; the rest of
    /// `rbuf` is initialized spare room for the next read.
    rbuf: Vec<u8>,
    rstart: usize,
    rend: usize,
    /// Unsent output (large bulk strings of replies moved in, not copied).
    out: Output,
    /// `out`'s size as last told to the engine ([`note_output`]).
    reported_out: u64,
    /// Reading stopped because too much output is pending.
    read_paused: bool,
    /// Listed in `Server::writes`.
    queued_write: bool,
    /// Last read or write, for the `timeout` directive.
    last_active: Instant,
}

impl<S> Conn<S> {
    fn pending_out(&self) -> usize {
        self.out.len()
    }
}

struct Server<B: Backend> {
    poll: Poll,
    listeners: Vec<TcpListener>,
    conns: Vec<Option<Conn<B::Session>>>,
    /// Slots free for new connections.
    free: Vec<usize>,
    /// Slots freed this iteration (see the module invariants).
    freed: Vec<usize>,
    by_id: HashMap<ClientId, usize>,
    engine: B,
    /// Connections with output to write at the end of the iteration.
    writes: Vec<usize>,
    /// Connections to read again without waiting for an event.
    reads: Vec<usize>,
    next_tick: Instant,
    /// When the allocator was last purged (at most once a second).
    last_purge: Option<Instant>,
    /// A background save is in progress: poll without waiting, in bursts
    /// (see [`BACKGROUND_BURST`]).
    background: bool,
    /// When the current burst of background steps began.
    burst: Option<Instant>,
    /// INFO facts; CPU and RSS are refreshed every tick (Redis samples RSS
    /// in its cron too).
    host: HostInfo,
    /// When the last poll returned: the time of client activity (one clock
    /// read per iteration instead of one per read and write).
    loop_now: Instant,
    /// When a journal write error was last logged.
    last_journal_error: Option<Instant>,
    /// A data folder is attached (`--dir`).
    persist: bool,
}

/// What a [`Backend`] is built from, handed to the `start` function of
/// [`run_with`] once the listeners are bound.
pub struct Start {
    /// The engine configuration from the command line (`port` already set
    /// to the bound port when `--port 0` picked one).
    pub config: redlet::Config,
    /// The port listened on.
    pub port: u16,
    /// INFO server facts of this process.
    pub host: HostInfo,
    /// A data folder is attached (`--dir`): load from it and persist to it.
    pub persist: bool,
    /// The data folder (the current directory by then).
    pub dir: std::path::PathBuf,
    /// A seed for the engine's RNG from the OS.
    pub seed: u64,
    /// The directives that made `config`, in order, as (name, value)
    /// ([`Settings::directives`], plus the bound port).
    pub directives: Vec<(String, String)>,
}

/// Runs the server over the native engine until SIGTERM/SIGINT.
pub fn run(s: Settings) -> Result<(), String> {
    run_with(s, |st: Start| {
        let mut engine = Engine::new(Options { config: st.config, clock: Box::new(SystemClock), seed: st.seed });
        engine.set_host_info(st.host);
        if st.persist {
            load(&mut engine, &st.dir)?;
        } else {
            log('M', Level::Notice, "No --dir given: the dataset is kept in memory only");
        }
        Ok(engine)
    })
}

/// Runs the server over the backend `start` builds, until SIGTERM/SIGINT
/// or SHUTDOWN. `start` runs after the `Running mode=standalone, port=N.`
/// and `Server initialized` lines; it loads the dataset (logging as
/// [`load`] does) or fails the start with a message.
pub fn run_with<B: Backend>(s: Settings, start: impl FnOnce(Start) -> Result<B, String>) -> Result<(), String> {
    log('C', Level::Warning, "oO0OoO0OoO0Oo redlet is starting oO0OoO0OoO0Oo");
    log(
        'C',
        Level::Warning,
        &format!(
            "redlet version={}, bits={}, pid={}, just started",
            env!("CARGO_PKG_VERSION"),
            usize::BITS,
            std::process::id()
        ),
    );
    log('C', Level::Warning, "Configuration loaded");

    std::fs::create_dir_all(&s.dir).map_err(|e| format!("Can't create the data directory '{}': {e}", s.dir.display()))?;
    std::env::set_current_dir(&s.dir).map_err(|e| format!("Can't chdir to '{}': {e}", s.dir.display()))?;

    // SIGTERM/SIGINT only set this flag; epoll_wait returns EINTR and the
    // loop checks it.
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)
            .map_err(|e| format!("Can't install the signal handler: {e}"))?;
    }

    let poll = Poll::new().map_err(|e| format!("Can't create the event loop: {e}"))?;
    let (mut listeners, port) = listen(&s.bind, s.port)?;
    for (i, l) in listeners.iter_mut().enumerate() {
        poll.registry()
            .register(l, Token(LISTENER_BASE + i), Interest::READABLE)
            .map_err(|e| format!("Can't register the listener: {e}"))?;
    }

    let mut config = s.config;
    let mut directives = s.directives;
    if s.port == 0 {
        // The chosen port is what CONFIG GET port should say.
        config.set_param("port", &port.to_string()).map_err(|e| e.to_string())?;
        directives.push(("port".into(), port.to_string()));
    }
    let mut host = host_info(port, s.config_file.as_deref());
    refresh_usage(&mut host);

    log('M', Level::Notice, &format!("Running mode=standalone, port={port}."));
    log('M', Level::Warning, "Server initialized");
    let engine = start(Start { config, port, host: host.clone(), persist: s.persist, dir: s.dir.clone(), seed: os_seed(), directives })?;
    log('M', Level::Notice, "Ready to accept connections tcp");

    let mut srv = Server {
        poll,
        listeners,
        conns: Vec::new(),
        free: Vec::new(),
        freed: Vec::new(),
        by_id: HashMap::new(),
        engine,
        writes: Vec::new(),
        reads: Vec::new(),
        next_tick: Instant::now(),
        last_purge: None,
        background: false,
        burst: None,
        host,
        loop_now: Instant::now(),
        last_journal_error: None,
        persist: s.persist,
    };
    srv.run(&signal)?;
    log('M', Level::Warning, "redlet is now ready to exit, bye bye...");
    Ok(())
}

/// The binary's allocator purge (see [`set_allocator_purge`]).
static PURGE: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Registers how to give freed memory back to the OS (the binary's global
/// allocator knows): the server calls it from its cron, at most once a
/// second, when RSS exceeds `used_memory` plus the output still to be
/// written by more than [`PURGE_SLACK`], so after a large reply or a
/// deleted large value RSS returns near `used_memory` within a second.
pub fn set_allocator_purge(f: fn()) {
    let _ = PURGE.set(f);
}

/// The longest the loop runs background steps (a background save, one
/// step a turn) without waiting in poll, and how long it may then wait:
/// it never spins a core for a whole save, so on a small machine clients,
/// and the storage's writer thread, find a core free (with two cores a
/// spinning loop kept a client waiting 4 ms for a core, `perf sched`). A
/// command arriving during the rest wakes the loop at once; the save
/// takes about three times as long (0.5 s for 1M keys, Redis's fork
/// child 1 s).
const BACKGROUND_BURST: Duration = Duration::from_micros(500);
const BACKGROUND_REST: Duration = Duration::from_millis(1);

/// RSS above `used_memory` and pending output tolerated before a purge
/// (code, buffers, the allocator's own working set).
pub const PURGE_SLACK: u64 = 16 << 20;

/// The data folder's storage. `REDLET_FAULTS` (a testing hook, see
/// [`crate::storage::Faults::from_spec`]) makes it fail on purpose.
/// `aclfile`, when set, is where ACL SAVE and LOAD keep the users.
pub fn storage_for(dir: &std::path::Path, aclfile: Option<&str>) -> Result<Box<dyn redlet::storage::Storage + Send>, String> {
    let st = match std::env::var("REDLET_FAULTS") {
        Ok(spec) if !spec.is_empty() => {
            let faults = crate::storage::Faults::from_spec(&spec).map_err(|e| format!("REDLET_FAULTS: {e}"))?;
            log('M', Level::Warning, &format!("Storage fault injection armed: {spec}"));
            FileStorage::with_faults(dir, faults)
        }
        _ => FileStorage::new(dir),
    };
    Ok(Box::new(match aclfile.filter(|f| !f.is_empty()) {
        Some(f) => st.with_acl_file(f),
        None => st,
    }))
}

/// Attaches the data folder's files to the engine and loads the snapshot
/// and journal. A dataset that cannot be read stops the start (nothing is
/// touched on disk), as Redis refuses a bad RDB.
pub fn load(engine: &mut Engine, dir: &std::path::Path) -> Result<(), String> {
    let aclfile = engine.config().get_param("aclfile");
    engine.set_storage(storage_for(dir, aclfile.as_deref())?);
    let start = Instant::now();
    match engine.load() {
        Ok(report) => {
            for w in report.warnings() {
                log('M', Level::Warning, &w);
            }
            if report.journal_records > 0 {
                log('M', Level::Notice, &format!("Journal replayed: {} records", report.journal_records));
            }
            log('M', Level::Notice, &format!("DB loaded from disk: {:.3} seconds", start.elapsed().as_secs_f64()));
            Ok(())
        }
        Err(e) => {
            let file = match e.blob.as_str() {
                "journal" => dir.join("redlet.journal"),
                "snapshot" | "storage" => dir.join("redlet.snapshot"),
                other => std::path::PathBuf::from(other),
            };
            Err(format!(
                "Fatal error loading {}: {}. The file was left as it is; move it away (or fix it) to start.",
                file.display(),
                e.reason
            ))
        }
    }
}

/// Binds every address of `bind` (`*` = all IPv4, `::*` = all IPv6, a `-`
/// prefix = skip if unavailable). With port 0 the first bind picks a free
/// port and the others use it.
fn listen(bind: &[String], port: u16) -> Result<(Vec<TcpListener>, u16), String> {
    let mut out = Vec::new();
    let mut port = port;
    for b in bind {
        let (optional, host) = match b.strip_prefix('-') {
            Some(h) => (true, h),
            None => (false, b.as_str()),
        };
        let ip: IpAddr = match host {
            "*" => Ipv4Addr::UNSPECIFIED.into(),
            "::*" => Ipv6Addr::UNSPECIFIED.into(),
            h => match h.parse() {
                Ok(ip) => ip,
                Err(_) => return Err(format!("Invalid bind address '{h}'")),
            },
        };
        match TcpListener::bind(SocketAddr::new(ip, port)) {
            Ok(l) => {
                if port == 0 {
                    port = l.local_addr().map(|a| a.port()).unwrap_or(0);
                }
                out.push(l);
            }
            Err(e) if optional => {
                log('M', Level::Warning, &format!("Could not create server TCP listening socket {host}:{port}: {e} (skipped)"));
            }
            Err(e) => {
                log('M', Level::Warning, &format!("Warning: Could not create server TCP listening socket {host}:{port}: bind: {e}"));
                return Err(format!("Failed listening on port {port} (TCP), aborting."));
            }
        }
    }
    if out.is_empty() {
        return Err(format!("Failed listening on port {port} (TCP), aborting."));
    }
    Ok((out, port))
}

/// A seed for the engine's RNG from the OS (std's hasher keys come from the
/// OS random source) mixed with the time.
fn os_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    h.write_u32(std::process::id());
    h.finish()
}

/// INFO server facts: `os` is `uname -s -r -m` as Redis prints it.
#[allow(clippy::needless_update)] // HostInfo may grow fields.
fn host_info(port: u16, config_file: Option<&std::path::Path>) -> HostInfo {
    let read = |p: &str| std::fs::read_to_string(p).map(|s| s.trim().to_string()).ok();
    let os = match (read("/proc/sys/kernel/ostype"), read("/proc/sys/kernel/osrelease")) {
        (Some(t), Some(r)) => format!("{t} {r} {}", std::env::consts::ARCH),
        _ => format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
    };
    HostInfo {
        tcp_port: port,
        process_id: std::process::id(),
        executable: std::env::current_exe().map(|p| p.display().to_string()).unwrap_or_default(),
        config_file: config_file.map(|p| p.display().to_string()).unwrap_or_default(),
        os,
        arch_bits: usize::BITS,
        multiplexing_api: "epoll".into(),
        total_system_memory: std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| kb_field(&t, "MemTotal:")).unwrap_or(0),
        // Facts this host does not know keep their defaults.
        ..HostInfo::default()
    }
}

/// The value of a `Name:   123 kB` line of a /proc file, in bytes.
fn kb_field(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kb: u64 = line[name.len()..].split_whitespace().next()?.parse().ok()?;
    Some(kb * 1024)
}

/// Updates CPU time and RSS from /proc (Linux; left as they are elsewhere).
fn refresh_usage(h: &mut HostInfo) {
    if let Some(rss) = std::fs::read_to_string("/proc/self/status").ok().and_then(|t| kb_field(&t, "VmRSS:")) {
        h.rss_bytes = rss;
    }
    // Fields 14 and 15 of /proc/self/stat: user and system time in clock
    // ticks (USER_HZ, 100 on Linux); the name field may hold spaces, so
    // count from the closing parenthesis.
    if let Ok(stat) = std::fs::read_to_string("/proc/self/stat") {
        if let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) {
            let f: Vec<&str> = rest.split_whitespace().collect();
            if let (Some(u), Some(s)) = (f.get(11).and_then(|v| v.parse::<u64>().ok()), f.get(12).and_then(|v| v.parse::<u64>().ok())) {
                h.cpu_secs = (s as f64 / 100.0, u as f64 / 100.0);
            }
        }
    }
}

/// Tells the engine how much output the connection still holds when that
/// changed; a client past its output buffer limit is closed with its
/// output dropped (Redis's close-ASAP).
fn note_output<B: Backend>(engine: &mut B, c: &mut Conn<B::Session>) {
    let pending = c.pending_out() as u64;
    if pending == c.reported_out {
        return;
    }
    c.reported_out = pending;
    if engine.note_output(&c.session, pending) {
        c.out = Output::new();
        c.reported_out = 0;
        c.session.set_closing();
    }
}

/// Parses and runs the client's buffered commands until its input runs out,
/// it blocks, it is to be closed, or its output is too large.
fn process_input<B: Backend>(engine: &mut B, c: &mut Conn<B::Session>) {
    let n = engine.process(&mut c.session, &c.rbuf[c.rstart..c.rend], &mut c.out, OUTPUT_PAUSE);
    c.rstart += n;
    note_output(engine, c);
    if c.rstart < c.rend && c.pending_out() >= OUTPUT_PAUSE && !c.session.is_blocked() && !c.session.is_closing() {
        // Resumed by `flush` once the client has read enough.
        c.read_paused = true;
    }
    if c.rstart == c.rend {
        c.rstart = 0;
        c.rend = 0;
        if c.rbuf.len() > BUF_KEEP && !c.session.in_request() {
            c.rbuf.truncate(READ_CHUNK);
            c.rbuf.shrink_to_fit();
        }
    }
}

fn queue_write<S>(writes: &mut Vec<usize>, c: &mut Conn<S>, tok: usize) {
    if !c.queued_write {
        c.queued_write = true;
        writes.push(tok);
    }
}

impl<B: Backend> Server<B> {
    fn run(&mut self, signal: &AtomicUsize) -> Result<(), String> {
        let mut events = Events::with_capacity(1024);
        loop {
            if let Some(e) = self.engine.failure() {
                return Err(e);
            }
            if self.engine.shutdown_requested() {
                // SHUTDOWN ran (its save, if any, succeeded): no reply.
                log('M', Level::Warning, "User requested shutdown...");
                return Ok(());
            }
            let sig = signal.swap(0, Ordering::Relaxed);
            if sig != 0 {
                let name = if sig == signal_hook::consts::SIGINT as usize { "SIGINT" } else { "SIGTERM" };
                log('M', Level::Warning, &format!("Received {name} scheduling shutdown..."));
                log('M', Level::Warning, "User requested shutdown...");
                let param = if sig == signal_hook::consts::SIGINT as usize { "shutdown-on-sigint" } else { "shutdown-on-sigterm" };
                // With a data folder a signal saves unless configured
                // `nosave` (the rule; Redis's default follows the
                // save points).
                let mode = self.engine.param(param).unwrap_or_default();
                let save = Some(!mode.split_whitespace().any(|m| m == "nosave"));
                if save == Some(true) && self.persist {
                    log('M', Level::Notice, "Saving the final snapshot before exiting.");
                }
                match self.engine.shutdown(if self.persist { save } else { Some(false) }) {
                    Ok(()) => return Ok(()),
                    // Like Redis: a failed final save keeps the server up.
                    Err(e) => log('M', Level::Warning, &format!("Error trying to save the DB, can't exit: {e}")),
                }
            }
            let timeout = self.poll_timeout();
            if let Err(e) = self.poll.poll(&mut events, Some(timeout)) {
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(format!("Event loop failure: {e}"));
                }
                continue;
            }
            self.loop_now = Instant::now();
            for ev in events.iter() {
                let tok = ev.token().0;
                if tok >= LISTENER_BASE {
                    self.accept(tok - LISTENER_BASE);
                    continue;
                }
                let hup = ev.is_read_closed() || ev.is_error();
                if ev.is_readable() || hup {
                    self.on_readable(tok, hup);
                }
                if ev.is_writable() {
                    // Written after the journal flush below, never before:
                    // this connection's replies may acknowledge writes of
                    // this iteration.
                    if let Some(Some(c)) = self.conns.get_mut(tok) {
                        queue_write(&mut self.writes, c, tok);
                    }
                }
            }
            for tok in std::mem::take(&mut self.reads) {
                self.on_readable(tok, true);
            }
            self.handle_woken();
            self.timers();
            self.handle_woken();
            // Group commit: the journal records of this iteration's writes
            // reach storage (and disk, with appendfsync always) before any
            // reply acknowledging them is sent.
            self.flush_journal()?;
            for tok in std::mem::take(&mut self.writes) {
                if let Some(Some(c)) = self.conns.get_mut(tok) {
                    c.queued_write = false;
                }
                self.flush(tok);
            }
            self.free.append(&mut self.freed);
        }
    }

    /// Writes the journal records buffered by the commands run so far. With
    /// `appendfsync always` a failure stops the server before the replies go
    /// out (Redis exits too: acknowledged writes must be on disk); otherwise
    /// it is logged (at most once a second) and the engine reports it.
    fn flush_journal(&mut self) -> Result<(), String> {
        if let Err(e) = self.engine.flush_journal() {
            if self.engine.param("appendfsync").as_deref() == Some("always") {
                return Err(format!("Can't write the journal with appendfsync always, exiting: {e}"));
            }
            if self.last_journal_error.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) {
                log('M', Level::Warning, &format!("Error writing the journal: {e}"));
                self.last_journal_error = Some(Instant::now());
            }
        }
        Ok(())
    }

    /// Until the next hz tick or blocked-client deadline, whichever is
    /// first; nothing while there is work, except a short rest after each
    /// burst of background steps.
    fn poll_timeout(&mut self) -> Duration {
        if !self.reads.is_empty() {
            return Duration::ZERO;
        }
        let now = Instant::now();
        if self.background {
            let since = *self.burst.get_or_insert(now);
            if now.duration_since(since) < BACKGROUND_BURST {
                return Duration::ZERO;
            }
            self.burst = None;
        }
        let mut t = self.next_tick.saturating_duration_since(now);
        if let Some(wait) = self.engine.deadline_wait() {
            t = t.min(wait);
        }
        if self.background {
            t = t.min(BACKGROUND_REST);
        }
        t
    }

    fn tick_period(&mut self) -> Duration {
        Duration::from_millis(1000 / u64::from(self.engine.hz().clamp(1, 500)))
    }

    fn timers(&mut self) {
        self.engine.run_deadlines();
        // A background save writes a step between batches of commands.
        self.background = self.engine.background_step();
        let now = Instant::now();
        if now >= self.next_tick {
            refresh_usage(&mut self.host);
            if let Some(purge) = PURGE.get() {
                // Output still to be written is live memory (a reply in
                // flight is not garbage).
                let pending: u64 = self.conns.iter().flatten().map(|c| c.pending_out() as u64).sum();
                let over = self.host.rss_bytes.saturating_sub(self.engine.used_memory().saturating_add(pending));
                let due = self.last_purge.is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1));
                if over > PURGE_SLACK && due {
                    purge();
                    self.last_purge = Some(now);
                }
            }
            self.engine.tick(&self.host);
            self.next_tick = now + self.tick_period();
            self.close_idle(now);
        }
    }

    /// The `timeout` directive: closes clients idle that many seconds
    /// (blocked clients are exempt: their own timeout applies).
    fn close_idle(&mut self, now: Instant) {
        let secs = self.engine.idle_timeout();
        if secs == 0 {
            return;
        }
        let limit = Duration::from_secs(secs);
        let idle: Vec<usize> = self
            .conns
            .iter()
            .enumerate()
            .filter_map(|(t, c)| c.as_ref().filter(|c| !c.session.is_blocked() && now.duration_since(c.last_active) > limit).map(|_| t))
            .collect();
        for t in idle {
            self.close_conn(t);
        }
    }

    fn accept(&mut self, li: usize) {
        loop {
            let Some(l) = self.listeners.get(li) else { return };
            let (mut stream, peer) = match l.accept() {
                Ok(x) => x,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    log('M', Level::Warning, &format!("Accepting client connection: {e}"));
                    return;
                }
            };
            let _ = stream.set_nodelay(true);
            if let Err(refusal) = self.engine.admit(self.by_id.len() as u64, peer.ip().is_loopback()) {
                // Best effort, like Redis; the stream closes when dropped.
                let _ = stream.write(refusal.as_bytes());
                continue;
            }
            let tok = match self.free.pop() {
                Some(t) => t,
                None => {
                    self.conns.push(None);
                    self.conns.len() - 1
                }
            };
            if self.poll.registry().register(&mut stream, Token(tok), Interest::READABLE | Interest::WRITABLE).is_err() {
                self.free.push(tok);
                continue;
            }
            let info = ClientInfo {
                addr: peer.to_string(),
                laddr: stream.local_addr().map(|a| a.to_string()).unwrap_or_default(),
                fd: stream.as_raw_fd() as i64,
            };
            let session = self.engine.open(info);
            self.by_id.insert(session.id(), tok);
            self.conns[tok] = Some(Conn {
                stream,
                session,
                rbuf: Vec::new(),
                rstart: 0,
                rend: 0,
                out: Output::new(),
                reported_out: 0,
                read_paused: false,
                queued_write: false,
                last_active: self.loop_now,
            });
        }
    }

    /// Reads what the socket has (up to [`MAX_READS_PER_EVENT`] reads) and
    /// runs the commands. `hup`: the peer may have closed, so read until
    /// `WouldBlock` or EOF instead of stopping at a short read.
    fn on_readable(&mut self, tok: usize, hup: bool) {
        let Some(Some(c)) = self.conns.get_mut(tok) else { return };
        if c.read_paused {
            // `flush` calls us again once the output has drained.
            return;
        }
        // Input left over from a pause is served first.
        process_input(&mut self.engine, c);
        let mut dead = false;
        let mut reads = 0;
        while !c.session.is_closing() && !c.read_paused {
            if c.pending_out() >= OUTPUT_PAUSE {
                c.read_paused = true;
                break;
            }
            let buffered = c.rend - c.rstart;
            // A large bulk is read in bigger steps, growing with what has
            // actually arrived, never with the length the peer announced.
            let want = match c.session.bulk_bytes_needed(buffered) {
                Some(n) if n > READ_CHUNK as u64 => n.min(buffered.max(READ_CHUNK) as u64) as usize,
                _ => READ_CHUNK,
            };
            if c.rbuf.len() - c.rend < want {
                if c.rstart > 0 {
                    c.rbuf.copy_within(c.rstart..c.rend, 0);
                    c.rend -= c.rstart;
                    c.rstart = 0;
                }
                if c.rbuf.len() - c.rend < want {
                    c.rbuf.resize(c.rend + want, 0);
                }
            }
            match c.stream.read(&mut c.rbuf[c.rend..c.rend + want]) {
                Ok(0) => {
                    // The peer is gone or only half-closed: replies already
                    // due are still written (then the connection closes),
                    // unanswered input is dropped.
                    c.session.set_closing();
                    c.rstart = c.rend;
                    break;
                }
                Ok(n) => {
                    c.rend += n;
                    c.last_active = self.loop_now;
                    process_input(&mut self.engine, c);
                    if c.rend - c.rstart > QUERY_BUF_LIMIT {
                        log('M', Level::Warning, "Closing client that reached max query buffer length");
                        dead = true;
                        break;
                    }
                    reads += 1;
                    // A short read emptied the socket; a later arrival
                    // raises a new edge.
                    if n < want && !hup {
                        break;
                    }
                    if reads >= MAX_READS_PER_EVENT {
                        self.reads.push(tok);
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    dead = true;
                    break;
                }
            }
        }
        if dead {
            self.close_conn(tok);
            return;
        }
        if c.pending_out() > 0 || c.session.is_closing() {
            queue_write(&mut self.writes, c, tok);
        }
    }

    /// Writes pending output; closes the connection when it is done with.
    fn flush(&mut self, tok: usize) {
        let Some(Some(c)) = self.conns.get_mut(tok) else { return };
        let mut dead = false;
        while !c.out.is_empty() {
            match c.stream.write(c.out.front()) {
                Ok(0) => {
                    dead = true;
                    break;
                }
                Ok(n) => {
                    // A buffer written out is released (a small one kept).
                    c.out.advance(n, BUF_KEEP);
                    c.last_active = self.loop_now;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => {
                    dead = true;
                    break;
                }
            }
        }
        // What was written no longer counts against the client's limit.
        note_output(&mut self.engine, c);
        if dead || (c.session.is_closing() && c.out.is_empty()) {
            self.close_conn(tok);
            return;
        }
        if c.read_paused && c.pending_out() < OUTPUT_PAUSE / 2 {
            c.read_paused = false;
            // Serve the buffered input, then read on (no new edge may come).
            self.reads.push(tok);
        }
    }

    /// Delivers replies the engine produced outside `execute` (unblocked
    /// commands, timeouts), resumes unblocked clients, and marks clients the
    /// engine wants closed.
    fn handle_woken(&mut self) {
        loop {
            let woken = self.engine.take_woken();
            if woken.is_empty() {
                return;
            }
            for id in woken {
                let Some(&tok) = self.by_id.get(&id) else { continue };
                let Some(Some(c)) = self.conns.get_mut(tok) else { continue };
                if self.engine.resume(&mut c.session, &mut c.out) == Resume::Drop {
                    // Closed by someone else (CLIENT KILL): like Redis's
                    // close-ASAP, pending output is dropped.
                    self.close_conn(tok);
                    continue;
                }
                process_input(&mut self.engine, c);
                queue_write(&mut self.writes, c, tok);
            }
        }
    }

    fn close_conn(&mut self, tok: usize) {
        let Some(slot) = self.conns.get_mut(tok) else { return };
        let Some(mut c) = slot.take() else { return };
        let _ = self.poll.registry().deregister(&mut c.stream);
        self.by_id.remove(&c.session.id());
        self.engine.close(c.session);
        self.freed.push(tok);
    }
}

/// One connection's protocol state as the event loop sees it (see
/// [`Session`], whose methods these are).
pub trait BackendSession {
    /// The client id the backend's `take_woken` names this connection by.
    fn id(&self) -> ClientId;
    /// A blocked command is waiting: buffered input waits too.
    fn is_blocked(&self) -> bool;
    /// Close once the output is written.
    fn is_closing(&self) -> bool;
    /// The peer went away: run no more input.
    fn set_closing(&mut self);
    /// A request has been started but not completed (keep the buffer).
    fn in_request(&self) -> bool;
    /// How many more bytes the request in progress needs, when known.
    fn bulk_bytes_needed(&self, buffered: usize) -> Option<u64>;
}

/// What the event loop serves: the native [`Engine`] (`redlet serve`) or a
/// component instance (`redlet-wasmtime serve`). The loop is generic over
/// it, so the native path is monomorphized (no dynamic dispatch per
/// command) and both servers share every rule of the loop: group commit,
/// output pauses, blocked clients, idle timeouts, signals.
pub trait Backend {
    /// Per-connection state.
    type Session: BackendSession;
    /// A new client for an accepted connection.
    fn open(&mut self, info: ClientInfo) -> Self::Session;
    /// Runs the complete requests at the start of `input`, appending the
    /// replies to `out` until it holds `out_pause` bytes; returns the bytes
    /// consumed ([`Session::process`]).
    fn process(&mut self, s: &mut Self::Session, input: &[u8], out: &mut Output, out_pause: usize) -> usize;
    /// Delivers a woken client's replies ([`Session::resume`]).
    fn resume(&mut self, s: &mut Self::Session, out: &mut Output) -> Resume;
    /// Forgets a closed connection's client.
    fn close(&mut self, s: Self::Session);
    /// Reports a connection's unwritten output (`client-output-buffer-limit`,
    /// CLIENT LIST `omem`); true when the client is to be closed now,
    /// dropping that output ([`Engine::note_output`]). The default enforces
    /// nothing.
    fn note_output(&mut self, _s: &Self::Session, _pending: u64) -> bool {
        false
    }
    /// Clients with replies or messages ready since the last call.
    fn take_woken(&mut self) -> Vec<ClientId>;
    /// SHUTDOWN ran: the loop exits.
    fn shutdown_requested(&mut self) -> bool;
    /// A configuration parameter as CONFIG GET shows it.
    fn param(&mut self, name: &str) -> Option<String>;
    /// SHUTDOWN [SAVE|NOSAVE] on a signal.
    fn shutdown(&mut self, save: Option<bool>) -> Result<(), String>;
    /// Writes the journal records of the commands run so far.
    fn flush_journal(&mut self) -> Result<(), String>;
    /// Time until the earliest blocked-command deadline has passed.
    fn deadline_wait(&mut self) -> Option<Duration>;
    /// Serves passed deadlines (blocked-command timeouts).
    fn run_deadlines(&mut self);
    /// The periodic tick (`hz` times a second) with fresh INFO facts.
    fn tick(&mut self, host: &HostInfo);
    /// The `hz` directive.
    fn hz(&mut self) -> u32;
    /// The `timeout` directive (seconds, 0 = none).
    fn idle_timeout(&mut self) -> u64;
    /// The `maxclients` directive.
    fn maxclients(&mut self) -> u64;
    /// Memory the dataset uses (INFO `used_memory`); `u64::MAX` when
    /// unknown (no allocator purge then).
    fn used_memory(&mut self) -> u64 {
        u64::MAX
    }
    /// Runs a step of background work (a background save) and says
    /// whether more remains. The default has none.
    fn background_step(&mut self) -> bool {
        false
    }
    /// Whether to serve a new connection (`connected` are served; `local`:
    /// a loopback peer); `Err` is the line to write before closing it. The
    /// default checks `maxclients` only.
    fn admit(&mut self, connected: u64, _local: bool) -> Result<(), &'static str> {
        if connected >= self.maxclients() {
            return Err("-ERR max number of clients reached\r\n");
        }
        Ok(())
    }
    /// A failure that stops the server (a component instance that
    /// trapped); checked once per loop iteration.
    fn failure(&mut self) -> Option<String> {
        None
    }
}

impl BackendSession for Session {
    #[inline]
    fn id(&self) -> ClientId {
        Session::id(self)
    }
    #[inline]
    fn is_blocked(&self) -> bool {
        Session::is_blocked(self)
    }
    #[inline]
    fn is_closing(&self) -> bool {
        Session::is_closing(self)
    }
    #[inline]
    fn set_closing(&mut self) {
        Session::set_closing(self)
    }
    #[inline]
    fn in_request(&self) -> bool {
        Session::in_request(self)
    }
    #[inline]
    fn bulk_bytes_needed(&self, buffered: usize) -> Option<u64> {
        Session::bulk_bytes_needed(self, buffered)
    }
}

impl Backend for Engine {
    type Session = Session;
    fn open(&mut self, info: ClientInfo) -> Session {
        Session::open(self, info)
    }
    #[inline]
    fn process(&mut self, s: &mut Session, input: &[u8], out: &mut Output, out_pause: usize) -> usize {
        s.process(self, input, out, out_pause)
    }
    fn resume(&mut self, s: &mut Session, out: &mut Output) -> Resume {
        s.resume(self, out)
    }
    fn close(&mut self, s: Session) {
        s.close(self)
    }
    fn note_output(&mut self, s: &Session, pending: u64) -> bool {
        Engine::note_output(self, s.id(), pending)
    }
    fn take_woken(&mut self) -> Vec<ClientId> {
        Engine::take_woken(self)
    }
    fn shutdown_requested(&mut self) -> bool {
        Engine::shutdown_requested(self)
    }
    fn param(&mut self, name: &str) -> Option<String> {
        self.config().get_param(name)
    }
    fn shutdown(&mut self, save: Option<bool>) -> Result<(), String> {
        Engine::shutdown(self, save).map_err(|e| e.to_string())
    }
    fn flush_journal(&mut self) -> Result<(), String> {
        Engine::flush_journal(self).map_err(|e| e.to_string())
    }
    fn deadline_wait(&mut self) -> Option<Duration> {
        // Deadlines are served once strictly passed.
        self.next_deadline_ms().map(|d| Duration::from_millis(d.saturating_add(1).saturating_sub(self.now_ms())))
    }
    fn run_deadlines(&mut self) {
        let now_ms = self.now_ms();
        if self.next_deadline_ms().is_some_and(|d| d < now_ms) {
            self.expire_blocked(now_ms);
        }
    }
    fn tick(&mut self, host: &HostInfo) {
        Engine::tick(self);
        self.set_host_info(host.clone());
    }
    fn hz(&mut self) -> u32 {
        self.config().hz
    }
    fn idle_timeout(&mut self) -> u64 {
        self.config().timeout
    }
    fn maxclients(&mut self) -> u64 {
        self.config().maxclients
    }
    fn background_step(&mut self) -> bool {
        Engine::background_step(self)
    }
    fn used_memory(&mut self) -> u64 {
        Engine::used_memory(self)
    }
    /// The engine's gates: maxclients and protected mode.
    fn admit(&mut self, connected: u64, local: bool) -> Result<(), &'static str> {
        Engine::admit(self, connected, local)
    }
}
