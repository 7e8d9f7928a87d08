//! The command layer: a table of [`Command`]s (name, arity, flags, key
//! positions, handler) and the argument cursor [`Args`].
//!
//! The table is data. Lookup, subcommand resolution and the arity check run
//! generically in [`crate::engine`] before any handler; handlers only parse
//! their own options (with the cursor: running out of optional arguments is
//! normal, leftovers are a syntax error) and call the typed operations.
//!
//! Each family file exports `COMMANDS: &[Command]`; [`families`] lists them.

pub mod acl;
pub mod bitmaps;
pub mod diagnostics;
pub mod dump;
pub mod geo;
pub mod hashes;
pub mod hyperloglog;
pub mod keys;
pub mod lists;
pub mod lolwut;
pub mod multi;
pub mod persist;
pub mod pubsub;
#[cfg(feature = "scripting")]
pub mod scripting;
pub mod server;
pub mod sets;
pub mod sort;
pub mod streams;
pub mod strings;
pub mod zsets;

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::client::ClientId;
use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::keyspace::Db;
use crate::num;
use crate::reply::Reply;
use crate::rng::Rng;

/// A command handler: parses `args` (positioned after the command name, and
/// after the subcommand name for subcommands) and runs the command.
pub type Handler = fn(&mut Ctx<'_>, &mut Args<'_>) -> Result<Reply>;

/// Builds replies that are aggregates of bulk strings: RESP bytes when the
/// command came through [`Engine::execute_resp`] (`Some(protocol)`) and the aggregate has
/// [`ENCODE_MIN`] elements or more ([`crate::reply::Encoder`]), a value
/// per element otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Bulks(Option<crate::Protocol>);

impl Bulks {
    /// An array of the `n` bulk strings `items` yields.
    pub fn items(self, n: usize, items: &mut dyn Iterator<Item = &[u8]>) -> Reply {
        match self.0 {
            Some(proto) if n >= ENCODE_MIN => {
                let mut e = crate::reply::Encoder::array(proto, n, n.saturating_mul(16));
                items.for_each(|b| e.bulk(b));
                e.finish()
            }
            _ => Reply::Array(items.map(Reply::bulk).collect()),
        }
    }

    /// A map of the `n` pairs of bulk strings `pairs` yields (a flat
    /// array in RESP2).
    pub fn pairs<'p>(self, n: usize, pairs: &mut dyn Iterator<Item = (&'p [u8], &'p [u8])>) -> Reply {
        match self.0 {
            Some(proto) if n >= ENCODE_MIN => {
                let mut e = crate::reply::Encoder::map(proto, n, n.saturating_mul(32));
                for (k, v) in pairs {
                    e.bulk(k);
                    e.bulk(v);
                }
                e.finish()
            }
            _ => Reply::Map(pairs.map(|(k, v)| (Reply::bulk(k), Reply::bulk(v))).collect()),
        }
    }
}

/// Aggregates of bulk strings this long or longer are written straight to
/// RESP bytes for a RESP connection's client ([`Bulks`]).
pub const ENCODE_MIN: usize = 256;

/// Command flags, as in Redis's command table (`COMMAND INFO` reports them).
pub mod flags {
    /// May modify the dataset.
    pub const WRITE: u32 = 1 << 0;
    /// Only reads the dataset.
    pub const READONLY: u32 = 1 << 1;
    /// May grow memory: rejected when over `maxmemory`.
    pub const DENYOOM: u32 = 1 << 2;
    /// Administrative.
    pub const ADMIN: u32 = 1 << 3;
    /// Pub/Sub related.
    pub const PUBSUB: u32 = 1 << 4;
    /// Not allowed in scripts.
    pub const NOSCRIPT: u32 = 1 << 5;
    /// May block the client.
    pub const BLOCKING: u32 = 1 << 6;
    /// Allowed while loading.
    pub const LOADING: u32 = 1 << 7;
    /// Allowed on a stale replica.
    pub const STALE: u32 = 1 << 8;
    /// Not shown in MONITOR.
    pub const SKIP_MONITOR: u32 = 1 << 9;
    /// Not logged in SLOWLOG.
    pub const SKIP_SLOWLOG: u32 = 1 << 10;
    /// O(1) or O(log n), never delays the server.
    pub const FAST: u32 = 1 << 11;
    /// Allowed before AUTH.
    pub const NO_AUTH: u32 = 1 << 12;
    /// May replicate even when read-only.
    pub const MAY_REPLICATE: u32 = 1 << 13;
    /// Not allowed inside MULTI.
    pub const NO_MULTI: u32 = 1 << 14;
    /// Key positions cannot be found from first/last/step alone.
    pub const MOVABLE_KEYS: u32 = 1 << 15;
    /// Allowed while the server is busy (scripts).
    pub const ALLOW_BUSY: u32 = 1 << 16;
    /// Allowed with no mandatory keys.
    pub const NO_MANDATORY_KEYS: u32 = 1 << 17;
    /// Denied in async loading.
    pub const NO_ASYNC_LOADING: u32 = 1 << 18;
    /// Served for a cluster's importing slot (RESTORE-ASKING; cluster
    /// mode is off, so it changes nothing here).
    pub const ASKING: u32 = 1 << 19;

