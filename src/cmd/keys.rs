//! The generic key commands: DEL UNLINK EXISTS TYPE RENAME RENAMENX COPY MOVE
//! SWAPDB KEYS SCAN RANDOMKEY TOUCH, the EXPIRE/TTL family, PERSIST, OBJECT,
//! DBSIZE FLUSHDB FLUSHALL SELECT, and the table entries of SORT/SORT_RO
//! (implemented in [`crate::cmd::sort`]).
//!
//! Handlers parse; the typed operations below them hold the semantics and
//! back both `execute` and the typed [`Engine`] API.
//!
//! Lookup flavours follow Redis's: "read" lookups (`Db::read`) count a hit or
//! miss and refresh the access time; [`read_notouch`] (EXISTS, TYPE, TTL,
//! OBJECT) counts but does not refresh; "write" lookups (`Db::write`) refresh
//! but do not count; DEL only expires then deletes.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::vec::Vec;

use crate::cmd::{flags::*, is_kw, parse_scan_args, scan_reply, sort, Args, Command, Ctx};
use crate::config::{notify, MaxmemoryPolicy};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::glob;
use crate::keyspace::{lru_clock, Entry, LRU_CLOCK_MAX};
use crate::num;
use crate::persist::cmd_line;
use crate::reply::Reply;
use crate::types::{Str, Value};

/// The keys family's command table (SORT and SORT_RO included).
pub const COMMANDS: &[Command] = &[
    Command {
        name: "del",
        arity: -2,
        flags: WRITE,
        acl: "@keyspace @write @slow",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "generic",
        summary: "Delete a key",
        handler: del_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "unlink",
        arity: -2,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "generic",
        summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
        since: "4.0.0",
        handler: del_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "exists",
        arity: -2,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "generic",
        summary: "Determine if a key exists",
        handler: exists_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "type",
        arity: 2,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Determine the type stored at key",
        handler: type_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "rename",
        arity: 3,
        flags: WRITE,
        acl: "@keyspace @write @slow",
        first_key: 1,
        last_key: 2,
        step: 1,
        group: "generic",
        summary: "Rename a key",
        handler: rename_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "renamenx",
        arity: 3,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: 2,
        step: 1,
        group: "generic",
        summary: "Rename a key, only if the new key does not exist",
        handler: renamenx_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "copy",
        arity: -3,
        flags: WRITE | DENYOOM,
        acl: "@keyspace @write @slow",
        first_key: 1,
        last_key: 2,
        step: 1,
        group: "generic",
        summary: "Copy a key",
        since: "6.2.0",
        handler: copy_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "move",
        arity: 3,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Move a key to another database",
        handler: move_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "swapdb",
        arity: 3,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast @dangerous",
        group: "server",
        summary: "Swaps two Redis databases",
        since: "4.0.0",
        handler: swapdb_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "keys",
        arity: 2,
        flags: READONLY,
        acl: "@keyspace @read @slow @dangerous",
        group: "generic",
        summary: "Find all keys matching the given pattern",
        handler: keys_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "scan",
        arity: -2,
        flags: READONLY,
        acl: "@keyspace @read @slow",
        group: "generic",
        summary: "Incrementally iterate the keys space",
        since: "2.8.0",
        handler: scan_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "randomkey",
        arity: 1,
        flags: READONLY,
        acl: "@keyspace @read @slow",
        group: "generic",
        summary: "Return a random key from the keyspace",
        handler: randomkey_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "touch",
        arity: -2,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "generic",
        summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.",
        since: "3.2.1",
        handler: touch_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "expire",
        arity: -3,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Set a key's time to live in seconds",
        handler: expire_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pexpire",
        arity: -3,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Set a key's time to live in milliseconds",
        since: "2.6.0",
        handler: pexpire_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "expireat",
        arity: -3,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Set the expiration for a key as a UNIX timestamp",
        since: "1.2.0",
        handler: expireat_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pexpireat",
        arity: -3,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
        since: "2.6.0",
        handler: pexpireat_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "ttl",
        arity: 2,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Get the time to live for a key in seconds",
        handler: ttl_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pttl",
        arity: 2,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Get the time to live for a key in milliseconds",
        since: "2.6.0",
        handler: pttl_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "expiretime",
        arity: 2,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Get the expiration Unix timestamp for a key",
        since: "7.0.0",
        handler: expiretime_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pexpiretime",
        arity: 2,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Get the expiration Unix timestamp for a key in milliseconds",
        since: "7.0.0",
        handler: pexpiretime_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "persist",
        arity: 2,
        flags: WRITE | FAST,
        acl: "@keyspace @write @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Remove the expiration from a key",
        since: "2.2.0",
        handler: persist_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "object",
        arity: -2,
        flags: 0,
        acl: "@slow",
        group: "generic",
        summary: "A container for object introspection commands",
        since: "2.2.3",
        subcommands: OBJECT_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    Command {
        name: "sort",
        arity: -2,
        flags: WRITE | DENYOOM | MOVABLE_KEYS,
        acl: "@write @set @sortedset @list @slow @dangerous",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Sort the elements in a list, set or sorted set",
        handler: sort::sort_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "sort_ro",
        arity: -2,
        flags: READONLY | MOVABLE_KEYS,
        acl: "@read @set @sortedset @list @slow @dangerous",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "generic",
        summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
        since: "7.0.0",
        handler: sort::sort_ro_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "dbsize",
        arity: 1,
        flags: READONLY | FAST,
        acl: "@keyspace @read @fast",
        group: "server",
        summary: "Return the number of keys in the selected database",
        handler: dbsize_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "flushdb",
        arity: -1,
        flags: WRITE,
        acl: "@keyspace @write @slow @dangerous",
        group: "server",
        summary: "Remove all keys from the current database",
        handler: flushdb_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "flushall",
        arity: -1,
        flags: WRITE,
        acl: "@keyspace @write @slow @dangerous",
        group: "server",
        summary: "Remove all keys from all databases",
        handler: flushall_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "select",
        arity: 2,
        flags: LOADING | STALE | FAST,
        acl: "@fast @connection",
        group: "connection",
        summary: "Change the selected database for the current connection",
        handler: select_cmd,
        ..Command::DEFAULT
    },
];

/// OBJECT's subcommands.
const OBJECT_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "encoding",
        arity: 3,
        flags: READONLY,
        acl: "@keyspace @read @slow",
        first_key: 2,
        last_key: 2,
        step: 1,
        group: "generic",
        summary: "Inspect the internal encoding of a Redis object",
        since: "2.2.3",
        handler: object_encoding_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "freq",
        arity: 3,
        flags: READONLY,
        acl: "@keyspace @read @slow",
        first_key: 2,
        last_key: 2,
        step: 1,
        group: "generic",
        summary: "Get the logarithmic access frequency counter of a Redis object",
        since: "4.0.0",
        handler: object_freq_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        acl: "@keyspace @slow",
        group: "generic",
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        handler: object_help_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "idletime",
        arity: 3,
        flags: READONLY,
        acl: "@keyspace @read @slow",
        first_key: 2,
        last_key: 2,
        step: 1,
        group: "generic",
        summary: "Get the time since a Redis object was last accessed",
        since: "2.2.3",
        handler: object_idletime_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "refcount",
        arity: 3,
        flags: READONLY,
        acl: "@keyspace @read @slow",
        first_key: 2,
        last_key: 2,
        step: 1,
        group: "generic",
        summary: "Get the number of references to the value of the key",
        since: "2.2.3",
        handler: object_refcount_cmd,
        ..Command::DEFAULT
    },
];

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/// Redis's `lookupKeyReadWithFlags(LOOKUP_NOTOUCH)`: lazy expiry and a hit or
/// miss counted, but the access time is left alone.
pub fn read_notouch<'a>(cx: &'a mut Ctx<'_>, key: &[u8]) -> Option<&'a mut Entry> {
    let now = cx.now;
    let db = cx.db();
    if db.peek(key, now).is_some() {
        db.stats.hits += 1;
        db.peek(key, now)
    } else {
        db.note_miss(key);
        None
    }
}

