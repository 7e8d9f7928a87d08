//! The wasi:keyvalue probe (world `kv-probe` in `wit/probe.wit`): a guest
//! that runs the operations its host passes on one bucket and returns the
//! results. `wasmtime/tests/keyvalue_diff.rs` runs one seeded sequence
//! through it against wasmtime-wasi-keyvalue's in-memory provider and
//! against redlet's wasi:keyvalue, and compares.
//!
//! It only forwards: every call's result, error included, goes back to
//! the host as it came, and nothing here panics.

wit_bindgen::generate!({
    path: ["../../wit", "wit"],
    world: "redlet:kv-probe/kv-probe",
    generate_all,
});

use exports::redlet::kv_probe::probe::{Guest, Op, Outcome};
use wasi::keyvalue::{atomics, batch, store};

/// Most `list-keys` pages followed before giving up, so a provider whose
/// cursor never ends cannot make the probe loop forever.
const MAX_PAGES: u32 = 1 << 20;

struct Probe;

/// Runs one op on `bucket`.
fn run_op(bucket: &store::Bucket, op: Op) -> Outcome {
    let result = match op {
        Op::Get(k) => bucket.get(&k).map(Outcome::Value),
        Op::Set((k, v)) => bucket.set(&k, &v).map(|()| Outcome::Done),
        Op::Delete(k) => bucket.delete(&k).map(|()| Outcome::Done),
        Op::Exists(k) => bucket.exists(&k).map(Outcome::Flag),
        Op::ListKeys => list_keys(bucket),
        Op::Increment((k, d)) => atomics::increment(bucket, &k, d).map(Outcome::Number),
        Op::GetMany(keys) => batch::get_many(bucket, &keys).map(Outcome::Values),
        Op::SetMany(pairs) => batch::set_many(bucket, &pairs).map(|()| Outcome::Done),
        Op::DeleteMany(keys) => batch::delete_many(bucket, &keys).map(|()| Outcome::Done),
    };
    result.unwrap_or_else(Outcome::Failed)
}

/// Follows `list-keys` cursors to the end.
fn list_keys(bucket: &store::Bucket) -> Result<Outcome, store::Error> {
    let mut keys = Vec::new();
    let mut cursor = None;
    let mut pages = 0u32;
    loop {
        let page = bucket.list_keys(cursor)?;
        pages += 1;
        keys.extend(page.keys);
        match page.cursor {
            Some(c) if pages < MAX_PAGES => cursor = Some(c),
            Some(_) => return Err(store::Error::Other("list-keys: cursor never ended".into())),
            None => return Ok(Outcome::Keys((keys, pages))),
        }
    }
}

impl Guest for Probe {
    fn run(identifier: String, ops: Vec<Op>) -> Vec<Outcome> {
        let bucket = match store::open(&identifier) {
            Ok(b) => b,
            Err(e) => return vec![Outcome::Failed(e)],
        };
        ops.into_iter().map(|op| run_op(&bucket, op)).collect()
    }
}

export!(Probe);
