//! The [`Engine`]: databases, clients, configuration, clock and RNG, and the
//! single command entry point.
//!
//! A host opens clients, feeds each client's commands to [`Engine::execute`]
//! and writes back the replies. A command that must wait (BLPOP on an empty
//! list) answers `None`: the client is blocked, and the host must not send it
//! further commands until its reply shows up in [`Engine::take_woken`] /
//! [`Engine::pop_output`]. The host also calls [`Engine::tick`] about `hz`
//! times a second (and at [`Engine::next_deadline_ms`]) for timeouts and
//! active expiry.
//!
//! Generic checks (lookup, subcommands, arity) run here before any handler,
//! then the transaction and pub/sub gates: inside MULTI commands are queued,
//! a RESP2 client in pub/sub mode may only (un)subscribe, PING, QUIT, RESET.
//! After every command, keys written that blocked clients wait on are served,
//! in the order those clients blocked, by re-running their commands.
//!
//! Output order: a command may answer several times (SUBSCRIBE confirms each
//! channel) and messages may be published to its own client while it runs;
//! `execute` returns them all, in the order Redis writes them, as one
//! [`Reply`] (a [`Reply::Seq`] when there are several). Messages to other
//! clients wait in their outbox, announced by [`Engine::take_woken`].

use alloc::boxed::Box;
use alloc::collections::{BTreeSet, VecDeque};
use alloc::string::String;
use alloc::vec::Vec;

use foldhash::fast::FixedState;
use hashbrown::HashMap;

use crate::client::{Blocked, Client, ClientId, ClientInfo};
use crate::clock::Clock;
use crate::cmd::{self, Args, Command, Ctx};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::keyspace::Db;
use crate::reply::{Protocol, Reply};
use crate::rng::Rng;

/// Per-command statistics (INFO commandstats).
#[derive(Debug, Clone, Copy, Default)]
pub struct CmdStat {
    /// Successful or failed executions.
    pub calls: u64,
    /// Total microseconds spent.
    pub usec: u64,
    /// Rejected before execution (arity, OOM, ...).
    pub rejected_calls: u64,
    /// Executions that replied with an error.
    pub failed_calls: u64,
}

/// Engine-wide counters (INFO stats).
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Commands executed.
    pub total_commands_processed: u64,
    /// Clients opened.
    pub total_connections_received: u64,
    /// Error replies sent.
    pub total_error_replies: u64,
    /// Commands rejected before execution (unknown, arity, ...).
    pub unexpected_error_replies: u64,
    /// Keys evicted for maxmemory.
    pub evicted_keys: u64,
    /// Connections refused at accept (maxclients, protected mode).
    pub rejected_connections: u64,
    /// Error counts by error code (INFO errorstats).
    pub errorstats: Vec<(String, u64)>,
}

/// How the engine is set up.
pub struct Options {
    /// Configuration.
    pub config: Config,
    /// Source of time.
    pub clock: Box<dyn Clock + Send>,
    /// Seed of every random choice the engine makes.
    pub seed: u64,
}

/// One entry of the resolved command table.
struct TableEntry {
    cmd: &'static Command,
    /// Index of this command's stats; subcommands follow at `stat + 1 + i`.
    stat: usize,
}

/// `reply` as a client gets it under CLIENT REPLY OFF/SKIP: nothing but
/// the pushes in it (pub/sub confirmations), which Redis 7.0 sends
/// regardless.
fn silence(reply: Reply) -> Reply {
    match reply {
        Reply::Push(_) => reply,
        Reply::Seq(items) => Reply::Seq(items.into_iter().filter(|r| matches!(r, Reply::Push(_))).collect()),
        _ => Reply::Seq(Vec::new()),
    }
}

/// The command table, resolved once at start.
pub(crate) struct Table {
    by_name: HashMap<Box<[u8]>, usize, FixedState>,
    entries: Vec<TableEntry>,
    /// Full names (`get`, `config|get`) by stat index.
    pub(crate) full_names: Vec<String>,
}

impl Table {
    fn build() -> Table {
        let mut t = Table { by_name: HashMap::with_hasher(FixedState::with_seed(0)), entries: Vec::new(), full_names: Vec::new() };
        for fam in cmd::families() {
            for c in fam.iter() {
                let stat = t.full_names.len();
                t.full_names.push(String::from(c.name));
                for s in c.subcommands {
                    let mut n = String::from(c.name);
                    n.push('|');
                    n.push_str(s.name);
                    t.full_names.push(n);
                }
                t.by_name.insert(c.name.as_bytes().into(), t.entries.len());
                t.entries.push(TableEntry { cmd: c, stat });
            }
        }
        t
    }

    /// Looks a command (and subcommand) up; returns the command to run and
    /// its stat index, or Redis's unknown-command / unknown-subcommand error.
    pub(crate) fn resolve(&self, argv: &[&[u8]]) -> Result<(&'static Command, usize, usize)> {
        let name = argv.first().copied().unwrap_or(b"");
        let e = self.get(name).ok_or_else(|| Error::UnknownCommand {
            name: name.to_vec(),
            args: argv.iter().skip(1).map(|a| a.to_vec()).collect(),
        })?;
        let c = e.cmd;
        if c.subcommands.is_empty() || argv.len() < 2 {
            return Ok((c, e.stat, 1));
        }
        let sub = argv[1];
        match c.subcommands.iter().position(|s| sub.eq_ignore_ascii_case(s.name.as_bytes())) {
            Some(i) => Ok((&c.subcommands[i], e.stat + 1 + i, 2)),
            None => Err(Error::UnknownSubcommand { sub: sub.to_vec(), cmd: c.name.to_ascii_uppercase() }),
        }
    }

    fn get(&self, name: &[u8]) -> Option<&TableEntry> {
        let mut buf = [0u8; 32];
        if name.len() > buf.len() {
            return None;
        }
        let lower = &mut buf[..name.len()];
        lower.copy_from_slice(name);
        lower.make_ascii_lowercase();
        self.by_name.get(&*lower).map(|&i| &self.entries[i])
    }

    /// Every top-level command.
    pub(crate) fn commands(&self) -> impl Iterator<Item = &'static Command> + '_ {
        self.entries.iter().map(|e| e.cmd)
    }

    /// The top-level command named `name` (any case).
    pub(crate) fn command(&self, name: &[u8]) -> Option<&'static Command> {
        self.get(name).map(|e| e.cmd)
    }
}