/// OBJECT's lookup (`LOOKUP_NOTOUCH|LOOKUP_NONOTIFY`): like [`read_notouch`]
/// without the `keymiss` event.
fn read_object<'a>(cx: &'a mut Ctx<'_>, key: &[u8]) -> Option<&'a mut Entry> {
    let now = cx.now;
    let db = cx.db();
    if db.peek(key, now).is_some() {
        db.stats.hits += 1;
        db.peek(key, now)
    } else {
        db.stats.misses += 1;
        None
    }
}

/// Parses a db index like Redis's `getIntFromObjectOrReply`: not an integer
/// is "value is not an integer or out of range", outside `int` is the range
/// message; then the index must name an existing db.
pub fn parse_db_index(cx: &Ctx<'_>, arg: &[u8]) -> Result<usize> {
    let v = num::parse_i64(arg).ok_or(Error::NotInteger)?;
    if v < i32::MIN as i64 || v > i32::MAX as i64 {
        return Err(Error::err("value is out of range, value must between -2147483648 and 2147483647"));
    }
    check_db(cx, v)
}

fn check_db(cx: &Ctx<'_>, v: i64) -> Result<usize> {
    if v < 0 || v as u64 >= cx.eng.dbs.len() as u64 {
        return Err(Error::DbIndexOutOfRange);
    }
    Ok(v as usize)
}

/// Marks `key` in db `db` as modified (blocked clients, later WATCH).
fn touched_in(cx: &mut Ctx<'_>, db: usize, key: &[u8]) {
    cx.eng.signal_ready(db, key);
}