    /// Flag names in the order Redis prints them in `COMMAND INFO`.
    pub const NAMES: &[(u32, &str)] = &[
        (WRITE, "write"),
        (READONLY, "readonly"),
        (DENYOOM, "denyoom"),
        (ADMIN, "admin"),
        (PUBSUB, "pubsub"),
        (NOSCRIPT, "noscript"),
        (BLOCKING, "blocking"),
        (LOADING, "loading"),
        (STALE, "stale"),
        (SKIP_MONITOR, "skip_monitor"),
        (SKIP_SLOWLOG, "skip_slowlog"),
        (ASKING, "asking"),
        (FAST, "fast"),
        (NO_AUTH, "no_auth"),
        (MAY_REPLICATE, "may_replicate"),
        (NO_MULTI, "no_multi"),
        (MOVABLE_KEYS, "movablekeys"),
        (ALLOW_BUSY, "allow_busy"),
        (NO_MANDATORY_KEYS, "no_mandatory_keys"),
        (NO_ASYNC_LOADING, "no_async_loading"),
    ];
}

/// One entry of the command table.
#[derive(Clone, Copy)]
pub struct Command {
    /// Lowercase name (the subcommand's own name for subcommands).
    pub name: &'static str,
    /// Redis arity: `n` exactly n arguments (name included), `-n` at least n.
    pub arity: i32,
    /// Bit set of [`flags`].
    pub flags: u32,
    /// ACL categories as Redis lists them, e.g. `"@write @string @slow"`.
    pub acl: &'static str,
    /// Position of the first key (0 = none).
    pub first_key: i32,
    /// Position of the last key (-1 = last argument).
    pub last_key: i32,
    /// Step between keys.
    pub step: i32,
    /// Command group for COMMAND DOCS (`string`, `generic`, `list`, ...).
    pub group: &'static str,
    /// One-line summary for COMMAND DOCS.
    pub summary: &'static str,
    /// Redis version that introduced the command.
    pub since: &'static str,
    /// The handler; unused for containers (commands with subcommands).
    pub handler: Handler,
    /// Subcommands of a container command (CONFIG, CLIENT, OBJECT, ...).
    pub subcommands: &'static [Command],
}

fn unreachable_handler(_: &mut Ctx<'_>, _: &mut Args<'_>) -> Result<Reply> {
    Err(Error::err("command has no handler"))
}

impl Command {
    /// A template for `..Command::DEFAULT` in family tables.
    pub const DEFAULT: Command = Command {
        name: "",
        arity: 0,
        flags: 0,
        acl: "",
        first_key: 0,
        last_key: 0,
        step: 0,
        group: "",
        summary: "",
        since: "1.0.0",
        handler: unreachable_handler,
        subcommands: &[],
    };

    /// True if this command has all the given flags.
    pub fn has(&self, f: u32) -> bool {
        self.flags & f == f
    }
}

/// Every family's table, in the order COMMAND lists them.
pub fn families() -> &'static [&'static [Command]] {
    &[
        strings::COMMANDS,
        keys::COMMANDS,
        dump::COMMANDS,
        hashes::COMMANDS,
        lists::COMMANDS,
        sets::COMMANDS,
        zsets::COMMANDS,
        bitmaps::COMMANDS,
        hyperloglog::COMMANDS,
        geo::COMMANDS,
        streams::COMMANDS,
        pubsub::COMMANDS,
        multi::COMMANDS,
        server::COMMANDS,
        persist::COMMANDS,
        diagnostics::COMMANDS,
        lolwut::COMMANDS,
        acl::COMMANDS,
        #[cfg(feature = "scripting")]
        scripting::COMMANDS,
    ]
}

