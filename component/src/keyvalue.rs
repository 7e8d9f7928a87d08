//! wasi:keyvalue (store, atomics, batch) over the core's typed API.
//!
//! The mapping (documented in wit/deps/keyvalue and the README): a bucket
//! is a numbered keyspace of the instance's `default` database, identifier
//! `""` keyspace 0 and `"0"`..`"<databases-1>"` that keyspace (canonical
//! decimal, no sign or leading zero), anything else `no-such-store`. Keys
//! are Redis keys, values Redis strings, so a guest's data is visible to
//! RESP clients and typed calls of the same database and vice versa.
//! Every operation is one core call (or, for `increment`, a read and a
//! write with nothing able to run between them in a single-threaded
//! instance), with the command's semantics and Redis's error text in
//! `other`.

use redlet_core::cmd::strings::SetOptions;
use redlet_core::{num, Engine};

use crate::convert;
use crate::exports::wasi::keyvalue::store::{Error, KeyResponse};

/// Keys scanned per `list-keys` page (SCAN's COUNT hint).
const PAGE: usize = 100;

/// The keyspace a bucket identifier names, given the database's number of
/// keyspaces (`databases`).
pub fn bucket_index(identifier: &str, databases: usize) -> Option<usize> {
    if identifier.is_empty() {
        return Some(0);
    }
    let canonical = identifier.bytes().all(|b| b.is_ascii_digit()) && (identifier == "0" || !identifier.starts_with('0'));
    let n: usize = if canonical { identifier.parse().ok()? } else { return None };
    (n < databases).then_some(n)
}

/// A core error in wasi:keyvalue's `other`, with Redis's text.
pub fn other(e: redlet_core::Error) -> Error {
    Error::Other(convert::text(e.to_bytes()))
}

/// `get`: GET; WRONGTYPE for a key holding another type.
pub fn get(eng: &mut Engine, db: usize, key: &str) -> Result<Option<Vec<u8>>, Error> {
    eng.get(db, key.as_bytes()).map_err(other)
}

/// `set`: SET (any TTL the key had is cleared, as SET does).
pub fn set(eng: &mut Engine, db: usize, key: &str, value: &[u8]) -> Result<(), Error> {
    eng.set(db, key.as_bytes(), value, SetOptions::default()).map(|_| ()).map_err(other)
}

/// `delete`: DEL.
pub fn delete(eng: &mut Engine, db: usize, key: &str) -> Result<(), Error> {
    eng.del(db, &[key.as_bytes()]).map(|_| ()).map_err(other)
}

/// `exists`: EXISTS.
pub fn exists(eng: &mut Engine, db: usize, key: &str) -> Result<bool, Error> {
    eng.exists(db, &[key.as_bytes()]).map(|n| n > 0).map_err(other)
}

/// `list-keys`: one SCAN step from `cursor`; the next cursor, `none` once
/// SCAN returns 0. A page may be empty while the cursor is not done, as
/// with SCAN. Keys that are not UTF-8 (written by RESP clients) are shown
/// with replacement characters, since the WIT's keys are strings.
pub fn list_keys(eng: &mut Engine, db: usize, cursor: Option<u64>) -> Result<KeyResponse, Error> {
    let (next, keys) = eng.scan(db, cursor.unwrap_or(0), None, PAGE, None).map_err(other)?;
    let keys = keys.into_iter().map(convert::text).collect();
    Ok(KeyResponse { keys, cursor: (next != 0).then_some(next) })
}

/// `increment`: INCRBY. A `delta` past i64 is refused as INCRBY refuses
/// that argument; a result below 0 (the key held a negative number) is
/// refused before writing, since the WIT returns a `u64`.
pub fn increment(eng: &mut Engine, db: usize, key: &str, delta: u64) -> Result<u64, Error> {
    let delta = i64::try_from(delta).map_err(|_| other(redlet_core::Error::NotInteger))?;
    let current = eng.get(db, key.as_bytes()).map_err(other)?;
    if let Some(sum) = current.as_deref().and_then(num::parse_i64).and_then(|v| v.checked_add(delta)) {
        if sum < 0 {
            return Err(Error::Other("ERR increment would leave a negative value, which wasi:keyvalue cannot return".into()));
        }
    }
    // Not negative: checked above, and INCRBY's own checks cover the rest.
    eng.incr_by(db, key.as_bytes(), delta).map(|n| n as u64).map_err(other)
}

/// What `get-many` returns: each key with its value, or `None`.
pub type Found = Vec<Option<(String, Vec<u8>)>>;

/// `get-many`: GET of each key (stopping at the first error, so a key of
/// another type is WRONGTYPE as in `get`).
pub fn get_many(eng: &mut Engine, db: usize, keys: Vec<String>) -> Result<Found, Error> {
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        out.push(get(eng, db, &k)?.map(|v| (k, v)));
    }
    Ok(out)
}