/// A `HELP` reply in Redis's format: a header naming the command, the lines,
/// and the standard HELP footer, all as status replies.
pub fn help_reply(cmd: &[u8], lines: &[&'static str]) -> Reply {
    let mut head = cmd.to_ascii_uppercase();
    head.extend_from_slice(b" <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
    let mut out = Vec::with_capacity(lines.len() + 3);
    out.push(Reply::Status(Cow::Owned(String::from_utf8_lossy(&head).into_owned())));
    out.extend(lines.iter().map(|l| Reply::status(l)));
    out.push(Reply::status("HELP"));
    out.push(Reply::status("    Prints this help."));
    Reply::Array(out)
}

// ---------------------------------------------------------------------------
// DEL UNLINK EXISTS TYPE TOUCH
// ---------------------------------------------------------------------------

/// DEL / UNLINK: removes the keys, returns how many existed. A key named
/// twice counts once (the second deletion finds nothing).
pub fn del(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> u64 {
    let now = cx.now;
    let mut n = 0;
    for &k in keys {
        if cx.db().remove(k, now).is_some() {
            cx.touched(k);
            cx.notify(notify::GENERIC, "del", k);
            cx.dirty(1);
            n += 1;
        }
    }
    n
}

fn del_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let keys = a.rest();
    Ok(Reply::Int(del(cx, keys) as i64))
}

/// EXISTS: how many of the keys exist; a key named twice counts twice.
pub fn exists(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> u64 {
    keys.iter().filter(|k| read_notouch(cx, k).is_some()).count() as u64
}

fn exists_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let keys = a.rest();
    Ok(Reply::Int(exists(cx, keys) as i64))
}

/// TYPE: the value's type name, `none` when absent.
pub fn key_type(cx: &mut Ctx<'_>, key: &[u8]) -> &'static str {
    read_notouch(cx, key).map_or("none", |e| e.value.type_name())
}

fn type_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::status(key_type(cx, key)))
}

/// TOUCH: refreshes the access time of the keys; returns how many exist.
pub fn touch(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> u64 {
    let now = cx.now;
    keys.iter().filter(|k| cx.db().read(k, now).is_some()).count() as u64
}

fn touch_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let keys = a.rest();
    Ok(Reply::Int(touch(cx, keys) as i64))
}

// ---------------------------------------------------------------------------
// RENAME RENAMENX COPY MOVE SWAPDB
// ---------------------------------------------------------------------------

/// RENAME (`nx` false) and RENAMENX (`nx` true). Returns whether the key was
/// renamed; "no such key" when `src` is absent. Renaming a key to itself is
/// a no-op that answers true for RENAME and false for RENAMENX. The TTL
/// moves with the value; an overwritten destination loses its own.
pub fn rename(cx: &mut Ctx<'_>, src: &[u8], dst: &[u8], nx: bool) -> Result<bool> {
    let now = cx.now;
    // `Db::remove` hands the entry back with its expiry cleared: read it now.
    let Some(expire) = cx.db().write(src, now).map(|e| e.expire()) else { return Err(Error::NoSuchKey) };
    if src == dst {
        return Ok(!nx);
    }
    if cx.db().write(dst, now).is_some() {
        if nx {
            return Ok(false);
        }
        cx.db().remove(dst, now);
    }
    // Present: looked up just above, in the same instant.
    let Some(e) = cx.db().remove(src, now) else { return Err(Error::NoSuchKey) };
    cx.db().insert_new(dst.into(), e.value, expire, now);
    cx.touched(src);
    cx.touched(dst);
    cx.notify(notify::GENERIC, "rename_from", src);
    cx.notify(notify::GENERIC, "rename_to", dst);
    cx.dirty(1);
    Ok(true)
}

fn rename_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (src, dst) = (a.req()?, a.req()?);
    rename(cx, src, dst, false)?;
    Ok(Reply::ok())
}

fn renamenx_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (src, dst) = (a.req()?, a.req()?);
    Ok(Reply::Int(rename(cx, src, dst, true)? as i64))
}

/// COPY: deep-copies `src` (selected db) to `dst` in db `dst_db` (default the
/// selected db), with its TTL. Without `replace` an existing destination
/// makes it answer false. Copying a key onto itself is an error.
pub fn copy(cx: &mut Ctx<'_>, src: &[u8], dst: &[u8], dst_db: Option<usize>, replace: bool) -> Result<bool> {
    let now = cx.now;
    let dst_db = dst_db.unwrap_or(cx.db);
    if dst_db >= cx.eng.dbs.len() {
        return Err(Error::DbIndexOutOfRange);
    }
    if dst_db == cx.db && src == dst {
        return Err(Error::err("source and destination objects are the same"));
    }
    let Some(e) = cx.db().read(src, now) else { return Ok(false) };
    let value = match &e.value {
        Value::Str(s) => Value::Str(s.duplicate()),
        v => v.clone(),
    };
    let expire = e.expire();
    let target = &mut cx.eng.dbs[dst_db];
    if target.write(dst, now).is_some() {
        if !replace {
            return Ok(false);
        }
        target.remove(dst, now);
    }
    target.insert_new(dst.into(), value, expire, now);
    touched_in(cx, dst_db, dst);
    cx.eng.notify_keyspace_event(notify::GENERIC, "copy_to", dst, dst_db);
    cx.dirty(1);
    Ok(true)
}

fn copy_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (src, dst) = (a.req()?, a.req()?);
    let mut replace = false;
    let mut db = None;
    while let Some(opt) = a.next() {
        if is_kw(opt, "replace") {
            replace = true;
        } else if is_kw(opt, "db") && !a.is_empty() {
            db = Some(parse_db_index(cx, a.req()?)?);
        } else {
            return Err(Error::Syntax);
        }
    }
    Ok(Reply::Int(copy(cx, src, dst, db, replace)? as i64))
}