/// A cursor over a command's arguments.
pub struct Args<'a> {
    argv: &'a [&'a [u8]],
    pos: usize,
}

impl<'a> Args<'a> {
    /// A cursor over `argv` starting at `pos`.
    pub fn new(argv: &'a [&'a [u8]], pos: usize) -> Self {
        Args { argv, pos }
    }

    /// The whole argv, command name included.
    pub fn argv(&self) -> &'a [&'a [u8]] {
        self.argv
    }

    /// Index of the next argument in argv.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Number of arguments not yet consumed.
    pub fn remaining(&self) -> usize {
        self.argv.len().saturating_sub(self.pos)
    }

    /// True when all arguments were consumed.
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next argument without consuming it.
    pub fn peek(&self) -> Option<&'a [u8]> {
        self.argv.get(self.pos).copied()
    }

    /// The next argument, if any.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'a [u8]> {
        let a = self.argv.get(self.pos).copied()?;
        self.pos += 1;
        Some(a)
    }

    /// The next argument; a syntax error when there is none.
    pub fn req(&mut self) -> Result<&'a [u8]> {
        self.next().ok_or(Error::Syntax)
    }

    /// The next argument as an integer (Redis's `string2ll` rules).
    // Out of line (also `f64`): one call instead of the parser inlined into
    // every handler that takes a number (kilobytes of wasm).
    #[inline(never)]
    pub fn i64(&mut self) -> Result<i64> {
        num::parse_i64(self.req()?).ok_or(Error::NotInteger)
    }

    /// The next argument as a double (Redis's `strtod` rules).
    #[inline(never)]
    pub fn f64(&mut self) -> Result<f64> {
        num::parse_f64(self.req()?).ok_or(Error::NotFloat)
    }

    /// Consumes the next argument if it equals `kw` ignoring ASCII case.
    pub fn eat(&mut self, kw: &str) -> bool {
        match self.peek() {
            Some(a) if a.eq_ignore_ascii_case(kw.as_bytes()) => {
                self.pos += 1;
                true
            }
            _ => false,
        }
    }

    /// All remaining arguments, consumed.
    pub fn rest(&mut self) -> &'a [&'a [u8]] {
        let r = self.argv.get(self.pos..).unwrap_or(&[]);
        self.pos = self.argv.len();
        r
    }

    /// Moves the cursor back by one argument (after a failed keyword match).
    pub fn back(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    /// A syntax error if any argument is left.
    pub fn finish(&self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Syntax)
        }
    }
}

/// Equality of an argument with a keyword, ignoring ASCII case.
pub fn is_kw(arg: &[u8], kw: &str) -> bool {
    arg.eq_ignore_ascii_case(kw.as_bytes())
}

/// What a handler asks for when it cannot be served now and may block.
pub struct BlockOn {
    /// Keys whose writes may let the command proceed.
    pub keys: Vec<Box<[u8]>>,
    /// Absolute deadline in ms; `None` blocks forever.
    pub deadline_ms: Option<u64>,
    /// Reply sent when the deadline passes.
    pub timeout_reply: Reply,
    /// The command line to re-run instead of the one received (XREAD
    /// resolves `$` to an id when it blocks, as Redis remembers the id).
    pub argv: Option<Vec<Vec<u8>>>,
    /// Re-run the command even when a waited key no longer exists (Redis
    /// answers a blocked XREADGROUP whose stream was deleted).
    pub wake_on_delete: bool,
}

/// The context of one command execution: the engine, the calling client, its
/// selected db and the command's instant.
pub struct Ctx<'e> {
    /// The engine.
    pub eng: &'e mut Engine,
    /// The calling client.
    pub client: ClientId,
    /// The client's selected db.
    pub db: usize,
    /// The command's instant, ms since the epoch (one command, one instant).
    pub now: u64,
    /// The same instant in microseconds.
    pub now_us: u64,
    /// Set by a blocking handler that found nothing to serve.
    pub block: Option<BlockOn>,
    /// True when re-running a blocked client's command because a key it
    /// waits on was written.
    pub reexec: bool,
    /// True inside MULTI/EXEC (or any context that must not block).
    pub no_block: bool,
}

impl<'e> Ctx<'e> {
    /// The selected db.
    #[inline]
    pub fn db(&mut self) -> &mut Db {
        &mut self.eng.dbs[self.db]
    }