/// `set-many`: MSET (all pairs in one command).
pub fn set_many(eng: &mut Engine, db: usize, pairs: &[(String, Vec<u8>)]) -> Result<(), Error> {
    if pairs.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(&[u8], &[u8])> = pairs.iter().map(|(k, v)| (k.as_bytes(), v.as_slice())).collect();
    eng.mset(db, &pairs).map_err(other)
}

/// `delete-many`: DEL of every key.
pub fn delete_many(eng: &mut Engine, db: usize, keys: &[String]) -> Result<(), Error> {
    if keys.is_empty() {
        return Ok(());
    }
    let keys: Vec<&[u8]> = keys.iter().map(|k| k.as_bytes()).collect();
    eng.del(db, &keys).map(|_| ()).map_err(other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use redlet_core::clock::ManualClock;
    use redlet_core::{Config, Options};

    fn engine() -> Engine {
        Engine::new(Options { config: Config::default(), clock: Box::new(ManualClock::new(1_000_000)), seed: 1 })
    }

    fn other_text(e: Error) -> String {
        match e {
            Error::Other(t) => t,
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn bucket_identifiers() {
        assert_eq!(bucket_index("", 16), Some(0));
        assert_eq!(bucket_index("0", 16), Some(0));
        assert_eq!(bucket_index("15", 16), Some(15));
        for bad in ["16", "01", "-1", "+1", " 1", "a", "1a", "99999999999999999999999"] {
            assert_eq!(bucket_index(bad, 16), None, "{bad}");
        }
    }

    #[test]
    fn store_ops() {
        let mut e = engine();
        assert_eq!(get(&mut e, 0, "k").unwrap(), None);
        set(&mut e, 0, "k", b"v").unwrap();
        assert_eq!(get(&mut e, 0, "k").unwrap(), Some(b"v".to_vec()));
        assert_eq!(get(&mut e, 1, "k").unwrap(), None);
        assert!(exists(&mut e, 0, "k").unwrap());
        delete(&mut e, 0, "k").unwrap();
        delete(&mut e, 0, "k").unwrap();
        assert!(!exists(&mut e, 0, "k").unwrap());
        e.lpush(0, b"list", &[b"x"]).unwrap();
        assert!(other_text(get(&mut e, 0, "list").unwrap_err()).starts_with("WRONGTYPE"));
    }

    #[test]
    fn increments() {
        let mut e = engine();
        assert_eq!(increment(&mut e, 0, "n", 5).unwrap(), 5);
        assert_eq!(increment(&mut e, 0, "n", 0).unwrap(), 5);
        assert_eq!(get(&mut e, 0, "n").unwrap(), Some(b"5".to_vec()));
        assert_eq!(other_text(increment(&mut e, 0, "n", u64::MAX).unwrap_err()), "ERR value is not an integer or out of range");
        assert_eq!(other_text(increment(&mut e, 0, "n", i64::MAX as u64).unwrap_err()), "ERR increment or decrement would overflow");
        set(&mut e, 0, "neg", b"-3").unwrap();
        assert!(increment(&mut e, 0, "neg", 1).is_err());
        assert_eq!(get(&mut e, 0, "neg").unwrap(), Some(b"-3".to_vec()));
        assert_eq!(increment(&mut e, 0, "neg", 3).unwrap(), 0);
        set(&mut e, 0, "s", b"abc").unwrap();
        assert_eq!(other_text(increment(&mut e, 0, "s", 1).unwrap_err()), "ERR value is not an integer or out of range");
    }

    #[test]
    fn list_keys_pages_to_the_end() {
        let mut e = engine();
        let pairs: Vec<(String, Vec<u8>)> = (0..1000).map(|i| (format!("key:{i}"), vec![b'x'])).collect();
        set_many(&mut e, 3, &pairs).unwrap();
        let mut seen = std::collections::BTreeSet::new();
        let mut cursor = None;
        loop {
            let page = list_keys(&mut e, 3, cursor).unwrap();
            seen.extend(page.keys);
            cursor = page.cursor;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(seen.len(), 1000);
        let got = get_many(&mut e, 3, vec!["key:1".into(), "nope".into()]).unwrap();
        assert_eq!(got, vec![Some(("key:1".to_string(), b"x".to_vec())), None]);
        delete_many(&mut e, 3, &["key:1".into(), "nope".into()]).unwrap();
        assert!(!exists(&mut e, 3, "key:1").unwrap());
        set_many(&mut e, 3, &[]).unwrap();
        delete_many(&mut e, 3, &[]).unwrap();
        assert_eq!(list_keys(&mut e, 5, None).unwrap(), KeyResponse { keys: vec![], cursor: None });
    }
}