/// MOVE: moves `key` with its TTL from the selected db to `dst_db`. False
/// when the key is absent or already exists there; moving to the same db is
/// an error.
pub fn move_key(cx: &mut Ctx<'_>, key: &[u8], dst_db: usize) -> Result<bool> {
    let now = cx.now;
    if dst_db >= cx.eng.dbs.len() {
        return Err(Error::DbIndexOutOfRange);
    }
    if dst_db == cx.db {
        return Err(Error::err("source and destination objects are the same"));
    }
    // `Db::remove` hands the entry back with its expiry cleared: read it now.
    let Some(expire) = cx.db().write(key, now).map(|e| e.expire()) else { return Ok(false) };
    if cx.eng.dbs[dst_db].write(key, now).is_some() {
        return Ok(false);
    }
    let Some(e) = cx.db().remove(key, now) else { return Ok(false) };
    cx.eng.dbs[dst_db].insert_new(key.into(), e.value, expire, now);
    cx.touched(key);
    touched_in(cx, dst_db, key);
    cx.notify(notify::GENERIC, "move_from", key);
    cx.eng.notify_keyspace_event(notify::GENERIC, "move_to", key, dst_db);
    cx.dirty(1);
    Ok(true)
}

fn move_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let db = parse_db_index(cx, a.req()?)?;
    Ok(Reply::Int(move_key(cx, key, db)? as i64))
}

/// SWAPDB: exchanges the contents of two dbs. Clients stay on their db index
/// and clients blocked on keys there are re-checked against the new data.
pub fn swapdb(cx: &mut Ctx<'_>, a: usize, b: usize) -> Result<()> {
    let n = cx.eng.dbs.len();
    if a >= n || b >= n {
        return Err(Error::DbIndexOutOfRange);
    }
    if a != b {
        let now = cx.now;
        cx.eng.before_swapdb(a, b, now);
        cx.eng.dbs.swap(a, b);
        // Lookup counters are server-wide in Redis; keep them by index.
        let sa = core::mem::take(&mut cx.eng.dbs[a].stats);
        let sb = core::mem::replace(&mut cx.eng.dbs[b].stats, sa);
        cx.eng.dbs[a].stats = sb;
        cx.eng.after_swapdb(a, b);
        cx.eng.signal_all_ready(a);
        cx.eng.signal_all_ready(b);
    }
    cx.dirty(1);
    Ok(())
}

fn swapdb_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let parse = |arg: &[u8], msg: &str| -> Result<i64> {
        match num::parse_i64(arg) {
            Some(v) if v >= i32::MIN as i64 && v <= i32::MAX as i64 => Ok(v),
            _ => Err(Error::err(msg)),
        }
    };
    let x = parse(a.req()?, "invalid first DB index")?;
    let y = parse(a.req()?, "invalid second DB index")?;
    let (x, y) = (check_db(cx, x)?, check_db(cx, y)?);
    swapdb(cx, x, y)?;
    Ok(Reply::ok())
}

// ---------------------------------------------------------------------------
// KEYS SCAN RANDOMKEY DBSIZE
// ---------------------------------------------------------------------------

/// KEYS: every live key matching `pattern`. Like Redis 7.0, expired keys are
/// left out but not deleted.
pub fn keys(cx: &mut Ctx<'_>, pattern: &[u8]) -> Vec<Vec<u8>> {
    let now = cx.now;
    let all = pattern == b"*";
    let mut out = Vec::new();
    // One scan over every slot: `Db::scan` skips keys expired at `now` (the
    // keyspace's own expiry rule) without deleting them.
    cx.db().scan(0, usize::MAX, now, |e| {
        if all || glob::matches(pattern, &e.key, false) {
            out.push(e.key.to_vec());
        }
    });
    out
}

fn keys_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let pattern = a.req()?;
    Ok(Reply::bulk_array(keys(cx, pattern)))
}

/// One SCAN step from `cursor`: the next cursor (0 at the end) and the keys
/// found. Every key present for the whole iteration is returned at least
/// once. Filters run in Redis's order: MATCH, then TYPE (a counted lookup
/// that expires the key; an expired key has type "none", so `TYPE none`
/// returns expired keys, as Redis does), then expiry (deleting what it
/// finds expired).
pub fn scan(cx: &mut Ctx<'_>, cursor: u64, pattern: Option<&[u8]>, count: usize, type_name: Option<&[u8]>) -> (u64, Vec<Vec<u8>>) {
    let now = cx.now;
    let mut found: Vec<Box<[u8]>> = Vec::new();
    // `now = 0` makes `Db::scan` hand over expired entries too: Redis checks
    // expiry only after MATCH and TYPE, and deletes what it finds.
    let next = cx.db().scan(cursor, count, 0, |e| found.push(e.key.as_slice().into()));
    let mut out = Vec::with_capacity(found.len());
    for k in found {
        if let Some(p) = pattern {
            if !glob::matches(p, &k, false) {
                continue;
            }
        }
        if let Some(t) = type_name {
            let actual = key_type(cx, &k);
            if !t.eq_ignore_ascii_case(actual.as_bytes()) {
                continue;
            }
        } else if !cx.db().exists(&k, now) {
            continue;
        }
        out.push(k.into_vec());
    }
    (next, out)
}

fn scan_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let s = parse_scan_args(a, true)?;
    let (next, keys) = scan(cx, s.cursor, s.pattern, s.count, s.type_name);
    Ok(scan_reply(next, keys.into_iter().map(Reply::Bulk).collect()))
}

/// RANDOMKEY: a random live key, `None` when the db is empty. Expired keys
/// met on the way are deleted; like Redis on a master it keeps drawing until
/// it finds a live key or the db is empty.
pub fn randomkey(cx: &mut Ctx<'_>) -> Option<Vec<u8>> {
    let now = cx.now;
    let idx = cx.db;
    let eng = &mut *cx.eng;
    let (db, rng) = (&mut eng.dbs[idx], &mut eng.rng);
    while !db.is_empty() {
        // Each fruitless call deletes the expired keys it drew, so this ends.
        if let Some(k) = db.random_key(rng, now) {
            return Some(k.into_vec());
        }
    }
    None
}