    /// The engine's RNG.
    #[inline]
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.eng.rng
    }

    /// A fresh seed for a new container's hash table.
    #[inline]
    pub fn seed(&mut self) -> u64 {
        self.eng.rng.next_u64()
    }

    /// The configuration.
    #[inline]
    pub fn config(&self) -> &Config {
        &self.eng.config
    }

    /// Records `n` changes to the dataset (for `save` points and INFO).
    #[inline]
    pub fn dirty(&mut self, n: u64) {
        self.eng.dirty += n;
    }

    /// Records that `key` in the selected db was modified: WATCH and, for
    /// blocked clients, readiness.
    #[inline]
    pub fn touched(&mut self, key: &[u8]) {
        self.eng.signal_ready(self.db, key);
    }

    /// True if the command may block (not inside MULTI/EXEC).
    pub fn may_block(&self) -> bool {
        !self.no_block
    }

    /// Asks to block on `keys` until `deadline_ms` (None = forever); the
    /// handler then returns any reply (it is discarded).
    pub fn block_on(&mut self, keys: Vec<Box<[u8]>>, deadline_ms: Option<u64>, timeout_reply: Reply) {
        self.block = Some(BlockOn { keys, deadline_ms, timeout_reply, argv: None, wake_on_delete: false });
    }

    /// Like [`Ctx::block_on`], re-running `argv` (when given) instead of
    /// the received command, and also when a waited key is deleted if
    /// `wake_on_delete`.
    pub fn block_on_with(&mut self, keys: Vec<Box<[u8]>>, deadline_ms: Option<u64>, timeout_reply: Reply, argv: Option<Vec<Vec<u8>>>, wake_on_delete: bool) {
        self.block = Some(BlockOn { keys, deadline_ms, timeout_reply, argv, wake_on_delete });
    }

    /// Records that `key` was modified in a way that does not make it ready
    /// for blocked clients (Redis's `signalModifiedKey` without
    /// `signalKeyAsReady`, e.g. XDEL or XGROUP SETID): a hook for WATCH,
    /// which must see these writes as it sees [`Ctx::touched`]'s.
    #[inline]
    pub fn modified(&mut self, key: &[u8]) {
        self.eng.signal_modified(self.db, key);
    }

    /// Parses a blocking timeout in seconds (`BLPOP ... 0.5`) into an absolute
    /// deadline in ms (`None` = forever), exactly as Redis 7.0 computes it
    /// (`ceill` of the 80-bit product by 1000, see [`lists::timeout`]), with
    /// its error texts. Redis adds the current time without an overflow
    /// check; a sum past `i64::MAX` wraps negative, which its (unsigned)
    /// timeout table never reaches, so such a client waits forever here too.
    pub fn parse_timeout_secs(&self, arg: &[u8]) -> Result<Option<u64>> {
        let ms = lists::timeout::secs_to_ms(arg)?;
        if ms == 0 {
            return Ok(None);
        }
        let at = (self.now as i64).wrapping_add(ms);
        Ok((at >= 0).then_some(at as u64))
    }
}

/// Parsed SCAN-family arguments: `cursor [MATCH pattern] [COUNT n] [TYPE t]`.
#[derive(Debug, Clone, Copy)]
pub struct ScanArgs<'a> {
    /// Where to resume; 0 starts (and ends) an iteration.
    pub cursor: u64,
    /// MATCH pattern.
    pub pattern: Option<&'a [u8]>,
    /// COUNT hint (default 10).
    pub count: usize,
    /// TYPE filter (SCAN only).
    pub type_name: Option<&'a [u8]>,
}

/// Parses a SCAN cursor like Redis 7.0.15's `parseScanCursorOrReply`:
/// `strtoul` semantics after rejecting a leading space. So `""` is 0, `+5` is
/// 5 and `-1` wraps around; trailing bytes and overflow are invalid; parsing
/// stops at a NUL as C strings do.
pub fn parse_cursor(arg: &[u8]) -> Result<u64> {
    if arg.first().is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')) {
        return Err(Error::InvalidCursor);
    }
    let s = match arg.iter().position(|&c| c == 0) {
        Some(p) => &arg[..p],
        None => arg,
    };
    if s.is_empty() {
        return Ok(0);
    }
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(|c| c.is_ascii_digit()) {
        return Err(Error::InvalidCursor);
    }
    let mut v: u64 = 0;
    for &c in digits {
        v = v.checked_mul(10).and_then(|v| v.checked_add((c - b'0') as u64)).ok_or(Error::InvalidCursor)?;
    }
    Ok(if neg { v.wrapping_neg() } else { v })
}