/// The engine. See the module docs.
pub struct Engine {
    /// The logical databases.
    pub(crate) dbs: Vec<Db>,
    /// Configuration.
    pub(crate) config: Config,
    pub(crate) clock: Box<dyn Clock + Send>,
    pub(crate) rng: Rng,
    pub(crate) clients: HashMap<ClientId, Client, FixedState>,
    next_client_id: ClientId,
    pub(crate) table: Table,
    pub(crate) cmdstats: Vec<CmdStat>,
    /// Per-command latency histograms by stat index (`latency-tracking`),
    /// made at a command's first call.
    pub(crate) latency_hist: Vec<Option<Box<crate::diagnostics::Histogram>>>,
    /// `latency-tracking` (cached from the configuration).
    pub(crate) latency_tracking: bool,
    pub(crate) stats: Stats,
    /// SLOWLOG's entries.
    pub(crate) slowlog: crate::diagnostics::SlowLog,
    /// LATENCY's event series.
    pub(crate) latency: crate::diagnostics::Latency,
    /// CLIENT PAUSE's state and postponed clients.
    pub(crate) pause: crate::pause::Pause,
    /// MONITOR clients, in the order they started.
    pub(crate) monitors: Vec<ClientId>,
    /// ACL users and the ACL log.
    pub(crate) acl: crate::acl::Acl,
    /// New connections must authenticate (the default user has a password
    /// or is off): cached from [`Engine::acl`], checked on every command.
    pub(crate) auth_required: bool,
    /// The `requirepass` value last applied to the default user: a CONFIG
    /// SET of another parameter must not reset its passwords.
    requirepass_applied: String,
    /// CLIENT TRACKING's tables.
    pub(crate) tracking: crate::tracking::Tracking,
    /// The client whose command is running (Redis's `current_client`:
    /// a script's caller, not the script client), between its command's
    /// start and its reply.
    pub(crate) executing: Option<ClientId>,
    /// Invalidation messages about the running command's own client's
    /// keys, held until its reply is out (see [`crate::tracking`]).
    pub(crate) tracking_pending: Vec<(ClientId, Reply)>,
    /// The maxmemory gate is evicting before a command runs: invalidations
    /// go out at once (see [`crate::tracking`]).
    pub(crate) evicting_before_command: bool,
    /// `client-output-buffer-limit` per class (see [`Engine::note_output`]).
    obuf_limits: [[u64; 3]; 3],
    /// The running command came through [`Engine::execute_resp`].
    pub(crate) wire_call: bool,
    /// The client the running command belongs to (the script client for a
    /// script's commands): who changed a key, for BCAST's NOLOOP.
    pub(crate) cmd_client: ClientId,
    /// Changes since the last save.
    pub(crate) dirty: u64,
    /// Engine start time, ms.
    pub(crate) start_ms: u64,
    /// Per db: key -> clients blocked on it, in blocking order. Kept apart
    /// from `Db` because SWAPDB swaps data, not waiting clients.
    pub(crate) blocked_keys: Vec<HashMap<Box<[u8]>, VecDeque<ClientId>, FixedState>>,
    /// Deadlines of blocked clients.
    deadlines: BTreeSet<(u64, ClientId)>,
    /// Keys written this command that some client waits on.
    ready_keys: Vec<(usize, Box<[u8]>)>,
    /// The keys queued in `ready_keys` and not yet being served: a key is
    /// queued once until its turn comes, as Redis's `db->ready_keys` does.
    ready_set: hashbrown::HashSet<(usize, Box<[u8]>), FixedState>,
    /// The ready key (db, key) whose waiters are being served right now.
    serving: Option<(usize, Box<[u8]>)>,
    /// Clients with something in their outbox (or to close), not yet drained.
    woken: Vec<ClientId>,
    /// Facts about the host process for INFO.
    pub(crate) host: crate::config::HostInfo,
    /// Who listens to which channels, patterns and shard channels.
    pub(crate) pubsub: crate::pubsub::PubSub,
    /// Per db: key -> clients WATCHing it, in WATCH order. Kept by db index
    /// (SWAPDB and FLUSHDB invalidate watches, they do not move them).
    pub(crate) watched: Vec<HashMap<Box<[u8]>, Vec<ClientId>, FixedState>>,
    /// `notify-keyspace-events` parsed ([`crate::config::notify`] bits);
    /// refreshed by [`Engine::refresh_notify_flags`].
    pub(crate) notify_flags: u32,
    /// Where the running command's reply goes among the messages published
    /// to its own client: the client's outbox length when the handler said
    /// its reply was out (`Ctx::reply_point`); `None` = after them all.
    pub(crate) reply_mark: Option<usize>,
    /// Messages published to the running command's own client that Redis
    /// writes in the middle of its reply, each under the slot the command
    /// places it at (`Ctx::reply_inside` / `Ctx::inside`).
    pub(crate) reply_inner: Vec<(usize, Reply)>,
    /// Number of dbs recording events: while 0 there is nothing to drain.
    recording_dbs: usize,
    /// Snapshots, journal, save points, shutdown ([`crate::persist`]).
    pub(crate) persist: crate::persist::PersistState,
    /// Eviction pool and cursor (see [`crate::evict`]).
    pub(crate) evictor: crate::evict::Evictor,
    /// Per db: clients blocked there that a deleted key wakes (XREADGROUP).
    /// While nonzero the db records expiries, so an expired stream key
    /// (lazily or actively) wakes them as Redis's `signalDeletedKeyAsReady`.
    delete_waiters: Vec<usize>,
    /// Whether the running command found the engine over `maxmemory` after
    /// evicting (Redis's `pre_command_oom_state`): scripts refuse their
    /// first write then.
    pub(crate) pre_command_oom: bool,
    /// Lua scripting ([`crate::script`]).
    #[cfg(feature = "scripting")]
    pub(crate) scripting: crate::script::Scripting,
    /// Redis functions ([`crate::script::function`]).
    #[cfg(feature = "scripting")]
    pub(crate) functions: crate::script::function::Functions,
}

/// What Redis 7.0.15 writes to a remote peer it refuses in protected mode
/// (its text, typos included).
const PROTECTED_MODE_DENIAL: &str = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/// Id of the internal client the typed API runs as.
pub const SYSTEM_CLIENT: ClientId = 0;

impl Engine {
    /// A new engine.
    pub fn new(opts: Options) -> Engine {
        let mut rng = Rng::new(opts.seed);
        let ndb = opts.config.databases.max(1);
        let dbs = (0..ndb).map(|_| Db::new(rng.next_u64())).collect();
        let blocked_keys = (0..ndb).map(|_| HashMap::with_hasher(FixedState::with_seed(rng.next_u64()))).collect();
        let table = Table::build();
        let cmdstats = alloc::vec![CmdStat::default(); table.full_names.len()];
        let latency_hist = (0..table.full_names.len()).map(|_| None).collect();
        let acl = crate::acl::Acl::new(crate::acl::Catalog::from_commands(table.commands()));
        let start_ms = opts.clock.now_micros() / 1000;
        let mut clients = HashMap::with_hasher(FixedState::with_seed(rng.next_u64()));
        clients.insert(SYSTEM_CLIENT, Client::new(SYSTEM_CLIENT, ClientInfo { fd: -1, ..Default::default() }, start_ms));
        let pubsub = crate::pubsub::PubSub::new(rng.next_u64());
        let watched = (0..ndb).map(|_| HashMap::with_hasher(FixedState::with_seed(rng.next_u64()))).collect();
        let mut e = Engine {
            dbs,
            config: opts.config,
            clock: opts.clock,
            rng,
            clients,
            next_client_id: 1,
            table,
            latency_hist,
            latency_tracking: true,
            cmdstats,
            stats: Stats::default(),
            slowlog: Default::default(),
            latency: Default::default(),
            pause: Default::default(),
            monitors: Vec::new(),
            tracking: Default::default(),
            acl,
            auth_required: false,
            requirepass_applied: String::new(),
            executing: None,
            tracking_pending: Vec::new(),
            evicting_before_command: false,
            obuf_limits: [[0; 3]; 3],
            wire_call: false,
            cmd_client: SYSTEM_CLIENT,
            dirty: 0,
            start_ms,
            blocked_keys,
            deadlines: BTreeSet::new(),
            ready_keys: Vec::new(),
            ready_set: hashbrown::HashSet::with_hasher(FixedState::with_seed(0)),
            serving: None,
            woken: Vec::new(),
            host: crate::config::HostInfo::default(),
            pubsub,
            watched,
            notify_flags: 0,
            reply_mark: None,
            reply_inner: Vec::new(),
            recording_dbs: 0,
            persist: Default::default(),
            evictor: crate::evict::Evictor::default(),
            delete_waiters: alloc::vec![0; ndb],
            pre_command_oom: false,
            #[cfg(feature = "scripting")]
            scripting: crate::script::Scripting::new(),
            #[cfg(feature = "scripting")]
            functions: Default::default(),
        };
        e.refresh_notify_flags();
        e.refresh_obuf_limits();
        let pubsub_all = e.config.get_param("acl-pubsub-default").is_some_and(|v| v == "allchannels");
        let users = core::mem::take(&mut e.config.users);
        e.acl.declare(&users, pubsub_all);
        e.config.users = users;
        e.acl_changed();
        e.sync_access();
        e
    }