fn randomkey_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(randomkey(cx).map_or(Reply::Nil, Reply::Bulk))
}

/// DBSIZE: keys in the selected db, expired-but-unreclaimed ones included.
pub fn dbsize(cx: &mut Ctx<'_>) -> u64 {
    cx.db().len() as u64
}

fn dbsize_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(dbsize(cx) as i64))
}

// ---------------------------------------------------------------------------
// EXPIRE family, TTL family, PERSIST
// ---------------------------------------------------------------------------

/// The NX/XX/GT/LT conditions of the EXPIRE family. Redis accepts XX with GT
/// or LT; NX excludes the others and GT excludes LT.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpireFlags {
    /// Only if the key has no expiry.
    pub nx: bool,
    /// Only if the key has an expiry.
    pub xx: bool,
    /// Only if the new expiry is later than the current one (none = infinite).
    pub gt: bool,
    /// Only if the new expiry is earlier than the current one (none = infinite).
    pub lt: bool,
}

impl ExpireFlags {
    /// Redis's compatibility checks, with its error texts.
    pub fn validate(&self) -> Result<()> {
        if self.nx && (self.xx || self.gt || self.lt) {
            return Err(Error::err("NX and XX, GT or LT options at the same time are not compatible"));
        }
        if self.gt && self.lt {
            return Err(Error::err("GT and LT options at the same time are not compatible"));
        }
        Ok(())
    }
}

/// The unit and base of an EXPIRE-family time argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpireKind {
    /// EXPIRE: seconds from now.
    Seconds,
    /// PEXPIRE: milliseconds from now.
    Millis,
    /// EXPIREAT: Unix time in seconds.
    AtSeconds,
    /// PEXPIREAT: Unix time in milliseconds.
    AtMillis,
}

impl ExpireKind {
    /// The command name Redis puts in "invalid expire time" errors.
    pub fn command(self) -> &'static str {
        match self {
            ExpireKind::Seconds => "expire",
            ExpireKind::Millis => "pexpire",
            ExpireKind::AtSeconds => "expireat",
            ExpireKind::AtMillis => "pexpireat",
        }
    }
}

/// Turns an EXPIRE-family argument into an absolute time in ms, with Redis's
/// overflow checks ("invalid expire time in '<cmd>' command"). Negative and
/// past times are valid: they delete the key.
pub fn expire_when(now: u64, kind: ExpireKind, value: i64) -> Result<i64> {
    let invalid = || Error::msg(alloc::format!("ERR invalid expire time in '{}' command", kind.command()));
    let mut when = value;
    if matches!(kind, ExpireKind::Seconds | ExpireKind::AtSeconds) {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    if matches!(kind, ExpireKind::Seconds | ExpireKind::Millis) {
        when = when.checked_add(now as i64).ok_or_else(invalid)?;
    }
    Ok(when)
}

/// Sets the expiry of `key` to `when` (absolute ms) under `flags`. Returns
/// whether anything changed; a time at or before now deletes the key (and
/// counts as a change).
pub fn expire_at(cx: &mut Ctx<'_>, key: &[u8], when: i64, flags: ExpireFlags) -> Result<bool> {
    flags.validate()?;
    let now = cx.now;
    let Some(e) = cx.db().write(key, now) else { return Ok(false) };
    let current = e.expire().map(|t| t as i64);
    if flags.nx && current.is_some() {
        return Ok(false);
    }
    if flags.xx && current.is_none() {
        return Ok(false);
    }
    if flags.gt && current.is_none_or(|c| when <= c) {
        return Ok(false);
    }
    if flags.lt && current.is_some_and(|c| when >= c) {
        return Ok(false);
    }
    let event = if when <= now as i64 {
        cx.db().remove(key, now);
        "del"
    } else {
        cx.db().set_expire(key, when as u64, now);
        // Redis replies before notifying a new expiry (not a deletion).
        cx.reply_point();
        "expire"
    };
    cx.touched(key);
    cx.notify(notify::GENERIC, event, key);
    cx.dirty(1);
    Ok(true)
}

/// The whole EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT operation.
pub fn expire(cx: &mut Ctx<'_>, key: &[u8], value: i64, kind: ExpireKind, flags: ExpireFlags) -> Result<bool> {
    flags.validate()?;
    let when = expire_when(cx.now, kind, value)?;
    expire_at(cx, key, when, flags)
}

fn expire_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, kind: ExpireKind) -> Result<Reply> {
    let key = a.req()?;
    let value = a.req()?;
    // Options are checked before the time argument, as Redis does.
    let mut flags = ExpireFlags::default();
    while let Some(opt) = a.next() {
        if is_kw(opt, "nx") {
            flags.nx = true;
        } else if is_kw(opt, "xx") {
            flags.xx = true;
        } else if is_kw(opt, "gt") {
            flags.gt = true;
        } else if is_kw(opt, "lt") {
            flags.lt = true;
        } else {
            let mut m = b"ERR Unsupported option ".to_vec();
            m.extend_from_slice(opt);
            return Err(Error::msg(m));
        }
    }
    flags.validate()?;
    let value = num::parse_i64(value).ok_or(Error::NotInteger)?;
    Ok(Reply::Int(expire(cx, key, value, kind, flags)? as i64))
}