/// Parses `cursor [MATCH p] [COUNT n] [TYPE t]` (TYPE only when `allow_type`),
/// with Redis's errors: bad cursor, non-integer COUNT, COUNT < 1 and unknown
/// options are errors; the last MATCH/COUNT wins.
pub fn parse_scan_args<'a>(a: &mut Args<'a>, allow_type: bool) -> Result<ScanArgs<'a>> {
    let cursor = parse_cursor(a.req()?)?;
    let mut out = ScanArgs { cursor, pattern: None, count: 10, type_name: None };
    while let Some(opt) = a.next() {
        let has_arg = !a.is_empty();
        if is_kw(opt, "count") && has_arg {
            let n = a.i64()?;
            if n < 1 {
                return Err(Error::Syntax);
            }
            out.count = n as usize;
        } else if is_kw(opt, "match") && has_arg {
            let p = a.req()?;
            // "*" matches everything; Redis skips matching for it.
            out.pattern = if p == b"*" { None } else { Some(p) };
        } else if allow_type && is_kw(opt, "type") && has_arg {
            out.type_name = Some(a.req()?);
        } else {
            return Err(Error::Syntax);
        }
    }
    Ok(out)
}

/// Parses the options after an HSCAN/SSCAN/ZSCAN cursor (`MATCH`, `COUNT`; no
/// `TYPE`) with [`parse_scan_args`]' rules. Redis parses them only once the
/// key was found, so callers keep the result and look at it after the lookup.
pub fn parse_scan_opts<'a>(rest: &[&'a [u8]], cursor: u64) -> Result<ScanArgs<'a>> {
    let mut argv: Vec<&'a [u8]> = Vec::with_capacity(rest.len() + 1);
    argv.push(b"0");
    argv.extend_from_slice(rest);
    let mut a = Args::new(&argv, 0);
    let parsed = parse_scan_args(&mut a, false)?;
    // The pattern borrows from the local argv; hand back the caller's slice
    // (the very same one: same address and length).
    let pattern = parsed.pattern.and_then(|p| rest.iter().copied().find(|r| core::ptr::eq(*r, p)));
    Ok(ScanArgs { cursor, pattern, count: parsed.count, type_name: None })
}

/// HSCAN/SSCAN/ZSCAN `key cursor [MATCH p] [COUNT n]`: the cursor is
/// checked first, the options are parsed but their error is held until
/// `scan` has looked the key up (Redis parses them only for an existing
/// key), and the reply is `[cursor, [items...]]`.
pub(crate) fn key_scan_cmd<'a>(
    cx: &mut Ctx<'_>,
    a: &mut Args<'a>,
    scan: fn(&mut Ctx<'_>, &[u8], u64, Result<ScanArgs<'a>>) -> Result<(u64, Vec<Vec<u8>>)>,
) -> Result<Reply> {
    let key = a.req()?;
    let cursor = parse_cursor(a.req()?)?;
    let opts = parse_scan_opts(a.rest(), cursor);
    let (next, items) = scan(cx, key, cursor, opts)?;
    Ok(scan_reply(next, items.into_iter().map(Reply::Bulk).collect()))
}

/// The reply of a SCAN-family command: `[cursor, [items...]]`.
pub fn scan_reply(cursor: u64, items: Vec<Reply>) -> Reply {
    let mut c = Vec::new();
    num::push_i64(&mut c, cursor as i64);
    if cursor > i64::MAX as u64 {
        c = alloc::format!("{}", cursor).into_bytes();
    }
    Reply::Array(alloc::vec![Reply::Bulk(c), Reply::Array(items)])
}

impl Ctx<'_> {
    /// Emits a keyspace notification for `key` in the selected db: `class` is
    /// one of [`crate::config::notify`]'s event classes, `event` the event
    /// name exactly as Redis publishes it (`set`, `expire`, `lpush`, ...).
    /// Call it wherever Redis calls `notifyKeyspaceEvent`, in the same order.
    pub fn notify(&mut self, class: u32, event: &str, key: &[u8]) {
        let db = self.db;
        self.eng.notify_keyspace_event(class, event, key, db);
    }
}

