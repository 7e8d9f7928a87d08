//! `redlet-wasmtime serve`: the native server's event loop
//! ([`redlet_host::server::run_with`]) over the component instead of the
//! native engine. [`ComponentBackend`] is the [`Backend`] that turns the
//! loop's calls into component calls: `connection.resp` / `resume` for
//! the bytes, `database.woken` / `tick` / `next-wakeup` for timers.
//!
//! Invariants:
//! - The component consumes only complete commands; the loop keeps the
//!   rest buffered and passes it again with more bytes. A request that
//!   stays incomplete past one read chunk is read in doubling steps
//!   ([`BackendSession::bulk_bytes_needed`]), so a big value is copied
//!   into the component a logarithmic number of times.
//! - Configuration the loop reads (`hz`, `timeout`, `maxclients`,
//!   `appendfsync`, `shutdown-on-*`) is the start-up configuration: the
//!   loop cannot see a CONFIG SET inside the component.
//! - Group commit: with `appendfsync always` the component flushes the
//!   journal after each write itself and reports a failure through
//!   `database.fatal`; the loop checks it before writing any reply and
//!   stops the server, as `redlet serve` does.
//! - A trap (a bug; no limits are set here) stops the server with the
//!   trap's message: what is durable in the data folder is loaded by the
//!   next start.

use std::time::Duration;

use redlet::clock::SystemClock;
use redlet::config::HostInfo;
use redlet::output::Output;
use redlet::session::Resume;
use redlet::{ClientId, ClientInfo};
use redlet_host::log::{log, Level};
use redlet_host::server::{Backend, BackendSession, Start};

use crate::{Connection, Database, DirStorage, Error, Instance, Limits, Redlet};

/// Bytes of one read of the native loop; past it an incomplete request is
/// read in doubling steps.
const READ_CHUNK: usize = 16 * 1024;

/// One connection: the component's `connection` and what its last call
/// said.
pub struct ComponentSession {
    /// `None` when the component could not make the connection (the
    /// failure stops the loop).
    conn: Option<Connection>,
    id: ClientId,
    blocked: bool,
    closing: bool,
}

impl BackendSession for ComponentSession {
    fn id(&self) -> ClientId {
        self.id
    }
    fn is_blocked(&self) -> bool {
        self.blocked
    }
    fn is_closing(&self) -> bool {
        self.closing
    }
    fn set_closing(&mut self) {
        self.closing = true;
    }
    fn in_request(&self) -> bool {
        // Unconsumed input stays in the loop's buffer, so once the buffer
        // is empty no request is in progress.
        false
    }
    fn bulk_bytes_needed(&self, buffered: usize) -> Option<u64> {
        // Unknown here: an incomplete request already past one chunk gets
        // reads as large as what has arrived (doubling).
        (buffered >= READ_CHUNK).then_some(u64::MAX)
    }
}

/// The component as the event loop's backend. See the module docs.
pub struct ComponentBackend {
    inst: Instance,
    db: Database,
    failure: Option<String>,
    /// A call hinted that SHUTDOWN may have run; checked once.
    maybe_shutdown: bool,
    shut_down: bool,
    /// `next-wakeup` as last read (Unix ms), for `run_deadlines`.
    wakeup: Option<u64>,
    hz: u32,
    timeout: u64,
    maxclients: u64,
    params: redlet::Config,
}

impl ComponentBackend {
    /// Instantiates `redlet` over the data folder and opens the database
    /// (space `default`, i.e. the folder's `redlet.snapshot` /
    /// `redlet.journal`, when `st.persist`), logging like `redlet serve`.
    pub fn start(redlet: &Redlet, st: Start) -> Result<ComponentBackend, String> {
        let storage = match std::env::var("REDLET_FAULTS") {
            Ok(spec) if !spec.is_empty() => {
                let faults = redlet_host::storage::Faults::from_spec(&spec).map_err(|e| format!("REDLET_FAULTS: {e}"))?;
                log('M', Level::Warning, &format!("Storage fault injection armed: {spec}"));
                DirStorage::with_faults(&st.dir, faults)
            }
            _ => DirStorage::new(&st.dir),
        };
        let mut inst = redlet.instantiate(storage, SystemClock, Limits::default()).map_err(|e| e.to_string())?;
        let config: Vec<(&str, &str)> = st.directives.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        if !st.persist {
            log('M', Level::Notice, "No --dir given: the dataset is kept in memory only");
        }
        let t0 = std::time::Instant::now();
        let db = match inst.open(&config, st.persist.then_some("default"), Some(st.seed)) {
            Ok(db) => db,
            Err(Error::Storage(m)) => {
                let blob = if m.starts_with("journal") { "redlet.journal" } else { "redlet.snapshot" };
                let reason = m.split_once(": ").map_or(m.as_str(), |(_, r)| r);
                return Err(format!(
                    "Fatal error loading {}: {reason}. The file was left as it is; move it away (or fix it) to start.",
                    st.dir.join(blob).display()
                ));
            }
            Err(e) => return Err(e.to_string()),
        };
        if st.persist {
            let report = db.load_report(&mut inst).map_err(|e| e.to_string())?;
            if report.journal_records > 0 {
                log('M', Level::Notice, &format!("Journal replayed: {} records", report.journal_records));
            }
            log('M', Level::Notice, &format!("DB loaded from disk: {:.3} seconds", t0.elapsed().as_secs_f64()));
        }
        Ok(ComponentBackend {
            inst,
            db,
            failure: None,
            maybe_shutdown: false,
            shut_down: false,
            wakeup: None,
            hz: st.config.hz,
            timeout: st.config.timeout,
            maxclients: st.config.maxclients,
            params: st.config,
        })
    }