fn expire_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    expire_generic(cx, a, ExpireKind::Seconds)
}

fn pexpire_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    expire_generic(cx, a, ExpireKind::Millis)
}

fn expireat_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    expire_generic(cx, a, ExpireKind::AtSeconds)
}

fn pexpireat_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    expire_generic(cx, a, ExpireKind::AtMillis)
}

/// What the TTL family reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TtlKind {
    /// TTL: seconds left, rounded.
    Seconds,
    /// PTTL: milliseconds left.
    Millis,
    /// EXPIRETIME: absolute Unix seconds.
    AtSeconds,
    /// PEXPIRETIME: absolute Unix milliseconds.
    AtMillis,
}

/// TTL / PTTL / EXPIRETIME / PEXPIRETIME: -2 when the key is absent, -1 when
/// it has no expiry, else the time (remaining time rounds to the nearest
/// second for TTL).
pub fn ttl(cx: &mut Ctx<'_>, key: &[u8], kind: TtlKind) -> i64 {
    let now = cx.now as i64;
    let Some(e) = read_notouch(cx, key) else { return -2 };
    let Some(at) = e.expire() else { return -1 };
    let at = at as i64;
    let t = match kind {
        TtlKind::Seconds | TtlKind::Millis => at - now,
        TtlKind::AtSeconds | TtlKind::AtMillis => at,
    }
    .max(0);
    match kind {
        TtlKind::Millis | TtlKind::AtMillis => t,
        // `t` >= 0; Redis's `(ttl+500)/1000` is computed without wrapping
        // near i64::MAX (its compiler works unsigned), so do the same.
        TtlKind::Seconds | TtlKind::AtSeconds => ((t as u64 + 500) / 1000) as i64,
    }
}

fn ttl_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(ttl(cx, key, TtlKind::Seconds)))
}

fn pttl_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(ttl(cx, key, TtlKind::Millis)))
}

fn expiretime_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(ttl(cx, key, TtlKind::AtSeconds)))
}

fn pexpiretime_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(ttl(cx, key, TtlKind::AtMillis)))
}

/// PERSIST: removes the expiry; true if the key had one.
pub fn persist(cx: &mut Ctx<'_>, key: &[u8]) -> bool {
    let now = cx.now;
    if cx.db().write(key, now).is_none() || !cx.db().persist(key, now) {
        return false;
    }
    cx.touched(key);
    cx.notify(notify::GENERIC, "persist", key);
    cx.dirty(1);
    true
}

fn persist_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(persist(cx, key) as i64))
}

// ---------------------------------------------------------------------------
// OBJECT
// ---------------------------------------------------------------------------

/// Redis shares the integer objects 0..10000 (`OBJ_SHARED_INTEGERS`).
const SHARED_INTEGERS: i64 = 10000;
/// Refcount of a shared object (`OBJ_SHARED_REFCOUNT`, `INT_MAX`).
const SHARED_REFCOUNT: i64 = i32::MAX as i64;

fn lfu_policy(cx: &Ctx<'_>) -> bool {
    matches!(cx.config().maxmemory_policy, MaxmemoryPolicy::AllKeysLfu | MaxmemoryPolicy::VolatileLfu)
}

/// True when Redis would store small integers as shared objects: always,
/// unless a maxmemory limit is set with an LRU or LFU policy (they need a
/// per-key access field).
fn shares_integers(cx: &Ctx<'_>) -> bool {
    let c = cx.config();
    c.maxmemory == 0
        || !matches!(
            c.maxmemory_policy,
            MaxmemoryPolicy::AllKeysLru | MaxmemoryPolicy::VolatileLru | MaxmemoryPolicy::AllKeysLfu | MaxmemoryPolicy::VolatileLfu
        )
}