    /// Re-reads `notify-keyspace-events` after a configuration change and
    /// tells every db which events to record for it.
    pub(crate) fn refresh_notify_flags(&mut self) {
        self.notify_flags = self.config.notify_flags();
        self.latency_tracking = self.config.get_param("latency-tracking").as_deref() != Some("no");
        let pass = self.config.get_param("requirepass").unwrap_or_default();
        if pass != self.requirepass_applied {
            // Redis's ACLUpdateDefaultUserPassword.
            self.acl.set_default_password(if pass.is_empty() { None } else { Some(pass.as_bytes()) });
            self.requirepass_applied = pass;
        }
        self.auth_required = self.acl.auth_required();
        self.refresh_persist_config();
        for db in 0..self.dbs.len() {
            self.sync_db_events(db);
        }
    }

    /// Sets which events db `db` records: the notification classes enabled
    /// (when a keyspace or keyevent channel is on), plus expiries while
    /// someone WATCHes a key there (an expired watched key fails EXEC),
    /// XREADGROUP waits there, or the tracking table is live.
    pub(crate) fn sync_db_events(&mut self, db: usize) {
        use crate::config::notify::{EXPIRED, KEYEVENT, KEYSPACE};
        let f = self.notify_flags;
        let mut classes = if f & (KEYSPACE | KEYEVENT) != 0 { f } else { 0 };
        if self.watched.get(db).is_some_and(|w| !w.is_empty()) || self.delete_waiters.get(db).is_some_and(|&n| n > 0) || self.tracking_live() {
            classes |= EXPIRED;
        }
        if let Some(d) = self.dbs.get_mut(db) {
            let was = d.recorded_events() != 0;
            d.record_events(classes);
            if classes == 0 {
                // Nobody wants what it holds any more.
                d.take_events();
            }
            match (was, classes != 0) {
                (false, true) => self.recording_dbs += 1,
                (true, false) => self.recording_dbs -= 1,
                _ => {}
            }
        }
    }

    /// Turns the events dbs recorded (expiries, key creations, read misses)
    /// into WATCH invalidations and keyspace notifications, oldest first.
    /// Runs before any command notification or key touch so those follow
    /// the events that happened before them, as in Redis.
    pub(crate) fn drain_db_events(&mut self) {
        use crate::config::notify::{EXPIRED, KEY_MISS, NEW};
        if self.recording_dbs == 0 {
            return;
        }
        for db in 0..self.dbs.len() {
            if !self.dbs[db].has_events() {
                continue;
            }
            for (class, key) in self.dbs[db].take_events() {
                let event = match class {
                    EXPIRED => {
                        // Redis signals the key as modified right after the
                        // deletion, whatever happened to the key since.
                        if self.watched[db].contains_key(&key) {
                            self.touch_watched_as(db, &key, true);
                        }
                        // A deleted stream wakes its XREADGROUP waiters.
                        if self.delete_waiters[db] > 0 {
                            self.mark_ready(db, &key);
                        }
                        self.tracking_invalidate(0, &key);
                        "expired"
                    }
                    NEW => "new",
                    KEY_MISS => "keymiss",
                    _ => continue,
                };
                self.deliver_keyspace_event(class, event, &key, db);
            }
        }
    }

    /// Publishes a keyspace notification (`__keyspace@<db>__:<key>` with the
    /// event as message and/or `__keyevent@<db>__:<event>` with the key as
    /// message) when `notify-keyspace-events` enables `class`, after the
    /// events the dbs recorded before it.
    pub(crate) fn notify_keyspace_event(&mut self, class: u32, event: &str, key: &[u8], db: usize) {
        self.drain_db_events();
        self.deliver_keyspace_event(class, event, key, db);
    }

    fn deliver_keyspace_event(&mut self, class: u32, event: &str, key: &[u8], db: usize) {
        use crate::config::notify::{KEYEVENT, KEYSPACE};
        let flags = self.notify_flags;
        if flags & class == 0 || self.pubsub.global_is_empty() {
            return;
        }
        let mut prefix = alloc::format!("__keyspace@{}__:", db).into_bytes();
        if flags & KEYSPACE != 0 {
            let mut chan = prefix.clone();
            chan.extend_from_slice(key);
            self.publish_message(&chan, event.as_bytes(), false);
        }
        if flags & KEYEVENT != 0 {
            // "__keyspace@" and "__keyevent@" have the same length.
            prefix[2..10].copy_from_slice(b"keyevent");
            prefix.extend_from_slice(event.as_bytes());
            self.publish_message(&prefix, key, false);
        }
    }

    /// Records the effect of a write for the journal, as a command that
    /// replays it deterministically (`DEL key` for an evicted or actively
    /// expired key, `SREM` for what SPOP chose, ...). Everything that
    /// changes the dataset outside a command's own propagation calls this.
    pub(crate) fn propagate(&mut self, db: usize, argv: &[&[u8]]) {
        self.journal_propagate(db, argv);
    }

    /// Tells the engine about its host process (INFO server).
    pub fn set_host_info(&mut self, info: crate::config::HostInfo) {
        self.host = info;
    }

    /// What the host told the engine about itself (see [`Engine::set_host_info`]).
    pub fn host_info(&self) -> &crate::config::HostInfo {
        &self.host
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The current time in ms from the engine's clock.
    pub fn now_ms(&self) -> u64 {
        self.clock.now_micros() / 1000
    }

    /// Opens a client and returns its id.
    pub fn open_client(&mut self, info: ClientInfo) -> ClientId {
        let id = self.next_client_id;
        self.next_client_id += 1;
        let now = self.now_ms();
        let mut c = Client::new(id, info, now);
        c.authenticated = !self.auth_required;
        self.clients.insert(id, c);
        self.stats.total_connections_received += 1;
        id
    }

    /// Whether a host may serve a new connection (Redis's accept-time
    /// gates): `connected` clients are already served and `local` says the
    /// peer is on the loopback interface (or a Unix socket). `Err` is the
    /// error line to write before closing it: `maxclients` reached, or
    /// protected mode (`protected-mode yes` and a default user without a
    /// password) refusing a remote peer. Refusals count in INFO's
    /// `rejected_connections`.
    pub fn admit(&mut self, connected: u64, local: bool) -> core::result::Result<(), &'static str> {
        let refusal = if connected >= self.config.maxclients {
            Some("-ERR max number of clients reached\r\n")
        } else if !local && self.acl.user(crate::acl::DEFAULT_USER).nopass() && self.config.get_param("protected-mode").as_deref() == Some("yes") {
            Some(PROTECTED_MODE_DENIAL)
        } else {
            None
        };
        match refusal {
            Some(r) => {
                self.stats.rejected_connections += 1;
                Err(r)
            }
            None => Ok(()),
        }
    }

    /// Makes client `id` run as ACL user `user` without a password, as a
    /// trusted host does for its plugins (Redis's module API
    /// `RM_AuthenticateClientWithACLUser`). Fails with Redis's WRONGPASS
    /// error when the user does not exist or is off.
    pub fn authenticate_as(&mut self, id: ClientId, user: &[u8]) -> Result<()> {
        let uid = self.acl.find_enabled(user);
        match (uid, self.clients.get_mut(&id)) {
            (Some(u), Some(c)) => {
                c.user = u;
                c.authenticated = true;
                Ok(())
            }
            _ => Err(Error::msg(crate::acl::WRONGPASS)),
        }
    }

