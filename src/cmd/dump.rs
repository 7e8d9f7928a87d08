//! DUMP and RESTORE: a key's value in Redis's serialization ([`crate::rdb`])
//! and back, as Redis 7.0's `cluster.c` does them (MIGRATE and
//! RESTORE-ASKING are cluster commands and are not here).
//!
//! RESTORE checks in Redis's order, each with its error, and changes
//! nothing until the payload decoded: options (`REPLACE`, `ABSTTL`,
//! `IDLETIME s`, `FREQ f`; IDLETIME and FREQ exclude each other), the
//! existing key (BUSYKEY), the TTL, the payload's version and checksum,
//! then the object ("Bad data format").

use alloc::vec::Vec;

use crate::cmd::{flags::*, is_kw, Args, Command, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::keyspace::{lfu_minutes, lru_clock, Access, LRU_CLOCK_MAX};
use crate::num;
use crate::rdb::{self, RestoreError};
use crate::reply::Reply;

/// The DUMP/RESTORE command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "dump",
        arity: 2,
        flags: READONLY,
        acl: "@keyspace @read @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Return a serialized version of the value stored at the specified key.",
        since: "2.6.0",
        handler: dump_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "restore",
        arity: -4,
        flags: WRITE | DENYOOM,
        acl: "@keyspace @write @slow @dangerous",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
        since: "2.6.0",
        handler: restore_cmd,
        ..Command::DEFAULT
    },
    // RESTORE as a cluster's MIGRATE sends it; with cluster mode off (the
    // only mode redlet has) it is RESTORE.
    Command {
        name: "restore-asking",
        arity: -4,
        flags: WRITE | DENYOOM | ASKING,
        acl: "@keyspace @write @slow @dangerous",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "server",
        summary: "An internal command for migrating keys in a cluster",
        since: "3.0.0",
        handler: restore_cmd,
        ..Command::DEFAULT
    },
];

/// DUMP: the serialized value of `key` (a read lookup: hit or miss), or
/// `None` when absent.
pub fn dump(cx: &mut Ctx<'_>, key: &[u8]) -> Option<Vec<u8>> {
    let now = cx.now;
    let e = cx.eng.dbs[cx.db].read(key, now)?;
    Some(rdb::dump(&e.value, &cx.eng.config))
}

fn dump_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(dump(cx, key).map_or(Reply::Nil, Reply::Bulk))
}

/// RESTORE's options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreOpts {
    /// `REPLACE`: overwrite an existing key.
    pub replace: bool,
    /// `ABSTTL`: the TTL is an absolute Unix time in ms.
    pub absttl: bool,
    /// `IDLETIME s`: the key's idle time (LRU policies).
    pub idletime: Option<u64>,
    /// `FREQ f`: the key's access frequency counter (LFU policies).
    pub freq: Option<u8>,
}

/// RESTORE `key ttl payload` with `opts`: creates `key` from a DUMP
/// payload. `ttl` is in ms (0: none), relative unless `opts.absttl`.
pub fn restore(cx: &mut Ctx<'_>, key: &[u8], ttl: &[u8], payload: &[u8], opts: RestoreOpts) -> Result<()> {
    let now = cx.now;
    if !opts.replace && cx.db().write(key, now).is_some() {
        return Err(Error::msg("BUSYKEY Target key name already exists."));
    }
    let ttl = num::parse_i64(ttl).ok_or(Error::NotInteger)?;
    if ttl < 0 {
        return Err(Error::err("Invalid TTL value, must be >= 0"));
    }
    let value = {
        let cfg = &cx.eng.config;
        let rng = &mut cx.eng.rng;
        match rdb::restore(payload, cfg, &mut || rng.next_u64()) {
            Ok(v) => v,
            Err(RestoreError::VersionOrChecksum) => return Err(Error::err("DUMP payload version or checksum are wrong")),
            Err(RestoreError::BadFormat(_)) => return Err(Error::err("Bad data format")),
        }
    };
    let deleted = opts.replace && cx.db().remove(key, now).is_some();
    let at = if ttl != 0 && !opts.absttl { ttl.saturating_add(now as i64) } else { ttl };
    if at != 0 && at <= now as i64 {
        // Already expired: only the replaced key's deletion happens.
        if deleted {
            cx.touched(key);
            cx.notify(notify::GENERIC, "del", key);
            cx.dirty(1);
        }
        return Ok(());
    }
    let access = cx.db().access();
    let e = cx.db().insert_new(key.into(), value, (at != 0).then_some(at as u64), now);
    set_lru_or_lfu(e, access, opts, now);
    cx.touched(key);
    cx.notify(notify::GENERIC, "restore", key);
    cx.dirty(1);
    Ok(())
}

/// Redis's `objectSetLRUOrLFU`: FREQ under an LFU policy, IDLETIME under
/// any other.
fn set_lru_or_lfu(e: &mut crate::keyspace::Entry, access: Access, opts: RestoreOpts, now: u64) {
    match access {
        Access::Lfu { .. } => {
            if let Some(f) = opts.freq {
                e.lru = (lfu_minutes(now) << 8) | f as u32;
            }
        }
        Access::Lru => {
            if let Some(idle) = opts.idletime {
                // The 24-bit clock wraps: an idle time past it wraps too.
                let clock = lru_clock(now) as i64;
                let idle = (idle % (LRU_CLOCK_MAX as u64 + 1)) as i64;
                let mut abs = clock - idle;
                if abs < 0 {
                    abs += LRU_CLOCK_MAX as i64;
                }
                e.lru = (abs as u32) << 8;
            }
        }
    }
}

fn restore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let ttl = a.req()?;
    let payload = a.req()?;
    let mut o = RestoreOpts::default();
    while let Some(opt) = a.next() {
        let more = !a.is_empty();
        if is_kw(opt, "replace") {
            o.replace = true;
        } else if is_kw(opt, "absttl") {
            o.absttl = true;
        } else if is_kw(opt, "idletime") && more && o.freq.is_none() {
            let v = a.i64()?;
            if v < 0 {
                return Err(Error::err("Invalid IDLETIME value, must be >= 0"));
            }
            o.idletime = Some(v as u64);
        } else if is_kw(opt, "freq") && more && o.idletime.is_none() {
            let v = a.i64()?;
            if !(0..=255).contains(&v) {
                return Err(Error::err("Invalid FREQ value, must be >= 0 and <= 255"));
            }
            o.freq = Some(v as u8);
        } else {
            return Err(Error::Syntax);
        }
    }
    restore(cx, key, ttl, payload, o)?;
    Ok(Reply::ok())
}

impl Engine {
    /// `DUMP key` in db `db`: the serialized value, `None` when absent.
    pub fn dump(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| Ok(dump(cx, key)))
    }

    /// `RESTORE key ttl payload [options]` in db `db`.
    pub fn restore(&mut self, db: usize, key: &[u8], ttl_ms: u64, payload: &[u8], opts: RestoreOpts) -> Result<()> {
        let ttl = num::fmt_u64(ttl_ms);
        self.with_ctx(db, |cx| restore(cx, key, ttl.as_bytes(), payload, opts))
    }
}