/// OBJECT ENCODING: the encoding name, `None` when the key is absent.
pub fn object_encoding(cx: &mut Ctx<'_>, key: &[u8]) -> Option<&'static str> {
    read_object(cx, key).map(|e| e.value.encoding())
}

/// OBJECT REFCOUNT: Redis's reference count of the value: `INT_MAX` for a
/// shared small integer, 1 otherwise. `None` when the key is absent.
///
/// The sharing decision is Redis's at write time; we derive it from the
/// value (COPY's duplicates are `Str::IntUnshared`) and the current
/// configuration.
pub fn object_refcount(cx: &mut Ctx<'_>, key: &[u8]) -> Option<i64> {
    let shared = shares_integers(cx);
    let e = read_object(cx, key)?;
    Some(match e.value {
        Value::Str(Str::Int(n)) if shared && (0..SHARED_INTEGERS).contains(&n) => SHARED_REFCOUNT,
        _ => 1,
    })
}

/// Idle seconds of an entry from its LRU clock (Redis's
/// `estimateObjectIdleTime`, which handles one wrap of the 24-bit clock).
pub fn idle_seconds(lru: u32, now_ms: u64) -> u64 {
    let clock = lru_clock(now_ms) as u64;
    let lru = lru as u64;
    if clock >= lru {
        clock - lru
    } else {
        clock + (LRU_CLOCK_MAX as u64 - lru)
    }
}

/// OBJECT IDLETIME: seconds since the last access. `Ok(None)` when absent;
/// an error under an LFU policy (idle time is not tracked then).
pub fn object_idletime(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<u64>> {
    let now = cx.now;
    let lfu = lfu_policy(cx);
    let Some(e) = read_object(cx, key) else { return Ok(None) };
    if lfu {
        return Err(Error::err("An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."));
    }
    // The stamp's high 24 bits are Redis's LRU clock (see keyspace::lru_stamp).
    Ok(Some(idle_seconds(e.lru >> 8, now)))
}

/// The LFU counter stored in an entry's `lru` field (16 bits of minutes,
/// 8 bits of logarithmic counter), decayed by one per `decay_minutes`
/// elapsed, as Redis's `LFUDecrAndReturn` computes it.
pub fn lfu_decayed_counter(lru: u32, now_ms: u64, decay_minutes: u32) -> u64 {
    // One definition of the decay, shared with the keyspace's LFU updates.
    crate::keyspace::lfu_decr_and_return(lru, now_ms, decay_minutes) as u64
}

/// OBJECT FREQ: the key's decayed LFU counter. `Ok(None)` when absent; an
/// error unless an LFU policy is selected. The counter is the one lookups
/// keep in the entry's `lru` field under an LFU policy (see
/// [`crate::keyspace::Access`]) and eviction reads.
pub fn object_freq(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<u64>> {
    let now = cx.now;
    let lfu = lfu_policy(cx);
    let decay = cx.config().lfu_decay_time;
    let Some(e) = read_object(cx, key) else { return Ok(None) };
    if !lfu {
        return Err(Error::err("An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."));
    }
    Ok(Some(lfu_decayed_counter(e.lru, now, decay)))
}

fn object_encoding_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(object_encoding(cx, key).map_or(Reply::Nil, |s| Reply::bulk(s.as_bytes())))
}

fn object_refcount_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(object_refcount(cx, key).map_or(Reply::Nil, Reply::Int))
}

fn object_idletime_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(object_idletime(cx, key)?.map_or(Reply::Nil, |s| Reply::Int(s as i64)))
}

fn object_freq_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(object_freq(cx, key)?.map_or(Reply::Nil, |s| Reply::Int(s as i64)))
}

const OBJECT_HELP: &[&str] = &[
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
];

fn object_help_cmd(_cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let name = a.argv().first().copied().unwrap_or(b"object");
    Ok(help_reply(name, OBJECT_HELP))
}

// ---------------------------------------------------------------------------
// FLUSHDB FLUSHALL SELECT
// ---------------------------------------------------------------------------

/// FLUSHDB: empties the selected db; returns how many keys it held. (The
/// engine frees memory synchronously whatever ASYNC/SYNC says.)
pub fn flushdb(cx: &mut Ctx<'_>) -> u64 {
    let db = cx.db;
    cx.eng.tracking_flush();
    flush_one(cx, db)
}

fn flush_one(cx: &mut Ctx<'_>, db: usize) -> u64 {
    let n = cx.eng.dbs[db].len() as u64;
    let now = cx.now;
    cx.eng.before_flush(db, now);
    cx.eng.dbs[db].clear();
    cx.eng.signal_all_ready(db);
    cx.dirty(n);
    n
}

/// FLUSHALL: empties every db; returns how many keys they held.
pub fn flushall(cx: &mut Ctx<'_>) -> u64 {
    cx.eng.tracking_flush();
    (0..cx.eng.dbs.len()).map(|db| flush_one(cx, db)).sum()
}

/// Parses FLUSHDB/FLUSHALL's optional ASYNC|SYNC.
fn flush_args(a: &mut Args<'_>) -> Result<()> {
    match a.remaining() {
        0 => Ok(()),
        1 if a.eat("async") || a.eat("sync") => Ok(()),
        _ => Err(Error::Syntax),
    }
}

fn flushdb_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    flush_args(a)?;
    flushdb(cx);
    Ok(Reply::ok())
}

fn flushall_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    flush_args(a)?;
    flushall(cx);
    Ok(Reply::ok())
}

/// SELECT: makes `db` the calling client's db.
pub fn select(cx: &mut Ctx<'_>, db: usize) -> Result<()> {
    if db >= cx.eng.dbs.len() {
        return Err(Error::DbIndexOutOfRange);
    }
    if let Some(c) = cx.eng.clients.get_mut(&cx.client) {
        c.db = db;
    }
    cx.db = db;
    Ok(())
}

fn select_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let db = parse_db_index(cx, a.req()?)?;
    select(cx, db)?;
    Ok(Reply::ok())
}

// ---------------------------------------------------------------------------
// Typed API
// ---------------------------------------------------------------------------

impl Engine {
    /// `DEL key...` in db `db`: how many keys were removed.
    pub fn del(&mut self, db: usize, keys: &[&[u8]]) -> Result<u64> {
        self.typed_line(|| cmd_line(&[b"DEL"], keys.iter().copied()));
        self.with_ctx(db, |cx| Ok(del(cx, keys)))
    }

    /// `EXISTS key...` in db `db` (a key named twice counts twice).
    pub fn exists(&mut self, db: usize, keys: &[&[u8]]) -> Result<u64> {
        self.with_ctx(db, |cx| Ok(exists(cx, keys)))
    }