    /// Records a failed call: traps stop the server.
    fn fail(&mut self, e: Error) {
        if self.failure.is_none() {
            self.failure = Some(format!("The redlet component failed: {e}"));
        }
    }

    fn note(&mut self, s: &mut ComponentSession, r: &crate::RespResult) {
        s.blocked = r.blocked;
        if r.closing {
            s.closing = true;
            // SHUTDOWN closes its client (or a closed database answers
            // every call `closing`).
            self.maybe_shutdown = true;
        }
    }
}

impl Backend for ComponentBackend {
    type Session = ComponentSession;

    fn open(&mut self, info: ClientInfo) -> ComponentSession {
        let (conn, id) = match self.db.connect(&mut self.inst, &info.addr) {
            Ok(c) => match c.id(&mut self.inst) {
                Ok(id) => (Some(c), id),
                Err(e) => {
                    self.fail(e);
                    (Some(c), 0)
                }
            },
            Err(e) => {
                self.fail(e);
                (None, 0)
            }
        };
        let closing = conn.is_none();
        ComponentSession { conn, id, blocked: false, closing }
    }

    fn process(&mut self, s: &mut ComponentSession, input: &[u8], out: &mut Output, out_pause: usize) -> usize {
        let Some(conn) = s.conn else { return input.len() };
        if s.closing {
            return input.len();
        }
        if s.blocked || out.len() >= out_pause || input.is_empty() {
            return 0;
        }
        let limit = u32::try_from(out_pause - out.len()).unwrap_or(u32::MAX).max(1);
        match conn.resp(&mut self.inst, input, limit) {
            Ok(mut r) => {
                // The component's bytes move in whole (no copy).
                let output = core::mem::take(&mut r.output);
                let silent = output.is_empty();
                out.push_owned(output);
                self.note(s, &r);
                if r.consumed > 0 && silent && !r.blocked {
                    // Only SHUTDOWN answers nothing.
                    self.maybe_shutdown = true;
                }
                if s.closing {
                    input.len()
                } else {
                    (r.consumed as usize).min(input.len())
                }
            }
            Err(e) => {
                self.fail(e);
                s.closing = true;
                input.len()
            }
        }
    }

    fn resume(&mut self, s: &mut ComponentSession, out: &mut Output) -> Resume {
        let was_closing = s.closing;
        let Some(conn) = s.conn else { return Resume::Drop };
        match conn.resume(&mut self.inst) {
            Ok(r) => {
                out.push_owned(r.output);
                s.blocked = r.blocked;
                if r.closing && !was_closing {
                    // Killed by another client (CLIENT KILL).
                    s.closing = true;
                    return Resume::Drop;
                }
                Resume::Keep
            }
            Err(e) => {
                self.fail(e);
                Resume::Drop
            }
        }
    }

    fn close(&mut self, s: ComponentSession) {
        if let Some(Err(e)) = s.conn.map(|c| c.close(&mut self.inst)) {
            self.fail(e);
        }
    }

    fn take_woken(&mut self) -> Vec<ClientId> {
        match self.db.woken(&mut self.inst) {
            Ok(w) => w,
            Err(e) => {
                self.fail(e);
                Vec::new()
            }
        }
    }

    fn shutdown_requested(&mut self) -> bool {
        if std::mem::take(&mut self.maybe_shutdown) && !self.shut_down {
            // `flush` fails with the shut-down error once the database is
            // closed; otherwise it only syncs the journal.
            if let Err(Error::Reply(m)) = self.db.flush(&mut self.inst) {
                self.shut_down = m.contains("shut down");
            }
        }
        self.shut_down
    }

    fn param(&mut self, name: &str) -> Option<String> {
        self.params.get_param(name)
    }

    fn shutdown(&mut self, save: Option<bool>) -> Result<(), String> {
        self.db.shutdown(&mut self.inst, save).map_err(|e| match e {
            Error::Storage(m) => m,
            other => other.to_string(),
        })
    }

    fn flush_journal(&mut self) -> Result<(), String> {
        if self.params.get_param("appendfsync").as_deref() == Some("always") {
            match self.db.fatal(&mut self.inst) {
                Ok(Some(m)) => return Err(m),
                Ok(None) => {}
                Err(e) => self.fail(e),
            }
        }
        Ok(())
    }

    fn deadline_wait(&mut self) -> Option<Duration> {
        self.wakeup = match self.db.next_wakeup(&mut self.inst) {
            Ok(w) => w,
            Err(e) => {
                self.fail(e);
                None
            }
        };
        let now = redlet::clock::Clock::now_micros(&SystemClock) / 1000;
        // Deadlines are served once strictly passed.
        self.wakeup.map(|d| Duration::from_millis(d.saturating_add(1).saturating_sub(now)))
    }

    fn run_deadlines(&mut self) {
        let now = redlet::clock::Clock::now_micros(&SystemClock) / 1000;
        if self.wakeup.is_some_and(|d| d < now) {
            self.wakeup = None;
            if let Err(e) = self.db.tick(&mut self.inst) {
                self.fail(e);
            }
        }
    }

    fn tick(&mut self, _host: &HostInfo) {
        if let Err(e) = self.db.tick(&mut self.inst) {
            self.fail(e);
        }
    }

    fn hz(&mut self) -> u32 {
        self.hz
    }

    fn idle_timeout(&mut self) -> u64 {
        self.timeout
    }

    fn maxclients(&mut self) -> u64 {
        self.maxclients
    }

    fn failure(&mut self) -> Option<String> {
        self.failure.take()
    }
}