    /// Whether client `id`'s ACL user may run `argv` (a command line the
    /// host is about to run for it another way, e.g. through the typed
    /// API): `Err` is the NOPERM error Redis would answer, and the refusal
    /// is in ACL LOG, as when the command is sent. Unknown commands and
    /// wrong arities are the host's to report; they pass here.
    pub fn acl_permits(&mut self, id: ClientId, argv: &[&[u8]]) -> Result<()> {
        let Ok((cmd, stat, pos)) = self.table.resolve(argv) else { return Ok(()) };
        let user = self.clients.get(&id).map_or(crate::acl::DEFAULT_USER, |c| c.user);
        match self.acl_check(user, cmd, stat, pos, argv) {
            Ok(()) => Ok(()),
            Err(d) => {
                let ctx = if self.clients.get(&id).is_some_and(|c| c.multi.is_some()) { crate::acl::Context::Multi } else { crate::acl::Context::Toplevel };
                Err(self.acl_refuse(id, d, stat, argv, ctx))
            }
        }
    }

    /// Whether ACL user `user` may run `argv`, for a host acting for that
    /// user without a client (a plugin's wasi:keyvalue call): Redis's
    /// NOPERM error when not, WRONGPASS when the user does not exist or is
    /// off. Not logged in ACL LOG (there is no client to name). Unknown
    /// commands and wrong arities pass; the host reports those.
    pub fn acl_permits_user(&self, user: &[u8], argv: &[&[u8]]) -> Result<()> {
        let Some(uid) = self.acl.find_enabled(user) else { return Err(Error::msg(crate::acl::WRONGPASS)) };
        let Ok((cmd, stat, pos)) = self.table.resolve(argv) else { return Ok(()) };
        self.acl_check(uid, cmd, stat, pos, argv).map_err(|d| crate::cmd::acl::noperm(d, &self.table.full_names[stat]))
    }

    /// The ACL user client `id` runs as (`None` for an unknown client).
    pub fn client_user(&self, id: ClientId) -> Option<&[u8]> {
        self.clients.get(&id).map(|c| self.acl.user(c.user).name.as_slice())
    }

    /// Whether the default user has a password or is off (`requirepass`):
    /// new connections then start unauthenticated.
    pub(crate) fn password_required(&self) -> bool {
        self.auth_required
    }

    /// Closes a client; a blocked client leaves nothing behind.
    pub fn close_client(&mut self, id: ClientId) {
        if id == SYSTEM_CLIENT {
            return;
        }
        self.unblock(id);
        self.discard_transaction(id);
        self.pubsub_unsubscribe_all(id);
        self.stop_monitor(id);
        self.disable_tracking(id);
        self.clients.remove(&id);
    }

    /// The client's protocol version (for rendering its replies).
    pub fn protocol(&self, id: ClientId) -> Protocol {
        self.clients.get(&id).map_or(Protocol::Resp2, |c| c.proto)
    }

    /// Whether `id` is the script client running a script's command.
    pub(crate) fn in_script(&self, id: ClientId) -> bool {
        #[cfg(feature = "scripting")]
        {
            id == SYSTEM_CLIENT && self.scripting.run.is_some()
        }
        #[cfg(not(feature = "scripting"))]
        {
            let _ = id;
            false
        }
    }