impl Ctx<'_> {
    /// The protocol of this command's client when its reply may be written
    /// straight to RESP bytes ([`crate::reply::Encoder`]): the command came
    /// through [`Engine::execute_resp`] (directly or inside its EXEC), not
    /// from a script, a blocked command served later or the typed API.
    pub fn wire_protocol(&self) -> Option<crate::Protocol> {
        if !self.eng.wire_call || self.eng.executing != Some(self.client) || self.reexec {
            return None;
        }
        self.eng.clients.get(&self.client).map(|c| c.proto)
    }

    /// How this command's aggregates of bulk strings are built (see
    /// [`Bulks`]); it does not borrow the context, so it can be used while
    /// a value read from the keyspace is borrowed.
    pub fn bulks(&self) -> Bulks {
        Bulks(self.wire_protocol())
    }

    /// Whether a command may publish messages (keyspace notifications are
    /// on, or a client tracks keys): handlers skip the work of placing
    /// them inside their reply otherwise.
    pub fn may_publish(&self) -> bool {
        self.eng.notify_flags != 0 || self.eng.tracking_active()
    }

    /// Where messages Redis writes inside the command's reply begin: the
    /// caller's outbox length once recorded events (lazy expiry...) are
    /// delivered, as those precede the reply. Pass it to
    /// [`Ctx::reply_inside`].
    pub fn own_outbox_mark(&mut self) -> usize {
        self.eng.drain_db_events();
        self.eng.clients.get(&self.client).map_or(0, |c| c.outbox.len())
    }

    /// Takes the messages published to the caller since `mark` out of its
    /// outbox and keeps them under `slot`, for the handler to write inside
    /// its reply with [`Ctx::inside`]: Redis 7.0 fires some notifications
    /// after it began the reply (ZPOPMIN's after the array header, a
    /// consumer created by XREADGROUP after the stream's name), so a RESP3
    /// client subscribed to its own keys gets them there.
    pub fn reply_inside(&mut self, mark: usize, slot: usize) {
        self.eng.drain_db_events();
        let Some(c) = self.eng.clients.get_mut(&self.client) else { return };
        if c.outbox.len() > mark {
            let inner = &mut self.eng.reply_inner;
            inner.extend(c.outbox.drain(mark..).map(|m| (slot, m)));
        }
    }

    /// `r` preceded by the messages kept under `slot` (none: `r` itself).
    pub fn inside(&mut self, slot: usize, r: Reply) -> Reply {
        if self.eng.reply_inner.iter().all(|(s, _)| *s != slot) {
            return r;
        }
        let mut seq = Vec::new();
        let mut rest = Vec::new();
        for (s, m) in self.eng.reply_inner.drain(..) {
            if s == slot {
                seq.push(m);
            } else {
                rest.push((s, m));
            }
        }
        self.eng.reply_inner = rest;
        seq.push(r);
        Reply::Seq(seq)
    }

    /// [`Ctx::inside`] for the first element of an array reply (slot 0).
    pub fn inside_first(&mut self, r: Reply) -> Reply {
        match r {
            Reply::Array(mut v) if !v.is_empty() && !self.eng.reply_inner.is_empty() => {
                let first = core::mem::replace(&mut v[0], Reply::Nil);
                v[0] = self.inside(0, first);
                Reply::Array(v)
            }
            r => r,
        }
    }
}

/// One typed key lookup for every family: `as_t` picks the family's type
/// out of a value (`Value::as_hash_mut`...).
impl Ctx<'_> {
    /// Read lookup (counts a keyspace hit or miss): `None` when absent,
    /// WRONGTYPE when the key holds another type.
    pub fn read_as<T: ?Sized>(&mut self, key: &[u8], as_t: fn(&mut crate::types::Value) -> Option<&mut T>) -> Result<Option<&mut T>> {
        let now = self.now;
        match self.db().read(key, now) {
            None => Ok(None),
            Some(e) => as_t(&mut e.value).map(Some).ok_or(Error::WrongType),
        }
    }

    /// Write lookup: `None` when absent, WRONGTYPE for another type.
    pub fn write_as<T: ?Sized>(&mut self, key: &[u8], as_t: fn(&mut crate::types::Value) -> Option<&mut T>) -> Result<Option<&mut T>> {
        let now = self.now;
        match self.db().write(key, now) {
            None => Ok(None),
            Some(e) => as_t(&mut e.value).map(Some).ok_or(Error::WrongType),
        }
    }

    /// Lookup without side effects on the stats: the value when the key
    /// exists with that type, else `None`.
    pub fn peek_as<T: ?Sized>(&mut self, key: &[u8], as_t: fn(&mut crate::types::Value) -> Option<&mut T>) -> Option<&mut T> {
        let now = self.now;
        self.db().peek(key, now).and_then(|e| as_t(&mut e.value))
    }
}