    /// `TYPE key` in db `db`.
    pub fn key_type(&mut self, db: usize, key: &[u8]) -> Result<&'static str> {
        self.with_ctx(db, |cx| Ok(key_type(cx, key)))
    }

    /// `TOUCH key...` in db `db`.
    pub fn touch(&mut self, db: usize, keys: &[&[u8]]) -> Result<u64> {
        self.with_ctx(db, |cx| Ok(touch(cx, keys)))
    }

    /// `RENAME src dst` (or RENAMENX when `nx`) in db `db`.
    pub fn rename(&mut self, db: usize, src: &[u8], dst: &[u8], nx: bool) -> Result<bool> {
        self.with_ctx(db, |cx| rename(cx, src, dst, nx))
    }

    /// `COPY src dst [DB dst_db] [REPLACE]` from db `db`.
    pub fn copy(&mut self, db: usize, src: &[u8], dst: &[u8], dst_db: Option<usize>, replace: bool) -> Result<bool> {
        self.with_ctx(db, |cx| copy(cx, src, dst, dst_db, replace))
    }

    /// `MOVE key dst_db` from db `db`.
    pub fn move_key(&mut self, db: usize, key: &[u8], dst_db: usize) -> Result<bool> {
        self.with_ctx(db, |cx| move_key(cx, key, dst_db))
    }

    /// `SWAPDB a b`.
    pub fn swapdb(&mut self, a: usize, b: usize) -> Result<()> {
        self.with_ctx(0, |cx| swapdb(cx, a, b))
    }

    /// `KEYS pattern` in db `db`.
    pub fn keys(&mut self, db: usize, pattern: &[u8]) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| Ok(keys(cx, pattern)))
    }

    /// `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]` in db `db`:
    /// the next cursor and the keys of this step.
    pub fn scan(&mut self, db: usize, cursor: u64, pattern: Option<&[u8]>, count: usize, type_name: Option<&[u8]>) -> Result<(u64, Vec<Vec<u8>>)> {
        let pattern = pattern.filter(|p| *p != b"*");
        self.with_ctx(db, |cx| Ok(scan(cx, cursor, pattern, count.max(1), type_name)))
    }

    /// `RANDOMKEY` in db `db`.
    pub fn randomkey(&mut self, db: usize) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| Ok(randomkey(cx)))
    }

    /// `DBSIZE` of db `db`.
    pub fn dbsize(&mut self, db: usize) -> Result<u64> {
        self.with_ctx(db, |cx| Ok(dbsize(cx)))
    }

    /// EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT (by `kind`) with NX/XX/GT/LT.
    pub fn expire(&mut self, db: usize, key: &[u8], value: i64, kind: ExpireKind, flags: ExpireFlags) -> Result<bool> {
        self.typed_line(|| {
            let name: &[u8] = match kind {
                ExpireKind::Seconds => b"EXPIRE",
                ExpireKind::Millis => b"PEXPIRE",
                ExpireKind::AtSeconds => b"EXPIREAT",
                ExpireKind::AtMillis => b"PEXPIREAT",
            };
            let mut l = cmd_line(&[name, key, num::fmt_i64(value).as_bytes()], []);
            for (on, word) in [(flags.nx, b"NX"), (flags.xx, b"XX"), (flags.gt, b"GT"), (flags.lt, b"LT")] {
                if on {
                    l.push(word.to_vec());
                }
            }
            l
        });
        self.with_ctx(db, |cx| expire(cx, key, value, kind, flags))
    }

    /// TTL/PTTL/EXPIRETIME/PEXPIRETIME (by `kind`): -2 absent, -1 no expiry.
    pub fn ttl(&mut self, db: usize, key: &[u8], kind: TtlKind) -> Result<i64> {
        self.with_ctx(db, |cx| Ok(ttl(cx, key, kind)))
    }

    /// `PERSIST key` in db `db`.
    pub fn persist(&mut self, db: usize, key: &[u8]) -> Result<bool> {
        self.with_ctx(db, |cx| Ok(persist(cx, key)))
    }

    /// `OBJECT ENCODING key` in db `db`.
    pub fn object_encoding(&mut self, db: usize, key: &[u8]) -> Result<Option<&'static str>> {
        self.with_ctx(db, |cx| Ok(object_encoding(cx, key)))
    }

    /// `OBJECT REFCOUNT key` in db `db`.
    pub fn object_refcount(&mut self, db: usize, key: &[u8]) -> Result<Option<i64>> {
        self.with_ctx(db, |cx| Ok(object_refcount(cx, key)))
    }

    /// `OBJECT IDLETIME key` in db `db`.
    pub fn object_idletime(&mut self, db: usize, key: &[u8]) -> Result<Option<u64>> {
        self.with_ctx(db, |cx| object_idletime(cx, key))
    }

    /// `OBJECT FREQ key` in db `db`.
    pub fn object_freq(&mut self, db: usize, key: &[u8]) -> Result<Option<u64>> {
        self.with_ctx(db, |cx| object_freq(cx, key))
    }

    /// `FLUSHDB` on db `db`: how many keys were removed.
    pub fn flushdb(&mut self, db: usize) -> Result<u64> {
        self.with_ctx(db, |cx| Ok(flushdb(cx)))
    }

    /// `FLUSHALL`: how many keys were removed.
    pub fn flushall(&mut self) -> Result<u64> {
        self.with_ctx(0, |cx| Ok(flushall(cx)))
    }
}