    /// Selects `db` for a client (the script client's SELECT context).
    #[cfg(feature = "scripting")]
    pub(crate) fn set_client_db(&mut self, id: ClientId, db: usize) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.db = db;
        }
    }

    /// Sets a client's protocol (the script client's `redis.setresp`).
    #[cfg(feature = "scripting")]
    pub(crate) fn set_protocol(&mut self, id: ClientId, p: Protocol) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.proto = p;
        }
    }

    /// The client's selected db (`SELECT`), for hosts whose typed calls
    /// run in a client's keyspace (the component's connections); `None`
    /// for an unknown client.
    pub fn client_db(&self, id: ClientId) -> Option<usize> {
        self.clients.get(&id).map(|c| c.db)
    }

    /// True when the host should close the client's connection once its
    /// pending replies are written (QUIT, CLIENT KILL).
    pub fn should_close(&self, id: ClientId) -> bool {
        self.clients.get(&id).is_none_or(|c| c.close)
    }

    /// A host reports how many bytes of client `id`'s replies and messages
    /// it still has to write (its output buffer; CLIENT LIST's `omem`).
    /// Past the `client-output-buffer-limit` of the client's class (`pubsub`
    /// while it is subscribed, `normal` otherwise) the client is closed as
    /// Redis closes it: at once past the hard limit, or once it has stayed
    /// past the soft limit for more than its seconds. Returns true when this
    /// call decided to close the client: its pending output is dropped, like
    /// CLIENT KILL's (a client closing already gives false).
    pub fn note_output(&mut self, id: ClientId, pending: u64) -> bool {
        let now = self.now_ms();
        let Some(c) = self.clients.get_mut(&id) else { return false };
        c.obuf_bytes = pending;
        // Already closing (QUIT, CLIENT KILL): the host goes on as it does.
        if c.close {
            return false;
        }
        let class = if c.subs.is_some() { 2 } else { 0 };
        let [hard, soft, secs] = self.obuf_limits[class];
        let over_hard = hard > 0 && pending >= hard;
        let mut over_soft = false;
        if soft > 0 && pending >= soft {
            if c.obuf_soft_since == 0 {
                c.obuf_soft_since = now.max(1);
            } else {
                over_soft = now.saturating_sub(c.obuf_soft_since) / 1000 > secs;
            }
        } else {
            c.obuf_soft_since = 0;
        }
        if !(over_hard || over_soft) {
            return false;
        }
        c.close = true;
        c.outbox.clear();
        self.unblock(id);
        self.wake(id);
        true
    }

    /// The `client-output-buffer-limit` classes the engine enforces
    /// (normal, replica, pubsub: hard bytes, soft bytes, soft seconds),
    /// read again after CONFIG SET.
    pub(crate) fn refresh_obuf_limits(&mut self) {
        let text = self.config.get_param("client-output-buffer-limit").unwrap_or_default();
        let f: Vec<&str> = text.split(' ').collect();
        for (i, limits) in self.obuf_limits.iter_mut().enumerate() {
            for (k, v) in limits.iter_mut().enumerate() {
                *v = f.get(i * 4 + k + 1).and_then(|x| x.parse().ok()).unwrap_or(0);
            }
        }
    }

    /// True while the client is blocked.
    pub fn is_blocked(&self, id: ClientId) -> bool {
        self.clients.get(&id).is_some_and(|c| c.blocked.is_some())
    }

    /// Number of clients currently blocked.
    pub fn blocked_clients(&self) -> usize {
        self.clients.values().filter(|c| c.blocked.is_some()).count()
    }

    /// True when [`Engine::take_woken`] would name a client: a cheap check
    /// for hosts that pay for every call (wasm).
    pub fn has_woken(&self) -> bool {
        !self.woken.is_empty()
    }

    /// Clients that have output waiting in their outbox (or must be closed)
    /// since the last call.
    pub fn take_woken(&mut self) -> Vec<ClientId> {
        let w = core::mem::take(&mut self.woken);
        for id in &w {
            if let Some(c) = self.clients.get_mut(id) {
                c.woken = false;
            }
        }
        w
    }

    /// The oldest pending output of a client.
    pub fn pop_output(&mut self, id: ClientId) -> Option<Reply> {
        self.clients.get_mut(&id)?.outbox.pop_front()
    }

    pub(crate) fn wake(&mut self, id: ClientId) {
        if let Some(c) = self.clients.get_mut(&id) {
            if !c.woken {
                c.woken = true;
                self.woken.push(id);
            }
        }
    }

    /// Runs one command for a client. Returns its reply, or `None` when the
    /// client is now blocked (its reply will arrive through its outbox).
    pub fn execute(&mut self, id: ClientId, argv: &[&[u8]]) -> Option<Reply> {
        self.execute_as(id, argv, false)
    }

    /// [`Engine::execute`] for a host that writes the reply out as RESP
    /// bytes at once (a [`crate::session::Session`]): a large aggregate of
    /// bulk strings may then come as [`Reply::Encoded`], RESP bytes in the
    /// client's protocol, instead of a value per element. Replies produced
    /// later (a blocked command served, pushes) are values as always.
    pub fn execute_resp(&mut self, id: ClientId, argv: &[&[u8]]) -> Option<Reply> {
        self.execute_as(id, argv, true)
    }

    fn execute_as(&mut self, id: ClientId, argv: &[&[u8]], wire: bool) -> Option<Reply> {
        if self.is_blocked(id) {
            return Some(Reply::Error(Error::err("client is blocked")));
        }
        if !self.clients.contains_key(&id) {
            return Some(Reply::Error(Error::err("no such client")));
        }
        let now_us = self.clock.now_micros();
        self.wire_call = wire;
        let r = self.run_command(id, argv, now_us);
        self.wire_call = false;
        // A pause this command ended: the postponed clients' turn.
        self.run_postponed();
        r
    }

    /// [`Engine::execute`]'s work for a command that may run now: the
    /// command, CLIENT REPLY's filter, its output, then what follows every
    /// command (blocked clients served, events, the journal).
    pub(crate) fn run_command(&mut self, id: ClientId, argv: &[&[u8]], now_us: u64) -> Option<Reply> {
        self.reply_mark = None;
        self.executing = Some(id);
        let r = self.call(id, argv, now_us, false, false).map(|r| {
            // One lookup: CLIENT REPLY's filter, then the per-command reset.
            let silenced = match self.clients.get_mut(&id) {
                Some(c) => {
                    let s = c.silenced();
                    c.command_done();
                    s
                }
                None => false,
            };
            let r = if silenced { silence(r) } else { r };
            self.with_own_output(id, r)
        });
        self.executing = None;
        if !self.tracking_pending.is_empty() {
            self.tracking_flush_pending();
        }
        self.serve_ready(now_us);
        self.drain_db_events();
        self.journal_after_execute();
        self.tracking_broadcast();
        r
    }

    /// `reply` with what the client's outbox holds: messages published to it
    /// (by its own command, or earlier and not yet drained) go out before
    /// the reply, as Redis writes them to the connection, except those its
    /// command published after saying its reply was out (`reply_mark`).
    pub(crate) fn with_own_output(&mut self, id: ClientId, reply: Reply) -> Reply {
        let mark = self.reply_mark.take();
        let Some(c) = self.clients.get_mut(&id) else { return reply };
        if (c.outbox.is_empty() && self.reply_inner.is_empty()) || c.blocked.is_some() {
            return reply;
        }
        let mut seq: Vec<Reply> = c.outbox.drain(..).collect();
        let after = seq.split_off(mark.unwrap_or(usize::MAX).min(seq.len()));
        match reply {
            Reply::Seq(more) => seq.extend(more),
            r => seq.push(r),
        }
        // Inner messages a handler did not place: right after the reply.
        seq.extend(self.reply_inner.drain(..).map(|(_, m)| m));
        seq.extend(after);
        Reply::Seq(seq)
    }

    /// Runs a command through lookup, checks and handler. `reexec` marks a
    /// blocked client's retry; `no_block` forbids blocking (MULTI/EXEC).
    ///
    /// Before the handler, in Redis's order: unknown command, arity, then for
    /// a new command (not a retry) the transaction and pub/sub gates: a
    /// NO_MULTI command inside MULTI is refused, a RESP2 client in pub/sub
    /// mode may only (un)subscribe, PING, QUIT and RESET, and inside MULTI
    /// every command but EXEC, DISCARD, MULTI, WATCH, QUIT and RESET is
    /// queued (+QUEUED). A command refused while queueing aborts the
    /// transaction; EXEC refused answers EXECABORT and discards it.
    pub(crate) fn call(&mut self, id: ClientId, argv: &[&[u8]], now_us: u64, reexec: bool, no_block: bool) -> Option<Reply> {
        let (cmd, stat, pos) = match self.table.resolve(argv) {
            Ok(x) => x,
            Err(e) => {
                self.flag_transaction(id);
                return Some(self.reject(None, e));
            }
        };
        let argc = argv.len() as i32;
        if (cmd.arity > 0 && cmd.arity != argc) || argc < -cmd.arity {
            let name = self.table.full_names[stat].clone();
            return Some(self.reject_in_multi(id, argv, stat, Error::WrongArity(name)));
        }
        // DEBUG and MODULE LOAD where their enable-* option forbids them:
        // refused before authentication and ACLs, as in processCommand.
        if !reexec && cmd.has(cmd::flags::ADMIN) {
            if let Some(e) = cmd::server::protected_refusal(self, id, &self.table.full_names[stat]) {
                return Some(self.reject_in_multi(id, argv, stat, e));
            }
        }
        // requirepass: an unauthenticated client may only run no_auth
        // commands (AUTH, HELLO, QUIT, RESET...).
        if self.auth_required && !cmd.has(cmd::flags::NO_AUTH) && self.clients.get(&id).is_some_and(|c| !c.authenticated) {
            return Some(self.reject_in_multi(id, argv, stat, Error::msg("NOAUTH Authentication required.")));
        }
        // A script running in slices: only ALLOW_BUSY commands (and
        // SHUTDOWN only with NOSAVE) until it ends (processCommand's
        // isInsideYieldingLongCommand gate).
        #[cfg(feature = "scripting")]
        if let Some(owner) = self.scripting.busy.as_ref().map(|b| b.owner()) {
            let shutdown_saving = cmd.name == "shutdown" && !argv.iter().skip(1).any(|a| a.eq_ignore_ascii_case(b"nosave"));
            if !cmd.has(cmd::flags::ALLOW_BUSY) || shutdown_saving {
                return Some(self.reject_in_multi(id, argv, stat, crate::script::busy_error(owner)));
            }
        }
        let now = now_us / 1000;
        let (in_multi, pubsub_resp2) = match self.clients.get_mut(&id) {
            Some(c) => {
                c.last_ms = now;
                c.last_cmd = if pos == 1 { cmd.name } else { crate::cmdmeta::static_name(&self.table.full_names[stat]).unwrap_or(cmd.name) };
                (c.multi.is_some(), c.subs.is_some() && c.proto == Protocol::Resp2)
            }
            None => return Some(Reply::Error(Error::err("no such client"))),
        };
        // ACLs (processCommand's gate after NOAUTH and NO_MULTI): the
        // client's user must be allowed the command, its keys and its
        // channels. The system client (journal replay, the typed API) is
        // the host itself, unrestricted like Redis's AOF client.
        if !reexec && id != SYSTEM_CLIENT && !(in_multi && cmd.has(cmd::flags::NO_MULTI)) {
            let user = self.clients.get(&id).map_or(crate::acl::DEFAULT_USER, |c| c.user);
            if let Err(d) = self.acl_check(user, cmd, stat, pos, argv) {
                let ctx = if in_multi { crate::acl::Context::Multi } else { crate::acl::Context::Toplevel };
                let e = self.acl_refuse(id, d, stat, argv, ctx);
                return Some(self.reject_in_multi(id, argv, stat, e));
            }
        }
        // maxmemory (Redis's processCommand, after the NO_MULTI check and
        // before the pub/sub and queueing gates): evict, then maybe refuse.
        // A journal replay is never refused, as Redis ignores maxmemory
        // while loading.
        if !reexec && self.config.maxmemory != 0 && !self.replaying() && !(in_multi && cmd.has(cmd::flags::NO_MULTI)) {
            // EXEC, DISCARD, QUIT and RESET have no subcommands.
            let name = if pos == 1 { cmd.name } else { "" };
            if let Some(e) = self.oom_gate(id, name, cmd.flags, in_multi, now) {
                return Some(self.reject_in_multi(id, argv, stat, e));
            }
        } else if !reexec {
            self.pre_command_oom = false;
        }
        // The client-side caching table kept within its limit, as
        // processCommand does next.
        if !reexec && self.tracking_active() {
            self.tracking_limit();
        }
        // Then the persistence gate (MISCONF), as in processCommand.
        if !reexec {
            if let Some(e) = self.write_denied(cmd, id) {
                return Some(self.reject_in_multi(id, argv, stat, e));
            }
        }
        if !reexec && (in_multi || pubsub_resp2) {
            let full = self.table.full_names[stat].as_str();
            if in_multi && cmd.has(cmd::flags::NO_MULTI) {
                return Some(self.reject_in_multi(id, argv, stat, Error::err("Command not allowed inside a transaction")));
            }
            if pubsub_resp2
                && !matches!(full, "ping" | "subscribe" | "ssubscribe" | "unsubscribe" | "sunsubscribe" | "psubscribe" | "punsubscribe" | "quit" | "reset")
            {
                let msg = alloc::format!(
                    "Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
                    full
                );
                return Some(self.reject_in_multi(id, argv, stat, Error::err(&msg)));
            }
        }
        // A monitor is a replica to Redis: it may not touch the keyspace.
        if !reexec && !self.monitors.is_empty() && self.clients.get(&id).is_some_and(|c| c.monitor) && cmd.flags & (cmd::flags::WRITE | cmd::flags::READONLY | cmd::flags::MAY_REPLICATE) != 0 {
            return Some(self.reject_in_multi(id, argv, stat, Error::err("Replica can't interact with the keyspace")));
        }
        // CLIENT PAUSE (processCommand's gate, before queueing): the
        // client waits, its command kept, until the pause ends.
        if !reexec && !no_block && id != SYSTEM_CLIENT && self.pause_holds(id, cmd, now) {
            let db = self.clients.get(&id).map_or(0, |c| c.db);
            self.postpone(id, db, argv);
            return None;
        }
        if !reexec && in_multi {
            let full = self.table.full_names[stat].as_str();
            if !matches!(full, "exec" | "discard" | "multi" | "watch" | "quit" | "reset") {
                self.queue_command(id, argv);
                return Some(Reply::status("QUEUED"));
            }
        }
        self.dispatch(id, cmd, stat, pos, argv, now_us, reexec, no_block)
    }

    /// Rejects a command before it runs (Redis's `rejectCommand`): flags the
    /// client's transaction; a rejected EXEC discards it and answers
    /// EXECABORT with the reason.
    fn reject_in_multi(&mut self, id: ClientId, argv: &[&[u8]], stat: usize, e: Error) -> Reply {
        self.flag_transaction(id);
        if self.table.full_names[stat] == "exec" {
            self.discard_transaction(id);
            // Monitors saw MULTI: EXEC shows them the transaction is over
            // (Redis's execCommandAbort).
            let (db, now_us) = (self.clients.get(&id).map_or(0, |c| c.db), self.clock.now_micros());
            self.feed_monitors(id, stat, db, argv, now_us);
            let text = e.to_bytes();
            let reason = text.strip_prefix(b"ERR ").unwrap_or(&text);
            let mut m = b"EXECABORT Transaction discarded because of: ".to_vec();
            m.extend_from_slice(reason);
            return self.reject(Some(stat), Error::msg(m));
        }
        self.reject(Some(stat), e)
    }

    /// Runs a resolved, checked command: the handler, then statistics and
    /// blocking. EXEC runs its queued commands through here.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn dispatch(
        &mut self,
        id: ClientId,
        cmd: &'static Command,
        stat: usize,
        pos: usize,
        argv: &[&[u8]],
        now_us: u64,
        reexec: bool,
        no_block: bool,
    ) -> Option<Reply> {
        let now = now_us / 1000;
        let db = self.clients.get(&id).map_or(0, |c| c.db);
        self.reply_mark = None;
        let jstate = self.journal_before(now);
        self.reply_inner.clear();
        // EVAL, EVALSHA and FCALL are fed to monitors before they run, so
        // their scripts' commands follow them (Redis feeds them in their
        // handlers; they are skip_monitor otherwise).
        if !reexec && !self.monitors.is_empty() && matches!(self.table.full_names[stat].as_str(), "eval" | "evalsha" | "eval_ro" | "evalsha_ro" | "fcall" | "fcall_ro") {
            self.feed_monitors(id, stat, db, argv, now_us);
        }
        let outer_client = core::mem::replace(&mut self.cmd_client, id);
        let mut cx = Ctx { eng: self, client: id, db, now, now_us, block: None, reexec, no_block };
        let mut args = Args::new(argv, pos);
        let res = (cmd.handler)(&mut cx, &mut args);
        let block = cx.block.take();
        self.cmd_client = outer_client;
        // Keys a read-only command read, for a client tracking them. A
        // script's read makes its caller remember the keys the script
        // declared (Redis 7.0); EVAL_RO and FCALL_RO themselves remember
        // nothing.
        if self.tracking_active()
            && cmd.has(cmd::flags::READONLY)
            && !matches!(self.table.full_names[stat].as_str(), "eval_ro" | "evalsha_ro" | "fcall_ro")
        {
            // A key the command found expired was invalidated during its
            // lookup, before the command's keys are remembered.
            self.drain_db_events();
            if id == SYSTEM_CLIENT {
                self.tracking_remember_script_keys();
            } else if self.clients.get(&id).is_some_and(|c| c.tracking.is_some()) {
                let positions = crate::cmd::server::command_key_positions(&self.table, cmd, argv);
                self.tracking_remember(id, positions.iter().filter_map(|&p| argv.get(p).copied()));
            }
        }
        self.journal_after(cmd, argv, db, now, jstate, reexec);
        // Values looked up may have changed size: refresh used_memory.
        self.settle_memory();
        self.drain_db_events();
        // Redis 7.0 counts a blocking command's call when it blocks, and
        // only its time (and failure) when it is served later.
        let elapsed = self.clock.now_micros().saturating_sub(now_us);
        let st = &mut self.cmdstats[stat];
        st.usec += elapsed;
        if !reexec {
            st.calls += 1;
            self.stats.total_commands_processed += 1;
        }
        // A blocked command's latency is recorded when it is served.
        if self.latency_tracking && block.is_none() {
            if let Some(h) = self.latency_hist.get_mut(stat) {
                h.get_or_insert_with(Default::default).record(elapsed.saturating_mul(1000));
            }
        }
        if !self.replaying() {
            self.note_duration(id, cmd, stat, argv, now_us, elapsed, reexec, block.is_some());
        }
        if !reexec && !self.monitors.is_empty() && cmd.flags & (cmd::flags::SKIP_MONITOR | cmd::flags::ADMIN) == 0 {
            // The db the command left the client in (SELECT's own line shows
            // the new one), as Redis reads `c->db` after the call.
            let db_after = self.clients.get(&id).map_or(db, |c| c.db);
            self.feed_monitors(id, stat, db_after, argv, now_us.saturating_add(elapsed));
        }
        if let Some(b) = block {
            if !reexec {
                self.block_client(id, db, argv, b);
            }
            return None;
        }
        match res {
            Ok(r) => {
                if let Reply::Error(e) = &r {
                    self.cmdstats[stat].failed_calls += 1;
                    self.count_error(e);
                }
                Some(r)
            }
            Err(e) => {
                self.cmdstats[stat].failed_calls += 1;
                self.count_error(&e);
                Some(Reply::Error(e))
            }
        }
    }

    /// The latency monitor's command sample and the slow log entry of a
    /// command that ran `elapsed` µs (Redis's `call`; a command that
    /// blocked is logged when it is served, its retry's time counting).
    #[allow(clippy::too_many_arguments)]
    fn note_duration(&mut self, id: ClientId, cmd: &Command, stat: usize, argv: &[&[u8]], now_us: u64, elapsed: u64, reexec: bool, blocked: bool) {
        let end_ms = now_us.saturating_add(elapsed) / 1000;
        let threshold = self.config.latency_monitor_threshold;
        let event = if reexec {
            "command-unblocking"
        } else if cmd.has(cmd::flags::FAST) {
            "fast-command"
        } else {
            "command"
        };
        if !(reexec && blocked) {
            self.latency.add_if_needed(threshold, event, elapsed / 1000, end_ms);
        }
        let slower_than = self.config.slowlog_log_slower_than;
        if blocked || cmd.has(cmd::flags::SKIP_SLOWLOG) || slower_than < 0 {
            return;
        }
        // The common case: fast enough, nothing to build (Redis still trims
        // a log that CONFIG SET slowlog-max-len shortened).
        if i128::from(elapsed) < i128::from(slower_than) {
            self.slowlog.trim(self.config.slowlog_max_len);
            return;
        }
        // Scripts run as the system client, which has no connection:
        // Redis's script client shows `?:0` and no name, and so do
        // in-process callers here.
        let (peer, name): (&[u8], &[u8]) = match self.clients.get(&id) {
            Some(c) if id != SYSTEM_CLIENT && !c.info.addr.is_empty() => (c.info.addr.as_bytes(), c.name.as_deref().unwrap_or(b"")),
            Some(c) if id != SYSTEM_CLIENT => (b"?:0", c.name.as_deref().unwrap_or(b"")),
            _ => (b"?:0", b""),
        };
        let secret = crate::diagnostics::redacted_positions(self.table.full_names[stat].as_str(), argv);
        let shown: Vec<&[u8]> = argv.iter().enumerate().map(|(j, a)| if secret.contains(&j) { crate::diagnostics::REDACTED } else { *a }).collect();
        self.slowlog.push(self.config.slowlog_log_slower_than, self.config.slowlog_max_len, &shown, elapsed, end_ms, peer, name);
    }

    fn reject(&mut self, stat: Option<usize>, e: Error) -> Reply {
        if let Some(s) = stat {
            self.cmdstats[s].rejected_calls += 1;
        }
        self.count_error(&e);
        Reply::Error(e)
    }

    fn count_error(&mut self, e: &Error) {
        self.stats.total_error_replies += 1;
        let text = e.to_bytes();
        let code_len = text.iter().position(|&b| b == b' ').unwrap_or(text.len());
        let code = String::from_utf8_lossy(&text[..code_len]).into_owned();
        match self.stats.errorstats.iter_mut().find(|(c, _)| *c == code) {
            Some((_, n)) => *n += 1,
            None => self.stats.errorstats.push((code, 1)),
        }
    }

    fn block_client(&mut self, id: ClientId, db: usize, argv: &[&[u8]], mut b: cmd::BlockOn) {
        // A key named twice (BLPOP k k 0) is waited on once.
        let mut seen: Vec<Box<[u8]>> = Vec::with_capacity(b.keys.len());
        b.keys.retain(|k| {
            let dup = seen.contains(k);
            if !dup {
                seen.push(k.clone());
            }
            !dup
        });
        for k in &b.keys {
            self.blocked_keys[db].entry(k.clone()).or_default().push_back(id);
        }
        if let Some(d) = b.deadline_ms {
            self.deadlines.insert((d, id));
        }
        if b.wake_on_delete {
            self.delete_waiters[db] += 1;
            if self.delete_waiters[db] == 1 {
                self.sync_db_events(db);
            }
        }
        if let Some(c) = self.clients.get_mut(&id) {
            c.blocked = Some(Blocked {
                db,
                keys: b.keys,
                deadline_ms: b.deadline_ms,
                argv: b.argv.take().unwrap_or_else(|| argv.iter().map(|a| a.to_vec()).collect()),
                timeout_reply: b.timeout_reply,
                wake_on_delete: b.wake_on_delete,
                postponed: false,
            });
        }
    }

    /// Removes a client's blocked state and registrations; returns it.
    pub(crate) fn unblock(&mut self, id: ClientId) -> Option<Blocked> {
        let b = self.clients.get_mut(&id)?.blocked.take()?;
        if b.postponed {
            self.forget_postponed(id);
        }
        for k in &b.keys {
            if let Some(q) = self.blocked_keys[b.db].get_mut(k) {
                q.retain(|&c| c != id);
                if q.is_empty() {
                    self.blocked_keys[b.db].remove(k);
                }
            }
        }
        if let Some(d) = b.deadline_ms {
            self.deadlines.remove(&(d, id));
        }
        if b.wake_on_delete {
            self.delete_waiters[b.db] = self.delete_waiters[b.db].saturating_sub(1);
            if self.delete_waiters[b.db] == 0 {
                self.sync_db_events(b.db);
            }
        }
        Some(b)
    }

    /// Unblocks a client with `reply` delivered through its outbox.
    pub(crate) fn unblock_with(&mut self, id: ClientId, reply: Reply) -> bool {
        if self.unblock(id).is_none() {
            return false;
        }
        if let Some(c) = self.clients.get_mut(&id) {
            // The reply of a command that blocked under CLIENT REPLY
            // OFF/SKIP is dropped too; the SKIP ends with it.
            if !c.silenced() {
                c.outbox.push_back(reply);
            }
            c.command_done();
        }
        self.wake(id);
        true
    }

    /// Notes that `key` in `db` was modified (Redis's `signalModifiedKey`
    /// plus `signalKeyAsReady`): clients WATCHing it will fail EXEC, clients
    /// blocked on it are served after the command.
    pub(crate) fn signal_ready(&mut self, db: usize, key: &[u8]) {
        self.signal_modified(db, key);
        self.mark_ready(db, key);
    }

    /// Notes that `key` in `db` was modified without making it ready for
    /// blocked clients (Redis's `signalModifiedKey` alone): WATCH only.
    pub(crate) fn signal_modified(&mut self, db: usize, key: &[u8]) {
        // Expiries recorded before this write come first (WATCH on a key
        // that was stale when watched depends on that order).
        if self.dbs[db].has_events() {
            self.drain_db_events();
        }
        self.touch_watched(db, key);
        if self.tracking_live() {
            self.tracking_invalidate(self.cmd_client, key);
        }
    }

    /// Queues `key` for serving if a client is blocked on it (Redis's
    /// `signalKeyAsReady` alone: not a WATCH-visible write).
    pub(crate) fn mark_ready(&mut self, db: usize, key: &[u8]) {
        if !self.blocked_keys[db].is_empty() && self.blocked_keys[db].contains_key(key) {
            let entry: (usize, Box<[u8]>) = (db, key.into());
            if self.ready_set.insert(entry.clone()) {
                self.ready_keys.push(entry);
            }
        }
    }

    /// Marks every key of `db` that clients wait on as ready (after SWAPDB,
    /// FLUSHDB and the like, which change many keys at once).
    pub(crate) fn signal_all_ready(&mut self, db: usize) {
        let keys: Vec<Box<[u8]>> = self.blocked_keys[db].keys().cloned().collect();
        for k in keys {
            self.mark_ready(db, &k);
        }
    }

    /// Serves clients blocked on keys written by the last command, key by
    /// key in the order the keys became ready, each key's waiters in the
    /// order they blocked, while the key exists (Redis 7.0's
    /// `handleClientsBlockedOnKeys`; a waiter that blocked with
    /// `wake_on_delete`, XREADGROUP, is re-run when it does not). A waiter is served by re-running its
    /// command with [`Engine::serving_key`] naming the ready key: the handler
    /// takes from that key only, and blocks again (stays blocked) when the
    /// key holds a type it cannot use. A served command may make further keys
    /// ready (BLMOVE's destination); they are served in a following round.
    fn serve_ready(&mut self, now_us: u64) {
        while !self.ready_keys.is_empty() {
            let batch = core::mem::take(&mut self.ready_keys);
            for entry in batch {
                self.ready_set.remove(&entry);
                let (db, key) = entry;
                let Some(queue) = self.blocked_keys[db].get(&key) else { continue };
                let waiting: Vec<ClientId> = queue.iter().copied().collect();
                for id in waiting {
                    let exists = self.dbs[db].exists(&key, now_us / 1000);
                    let Some(argv) = self.clients.get(&id).and_then(|c| c.blocked.as_ref()).filter(|b| exists || b.wake_on_delete).map(|b| b.argv.clone()) else {
                        continue;
                    };
                    let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
                    self.serving = Some((db, key.clone()));
                    let r = self.call(id, &refs, now_us, true, false);
                    self.serving = None;
                    if let Some(reply) = r {
                        self.unblock_with(id, reply);
                    }
                }
            }
        }
    }

    /// While a blocked client's command is re-run because a key it waits on
    /// became ready: that key, if it is in `db`. Blocking handlers serve
    /// from this key only (Redis serves the key that became ready, not the
    /// first non-empty key of the command).
    pub fn serving_key(&self, db: usize) -> Option<&[u8]> {
        match &self.serving {
            Some((d, k)) if *d == db => Some(k),
            _ => None,
        }
    }

    /// When the host should next call [`Engine::tick`] for blocked-client
    /// timeouts: the first instant (ms) at which one is due. A deadline `d`
    /// times out once the time is past it (`d < now`, as in Redis), so this
    /// is the earliest deadline plus one.
    pub fn next_deadline_ms(&self) -> Option<u64> {
        self.deadlines.iter().next().map(|&(d, _)| d.saturating_add(1))
    }

    /// When the host must next call [`Engine::tick`] (ms on the engine's
    /// clock), or `None` when nothing is pending: a blocked client's
    /// timeout, the next active-expiry step while some key has a TTL (every
    /// `1000 / hz` ms), persistence work (see `persist_wakeup_ms`), keys
    /// waiting to wake blocked clients. Hosts that cannot tick forever
    /// (a JS event loop that must be able to exit, a component host) sleep
    /// until this instant and ask again after every command.
    pub fn next_wakeup_ms(&self) -> Option<u64> {
        self.next_wakeup_after(self.now_ms())
    }

    /// [`Engine::next_wakeup_ms`] relative to `now` (ms) the host already
    /// read, saving a clock read per command where reads are costly (wasm).
    pub fn next_wakeup_after(&self, now: u64) -> Option<u64> {
        let mut at = self.next_deadline_ms();
        let mut at_least = |t: u64| at = Some(at.map_or(t, |a| a.min(t)));
        if self.config.active_expire_enabled && self.dbs.iter().any(|d| d.volatile_len() > 0) {
            at_least(now.saturating_add(1000 / u64::from(self.config.hz.max(1))));
        }
        if !self.ready_keys.is_empty() {
            at_least(now);
        }
        // A busy script runs in the host's ticks: as soon as possible.
        #[cfg(feature = "scripting")]
        if self.scripting.is_busy() {
            at_least(now);
        }
        if let Some(t) = self.persist_wakeup_ms(now) {
            at_least(t);
        }
        if let Some(t) = self.pause_wakeup_ms() {
            at_least(t);
        }
        at
    }

    /// Periodic work the host drives about `hz` times a second: times out
    /// blocked clients whose deadline passed and runs one bounded active
    /// expiry step per db.
    pub fn tick(&mut self) {
        #[cfg(feature = "scripting")]
        self.busy_tick();
        let now = self.now_ms();
        self.expire_blocked(now);
        // A pause that ran out releases its clients; while one is in
        // force the dataset stands still (no active expiry).
        let paused = self.check_pause(now).is_some();
        self.run_postponed();
        if self.config.active_expire_enabled && !paused {
            for db in &mut self.dbs {
                db.active_expire(&mut self.rng, now, 20, 16);
            }
        }
        self.drain_db_events();
        self.persist_tick(now);
        // Expired streams wake their XREADGROUP waiters (with an error).
        if !self.ready_keys.is_empty() {
            let now_us = self.clock.now_micros();
            self.serve_ready(now_us);
        }
        // Keys that expired here, for BCAST trackers; the caching table
        // within its limit (serverCron does it too, so a lowered limit
        // applies on an idle server).
        self.tracking_broadcast();
        if self.tracking_active() {
            self.tracking_limit();
        }
    }

    /// Times out blocked clients whose deadline is before `now`.
    pub fn expire_blocked(&mut self, now: u64) {
        while let Some(&(d, id)) = self.deadlines.iter().next() {
            if d >= now {
                break;
            }
            let reply = self.clients.get(&id).and_then(|c| c.blocked.as_ref()).map(|b| b.timeout_reply.clone());
            match reply {
                Some(r) => {
                    self.unblock_with(id, r);
                }
                None => {
                    self.deadlines.remove(&(d, id));
                }
            }
        }
    }

    /// Runs `f` as the internal client on db `db` at the clock's current
    /// instant: the entry point of the typed API, so typed calls and
    /// `execute` share every operation.
    pub fn with_ctx<R>(&mut self, db: usize, f: impl FnOnce(&mut Ctx<'_>) -> Result<R>) -> Result<R> {
        if db >= self.dbs.len() {
            self.persist.typed_as = None;
            return Err(Error::DbIndexOutOfRange);
        }
        let now_us = self.clock.now_micros();
        // Typed calls evict like commands do (they are never refused: the
        // OOM error belongs to the command path).
        if self.config.maxmemory != 0 {
            self.perform_evictions(now_us / 1000);
        }
        let before = self.journal_typed_before(now_us / 1000);
        let mut cx = Ctx { eng: self, client: SYSTEM_CLIENT, db, now: now_us / 1000, now_us, block: None, reexec: false, no_block: true };
        let r = f(&mut cx);
        self.journal_typed_after(db, now_us / 1000, before);
        self.settle_memory();
        self.serve_ready(now_us);
        self.drain_db_events();
        r
    }

    /// Runs a command as the internal client in db 0 (convenience for tests
    /// and embedders that do not manage clients).
    /// Blocking commands do not block here; they answer as inside MULTI.
    pub fn command(&mut self, argv: &[&[u8]]) -> Reply {
        let now_us = self.clock.now_micros();
        let r = self.call(SYSTEM_CLIENT, argv, now_us, false, true).map(|r| self.with_own_output(SYSTEM_CLIENT, r));
        self.serve_ready(now_us);
        self.drain_db_events();
        self.journal_after_execute();
        r.unwrap_or(Reply::NilArray)
    }

    /// Number of databases.
    pub fn databases(&self) -> usize {
        self.dbs.len()
    }

    /// Database `i`, for inspection.
    pub fn db(&self, i: usize) -> Option<&Db> {
        self.dbs.get(i)
    }
}
